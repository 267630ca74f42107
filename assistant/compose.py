"""Retrieved passages -> a grounded Answer: evidence, verdict, cited sentences, or abstention.

1. Scope: abstain when nothing is close (cosine), when the best passages miss most of the
   question's topic terms, when a name in the question never appears next to the thing asked
   about it ("What license does JAX use?"), or when the message addresses the assistant's
   instructions (prompt injection).
2. Evidence: passages re-ranked by cosine plus topic-term coverage; lead-in sentences that only
   introduce a table are skipped. Table rows are quoted cell by cell; paragraphs are quoted
   whole when short, else their best-matching sentences (always verbatim).
3. Verdict (choice questions): stance of the evidence (stance.py), weighted by closeness.
   Questions that join criteria ("mobile deployment and fine-tuning LLMs") get one verdict per
   criterion (a small matrix) and an overall verdict: agreement wins, disagreement is 'either'.
4. Text: the verdict sentence first (it cites the evidence it rests on), then one cited
   sentence per reason.
"""
from __future__ import annotations

import json
import re

from .advisor import Answer, Citation
from .stance import PYTORCH, TENSORFLOW, Stance, criterion_focus, passage_stance
from .text import (asked_attribute, canonical, content_terms, entities, has_term, is_injection,
                   other_alternatives,
                   question_kind, split_sentences)

# Calibrated on eval/faq.jsonl and checked on eval/holdout.jsonl (see README, "Evaluation").
MIN_COSINE = 0.30         # below this nothing in the corpus is about the question
CONFIDENT_COSINE = 0.56   # at or above this, lexical coverage is not required
MIN_COVERAGE = 0.40       # share of topic terms the best passage must contain otherwise,
MIN_COVERED = 2           # ... or at least this many terms and a quarter of them (long questions)
COVERAGE_BONUS = 0.15     # evidence score = cosine + bonus * coverage
RELATIVE_FLOOR = 0.85     # evidence must score within this share of the best
WHOLE_PARAGRAPH = 450     # quote paragraphs up to this length whole
MAX_REASONS = 3
LABELS = {PYTORCH: "PyTorch", TENSORFLOW: "TensorFlow", "either": "Either"}
SCOPE_NOTE = ("I can answer what the corpus covers: PyTorch vs TensorFlow on architecture, "
              "training performance, compilers, GPU memory and mixed precision, distributed "
              "training, deployment (server, mobile, browser, edge), ecosystem, adoption, and "
              "when to choose each.")
_SPLIT = re.compile(r"\s+(?:and also|and|but also|but|plus|as well as|while)\s+|;\s*", re.I)
_CLAUSE = re.compile(r"\s+(?:and also|and|but also|but|plus|as well as|while)\s+|[;,.?!]\s*", re.I)


def coverage(terms: list[str], passage, rarity: dict | None = None) -> float:
    """Share of topic terms (or their synonyms) found in the passage text or heading path;
    with `rarity`, rare corpus terms ("microcontroller") count more than common ones."""
    if not terms:
        return 1.0
    weights = {t: (rarity or {}).get(t, 1.0) for t in terms}
    found = sum(w for t, w in weights.items() if has_term(_haystack(passage), t))
    return found / sum(weights.values())


def _haystack(passage) -> str:
    return passage.text + " " + passage.meta.get("heading_path", "")


def _covers_enough(terms: list[str], passages: list, min_coverage: float) -> bool:
    best = max((coverage(terms, p) for p in passages), default=0.0)
    return best >= min_coverage or (best * len(terms) >= MIN_COVERED and best >= 0.25)


