"""Evidence: the retrieved passages re-ranked for a question, each with a short verbatim quote.

Relevance is a fitted probability (a logistic model in data/calibration.json, trained on the
labelled evidence of the development sets) over retrieval signals: the fused rank, the
cosine to the whole question and to its weightiest sentence, how much of the question's rare
vocabulary the passage holds (a term's weight is its IDF in the corpus), BM25, and whether its
document compares an option the question names. Nothing is dropped: re-ranking only
reorders the retrieved list (a document that addresses the assistant, see stance.py, has its
passages' relevance scaled down by its trust). Quotes are verbatim: a table row whole, a
short paragraph whole, else the sentence (with its neighbour when very short) that shares most
rare terms with the question. Sentences that address an assistant are never quoted.
Not handled: quoting across two passages, or paraphrasing.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass

from .data import load as load_data

from .lexical import content_terms, query_terms, sentence_spans, term_set

WHOLE = 450         # quote paragraphs up to this length whole
IN_PASSING = 0.5    # a passage less relevant than this (the best: 1) only mentions in passing


@dataclass
class Evidence:
    passage: object
    score: float         # blended relevance score (higher is more relevant)
    relevance: float     # 0..1, 1 for the best passage
    quote: str           # verbatim substring of the passage text
    matched: float       # share of the question's rare-term weight found in the passage
    role: float = 1.0    # weight of the question sentence this passage answers best

    @property
    def node(self):
        return self.passage.node

    @property
    def meta(self) -> dict:
        return self.passage.meta


def weights(question: str, lexical) -> dict[str, float]:
    """Question term -> IDF weight (unknown words weigh most; a compound of two words counts
    only when the corpus uses it; the corpus's form of an acronym counts too)."""
    question = lexical.expand(question)
    words = set(content_terms(question))
    return {t: lexical.rarity(t) for t in set(query_terms(question))
            if t in words or lexical.document_frequency(t)}


def matched(weighted: dict[str, float], text: str) -> float:
    total = sum(weighted.values())
    if not total:
        return 0.0
    found = term_set(text)
    return sum(w for t, w in weighted.items() if t in found) / total


def haystack(passage) -> str:
    return passage.meta.get("heading_path", "") + "\n" + passage.text


def caption_lifted(evidence: list, value, lends=lambda e: True) -> list[float]:
    """value(e) of each passage; a table row takes its caption's value when that caption is
    among the evidence (and lends, see `lends`) and its value is higher: the rows are what
    the caption is about ("Peak memory per GPU in GB …" above the Llama-34B row)."""
    captions = {" ".join(e.passage.text.split()): value(e) for e in evidence
                if e.meta.get("kind") != "table_row" and lends(e)}
    return [max(value(e), captions.get(e.meta.get("caption") or "\0", 0.0)) for e in evidence]


def not_in_passing(evidence: list) -> list:
    """The evidence at least IN_PASSING as relevant as the best, a table row counting as
    relevant as its caption (see caption_lifted)."""
    return [e for e, r in zip(evidence, caption_lifted(evidence, lambda e: e.relevance))
            if r >= IN_PASSING]


FEATURES = ["reciprocal_rank", "fused", "cosine", "cosine_gap", "sentence_cosine", "terms",
            "sentence_terms", "bm25", "table_row", "on_topic"]


def topic_match(passage, named: list[str], options) -> float:
    """1.0 when the passage's document compares an option the question names (or compares
    nothing, or nothing is named), 0.0 when it compares only others: for "PyTorch or
    TensorFlow?", a serving-engine comparison's "faster" is beside the point."""
    compared = options.compared.get(passage.meta.get("source", "")) if options else None
    return 0.0 if named and compared and not set(named) & set(compared) else 1.0


def features(question: str, passages: list, lexical, parts: list[str] | None = None,
             roles: list[float] | None = None, named: list[str] = (),
             options=None) -> list[tuple[dict, float, float]]:
    """(relevance features, term share, role of the sentence it answers best) per passage."""
    weighted = weights(question, lexical)
    parts = parts or [question]
    roles = roles if roles and len(roles) == len(parts) else [1.0] * len(parts)
    per_part = [weights(part, lexical) for part in parts] if len(parts) > 1 else [weighted]
    top_fused = max(p.score for p in passages) or 1.0
    top_cos = max(p.cosine for p in passages)
    top_bm25 = max(p.bm25 for p in passages) or 1.0
    out = []
    for rank, p in enumerate(passages):
        text = haystack(p)
        shares = [matched(w, text) for w in per_part]
        cosines = p.sentence_cosines if len(p.sentence_cosines) == len(parts) else \
            [p.cosine] * len(parts)
        fits = [c + m for c, m in zip(cosines, shares)]
        best = max(range(len(fits)), key=fits.__getitem__)
        share = matched(weighted, text)
        out.append(({"reciprocal_rank": 1 / (1 + rank), "fused": p.score / top_fused,
                     "cosine": p.cosine, "cosine_gap": p.cosine - top_cos,
                     "sentence_cosine": max(r * c for r, c in zip(roles, cosines)),
                     "terms": share,
                     "sentence_terms": max(r * m for r, m in zip(roles, shares)),
                     "bm25": p.bm25 / top_bm25,
                     "table_row": float(p.meta.get("kind") == "table_row"),
                     "on_topic": topic_match(p, named, options)},
                    share, roles[best]))
    return out


def probability(values: dict) -> float:
    """P(the passage answers the question), from the fitted relevance model."""
    fit = load_data("calibration")["relevance"]
    z = fit["bias"] + sum(fit["weights"].get(k, 0.0) * values[k] for k in FEATURES)
    return 1 / (1 + math.exp(-z))


def rank(question: str, passages: list, lexical, k: int, parts: list[str] | None = None,
         roles: list[float] | None = None, named: list[str] = (),
         options=None) -> list[Evidence]:
    """The k passages most likely to answer the question, best first. With the question's
    sentences (`parts`) and their `roles`, a passage that answers a weighty sentence well
    ranks higher."""
    if not passages:
        return []
    weighted = weights(question, lexical)
    scored = sorted(((probability(f) * float(p.meta.get("trust", 1.0)), share, p, role)
                     for (f, share, role), p in
                     zip(features(question, passages, lexical, parts, roles, named, options),
                         passages)),
                    key=lambda s: -s[0])
    best = scored[0][0] or 1.0
    kept = scored[:1] + sorted(scored[1:k], key=lambda s: _bylined(s[2], weighted))
    return [Evidence(p, s, s / best, quote(weighted, p), share, role)
            for s, share, p, role in kept]


def _bylined(passage, weighted: dict[str, float]) -> bool:
    """A title-and-byline passage that holds none of the question's terms beyond its title's
    (it matched "FAISS vs hnswlib", not "who wrote it" or "published"): cited after the rest."""
    if passage.meta.get("kind") != "doc_info":
        return False
    own = term_set(passage.text) - term_set(passage.meta.get("title", ""))
    return not own & set(weighted)


def instruction_spans(passage) -> list[tuple[int, int]]:
    return [tuple(x) for x in json.loads(passage.meta.get("instructions") or "[]")]


def quote(weighted: dict[str, float], passage) -> str:
    """Verbatim text to cite from passage."""
    text = passage.text
    bad = instruction_spans(passage)
    spans = [(a, b) for a, b in sentence_spans(text) if (a, b) not in bad and
             not any(a < y and x < b for x, y in bad)]
    if passage.meta.get("kind") == "table_row" or (len(text) <= WHOLE and not bad):
        return text
    if not spans:
        return ""
    scores = [sum(w for t, w in weighted.items() if t in term_set(text[a:b])) for a, b in spans]
    i = max(range(len(spans)), key=lambda j: (scores[j], -j))
    a, b = spans[i]
    if i + 1 < len(spans) and spans[i + 1][1] - a <= WHOLE:  # a two-sentence window
        b = spans[i + 1][1]
    elif i > 0 and b - spans[i - 1][0] <= WHOLE:
        a = spans[i - 1][0]
    return text[a:b]
