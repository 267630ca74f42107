"""Hybrid retrieval through llama-index: dense (FAISS) + BM25, fused by reciprocal rank.

DenseRetriever and the llama-index BM25Retriever each return NodeWithScore lists;
HybridRetriever (also a llama-index BaseRetriever) fuses them with weighted reciprocal-rank
fusion, drops duplicate texts and annotates each hit with its cosine similarity and BM25 score
(the advisor uses the cosine to decide whether the corpus covers a question at all).
`mode` selects 'hybrid', 'dense' or 'bm25' (the latter two are eval baselines).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .text import focus

RRF_K = 60
POOL = 30
FOCUS_WEIGHT = 0.4  # share of the focused question in the dense query vector  # candidates drawn from each retriever before fusion


@dataclass
class Passage:
    """A retrieved node with its scores: fused (rank), cosine (dense) and bm25."""

    node: object
    score: float
    cosine: float
    bm25: float

    @property
    def text(self) -> str:
        return self.node.get_content()

    @property
    def meta(self) -> dict:
        return self.node.metadata


def _retriever_classes():
    from llama_index.core.retrievers import BaseRetriever
    from llama_index.core.schema import NodeWithScore, QueryBundle

    class DenseRetriever(BaseRetriever):
        """Inner-product search over the persisted FAISS index."""

        def __init__(self, index, embedder, top_k: int = POOL):
            super().__init__()
            self._index, self._embedder, self.top_k = index, embedder, top_k

        def _retrieve(self, query_bundle: QueryBundle):
            vector = query_bundle.embedding
            if vector is None:
                vector = self._embedder.encode_queries([query_bundle.query_str])[0]
            k = min(self.top_k, self._index.count)
            scores, ids = self._index.faiss_index.search(
                np.asarray(vector, dtype=np.float32).reshape(1, -1), k)
            return [NodeWithScore(node=self._index.nodes[i], score=float(s))
                    for s, i in zip(scores[0], ids[0]) if i >= 0]

    class HybridRetriever(BaseRetriever):
        """Weighted reciprocal-rank fusion of dense and BM25 hits, deduplicated by text."""

        def __init__(self, index, embedder, mode: str = "hybrid", dense_weight: float = 1.0,
                     bm25_weight: float = 0.7):
            if mode not in ("hybrid", "dense", "bm25"):
                raise ValueError(f"unknown retrieval mode {mode!r}")
            super().__init__()
            self.index, self.embedder, self.mode = index, embedder, mode
            self.weights = {"dense": dense_weight, "bm25": bm25_weight}
            self.dense = DenseRetriever(index, embedder)
            self.bm25 = _bm25_class()(nodes=index.nodes, similarity_top_k=min(POOL, index.count))
            self._position = {n.node_id: i for i, n in enumerate(index.nodes)}

        def search(self, query: str, k: int = 5) -> list[Passage]:
            """Top-k passages: BM25 on the focused query, dense on a blend of the full and
            focused question (the focus keeps framework names from dominating similarity)."""
            vector = self.query_vector(query)
            return self.fuse(QueryBundle(query_str=focus(query), embedding=list(vector)),
                             vector)[:k]

        @property
        def rarity(self) -> dict:
            """stem -> log inverse document frequency over the index (rare terms weigh more)."""
            if getattr(self, "_rarity", None) is None:
                import math

                from .text import term_set

                df: dict[str, int] = {}
                for node in self.index.nodes:
                    text = node.get_content() + " " + node.metadata.get("heading_path", "")
                    for term in term_set(text):
                        df[term] = df.get(term, 0) + 1
                n = max(1, self.index.count)
                self._rarity = {t: 1.0 + math.log(n / c) for t, c in df.items()}
            return self._rarity

        def prefetch(self, queries: list[str]) -> None:
            """Embed several queries (and their focused forms) in one model call, so the
            searches that follow hit the query cache: one forward pass instead of many."""
            texts = [t for q in queries for t in (q, focus(q))]
            self.embedder.encode_queries(list(dict.fromkeys(texts)))

        def query_vector(self, query: str) -> np.ndarray:
            focused = focus(query)
            if focused == query or FOCUS_WEIGHT == 0:
                return self.embedder.encode_queries([query])[0]
            full, narrow = self.embedder.encode_queries([query, focused])
            blend = (1 - FOCUS_WEIGHT) * full + FOCUS_WEIGHT * narrow
            return (blend / np.linalg.norm(blend)).astype(np.float32)

        def _retrieve(self, query_bundle: QueryBundle):
            vector = np.asarray(query_bundle.embedding, dtype=np.float32) \
                if query_bundle.embedding is not None \
                else self.embedder.encode_queries([query_bundle.query_str])[0]
            return [NodeWithScore(node=p.node, score=p.score)
                    for p in self.fuse(query_bundle, vector)]

        def fuse(self, query_bundle, vector) -> list[Passage]:
            ranked: dict[str, list] = {}
            # _retrieve directly: the public retrieve() adds per-call instrumentation events
            if self.mode in ("hybrid", "dense"):
                ranked["dense"] = self.dense._retrieve(query_bundle)
            if self.mode in ("hybrid", "bm25"):
                ranked["bm25"] = [h for h in self.bm25._retrieve(query_bundle) if h.score > 0]
            fused: dict[str, float] = {}
            bm25_scores: dict[str, float] = {}
            for name, hits in ranked.items():
                for rank, hit in enumerate(hits):
                    fused[hit.node.node_id] = fused.get(hit.node.node_id, 0.0) + \
                        self.weights[name] / (RRF_K + rank + 1)
                    if name == "bm25":
                        bm25_scores[hit.node.node_id] = float(hit.score)
            order = sorted(fused, key=fused.get, reverse=True)
            positions = [self._position[i] for i in order if i in self._position]
            cosines = self._cosines(vector, positions)
            passages, seen_texts = [], set()
            for node_id, pos, cos in zip(order, positions, cosines):
                node = self.index.nodes[pos]
                key = " ".join(node.get_content().lower().split())
                if key in seen_texts:
                    continue
                seen_texts.add(key)
                passages.append(Passage(node, fused[node_id], float(cos),
                                        bm25_scores.get(node_id, 0.0)))
            return passages

        def _cosines(self, vector, positions: list[int]) -> np.ndarray:
            if not positions:
                return np.zeros(0, dtype=np.float32)
            faiss_index = self.index.faiss_index
            vectors = np.stack([faiss_index.reconstruct(int(p)) for p in positions])
            return vectors @ np.asarray(vector, dtype=np.float32)

    return DenseRetriever, HybridRetriever


def _bm25_class():
    """llama-index's BM25Retriever, returning the index's own node objects (the stock one
    rebuilds every hit from its metadata dict, which costs more than the search itself)."""
    from llama_index.core.schema import NodeWithScore
    from llama_index.retrievers.bm25 import BM25Retriever

    class NodeBM25Retriever(BM25Retriever):
        def __init__(self, nodes, **kwargs):
            super().__init__(nodes=nodes, **kwargs)
            self._nodes = list(nodes)

        def _retrieve(self, query_bundle):
            import bm25s

            tokens = bm25s.tokenize(query_bundle.query_str, stemmer=self.stemmer,
                                    token_pattern=self.token_pattern, show_progress=False)
            if not tokens.vocab:
                return []
            ids, scores = self.bm25.retrieve(tokens, k=self.similarity_top_k,
                                             show_progress=False, n_threads=0)
            return [NodeWithScore(node=self._nodes[int(i)], score=float(s))
                    for i, s in zip(ids[0], scores[0])]

    return NodeBM25Retriever


def make_retriever(index, embedder, mode: str = "hybrid"):
    """A HybridRetriever over a LoadedIndex (imports llama-index lazily)."""
    _, hybrid = _retriever_classes()
    return hybrid(index, embedder, mode=mode)
