"""Advisor answers on the article: choice verdicts and leans, table facts, criteria matrices,
how an answer is composed and grounded by construction (every sentence cited, whole passages
shown, no internal tokens), the explain view, and the CI gate on eval/faq.jsonl. Refusals,
question kinds and follow-ups are in test_advisor_refusals_and_questions.py."""
from __future__ import annotations

import json
import re

import pytest

from assistant.tools.evaluation import GATE, GATE_MAX, evaluate, gate_failures, load_eval_set
from conftest import ROOT


def test_eval_gate(config, advisor):
    """The CI gate: the advisor on the FAQ eval set must clear every threshold."""
    items = load_eval_set(ROOT / "eval" / "faq.jsonl")
    assert len(items) >= 80 and sum(i["abstain"] for i in items) >= 15
    report = evaluate(config, items, ["advisor"], show_progress=False)
    metrics = {k: v for k, v in report["advisor"].items() if not k.startswith("_")}
    print("\nadvisor on eval/faq.jsonl:", json.dumps(metrics))
    assert not gate_failures(metrics), gate_failures(metrics)
    assert metrics["median_cited_chars"] <= 1200
    floors = {k: v for k, v in report.items() if k.endswith("(plain)")}
    assert set(floors) == {"bm25 (plain)", "hybrid (plain)"}  # always reported beside it


def test_gate_failures_reports_each_threshold():
    good = {**GATE, **GATE_MAX}
    assert gate_failures(good) == []
    assert gate_failures({**good, "grounding": 0.5}) == ["grounding 0.5 < 0.98"]
    assert gate_failures({**good, "false_abstention": 0.2}) == ["false_abstention 0.2 > 0.03"]


@pytest.mark.parametrize("question,verdict", [
    ("TF or PyTorch for browser?", "tensorflow"),
    ("TF or PyTorch for mobile?", "tensorflow"),
    ("Which is better on TPU pods?", "tensorflow"),
    ("Which framework do LLMs use for training?", "pytorch"),
    ("which framework for Android apps?", "tensorflow"),
    ("Which framework supports FP8 in its mixed precision API?", "pytorch"),
])
def test_choice_verdicts(advisor, question, verdict):
    answer = advisor.ask(question)
    assert answer.verdict == verdict, answer.answer
    assert 0.0 < answer.confidence < 1.0 and not answer.abstained
    first = re.split(r"(?<=[.])\s", answer.answer)[0]
    assert first.startswith(answer.headline) and re.search(r"\[\d\]", first), first
    assert answer.headline in ("TensorFlow", "PyTorch")


@pytest.mark.parametrize("question,asked_best", [
    ("TF or PyTorch: which should we avoid for an Android app?", "TF or PyTorch for an Android app?"),
    ("which framework is worse for the browser?", "which framework is better for the browser?"),
])
def test_a_question_for_the_option_that_does_worst_gets_the_other_one(advisor, question,
                                                                       asked_best):
    best, worst = advisor.ask(asked_best), advisor.ask(question)
    assert {best.verdict, worst.verdict} == {"pytorch", "tensorflow"}, worst.answer
    assert worst.answer.startswith(f"The documents rate {worst.headline.split(' — ')[0]} lower")
    assert worst.headline.endswith("rated lower") and re.search(r"\[\d\]", worst.answer)
    # "avoid" said of something else is not an ask for the worst option
    assert advisor.ask("We want to avoid vendor lock-in. TF or PyTorch for an Android app?"
                       ).verdict == best.verdict


def test_a_question_whether_it_matters_gets_either(advisor):
    answer = advisor.ask("Which is faster: PyTorch or TensorFlow?")
    assert answer.verdict == "either" and answer.answer.startswith("It depends")


