"""Targets and the Markdown report for `assistant bench` (see bench.py for the measurements)."""
from __future__ import annotations


def _get(d: dict, *path, default=None):
    for key in path:
        if not isinstance(d, dict) or key not in d:
            return default
        d = d[key]
    return d


def _level(results: dict, clients: int) -> dict:
    return next((lv for lv in _get(results, "server", "levels", default=[])
                 if lv["clients"] == clients), {})


def _point(results: dict, chunks: int) -> dict:
    return next((p for p in _get(results, "scale", "points", default=[])
                 if p["chunks"] == chunks), {})


def targets(results: dict) -> list[dict]:
    """Each goal of the issue with the measured value and whether it is met (None = not run)."""
    def row(name, value, goal, ok):
        return {"target": name, "measured": value, "goal": goal,
                "met": None if value is None else bool(ok(value))}

    warm = _get(results, "warm", "advisor_uncached", default={})
    level16 = _level(results, 16)
    point = _point(results, 100_000)
    auto = point.get(point.get("auto_kind", ""), {})
    gpu = next((v.get("chunks_per_s") for k, v in _get(results, "index_build", default={}).items()
                if k.startswith("cuda/") and isinstance(v, dict)), None)
    rows = [
        row("cold `assistant ask` / starter (same run)",
            _get(results, "cold_start", "share_of_starter"), "<= 0.10", lambda v: v <= 0.10),
        row("cold `assistant ask` (median, s)", _get(results, "cold_start", "assistant", "median_s"),
            "<= 2.5", lambda v: v <= 2.5),
        row("warm answer p50 (ms, embedding uncached)", warm.get("p50_ms"), "<= 15",
            lambda v: v <= 15),
        row("warm answer p99 (ms, embedding uncached)", warm.get("p99_ms"), "<= 40",
            lambda v: v <= 40),
        row("/api/ask req/s at 16 clients", level16.get("rps"), ">= 150", lambda v: v >= 150),
        row("/api/ask p99 at 16 clients (ms)", level16.get("p99_ms"), "<= 150",
            lambda v: v <= 150),
        row("/api/ask errors at 16 clients", level16.get("errors"), "0", lambda v: v == 0),
        row("query p50 at 100k chunks (ms)", auto.get("query_p50_ms"), "<= 20",
            lambda v: v <= 20),
        row("`serve` peak RSS (MiB)", _get(results, "server", "peak_rss_mb"), "<= 1024",
            lambda v: v <= 1024),
        row("GPU index build (chunks/s)", gpu, ">= 10,000 (H100)", lambda v: v >= 10_000),
    ]
    if gpu is None:
        rows[-1]["measured"] = _get(results, "index_build", "gpu", default="not run")
    return rows


def _fmt(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:,.2f}" if v < 100 else f"{v:,.0f}"
    return f"{v:,}" if isinstance(v, int) else str(v)


def _table(header: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_fmt(c) for c in r) + " |" for r in rows]
    return lines + [""]


def summary_table(results: dict) -> list[str]:
    """The headline table (also quoted in the README's Performance section)."""
    cold = _get(results, "cold_start", default={})
    warm = _get(results, "warm", default={})
    ours, floor = warm.get("advisor_uncached", {}), warm.get("floor_embed_faiss_bm25", {})
    starter = warm.get("starter_retrieve") or warm.get("starter_retrieve_same_embedder", {})
    l16, p100 = _level(results, 16), _point(results, 100_000)
    ratio = (lambda a, b: f"{a / b:.1f}x" if a and b else "—")  # noqa: E731
    rows = [
        ["cold start, one question (s, median)", _get(cold, "assistant", "median_s"),
         _get(cold, "starter", "median_s"), ratio(_get(cold, "starter", "median_s"),
                                                  _get(cold, "assistant", "median_s"))],
        ["cold-start floor: imports + weights + index read (s)", _get(cold, "floor", "median_s"),
         "", ""],
        ["warm answer p50 / p99 (ms)", f"{_fmt(ours.get('p50_ms'))} / {_fmt(ours.get('p99_ms'))}",
         f"{_fmt(starter.get('p50_ms'))} / {_fmt(starter.get('p99_ms'))}",
         ratio(starter.get("p50_ms"), ours.get("p50_ms"))],
        ["raw floor: embed + FAISS + BM25 p50 (ms)", floor.get("p50_ms"), "", ""],
        ["/api/ask at 16 clients (req/s, p99 ms)",
         f"{_fmt(l16.get('rps'))}, {_fmt(l16.get('p99_ms'))}", "", ""],
        ["query p50 at 100k chunks (ms)",
         _get(p100, p100.get("auto_kind", "-"), "query_p50_ms"), "", ""],
        ["`serve` peak RSS (MiB)", _get(results, "server", "peak_rss_mb"), "", ""],
    ]
    return _table(["", "assistant", "llama-index starter", "starter / assistant"], rows)


