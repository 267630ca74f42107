"""Spellings: one option written two ways in one document ("Apache Airflow" as a column
header, "Airflow" in the title; "HF Tok." beside "HF Tokenizers"), and a heading's short form
of a longer name ("When to choose Spark" beside "Apache Spark"), learned at index time.
Not handled: two spellings in different documents that no heading or header ties together.
"""
from __future__ import annotations

from collections import Counter

from .lexical import STOP


def merge_spellings(options, places: dict, in_titles: set[str]) -> dict[str, str]:
    """One option written two ways in one document ("Apache Airflow" as a column header,
    "Airflow" in the title and headings) is one option: the form the title uses is kept (else
    the longer), the other becomes its alias; so does a header clipped with a dot that spells
    out another option's name word by word ("HF Tok." beside "HF Tokenizers"). Returns alias
    -> kept key."""
    merged = {}
    for short in sorted(options.display, key=lambda k: len(k.split())):
        words = short.split()
        longer = [d for d in options.display if d != short and d not in merged
                  and len(d.split()) > len(words) and places[short] & places[d]
                  and words in (d.split()[-len(words):], d.split()[:len(words)])]
        if len(longer) != 1 or short in merged:
            continue
        keep, drop = (short, longer[0]) if short in in_titles and longer[0] not in in_titles \
            else (longer[0], short)
        merged[drop] = keep
        places[keep] |= places[drop]
    for short in options.display:
        full = _expanded(short, [d for d in options.display if d != short and d not in merged
                                 and places[short] & places[d]])
        if full and short not in merged:
            merged[short] = full
            places[full] |= places[short]
    for drop in merged:
        options.display.pop(drop)
    return merged


def _expanded(short: str, others: list[str]) -> str | None:
    """The one other name that an abbreviation spells out word by word ("HF Tok." for "HF
    Tokenizers"; a clipped word ends in a dot), else None."""
    words = short.split()
    if not short.endswith(".") or len(short.rstrip(".")) < 2:
        return None
    stems = [w.rstrip(".") for w in words]
    full = [d for d in others if len(d.split()) == len(words) and d.rstrip(".") != short.rstrip(".")
            and all(w.startswith(p) for w, p in zip(d.split(), stems))]
    return full[0] if len(full) == 1 else None


def heading_short_names(titles: Counter, places: dict, options) -> dict[str, str]:
    """A heading that names part of one option's name in the same document ("When to choose
    Spark" beside an "Apache Spark" column) gives that part as an alias."""
    out = {}
    for key in titles:
        words = key.split()
        if key in options.display or key in STOP:
            continue
        whole = [d for d in options.display if len(d.split()) > len(words)
                 and words in (d.split()[-len(words):], d.split()[:len(words)])
                 and places[key] & places[d]]
        if len(whole) == 1:
            out[key] = whole[0]
    return out
