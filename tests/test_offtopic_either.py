"""A comparison page with a general "neither is always faster" answer and a row that settles
one narrow use: "either" from a passage that holds none of what the question asks about does
not outweigh the row that does. The page and its runtimes are invented here, so nothing in
it comes from an eval set."""
from __future__ import annotations

import dataclasses

import pytest
from conftest import page_advisor

PAGE = """# Inference runtimes compared: Zephyx or Korvan

## Which is faster: Zephyx or Korvan?

Neither is universally faster. Zephyx is slightly faster for small batches and Korvan edges
ahead for large batches. Both are fine choices for most teams, and the differences are
converging.

## Deployment targets

| Target | Zephyx | Korvan |
| --- | --- | --- |
| Wristband microcontrollers | Not supported | Mature (Korvan Micro) |
| Desktop apps | Mature | Mature |
| Cloud serving | Mature | Mature |

## Team fit

Zephyx has the larger community and more tutorials. Korvan has the longer release history.
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory, embedder):
    return page_advisor(tmp_path_factory, embedder, "runtimes", PAGE)


def _decide(page, question: str, general_matched: float | None = None):
    """The verdict over two passages made equally relevant: the general "neither is faster"
    answer and the row about microcontrollers (as when a long question ranks both high)."""
    from assistant import evidence, verdict

    work = page.workings(question)
    row = next(e for e in work.ranked if "Wristband" in e.passage.text)
    general = next(e for e in work.ranked if "Neither" in e.passage.text)
    general = dataclasses.replace(general, score=row.score, relevance=1.0, matched=(
        general.matched if general_matched is None else general_matched))
    return verdict.decide(work.asked.named, [general, row], page.options,
                          evidence.weights(work.query, page.index.lexical),
                          question=work.query), row, general


def test_either_from_a_passage_that_holds_little_of_the_question_counts_less(page):
    question = ("we know zephyx way better tbh. does that matter or is korvan the only "
                "realistic choice for a wristband microcontroller")
    scaled, row, general = _decide(page, question)
    assert general.matched < row.matched
    assert scaled.verdict == "korvan"
    as_topical, _, _ = _decide(page, question, general_matched=row.matched)
    assert 0 < scaled.scores["either"] < as_topical.scores["either"]
    assert scaled.scores["either"] == pytest.approx(
        as_topical.scores["either"] * general.matched / row.matched, rel=0.05)


def test_the_row_decides_a_question_about_its_use(page):
    answer = page.ask("our gesture model has to run on wristband microcontrollers with no "
                      "network. we know zephyx better. is korvan basically the only option?")
    assert answer.verdict == "korvan", (answer.verdict, answer.answer)


def test_either_stands_when_it_is_about_what_is_asked(page):
    answer = page.ask("zephyx or korvan, which one is faster?")
    assert answer.verdict == "either", (answer.verdict, answer.answer)


def test_an_unsettled_comparison_asked_without_a_clear_choice_is_answered_with_the_facts(page):
    """"speed differences between …?" asks what the documents say, not which to pick: when
    they don't settle it, the answer is their facts, not "either"."""
    answer = page.ask("speed differences between zephyx and korvan?")
    assert answer.verdict is None and not answer.abstained, (answer.verdict, answer.answer)
    assert "Neither is universally faster" in answer.answer
