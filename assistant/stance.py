"""Which option does a passage favour? Computed once per passage at index time.

Each passage gets `stance`: a list of parts `[start, end, {option: score, "either": score},
subject]`, one per clause of prose (subject: the one option the clause is about, if any) or
one per table row, so that at query time the clause that talks about what was asked can weigh
most, and a clause describing what the user asks for credits its subject. Readings, all from the general lexicon in data/polarity.json:
- table rows: cue words in each option's own cell credit that option ("(mature)", "Limited",
  "Not supported"); numbers in option cells are compared in the direction the column header,
  row label, caption or units imply (ms, latency, cost: lower wins; img/s, throughput: higher
  wins; unknown direction: no stance); equal cells and near-equal numbers count for "either";
  other columns ("Notes") are read as prose.
- prose: each cue credits the option that is the subject of its clause (the option named
  before it, else the one carried from the previous clause, else the heading's option); a
  negator before a cue flips it; an option named after "than"/"of"/"over" is debited.
- headings that recommend one option ("When to choose X") add to every passage beneath them.
Sentences that address the reader or an assistant ("ignore previous instructions") are listed
in `instructions`; they carry no stance and are never quoted, and their document's other
passages count for less (`trust`).
Not handled: sarcasm, stance spread over several sentences without naming the option.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache

from .data import load as load_data
from .lexical import sentence_spans
from .options import CHOOSE, Options, discover, header_name

ANNOTATOR_VERSION = "15"
TIE = 0.05  # numbers within 5 % of each other are a tie
_P = load_data("polarity")
_NUMBER = re.compile(r"(\d[\d,]*(?:\.\d+)?)(?:\s*[–-]\s*(\d[\d,]*(?:\.\d+)?))?")
_OBJECT = re.compile(r"\b(than|of|over|behind|vs\.?|versus)\b", re.I)
_CLAUSE = re.compile(r"(?<=[.!?])\s+|;\s*|,\s+(?:while|whereas|but|and|a)\s+|\s+(?:but|while|whereas)\s+"
                     r"|\s+[—–]\s+|:\s+")
INSTRUCTIONS = [re.compile(p, re.I | re.S) for p in _P["instruction"]]
UNTRUSTED = 0.3  # weight of passages from a document that addresses the assistant


def _cue_table() -> dict[str, tuple[str, float]]:
    table = {}
    for sign, groups in (("+", _P["positive"]), ("-", _P["negative"])):
        for group in groups.values():
            table.update({k: (sign, v) for k, v in group.items()})
    table.update({k: ("=", v) for k, v in _P["either"].items()})
    return table


_CUES = _cue_table()
_CUE_RE = re.compile(r"(?<![\w.-])(" + "|".join(re.escape(c) for c in sorted(
    _CUES, key=len, reverse=True)) + r")(?![\w-]|\.\w)", re.I)
_NEG_RE = re.compile(r"\b(" + "|".join(re.escape(n) for n in _P["negators"]) +
                     r")\b\W+(?:[\w'-]+\W+){0,2}$|\b(" +  # "is not really fast"
                     "|".join(re.escape(n) for n in _P["negators_close"]) +
                     r")\b\W+(?:[\w'-]+\W+)?$", re.I)  # "without GPU experts should": no
_PREDICATIVE = set(_P["predicative_only"])
_BOTH = re.compile(_P["both_needs"], re.I)
_DENIAL = re.compile(r"^\W*(\w+\W+){0,2}(not|never|cannot|can't|doesn't|does not|don't|"
                     r"isn't|aren't|won't|lacks?|no longer)\b", re.I)  # verbs after the subject
CELL_DENIAL = re.compile(_P["denial"], re.I)
_IMPERATIVE = re.compile(r"^(?:(?:then|just|simply|so)\s+)?(?:" + "|".join(
    re.escape(v) for v in _P["imperative"]["verbs"]) + r")\s+", re.I)
_CELL_YES = re.compile(_P["cell_answer"]["yes"], re.I | re.U)
_CELL_NO = re.compile(_P["cell_answer"]["no"], re.I | re.U)
_CONNECTIVE = re.compile(r"\b(or|and|not|nor|either|only)\b|[\s,/()]", re.I)
_ATTRIBUTIVE = re.compile(r"\s+(?!(?:and|or|but|in|on|for|with|to|than|as|at|via|by)\b)[a-z][\w-]*", re.I)
_WEAK_RE = re.compile(r"\b(" + "|".join(re.escape(w) for w in _P["weaker"]) + r")\b\W*(\w+\W+)?$",
                      re.I)
_STRONG_RE = re.compile(r"\b(" + "|".join(re.escape(w) for w in _P["stronger"]) +
                        r")\b\W*(\w+\W+)?$", re.I)


def find_cues(text: str) -> list[tuple[int, int, str]]:
    """(start, end, cue) of the lexicon's cue words in text; a capitalised cue that starts a
    name ("Stable Diffusion") is not one, nor "both" unless it is about the options compared
    ("both frameworks", "both are"), not "on both GPUs and TPUs"."""
    return [(m.start(), m.end(), m.group(1).lower()) for m in _CUE_RE.finditer(text)
            if not (m.group(1)[0].isupper() and re.match(r" [A-Z0-9]", text[m.end():]))
            and (m.group(1).lower() != "both" or _BOTH.match(text[m.end():]))]


def is_instruction(sentence: str) -> bool:
    """Whether a sentence addresses an assistant or reader with instructions."""
    return any(p.search(sentence) for p in INSTRUCTIONS)


def _modifier(before: str) -> float:
    if _WEAK_RE.search(before[-30:]):
        return 0.5
    return 1.5 if _STRONG_RE.search(before[-30:]) else 1.0


def clause_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _CLAUSE.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def recommended(clause: str, options: Options) -> dict[str, float]:
    """Stance of a clause that recommends by naming: "…: use X." (the option after an opening
    imperative), "AMD pool: X or Y, not Z." (a clause of nothing but option names)."""
    text = clause.strip(" .:;—–-\t\n")
    verb = _IMPERATIVE.match(text)
    rest = text[verb.end():] if verb else text
    mentions = options.mentions(rest)
    if not mentions:
        return {}
    if verb:
        return {mentions[0][2]: 1.0} if mentions[0][0] <= 2 else {}
    leftover = rest
    for a, b, _ in reversed(mentions):
        leftover = leftover[:a] + " " + leftover[b:]
    if _CONNECTIVE.sub("", leftover):
        return {}
    denied = {o for a, _, o in mentions if re.search(r"\bnot\W*$", rest[max(0, a - 6):a], re.I)}
    kept = [o for _, _, o in mentions if o not in denied]
    return {**{o: 1.0 / len(kept) for o in kept}, **{o: -1.0 for o in denied}}


def clause_stance(clause: str, options: Options, subject: str | None) -> tuple[dict, str | None]:
    """(stance, subject carried on) of one clause of prose."""
    mentions = options.mentions(clause)
    stance = recommended(clause, options)
    if stance:
        return stance, mentions[0][2]
    cues = find_cues(clause)
    lacking = [(a, c) for a, _, c in cues if c == "neither" and any(m < a for m, _, _ in mentions)]
    if lacking:  # "X has neither": a lack, not a tie
        owner = [o for m, _, o in mentions if m < lacking[0][0]][-1]
        return {owner: -1.0}, owner
    if any(_CUES[c][0] == "=" for _, _, c in cues):
        for _, _, cue in cues:
            if _CUES[cue][0] == "=":
                stance["either"] = stance.get("either", 0.0) + _CUES[cue][1]
        return stance, (mentions[0][2] if mentions else subject)
    for start, end, cue in cues:
        sign, weight = _CUES[cue]
        if cue in _PREDICATIVE and _ATTRIBUTIVE.match(clause, end) and \
                clause[start - 1:start] != "(":
            continue  # "experimental architectures" says nothing about maturity
        before = [o for a, _, o in mentions if a < start]
        if len(set(before)) >= 2 and not _OBJECT.search(clause[:start]):
            continue  # "X and Y are both ...": a shared subject favours neither
        owner = before[-1] if before else subject or (mentions[0][2] if mentions else None)
        if owner is None:
            continue
        value = weight * _modifier(clause[:start]) * (1 if sign == "+" else -1)
        if _NEG_RE.search(clause[max(0, start - 30):start]):
            value = -value * 0.7
        stance[owner] = stance.get(owner, 0.0) + value
        after = [o for a, _, o in mentions if a >= end and o != owner and
                 _OBJECT.search(clause[start:a])]
        for other in after[:1]:
            stance[other] = stance.get(other, 0.0) - value
    distinct = {o for _, _, o in mentions}
    carried = subject if not mentions else \
        mentions[0][2] if len(distinct) == 1 or mentions[0][0] < 3 else None
    return {k: round(v, 3) for k, v in stance.items() if v}, carried


def prose_parts(text: str, options: Options, subject: str | None) -> list:
    """[start, end, stance, subject, negated] per clause that has a stance or is about one
    option; `negated` when the clause denies something of its subject ("X does not run")."""
    parts = []
    for a, b in clause_spans(text):
        if is_instruction(text[a:b]):
            continue
        about = {o for _, _, o in options.mentions(text[a:b])}
        stance, carried = clause_stance(text[a:b], options, subject)
        own = about.pop() if len(about) == 1 else (subject if not about else None)
        if stance or own:
            parts.append([a, b, stance, own, _denies(text[a:b], options, own)])
        subject = carried
    return parts


def _denies(clause: str, options: Options, subject: str | None) -> bool:
    """Whether the clause denies something of its subject: a negator within two words after
    the subject's mention ("TensorRT does not run", "PyTorch cannot")."""
    for _, end, option in options.mentions(clause):
        if option == subject and _DENIAL.match(clause[end:]):
            return True
    return False


