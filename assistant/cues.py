"""Cue words of the general polarity lexicon (data/polarity.json): where they are in a text,
whether a negator or a hedge stands before them, which direction a unit or measure name
implies, and which sentences address the reader or an assistant.
Not handled: cue words in languages other than English.
"""
from __future__ import annotations

import re

from .data import load as load_data

_P = load_data("polarity")
INSTRUCTIONS = [re.compile(p, re.I | re.S) for p in _P["instruction"]]


def _cue_table() -> dict[str, tuple[str, float]]:
    table = {}
    for sign, groups in (("+", _P["positive"]), ("-", _P["negative"])):
        for group in groups.values():
            table.update({k: (sign, v) for k, v in group.items()})
    table.update({k: ("=", v) for k, v in _P["either"].items()})
    return table


CUES = _cue_table()
_CUE_RE = re.compile(r"(?<![\w.-])(" + "|".join(re.escape(c) for c in sorted(
    CUES, key=len, reverse=True)) + r")(?![\w-]|\.\w)", re.I)
NEGATED = re.compile(r"\b(" + "|".join(re.escape(n) for n in _P["negators"]) +
                     r")\b\W+(?:[\w'-]+\W+){0,2}$|\b(" +  # "is not really fast"
                     "|".join(re.escape(n) for n in _P["negators_close"]) +
                     r")\b\W+(?:[\w'-]+\W+)?$", re.I)  # "without GPU experts should": no
_BOTH = re.compile(_P["both_needs"], re.I)
_OF_EITHER = re.compile(r"\b(?:without|with|of|for|from|to|on|in)\s+$", re.I)
_SIZES = {"gb", "mb", "size"}
_RATE = re.compile(r"(?<=[a-z])\s*(?:/|\bper\s+)(?:[a-z][\w.]*-)?"  # "spans/annot.-hour"
                   r"(?:s|sec|second|min|minute|h|hr|hour|day)\b")
_DISJUNCTION = re.compile(r"\s+[a-z][^.;:]{0,80}?\bor\b")  # "either builds on X, or …"
_WEAK_RE = re.compile(r"\b(" + "|".join(re.escape(w) for w in _P["weaker"]) + r")\b\W*(\w+\W+)?$",
                      re.I)
_STRONG_RE = re.compile(r"\b(" + "|".join(re.escape(w) for w in _P["stronger"]) +
                        r")\b\W*(\w+\W+)?$", re.I)


_SCALE = re.compile(r"\(\s*[01]\s*(?:-|–|to)\s*(?:5|7|10|100)\s*\)|\bout of (?:5|7|10|100)\b")


def _singular(word: str) -> str:
    """A direction word as a pattern that also takes its singular: "lines" matches "1 line"."""
    if len(word) >= 4 and word.endswith("s") and word[-2].isalpha() and " " not in word:
        return re.escape(word[:-1]) + "s?"
    return re.escape(word)


_STATED = re.compile(r"\b(?:lower|higher|less|more)[\s-]+is[\s-]+better\b|"
                     r"\bbetter\s*[:=]?\s*(?:lower|higher)\b", re.I)


def stated(text: str) -> str:
    """The sentences of a text that state a direction in words ("Lower is better.",
    "Better: higher"), not by the measure they name ("median latency")."""
    return " ".join(s for s in re.split(r"(?<=[.!?;])\s+", text) if _STATED.search(s))


def direction(*texts: str) -> int:
    """+1 when higher numbers are better, -1 when lower are, 0 when unknown or mixed; a rate of
    things done per unit of time ("ops/s", "tasks per minute", "GB/s") is higher-better unless
    a lower-better word is there too ("USD per hour"); a currency sign is a price ("$/TB"); a
    rating on a scale ("MOS (1-5)", "out of 10") is higher-better."""
    joined = re.sub(r"(?<=\w)-(?=is-|better)", " ", " ".join(texts).lower())  # "lower-is-better"
    stated = {sign for phrase, sign in (("lower is better", -1), ("less is better", -1),
                                        ("higher is better", 1), ("more is better", 1))
              if phrase in joined} | {1 if m.group(1) == "higher" else -1 for m in  # "Better: lower"
                                      re.finditer(r"\bbetter\s*[:=]?\s*(lower|higher)\b", joined)}
    if stated:
        return stated.pop() if len(stated) == 1 else 0
    rate = _RATE.search(joined)  # "ops/s", "frames per hour": things done per unit of time
    plain = _RATE.sub(" ", joined)
    found = {sign for sign, words in ((-1, _P["direction"]["lower"]), (1, _P["direction"]["higher"]))
             for w in words if re.search(rf"(?<![\w/]){_singular(w)}(?![\w/])", plain)
             and not (rate and w in _SIZES)}  # "GB/s" is a rate, not a size
    if re.search(r"[$€£](?=\s*/|\s*\w)", plain):  # "($/TB)", "$/month": a price
        found.add(-1)
    if _SCALE.search(plain):  # a rating on a scale: "MOS (1-5)", "out of 10"
        found.add(1)
    if not found and rate:
        return 1
    return found.pop() if len(found) == 1 else 0


def find_cues(text: str) -> list[tuple[int, int, str]]:
    """(start, end, cue) of the lexicon's cue words in text; a capitalised cue that starts a
    name ("Stable Diffusion") is not one, nor "both" unless it is about the options compared
    ("both frameworks", "both are"), not "on both GPUs and TPUs", nor "either" opening a
    disjunction of actions ("either builds on X, or …"; "either PyTorch or JAX" still counts)."""
    return [(m.start(), m.end(), m.group(1).lower()) for m in _CUE_RE.finditer(text)
            if not (m.group(1)[0].isupper() and re.match(r" [A-Z0-9]", text[m.end():]))
            and (m.group(1).lower() != "both" or _BOTH.match(text[m.end():]))
            and (m.group(1).lower() != "either" or not _DISJUNCTION.match(text[m.end():])
                 and not _OF_EITHER.search(text[:m.start()]))]  # "without either": a pronoun


def is_instruction(sentence: str) -> bool:
    """Whether a sentence addresses an assistant or reader with instructions."""
    return any(p.search(sentence) for p in INSTRUCTIONS)


def modifier(before: str) -> float:
    if _WEAK_RE.search(before[-30:]):
        return 0.5
    return 1.5 if _STRONG_RE.search(before[-30:]) else 1.0
