"""Options named in a title's list ("…: Feast, Tecton and Hopsworks") or by initials ("W&B")
are discovered when a table lists them down its first column, and are then chosen among."""
from __future__ import annotations

import pytest

from conftest import page_advisor

STORES = """# Feature Stores Compared: Feast, Tecton and Hopsworks

We measured online reads for one request fetching 50 features.

| Feature store | Online read p99 (ms, lower is better) | Minimum monthly cost (USD) |
|---|---|---|
| Feast 0.36 with Redis | 7 | 400 |
| Tecton | 5 | 6,000 |
| Hopsworks 3.7 | 4 | 1,500 |

Start with Feast if your features are mostly batch aggregates.
"""

TRACKERS = """# Experiment Tracking Tools: MLflow vs Weights & Biases vs Neptune

| Tool | Log latency (ms, lower is better) | Dashboard load (s, lower is better) |
|---|---|---|
| MLflow OSS | 4.2 | 3.8 |
| W&B Cloud | 1.3 | 1.4 |
| Neptune SaaS | 2.0 | 1.7 |
"""


@pytest.fixture(scope="module")
def stores(tmp_path_factory, embedder):
    return page_advisor(tmp_path_factory, embedder, "stores", STORES)


@pytest.fixture(scope="module")
def trackers(tmp_path_factory, embedder):
    return page_advisor(tmp_path_factory, embedder, "trackers", TRACKERS)


def test_a_title_list_confirmed_by_row_labels_makes_options(stores):
    assert list(stores.options.compared.values()) == [["feast", "hopsworks", "tecton"]]
    answer = stores.ask("which feature store has the lowest online read p99: feast, tecton "
                        "or hopsworks?")
    assert answer.verdict == "hopsworks"


def test_initials_in_row_labels_stand_for_the_title_name(trackers):
    assert list(trackers.options.compared.values()) == [["mlflow", "neptune",
                                                         "weights & biases"]]
    assert trackers.options.aliases.get("w&b") == "weights & biases"
    answer = trackers.ask("mlflow or w&b for the lowest logging latency?")
    assert answer.verdict == "weights & biases"


def test_a_list_in_a_title_alone_names_no_option(tmp_path_factory, embedder):
    """Without a table that lists them, "Theory, Practice and Tools" are not options."""
    page = "# Deep Learning: Theory, Practice and Tools\n\nSome prose about training.\n"
    advisor = page_advisor(tmp_path_factory, embedder, "essay", page)
    assert not advisor.options.display
