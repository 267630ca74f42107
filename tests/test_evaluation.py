"""The eval runner: metrics that can fail, the report files, and `assistant eval`."""
from __future__ import annotations

import json

from click.testing import CliRunner

from assistant.cli import cli
from assistant.tools.evaluation import load_eval_set
from assistant.tools.metrics import Result, citations_valid, contains_any, ece, metrics, \
    reliability, sentence_grounding, wrong_side

ITEM = {"id": "x", "question": "q", "verdict": None, "abstain": False, "facts": [],
        "evidence": []}


def result(answer, citations, verdict=None):
    return Result(ITEM, answer, verdict, False, citations, [], 0.01)


def test_grounding_catches_an_unsupported_sentence():
    cites = [{"n": 1, "text": "TensorFlow.js runs models directly in the browser.", "section": "S"}]
    assert sentence_grounding(result("TensorFlow.js runs models directly in the browser [1].",
                                     cites)) == (1, 1)
    assert sentence_grounding(result("PyTorch ships a mature browser runtime for iOS [1].",
                                     cites)) == (0, 1)
    assert sentence_grounding(result("An uncited claim about quantum kernels.", cites)) == (0, 1)


def test_citation_validity_catches_dangling_markers_and_invented_text():
    index = ["Category: License | PyTorch: BSD-3-Clause | TensorFlow: Apache 2.0"]
    good = result("License — BSD [1].", [{"n": 1, "text": "PyTorch: BSD-3-Clause", "section": ""}])
    assert citations_valid(good, index)
    assert not citations_valid(result("x [2].", good.citations), index)
    assert not citations_valid(result("x [1].", [{"n": 1, "text": "MIT", "section": ""}]), index)


def test_calibration_error_and_wrong_side_are_measured():
    def answered(verdict, label, confidence):
        item = {**ITEM, "verdict": label}
        return Result(item, "a [1].", verdict, False, [], [], 0.01, confidence)

    calibrated = [answered("pytorch", "pytorch", 0.75)] * 3 + [answered("either", "pytorch", 0.75)]
    assert ece(calibrated) == 0.0
    assert reliability(calibrated) == [{"bin": "0.7-0.8", "n": 4, "confidence": 0.75,
                                        "accuracy": 0.75}]
    overconfident = [answered("pytorch", "tensorflow", 0.95)] * 2
    assert ece(overconfident) == 0.95
    assert wrong_side(overconfident) == 1.0
    assert wrong_side([answered("either", "tensorflow", 0.5),
                       answered("pytorch", "either", 0.5)]) == 0.0


def test_out_of_scope_refusals_are_counted_apart_from_abstention_accuracy():
    def result(abstain_label, refused):
        item = {**ITEM, "abstain": abstain_label, "verdict": None}
        return Result(item, "a [1].", None, refused, [], [], 0.01)

    # four answerable questions answered, two of four out-of-scope questions refused
    results = [result(False, False)] * 4 + [result(True, True), result(True, False)] * 2
    report = metrics(results, [])
    assert report["abstention_accuracy"] == 0.75 and report["false_abstention"] == 0.0
    assert report["out_of_scope_refused"] == 0.5


def test_facts_count_in_what_the_user_is_shown_and_separately_in_the_answer_text():
    item = {**ITEM, "facts": ["PyTorch/XLA"]}
    quoted = [{"n": 1, "text": "TPU Support | PyTorch: Via PyTorch/XLA", "section": "S"}]
    in_source = Result(item, "It runs on TPUs [1].", None, False, quoted, [], 0.01)
    in_text = Result(item, "Via PyTorch/XLA [1].", None, False, quoted, [], 0.01)
    missing = Result(item, "It runs on TPUs [1].", None, False,
                     [{"n": 1, "text": "TPU Support", "section": "S"}], [], 0.01)
    report = metrics([in_source, in_text, missing], [quoted[0]["text"]])
    assert report["fact_in_answer"] == 0.667 and report["fact_in_text"] == 0.333


def test_grounding_ignores_any_option_label_the_answer_frames_with():
    cites = [{"n": 1, "text": "only one engine runs in the browser", "section": "S"}]
    framed = Result(ITEM, "Yes. The sources disagree: notes favours ONNX Runtime [1].", None,
                    False, cites, [], 0.01, extra={"labels": ["ONNX Runtime"]})
    assert sentence_grounding(framed) == (0, 2)  # "notes" is not in the passage
    framed.answer = "Yes. The sources disagree: favours ONNX Runtime [1]."
    assert sentence_grounding(framed) == (1, 2)
    framed.extra = {}
    assert sentence_grounding(framed) == (0, 2)


def test_fact_matching_normalises_dashes_and_case():
    assert contains_any("a 2-4 week effort", "2–4 week")
    assert contains_any("TF LITE (mature)", ["nope", "tf lite"])
    assert not contains_any("TensorFlow", "PyTorch")


