"""Eval metrics over results: retrieval, facts, grounding, verdicts, abstention, calibration.

A result is right (for calibration) when its abstention matches the label and, when it
answers, its verdict equals the labelled one (null for factual questions). Confidence is
checked against that: expected calibration error over ten equal-width bins, and a reliability
table. "Wrong side" is the share of choice questions labelled with one option where the answer
names another option. Abstention accuracy counts every item whose refusal matches its label;
out-of-scope refused is the share of the out-of-scope items refused, false abstention that of
the answerable ones.
Fact-in-answer counts a fact when it is in what the user is shown (the answer and the quoted
passages under it); fact-in-text only in the answer's own sentences.
Not handled: partial credit for facts (all of an item's facts must appear).
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from ..lexical import STOP, sentence_spans, stem, words

K = 5
BINS = 10
# Words the advisor's own framing adds around quoted evidence (option labels come per result).
FRAMING = {stem(w) for w in (
    "either", "better", "fit", "here", "depend", "depends", "evidence", "favour", "favours",
    "option", "options", "one", "choice", "across", "board", "documents", "document", "make",
    "don't", "sources", "disagree", "does", "not", "covered", "neither", "criteria", "point",
    "different", "ways")}


@dataclass
class Result:
    item: dict
    answer: str
    verdict: str | None
    abstained: bool
    citations: list  # dicts with n, text, section
    retrieved: list[str]  # the passages a user sees (advisor: its citations), rank order
    seconds: float
    confidence: float | None = None
    extra: dict = field(default_factory=dict)


def _norm(text: str) -> str:
    text = text.replace("–", "-").replace("—", "-").replace("’", "'")
    return " ".join(text.casefold().split())


def contains_any(text: str, entry) -> bool:
    return any(_norm(a) in _norm(text) for a in (entry if isinstance(entry, list) else [entry]))


def first_hit(texts: list[str], evidence: list) -> int | None:
    """1-based rank of the first text containing any evidence entry."""
    for rank, text in enumerate(texts, 1):
        if any(contains_any(text, e) for e in evidence):
            return rank
    return None


def _content(text: str, framing: frozenset = frozenset()) -> set[str]:
    return {stem(w) for w in words(re.sub(r"\[\d+\]", " ", text))
            if w not in STOP and len(w) > 1} - FRAMING - framing


def sentence_grounding(result: Result) -> tuple[int, int]:
    """(grounded sentences, sentences) of one answer; abstentions count (0, 0). A sentence is
    grounded when >= 90% of its content words occur in the passages it cites; a choice
    answer's first sentence states the verdict and must cite."""
    if result.abstained:
        return 0, 0
    by_n = {c["n"]: c for c in result.citations}
    labels = frozenset(stem(w) for label in result.extra.get("labels", []) for w in words(label))
    spans = sentence_spans(result.answer)
    grounded = 0
    for index, (a, b) in enumerate(spans):
        sentence = result.answer[a:b]
        cited = [by_n[int(n)] for n in re.findall(r"\[(\d+)\]", sentence) if int(n) in by_n]
        if not cited:
            continue
        if index == 0 and result.verdict:
            grounded += 1
            continue
        support = _content(" ".join(c["text"] + " " + c.get("section", "") for c in cited))
        claims = _content(sentence, labels)
        if not claims or len(claims & support) / len(claims) >= 0.9:
            grounded += 1
    return grounded, len(spans)


def citations_valid(result: Result, index_texts: list[str]) -> bool:
    numbers = {c["n"] for c in result.citations}
    if any(int(n) not in numbers for n in re.findall(r"\[(\d+)\]", result.answer)):
        return False
    return all(any(c["text"] in t for t in index_texts) for c in result.citations)


def is_right(result: Result) -> bool:
    if result.abstained or result.item["abstain"]:
        return result.abstained == bool(result.item["abstain"])
    return result.verdict == result.item["verdict"]


def reliability(results: list[Result]) -> list[dict]:
    """Per confidence bin: count, mean confidence, share right."""
    rows = []
    scored = [(r.confidence, is_right(r)) for r in results if r.confidence is not None]
    for b in range(BINS):
        lo, hi = b / BINS, (b + 1) / BINS
        inside = [(c, ok) for c, ok in scored if lo <= c < hi or (b == BINS - 1 and c == 1.0)]
        if inside:
            rows.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": len(inside),
                         "confidence": round(statistics.mean(c for c, _ in inside), 3),
                         "accuracy": round(sum(ok for _, ok in inside) / len(inside), 3)})
    return rows


def ece(results: list[Result]) -> float | None:
    rows = reliability(results)
    total = sum(r["n"] for r in rows)
    if not total:
        return None
    return round(sum(r["n"] * abs(r["confidence"] - r["accuracy"]) for r in rows) / total, 3)


def wrong_side(results: list[Result]) -> float | None:
    choice = [r for r in results if not r.item["abstain"] and r.item["verdict"]]
    return _share(r.item["verdict"] != "either" and r.verdict not in (None, "either",
                                                                      r.item["verdict"])
                  for r in choice)


def metrics(results: list[Result], index_texts: list[str], k: int = K,
            answers: bool = True) -> dict:
    """All metrics; with answers=False (plain retrieval) only retrieval and facts."""
    in_scope = [r for r in results if not r.item["abstain"]]
    ranks = [first_hit(r.retrieved[:k], r.item["evidence"]) for r in in_scope
             if r.item["evidence"]]
    seconds = sorted(r.seconds for r in results)
    out = {"items": len(results), f"recall@{k}": _share(rank is not None for rank in ranks),
           "mrr": round(sum(1 / r for r in ranks if r) / len(ranks), 3) if ranks else None,
           "fact_in_answer": _share(all(contains_any(_seen(r), f) for f in r.item["facts"])
                                    for r in in_scope if r.item["facts"]),
           "fact_in_text": _share(all(contains_any(r.answer, f) for f in r.item["facts"])
                                  for r in in_scope if r.item["facts"]),
           "p50_ms": round(_quantile(seconds, 0.50) * 1000, 1),
           "p95_ms": round(_quantile(seconds, 0.95) * 1000, 1)}
    cited = [sum(len(c["text"]) for c in r.citations) for r in results if r.citations]
    out["median_cited_chars"] = statistics.median(cited) if cited else 0
    if not answers:
        return out
    grounded = [sentence_grounding(r) for r in results]
    out.update({
        "grounding": round(sum(g for g, _ in grounded) / max(1, sum(n for _, n in grounded)), 3),
        "citation_validity": _share(citations_valid(r, index_texts) for r in results),
        "verdict_accuracy": _share(r.verdict == r.item["verdict"] for r in in_scope),
        "wrong_side": wrong_side(results),
        "abstention_accuracy": _share(r.abstained == bool(r.item["abstain"]) for r in results),
        "false_abstention": _share(r.abstained for r in in_scope),
        "out_of_scope_refused": _share(r.abstained for r in results if r.item["abstain"]),
        "ece": ece(results)})
    return out


def _seen(result: Result) -> str:
    """What a user is shown: the answer and the quoted passages under it."""
    return "\n".join([result.answer, *(c["text"] for c in result.citations)])


def _share(flags) -> float | None:
    flags = list(flags)
    return round(sum(map(bool, flags)) / len(flags), 3) if flags else None


def _quantile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]
