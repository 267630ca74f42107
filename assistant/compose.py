"""Retrieved passages -> a grounded Answer: evidence, verdict, cited sentences, or abstention.

Steps: (1) decide whether the corpus covers the question (dense similarity + whether the best
passages contain the question's topic terms; prompt-injection phrasing abstains); (2) pick
evidence passages and, inside each, the sentences that answer the question (verbatim);
(3) for choice questions, weigh the stance of the evidence (stance.py) into a verdict with
confidence; (4) write the answer: verdict sentence first, then one cited sentence per reason.
A table row is quoted cell by cell ("Browser — PyTorch: …; TensorFlow: …").
"""
from __future__ import annotations

import json
import re

from .advisor import Answer, Citation
from .stance import PYTORCH, TENSORFLOW, Stance, frameworks_in, passage_stance
from .text import content_terms, has_term, is_injection, question_kind, split_sentences

# Calibrated on eval/faq.jsonl (see evaluation.py); cosine is query-vs-passage similarity.
MIN_COSINE = 0.28           # below this nothing in the corpus is about the question
CONFIDENT_COSINE = 0.55     # at or above this, lexical coverage is not required
MIN_COVERAGE = 0.5          # share of topic terms the best passage must contain (exclusive)
RELATIVE_FLOOR = 0.80       # evidence must score within this share of the best cosine
MAX_REASONS = 3
LABELS = {PYTORCH: "PyTorch", TENSORFLOW: "TensorFlow", "either": "Either"}
SCOPE_NOTE = ("I can answer questions the corpus covers: PyTorch vs TensorFlow on "
              "architecture, training performance, compilers, GPU memory and mixed precision, "
              "distributed training, deployment (server, mobile, browser, edge), ecosystem, "
              "adoption, and when to choose each.")


def coverage(terms: list[str], passage) -> float:
    """Share of topic terms found in the passage text or its heading path."""
    if not terms:
        return 1.0
    haystack = passage.text + " " + passage.meta.get("heading_path", "")
    return sum(has_term(haystack, t) for t in terms) / len(terms)


def should_abstain(question: str, passages: list) -> tuple[bool, str]:
    if is_injection(question):
        return True, "instructions aimed at the assistant, not a question the corpus answers"
    if not passages or passages[0].cosine < MIN_COSINE and \
            max(p.cosine for p in passages) < MIN_COSINE:
        return True, "nothing in the corpus is close to the question"
    terms = content_terms(question)
    best_cos = max(p.cosine for p in passages)
    best_cov = max(coverage(terms, p) for p in passages[:5])
    if terms and best_cov <= MIN_COVERAGE and best_cos < CONFIDENT_COSINE:
        return True, "the corpus does not mention what the question is about"
    return False, ""


def pick_evidence(terms: list[str], passages: list, k: int) -> list:
    """Passages close to the best one, ordered by fused rank; at most k."""
    best = max(p.cosine for p in passages)
    floor = max(MIN_COSINE, best * RELATIVE_FLOOR)
    chosen = [p for p in passages if p.cosine >= floor or
              (terms and coverage(terms, p) >= 0.99 and p.cosine >= MIN_COSINE)]
    return chosen[:k]


def best_sentences(terms: list[str], passage, limit: int = 2) -> str:
    """The passage's sentences that best match the terms, as one verbatim span."""
    text = passage.text
    if passage.meta.get("kind") == "table_row":
        return text
    spans = split_sentences(text)
    if len(spans) <= 1:
        return text
    scored = []
    for i, (a, b) in enumerate(spans):
        sentence = text[a:b]
        overlap = sum(has_term(sentence, t) for t in terms)
        scored.append((overlap, -i, a, b))
    scored.sort(reverse=True)
    top = sorted(scored[:limit], key=lambda s: s[2])
    if top[0][0] == 0 and len(top) > 1:  # no overlap at all: the lead sentence
        top = [min(scored, key=lambda s: s[2])]
    if len(top) == 2 and top[1][0] == 0:
        top = top[:1]
    a, b = top[0][2], top[-1][3]
    return text[a:b]


