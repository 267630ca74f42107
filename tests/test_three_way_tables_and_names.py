"""Three-way tables and names outside the queue page: joined column headers and options listed
down a table, a units or "better" column and a recommending column, a row about what the
question does not want, initials and hyphenated numbers in names, and a byline cited only when
asked about. Pages are invented here, so nothing in them comes from an eval set."""
from __future__ import annotations


def test_initials_pick_one_of_two_peers_they_spell_and_a_qualifier_may_stand_between():
    from assistant.options import Options

    options = Options({"pytorch lightning": "PyTorch Lightning", "plain pytorch": "Plain PyTorch",
                       "hugging face accelerate": "Hugging Face Accelerate"},
                      {"accelerate": "hugging face accelerate"},
                      {"doc": ["hugging face accelerate", "plain pytorch", "pytorch lightning"]})
    # "pl" spells both "PyTorch Lightning" and "Plain PyTorch"; it is the initials of one
    assert options.named("just a flag. PL or HF accelerate?") == \
        ["pytorch lightning", "hugging face accelerate"]
    assert options.named("we like PL") == []


def test_a_number_joined_by_a_hyphen_is_part_of_the_options_name():
    """"Hailo-8" is the option's name as the corpus writes it; "Drover 3.1" and "PyTorch 2.x"
    are versions of Drover and PyTorch."""
    from assistant.options import header_name

    assert header_name("Hailo-8 (M.2)") == "Hailo-8"
    assert header_name("Phi-4 mini") == "Phi-4 mini"
    assert header_name("Drover 3.1") == "Drover"
    assert header_name("PyTorch 2.x (torch.compile)") == "PyTorch"


ACROSS = """# Build Runners: Drover vs. Kiln + Forge vs. Smelt

## Measurements

| Runner / setup | Pool | Queue wait (s) | Builds per minute |
| --- | --- | --- | --- |
| Drover 3.1 | small | 40 | 12 |
| Kiln 2.0 + Forge | small | 55 | 30 |
| Smelt hosted | small | 9 | 18 |
| Drover 3.1 | large | 300 | 40 |
| Kiln 2.0 + Forge | large | 250 | 44 |

## Features

| Capability | Drover | Kiln + Forge | Smelt / SmeltCloud |
| --- | --- | --- | --- |
| Caching | Yes | Partial | Yes |
"""


def test_joined_headers_and_options_listed_down_a_table(tmp_path_factory, embedder):
    """'Kiln + Forge' and 'Smelt / SmeltCloud' columns are the title's Kiln and Smelt; a table
    that lists the options down a column is compared per measure, within rows that
    share the other labels (the same pool), in each measure's direction."""
    import json

    from assistant.advisor import Advisor
    from assistant.config import Config

    corpus = tmp_path_factory.mktemp("runners")
    (corpus / "runners.md").write_text(ACROSS, encoding="utf-8")
    advisor = Advisor(Config(corpus_dir=corpus, index_dir=tmp_path_factory.mktemp("runners-ix")),
                      embedder=embedder).warm_up()
    assert set(advisor.options.display) == {"drover", "kiln", "smelt"}
    assert advisor.options.owner("smeltcloud") == "smelt"
    rows = {n.text.split("|")[0] + n.text.split("|")[1]: json.loads(n.metadata["stance"])
            for n in advisor.index.nodes if n.text.startswith("Runner")}
    small_smelt = rows["Runner / setup: Smelt hosted  Pool: small "][0][2]
    small_drover = rows["Runner / setup: Drover 3.1  Pool: small "][0][2]
    large_kiln = rows["Runner / setup: Kiln 2.0 + Forge  Pool: large "][0][2]
    assert small_smelt["smelt"] > small_drover["drover"]  # 9 s wait: lower wins
    assert large_kiln["kiln"] > 0  # against Drover's large row only: less wait, more builds
    # one part per measure compared, spanning its cell, so the measure asked about weighs most
    node = next(n for n in advisor.index.nodes if n.text.startswith("Runner / setup: Kiln 2.0 + "
                                                                     "Forge | Pool: large"))
    spans = [node.text[a:b] for a, b, *_ in json.loads(node.metadata["stance"])]
    assert spans == ["Queue wait (s): 250", "Builds per minute: 44"]
    answer = advisor.ask("large pool: which runner gets more builds per minute, drover or kiln?")
    assert answer.verdict == "kiln", answer.answer


