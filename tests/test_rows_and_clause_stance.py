"""Rows of one option in several set-ups and the stance of clauses: power as a lower-is-better
measure, each option at its best row, feature rows the question asks about, hedges, ties, a
clause conceded by the "but" after it, elided denials and comparatives whose subject is
unknown. Pure functions over small made-up documents: no index needed."""
from __future__ import annotations

from assistant.options import Options


def test_a_column_each_option_fills_with_its_own_value_sets_up_no_separate_comparison():
    """"Runtime | Precision | Load time (s)" with Q4 / INT4 / int8 down "Precision": the rows
    are still compared on load time (lower wins), not each alone in its own precision."""
    import json
    from types import SimpleNamespace

    from assistant.option_rows import transposed

    options = Options({"kestrel": "Kestrel", "gearbox": "Gearbox", "beanstalk": "Beanstalk"})
    header = ["Runtime", "Precision", "Load time (s)"]
    rows = [["Kestrel", "Q4_K_M", "2.1"], ["Gearbox", "INT4", "6.8"], ["Beanstalk", "int8", "4.4"]]
    def table(name: str, rows: list) -> list:
        return [SimpleNamespace(id=f"{name}{i}", text=" | ".join(
                    f"{h}: {c}" for h, c in zip(header, r)),
                    metadata={"kind": "table_row", "table_id": name,
                              "table_header": json.dumps(header), "row_cells": json.dumps(r)})
                for i, r in enumerate(rows)]

    nodes = table("r", rows)
    parts = transposed(nodes, options)
    stance = parts["r0"][0][2]
    assert stance["kestrel"] > stance.get("beanstalk", 0.0) > stance.get("gearbox", 0.0)
    shared = [["Kestrel", "small jobs", "2.1"], ["Kestrel", "large jobs", "1.1"],
              ["Gearbox", "small jobs", "6.8"], ["Gearbox", "large jobs", "0.9"]]  # a set-up they share
    nodes = table("s", shared)
    parts = transposed(nodes, options)
    assert parts["s0"][0][2].get("kestrel", 0) > 0 and parts["s1"][0][2].get("gearbox", 0) > 0


def test_power_draw_is_lower_better_and_each_option_is_taken_at_its_best_row():
    """Two rows of one board ("15 W mode", "25 W mode") are that board at its best on each
    measure, not whichever row came last."""
    from assistant.cues import direction
    from assistant.option_rows import _best_of_rows

    assert direction("Power draw (W, wall)") == direction("Power (W)") == -1
    assert direction("W&B runs") == direction("computing power") == 0
    latency = [("jetson", "9.8"), ("jetson", "13.6"), ("hailo", "12.4"), ("coral", "41.0")]
    assert max(_best_of_rows(latency, -1).items(), key=lambda kv: kv[1])[0] == "jetson"
    power = [("jetson", "21.4"), ("jetson", "14.8"), ("hailo", "16.9"), ("coral", "11.2")]
    assert max(_best_of_rows(power, -1).items(), key=lambda kv: kv[1])[0] == "coral"
    assert "coral" not in _best_of_rows([("coral", "OOM"), ("hailo", "3")], 1)


def test_a_feature_row_the_question_asks_about_counts_double():
    """"which lib supports integrated gradients for keras?": the rows "Integrated Gradients"
    and "TensorFlow/Keras models" are about what was asked; "GPU acceleration" is not."""
    import json
    from types import SimpleNamespace

    import pytest

    from assistant.votes import passage_scores

    def row(label, cells):
        return SimpleNamespace(meta={
            "kind": "table_row", "row_cells": json.dumps([label, *cells]),
            "table_header": json.dumps(["Capability", "Kestrel", "Gearbox"]),
            "option_columns": json.dumps({"1": "kestrel", "2": "gearbox"}),
            "stance": json.dumps([[0, -1, {"kestrel": 0.5, "gearbox": -1.0}, None]]),
            "heading_stance": "{}"},
            passage=SimpleNamespace(text=f"Capability: {label} | Kestrel: Yes | Gearbox: No"))
    weighted = {"integr": 3.0, "gradient": 3.0, "integratedgradi": 5.0, "kera": 4.0}
    asked = passage_scores(row("Integrated Gradients", ["Yes", "No"]), weighted,
                           ["kestrel", "gearbox"])
    other = passage_scores(row("GPU acceleration", ["Yes", "No"]), weighted,
                           ["kestrel", "gearbox"])
    assert asked["kestrel"] == pytest.approx(2 * other["kestrel"])
    assert asked["gearbox"] == pytest.approx(2 * other["gearbox"])


