"""Answer text: verdict or abstention first, then cited verbatim evidence.

Every sentence of the answer carries the marker of the passage it quotes or rests on; quotes
are verbatim substrings of indexed passages (table rows are read out cell by cell: "Browser —
PyTorch: Limited (ONNX path); TensorFlow: TensorFlow.js (mature)"). The citation list holds the
evidence the answer rests on, best first, each once. The answer contract (Answer, Citation,
headlines) is in answer.py.
Not handled: summarising or paraphrasing evidence.
"""
from __future__ import annotations

import json
import re

from .answer import Answer, Citation
from .evidence import instruction_spans
from .lexical import sentence_spans

MAX_QUOTED = 4
ALWAYS_QUOTED = 3
NEAR_BEST = 0.5  # evidence this close to the best is quoted too, up to MAX_QUOTED


def row_sentence(meta: dict) -> str:
    """'Browser — PyTorch: Limited (ONNX path); TensorFlow: TensorFlow.js (mature)'."""
    header, cells = json.loads(meta["table_header"]), json.loads(meta["row_cells"])
    pairs = [f"{h}: {c}" for h, c in zip(header[1:], cells[1:]) if c]
    return f"{cells[0]} — " + "; ".join(pairs) if cells else ""


def mark(text: str, n: int) -> str:
    """Put [n] before the end punctuation of every sentence of text (all of it: "..." too)."""
    out = []
    for a, b in sentence_spans(text.rstrip()) or [(0, len(text.rstrip()))]:
        sentence = text[a:b].rstrip()
        end = re.search(r"[.!?…]+$", sentence)  # "…: ..." (a code ellipsis) keeps its dots
        if end:
            out.append(f"{sentence[:end.start()].rstrip()} [{n}]{end.group(0)}")
        elif sentence:
            out.append(f"{sentence} [{n}].")
    return " ".join(out)


class Builder:
    """Citations (each passage once, in evidence order) and the cited sentences."""

    def __init__(self, evidence: list):
        self.citations = [Citation(n=i, id=e.node.id, source=e.meta.get("source", ""),
                                   section=e.meta.get("section", ""), text=_shown(e),
                                   score=round(float(e.passage.cosine), 4),
                                   sources=json.loads(e.meta.get("sources") or "[]") or
                                   [e.meta.get("source", "")], page=e.meta.get("page"))
                          for i, e in enumerate(evidence, 1) if e.quote]
        self.by_id = {c.id: c.n for c in self.citations}
        self.sentences: list[str] = []

    def n(self, ev) -> int | None:
        return self.by_id.get(ev.node.id)

    def say(self, ev, prefix: str = "") -> None:
        n = self.n(ev)
        if n is None:
            return
        body = row_sentence(ev.meta) if ev.meta.get("kind") == "table_row" else ev.quote
        self.sentences.append(mark(prefix + body, n))

    def markers(self, evidence: list) -> str:
        return "".join(f"[{n}]" for n in dict.fromkeys(self.n(e) for e in evidence) if n)


def _shown(ev) -> str:
    """The whole passage under the answer (its quote is the window the answer's sentence
    uses), unless a sentence in it addresses the assistant: then the quote, without it."""
    return ev.quote if instruction_spans(ev.passage) else ev.passage.text


