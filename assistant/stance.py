"""Which framework does a passage favour? Cue-word stance for table rows and sentences.

General mechanism, not per-question rules: a small lexicon of quality cues ("mature",
"native", "dominant", "limited", "experimental", "struggles", ...) is attributed to the
framework that is the subject of the clause (the first framework named in it), or for table
rows to the framework whose column holds the cell. Numbers in a row's two framework cells are
compared (higher wins, unless the row measures a cost such as overhead, lines or latency).
"Neither", "both", "near-identical", "depends" and the like count as evidence for 'either'.
Returns Stance(pytorch, tensorflow, either) scores >= 0.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

PYTORCH, TENSORFLOW = "pytorch", "tensorflow"

# Aliases: the longest match wins, so "PyTorch/XLA" is PyTorch and "TensorFlow XLA" TensorFlow.
_ALIASES = {
    PYTORCH: ["pytorch/xla", "pytorch", "torch.compile", "torchserve", "torchscript", "torch",
              "executorch", "torchvision", "torchaudio", "pt"],
    TENSORFLOW: ["tensorflow.js", "tensorflow lite", "tensorflow xla", "tensorflow", "tf lite",
                 "tf.js", "tfjs", "tflite", "tf serving", "tfx", "keras", "tf"],
}
_FRAMEWORK_RE = re.compile(
    r"(?<![\w/.])(" + "|".join(re.escape(a) for a in sorted(
        {a for v in _ALIASES.values() for a in v}, key=len, reverse=True)) + r")(?![\w])",
    re.IGNORECASE)
_ALIAS_OWNER = {a: fw for fw, aliases in _ALIASES.items() for a in aliases}

# cue -> weight (positive favours the clause subject, negative disfavours it)
_CUES = {
    "mature": 1.0, "most mature": 1.5, "only mature": 2.0, "native": 1.0, "natively": 0.8,
    "first-class": 1.0, "dominant": 1.5, "dominates": 1.5, "dominate": 1.5, "integrated": 0.8,
    "optimized": 0.6, "flexible": 0.6, "widely used": 0.8, "faster": 1.0, "fastest": 1.2,
    "years ahead": 1.5, "significantly ahead": 1.5, "edges ahead": 0.8, "edge ahead": 0.8,
    "slight edge": 0.8, "edge": 0.6, "helps": 0.4, "easier": 0.8, "clear choice": 2.0, "default choice": 2.0,
    "clear default": 2.0, "recommended": 1.5, "excels": 1.0, "leads": 1.0, "strong": 0.6,
    "advantage": 1.0, "biggest advantage": 1.5, "prefer": 1.0, "choose": 1.2,
    "ship faster": 1.0, "immediate access": 1.0, "beginner-friendly": 0.6, "backbone": 0.8,
    "most large-scale": 0.8, "built around": 0.8, "better": 0.8, "more fine-grained": 0.6,
    "high with": 0.3, "automatic": 0.4, "essential": 0.6, "outpacing": 0.8, "backward compatibility is strong": 1.0,
    "limited": -1.0, "experimental": -1.0, "improving": -0.6, "workable": -0.5,
    "less common": -1.0, "newer": -0.4, "smaller": -0.6, "struggles": -0.5, "lacks": -1.0,
    "cannot match": -1.2, "painful": -0.8, "against the current": -1.2, "never arrive": -0.8,
    "may take weeks": -0.8, "confuses": -0.4, "more complex": -0.6, "behind": -0.8,
    "slower": -1.0, "custom": -0.3,
}
_EITHER_CUES = {
    "neither": 1.5, "near-identical": 1.5, "marginal": 1.0,
    "converging": 0.8, "coexist": 1.0, "depends on": 1.0, "competitive": 0.2,
    "under 10%": 1.0, "not replacing": 0.8, "universally": 0.5, "different strengths": 1.0,
    "different trade-offs": 1.0,
}
FOCUS_BOOST = 2.5
_CELL_ONLY = {"experimental", "custom", "newer", "improving"}  # in prose only as "(experimental)"
_DAMPEN = ("slightly", "slight", "often")
_COST_WORDS = re.compile(r"\b(overhead|lines?|latency|cost|boilerplate|warmup|time)\b", re.I)
_CUE_RE = re.compile(r"(?<![\w-])(" + "|".join(re.escape(c) for c in sorted(
    list(_CUES) + list(_EITHER_CUES), key=len, reverse=True)) + r")(?![\w-])", re.IGNORECASE)
_NUMBER = re.compile(r"(\d[\d,]*(?:\.\d+)?)")


@dataclass
class Stance:
    pytorch: float = 0.0
    tensorflow: float = 0.0
    either: float = 0.0

    def add(self, other: "Stance", weight: float = 1.0) -> "Stance":
        self.pytorch += other.pytorch * weight
        self.tensorflow += other.tensorflow * weight
        self.either += other.either * weight
        return self

    def credit(self, framework: str | None, amount: float) -> None:
        """Positive amount favours framework; negative favours the other one."""
        if framework is None or amount == 0:
            return
        target = framework if amount > 0 else other(framework)
        setattr(self, target, getattr(self, target) + abs(amount))

    @property
    def total(self) -> float:
        return self.pytorch + self.tensorflow + self.either


def other(framework: str) -> str:
    return TENSORFLOW if framework == PYTORCH else PYTORCH


def rename_frameworks(text: str, label: str) -> str:
    """Every framework mention in text replaced by label ("PyTorch's API" -> "TensorFlow's API")."""
    return _FRAMEWORK_RE.sub(label, text)


def frameworks_in(text: str) -> list[str]:
    """Framework mentions in order of appearance (aliases resolved)."""
    return [_ALIAS_OWNER[m.group(1).lower()] for m in _FRAMEWORK_RE.finditer(text)]


def _clauses(text: str) -> list[str]:
    """Sentences, then clauses ("X, while Y", "X; Y", "X, but Y", "X, a capability Y")."""
    return [c for c in re.split(r"(?<=[.!?])\s+|;|, (?:while|whereas|but)\b|\bbut\b|, a |, and ",
                                text) if c and c.strip()]


def _focus_boost(text: str, focus: frozenset) -> float:
    """Cues in a clause that echoes the question's words ("faster" in "is X faster?") count more."""
    if not focus:
        return 1.0
    from .text import term_set

    return FOCUS_BOOST if term_set(text) & focus else 1.0