def scope_check(question: str, passages: list, min_coverage: float = MIN_COVERAGE) -> str | None:
    """None when the corpus covers the question, else the reason to abstain."""
    if is_injection(question):
        return "it addresses the assistant's instructions rather than asking about the corpus"
    best_cos = max((p.cosine for p in passages), default=0.0)
    if best_cos < MIN_COSINE:
        return "nothing in the corpus is close to it"
    top = passages[:5]
    terms = content_terms(canonical(question))
    names, attribute = entities(question), asked_attribute(question)
    # a name no retrieved passage mentions ("React", "Ubuntu") counts twice: it is the subject
    unknown = [n for n in names if not any(has_term(_haystack(p), n) for p in passages)]
    if best_cos < CONFIDENT_COSINE and terms and \
            not _covers_enough(terms + unknown, top, min_coverage):
        return "the corpus does not mention what it is about"
    if other_alternatives(question) and unknown:
        return "it weighs alternatives the corpus does not cover"
    if unknown and question_kind(question) == "fact":
        return f"it asks about {', '.join(unknown)}, which the passages never mention"
    known = [n for n in names if n not in unknown]
    if len(known) >= 2 and question_kind(question) == "fact" and \
            not any(all(has_term(_haystack(p), n) for n in known) for p in top):
        return "the corpus never gives these together: " + ", ".join(known)
    if names and attribute:
        if known and not any(all(has_term(_haystack(p), n) for n in known) and
                             any(has_term(_haystack(p), a) for a in attribute) for p in top):
            return f"the corpus says nothing about the {' '.join(attribute)} of what it names"
    return None


def rank_evidence(terms: list[str], passages: list, k: int,
                  rarity: dict | None = None) -> list[tuple[float, object]]:
    """(score, passage) pairs close to the best, best first; table lead-ins skipped."""
    scored = sorted(((p.cosine + COVERAGE_BONUS * coverage(terms, p, rarity), p) for p in passages
                     if not p.text.rstrip().endswith(":")), key=lambda sp: -sp[0])
    if not scored:
        return []
    floor = scored[0][0] * RELATIVE_FLOOR
    return [(s, p) for s, p in scored if s >= floor][:k]


def quote(terms: list[str], passage) -> str:
    """Verbatim text to cite: a row or short paragraph whole, else its best sentences."""
    text = passage.text
    if passage.meta.get("kind") == "table_row" or len(text) <= WHOLE_PARAGRAPH:
        return text
    spans = split_sentences(text)
    scored = sorted(((sum(has_term(text[a:b], t) for t in terms), -i, a, b)
                     for i, (a, b) in enumerate(spans)), reverse=True)
    best = scored[0]
    if best[0] == 0:
        best = min(scored, key=lambda s: s[2])  # nothing matches: the lead sentence
    a, b = best[2], best[3]
    index = [s[2] for s in sorted(scored, key=lambda s: s[2])].index(a)
    if b - a < 60 and index + 1 < len(spans):  # "Yes." alone says little: add the next one
        b = spans[index + 1][1]
    return text[a:b]


def row_sentence(passage) -> str:
    """'Browser — PyTorch: Limited (ONNX path); TensorFlow: TensorFlow.js (mature)'."""
    header = json.loads(passage.meta["table_header"])
    cells = json.loads(passage.meta["row_cells"])
    return f"{cells[0]} — " + "; ".join(f"{h}: {c}" for h, c in zip(header[1:], cells[1:]))


def weigh(ranked: list[tuple[float, object]], terms: list[str], question: str) -> Stance:
    """Stance summed over evidence: closer passages and those on the topic count more, and
    cues on the criterion the question names ("easier", "faster") count FOCUS_BOOST times."""
    total = Stance()
    best = ranked[0][0]
    asked = discriminating_terms(terms, [p for _, p in ranked])
    focus = criterion_focus(question) | asked
    for rank, (score, p) in enumerate(ranked):
        on_topic = 0.3 + 0.7 * coverage(terms, p)
        total.add(passage_stance(p.node, focus, asked),
                  (score / best) ** 2 * on_topic / (1 + 0.3 * rank))
    return total


def discriminating_terms(terms: list[str], evidence: list) -> frozenset:
    """Question terms found in some but under half of the evidence: the aspect asked about
    ("fine-grained control", "lines of code"), as opposed to the shared topic ("precision")."""
    if len(evidence) < 2:
        return frozenset(terms)
    counts = {t: sum(has_term(_haystack(p), t) for p in evidence) for t in terms}
    return frozenset(t for t, n in counts.items() if 0 < n < len(evidence) / 2)


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
    certainty = min(1.0, lead / 3.0)
    return verdict, round(min(0.97, 0.5 + 0.3 * margin + 0.17 * certainty), 2)


