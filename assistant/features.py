"""Features: a term the question asks for that some candidates' table cells hold and
others' do not ("FP8" in one option's "Supported Formats" cell), read per table row.

Such a term favours the candidates whose cells hold it, and counts against them when the
question does not want it or the cell denies it; a hedge right after it ("FP8
(experimental)") only qualifies it. Not handled: a cell that states the term in other words.
"""
from __future__ import annotations

import json
import re

from .data import load as load_data
from .lexical import term_set
from .tables import CELL_DENIAL

FEATURE_BONUS = 3.0  # having the asked feature outweighs a qualifier such as "(experimental)"
_DOTTED = re.compile(r"\.[^\W\d]")  # "tf.keras", not "3.0"
_CLASS_TERMS = term_set(" ".join(load_data("lexicon")["option_classes"]))


def feature_terms(cell: str, options) -> frozenset:
    """Terms of a cell that name a feature, not a product: tokens that are an option's own
    names ("TF-Agents", "TorchVision", "TF Serving") or dotted identifiers
    ("tf.keras.applications"; a version such as "AGPL-3.0" is none) say what a user already
    uses, not what they need; bare numbers ("~30%") are quantities, not features."""
    tokens = re.split(r"[\s,;()]+", cell)
    kept = [t for i, t in enumerate(tokens)
            if t and not _DOTTED.search(t.strip(".")) and not re.fullmatch(r"\W*[\d.,]+\W*", t)
            and not (options and (options.mentions(t) or i and _compound(tokens[i - 1], t,
                                                                        options)))]
    return term_set(" ".join(kept))


def _compound(before: str, word: str, options) -> bool:
    """Whether two words make one of an option's compound names ("TF Serving": tfserving)."""
    return (before + word).lower() in options.aliases


def _denied(cell: str, found: set) -> bool:
    """Whether the part of a cell that holds the found terms denies them ("Not supported
    (WSL only)"); a denial in another part ("None; loads checkpoints directly") does not."""
    parts = [p for p in re.split(r"[;,]", cell) if term_set(p) & found]
    return any(CELL_DENIAL.search(p) for p in parts or [cell])


def feature_presence(meta: dict, weighted: dict[str, float], pool: list[str],
                     names: frozenset = frozenset(), options=None,
                     unwanted: frozenset = frozenset()) -> dict:
    """A question term found in some candidates' cells of a table row but not all favours
    them, shared among them (terms that only name an option's own products do not, see
    feature_terms, unless only one document's cells name them: "serve it with vLLM" beside
    "PyTorch: TorchServe, vLLM"; nor the kind of option asked for, "which engine"); it counts
    against them when the question does not want it ("zero GPUs") or the part of the cell
    holding it denies it ("Not supported (… via WSL)"); a row where every candidate's cell holds
    such a term still decides when the question wants some and not others ("BSD is fine,
    Apache-2.0 needs a legal review"). Not handled: a term the question mentions only as
    context ("we bump drivers monthly") favours the option whose cell names it."""
    columns = json.loads(meta.get("option_columns") or "{}")
    if not columns:
        return {}
    if options is not None and options.local:  # products only one document's cells name
        names = names - frozenset(t for a in options.local for t in term_set(a))
        options = options.within("")
    cells = json.loads(meta["row_cells"])
    label_terms = term_set(cells[0]) | term_set(" ".join(json.loads(meta["table_header"]))) | \
        _CLASS_TERMS | term_set(" ".join(getattr(options, "kinds", None) or []))
    having, present = {}, 0
    for i, option in columns.items():
        if option in pool and int(i) < len(cells):
            present += 1
            found = (feature_terms(cells[int(i)], options) - label_terms - names) & set(weighted)
            if found:
                term = max(found, key=weighted.get)
                sign = (-1 if found & unwanted else 1) * \
                    (-1 if _denied(cells[int(i)], found) else 1)
                having[option] = sign * weighted[term]
    if not having or len(having) == present and len({v > 0 for v in having.values()}) == 1:
        return {}  # every candidate has it, and the question wants it of all or of none
    total = sum(weighted.values()) or 1.0  # a share: how much of the question it is
    return {option: FEATURE_BONUS * max(-1.0, min(1.0, 3 * weight / total)) / len(having)
            for option, weight in having.items()}


def hedged(meta: dict, weighted: dict[str, float], present: dict) -> set[str]:
    """Options whose cell holds the asked feature with a hedge in brackets right after it
    ("FP16, BF16, FP8 (experimental)" for "which supports fp8?"): the hedge qualifies a
    feature only they have, and does not count against them."""
    columns = json.loads(meta.get("option_columns") or "{}")
    cells = json.loads(meta.get("row_cells") or "[]")
    out = set()
    for i, option in columns.items():
        if present.get(option, 0.0) <= 0 or int(i) >= len(cells):
            continue
        before = " ".join(m.group(1) for m in re.finditer(r"([\w.+-]+)\s*\([^)]*\)",
                                                          cells[int(i)]))  # "FP8 (...)"
        if term_set(before) & set(weighted):
            out.add(option)
    return out
