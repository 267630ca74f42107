"""Clause readers for measures, used by prose.py: superlatives ("X has the lowest cost") and
comparatives ("X's latency is higher than Y's"), each read in the direction of the measure it
names (data/polarity.json), and absences ("- No SSO and no RBAC at all."), which count
against the option.
Not handled: a measure named only in an earlier clause ("Latency matters. X has the most.").
"""
from __future__ import annotations

import re

from .cues import NEGATED, direction
from .data import load as load_data

_P = load_data("polarity")
_COMPARATIVE = re.compile(r"\b(" + "|".join(_P["magnitude"]["up"] + _P["magnitude"]["down"]) +
                         r")\b(?=(?:\s+[\w'-]+){0,3}\s+than\b)", re.I)  # "p99 is higher than"
_WEIGHS = re.compile(r"\b(?:" + "|".join(_P["magnitude"]["not_after"]) + r")\s+$", re.I)
_SUPERLATIVE = re.compile(r"\b(" + "|".join(_P["superlative"]["up"] + _P["superlative"]["down"]) +
                          r")\s+((?:[\w/-]+\s+){0,3}?[\w/-]+)(?=\s*(?:[,;.]|and\b|$))",
                          re.I)  # "the lowest cost per stream"
_ABSENT = re.compile(r"^\W*no\s+(?!longer\b|one\b|matter\b|doubt\b)[a-z]", re.I)  # not "No, …"
_ABSENCE = 0.8


def superlative(clause: str, mentions: list, subject: str | None) -> dict[str, float]:
    """"X has the highest throughput and the lowest cost per stream": each superlative read
    in the direction of the measure after it (throughput: higher wins; cost: lower wins), for
    the option named before it, else the subject. Unknown direction: no stance."""
    stance: dict[str, float] = {}
    for m in _SUPERLATIVE.finditer(clause):
        sense = direction(m.group(2))
        before = [o for a, _, o in mentions if a < m.start()]
        owner = before[-1] if before else subject
        if sense and owner:
            up = 1 if m.group(1).lower() in _P["superlative"]["up"] else -1
            stance[owner] = stance.get(owner, 0.0) + up * sense
    return stance


def absence(clause: str, mentions: list, subject: str | None) -> dict[str, float]:
    """"- No SSO and no RBAC at all." under a carried subject, or after a label naming one
    option ("Aim\n- No SSO …"): an absence counts against that option."""
    label = mentions[0] if mentions and mentions[0][0] < 3 and \
        len({o for _, _, o in mentions}) == 1 else None
    if (subject and not mentions or label) and \
            _ABSENT.match(clause[label[1]:] if label else clause):
        return {label[2] if label else subject: -_ABSENCE}
    return {}


def compared(clause: str, mentions: list, subject: str | None) -> dict[str, float]:
    """"X's p99 latency is higher than Y's": a magnitude comparative read in the direction of
    the quantity named before "than" (latency: lower wins), for the option before it (else
    the subject) and against the one after "than". Unknown direction: no stance."""
    match = _COMPARATIVE.search(clause)
    if not match or _WEIGHS.search(clause[:match.start()]):  # "… matters more than …"
        return {}
    than = clause.find(" than", match.start())
    sense = direction(clause[:than]) if than > 0 else 0
    if not sense:
        return {}
    up = 1 if match.group(1).lower() in _P["magnitude"]["up"] else -1
    before = [o for a, _, o in mentions if a < match.start()]
    owner = before[-1] if before else subject
    value = float(up * sense) * (-1 if NEGATED.search(clause[max(0, match.start() - 30):
                                                              match.start()]) else 1)
    out = {owner: value} if owner else {}
    for a, _, other in mentions:
        if a > than and other != owner:
            out[other] = out.get(other, 0.0) - value
            break
    return out
