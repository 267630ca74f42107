"""Scale benchmark: FAISS build time, memory and query latency at 1k..100k synthetic chunks.

Embedding 100k real chunks would take the CPU most of the time budget, so the vectors are
synthetic: unit vectors scattered around the real corpus embeddings (clusters like real
text, not uniform noise). Queries are the real eval questions, embedded uncached each time,
so "query p50" = one query embedding + one FAISS search, as in the product. Both index kinds
are built at every size; `store.make_faiss_index` picks flat below APPROX_FROM, HNSW from there.
"""
from __future__ import annotations

import time

import numpy as np

from ..store import APPROX_FROM, make_faiss_index

SEARCH_K = 30  # the dense pool size retrieve.py draws before fusion


def rss_mb() -> float:
    """Current resident set size of this process in MiB (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def synthetic_vectors(n: int, base: np.ndarray, seed: int = 0) -> np.ndarray:
    """n unit vectors: each a random corpus embedding plus noise (cosine ~0.5-0.8 to it)."""
    rng = np.random.default_rng(seed)
    out = np.empty((n, base.shape[1]), dtype=np.float32)
    for lo in range(0, n, 20_000):  # blocks bound the temporary memory
        m = min(20_000, n - lo)
        noise = rng.standard_normal((m, base.shape[1]), dtype=np.float32)
        noise /= np.linalg.norm(noise, axis=1, keepdims=True)
        block = base[rng.integers(0, len(base), m)] + noise * rng.uniform(0.6, 1.4, (m, 1))
        out[lo:lo + m] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def _p50(samples: list[float]) -> float:
    return round(float(np.percentile(samples, 50)) * 1000, 3) if samples else float("nan")


def scale_point(n: int, base: np.ndarray, embedder, questions: list[str],
                kinds=("flat", "hnsw")) -> dict:
    """Build each index kind over n synthetic vectors; time build, memory and queries."""
    import faiss

    vectors = synthetic_vectors(n, base, seed=n)
    query_vectors = embedder.encode(questions)
    result = {"chunks": n, "auto_kind": "hnsw" if n >= APPROX_FROM else "flat"}
    truth = None
    for kind in kinds:
        before = rss_mb()
        started = time.perf_counter()
        index = make_faiss_index(vectors, kind=kind)
        build_s = time.perf_counter() - started
        memory_mb = rss_mb() - before
        size_mb = len(faiss.serialize_index(index)) / 2**20
        search, query = [], []
        for q, vec in zip(questions, query_vectors):
            t0 = time.perf_counter()
            index.search(vec.reshape(1, -1), SEARCH_K)
            search.append(time.perf_counter() - t0)
            embedder.clear_cache()
            t0 = time.perf_counter()
            index.search(embedder.encode_queries([q]), SEARCH_K)
            query.append(time.perf_counter() - t0)
        _, ids = index.search(query_vectors, 10)
        if truth is None and kind == "flat":
            truth = ids
        recall = None if truth is None else round(float(np.mean(
            [len(set(a) & set(b)) / 10 for a, b in zip(ids, truth)])), 3)
        result[kind] = {"build_s": round(build_s, 3), "index_mb": round(size_mb, 1),
                        "rss_delta_mb": round(memory_mb, 1), "search_p50_ms": _p50(search),
                        "query_p50_ms": _p50(query), "recall_at_10": recall}
        del index
    return result


def run_scale(embedder, base: np.ndarray, questions: list[str], sizes, log=print) -> dict:
    """scale_point at every size; also the FAISS thread count used."""
    import faiss

    points = []
    for n in sizes:
        started = time.perf_counter()
        points.append(scale_point(n, base, embedder, questions))
        log(f"  scale {n:>7,} chunks: {time.perf_counter() - started:.1f}s")
    return {"points": points, "approx_from": APPROX_FROM, "search_k": SEARCH_K,
            "faiss_threads": faiss.omp_get_max_threads(), "vectors": "synthetic, clustered "
            "around the real corpus embeddings; queries = eval questions embedded uncached"}
