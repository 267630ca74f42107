"""A page that compares three options, as teams write them: a name spelt two ways, nicknames,
drawback sections, three-way benchmark rows and clipped kind nouns. The page is invented here
(queues for job scheduling), so nothing in it comes from an eval set."""
from __future__ import annotations

import pytest
from conftest import page_advisor

PAGE = """# Job Queues: Beanstalk vs Kestrel vs Gearbox

This page compares three job queues the platform team runs: Apache Beanstalk, Kestrel and
Gearbox. Written by the infra guild.

## Features

| Feature | Apache Beanstalk | Kestrel | Gearbox |
| --- | --- | --- | --- |
| Delayed jobs | Yes (`tube.delay()`) | Yes | No |
| Cron-style schedules | Partial | Yes (CronSpec) | Yes |
| Priority lanes | Yes | No | Yes |

## Benchmark

| Metric | Apache Beanstalk | Kestrel | Gearbox |
| --- | --- | --- | --- |
| Enqueue latency (ms, lower is better) | 9 | 4 | 5 |
| Jobs per second sustained (higher is better) | 5,200 | 3,100 | 4,800 |
| Monthly cost (USD, lower is better) | 900 | 600 | 350 |

## When to choose Beanstalk

- You already run Beanstalk and the data team's tubes live next to yours.

## When to choose Kestrel

- Jobs are event-triggered and small, and the team is two people.

## Known limitations

### Kestrel

- Throughput falls off above a few thousand jobs per second.

### Gearbox

- The learning curve is steep: lanes, shards and drains all need to be understood first.

Tubes are the unit of work in Beanstalk; a tube holds delayed jobs.
"""


@pytest.fixture(scope="module")
def queues(tmp_path_factory, embedder):
    return page_advisor(tmp_path_factory, embedder, "queues", PAGE)


def test_a_name_spelt_two_ways_is_one_option_under_the_titles_spelling(queues):
    options = queues.options
    assert set(options.display) == {"beanstalk", "kestrel", "gearbox"}
    assert options.owner("Apache Beanstalk") == "beanstalk"
    assert options.column("Apache Beanstalk") == "beanstalk"
    assert options.owner("tube") is None  # "tube.delay()" is a method; prose says "tubes"
    assert options.owner("cronspec") is None  # a feature written once is no product name


def test_a_nickname_set_against_named_options_names_the_peer_it_spells(queues):
    options = queues.options
    assert options.named("bs vs kestrel vs gearbox, which one?") == \
        ["beanstalk", "kestrel", "gearbox"]
    assert options.named("it's between ks and gearbox") == ["kestrel", "gearbox"]
    assert options.named("we like bs") == []  # no list: no nickname
    from assistant.question import analyse  # a nickname sets options against each other too
    assert analyse("need it with zero extra code, just a flag. bs or gearbox", options
                   ).features["versus_named"] == 1.0


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


def test_the_two_leaders_of_three_are_weighed_against_each_other(queues):
    # cost: Gearbox 350 < Kestrel 600 < Beanstalk 900 (lower is better); Kestrel, second,
    # beats Beanstalk, but only the win over the runner-up decides
    answer = queues.ask("which has the lowest monthly cost in the benchmark?")
    assert answer.verdict == "gearbox", answer.answer
    answer = queues.ask("in the benchmark, who has the lowest enqueue latency?")
    assert answer.verdict == "kestrel", answer.answer


def test_a_drawbacks_section_counts_against_its_option(queues):
    from assistant.stance import heading_stance

    assert heading_stance("Known limitations > Gearbox", queues.options)[0] == {"gearbox": -1.0}
    assert heading_stance("Pros and cons > Gearbox", queues.options)[0] == {}
    # a merits section counts for it, symmetrically
    assert heading_stance("Gearbox > Strengths", queues.options)[0] == {"gearbox": 1.0}
    assert heading_stance("Kestrel's Ecosystem Advantage", queues.options)[0] == {"kestrel": 1.0}
    assert heading_stance("Gearbox > Strengths and weaknesses", queues.options)[0] == {}
    answer = queues.ask("two person team, no time to learn lanes and shards and drains. "
                        "kestrel or gearbox?")
    assert answer.verdict == "kestrel", answer.answer