def test_an_unsettled_choice_states_its_lean_and_cites_each_side(advisor):
    """Below the verdict threshold the answer is "either", yet a leading option that is still
    more likely right than not is named as a lean, with the evidence for each side cited."""
    work = advisor.workings("tiny vibration classifier that has to run on STM32 microcontroller "
                            "nodes, no cloud link. our data scientists prototyped it in PyTorch. "
                            "TF or pt for this?")
    answer = advisor.respond(work)
    decision = work.decision
    assert answer.verdict == "either" and decision.lean == "tensorflow", answer.answer
    first = re.split(r"(?<=[.])\s", answer.answer)[0]
    assert first.startswith("The documents lean towards TensorFlow here but don't settle it")
    assert answer.headline == "Either — leaning TensorFlow"
    sides = dict(re.findall(r"for (TensorFlow|PyTorch) ((?:\[\d\])+)", first))
    assert set(sides) == {"TensorFlow", "PyTorch"}, first
    cited = {f"[{c.n}]": c.text for c in answer.citations}
    assert any("TensorFlow Lite" in cited[m] for m in re.findall(r"\[\d\]", sides["TensorFlow"]))


def _favours(decision, rank: int, option: str) -> bool:
    scores = dict(decision.contributions).get(rank, {})
    return scores.get(option, 0.0) > max((scores.get(o, 0.0) for o in decision.candidates
                                          if o != option), default=0.0)


@pytest.mark.parametrize("question", [
    "teaching an intro deep learning class to undergrads, which framework?",
    "tiny vibration classifier that has to run on STM32 microcontroller nodes, no cloud link. "
    "our data scientists prototyped it in PyTorch. TF or pt for this?",
    "we're a 3 person startup, need to ship fast. pytorch or tensorflow?",
])
def test_a_choice_answer_opens_with_a_passage_for_the_side_it_names(advisor, question):
    """After the verdict (or lean) sentence, the first quote is from a passage that favours
    that option, even when a passage taking no side ranks above it."""
    work = advisor.workings(question)
    answer, decision = advisor.respond(work), work.decision
    named = answer.verdict if answer.verdict != "either" else decision.lean
    assert named in decision.candidates, answer.answer
    second = re.split(r"(?<=[.])\s", answer.answer)[1]
    n = int(re.findall(r"\[(\d+)\]", second)[-1])
    rank = next(i for i, e in enumerate(work.ranked)
                if e.node.id == answer.citations[n - 1].id)
    assert _favours(decision, rank, named), (second, dict(decision.contributions))


def test_table_row_answers_quote_both_cells(advisor):
    answer = advisor.ask("ResNet-50 throughput on an A100?")
    assert answer.verdict is None
    assert "~1,050 img/s" in answer.answer and "~980 img/s" in answer.answer
    assert any("ResNet-50 (A100, FP16)" in c.text and c.section == "GPU Training Throughput"
               for c in answer.citations)
    assert answer.table["header"][0] == "Workload"
    license_answer = advisor.ask("which license does TensorFlow use?")
    assert "Apache 2.0" in license_answer.answer


def test_multi_criteria_gives_a_matrix_with_a_column_per_option(advisor):
    answer = advisor.ask("We need mobile deployment and want to fine-tune LLMs. Which framework?")
    assert answer.verdict == "either" and answer.criteria
    assert {row["favours"] for row in answer.criteria} >= {"pytorch", "tensorflow"}
    numbers = {c.n for c in answer.citations}
    for row in answer.criteria:
        assert row["n"] in numbers and set(row["cells"]) == {"pytorch", "tensorflow"}


def test_iphone_offline_question_quotes_mobile_evidence(advisor):
    answer = advisor.ask("My app has to keep working offline on iPhones, which framework should "
                         "I use?")
    assert answer.verdict == "tensorflow"
    assert re.search(r"iOS|Mobile", answer.answer), answer.answer


def test_thermostat_question_is_answered(advisor):
    answer = advisor.ask("we need to ship a model to a smart thermostat (cortex-m, no OS). "
                         "options?")
    assert not answer.abstained
    assert any("microcontrollers" in c.text or "TF Lite Micro" in c.text
               for c in answer.citations)


@pytest.mark.parametrize("question", [
    "we need to ship a model to a smart thermostat (cortex-m, no OS). options?",
    "which framework for Android apps?", "JAX or PyTorch for research?"])