def abstention(question: str, scope: str, query: str | None, nearest: list = (),
               uncompared: tuple | None = None) -> Answer:
    """A refusal; with `nearest` (retrieval's best passages when answerability was unsure) it
    lists them as the closest the documents come, without answering from them; with
    `uncompared` (a name the documents never mention, the option the question sets it
    against; or a name the best passages replace with a sibling, "A100" for "H100") it says
    so, above those passages when there are any."""
    citations = Builder(list(nearest)).citations
    if uncompared and len(uncompared) > 2:  # the passages measured a sibling ("A100")
        nearest_note = " The closest passages are listed below." if citations else ""
        text = (f"The passages that come closest speak of {uncompared[2]}, not {uncompared[0]}, "
                f"so they can't answer this, and I won't guess.{nearest_note} {scope}")
    elif uncompared:
        against = f"compare it with {uncompared[1]}" if uncompared[1] else "answer this"
        nearest_note = " The closest passages I found are listed below." if citations else ""
        text = (f"The documents don't mention {uncompared[0]}, so they can't {against}, and I "
                f"won't guess.{nearest_note} {scope}")
    elif citations:
        text = ("The documents don't seem to answer that, so I won't guess. The closest passages "
                f"I found are listed below; check whether they help. {scope}")
    else:
        text = f"The documents don't cover that, so I won't guess. {scope}"
    return Answer(question, text, None, 0.0, True, citations, query=query)


def factual(question: str, evidence: list) -> tuple[str, list[Citation]]:
    build = Builder(evidence)
    for ev in _close(evidence):
        build.say(ev)
    return " ".join(build.sentences), build.citations


def _close(evidence: list) -> list:
    """The best ALWAYS_QUOTED passages, and up to MAX_QUOTED of those close to the best."""
    return [e for i, e in enumerate(evidence[:MAX_QUOTED])
            if i < ALWAYS_QUOTED or e.relevance >= NEAR_BEST]


_WEAK = ", though the documents support that only weakly"


def choice(decision, evidence: list, options, titles: dict,
           criteria: list | None = None, weak: bool = False) -> tuple[str, list[Citation]]:
    """Verdict sentence, then the evidence: for each side when the documents don't settle it
    (the evidence of any `criteria` rows is cited too); a verdict more likely wrong than right
    (`weak`: its calibrated confidence under one half) says its support is weak."""
    build = Builder(_with(evidence, [r["evidence"] for r in criteria or []]))
    quoted = _close(evidence)
    sides = _sides(decision, evidence)
    if decision.disagreement:
        parts = []
        for source in decision.disagreement[:2]:
            ev = next(e for e in evidence if e.meta.get("source") == source)
            if not build.markers([ev]):
                continue  # nothing of it can be quoted
            favours = options.label(max(decision.by_source[source], key=lambda o: (
                o != "either", decision.by_source[source][o])))
            parts.append(f"{titles.get(source, source)} favours {favours} {build.markers([ev])}")
        build.sentences.append("The sources disagree: " + "; ".join(parts) + "." if parts else
                               f"The sources disagree {build.markers(quoted)}.")
        quoted = [next(e for e in evidence if e.meta.get("source") == s)
                  for s in decision.disagreement[:2]]
    elif decision.verdict == "either":
        quoted = [sides[o][0] for o in _side_order(decision) if sides.get(o)] + \
            quoted[:ALWAYS_QUOTED]
        build.sentences.append(_unsettled(decision, sides, quoted, options, build))
    else:
        label = options.label(decision.verdict)
        if not decision.inverted:
            quoted = _supported_first(quoted, sides.get(decision.verdict, []))
        build.sentences.append(f"The documents rate {label} lower here {build.markers(quoted)}."
                               if decision.inverted else
                               f"{label} is the better fit here{_WEAK if weak else ''} "
                               f"{build.markers(quoted)}.")
    return _quote(build, quoted)


def _side_order(decision) -> list[str]:
    """The candidates, the leaning one first."""
    return ([decision.lean] if decision.lean else []) + \
        [o for o in decision.candidates if o != decision.lean]


def _unsettled(decision, sides: dict, quoted: list, options, build: Builder) -> str:
    """'The documents lean towards X here but don't settle it: for X [1][3]; for Y [2].' or
    'It depends — …', with the quoted evidence for each side."""
    shown = {e.node.id for e in quoted}
    order = _side_order(decision)
    marks = {o: build.markers([e for e in sides.get(o, []) if e.node.id in shown]) for o in order}
    per_side = [f"for {options.label(o)} {marks[o]}" for o in order if marks[o]]  # citable
    tail = f": {'; '.join(per_side)}." if per_side else f" {build.markers(quoted)}."
    if decision.lean:
        rated = " as the weaker option" if decision.inverted else ""
        return f"The documents lean towards {options.label(decision.lean)}{rated} here but " \
               f"don't settle it{tail}"
    return f"It depends — the documents don't make one option the better choice for this " \
           f"across the board{tail}"


