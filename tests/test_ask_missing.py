"""How many things the asking sentence names that no single top passage holds is a signal of
the answerability model: a question that asks about several things the documents never write
("does X support the OTLP protocol and Kafka output?") is refused even though its subject is
all over them, while one the documents answer has nothing missing. The page and its products
are invented here, so nothing in it comes from an eval set."""
from __future__ import annotations

import math

import pytest
from conftest import page_advisor

from assistant import answerability
from assistant.data import load as load_data

PAGE = """# Log shippers compared: Vextor or Quamble

The observability team compared two log shippers for the cluster: Vextor and Quamble.

## Throughput and cost

| Measure | Vextor | Quamble |
| --- | --- | --- |
| p95 ingest latency (ms) | 9 | 23 |
| CPU per node (cores) | 0.4 | 0.9 |
| Memory per node (MiB) | 120 | 310 |

## Recommendations

Choose Vextor when nodes are small and every core counts: it used less than half the CPU of
Quamble in our test. Choose Quamble when you need its built-in parsing rules for many log
formats, which saved the team a week of writing parsers.

## Caveats

Vextor's parser plugins are young, and two of them dropped lines under load.
"""

UNWRITTEN = "does vextor support the otlp protocol and kafka output?"


@pytest.fixture(scope="module")
def page(tmp_path_factory, embedder):
    return page_advisor(tmp_path_factory, embedder, "shippers", PAGE)


@pytest.fixture
def without_missing(monkeypatch):
    """The answerability model with the missing-terms signal's weight taken out."""
    monkeypatch.setitem(load_data("calibration")["answerable"]["weights"], "ask_missing", 0.0)


def test_a_question_about_things_the_page_never_writes_is_refused(page):
    work = page.workings(UNWRITTEN)
    # "otlp", "protocol", "kafka", "output": none in any passage ("support" is no help)
    assert work.signals["ask_missing"] >= math.log1p(4)
    answer = page.respond(work)
    assert answer.abstained and answer.verdict is None


def test_the_missing_terms_are_what_refuse_it(page, without_missing):
    """Without the signal the same question is answered from the passages about Vextor."""
    work = page.workings(UNWRITTEN)
    assert work.p_answerable >= answerability.threshold()


def test_a_question_the_page_answers_misses_nothing(page):
    work = page.workings("what is the p95 ingest latency of Vextor?")
    assert work.signals["ask_missing"] == 0.0
    answer = page.respond(work)
    assert not answer.abstained
    assert "Vextor: 9" in answer.citations[0].text and "[1]" in answer.answer


def test_missing_is_counted_against_the_single_best_passage(page):
    """Two rows each hold part of the ask; no one passage holds both, so one term is missing
    from the best of them however the two rows cover it together."""
    work = page.workings("vextor cpu per node and memory per node?")
    assert 0.0 < work.signals["ask_missing"] <= math.log1p(1)
