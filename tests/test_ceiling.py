"""The verdict ceiling tool: which items some choice between the evidence's leading option and
"either" could answer right, run through the real advisor over the article."""
from __future__ import annotations

import json

from assistant.tools.ceiling import ceiling, leader, main

BROWSER = "TF or PyTorch for running the model in the user's browser?"


def test_an_item_is_within_reach_only_by_the_leading_option_or_either(advisor):
    work = advisor.workings(BROWSER)
    assert advisor.respond(work).verdict == "tensorflow"
    assert leader(work.decision) == "tensorflow"
    items = [{"question": BROWSER, "verdict": label, "abstain": False}
             for label in ("tensorflow", "either", "pytorch")]
    result = ceiling(advisor, items)
    # right as answered; "either" is one threshold away; the other option is out of reach
    assert result == {"items": 3, "right": 1, "within_reach": 2,
                      "verdict_accuracy": 0.333, "ceiling": 0.667}


def test_fact_answers_count_as_answered_and_out_of_scope_items_are_left_out(advisor):
    items = [{"question": "When was TensorFlow first released?", "verdict": None,
              "abstain": False},
             {"question": "When was TensorFlow first released?", "verdict": "either",
              "abstain": False},
             {"question": "What's the weather in Paris tomorrow?", "verdict": None,
              "abstain": True}]
    result = ceiling(advisor, items)
    assert (result["items"], result["right"], result["within_reach"]) == (2, 1, 1)


def test_the_command_prints_one_json_line_and_rejects_a_missing_set(config, tmp_path, capsys):
    labelled = tmp_path / "set.jsonl"
    labelled.write_text(json.dumps({"question": BROWSER, "verdict": "either",
                                    "abstain": False}) + "\n", encoding="utf-8")
    args = ["--corpus", str(config.corpus_dir), "--index-dir", str(config.index_dir)]
    assert main([str(labelled), *args]) == 0
    assert json.loads(capsys.readouterr().out)["within_reach"] == 1
    assert main([str(tmp_path / "missing.jsonl"), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot read eval set") and err.count("\n") == 1