def test_a_row_whose_label_the_question_mostly_holds_is_asked_about():
    """"which compiles faster before the first step?" asks about the row "Compile time (first
    step)" (most of its terms, word pairs included, are the question's); "Data Loading" shares
    only a word with "load the model" and is not asked about."""
    import json

    from assistant.lexical import term_set
    from assistant.votes import _row_asked

    def asked(label, question):
        meta = {"kind": "table_row", "row_cells": json.dumps([label, "1.0", "2.0"])}
        return _row_asked(meta, dict.fromkeys(term_set(question), 1.0), frozenset())

    assert asked("Compile time (first step)", "which compiles faster before the first step?")
    assert asked("Integrated Gradients", "which lib supports integrated gradients for keras?")
    assert not asked("Data Loading", "how long does it take to load the model?")
    assert not asked("GPU acceleration", "which lib supports integrated gradients?")


def test_a_hedge_on_the_asked_feature_does_not_count_against_the_only_option_with_it():
    """"FP8 (experimental)" in one option's cell, none in the other's: for "which supports
    fp8?" the hedge qualifies a feature only that option has."""
    import json

    from assistant.features import hedged as _hedged

    meta = {"option_columns": json.dumps({"1": "kestrel", "2": "gearbox"}),
            "row_cells": json.dumps(["Formats", "FP16, BF16, FP8 (experimental)", "FP16, BF16"])}
    assert _hedged(meta, {"fp8": 4.0}, {"kestrel": 0.9}) == {"kestrel"}
    assert _hedged(meta, {"bf16": 4.0}, {"kestrel": 0.9}) == set()  # the hedge is on FP8
    assert _hedged(meta, {"fp8": 4.0}, {}) == set()  # no option alone has what was asked


def test_avoid_it_under_a_when_to_choose_heading_counts_against_its_option():
    """"Choose it for …" credits the option the pronoun stands for, and "Avoid it for …"
    debits it; an option that "avoids" something is not advised against."""
    from assistant.prose import prose_parts

    options = Options({"kestrel": "Kestrel", "gearbox": "Gearbox"})
    text = ("Choose it for fan-out workloads across many hosts. Avoid it for small jobs and CI "
            "tests, where the 20-second start dominates. Gearbox avoids that start cost.")
    stances = [part[2] for part in prose_parts(text, options, "kestrel")]
    assert stances[:2] == [{"kestrel": 1.0}, {"kestrel": -1.0}]
    assert not any(value < 0 for value in stances[2].values())


def test_an_elided_denial_denies_what_the_clause_before_said_of_the_others():
    """"Kestrel and Gearbox replayed runs exactly. Beanstalk did not once two workers ran.":
    Beanstalk's clause is read with what it denies, and the two it contrasts with did it."""
    from assistant.prose import prose_parts

    options = Options({"kestrel": "Kestrel", "gearbox": "Gearbox", "beanstalk": "Beanstalk"})
    text = ("With fixed seeds, Kestrel and Gearbox replayed runs exactly. Beanstalk did not once "
            "two workers ran.")
    parts = {(text[a:b], subject, negated) for a, b, _, subject, negated in
             prose_parts(text, options, None)}
    first = "With fixed seeds, Kestrel and Gearbox replayed runs exactly."
    assert (first, "kestrel", False) in parts and (first, "gearbox", False) in parts
    assert (text, "beanstalk", True) in parts
    alone = "Beanstalk does not ship a UI."  # a denial with its own verb keeps its clause
    assert [(alone[a:b], subject, negated) for a, b, _, subject, negated in
            prose_parts(alone, options, None)] == [(alone, "beanstalk", True)]


def test_importance_compared_is_no_measure_compared():
    """"where time to first token matters more than decode speed" weighs two needs; it says
    nothing against the option its heading recommends."""
    from assistant.prose import prose_parts

    options = Options({"kestrel": "Kestrel", "gearbox": "Gearbox"})
    text = "Long prompts, where time to first token matters more than decode speed."
    assert not any(part[2] for part in prose_parts(text, options, "kestrel"))
    text = "Kestrel's time to first token is higher than Gearbox's."
    assert prose_parts(text, options, None)[0][2] == {"kestrel": -1.0, "gearbox": 1.0}