def test_clipped_kind_nouns_and_default_picks_are_choices(queues):
    from assistant.question import analyse

    options = queues.options
    assert options.kinds == ["jq", "queue"]
    assert analyse("which q has the most throughput", options).kind == "fact"  # too short
    assert analyse("what's the default pick for a new service", options).kind == "choice"
    assert analyse("do any of these support priority lanes?", options).kind == "choice"
    assert analyse("who wrote this page?", options).kind == "fact"


def test_a_sentence_about_the_page_does_not_carry_the_option_before_it(queues):
    from assistant.prose import prose_parts

    text = ("Two pods quietly adopted Kestrel on their own. This page summarises what we "
            "learned. It is meant to help a team pick one quickly.")
    parts = prose_parts(text, queues.options, None)
    assert [p[3] for p in parts] == ["kestrel"] and not any(p[2] for p in parts)


def test_rates_and_durations_have_a_direction_and_either_can_be_a_pronoun(queues):
    from assistant.cues import direction
    from assistant.prose import prose_parts

    assert direction("Metadata operations (ops/s)") == 1 == direction("frames per hour")
    assert direction("USD per hour") == -1 == direction("Checkout (minutes)")
    parts = prose_parts("Run it only with an owning team. Without either, do not pick it.",
                        queues.options, "kestrel")
    assert parts[-1][2] == {"kestrel": -0.56}  # a prohibition, not "either is fine"


def test_a_tie_followed_by_but_is_no_tie(queues):
    from assistant.prose import prose_parts

    hedged = prose_parts("The right pick depends on traffic, but Kestrel is our default.",
                         queues.options, None)
    assert not any("either" in p[2] for p in hedged)
    assert any(p[2].get("kestrel", 0) > 0 for p in hedged)
    plain = prose_parts("The right pick depends on traffic.", queues.options, None)
    assert plain and "either" in plain[0][2]  # a bare hedge still says "it depends"


def test_a_cue_in_a_condition_with_its_own_subject_says_nothing_of_the_option(queues):
    from assistant.prose import prose_parts

    fits = prose_parts("It also fits when data cannot leave our network.", queues.options,
                       "kestrel")
    assert not any(p[2].get("kestrel", 0) < 0 for p in fits)
    own = prose_parts("Kestrel cannot run when it is offline.", queues.options, None)
    assert own and own[0][2].get("kestrel", 0) < 0  # the option's own "cannot" still counts


def test_between_two_and_what_instead_narrow_the_candidates(queues):
    from assistant.candidates import _narrowed

    pool = ["beanstalk", "kestrel", "gearbox"]
    options = queues.options
    assert _narrowed("gearbox got vetoed, so it's between bs and kestrel. which one?", pool,
                     options) == ["beanstalk", "kestrel"]
    assert _narrowed("we want to move off beanstalk, which queue?", pool, options) == \
        ["kestrel", "gearbox"]
    assert _narrowed("we planned on kestrel. bad idea? what instead", pool, options) == \
        ["beanstalk", "gearbox"]
    assert _narrowed("kestrel or gearbox?", ["kestrel", "gearbox"], options) == \
        ["kestrel", "gearbox"]  # never fewer than two
    assert _narrowed("kestrel instead of gearbox?", ["kestrel", "gearbox"], options) == \
        ["kestrel", "gearbox"]
    assert _narrowed("whole codebase is on gearbox. which one should we migrate to?", pool,
                     options) == ["beanstalk", "kestrel"]  # where they are is no candidate
    # two options the asking sentence sets against each other, and no third, are the choice
    assert _narrowed("our jobs are gearbox jobs. which one ports them, kestrel or bs?", pool,
                     options) == ["kestrel", "beanstalk"]
    assert _narrowed("which is best: gearbox, kestrel or bs?", pool, options) == pool
    assert _narrowed("kestrel or gearbox? we also run bs", pool, options) == \
        ["kestrel", "gearbox"]
    assert _narrowed("we run kestrel or bs. which queue then?", pool, options) == pool


