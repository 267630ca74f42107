"""A question that nothing in the documents comes near (its best dense similarity is under the
fitted floor and most of its words are unknown to the corpus) is refused, on the article and
on an added page alike; questions about what the documents compare are not remote. The page
and its products are invented here, so nothing in it comes from an eval set."""
from __future__ import annotations

import pytest
from conftest import page_advisor

from assistant.data import load as load_data

PAGE = """# Vector stores compared: Quillon or Brastor

## Query latency

| Measure | Quillon | Brastor |
| --- | --- | --- |
| p95 query latency (ms) | 12 | 31 |
| Index build time (min) | 40 | 18 |

## Recommendations

Choose Quillon when query latency matters most. Choose Brastor when you rebuild the index
often, since it builds faster.
"""

FAR = "best winter coat for cycling to work in the rain"


@pytest.fixture(scope="module")
def page(tmp_path_factory, embedder):
    return page_advisor(tmp_path_factory, embedder, "stores", PAGE)


@pytest.fixture
def without_remote(monkeypatch):
    """The answerability model with the remote signal's weight taken out."""
    weights = load_data("calibration")["answerable"]["weights"]
    monkeypatch.setitem(weights, "remote", 0.0)


def test_a_question_far_from_the_documents_is_refused(advisor):
    work = advisor.workings(FAR)
    assert work.signals["remote"] == 1.0
    answer = advisor.respond(work)
    assert answer.abstained and answer.verdict is None


def test_a_remote_refusal_still_lists_the_nearest_passages_when_the_rest_nearly_answered(
        advisor):
    """Whether a refusal nearly answered (and so lists retrieval's nearest passages, labelled
    as the closest the documents come) is judged without the remote signal: it decides whether
    to answer, and never hides a passage that the rest of the model would have shown."""
    from assistant import answerability

    work = advisor.workings(FAR)
    assert answerability.probability(work.signals) < answerability.nearest_from() <= \
        answerability.probability(work.signals, without=("remote",))
    answer = advisor.respond(work)
    assert answer.abstained and answer.citations and "closest passages" in answer.answer


def test_the_remote_signal_is_what_refuses_it(advisor, without_remote):
    """Without the signal the same question got a framework verdict: the rest of the model
    reads "best … for" as a choice and answers it from whatever came nearest."""
    answer = advisor.ask(FAR)
    assert not answer.abstained and answer.verdict is not None


@pytest.mark.parametrize("question", ["which framework for Android apps?",
                                      "pytorch or tensorflow for a research prototype?"])
def test_questions_about_the_documents_are_not_remote(advisor, question):
    work = advisor.workings(question)
    assert work.signals["remote"] == 0.0 and not advisor.respond(work).abstained


def test_an_added_page_refuses_a_far_question_and_answers_its_own(page):
    far = page.workings("recommend a birthday gift for my sister who likes pottery")
    assert far.signals["remote"] == 1.0 and page.respond(far).abstained
    own = page.workings("which store should we pick if p95 latency matters most?")
    assert own.signals["remote"] == 0.0
    answer = page.respond(own)
    assert not answer.abstained and answer.verdict == "quillon", answer.answer