def mark_sentences(text: str, n: int) -> str:
    """Put [n] before the end punctuation of every sentence of text."""
    out, seen = [], set()
    for a, b in split_sentences(text.rstrip()) or [(0, len(text.rstrip()))]:
        sentence = text[a:b].rstrip()
        if sentence in seen:  # a passage repeating itself is quoted once
            continue
        seen.add(sentence)
        if sentence.endswith((".", "!", "?")):
            out.append(f"{sentence[:-1]} [{n}]{sentence[-1]}")
        else:
            out.append(f"{sentence} [{n}].")
    return " ".join(out)


class _Builder:
    """Collects citations (deduplicated by node) and cited sentences."""

    def __init__(self, terms):
        self.terms, self.citations, self.sentences = terms, [], []

    def cite(self, passage) -> int:
        for c in self.citations:
            if c.id == passage.node.node_id:
                return c.n
        n = len(self.citations) + 1
        self.citations.append(Citation(n=n, id=passage.node.node_id,
                                       source=passage.meta["source"],
                                       section=passage.meta["section"],
                                       text=quote(self.terms, passage),
                                       score=round(passage.cosine, 4)))
        return n

    def reason(self, passage, prefix: str = "") -> int:
        n = self.cite(passage)
        body = row_sentence(passage) if passage.meta.get("kind") == "table_row" \
            else self.citations[n - 1].text
        self.sentences.append(mark_sentences(prefix + body, n))
        return n


def lead_sentence(verdict: str, markers: str, multi: bool = False) -> str:
    if verdict == "either":
        return (f"It depends — your criteria point different ways {markers}." if multi else
                f"It depends — neither framework is the better choice across the board here "
                f"{markers}.")
    label = LABELS[verdict]
    return (f"{label} — it is favoured on every criterion you named {markers}." if multi else
            f"{label} is the better choice for this {markers}.")


def in_scope(query: str, passages: list, retriever=None) -> str | None:
    """scope_check, relaxed where lexical evidence is exact: a rare name ("ExecuTorch") with
    every topic term in one passage is in scope despite a low cosine, and a long scenario is
    in scope when one of its clauses is."""
    why = scope_check(query, passages)
    if not why or is_injection(query):
        return why
    terms = content_terms(canonical(query))
    if "close" in why and _fully_covered(terms, passages, min_cosine=0.1):
        return None
    if retriever is not None and question_kind(query) == "choice" and \
            not other_alternatives(query):
        clauses = [c for c in _CLAUSE.split(query) if c and content_terms(c)]
        clauses = clauses if len(clauses) > 1 else []
        if clauses:
            retriever.prefetch(clauses)
        for clause in clauses:
            hits = retriever.search(clause, k=10)
            if hits and not scope_check(clause, hits) and "together" not in why:
                return None
    return why


def compose_answer(question: str, query: str, passages: list, k: int, retriever=None) -> Answer:
    """Build the Answer for question from passages retrieved for query."""
    why = in_scope(query, passages, retriever)
    if why:
        return Answer(question=question, verdict=None, confidence=0.0, abstained=True,
                      citations=[], answer=f"The corpus doesn't cover that ({why}), so I won't "
                      f"guess. {SCOPE_NOTE}")
    terms = content_terms(canonical(query))
    kind = question_kind(query)
    if kind == "choice" and retriever is not None:
        multi = _multi_criteria(question, query, retriever)
        if multi:
            return multi
    rarity = getattr(retriever, "rarity", None)
    ranked = rank_evidence(terms, passages, k if kind != "choice" else min(k, MAX_REASONS),
                           rarity)
    build = _Builder(terms)
    for _, p in ranked[:MAX_REASONS]:
        build.reason(p)
    verdict, confidence = None, round(min(1.0, ranked[0][1].cosine + 0.2), 2)
    if kind == "choice":
        verdict, confidence = decide(weigh(ranked, terms, query)) if terms else ("either", 0.5)
        markers = "".join(f"[{c.n}]" for c in build.citations)
        build.sentences.insert(0, lead_sentence(verdict, markers))
    return Answer(question=question, answer=" ".join(build.sentences), verdict=verdict,
                  confidence=confidence, abstained=False, citations=build.citations,
                  table=_table([p for _, p in ranked]))


