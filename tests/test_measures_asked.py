"""A decision record whose benchmark lists one measure per row ("Workload | Metric | Alder |
Birch | Cedar"), prose about two options at once, and questions that ask for the most or the
least of a measure, or set two of three options against each other ("between the Alder and
Birch compilers"). The page and its compilers are invented here, so nothing in it comes from
an eval set."""
from __future__ import annotations

import json

import pytest
from conftest import page_advisor

PAGE = """# Compiler decision record: Alder, Birch or Cedar

## Benchmarks

All runs on one node. Step time, peak memory and time to first step: lower is better.
Throughput: higher is better.

| Workload | Metric | Alder | Birch | Cedar |
| --- | --- | --- | --- | --- |
| Ranker MLP | Throughput (samples/s) | 221,400 | 132,100 | 213,300 |
| Ranker MLP | Peak GPU memory (GB) | 22.7 | 24.1 | 27.9 |
| Ranker MLP | Time to first step (s) | 48 | 9 | 61 |

## Feature support

| Capability | Alder | Birch | Cedar |
| --- | --- | --- | --- |
| Export to a serving bundle | Yes | No | Yes |

## Consequences

Serving is unchanged for Alder and Cedar models: both are exported to a serving bundle and
served by the bundle server.

Slow start-up. Alder and Cedar spend 48-61 s compiling before the first step, versus 9 s for
Birch. This matters for short debugging runs, not for multi-hour jobs.
"""


@pytest.fixture(scope="module")
def record(tmp_path_factory, embedder):
    return page_advisor(tmp_path_factory, embedder, "record", PAGE)


def _row(advisor, start: str) -> dict:
    node = next(n for n in advisor.index.nodes if n.text.startswith(start))
    return {k: v for part in json.loads(node.metadata["stance"]) for k, v in part[2].items()}


def test_a_metric_cell_of_several_words_sets_its_rows_direction(record):
    """"Peak GPU memory (GB)" and "Time to first step (s)" are labels, not sentences: lower
    wins on both rows."""
    memory = _row(record, "Workload: Ranker MLP | Metric: Peak GPU memory (GB)")
    assert memory["alder"] > memory["birch"] > memory.get("cedar", 0.0)
    first = _row(record, "Workload: Ranker MLP | Metric: Time to first step (s)")
    assert first["birch"] > first.get("alder", 0.0) > first.get("cedar", 0.0)


def test_asking_for_the_most_ranks_numbers_a_few_percent_apart(record):
    """221,400 against 213,300 samples/s is within the 5 % tie, but "which gives the most?"
    asks for the larger number."""
    answer = record.ask("ranking team here: which compiler gives the most samples per second "
                        "on the ranker MLP?")
    assert answer.verdict == "alder", answer.answer


def test_between_the_two_named_a_third_is_no_candidate(record):
    """"between the Alder and Birch compilers, which one can export a bundle?" is a choice of
    two, and "Alder and Cedar models: both are exported …" is a tie between Alder and an
    option not chosen among: it does not make the answer "either"."""
    answer = record.ask("we keep the bundle server for serving. between the Alder and Birch "
                        "compilers, which one can actually export a serving bundle?")
    assert answer.verdict == "alder", answer.answer


def test_a_subject_of_two_is_not_carried_to_the_next_sentence():
    """After "Alder and Cedar spend 48-61 s …", "This matters for short debugging runs" is
    about neither option alone."""
    from assistant.options import Options
    from assistant.prose import prose_parts

    options = Options({"alder": "Alder", "birch": "Birch", "cedar": "Cedar"})
    text = ("Alder and Cedar spend 48-61 s compiling before the first step, versus 9 s for "
            "Birch. This matters for short debugging runs, not for multi-hour jobs.")
    last = text.index("This matters")
    assert not [p for p in prose_parts(text, options, None) if p[0] >= last and p[3]]


TRADE = """# Queue runtimes: Alder vs Birch

## Benchmark

| Measure | Alder | Birch |
| --- | --- | --- |
| p50 latency (ms) | 4.1 | 6.3 |
| Cost (USD/month) | 1,200 | 950 |

## When to choose Alder

Choose Alder when latency matters most.

## When to choose Birch

Choose Birch when the monthly bill matters most.
"""


@pytest.fixture(scope="module")
def trade(tmp_path_factory, embedder):
    return page_advisor(tmp_path_factory, embedder, "trade", TRADE)


def test_an_amount_asked_between_two_options_the_documents_do_not_rank_gets_the_figures(trade):
    """"how much would birch save us vs alder, and how much latency would we give up?" asks for
    amounts: where the documents do not make one option the better pick, the answer gives the
    figures and no verdict (not "either"); where they do ("which is faster at p50, and by how
    much?"), the pick stays."""
    answer = trade.ask("in dollars how much would birch save us per month vs alder, and how "
                       "much p50 latency would we give up?")
    assert answer.verdict is None and not answer.abstained, answer.answer
    assert "950" in answer.answer and "1,200" in answer.answer, answer.answer
    pick = trade.ask("which is faster at p50 latency, alder or birch, and by how much?")
    assert pick.verdict == "alder", pick.answer


GATEWAYS = """# Choosing an LLM gateway: Heronix, Ibis or Jacana

Added latency is the extra median latency each gateway put on top of a direct provider call,
over one week of production traffic.

| Measure | Heronix | Ibis | Jacana |
| --- | --- | --- | --- |
| Added latency (p50) | 9 ms | 21 ms | 38 ms |
| Model providers supported | 110 | 45 | 60 |
| Memory per worker | 4 GB | 8 GB | 2 GB |
| Self-hosting | Yes | Partial | No |

## Recommendation

Heronix is our default. Ibis suits teams that want a hosted dashboard.
"""