def direction(*texts: str) -> int:
    """+1 when higher numbers are better, -1 when lower are, 0 when unknown or mixed."""
    joined = " ".join(texts).lower()
    for phrase, sign in (("lower is better", -1), ("less is better", -1),
                         ("higher is better", 1), ("more is better", 1)):
        if phrase in joined:
            return sign
    found = {sign for sign, words in ((-1, _P["direction"]["lower"]), (1, _P["direction"]["higher"]))
             for w in words if re.search(rf"(?<![\w/]){re.escape(w)}(?![\w/])", joined)}
    return found.pop() if len(found) == 1 else 0


def _number(cell: str) -> float | None:
    m = _NUMBER.search(cell)
    if not m:
        return None
    low = float(m.group(1).replace(",", ""))
    return (low + float(m.group(2).replace(",", ""))) / 2 if m.group(2) else low


def cell_score(cell: str, sense: int) -> float:
    """Signed cue sum of one option's table cell; magnitude words follow the row's sense; a
    cell that opens with yes or no answers the row's feature."""
    score = 0.5 if _CELL_YES.match(cell) else -1.0 if _CELL_NO.match(cell) else 0.0
    for start, _, cue in find_cues(cell):
        sign, weight = _CUES[cue]
        if sign == "=":
            continue
        value = weight * _modifier(cell[:start]) * (1 if sign == "+" else -1)
        score += -value if _NEG_RE.search(cell[max(0, start - 30):start]) else value
    if sense:
        words = set(re.findall(r"[a-z]+", cell.lower()))
        score += 0.5 * sense * (bool(words & set(_P["magnitude"]["up"])) -
                                bool(words & set(_P["magnitude"]["down"])))
    return score


