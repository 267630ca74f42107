"""Which option does a passage favour? Computed once per passage at index time.

Each passage gets `stance`: a list of parts `[start, end, {option: score, "either": score},
subject]`, one per clause of prose (subject: the one option the clause is about, if any) or
one per table row, so that at query time the clause that talks about what was asked can weigh
most, and a clause describing what the user asks for credits its subject. Readings, all from
the general lexicon in data/polarity.json:
- table rows: cells read with the lexicon, numbers compared in their direction (tables.py).
- prose: read clause by clause (see prose.py); numbers that clauses about different options
  give in one unit are compared in the unit's direction.
- headings that recommend one option ("When to choose X") add to every passage beneath them;
  headings that list one option's drawbacks ("Known limitations > X") count against it, and
  headings that list its merits ("X > Strengths") for it.
Sentences that address the reader or an assistant are listed in `instructions`; they carry
no stance and are never quoted, and their document's other passages count for less (`trust`).
Not handled: a number spread over two clauses ("JAX: 95. TensorFlow: 60 seconds.").
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from functools import lru_cache

from .data import load as load_data
from .lexical import sentence_spans
from .cues import direction, is_instruction, stated
from .discovery import discover
from .option_rows import transposed
from .options import CHOOSE, Options
from .prose import prose_parts
from .tables import RECOMMENDED, compare_numbers, row_numbers, row_parts

ANNOTATOR_VERSION = "142"
_P = load_data("polarity")
_QUANTITY = re.compile(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)\s*([a-z$]+(?:/[a-z]+)?)\b(\s+per\s+\w+)?",
                      re.I)  # "95 seconds", "212 ms per step", "1.2 GB"
UNTRUSTED = 0.3  # weight of passages from a document that addresses the assistant
_DRAWBACKS = re.compile(_P["drawback_heading"]["pattern"], re.I)
_DRAWBACKS_UNLESS = re.compile(_P["drawback_heading"]["unless"], re.I)
_MERITS = re.compile(_P["merit_heading"]["pattern"], re.I)
_MERITS_UNLESS = re.compile(_P["merit_heading"]["unless"], re.I)


def _lists(heading: str, pattern, unless) -> bool:
    """Whether a heading lists drawbacks (or merits), and not both ("Pros and cons")."""
    return bool(pattern.search(heading) and not unless.search(heading))


def measures(clause: str) -> list[tuple[float, str, int]]:
    """(value, unit, direction) of each number in a clause whose unit has a known direction
    ("95 seconds", "212 ms per step"); not "Gemma 2B" or "36%"."""
    found = []
    for m in _QUANTITY.finditer(clause):
        sense = direction(m.group(2) + (m.group(3) or ""))
        if sense:
            unit = m.group(2).lower()
            found.append((float(m.group(1).replace(",", "")),
                          unit[:-1] if len(unit) > 3 and unit.endswith("s") else unit, sense))
    return found


def prose_numbers(text: str, parts: list) -> dict[str, float]:
    """Numbers that clauses about different options give in the same unit ("JAX took about 95
    seconds … TensorFlow took about 60 seconds"), compared in the unit's direction. A clause
    with more than one such number, or none, gives nothing; so does an option measured twice
    in one unit (which number would count?)."""
    by_unit: dict[str, dict] = defaultdict(dict)
    for a, b, _, subject, *_ in parts:
        found = measures(text[a:b]) if subject else []
        if len(found) == 1:
            value, unit, sense = found[0]
            by_unit[unit][subject] = None if subject in by_unit[unit] else value * sense
    out: dict[str, float] = {}
    for numbers in by_unit.values():
        kept = {o: v for o, v in numbers.items() if v is not None}
        for option, value in compare_numbers(kept).items():
            out[option] = round(out.get(option, 0.0) + value, 3)
    return out


def heading_stance(path: str, options: Options) -> tuple[dict, str | None]:
    """(stance from a recommending heading, the option the innermost headings are about)."""
    stance, subject, drawbacks, merits = {}, None, False, False
    for heading in path.split(" > ") if path else []:
        named = list(dict.fromkeys(o for _, _, o in options.mentions(heading)))
        drawbacks = drawbacks or _lists(heading, _DRAWBACKS, _DRAWBACKS_UNLESS)
        merits = merits or _lists(heading, _MERITS, _MERITS_UNLESS)
        if len(named) == 1:
            subject = named[0]
            if CHOOSE.search(heading):
                stance = {named[0]: RECOMMENDED}
        elif named:
            subject = None
    if drawbacks and subject and not stance:  # "Known limitations > Dagster"
        stance = {subject: -1.0}
    elif merits and subject and not stance:  # "Slurm > Strengths"
        stance = {subject: 1.0}
    return stance, subject


def _drawback_label(text: str) -> bool:
    """Whether a passage opens with a short label that lists drawbacks ("Honest drawbacks.",
    "Caveats:"), as a heading would."""
    label = re.match(r"^\W*((?:[\w-]+\s+){0,2}[\w-]+)\s*[.:]\s", text)
    found = label and list(_DRAWBACKS.finditer(label.group(1)))
    return bool(found and found[-1].end() == len(label.group(1)) and  # "Drawbacks are few.": no
                not _DRAWBACKS_UNLESS.search(label.group(1)))


def annotate(nodes: list, vocabulary: frozenset = frozenset()) -> dict:
    """Add `stance`, `heading_stance`, `option_columns`, `row_numbers`, `row_values`,
    `instructions`,
    `trust` to each node's metadata; returns the corpus options (saved in the manifest).
    `vocabulary`: common English words, which product names are not (see discovery.py)."""
    corpus_options = discover(nodes, vocabulary)
    captions, untrusted = _captions(nodes), set()
    across = transposed(nodes, corpus_options)
    for node in nodes:
        flagged = [[a, b] for a, b in sentence_spans(node.text) if is_instruction(node.text[a:b])]
        node.metadata["instructions"] = json.dumps(flagged)
        if flagged:
            untrusted.add(node.metadata.get("source"))
    for node in nodes:
        meta = node.metadata
        options = corpus_options.within(meta.get("source", ""))
        heading, subject = heading_stance(meta.get("heading_path", ""), options)
        if subject and meta.get("kind") != "table_row" and _drawback_label(node.text):
            heading = {subject: -1.0}  # "When to choose X > Honest drawbacks. You own …"
        if meta.get("kind") == "table_row":
            header, cells = json.loads(meta["table_header"]), json.loads(meta["row_cells"])
            caption = captions.get(meta["table_id"], "")
            parts = row_parts(header, cells, options, caption)
            if not parts and node.id in across:  # an option-per-row table's measures
                parts = across[node.id]
            meta["row_numbers"] = json.dumps(row_numbers(header, cells, options, caption))
            meta["row_values"] = json.dumps(row_numbers(header, cells, options, caption,
                                                        raw=True))
            meta["option_columns"] = json.dumps({str(i): options.column(h) for i, h in
                                                 enumerate(header) if i and options.column(h)})
        else:
            parts = prose_parts(node.text, options, subject)
            measured = prose_numbers(node.text, parts)
            if measured:
                parts.append([0, -1, measured, None])
        meta["stance"] = json.dumps(parts)
        meta["heading_stance"] = json.dumps(heading)
        meta["trust"] = UNTRUSTED if meta.get("source") in untrusted else 1.0
    return corpus_options.to_dict()


def _captions(nodes: list) -> dict[str, str]:
    """table id -> the section heading plus the paragraph just before the table. In a table
    whose rows name their own measures ("Added latency (p50)", "Model providers supported"),
    the caption's measure ("the extra median latency") is one row's: only a direction it
    states in words ("lower is better") sets the other rows' direction."""
    captions, previous = {}, None
    measured = {n.metadata["table_id"] for n in nodes if n.metadata.get("kind") == "table_row"
                and direction((json.loads(n.metadata["row_cells"]) or [""])[0])}
    for node in nodes:
        meta = node.metadata
        if meta.get("kind") == "table_row" and meta["table_id"] not in captions:
            lead = previous.text if previous is not None and previous.metadata.get(
                "heading_path") == meta.get("heading_path") else ""
            captions[meta["table_id"]] = meta.get("section", "") + " " + lead
        if meta.get("kind") != "table_row":
            previous = node
    return {t: stated(c) if t in measured else c for t, c in captions.items()}


@lru_cache(maxsize=4096)
def parse(raw: str):
    return json.loads(raw) if raw else []


__all__ = ["annotate", "parse", "measures", "prose_numbers", "heading_stance", "ANNOTATOR_VERSION"]
