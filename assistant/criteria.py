"""Criteria: a choice question that joins several needs gets one verdict per need.

"We need mobile deployment and want to fine-tune LLMs" is split into its clauses; each clause
with topic words of its own is matched to the evidence that holds most of its rare terms, and
that evidence's stance (verdict.py) gives the clause its own verdict. The result is a matrix
(criterion, favoured option, confidence, the evidence, one cell per option); confident clauses
that favour different options are a conflict, which the verdict model (verdict.py) weighs.
Not handled: ranking criteria by importance (all count the same).
"""
from __future__ import annotations

import json
import re

from .bounds import stated
from .data import load as load_data
from .evidence import haystack, matched, weights
from .lexical import content_terms
from .question import is_status, needless_terms, unwanted_terms

_SPLIT = re.compile(r",\s+|;\s*|\s+(?:and also|and|but also|but|while|plus|as well as)\s+|"
                    r"(?<=[.!?])\s+", re.I)
_HEARSAY = re.compile(load_data("lexicon")["roles"]["hearsay"], re.I)
MIN_SHARE = 0.6    # a clause needs evidence holding this share of its rare terms
CONFIDENT = 0.7    # a criterion's verdict counts for a conflict from this probability
MIN_TERMS = 2      # corpus words a clause needs to be a criterion
MAX_CRITERIA = 4
MAX_JOINED = 8     # words from one alternative to the other, "or" between them
_JOINED = re.compile(r"\b(?:or|vs\.?|versus)(?:\s|$)", re.I)
_SENTENCE = re.compile(r"[.!?;](?:\s|$)")


def split(query: str, options) -> list[str]:
    """Clauses of the query that carry topic words beyond option names (a clause that only
    describes the current state, "our platform is TF-first", or reports what someone else
    wants, "a colleague wants us on KerasNLP", is no criterion; nor are the alternatives
    themselves, see `without_alternatives`)."""
    parts = []
    for part in _SPLIT.split(without_alternatives(query, options)):
        part = part.strip(" ,.?!")
        if is_status(part) or _HEARSAY.search(part):
            continue
        if len(content_terms(options.unnamed(part, ""))) >= 2:
            parts.append(part)
    return parts[:MAX_CRITERIA]


def without_alternatives(query: str, options) -> str:
    """The query without the alternatives it sets against each other: from one option's
    mention to another option's mention in the same sentence, when "or" or "vs" joins them
    within a few words that hold no need of their own ("Stay TF with KerasNLP, or switch to
    pytorch?" asks the choice; it is no need that favours TensorFlow; "how much would birch
    save us per month vs alder" keeps its need). Not handled: alternatives spread over two
    sentences."""
    found = options.mentions(query)
    cuts: list[list[int]] = []
    for (a, _, first), (_, b, second) in zip(found, found[1:]):
        between = query[a:b]
        if first == second or not _JOINED.search(between) or _SENTENCE.search(between) or \
                len(between.split()) > MAX_JOINED or _needs(between, options):
            continue
        if cuts and a < cuts[-1][1]:  # "pytorch or tf or jax": one span
            cuts[-1][1] = b
        else:
            cuts.append([a, b])
    for a, b in reversed(cuts):
        query = query[:a] + ", " + query[b:]  # the needs on either side stay apart
    return query


def _needs(text: str, options) -> bool:
    """Whether text, without its option names, holds words enough to be a need itself."""
    return len(content_terms(_JOINED.sub(" ", options.unnamed(text, "")))) >= MIN_TERMS


def matrix(query: str, evidence: list, options, pool: list[str], lexical) -> list[dict]:
    """One row per criterion that the evidence speaks to (empty when fewer than two)."""
    from .verdict import aggregate, choose
    from .votes import option_terms, passage_scores

    names = option_terms(options)
    rows = []
    for clause in split(query, options):
        weighted = {t: w for t, w in weights(clause, lexical).items()  # words the corpus uses
                    if lexical.document_frequency(t)}
        if len(weighted) < MIN_TERMS:
            continue
        scored = sorted(((matched(weighted, haystack(e.passage)), i, e)
                         for i, e in enumerate(evidence)), key=lambda s: (-s[0], s[1]))
        best = [(share, e) for share, _, e in scored[:2] if share >= MIN_SHARE]
        if not best:
            continue
        unwanted = unwanted_terms(clause)  # "not HF based": HF counts against
        items = [(share, passage_scores(e, weighted, pool, names, options, unwanted,
                                        needless=needless_terms(clause),
                                        figures=stated(query)),
                  float(e.meta.get("trust", 1.0))) for share, e in best]
        total, _, strongest = aggregate(items, pool, 1.0)
        verdict, probability = choose(total, pool, best=strongest)
        rows.append({"criterion": clause, "favours": verdict,
                     "confidence": round(probability, 3), "evidence": best[0][1],
                     "cells": _cells(best[0][1].meta, pool)})
    if len(rows) < 2 or len({id(r["evidence"]) for r in rows}) < 2:
        return []
    return rows


def conflict(rows: list[dict], threshold: float = CONFIDENT) -> bool:
    """Confident criteria favour different options (the verdict model weighs this)."""
    sides = {r["favours"] for r in rows if r["favours"] != "either" and
             r["confidence"] >= threshold}
    return len(sides) >= 2


def _cells(meta: dict, pool: list[str]) -> dict[str, str]:
    """Option -> that option's cell of a table row ("" for prose evidence)."""
    columns = json.loads(meta.get("option_columns") or "{}")
    cells = json.loads(meta.get("row_cells") or "[]")
    out = {option: "" for option in pool}
    for i, option in columns.items():
        if option in out and int(i) < len(cells):
            out[option] = cells[int(i)]
    return out
