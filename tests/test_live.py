"""Live pick-up: a running `assistant serve` notices a new document, rebuilds in the background
and swaps the index in while a client keeps asking (zero failed requests); POST /api/reindex
does the same on demand behind the API token; /healthz shows build time and document count."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest

from conftest import CORPUS, ROOT
from slack_standin import LiveServer

NEW_DOC = """---
title: Kestrel Cluster Notes
author: Infra Team
date: 2025-09-30
---

# Kestrel Cluster Notes

## Hardware

The Kestrel training cluster in Oslo has 4,096 Gaudi 3 accelerators connected by 800G Ethernet.
"""
NEW_QUESTION = "How many Gaudi 3 accelerators does the Kestrel training cluster have?"
STREAM_QUESTIONS = ["TF or PyTorch for browser?", "Which framework do LLMs use?",
                    "TF or PyTorch for mobile?"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cites(body: dict, source_end: str) -> bool:
    return any(c["source"].endswith(source_end) for c in body.get("citations", []))


@pytest.fixture
def workspace(tmp_path, built_index_dir):
    """A corpus copy and a copy of the session index built from identical files (so it loads)."""
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(CORPUS, corpus)
    shutil.copytree(built_index_dir, index_dir, ignore=shutil.ignore_patterns(".*lock"))
    return corpus, index_dir


class Stream(threading.Thread):
    """A client that keeps asking, one request at a time, and records every outcome."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url, self.stop, self.results = url, threading.Event(), []

    def run(self):
        with httpx.Client(timeout=60) as client:
            n = 0
            while not self.stop.is_set():
                question = STREAM_QUESTIONS[n % len(STREAM_QUESTIONS)]
                started = time.monotonic()
                try:
                    resp = client.post(self.url + "/api/ask", json={"question": question})
                    ok = resp.status_code == 200 and bool(resp.json().get("answer"))
                    outcome = resp.status_code
                except httpx.HTTPError as exc:
                    ok, outcome = False, repr(exc)
                self.results.append((started, time.monotonic(), ok, outcome))
                n += 1