def row_sentence(passage) -> str:
    """'Browser — PyTorch: Limited (ONNX path); TensorFlow: TensorFlow.js (mature)'."""
    header = json.loads(passage.meta["table_header"])
    cells = json.loads(passage.meta["row_cells"])
    parts = [f"{h}: {c}" for h, c in zip(header[1:], cells[1:])]
    return f"{cells[0]} — " + "; ".join(parts)


def weigh(evidence: list, question_fws: list[str]) -> tuple[Stance, list]:
    """Sum stance over evidence, weighting closer passages more; returns per-passage stances."""
    total, per = Stance(), []
    best = max(p.cosine for p in evidence)
    for rank, p in enumerate(evidence):
        s = passage_stance(p.node)
        weight = (p.cosine / best) ** 2 / (1 + 0.25 * rank)
        total.add(s, weight)
        per.append(s)
    return total, per


def decide(total: Stance) -> tuple[str, float]:
    """Verdict and confidence in [0, 1] from summed stance."""
    pt, tf, either = total.pytorch, total.tensorflow, total.either
    strength = pt + tf + either
    if strength < 0.3:
        return "either", 0.4
    lead = max(pt, tf)
    margin = abs(pt - tf) / (pt + tf) if pt + tf else 0.0
    if either >= lead or margin < 0.25:
        share = (either + min(pt, tf)) / strength
        return "either", round(min(0.9, 0.45 + 0.45 * share), 2)
    verdict = PYTORCH if pt > tf else TENSORFLOW
    certainty = min(1.0, lead / 3.0)  # more cue evidence, more certain
    return verdict, round(min(0.97, 0.5 + 0.3 * margin + 0.17 * certainty), 2)


def compose_answer(question: str, query: str, passages: list, k: int) -> Answer:
    """Build the Answer for question from passages retrieved for query."""
    abstain, why = should_abstain(query, passages)
    if abstain:
        return Answer(question=question, answer=f"The corpus doesn't cover that ({why}), so "
                          f"I won't guess. {SCOPE_NOTE}", verdict=None, confidence=0.0,
                          abstained=True, citations=[])
    terms = content_terms(query)
    evidence = pick_evidence(terms, passages, k)
    kind = question_kind(query)
    citations, sentences = [], []
    for p in evidence[:MAX_REASONS if kind == "choice" else k]:
        n = len(citations) + 1
        if p.meta.get("kind") == "table_row":
            quote, sentence = p.text, row_sentence(p)
        else:
            quote = best_sentences(terms, p)
            sentence = quote
        citations.append(Citation(n=n, id=p.node.node_id, source=p.meta["source"],
                                      section=p.meta["section"], text=quote,
                                      score=round(p.cosine, 4)))
        sentences.append(_with_marker(sentence, n))
        if kind != "choice" and len(sentences) >= MAX_REASONS:
            break
    verdict, confidence = None, round(min(1.0, max(p.cosine for p in evidence)), 2)
    if kind == "choice":
        total, _ = weigh(evidence, frameworks_in(query))
        verdict, confidence = decide(total)
        markers = "".join(f"[{c.n}]" for c in citations)
        lead = (f"{LABELS[verdict]} is the better fit here {markers}." if verdict != "either"
                else f"Either — it depends on your workload; the evidence does not favour one "
                     f"framework outright {markers}.")
        sentences.insert(0, lead)
    return Answer(question=question, answer=" ".join(sentences), verdict=verdict,
                      confidence=confidence, abstained=False, citations=citations,
                      table=_table(evidence))


def _with_marker(sentence: str, n: int) -> str:
    sentence = sentence.rstrip()
    if sentence.endswith((".", "!", "?")):
        return f"{sentence[:-1]} [{n}]{sentence[-1]}"
    return f"{sentence} [{n}]."


def _table(evidence: list) -> dict | None:
    """Header + rows of the table the best row belongs to, for surfaces that render tables."""
    rows = [p for p in evidence if p.meta.get("kind") == "table_row"]
    if not rows:
        return None
    table_id = rows[0].meta["table_id"]
    same = [p for p in rows if p.meta["table_id"] == table_id]
    return {"section": rows[0].meta["section"],
            "header": json.loads(rows[0].meta["table_header"]),
            "rows": [json.loads(p.meta["row_cells"]) for p in same]}
