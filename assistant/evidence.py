"""Evidence: the retrieved passages re-ranked for a question, each with a short verbatim quote.

Relevance blends the fused retrieval score with the passage's cosine to the whole question and
to its best clause, and with how much of the question's rare vocabulary it holds (a term's
weight is its IDF in the corpus). Nothing retrieval ranks on top is dropped: re-ranking only
reorders the retrieved list. Quotes are verbatim: a table row whole, a short paragraph whole,
else the sentence (with its neighbour when very short) that shares most rare terms with the
question. Sentences that address an assistant are never quoted.
Not handled: quoting across two passages, or paraphrasing.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from .lexical import content_terms, sentence_spans, term_set, terms

WHOLE = 320         # quote paragraphs up to this length whole
W_COSINE, W_SENTENCE, W_TERMS = 1.0, 0.0, 0.3


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
    return {t: lexical.rarity(t) for t in set(terms(question))
            if t in words or lexical.document_frequency(t)}


def matched(weighted: dict[str, float], text: str) -> float:
    total = sum(weighted.values())
    if not total:
        return 0.0
    found = term_set(text)
    return sum(w for t, w in weighted.items() if t in found) / total


def haystack(passage) -> str:
    return passage.meta.get("heading_path", "") + "\n" + passage.text


def rank(question: str, passages: list, lexical, k: int, parts: list[str] | None = None,
         roles: list[float] | None = None) -> list[Evidence]:
    """The k most relevant passages, best first. With the question's sentences (`parts`) and
    their `roles`, a passage that answers a weighty sentence well ranks higher."""
    if not passages:
        return []
    weighted = weights(question, lexical)
    parts = parts or [question]
    roles = roles if roles and len(roles) == len(parts) else [1.0] * len(parts)
    per_part = [weights(part, lexical) for part in parts]
    top_fused = max(p.score for p in passages) or 1.0
    scored = []
    for p in passages:
        text = haystack(p)
        share = max(r * matched(w, text) for r, w in zip(roles, per_part)) if len(parts) > 1 \
            else matched(weighted, text)
        cosines = p.sentence_cosines if len(p.sentence_cosines) == len(parts) else [p.cosine]
        sentence = max(r * c for r, c in zip(roles, cosines))
        score = p.score / top_fused + W_COSINE * p.cosine + W_SENTENCE * sentence + \
            W_TERMS * share
        fits = [c + matched(w, text) for c, w in zip(cosines, per_part)] \
            if len(cosines) == len(parts) else [1.0]
        role = roles[max(range(len(fits)), key=fits.__getitem__)] if len(fits) > 1 else 1.0
        scored.append((score, share, p, role))
    scored.sort(key=lambda s: -s[0])
    best = scored[0][0] or 1.0
    return [Evidence(p, s, max(0.0, s / best), quote(weighted, p), share, role)
            for s, share, p, role in scored[:k]]


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
    if b - a < 90 and i + 1 < len(spans):
        b = spans[i + 1][1]
    elif b - a < 90 and i > 0:
        a = spans[i - 1][0]
    return text[a:b]