def test_a_verdict_more_likely_wrong_than_right_says_its_support_is_weak(advisor, question):
    answer = advisor.ask(question)
    named = answer.verdict not in (None, "either")
    assert ("only weakly" in answer.answer) == (named and answer.confidence < 0.5), \
        (answer.confidence, answer.answer)


def test_every_sentence_cites_verbatim_index_text(advisor):
    texts = [n.text for n in advisor.index.nodes]
    for question in ["Should beginners start with PyTorch or TensorFlow?",
                     "How does TensorFlow manage GPU memory by default?",
                     "We need Android deployment and an end-to-end ML pipeline. Which framework?"]:
        answer = advisor.ask(question)
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z“])", answer.answer):
            assert re.search(r"\[\d+\]", sentence), sentence
        for c in answer.citations:
            assert any(c.text in t for t in texts)
            assert len(c.text) <= 800


def test_answers_show_no_internal_tokens(advisor):
    """Refusals and answers are made of corpus text and fixed wording, never stems or ids."""
    for question in ["Which framework supports FP8 in its mixed precision API?",
                     "Is the TensorFlow license more permissive than PyTorch's?",
                     "What license does JAX use?"]:
        answer = advisor.ask(question)
        words = set(re.findall(r"[a-z]+", answer.answer.lower()))
        assert not {"precis", "licens", "permiss", "mix"} & words, answer.answer
        assert not re.search(r"\b[0-9a-f]{20}\b", answer.answer)


def test_citations_show_the_whole_passage_the_answer_quotes_from(advisor):
    from assistant.evidence import WHOLE

    answer = advisor.ask("what is torch.compile and how much faster is it?")
    nodes = {n.id: n.text for n in advisor.index.nodes}
    assert answer.citations and all(c.text == nodes[c.id] for c in answer.citations)
    long = [c for c in answer.citations if len(c.text) > WHOLE]
    assert long  # the answer quotes a window of it, the source list shows all of it
    assert all(c.text not in answer.answer for c in long)


def test_a_side_with_nothing_quotable_is_not_named_without_a_citation(advisor):
    """When the documents don't settle it, each side is named with its citations; a side whose
    passages have nothing quotable is left out, never written as "for X ." with none."""
    import dataclasses

    from assistant import compose

    work = advisor.workings("PyTorch or TensorFlow for a research team that also ships to mobile?")
    decision = dataclasses.replace(work.decision, verdict="either", lean="tensorflow")
    evidence = work.ranked[:5]
    side = compose._sides(decision, evidence)["tensorflow"]
    blank = {e.node.id for e in side}
    evidence = [dataclasses.replace(e, quote="") if e.node.id in blank else e for e in evidence]
    text, citations = compose.choice(decision, evidence, advisor.options, {})
    assert not re.search(r"for TensorFlow\s*[;.]", text), text  # named with nothing cited
    assert all(re.search(r"\[\d+\]", sentence) for sentence in re.split(r"(?<=\.)\s+", text)
               if sentence.strip()), text


def test_a_quote_that_ends_in_an_ellipsis_keeps_its_marker_in_its_sentence():
    """A code quote ending in "..." is marked before its dots, so no sentence of the answer
    is left without a citation."""
    from assistant.compose import mark
    from assistant.lexical import sentence_spans

    answer = "Use an object store [1]. " + mark("# Airflow @task def build(): ...", 2) + \
        " The API database is the bottleneck [3]."
    spans = [answer[a:b] for a, b in sentence_spans(answer)]
    assert all(re.search(r"\[\d\]", span) for span in spans), spans
    assert all("[2]" in span for span in spans if "Airflow" in span), spans


def test_explain_shows_evidence_stance_weights_and_verdict(advisor):
    work = advisor.explain("TF or PyTorch for browser?")
    assert work["answer"]["verdict"] == "tensorflow"
    assert work["verdict"]["candidates"] == ["tensorflow", "pytorch"]
    assert work["verdict"]["scores"]["tensorflow"] > work["verdict"]["scores"]["pytorch"]
    first = work["evidence"][0]
    assert first["stance"] and first["weighted_contribution"]
    assert 0 < work["answerability"]["probability"] <= 1