def render(results: dict) -> str:
    m = results["machine"]
    out = ["# Benchmarks", "",
           f"Machine: {m['cpu']}, {m['cores']} cores, {_fmt(m['memory_mb'])} MiB RAM, "
           f"{'no GPU this run' if 'no GPU' in str(_get(results, 'index_build', 'gpu')) else 'GPU: see index build'}; "
           f"Python {m['python']}; load average {m['load_avg']} at start, "
           f"{m.get('load_avg_end')} at end (other work on the box inflates every figure). "
           f"{m['date']}; {'--quick run' if results['quick'] else 'full run'}, "
           f"{results['total_s']} s. Reproduce: `make bench` (or `assistant bench [--quick]`).", "",
           "## Summary", ""]
    out += summary_table(results)
    out += ["## Targets", ""]
    out += _table(["target", "measured", "goal", "met"],
                  [[t["target"], t["measured"], t["goal"],
                    {True: "yes", False: "**no**", None: "not run"}[t["met"]]]
                   for t in results["targets"]])
    cold = results["cold_start"]
    out += ["## Cold start", "", f"Fresh process each run, index already built: `{cold['command']}`.", ""]
    out += _table(["pipeline", "median s", "runs s", "peak RSS MiB", "failed"],
                  [[k, cold[k]["median_s"], ", ".join(map(str, cold[k]["runs_s"])),
                    cold[k]["peak_rss_mb"], cold[k]["failed"]]
                   for k in ("assistant", "starter", "floor") if k in cold])
    out += ["## Warm latency (in-process, eval questions)", "",
            "`advisor_uncached`: query-embedding cache cleared before each question; "
            "`advisor_cached`: the same question again; floor: one query embedding + FAISS "
            "search + BM25 scores; starter: `as_retriever(similarity_top_k=2).retrieve` (with its own "
            "HuggingFaceEmbedding, and with our embedder).", ""]
    out += _table(["path", "n", "p50 ms", "p95 ms", "p99 ms", "mean ms"],
                  [[k, v.get("n"), v.get("p50_ms"), v.get("p95_ms"), v.get("p99_ms"), v.get("mean_ms")]
                   for k, v in results["warm"].items()])
    out += _server_section(results) + _build_section(results) + _scale_section(results)
    return "\n".join(out)


def _server_section(results: dict) -> list[str]:
    server = results.get("server", {})
    out = ["## Server throughput (`POST /api/ask`, 127.0.0.1)", "",
            f"`{server.get('command')}`, advisor threads {server.get('workers')}, ready in "
            f"{_fmt(server.get('ready_s'))} s. Clients cycle through the eval questions (the "
            "server's query-embedding cache warms up); the last row makes every question "
            "unique, so each request embeds its query." + (f" Error: {server['error']}"
                                                          if server.get("error") else ""), ""]
    levels = server.get("levels", []) + ([{**server["uncached"], "clients":
                                           f"{server['uncached']['clients']} (uncached)"}]
                                         if server.get("uncached") else [])
    out += _table(["clients", "requests", "req/s", "p50 ms", "p99 ms", "errors"],
                  [[lv["clients"], lv["requests"], lv["rps"], lv["p50_ms"], lv["p99_ms"], lv["errors"]]
                   for lv in levels])
    return out + [f"Peak RSS of `serve`: {_fmt(server.get('peak_rss_mb'))} MiB "
                  f"({_fmt(server.get('rss_ready_mb'))} MiB when ready).", ""]


def _build_section(results: dict) -> list[str]:
    build = results.get("index_build", {})
    out = ["## Index build", ""]
    if "corpus_build" in build:
        cb = build["corpus_build"]
        out += [f"Real corpus, full rebuild (chunk + embed + FAISS + write): {cb['chunks']} chunks "
                f"in {cb['seconds']} s = {cb['chunks_per_s']} chunks/s ({cb['backend']}, {cb['device']}).", ""]
    enc = [[k, v["chunks"], v["seconds"], v["chunks_per_s"], v["load_s"]]
           for k, v in build.items() if "/" in k]
    if enc:
        out += _table(["device/backend", "chunks", "encode s", "chunks/s", "model load s"], enc)
    return out + [f"GPU: {build.get('gpu', 'measured above')}.", ""]


def _scale_section(results: dict) -> list[str]:
    scale = results["scale"]
    out = ["## Scale (FAISS, synthetic chunks)", "",
            f"{scale['vectors']}; top-{scale['search_k']} search, FAISS threads "
            f"{scale['faiss_threads']}. The index kind switches automatically from flat (exact) "
            f"to HNSW (M=32, efSearch=256) at {scale['approx_from']:,} chunks. Recall@10 is "
            "measured against the flat index.", ""]
    rows = []
    for p in scale["points"]:
        for kind in ("flat", "hnsw"):
            k = p[kind]
            rows.append([f"{p['chunks']:,}", kind + (" (auto)" if kind == p["auto_kind"] else ""),
                         k["build_s"], k["index_mb"], k["search_p50_ms"], k["query_p50_ms"],
                         k["recall_at_10"]])
    return out + _table(["chunks", "index", "build s", "index MiB", "search p50 ms",
                         "query p50 ms (embed+search)", "recall@10"], rows)