def text_stance(text: str, default_subject: str | None = None,
                focus: frozenset = frozenset()) -> Stance:
    """Cue-word stance of prose: each cue credits the subject of its clause (the framework
    named before it in the clause, else the subject carried over from the previous clause)."""
    stance = Stance()
    subject_carry = default_subject
    for clause in _clauses(text):
        mentions = [(m.start(), _ALIAS_OWNER[m.group(1).lower()])
                    for m in _FRAMEWORK_RE.finditer(clause)]
        lowered = clause.lower()
        damp = 0.5 if any(re.search(rf"\b{d}\b", lowered) for d in _DAMPEN) else 1.0
        boost = _focus_boost(clause, focus)
        for cue in _CUE_RE.finditer(clause):
            word = cue.group(1).lower()
            if word in _CELL_ONLY and clause[max(0, cue.start() - 1):cue.start()] != "(":
                continue  # "experimental architectures" is no maturity verdict
            if word in _EITHER_CUES:
                stance.either += _EITHER_CUES[word] * boost
                continue
            before = [fw for pos, fw in mentions if pos < cue.start()]
            subject = before[0] if before else (subject_carry or
                                                (mentions[0][1] if mentions else None))
            stance.credit(subject, _CUES[word] * damp * boost)
        if mentions:
            subject_carry = mentions[0][1]
    return stance


def cell_score(cell: str, focus: frozenset = frozenset()) -> float:
    """Signed sum of the quality cues in one table cell ("TF Lite (mature)" > 0)."""
    lowered = cell.lower()
    damp = 0.5 if any(re.search(rf"\b{d}\b", lowered) for d in _DAMPEN) else 1.0
    return damp * _focus_boost(cell, focus) * sum(
        _CUES.get(m.group(1).lower(), 0.0) for m in _CUE_RE.finditer(cell))