def test_an_activity_in_the_title_is_no_kind_of_option(queues):
    from assistant.titles import option_kinds as _kinds

    assert _kinds({"Data Versioning for ML: Beanstalk vs Kestrel"}, queues.options) == []
    assert _kinds({"Experiment Tracking Tools"}, queues.options) == ["tool", "tracker", "tt"]
    # a document word ending the title's first part is passed over; a site name's is not;
    # a two-word kind gives its initials too ("which jq is cheapest?")
    assert _kinds({"JOB QUEUE EVALUATION: BEANSTALK, KESTREL AND GEARBOX"},
                  queues.options) == ["jq", "queue"]
    assert _kinds({"Our job broker: Beanstalk vs Kestrel · Platform Wiki"},
                  queues.options) == ["broker", "jb"]
    from assistant.question import analyse

    kinds = queues.options.kinds
    queues.options.kinds = ["queue"]
    assert analyse("which jq do we run for nightly batches?", queues.options).kind == "fact"
    queues.options.kinds = ["jq", "queue"]
    try:
        assert analyse("which jq do we run for nightly batches?", queues.options).kind == "choice"
    finally:
        queues.options.kinds = kinds


def test_a_price_the_page_states_is_answered(queues):
    work = queues.workings("how much does Gearbox cost per month?")
    assert work.signals["amount_unstated"] == 0.0  # the cost row states prices in USD
    answer = queues.respond(work)
    assert not answer.abstained and "350" in answer.answer


def test_a_sentence_with_its_own_noun_subject_is_not_about_the_option_before(queues):
    from assistant.prose import prose_parts

    text = ("If none of these clearly applies, choose Gearbox. Retries and drains are the "
            "features teams most often regret lacking.")
    parts = prose_parts(text, queues.options, None)
    assert parts[0][2] == {"gearbox": 1.0}
    assert all(not p[2] for p in parts[1:])  # no debit for Gearbox from "regret lacking"
    # under a heading about the option, the same sentence is about it
    home = prose_parts("Drains are slow to configure.", queues.options, "gearbox")
    assert home and home[0][3] == "gearbox"


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


def test_a_recommendation_holds_the_rest_of_its_condition(queues):
    from assistant.prose import prose_parts
    from assistant.votes import _part_hits

    text = ("Choose Kestrel if jobs are mostly batch, and cost is the main concern. "
            "It is also cheap.")
    parts = prose_parts(text, queues.options, None)
    hits = _part_hits(parts, text, {"batch": 1.0, "cost": 1.0, "cheap": 1.0})
    assert parts[0][2].get("kestrel", 0) > 0
    assert abs(hits[0] - 2 / 3) < 1e-9  # "batch" and "cost", not the next sentence's "cheap"


def test_a_number_joined_by_a_hyphen_is_part_of_the_options_name():
    """"Hailo-8" is the option's name as the corpus writes it; "Drover 3.1" and "PyTorch 2.x"
    are versions of Drover and PyTorch."""
    from assistant.options import header_name

    assert header_name("Hailo-8 (M.2)") == "Hailo-8"
    assert header_name("Phi-4 mini") == "Phi-4 mini"
    assert header_name("Drover 3.1") == "Drover"
    assert header_name("PyTorch 2.x (torch.compile)") == "PyTorch"


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


def test_a_recommendation_holds_its_fronted_condition_and_a_new_subject_takes_none(queues):
    from assistant.prose import prose_parts
    from assistant.votes import _part_hits

    text = "New project, small team, batch jobs on Beanstalk today: Kestrel. Gearbox is fast."
    parts = prose_parts(text, queues.options, None)
    hits = _part_hits(parts, text, {"batch": 1.0, "team": 1.0, "fast": 1.0})
    side = next(i for i, p in enumerate(parts) if p[2].get("kestrel", 0) > 0)
    assert abs(hits[side] - 2 / 3) < 1e-9  # its condition, not the next sentence
    # "…; for a small service, a hosted queue is simpler": not Gearbox's, however carried
    text = "Gearbox is the most mature; for a small service, a hosted queue is simpler and costs less."
    stances = [p[2] for p in prose_parts(text, queues.options, None)]
    assert stances[0].get("gearbox", 0) > 0 and not any(s.get("gearbox") for s in stances[1:])


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
