"""A question that names one option as the user's context ("zero Larch in the shop") and
chooses among others: the passages under a "Choose X when" heading are about X even when
their own words name no option. Both pages are invented here, so nothing in them comes from
an eval set."""
from __future__ import annotations

import pytest
from conftest import page_advisor, pages_advisor

FRAMEWORKS = """# Larch vs Spruce: training frameworks compared

Larch and Spruce are the two training frameworks our teams use.

| Category | Larch | Spruce |
| --- | --- | --- |
| Saved format | Larch archive | Spruce bundle |
| Debugging | Python debugger | Graph inspector |

## When to choose Larch

Research teams: Larch's eager mode makes it the faster framework for trying new ideas.

## When to choose Spruce

Production teams: Spruce bundles load in every serving stack we run.
"""

WEB = """# In-page runtimes: Quill vs Rook vs Sable

We compared three runtimes that execute models inside a web page: Quill, Rook and Sable.

| Capability | Quill | Rook | Sable |
| --- | --- | --- | --- |
| Loads Larch models | Yes | No | Yes |
| Training in the page | No | Yes | No |

## Choose Quill when

- latency is the deciding metric, such as live camera effects;
- your models come from Larch.

## Choose Rook when

- your models are already Spruce bundles and you do not want a conversion project;
- users must train on their own data inside the page.

## Choose Sable when

- you want tokenizers and pre-processing built in.
"""


@pytest.fixture(scope="module")
def web(tmp_path_factory, embedder):
    return pages_advisor(tmp_path_factory, embedder, "webpages",
                         {"frameworks.md": FRAMEWORKS, "web.md": WEB})


def test_a_bullet_under_choose_x_speaks_for_x_when_another_option_is_context(web):
    """The best passage is the bullet "your models are already Spruce bundles …" under
    "Choose Rook when": the choice leans to Rook (it settled nothing before: the bullet names
    no runtime, so it was read as about none of them and set no scale for the votes)."""
    answer = web.ask("our models are already spruce bundles, zero larch in the shop. we want "
                     "them in a web page without a big conversion project. which one?")
    assert answer.verdict == "rook" or answer.headline == "Either — leaning Rook", \
        (answer.headline, answer.answer)


def test_asking_for_a_kind_chooses_among_the_options_of_that_kind(web):
    """The two frameworks are named as the user's set-up and a page's claim; the asking
    sentence names no option and asks for a runtime: the choice is between the runtimes
    (it was between the two frameworks, and named Spruce)."""
    work = web.workings("we train custom vision models in larch and need inference in a web "
                        "page. the frameworks page says spruce bundles load everywhere. so "
                        "which runtime do we actually go with?")
    assert work.decision.candidates == ["quill", "rook", "sable"]
    assert web.respond(work).verdict not in ("larch", "spruce")


def test_asking_what_each_option_has_gets_the_facts_not_a_pick(web):
    """"which … does each runtime support?" asks for every option's row, not for a pick: no
    verdict, the capability row quoted (it named one runtime before)."""
    answer = web.ask("capabilities — which does each runtime support? we specifically need "
                     "training in the page")
    assert answer.verdict is None and not answer.abstained, answer.answer
    assert "Training in the page" in answer.answer + " ".join(c.text for c in answer.citations)


def test_each_of_our_steps_is_no_question_about_every_option(web):
    from assistant.question import asks_per_option

    assert asks_per_option("how does each of them handle training in the page?")
    assert not asks_per_option("each of our steps is a 3-6h gpu job. quill or rook?")


NICKNAMED = """# In-page runtimes: Quillwork.js vs Rook.js vs Sable

We compared three runtimes that execute models inside a web page: Quillwork.js, Rook.js and
Sable.

## Feature support

| Capability | Quillwork.js | Rook.js | Sable |
| --- | --- | --- | --- |
| Node.js support | Yes (qwjs-node) | Yes | No |
| Training in the page | Yes | No | No |
| Built-in tokenizers | No | Yes | No |
"""