def column_frameworks(header: list[str]) -> dict[int, str]:
    """Column index -> framework for a table header (first column is the row label)."""
    owners = {}
    for i, name in enumerate(header[1:], start=1):
        found = frameworks_in(name)
        if found and len(set(found)) == 1:
            owners[i] = found[0]
    return owners


def row_stance(header: list[str], cells: list[str], focus: frozenset = frozenset(),
               topic: frozenset = frozenset()) -> Stance:
    """Stance of one table row: cue words per framework cell, numbers compared, notes read;
    a topic term of the question found in only one framework's cell ("FP8") favours it."""
    from .text import term_set

    stance = Stance()
    owners = column_frameworks(header)
    values = {}
    asked = topic - term_set(cells[0]) if cells else frozenset()
    having = [fw for i, fw in owners.items() if i < len(cells) and term_set(cells[i]) & asked]
    if len(having) == 1:  # having the asked feature outweighs a qualifier such as "(experimental)"
        stance.credit(having[0], 2.0 * FOCUS_BOOST)
    for i, fw in owners.items():
        if i >= len(cells):
            continue
        values[fw] = cells[i]
        # every cue in a framework's own cell is about that framework, whatever it names
        stance.credit(fw, cell_score(cells[i], focus))
    for i, cell in enumerate(cells[1:], start=1):
        if i not in owners:  # notes / free columns: read as prose
            stance.add(text_stance(cell, focus=focus))
    if len(values) == 2:
        _compare_numbers(stance, cells[0], values)
        if _norm(values[PYTORCH]) == _norm(values[TENSORFLOW]):
            stance.either += 1.0
    return stance


def _norm(cell: str) -> str:
    return " ".join(cell.lower().split())


def _compare_numbers(stance: Stance, label: str, values: dict[str, str]) -> None:
    numbers = {}
    for fw, cell in values.items():
        match = _NUMBER.search(cell)
        if match:
            numbers[fw] = float(match.group(1).replace(",", ""))
    if len(numbers) != 2 or numbers[PYTORCH] == numbers[TENSORFLOW]:
        return
    if re.search(r"\b(19|20)\d\d\b", label + " " + " ".join(values.values())) and \
            all(1900 < v < 2100 for v in numbers.values()):
        return  # years are facts, not scores
    lower_better = bool(_COST_WORDS.search(label + " " + " ".join(values.values())))
    winner = max(numbers, key=numbers.get)
    if lower_better:
        winner = other(winner)
    high, low = max(numbers.values()), min(numbers.values())
    gap = (high - low) / high if high else 0.0
    stance.credit(winner, 0.5 if gap < 0.1 else 1.0)


def criterion_focus(question: str) -> frozenset:
    """Stems of the quality words a question asks about ("easier", "faster", "mature")."""
    from .text import term_set

    return frozenset(term_set(" ".join(m.group(1) for m in _CUE_RE.finditer(question))))


def passage_stance(node, focus: frozenset = frozenset(),
                   topic: frozenset = frozenset()) -> Stance:
    """Stance of an index node: table rows by column, prose by clause; headings count too.
    `focus`: the question's criterion stems (cues echoing them weigh FOCUS_BOOST times);
    `topic`: its topic stems. Prose under a one-framework heading defaults to that subject."""
    meta = node.metadata
    heading = meta.get("section", "")
    heading_fws = set(frameworks_in(heading))
    if meta.get("kind") == "table_row":
        stance = row_stance(json.loads(meta["table_header"]), json.loads(meta["row_cells"]),
                            focus, topic)
    else:
        default = next(iter(heading_fws)) if len(heading_fws) == 1 else None
        stance = text_stance(node.get_content(), default_subject=default, focus=focus)
        if default and topic:
            from .text import term_set

            # prose about one framework that describes the asked-about capability favours it
            if term_set(node.get_content()) & topic:
                stance.credit(default, 1.0)
    if len(heading_fws) == 1:  # "When to Choose PyTorch", "PyTorch's Ecosystem Advantage"
        stance.add(text_stance(heading), weight=1.5)
    return stance