def test_a_clause_answered_by_but_is_conceded():
    """"X costs more than Y, but it meets the target": the writer's point is after "but"."""
    from assistant.prose import prose_parts

    options = Options({"kiln": "Kiln", "smelt": "Smelt"})
    text = ("Kiln costs more than Smelt (USD 414 vs 235), but it meets the accuracy target "
            "and is supported.")
    stances = [part[2] for part in prose_parts(text, options, None)]
    assert stances[0] == {} and stances[1].get("kiln", 0) > 0, stances
    # without "but" the cost clause keeps its say
    text = "Kiln costs more than Smelt (USD 414 vs 235). It meets the accuracy target."
    assert prose_parts(text, options, None)[0][2].get("smelt", 0) > 0


def test_a_superlative_is_read_in_the_direction_of_its_measure_and_of_the_question():
    """"the highest throughput … the lowest cost per stream" favours its option at indexing;
    "Coral has the lowest wall power" (a measure of no known direction) favours Coral only for
    a question that asks for the least power, and counts against it for one asking the most."""
    import json

    from assistant.prose import prose_parts
    from assistant.votes import passage_scores, way

    options = Options({"hailo-8": "Hailo-8", "coral": "Coral"})
    text = "Hailo-8 has the highest throughput, the most streams and the lowest cost per stream."
    assert prose_parts(text, options, None)[0][2]["hailo-8"] > 0
    assert prose_parts("Coral has the highest p99 latency.", options, None)[0][2]["coral"] < 0
    assert way("which one draws the least power?") == -1 and way("most tok/s?") == 1
    assert way("more or less the same?") == 0

    class Passage:  # one evidence passage as the verdict reads it
        text = "Coral has the lowest wall power."
        meta = {"stance": json.dumps([[0, 31, {}, "coral", False]]), "heading_stance": "{}"}
        passage = None

    Passage.passage = Passage
    weighted = {"power": 2.5, "wall": 3.0, "draw": 3.4}
    pool = ["hailo-8", "coral"]
    least = passage_scores(Passage, weighted, pool, asked=-1)["coral"]
    most = passage_scores(Passage, weighted, pool, asked=1)["coral"]
    neither = passage_scores(Passage, weighted, pool)["coral"]
    assert least > neither > most


def test_ties_in_other_words_and_a_lack_of_both_are_read():
    """"both fine choices", "treat the two as equal", "within run-to-run noise" are ties;
    "Neither B nor C can use a GPU" is a lack of each (and a tie between the two)."""
    from assistant.prose import prose_parts

    options = Options({"kestrel": "Kestrel", "gearbox": "Gearbox", "beanstalk": "Beanstalk"})
    for text in ("Kestrel and Gearbox are both fine choices for that.",
                 "The gap is within run-to-run noise, so we treat the two as equal on quality."):
        stances = [stance for _, _, stance, *_ in prose_parts(text, options, None)]
        assert any(stance.get("either", 0) > 0 for stance in stances), text
    lack = [stance for _, _, stance, *_ in
            prose_parts("Neither Gearbox nor Beanstalk can use a GPU.", options, None)]
    assert lack == [{"gearbox": -1.0, "beanstalk": -1.0, "either": 1.5}]


def test_a_tie_between_other_options_says_nothing_of_the_choice():
    """"Qdrant and Weaviate are indistinguishable" is no tie between pgvector and Qdrant."""
    from assistant.votes import _tie_of_others

    options = Options({"qdrant": "Qdrant", "weaviate": "Weaviate", "pgvector": "pgvector"})
    tie = "Hybrid quality of Qdrant and Weaviate is indistinguishable"
    assert _tie_of_others(tie, ["pgvector", "qdrant"], options)
    assert not _tie_of_others(tie, ["weaviate", "qdrant"], options)
    assert not _tie_of_others("Both are indistinguishable", ["pgvector", "qdrant"], options)


def test_a_comparison_whose_subject_is_unknown_debits_what_it_beats():
    """"… The app builder won over our stakeholders. At $36 it is slightly cheaper than
    Gearbox.": "it" is no longer known (a sentence about the app builder came between), but
    Gearbox is what was beaten: it is debited, not credited."""
    from assistant.prose import prose_parts

    options = Options({"kestrel": "Kestrel", "gearbox": "Gearbox"})
    text = ("Kestrel is what we rolled out. The app builder won over our stakeholders. At $36 "
            "per editor it is slightly cheaper than Gearbox.")
    stance = {o: v for part in prose_parts(text, options, None) for o, v in part[2].items()}
    assert stance.get("gearbox", 0.0) < 0, stance
