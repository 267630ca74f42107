"""A page that compares three options, as teams write them: a name spelt two ways, nicknames,
drawback sections, three-way benchmark rows, clipped kind nouns and the candidates a question
narrows to. The page is invented here (queues for job scheduling), so nothing in it comes from
an eval set. Other three-way tables and names are in test_three_way_tables_and_names.py."""
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


def test_a_recommendation_holds_the_rest_of_its_condition(queues):
    from assistant.prose import prose_parts
    from assistant.votes import _part_hits

    text = ("Choose Kestrel if jobs are mostly batch, and cost is the main concern. "
            "It is also cheap.")
    parts = prose_parts(text, queues.options, None)
    hits = _part_hits(parts, text, {"batch": 1.0, "cost": 1.0, "cheap": 1.0})
    assert parts[0][2].get("kestrel", 0) > 0
    assert abs(hits[0] - 2 / 3) < 1e-9  # "batch" and "cost", not the next sentence's "cheap"


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