def test_the_users_own_name_for_an_option_is_no_feature_its_cell_holds(tmp_path_factory,
                                                                          embedder):
    """"qwjs or rook.js — does either have a node story?": both cells of the Node.js row say
    Yes. "qwjs" is the user's name for Quillwork.js, not a feature that only its cell ("Yes
    (qwjs-node)") holds, so it does not tip the choice to Quillwork.js."""
    advisor = page_advisor(tmp_path_factory, embedder, "nicknamed", NICKNAMED)
    answer = advisor.ask("we need the same lib in the page AND a node.js backend job. qwjs or "
                         "rook.js — does either have a node story?")
    assert answer.verdict == "either", answer.answer


TOOLS = """# Tracing Tools for Model Apps: Quillscope vs Rookwatch

We ran both tracing tools beside our model services for a month.

| Measure | Quillscope | Rookwatch |
| --- | --- | --- |
| Added latency per request (ms) | 4 | 9 |
| Retrieval view | No | Yes |

## When to choose Rookwatch

Choose Rookwatch when retrieval quality is the problem: it shows every retrieved document with
its score.

## When to choose Quillscope

Choose Quillscope when request latency matters most.
"""

TOPICS = ["vision", "speech", "ranking", "graphs", "agents", "retrieval", "tabular", "audio",
          "video", "text", "robots", "search"]
NOTES = "\n\n".join(f"Larch note {n}: research teams using Larch's eager mode debug with the "
                    f"python debugger and try new ideas faster; topic {topic}."
                    for n, topic in enumerate(TOPICS))


def test_a_set_up_about_one_document_does_not_hide_the_kind_asked_for(tmp_path_factory,
                                                                        embedder):
    """A long set-up about Larch draws every top passage from the frameworks page; the asking
    sentence asks for a tracing tool, and the page titled "Tracing Tools" compares them: its
    passages are cited and the choice is between its tools (it was Larch, at 0.96)."""
    advisor = pages_advisor(tmp_path_factory, embedder, "routed", {
        "frameworks.md": FRAMEWORKS + "\n## Research notes\n\n" + NOTES, "tools.md": TOOLS})
    question = ("our research team trains everything in larch because its eager mode is the "
                "faster framework for trying new ideas, and we debug with the python debugger "
                "every day. retrieval quality is the pain. which tracing tool should we pair "
                "with it?")
    answer = advisor.ask(question)
    assert answer.verdict not in ("larch", "spruce"), answer.answer
    assert any(c.source.endswith("tools.md") for c in answer.citations)
    assert advisor.workings(question).decision.candidates == ["quillscope", "rookwatch"]


def test_a_yes_or_no_question_that_names_no_option_gets_the_facts(web):
    """"… is this expected?" names no runtime and asks nothing to choose: the facts, no
    verdict (it was Rook). "should we use rook?" still gets one."""
    plain = web.ask("our team trains in the page on users' own data and the first training "
                    "step in the page takes a long while on older laptops. is this expected?")
    assert plain.verdict is None and not plain.abstained, plain.answer
    pick = web.ask("we want users to train on their own data inside the page. should we use "
                   "rook?")
    assert pick.verdict == "rook", pick.answer



def test_a_yes_or_no_question_about_one_named_option_gets_the_facts(web):
    """"can quill train models in the page?" asks about one runtime, not which to pick: the
    facts (its cell says No), no verdict; naming two ("quill or rook?") still chooses."""
    one = web.ask("can quill train models inside the page? we keep getting asked")
    assert one.verdict is None and not one.abstained, one.answer
    assert any("Training in the page" in c.text for c in one.citations)
    two = web.ask("quill or rook for training models inside the page?")
    assert two.verdict == "rook", two.answer
    from assistant.options import Options
    from assistant.question import analyse, asks_yes_or_no

    options = Options({"quill": "Quill", "rook": "Rook"})
    for question, plain in (("does rook 2.16 still support python 3.8? we're stuck on an old "
                             "base image", True),
                            ("rook or quill for python 3.8?", False),
                            ("should we use rook on python 3.8?", False)):
        asked = analyse(question, options)
        assert asks_yes_or_no(asked.features, asked.named) == plain, question
