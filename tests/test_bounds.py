"""A recommendation whose condition bounds a quantity ("for fleets of 200 workers or more, use
X") is for users inside that bound: a user who states a figure in the same unit outside it
is not that case, and the recommendation is no reason for them to pick X. The page is
invented here (job-queue services), so nothing in it comes from an eval set."""
from __future__ import annotations

import pytest
from conftest import page_advisor

from assistant.bounds import bounds, stated, unmet

PAGE = """# Job Queues: Ferrix vs Harbrix

The platform team compared two job-queue services for background work: Ferrix and Harbrix.

## Recommendations

For fleets of 200 workers or more, use Harbrix: its sharded broker kept queue latency flat and
setup stayed simple in our load test.

Ferrix runs as a single process with one config file, and it stores jobs in the Postgres
database the services already use.

## Comparison

| Aspect | Ferrix | Harbrix |
| --- | --- | --- |
| Retries with backoff | Yes | Yes |
| Prometheus metrics | Yes | Yes |
"""


@pytest.fixture(scope="module")
def queues(tmp_path_factory, embedder):
    return page_advisor(tmp_path_factory, embedder, "queues", PAGE)


def test_a_condition_bounds_the_quantity_written_after_its_opening_word():
    assert bounds("If you are pretraining at 34B or more across many nodes") == \
        [("b", 34.0, float("inf"))]
    assert bounds("For single-node experiments (8 GPUs or fewer)") == \
        [("gpu", float("-inf"), 8.0)]
    assert bounds("For new training code at 7B to 13B") == [("b", 7.0, 13.0)]
    assert bounds("when you run 200+ workers") == \
        [("worker", 200.0, float("inf"))]
    assert bounds("for 70B+ models") == [("b", 70.0, float("inf"))]
    (unit, low, high), = bounds("when you have a latency SLO under 50 ms")
    assert unit == "second" and 0.0499 < high < 0.05 and low == float("-inf")
    assert bounds("it cut p95 latency by more than 20%") == []  # a result, not a condition
    assert bounds("Released in 2024 for 3 teams") == []  # no bounding word


def test_a_question_states_figures_with_their_units_and_bare_numbers_have_none():
    assert stated("tiny team, training a 13B on 32 H100s, ~2 million vectors, 1,200 workers, "
                  "since 2023") == [(13.0, "b"), (2.0, "m"), (1200.0, "worker")]


def test_durations_and_sizes_compare_across_their_units():
    condition = "For a nightly job that finishes in under 30 minutes"
    assert unmet(condition, stated("our nightly job takes about 3 hours"))
    assert not unmet(condition, stated("our nightly job takes about 900 s"))
    assert unmet("if your notebooks regularly need more than 16 GB", stated("we use 512 MB"))
    assert not unmet("if your notebooks regularly need more than 16 GB", stated("about 1 TB"))


def test_a_condition_is_unmet_only_when_every_figure_in_its_unit_lies_outside():
    condition = "For fleets of 200 workers or more"
    assert unmet(condition, stated("we run 20 workers"))
    assert not unmet(condition, stated("we run 500 workers"))
    assert not unmet(condition, stated("20 workers today, 800 workers next year"))
    assert not unmet(condition, stated("20 GB of jobs a day"))  # another unit says nothing
    assert not unmet(condition, [])


def test_a_recommendation_for_bigger_fleets_is_no_reason_for_a_small_one(queues):
    big = queues.ask("we run about 500 workers and need queue latency to stay flat with a "
                     "simple setup. ferrix or harbrix?")
    assert big.verdict == "harbrix", big.answer
    small = queues.ask("we run about 20 workers and need queue latency to stay flat with a "
                       "simple setup. ferrix or harbrix?")
    assert small.verdict != "harbrix", small.answer