@pytest.fixture(scope="module")
def gateways(tmp_path_factory, embedder):
    return page_advisor(tmp_path_factory, embedder, "gateways", GATEWAYS)


def test_a_row_without_a_direction_is_compared_the_way_the_question_asks(gateways):
    """"Model providers supported | 110 | 45 | 60" says nothing by itself of which is better,
    so the row takes no side at indexing (the caption's "median latency" is the latency row's
    measure, not this row's); a question that asks for more providers, or the fewest, states
    the direction."""
    latency = _row(gateways, "Measure: Added latency (p50)")
    assert latency["heronix"] > latency.get("jacana", 0.0)
    node = next(n for n in gateways.index.nodes
                if n.text.startswith("Measure: Model providers supported"))
    assert not _row(gateways, "Measure: Model providers supported")
    assert json.loads(node.metadata["row_values"]) == {"heronix": 110, "ibis": 45, "jacana": 60}
    answer = gateways.ask("ibis vs jacana, which one supports more model providers?")
    assert answer.verdict == "jacana", answer.answer
    answer = gateways.ask("ibis or jacana: which connects to fewer model providers?")
    assert answer.verdict == "ibis", answer.answer


def test_the_way_a_question_asks_replaces_the_way_a_unit_reads(gateways):
    """"Memory per worker | 4 GB | 8 GB | 2 GB" reads lower-is-better by its unit (memory
    used), but "which gives each worker the most memory?" wants the largest."""
    memory = _row(gateways, "Measure: Memory per worker")
    assert memory["jacana"] > memory.get("ibis", 0.0)  # the unit's reading, kept at indexing
    answer = gateways.ask("ibis or jacana: which one gives each worker the most memory?")
    assert answer.verdict == "ibis", answer.answer


CLOUDS = """# GPU clouds for training: Alderhost, Birchgrid or Cedarion

We tried three providers for a month of training runs.

| Provider | H100 price ($/h) | Largest cluster we could reserve | Spot capacity |
| --- | --- | --- | --- |
| Alderhost | 2.10 | 4,096 GPUs | No |
| Birchgrid | 1.90 | 512 GPUs | Yes |
| Cedarion | 2.50 | 64 GPUs | Yes |

## When to choose Alderhost

Choose Alderhost for multi-node training at scale.

## When to choose Birchgrid

Choose Birchgrid when price matters most.

## When to choose Cedarion

Choose Cedarion for quick single-node experiments.
"""


def test_a_measure_down_a_table_of_options_is_compared_the_way_the_question_asks(
        tmp_path_factory, embedder):
    """The options are listed down the "Provider" column; "Largest cluster we could reserve"
    has no known direction, so it takes no side at indexing, but "which one lets me reserve
    the biggest cluster?" says which way it wants it."""
    clouds = page_advisor(tmp_path_factory, embedder, "clouds", CLOUDS)
    row = next(n for n in clouds.index.nodes if n.text.startswith("Provider: Cedarion"))
    values = json.loads(row.metadata["measure_values"])["Largest cluster we could reserve"]
    assert values == {"alderhost": 4096, "birchgrid": 512, "cedarion": 64}
    answer = clouds.ask("cedarion or alderhost: which one lets me reserve the biggest cluster?")
    assert answer.verdict == "alderhost", answer.answer


def test_a_measured_row_of_what_the_user_wants_least_of_still_answers(gateways):
    """"which adds the least latency?" wants as little latency as possible, and the row
    "Added latency (p50)" measures it: the row answers (a row about what the user does not
    want at all, "not self-hosted", says nothing)."""
    work = gateways.workings("which of the three gateways adds the least latency?")
    row = next(c for ev, c in zip(work.ranked, work.decision.contributions)
               if ev.passage.text.startswith("Measure: Added latency"))
    assert row[1].get("heronix", 0.0) > max(row[1].get("ibis", 0.0), 0.0), row


def test_a_number_with_thousands_separators_matches_the_number_written_plain():
    """"cheapest per 1000 pages?" matches the row "Cost per 1,000 pages" on its words, and
    "4,096 GPUs" is one number to compare."""
    from assistant.lexical import BM25, terms

    assert "1000" in terms("Cost per 1,000 pages") and "4096" in terms("4,096 GPUs")
    rows = ["Cost per 1,000 pages | $0.40 | $15.00", "Throughput | 38 pages/min | 60 pages/min"]
    scores = BM25.build(rows).scores("cheapest per 1000 pages?")
    assert scores[0] > scores[1]


def test_a_number_inside_a_name_is_no_measure_to_compare():
    """"License | BSD-3-Clause | Apache 2.0": the 3 and the 2.0 belong to names, so "is the
    Ibis license more permissive?" has no numbers to compare the way it asks."""
    from assistant.options import Options
    from assistant.tables import row_numbers

    options = Options({"ibis": "Ibis", "jacana": "Jacana"})
    header = ["Category", "Ibis", "Jacana"]
    assert row_numbers(header, ["License", "BSD-3-Clause", "Apache 2.0"], options, "",
                       raw=True) == {}
    assert row_numbers(header, ["Providers", "110", "~45 (beta)"], options, "",
                       raw=True) == {"ibis": 110, "jacana": 45}
