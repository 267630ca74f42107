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


SPEECH = """Picking a speech-to-text API for the call center
===============================================

We tried Deepgram, AssemblyAI and Amazon Transcribe on 40 hours of calls.

Results
-------

  API / model              WER     Stream latency   Price
  -----------------------  ------  ---------------  ----------
  Deepgram (Nova-2)        11.8%   310 ms           $0.26/hr
  AssemblyAI (Universal)   10.9%   620 ms           $0.37/hr
  Amazon Transcribe        13.4%   780 ms           $1.44/hr

Deepgram and AssemblyAI were run over their streaming endpoints, Amazon Transcribe over its
batch endpoint; we sent Deepgram, AssemblyAI and Amazon Transcribe the same audio.
"""


def test_products_down_a_first_column_are_options_when_no_title_names_any(tmp_path_factory,
                                                                           embedder):
    """No title sets the APIs against each other, but the table lists coined product names
    ("AssemblyAI", "Deepgram (Nova-2)") down its first column and the prose names them: they
    are the options, compared on the table's measures."""
    from assistant.advisor import Advisor
    from assistant.config import Config

    corpus = tmp_path_factory.mktemp("speech")
    (corpus / "speech.txt").write_text(SPEECH, encoding="utf-8")
    advisor = Advisor(Config(corpus_dir=corpus, index_dir=tmp_path_factory.mktemp("speech-i")),
                      embedder=embedder).warm_up()
    assert list(advisor.options.compared.values()) == [
        ["amazon transcribe", "assemblyai", "deepgram"]]
    assert advisor.ask("assemblyai or amazon transcribe, which streams with lower latency?"
                       ).verdict == "assemblyai"
    assert advisor.ask("deepgram or amazon transcribe, which is cheaper per hour?"
                       ).verdict == "deepgram"


def test_a_list_in_a_title_alone_names_no_option(tmp_path_factory, embedder):
    """Without a table that lists them, "Theory, Practice and Tools" are not options."""
    page = "# Deep Learning: Theory, Practice and Tools\n\nSome prose about training.\n"
    advisor = page_advisor(tmp_path_factory, embedder, "essay", page)
    assert not advisor.options.display
