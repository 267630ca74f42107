"""Smoke tests of the benchmark machinery and the starter baseline (no timed assertions)."""
from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest

from assistant.tools import bench
from assistant.tools.bench_report import render, targets
from assistant.tools.bench_scale import scale_point, synthetic_vectors
from assistant.tools.bench_server import free_port, load_test, peak_rss_mb


def test_starter_pipeline_builds_persists_and_reloads(config, embedder, tmp_path):
    from assistant.tools.baseline import StarterPipeline

    cfg = config.with_(index_dir=tmp_path / "index")
    first = StarterPipeline(cfg, embedder=embedder).warm_up()
    assert first.built and (tmp_path / "index" / "starter" / "docstore.json").is_file()
    hits = first.retrieve("TF or PyTorch for browser?")
    assert len(hits) == 2 and all(isinstance(t, str) and isinstance(s, float) for t, s in hits)
    assert hits[0][1] >= hits[1][1]
    assert any("TensorFlow.js" in t for t, _ in first.retrieve("TF or PyTorch for browser?", k=5))
    again = StarterPipeline(cfg, embedder=embedder).warm_up()
    assert not again.built
    assert again.retrieve("TF or PyTorch for browser?") == hits


def test_baseline_cli_usage_error_is_one_line():
    proc = subprocess.run([sys.executable, "-m", "assistant.tools.baseline"], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2 and proc.stderr.strip().startswith("usage:")
    assert "Traceback" not in proc.stderr


def test_eval_questions_and_percentiles():
    questions = bench.eval_questions(bench.Path(__file__).resolve().parent.parent)
    assert questions and len(set(questions)) == len(questions)
    stats = bench.percentiles([0.001, 0.002, 0.003, 0.004])
    assert stats["n"] == 4 and stats["p50_ms"] <= stats["p95_ms"] <= stats["p99_ms"]
    assert bench.percentiles([]) == {"n": 0}


def test_timed_process_reports_time_rss_and_exit_code():
    ok = bench.timed_process([sys.executable, "-c", "pass"], env={}, timeout=60)
    assert ok["rc"] == 0 and ok["seconds"] > 0 and ok["rss_mb"] > 1
    bad = bench.timed_process([sys.executable, "-c", "raise SystemExit(3)"], env={}, timeout=60)
    assert bad["rc"] == 3


def test_warm_latency_and_scale_point(advisor):
    questions = ["TF or PyTorch for browser?", "Which framework do LLMs use?"]
    warm = bench.warm_latency(advisor, questions, rounds=1)
    assert {k: v["n"] for k, v in warm.items()} == {
        "advisor_uncached": 2, "advisor_cached": 2, "floor_embed_faiss_bm25": 2}
    base = advisor.embedder.encode(["PyTorch eager mode", "TensorFlow Lite on phones"])
    vectors = synthetic_vectors(500, base)
    assert vectors.shape == (500, 384)
    assert abs(float((vectors ** 2).sum(1).mean()) - 1.0) < 1e-4
    point = scale_point(500, base, advisor.embedder, questions)
    assert point["auto_kind"] == "flat" and point["flat"]["recall_at_10"] == 1.0
    assert 0.0 <= point["hnsw"]["recall_at_10"] <= 1.0


@pytest.fixture()
def api_server(advisor):
    """The real ASGI app on 127.0.0.1 in a background thread (no UI), reusing the advisor."""
    import uvicorn

    from assistant.server import ServerSettings, create_app

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(
        create_app(advisor, ServerSettings(ui=False)), host="127.0.0.1", port=port,
        log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield port
    server.should_exit = True
    thread.join(timeout=10)


def test_load_test_against_real_server(api_server):
    level = load_test(api_server, ["TF or PyTorch for browser?", "TF or PyTorch for mobile?"],
                      clients=2, seconds=1.0, max_requests=40)
    assert level["clients"] == 2 and level["errors"] == 0 and 0 < level["requests"] <= 40
    assert level["p50_ms"] <= level["p99_ms"]
    unique = load_test(api_server, ["Which framework do LLMs use?"], clients=1, seconds=1.0,
                       max_requests=3, unique=True)
    assert unique["errors"] == 0 and unique["requests"] >= 1
    assert peak_rss_mb(__import__("os").getpid()) > 10


def test_report_renders_every_section(advisor, tmp_path):
    cold = bench.cold_start({}, runs=1, log=lambda m: None, commands={
        "assistant": [sys.executable, "-c", "pass"],
        "starter": [sys.executable, "-c", "import json"],
        "floor": [sys.executable, "-c", "pass"]})
    assert 0 < cold["share_of_starter"] and "over_floor_s" in cold
    questions = ["TF or PyTorch for browser?"]
    base = advisor.embedder.encode(["PyTorch eager mode", "TensorFlow Lite on phones"])
    results = {
        "quick": True, "machine": bench.machine(), "questions": 1, "total_s": 1.0,
        "cold_start": cold, "warm": bench.warm_latency(advisor, questions, rounds=1),
        "scale": {"points": [scale_point(300, base, advisor.embedder, questions)],
                  "approx_from": 50_000, "search_k": 30, "faiss_threads": 1, "vectors": "test"},
        "index_build": {"gpu": "no GPU this run"},
        "server": {"command": "x", "workers": 2, "ready_s": 1.0, "peak_rss_mb": 300.0,
                   "levels": [{"clients": 16, "requests": 10, "rps": 200.0, "p50_ms": 5.0,
                               "p99_ms": 9.0, "errors": 0, "seconds": 1.0}]},
    }
    results["targets"] = targets(results)
    met = {t["target"]: t["met"] for t in results["targets"]}
    assert met["/api/ask errors at 16 clients"] is True and met["`serve` peak RSS (MiB)"] is True
    assert met["query p50 at 100k chunks (ms)"] is None  # not measured in this result
    text = render(results)
    for heading in ("## Summary", "## Targets", "## Cold start", "## Warm latency",
                    "## Server throughput", "## Index build", "## Scale"):
        assert heading in text
    assert "no GPU this run" in text and "| assistant |" in text and "| floor |" in text
    assert "cold `assistant ask` / starter (same run)" in met