def by_criteria(rows: list[dict], evidence: list, options) -> tuple[str, list[Citation]]:
    """'It depends — your criteria point different ways: X for "a" [1], Y for "b" [2].', then
    each criterion's evidence and the best evidence overall."""
    build = Builder(_with(evidence, [r["evidence"] for r in rows]))
    sides = [f"{'neither' if r['favours'] == 'either' else options.label(r['favours'])} for "
             f"“{r['criterion']}” {build.markers([r['evidence']])}" for r in rows]
    build.sentences.append("It depends — your criteria point different ways: " +
                           ", ".join(sides) + ".")
    quoted = [r["evidence"] for r in rows] + _close(evidence)
    return _quote(build, quoted)


def _supported_first(quoted: list, support: list) -> list:
    """The quoted passages with those that favour the verdict first (its strongest one added
    when it ranks below them), so the answer opens with its reason, not with an introduction."""
    ids = {e.node.id for e in support}
    first = [e for e in quoted if e.node.id in ids] or support[:1]
    led = {e.node.id for e in first}
    return first + [e for e in quoted if e.node.id not in led]


def _quote(build: Builder, quoted: list) -> tuple[str, list[Citation]]:
    """Quote each passage once, at most MAX_QUOTED; the answer text and its citations."""
    said = set()
    for ev in quoted:
        if ev.node.id not in said and len(said) < MAX_QUOTED:
            said.add(ev.node.id)
            build.say(ev)
    return " ".join(build.sentences), build.citations


def _with(evidence: list, needed: list) -> list:
    """evidence, with `needed` passages added (a criterion's evidence may rank below the
    citations) in place of the lowest-ranked others, keeping the same count."""
    ids = {e.node.id for e in needed}
    out = list(evidence) + [e for e in needed if e.node.id not in {x.node.id for x in evidence}]
    for i in range(len(out) - 1, -1, -1):
        if len(out) <= max(len(evidence), len(ids)):
            break
        if out[i].node.id not in ids:
            del out[i]
    return out


def criteria_rows(rows: list[dict], citations: list[Citation]) -> list[dict]:
    """The criteria matrix for the answer contract: one cell per option."""
    numbers = {c.id: c.n for c in citations}
    return [{"criterion": r["criterion"], "favours": r["favours"],
             "confidence": r["confidence"], "evidence": r["evidence"].meta.get("section", ""),
             "n": numbers.get(r["evidence"].node.id), "cells": r["cells"]} for r in rows]


def _sides(decision, evidence: list) -> dict[str, list]:
    """Evidence that favours each candidate over the others (a candidate it does not score
    counts 0: a passage against one of two options favours the other), strongest first."""
    sides: dict[str, list] = {}
    for rank, scores in decision.contributions:
        net = sorted(((scores.get(o, 0.0), o) for o in decision.candidates), reverse=True)
        if len(net) >= 2 and net[0][0] > net[1][0] and rank < len(evidence):
            sides.setdefault(net[0][1], []).append((net[0][0] - net[1][0], rank))
    return {o: [evidence[r] for _, r in sorted(found, key=lambda x: (-x[0], x[1]))]
            for o, found in sides.items()}


def table_of(evidence: list) -> dict | None:
    """Header + rows of the table the best row belongs to, for surfaces that render tables."""
    rows = [e.meta for e in evidence if e.meta.get("kind") == "table_row"]
    if not rows:
        return None
    first = rows[0]
    return {"section": first.get("section", ""), "header": json.loads(first["table_header"]),
            "rows": [json.loads(m["row_cells"]) for m in rows
                     if m.get("table_id") == first.get("table_id")]}