def row_parts(header: list[str], cells: list[str], options: Options, caption: str) -> list:
    """One part covering the row: cue words per option cell, numbers compared, notes read."""
    stance: dict[str, float] = {}
    owned = {i: options.column(h) for i, h in enumerate(header) if i and i < len(cells)}
    label = cells[0] if cells else ""
    sense = direction(label, caption, *[header[i] for i in owned if owned[i]])
    numbers = {}
    for i, option in owned.items():
        if option is None:  # notes and other free columns read as prose
            for _, _, part, *_ in prose_parts(cells[i], options, None):
                for k, v in part.items():
                    stance[k] = stance.get(k, 0.0) + v
            continue
        cell_sense = sense or direction(cells[i])
        stance[option] = stance.get(option, 0.0) + cell_score(cells[i], cell_sense)
        value = _number(cells[i])
        if value is not None and cell_sense and not re.fullmatch(r"(19|20)\d\d", cells[i].strip()):
            numbers[option] = value * cell_sense
    for option, value in _compare(numbers).items():
        stance[option] = stance.get(option, 0.0) + value
    texts = {" ".join(cells[i].lower().split()) for i, o in owned.items() if o}
    if len(texts) == 1 and len([o for o in owned.values() if o]) >= 2:
        stance["either"] = stance.get("either", 0.0) + 1.0
    return [[0, -1, {k: round(v, 3) for k, v in stance.items() if v}, None]] \
        if any(stance.values()) else []