def test_a_units_or_better_column_states_the_direction_of_its_row():
    from assistant.options import Options
    from assistant.tables import row_numbers, row_parts

    options = Options({"feast": "Feast", "tecton": "Tecton", "hopsworks": "Hopsworks"})
    header = ["Metric", "Unit", "Better", "Feast", "Tecton", "Hopsworks"]
    build = ["Nightly build", "", "lower", "41", "24", "29"]
    assert row_numbers(header, build, options, "") == {"feast": -41, "tecton": -24,
                                                       "hopsworks": -29}
    assert max(row_parts(header, build, options, "")[0][2].items(), key=lambda kv: kv[1])[0] \
        == "tecton"
    unit = ["Nightly build", "minutes", "", "41", "24", "29"]
    assert row_numbers(header, unit, options, "") == row_numbers(header, build, options, "")
    served = ["Lookups served", "", "higher", "41", "24", "29"]
    assert row_numbers(header, served, options, "")["feast"] == 41
    unknown = ["Feature views", "", "", "41", "24", "29"]
    assert row_numbers(header, unknown, options, "") == {}


def test_a_recommending_column_names_its_rows_pick():
    from assistant.options import Options
    from assistant.tables import row_parts

    options = Options({"kestrel": "Kestrel", "gearbox": "Gearbox"})
    header = ["If your situation is…", "Recommended", "Notes"]
    picked = row_parts(header, ["New non-Gearbox service, batch jobs", "Kestrel", "Default"],
                       options, "")
    assert picked[0][2] == {"kestrel": 1.5}
    tie = row_parts(header, ["Small team", "Either", "Both are fine"], options, "")
    assert tie[0][2].get("either", 0) > 0 and not tie[0][2].get("kestrel")


def test_a_row_about_what_the_question_does_not_want_says_nothing():
    import json
    from types import SimpleNamespace

    from assistant.question import unwanted_terms
    from assistant.votes import passage_scores

    row = "Feature: HF Trainer compatibility | Kestrel: Not supported | Gearbox: Built-in"
    meta = {"kind": "table_row", "row_cells": json.dumps(["HF Trainer compatibility",
                                                          "Not supported", "Built-in"]),
            "table_header": json.dumps(["Feature", "Kestrel", "Gearbox"]),
            "option_columns": json.dumps({"1": "kestrel", "2": "gearbox"}),
            "stance": json.dumps([[0, -1, {"kestrel": -2.5, "gearbox": 0.8}, None]]),
            "heading_stance": "{}"}
    evidence = SimpleNamespace(meta=meta, passage=SimpleNamespace(text=row))
    pool, weighted = ["kestrel", "gearbox"], {"hf": 1.0, "trainer": 1.0}
    assert passage_scores(evidence, weighted, pool)["gearbox"] > 0
    assert not any(passage_scores(evidence, weighted, pool,
                                  unwanted=unwanted_terms("new model, not HF based")).values())


NOTES = """---
title: Kestrel vs Gearbox for Job Queues
author: Queue Platform Team
date: 2025-09-02
---

# Kestrel vs Gearbox for Job Queues

Both queues run on Kubernetes and export Prometheus metrics.

## When to choose Kestrel

Kestrel handles batch jobs well and its retries are simple to configure.

Kestrel stores job state in Postgres, which the platform team already backs up nightly.

## When to choose Gearbox

Gearbox is the better choice for streaming jobs with strict latency budgets.

Gearbox keeps job state in Redis and needs a separate persistence setup.

## Operations

Upgrades of either queue are rolled out by the platform team every quarter.

On-call engineers page the queue owners through the shared incident channel.
"""


def test_a_byline_is_cited_only_when_asked_about_and_no_options_is_no_crash(tmp_path_factory,
                                                                           embedder):
    from assistant.advisor import Advisor
    from assistant.config import Config

    def advisor(text):
        corpus = tmp_path_factory.mktemp("notes")
        (corpus / "notes.md").write_text(text, encoding="utf-8")
        config = Config(corpus_dir=corpus, index_dir=tmp_path_factory.mktemp("notes-index"))
        return Advisor(config, embedder=embedder).warm_up()

    notes = advisor(NOTES)
    for question in ("kestrel vs gearbox for batch jobs?", "where do they keep job state"):
        cited = notes.ask(question).citations
        assert all(c.section != "Document info" for c in cited), question
    asked = notes.ask("who published the kestrel vs gearbox notes, and when?")
    assert any(c.section == "Document info" for c in asked.citations)
    # a corpus that compares nothing: a choice question gets cited facts, not a crash
    plain = advisor(NOTES.replace("When to choose ", "About "))
    assert not plain.options.display
    answer = plain.ask("kestrel or gearbox for batch jobs?")
    assert answer.verdict is None and answer.citations
    again = plain.ask("which one?", history=["kestrel or gearbox for batch jobs?"])
    assert again.verdict is None
