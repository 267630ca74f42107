"""Hybrid retrieval: dense (FAISS) + BM25 over the raw question, fused by reciprocal rank.

A question of several sentences is embedded sentence by sentence in one model call (the same
cost as embedding it whole); the whole-question vector is their length-weighted mean, and each
hit also carries its cosine to every sentence, so the answer layer can tell which part of the
question a passage answers. A short question's vector is blended with its option-free form
(names every passage shares say little about relevance). Hits are deduplicated by content
(the same text from an .md and an .html copy is returned once). `mode` 'dense' or 'bm25' turns one side off; `plain=True` searches the raw question only,
with equal votes and no option-free blend (the evaluation's plain-retrieval floors).
Not handled: query expansion with synonyms (paraphrase is left to the dense side).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .lexical import content_terms

RRF_K = 60
POOL = 30           # candidates drawn from each side before fusion
BM25_WEIGHT = 1.2   # BM25 vote in the fusion, relative to the dense side (1.0)
FOCUS = 0.6         # share of the option-free question in a short question's vector
SHORT = 12          # words: a question this short gets the option-free blend
MAX_SENTENCES = 6


@dataclass
class Passage:
    """A retrieved node with its scores."""

    node: object
    score: float       # fused reciprocal-rank score
    cosine: float      # dense similarity to the whole question
    clause_cosine: float  # best similarity to any sentence of it (= cosine when one)
    bm25: float        # BM25 score for the whole question
    sentence_cosines: tuple = ()  # similarity to each sentence of the question, in order

    @property
    def text(self) -> str:
        return self.node.text

    @property
    def meta(self) -> dict:
        return self.node.metadata


def content_key(text: str) -> str:
    """Text normalised for duplicate detection: case, whitespace, markup and punctuation."""
    return " ".join(re.sub(r"[*_`#>|\\\[\]()\-–—:;,.!?\"']+", " ", text.lower()).split())


def sentences(question: str) -> list[str]:
    """The sentences of a question (lower-case starts allowed), at most MAX_SENTENCES."""
    parts = [p.strip() for p in re.split(r"(?<=[.!?])\s+|\n+", question.strip()) if p.strip()]
    if len(parts) > MAX_SENTENCES:  # fold the rest into the last one
        parts = parts[:MAX_SENTENCES - 1] + [" ".join(parts[MAX_SENTENCES - 1:])]
    return parts or [question]


class Retriever:
    """Search over a LoadedIndex with an Embedder."""

    def __init__(self, index, embedder, mode: str = "hybrid", plain: bool = False):
        from .options import Options

        if mode not in ("hybrid", "dense", "bm25"):
            raise ValueError(f"unknown retrieval mode {mode!r}")
        self.index, self.embedder, self.mode, self.plain = index, embedder, mode, plain
        self.focus, self.bm25_weight = (0.0, 1.0) if plain else (FOCUS, BM25_WEIGHT)
        self.keys = [content_key(n.text) for n in index.nodes]
        self.options = Options.from_dict(index.manifest.get("options"))

    def focused(self, query: str) -> str:
        """The query without the option names every passage shares ("PyTorch", "TF"), so the
        dense side matches what is asked about rather than the names."""
        cut = " ".join(self.options.unnamed(query).split())
        return cut if self.focus and cut != query and content_terms(cut) else query

    def vectors(self, query: str, roles: list[float] | None = None):
        """(whole-question vector, one vector per sentence), from one model call; the whole
        vector is the sentences' mean weighted by length and by `roles` (one per sentence)."""
        parts = sentences(query)
        if len(parts) == 1:
            focused = self.focused(query)
            texts = [query] if focused == query or len(query.split()) > SHORT else [query, focused]
            raw = self.embedder.encode_queries(texts)
            whole = raw[0] if len(raw) == 1 else (1 - self.focus) * raw[0] + self.focus * raw[1]
            whole = whole / np.linalg.norm(whole)
            return whole.astype(np.float32), raw[:1]
        raw = self.embedder.encode_queries(parts)
        lengths = np.array([len(p) for p in parts], dtype=np.float32)
        if roles is not None and len(roles) == len(parts):
            lengths *= np.asarray(roles, dtype=np.float32)
        whole = (raw * lengths[:, None]).sum(0)
        return (whole / np.linalg.norm(whole)).astype(np.float32), raw


    def _dense(self, vector: np.ndarray) -> list[int]:
        k = min(POOL, self.index.count)
        _, ids = self.index.faiss_index.search(vector.reshape(1, -1), k)
        return [int(i) for i in ids[0] if i >= 0]

    def _lexical(self, query: str, scores: np.ndarray | None = None) -> list[int]:
        scores = self.index.lexical.scores(query) if scores is None else scores
        top = np.argsort(-scores)[:POOL]
        return [int(i) for i in top if scores[i] > 0]

    def ranked_lists(self, query: str, vector) -> list[list[int]]:
        lists = []
        if self.mode in ("hybrid", "dense"):
            lists.append((1.0, self._dense(vector)))
        if self.mode in ("hybrid", "bm25"):
            lists.append((self.bm25_weight, self._lexical(query)))
        return lists

    def search(self, query: str, k: int = 5, expand: bool = True,
               roles: list[float] | None = None) -> list[Passage]:
        """Top-k passages for query; `roles` weighs its sentences (see question.py).
        (`expand` is kept for callers; sentences are scored, never searched separately.)"""
        if self.mode != "bm25":
            whole, parts = self.vectors(query, roles) if not self.plain else \
                (self.embedder.encode_queries([query])[0], None)
        else:
            whole, parts = np.zeros(self.index.faiss_index.d, dtype=np.float32), None
        fused: dict[int, float] = {}
        for side_weight, ids in self.ranked_lists(query, whole):
            for rank, i in enumerate(ids):
                fused[i] = fused.get(i, 0.0) + side_weight / (RRF_K + rank + 1)
        order = sorted(fused, key=fused.get, reverse=True)
        return self._passages(order, fused, query, whole, parts, k)

    def _passages(self, order, fused, query, whole, parts, k) -> list[Passage]:
        if not order:
            return []
        stored = np.stack([self.index.faiss_index.reconstruct(i) for i in order])
        cos = stored @ whole
        per_sentence = stored @ parts.T if parts is not None and len(parts) > 1 else None
        bm25 = self.index.lexical.scores(query) if self.mode != "dense" else None
        out, seen = [], set()
        for row, i in enumerate(order):
            if self.keys[i] in seen:
                continue
            seen.add(self.keys[i])
            dense = self.mode != "bm25"
            sent = tuple(float(c) for c in per_sentence[row]) if per_sentence is not None \
                else (float(cos[row]),) if dense else ()
            out.append(Passage(self.index.nodes[i], fused[i], float(cos[row]) if dense else 0.0,
                               max(sent) if sent else 0.0,
                               float(bm25[i]) if bm25 is not None else 0.0, sent))
            if len(out) >= k:
                break
        return out


def make_retriever(index, embedder, mode: str = "hybrid", plain: bool = False) -> Retriever:
    return Retriever(index, embedder, mode=mode, plain=plain)