def _compare(numbers: dict[str, float]) -> dict[str, float]:
    """Each option's share of pairwise wins (1.0 for a clear win, 0.5 for a small one, none
    within TIE), so the runner-up of three still beats the last; all within TIE: either."""
    if len(numbers) < 2:
        return {}
    out: dict[str, float] = {}
    for option, value in numbers.items():
        for other, against in numbers.items():
            gap = (value - against) / max(abs(value), abs(against), 1e-9)
            if other != option and gap >= TIE:
                out[option] = out.get(option, 0.0) + (0.5 if gap < 0.15 else 1.0) / \
                    (len(numbers) - 1)
    return out or {"either": 0.5}


def heading_stance(path: str, options: Options) -> tuple[dict, str | None]:
    """(stance from a recommending heading, the option the innermost headings are about)."""
    stance, subject = {}, None
    for heading in path.split(" > ") if path else []:
        named = list(dict.fromkeys(o for _, _, o in options.mentions(heading)))
        if len(named) == 1:
            subject = named[0]
            if CHOOSE.search(heading):
                stance = {named[0]: 1.5}
        elif named:
            subject = None
    return stance, subject


def annotate(nodes: list) -> dict:
    """Add `stance`, `heading_stance`, `option_columns`, `instructions`, `trust` to each
    node's metadata; returns the corpus options (saved in the manifest)."""
    options = discover(nodes)
    captions, untrusted = _captions(nodes), set()
    for node in nodes:
        flagged = [[a, b] for a, b in sentence_spans(node.text) if is_instruction(node.text[a:b])]
        node.metadata["instructions"] = json.dumps(flagged)
        if flagged:
            untrusted.add(node.metadata.get("source"))
    for node in nodes:
        meta = node.metadata
        heading, subject = heading_stance(meta.get("heading_path", ""), options)
        if meta.get("kind") == "table_row":
            header, cells = json.loads(meta["table_header"]), json.loads(meta["row_cells"])
            parts = row_parts(header, cells, options, captions.get(meta["table_id"], ""))
            meta["option_columns"] = json.dumps({str(i): options.column(h) for i, h in
                                                 enumerate(header) if i and options.column(h)})
        else:
            parts = prose_parts(node.text, options, subject)
        meta["stance"] = json.dumps(parts)
        meta["heading_stance"] = json.dumps(heading)
        meta["trust"] = UNTRUSTED if meta.get("source") in untrusted else 1.0
    return options.to_dict()


def _captions(nodes: list) -> dict[str, str]:
    """table id -> the section heading plus the paragraph just before the table."""
    captions, previous = {}, None
    for node in nodes:
        meta = node.metadata
        if meta.get("kind") == "table_row" and meta["table_id"] not in captions:
            lead = previous.text if previous is not None and previous.metadata.get(
                "heading_path") == meta.get("heading_path") else ""
            captions[meta["table_id"]] = meta.get("section", "") + " " + lead
        if meta.get("kind") != "table_row":
            previous = node
    return captions


@lru_cache(maxsize=4096)
def parse(raw: str):
    return json.loads(raw) if raw else []


__all__ = ["annotate", "parse", "is_instruction", "direction", "header_name", "ANNOTATOR_VERSION"]
