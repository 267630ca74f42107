"""Shared fixtures: the real packaged model (loaded once), a real FAISS index built once per
session in a temp dir, and a temp index dir for every test so nothing touches ./index."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FIXTURES = ROOT / "tests" / "fixtures"
# The article as published (flattened page text), kept in the repo so a fresh clone can test.
ARTICLE = FIXTURES / "pytorch-vs-tensorflow-2025.txt"
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(autouse=True)
def isolated_index(tmp_path, monkeypatch):
    """Each test gets its own empty index dir (and the repo corpus) via env vars."""
    index_dir = tmp_path / "index"
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(index_dir))
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(CORPUS))
    return index_dir


@pytest.fixture(scope="session")
def embedder():
    from assistant.embedding import Embedder

    return Embedder.shared().warm_up()


@pytest.fixture(scope="session")
def built_index_dir(tmp_path_factory, embedder):
    """A real index of the repo corpus, built once for the session."""
    from assistant.store import ensure_index

    index_dir = tmp_path_factory.mktemp("session-index")
    ensure_index(CORPUS, index_dir, embedder)
    return index_dir


@pytest.fixture(scope="session")
def config(built_index_dir):
    from assistant.config import Config

    return Config(corpus_dir=CORPUS, index_dir=built_index_dir)


@pytest.fixture(scope="session")
def advisor(config, embedder):
    """A warm Advisor over the session index (shared; treat as read-only)."""
    from assistant.advisor import Advisor

    return Advisor(config, embedder=embedder).warm_up()


def page_advisor(tmp_path_factory, embedder, name: str, text: str):
    """A warm Advisor over a one-page corpus ({name}.md holding `text`), indexed in a temp dir."""
    return pages_advisor(tmp_path_factory, embedder, name, {f"{name}.md": text})


def pages_advisor(tmp_path_factory, embedder, name: str, pages: dict[str, str]):
    """A warm Advisor over a corpus of the given files (name -> text), indexed in a temp dir."""
    corpus = tmp_path_factory.mktemp(name)
    for file, text in pages.items():
        (corpus / file).write_text(text, encoding="utf-8")
    return corpus_advisor(tmp_path_factory, embedder, corpus, f"{name}-index")


def corpus_advisor(tmp_path_factory, embedder, corpus, name: str):
    """A warm Advisor over an existing corpus folder, indexed in a temp dir named `name`."""
    from assistant.advisor import Advisor
    from assistant.config import Config

    index_dir = tmp_path_factory.mktemp(name)
    return Advisor(Config(corpus_dir=corpus, index_dir=index_dir), embedder=embedder).warm_up()


@pytest.fixture(scope="session")
def artifacts_dir():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="module")
def standin():
    """A local HTTP stand-in for Slack's Web API, response_urls and webhooks (records calls)."""
    from slack_standin import SlackStandIn

    with SlackStandIn() as s:
        yield s


@pytest.fixture(scope="module")
def server(advisor, standin):
    """The one ASGI app (API + Slack, no UI) under uvicorn on a free 127.0.0.1 port."""
    from assistant.server import ServerSettings, create_app
    from slack_standin import BOT_TOKEN, SIGNING_SECRET, LiveServer

    settings = ServerSettings(slack_signing_secret=SIGNING_SECRET, slack_bot_token=BOT_TOKEN,
                              slack_api_url=standin.api_url, ui=False)
    with LiveServer(create_app(advisor, settings)) as live:
        yield live