def test_eval_command_writes_report_chart_and_json(tmp_path, built_index_dir, embedder):
    eval_set = tmp_path / "mini.jsonl"
    rows = [
        {"question": "TF or PyTorch for browser?", "verdict": "tensorflow",
         "facts": ["TensorFlow.js"], "evidence": ["TensorFlow.js"]},
        {"question": "What is the capital of France?", "abstain": True},
        {"question": "What license is PyTorch released under?", "facts": ["BSD-3-Clause"],
         "evidence": ["BSD-3-Clause"]},
    ]
    eval_set.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    out = tmp_path / "report"
    result_ = CliRunner().invoke(cli, ["--index-dir", str(built_index_dir), "eval", str(eval_set),
                                       "--json", "--out", str(out),
                                       "--systems", "advisor,dense,starter"])
    assert result_.exit_code == 0, result_.output
    data = json.loads(result_.stdout[result_.stdout.index("{"):])
    # the two plain-retrieval floors are always run beside the advisor
    assert set(data["systems"]) == {"advisor", "bm25 (plain)", "hybrid (plain)",
                                    "dense (plain)", "starter"}
    advisor = data["systems"]["advisor"]
    assert advisor["verdict_accuracy"] == 1.0 and advisor["abstention_accuracy"] == 1.0
    assert advisor["out_of_scope_refused"] == 1.0 and advisor["false_abstention"] == 0.0
    assert advisor["wrong_side"] == 0.0 and 0.0 <= advisor["ece"] <= 1.0
    assert data["systems"]["hybrid (plain)"]["recall@5"] == 1.0
    assert "verdict_accuracy" not in data["systems"]["bm25 (plain)"]
    assert data["systems"]["starter"]["k"] == 2
    report = (out / "report.md").read_text()
    assert report.count("| advisor |") == 1 and "Reliability of the advisor" in report
    assert (out / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bad_eval_sets_are_one_line_errors(tmp_path, built_index_dir):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "ok"}\nnot json\n')
    r = CliRunner().invoke(cli, ["--index-dir", str(built_index_dir), "eval", str(bad)])
    assert r.exit_code == 2 and "bad.jsonl:2 is not valid JSON" in r.stderr
    r = CliRunner().invoke(cli, ["eval", str(tmp_path / "missing.jsonl")])
    assert r.exit_code == 2 and "cannot read eval set" in r.stderr
    r = CliRunner().invoke(cli, ["--index-dir", str(built_index_dir), "eval", "eval/faq.jsonl",
                                 "--systems", "advisor,magic"])
    assert r.exit_code == 2 and "unknown system(s): magic" in r.stderr
    items = load_eval_set("eval/faq.jsonl")
    assert all(i["question"] for i in items)


def test_a_label_naming_an_option_by_another_of_its_names_is_the_same_answer():
    from assistant.options import Options
    from assistant.tools.evaluation import canonical

    options = Options({"pytorch lightning": "PyTorch Lightning", "tensorflow": "TensorFlow"},
                      {"lightning": "pytorch lightning", "tf": "tensorflow"})
    assert canonical({"verdict": "lightning"}, options)["verdict"] == "pytorch lightning"
    assert canonical({"verdict": "TF"}, options)["verdict"] == "tensorflow"
    for label in ("tensorflow", "either", None, "jax"):  # unknown names stay as written
        assert canonical({"verdict": label}, options)["verdict"] == label


def test_the_isotonic_map_keeps_equal_scores_in_one_step():
    from assistant.advisor import _isotonic
    from assistant.tools.calibrate import isotonic

    scores = [0.1] * 5 + [0.5] * 30 + [0.9] * 5
    right = [False] * 5 + [True, False] * 15 + [True] * 5
    steps = isotonic(scores, right, bins=4)
    # every 0.5 is looked up in one step, whose accuracy is what those answers scored with
    # the 0.1s pooled in (5 + 30 answers, 15 right)
    assert _isotonic(0.5, steps) == round(15 / 35, 4) and _isotonic(0.9, steps) == 0.99


def test_confidence_reads_the_number_of_options_and_whether_one_document_compares_them():
    """The fitted maps weigh the answer's setting: an unsettled choice among two options in a
    corpus with one comparison is right more often than one among three beside other
    comparisons, and the confidence says so; a fit of the old shape (no weights for the
    setting) reads the same whatever the setting."""
    from types import SimpleNamespace

    from assistant.advisor import calibrated, setting
    from assistant.data import load as load_data

    two = calibrated("either", 0.6, 0.9, 0.5, 1.0, 1.0)
    three = calibrated("either", 0.6, 0.9, 0.5, 2 / 3, 0.0)
    assert two > three
    work = SimpleNamespace(decision=SimpleNamespace(candidates=["a", "b", "c"]),
                           state=SimpleNamespace(options=SimpleNamespace(
                               compared={"x.md": ["a", "b", "c"], "y.md": ["d", "e"]})))
    assert setting(work) == (2 / 3, 0.0)
    maps = load_data("calibration")["confidence"]
    saved = maps["either"]
    try:
        maps["either"] = saved[:3] + saved[-1:]  # logits and length only, as fitted before
        assert calibrated("either", 0.6, 0.9, 0.5, 1.0, 1.0) == \
            calibrated("either", 0.6, 0.9, 0.5, 2 / 3, 0.0)
    finally:
        maps["either"] = saved