@pytest.mark.slow
def test_running_server_picks_up_a_new_document_under_load(workspace, tmp_path, artifacts_dir):
    corpus, index_dir = workspace
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    env.pop("ASSISTANT_API_TOKEN", None)
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(  # the global options after the subcommand, as a user types them
        [sys.executable, "-m", "assistant.cli", "serve", "--corpus", str(corpus), "--index-dir",
         str(index_dir), "--port", str(port)], cwd=ROOT, env=env, stdout=log, stderr=log)
    stream = Stream(url)
    try:
        health = _wait_healthy(url, proc, tmp_path / "serve.log")
        assert health["documents"] == 1 and health["watching"] is True
        before = health["built_at"]
        stream.start()
        time.sleep(2)  # the stream is flowing before the document arrives
        (corpus / "kestrel.md").write_text(NEW_DOC, encoding="utf-8")
        written = time.monotonic()
        answered = None
        with httpx.Client(timeout=60) as client:
            while time.monotonic() - written < 120:
                body = client.post(url + "/api/ask", json={"question": NEW_QUESTION}).json()
                if cites(body, "kestrel.md"):
                    answered = time.monotonic()
                    break
                time.sleep(0.1)
        time.sleep(1)  # keep streaming across the swap
        stream.stop.set()
        stream.join(timeout=60)
        health = httpx.get(url + "/healthz", timeout=30).json()
    finally:
        stream.stop.set()
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
    server_log = (tmp_path / "serve.log").read_text()
    assert answered is not None, server_log[-3000:]
    reindex = health["last_reindex"]
    assert reindex["rebuilt"] and reindex["swapped"] and reindex["error"] is None
    assert health["documents"] == 2 and health["built_at"] != before
    latency = answered - written
    failures = [r for r in stream.results if not r[2]]
    during = [r for r in stream.results if written <= r[0] <= answered]
    figures = {"rebuild_seconds": reindex["seconds"], "added_to_answered_seconds": round(latency, 2),
               "requests": len(stream.results), "requests_during_pick_up": len(during),
               "failed": len(failures), "poll_seconds": health["poll_seconds"]}
    (artifacts_dir / "live-pickup.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(f"\nlive pick-up: {figures}")
    assert not failures, failures[:5]
    assert len(during) >= 3, "the stream should keep being answered while the index rebuilds"
    assert latency <= reindex["seconds"] + 2.0, figures
    assert "index rebuilt (corpus changed)" in server_log


def _wait_healthy(url, proc, log_path, timeout=180) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, log_path.read_text()[-3000:]
        try:
            resp = httpx.get(url + "/healthz", timeout=5)
            if resp.status_code == 200:
                return resp.json()
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError("server did not become healthy: " + log_path.read_text()[-3000:])


# --- POST /api/reindex, in-process ------------------------------------------------------------

@pytest.fixture
def api(workspace, embedder):
    from assistant.advisor import Advisor
    from assistant.config import Config
    from assistant.server import ServerSettings, create_app
    from assistant.watch import LiveIndex

    corpus, index_dir = workspace
    advisor = Advisor(Config(corpus_dir=corpus, index_dir=index_dir), embedder=embedder).warm_up()
    live = LiveIndex(advisor)  # not watching: only the API reindexes
    app = create_app(advisor, ServerSettings(api_token="s3cret", ui=False), live)
    with LiveServer(app) as server:
        yield server, corpus, advisor


def test_reindex_requires_the_token_and_reports_what_happened(api):
    server, corpus, advisor = api
    auth = {"Authorization": "Bearer s3cret"}
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        resp = httpx.post(server.url + "/api/reindex", headers=headers, timeout=30)
        assert resp.status_code == 401 and resp.json() == {"error": "missing or wrong bearer token"}
    assert httpx.get(server.url + "/api/reindex", timeout=30).status_code == 405

    same = httpx.post(server.url + "/api/reindex", headers=auth, timeout=120).json()
    assert same["rebuilt"] is False and same["swapped"] is False and same["error"] is None
    assert same["documents"] == 1

    old = advisor.index
    (corpus / "kestrel.md").write_text(NEW_DOC, encoding="utf-8")
    resp = httpx.post(server.url + "/api/reindex", headers=auth, timeout=300)
    assert resp.status_code == 200, resp.text
    done = resp.json()
    assert done["rebuilt"] and done["swapped"] and done["documents"] == 2
    assert done["nodes"] == old.count + 2  # the note's paragraph and its document-info passage
    assert advisor.index is not old and done["seconds"] > 0
    body = httpx.post(server.url + "/api/ask", json={"question": NEW_QUESTION}, headers=auth,
                      timeout=60).json()
    assert cites(body, "kestrel.md"), body
    health = httpx.get(server.url + "/healthz", timeout=30).json()
    assert health["documents"] == 2 and health["built_at"] == done["built_at"]
    assert 0 < health["build_seconds"] <= done["seconds"]
    assert health["last_reindex"]["reason"] == "requested over the API"


def test_a_failed_reindex_keeps_answering_from_the_old_index(api):
    server, corpus, advisor = api
    auth = {"Authorization": "Bearer s3cret"}
    old = advisor.index
    for path in corpus.iterdir():
        path.unlink()
    resp = httpx.post(server.url + "/api/reindex", headers=auth, timeout=60)
    assert resp.status_code == 409
    assert resp.json()["error"].startswith("no .md, .txt, .html or .pdf documents in")
    assert "still answering from the previous index" in resp.json()["error"]
    assert advisor.index is old
    body = httpx.post(server.url + "/api/ask", json={"question": "TF or PyTorch for browser?"},
                      headers=auth, timeout=60)
    assert body.status_code == 200 and body.json()["citations"]


def test_watcher_debounces_and_stops(workspace, embedder):
    from assistant.advisor import Advisor
    from assistant.config import Config
    from assistant.watch import LiveIndex, snapshot

    corpus, index_dir = workspace
    advisor = Advisor(Config(corpus_dir=corpus, index_dir=index_dir), embedder=embedder).warm_up()
    first = snapshot(corpus)
    (corpus / "notes.txt").write_text("Team notes\n\nWe deploy on Jetson Orin boards.\n")
    (corpus / ".hidden.md").write_text("# ignored\n\nNot a corpus file.\n")
    assert snapshot(corpus) != first and len(snapshot(corpus)) == 2
    live = LiveIndex(advisor, interval=0.2, quiet=0.2).start()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not (live.last and live.last["swapped"]):
            time.sleep(0.1)
        assert live.last and live.last["rebuilt"] and live.last["reason"] == "corpus changed"
        assert live.status()["documents"] == 2 and live.watching
        assert any("Jetson" in n.get_content() for n in advisor.index.nodes)
    finally:
        live.stop()
    assert not live.watching
    with pytest.raises(ValueError):
        LiveIndex(advisor, interval=0)