def split_criteria(question: str) -> list[str]:
    """Clauses of a question that each carry their own topic ("X and Y" -> [X, Y])."""
    parts = [p.strip(" ,.?") for p in _SPLIT.split(question) if p and p.strip(" ,.?")]
    return [p for p in parts if content_terms(p)] if len(parts) > 1 else []


def _multi_criteria(question: str, query: str, retriever) -> Answer | None:
    """Per-criterion verdicts when the question joins two or more criteria, else None."""
    criteria = split_criteria(query)
    if len(criteria) < 2:
        return None
    retriever.prefetch(criteria)
    rows = []
    for criterion in criteria:
        passages = retriever.search(criterion, k=10)
        terms = content_terms(canonical(criterion))
        if not passages or scope_check(criterion, passages, min_coverage=0.3) and \
                not _fully_covered(terms, passages):
            continue
        ranked = rank_evidence(terms, passages, 3)
        verdict, confidence = decide(weigh(ranked, terms, criterion))
        rows.append((criterion, verdict, confidence, ranked[0][1], terms))
    decisive = [r for r in rows if r[1] != "either" and r[2] >= 0.7]
    if len(rows) < 2 or len({r[3].node.node_id for r in rows}) < 2 or not decisive:
        return None
    sides = {r[1] for r in decisive}
    overall = sides.pop() if len(sides) == 1 else "either"
    build = _Builder([t for r in rows for t in r[4]])
    matrix = []
    for criterion, verdict, confidence, passage, _ in rows:
        prefix = f"Favours {LABELS[verdict]}: " if verdict != "either" else "Either way: "
        n = build.reason(passage, prefix)
        cells = json.loads(passage.meta["row_cells"]) \
            if passage.meta.get("kind") == "table_row" else []
        header = json.loads(passage.meta["table_header"]) if cells else []
        matrix.append({"criterion": criterion, "favours": verdict, "confidence": confidence,
                       "evidence": cells[0] if cells else passage.meta["section"],
                       "pytorch": _cell(header, cells, PYTORCH),
                       "tensorflow": _cell(header, cells, TENSORFLOW), "n": n})
    markers = "".join(f"[{c.n}]" for c in build.citations)
    build.sentences.insert(0, lead_sentence(overall, markers, multi=True))
    confidence = min(r[2] for r in rows) if overall != "either" else \
        round(min(0.9, 0.5 + 0.1 * len(rows)), 2)
    return Answer(question=question, answer=" ".join(build.sentences), verdict=overall,
                  confidence=round(confidence, 2), abstained=False, citations=build.citations,
                  criteria=matrix)


def _fully_covered(terms: list[str], passages: list, min_cosine: float = 0.2) -> bool:
    """A short clause ("our team is small") is in scope when one close passage has all its
    topic terms, even if its whole-sentence similarity is low."""
    return bool(terms) and any(coverage(terms, p) >= 0.99 and p.cosine >= min_cosine
                               for p in passages[:3])


def _cell(header: list[str], cells: list[str], framework: str) -> str:
    from .stance import column_frameworks

    for i, fw in column_frameworks(header).items():
        if fw == framework and i < len(cells):
            return cells[i]
    return ""


def _table(evidence: list) -> dict | None:
    """Header + rows of the table the best row belongs to, for surfaces that render tables."""
    rows = [p for p in evidence if p.meta.get("kind") == "table_row"]
    if not rows:
        return None
    table_id = rows[0].meta["table_id"]
    return {"section": rows[0].meta["section"],
            "header": json.loads(rows[0].meta["table_header"]),
            "rows": [json.loads(p.meta["row_cells"]) for p in rows
                     if p.meta["table_id"] == table_id]}
