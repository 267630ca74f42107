"""Bounds: the quantities a recommendation's condition bounds ("if you are pretraining at 34B
or more", "for jobs that use more than 8 GPUs", "a latency SLO under 50 ms", "at 7B to 13B"),
the quantities a question states ("a 13B model", "~2M vectors"), and whether a condition is
one the user's own figures fall outside of. The bounding words are data (lexicon "bounds").
A quantity's unit is the word or suffix written with its number ("GPUs", "ms", "B"); durations
and sizes are compared across their units (data: lexicon "bounds" units), other numbers only in
the same unit ("2 million" and "2M" are one).
Not handled: a count's noun written differently on each side ("8 GPUs", "8 H100s"),
conditions read the other way round ("unless …"), and bounds with no opening word before them
in their clause ("X: 8 GPUs or fewer").
"""
from __future__ import annotations

import re

from .data import load as load_data

_B = load_data("lexicon")["bounds"]
_MAGNITUDES = _B["magnitudes"]
_UNITS = {unit: (base, float(factor)) for unit, (base, factor) in _B["units"].items()}


def _alternatives(key: str) -> str:
    return "|".join(re.escape(w) for w in sorted(_B[key], key=len, reverse=True))


_NUMBER = r"~?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(\+?)\s?([a-zA-Z%µ]+)?(?!\w)"
_QUANTITY = re.compile(r"(?<![\w.$€£#/])" + _NUMBER)
_RANGE = re.compile(r"(?<![\w.$€£#/])" + _NUMBER + r"\s*(?:" + _alternatives("range_joins") +
                    r")\s*" + _NUMBER)
_AFTER = {side: re.compile(r"\s*(?:" + _alternatives(key) + r")(?!\w)", re.I)
          for side, key in (("low", "at_least_after"), ("high", "at_most_after"))}
_BEFORE = [(side, strict, re.compile(r"(?:^|(?<=\W))(?:" + _alternatives(key) + r")\s*$", re.I))
           for side, strict, key in (("low", True, "above_before"), ("low", False, "at_least_before"),
                                     ("high", True, "below_before"),
                                     ("high", False, "at_most_before"))]
_OPENER = re.compile(r"\b(?:" + _alternatives("openers") + r")\b", re.I)
_BREAK = re.compile(r"[,;:.!?\n|]")
_STRICT = 1e-9


def _quantity(number: str, suffix: str | None) -> tuple[float, str] | None:
    """(value, unit) of a number and the word or suffix written with it, durations and sizes
    in one unit each ("90 min" -> (5400, "second"), "2 GB" -> (2e9, "byte")), a count by its
    noun ("8 GPUs" -> (8, "gpu")); None without a unit."""
    if not suffix:
        return None
    unit = _MAGNITUDES.get(suffix.lower(), suffix.lower())
    unit = unit[:-1] if len(unit) > 3 and unit.endswith("s") else unit
    base, factor = _UNITS.get(unit, (unit, 1.0))
    return float(number.replace(",", "")) * factor, base


def stated(text: str) -> list[tuple[float, str]]:
    """(value, unit) of every number written with a unit ("13B" -> (13, "b"), "8 GPUs" ->
    (8, "gpu"), "200+ workers" -> (200, "worker")); a bare number (a year, a count with no
    noun) has no unit and is left out."""
    return [q for m in _QUANTITY.finditer(text) if (q := _quantity(m.group(1), m.group(3)))]


def bounds(condition: str) -> list[tuple[str, float, float]]:
    """(unit, lowest, highest) allowed by each bound in a condition, a bound counting only
    after an opening word in its clause ("for jobs that use more than 8 GPUs", not "it cut
    latency by more than 20%")."""
    found, ranged = [], []
    for m in _RANGE.finditer(condition):
        ranged.append(m.span())
        high = _quantity(m.group(4), m.group(6))
        low = _quantity(m.group(1), m.group(3) or m.group(6))  # "7 to 13B": both in B
        if high and low and low[1] == high[1] and not m.group(2) and low[0] < high[0] and \
                _opened(condition, m.start()):
            found.append((high[1], low[0], high[0]))
    for m in _QUANTITY.finditer(condition):
        quantity = _quantity(m.group(1), m.group(3))
        if not quantity or any(a <= m.start() < b for a, b in ranged) or \
                not _opened(condition, m.start()):
            continue
        side = ("low", 0.0) if m.group(2) else _side(condition, m.start(), m.end())
        if side:
            value, unit = quantity
            found.append((unit, value * (1 + side[1]) + side[1], float("inf")) if side[0] == "low"
                         else (unit, float("-inf"), value * (1 - side[1]) - side[1]))
    return found


def _side(text: str, start: int, end: int) -> tuple[str, float] | None:
    """("low" or "high", strictness) of the bound a number sets, from the words around it."""
    for side, pattern in _AFTER.items():
        if pattern.match(text, end):
            return side, 0.0
    before = text[max(0, start - 24):start]
    for side, strict, pattern in _BEFORE:
        if pattern.search(before):
            return side, _STRICT if strict else 0.0
    return None


def _opened(text: str, at: int) -> bool:
    """Whether an opening word ("if", "for", "when") stands before `at` in its clause."""
    breaks = [m.end() for m in _BREAK.finditer(text, 0, at)]
    return bool(_OPENER.search(text, breaks[-1] if breaks else 0, at))


def unmet(condition: str, figures: list[tuple[float, str]]) -> bool:
    """Whether the user's figures fall outside a bound of the condition: every figure in that
    bound's unit lies beyond it (a user who states 7B and 70B may be either case)."""
    for unit, low, high in bounds(condition) if figures else ():
        values = [v for v, u in figures if u == unit]
        if values and all(not low <= v <= high for v in values):
            return True
    return False
