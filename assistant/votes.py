"""Votes: what one evidence passage says about each candidate, focused on the question.

Each passage's stance was computed at indexing (stance.py); here every part of it is weighted
by how many of the question's rare terms it holds (the clause or table cell about what was
asked counts most; a recommendation holds the rest of its sentence's condition); a clause
about one option that holds what was asked credits that option (unless it only states a
measured number); a "When to choose X" heading adds its share; a
term of the question found in some candidates' table cells and not others' ("FP8") counts for
those candidates (features.py), and a feature row whose label the question asks for
("Integrated Gradients", "TensorFlow/Keras models") counts double, and such a row whose numbers have no known
direction is compared the way the question asks ("which supports more providers?"; so is a
measure down a table of options, "which lets me reserve the biggest cluster?"). A
passage from a document that compares other options counts for less.
A table row whose label names what the question does not want ("not HF based": "HF Trainer
compatibility") says nothing, unless it measures it in a known direction ("the least memory":
"Scheduler memory when idle (GB)" is what was asked). A recommendation whose condition
bounds a quantity the user's own figure lies outside of ("at 34B or more" to "a 13B model",
bounds.py) credits nothing. Not handled: a question term that a cell states in other words.
"""
from __future__ import annotations

import json
import re

from .bounds import unmet as unmet_bound
from .data import load as load_data
from .lexical import term_set
from .stance import measures, parse
from .features import feature_presence, hedged
from .tables import STRICT_TIE, among, compare_numbers

_P = load_data("polarity")
_LESS = re.compile(r"\b(" + "|".join(map(re.escape, _P["magnitude"]["down"] + _P["negators"] +
                                           _P["superlative"]["down"] + _P["negators_close"])) +
                   r")\b", re.I)  # "fewer knobs", "no manual scaling", "the least control"

CAPABILITY = 2.0    # a clause about one option that holds what was asked credits that option
HEADING_SHARE = 0.7
NEEDLESS_SHARE = 0.5  # of a clause's hold on the question, for it to offer the needless
ASKED_ROW = 2.0     # a feature row whose label the question asks for counts this much more
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\n")
_LABEL = re.compile(r"(?:^|[\n.!?]\s*|[*•-]\s+)([^\n.!?:*•]+):\s*$")  # "* Default for …: "
_CONTRAST = re.compile(r"\b(?:but|however|whereas|while|although|though|yet)\b", re.I)
OFF_TOPIC = 0.3       # weight of evidence from a document that compares other options
# "which engine": the kind of option asked for is no feature ("Engines must be rebuilt")
_WAYS = {sign: re.compile(r"\b(?:" + "|".join(_P["superlative"][key] +
                                               _P["superlative"]["asked_" + key])
                          + r")\b", re.I) for sign, key in ((1, "up"), (-1, "down"))}


def way(text: str) -> int:
    """+1 when text speaks of the most of something ("the highest throughput"), -1 of the
    least ("draws the least power"), 0 of neither or both."""
    ways = {sign for sign, pattern in _WAYS.items() if pattern.search(text)}
    return ways.pop() if len(ways) == 1 else 0


def _part_hits(parts: list, text: str, weighted: dict[str, float],
               total: float | None = None, spans: list | None = None) -> list[float]:
    """Share of the question's rare-term weight each part's span (see _spans; `spans` when
    the caller has them already) holds."""
    total = total or sum(weighted.values()) or 1.0
    hits = []
    for start, end in spans or _spans(parts, text):
        found = term_set(text[start:end] if end != -1 else text)
        hits.append(sum(w for t, w in weighted.items() if t in found) / total)
    return hits


def _spans(parts: list, text: str) -> list[tuple[int, int]]:
    """Each part's span (end -1: the whole text); a part that takes a side also holds the rest
    of its sentence's clauses about the same subject that take none ("Choose X if features are
    mostly batch, …, and cost is the main concern": the whole condition), and the clauses of
    its sentence just before it that are about an option and take no side ("New project, 7B
    to 13B, standard PyTorch code: X.": a fronted condition). Not handled: a fronted
    condition that names no option."""
    spans = []
    for i, (a, b, stance, subject, *_) in enumerate(parts):
        start, end = a, b
        for c, d, other, same, *_ in parts[i + 1:] if stance and b != -1 else ():
            if other or same != subject or d == -1 or _SENTENCE_END.search(text[end - 1:c]):
                break
            end = d
        for c, d, other, *_ in reversed(parts[:i]) if stance and b != -1 else ():
            if other or d == -1 or _SENTENCE_END.search(text[d - 1:start]) or \
                    _CONTRAST.search(text[d:start]):  # "X has the lowest power, but …"
                break
            start = c  # "New project, 7B to 13B, standard PyTorch code: X." holds its condition
        label = _LABEL.search(text[:start]) if stance and end != -1 else None
        start = label.start(1) if label else start  # "Default for new services: X" holds its label
        spans.append((start, end))
    return spans


def passage_scores(evidence, weighted: dict[str, float], pool: list[str],
                   names: frozenset = frozenset(), options=None,
                   unwanted: frozenset = frozenset(), asked: int = 0,
                   needless: frozenset = frozenset(), figures: list = ()) -> dict[str, float]:
    """Stance of one evidence passage toward the candidates, focused on the question; `asked`
    is way() of the asking sentence: a clause about one option that holds what was asked
    (beyond the options' names) and says it has the most or the least of it ("Coral has the
    lowest wall power") credits the option when that is the way asked, debits it when it is
    the other way. A clause that offers what the user does not need (`needless`: "X gives
    finer control" to "don't care about fine-grained control") credits nothing, and so does a
    recommendation whose condition bounds a quantity the user's `figures` (bounds.stated) fall
    outside of ("at 34B or more, use X" to "training a 13B")."""
    meta, text = evidence.meta, evidence.passage.text
    parts = parse(meta.get("stance", ""))
    if unwanted and meta.get("kind") == "table_row" and _label_terms(meta) & unwanted and \
            json.loads(meta.get("row_numbers") or "{}") == {}:  # "the least memory": measured,
        parts = []  # "not HF based": the row "HF Trainer compatibility | …" is beside the point
    spans = _spans(parts, text)
    hits = _part_hits(parts, text, weighted, spans=spans)
    top = max(hits, default=0.0)
    # what a clause holds of what was asked about an option, its name aside: a question
    # that names Helicone is not asking for what the clause "… routed through Helicone" holds
    held = _part_hits(parts, text, {t: w for t, w in weighted.items() if t not in names},
                      spans=spans)
    scores: dict[str, float] = {}
    heading = parse(meta.get("heading_stance", ""))
    present = feature_presence(meta, weighted, pool, names, options, unwanted)
    qualified = hedged(meta, weighted, present)
    asked_row = ASKED_ROW if _row_asked(meta, weighted, names) else 1.0
    for (a, b, stance, subject, *negated), hit, own, (start, end) in \
            zip(parts, hits, held, spans):
        w = asked_row * (0.05 + hit) / (0.05 + top)  # the clause about what was asked counts most
        offers = _offers(text[a:b], weighted, needless - names)
        unmet = bool(stance) and end != -1 and unmet_bound(text[start:end], figures)
        for option, value in stance.items():
            if option in qualified and value < 0 or (offers or unmet) and value > 0:
                continue  # "FP8 (experimental)" has what was asked, hedged
            if option in pool or option == "either" and not _tie_of_others(
                    text[_sentence_start(text, a):b], pool, options):
                scores[option] = scores.get(option, 0.0) + w * value
        if subject in pool and own >= 0.15 and not measures(text[a:b]) and not unmet:
            # "X does not run on CPUs" holds the terms too; "X took 95 s" is a measurement
            sign = -1 if negated and negated[0] or stance.get(subject, 0.0) < 0 or \
                heading.get(subject, 0.0) < 0 or offers else 1  # "Known limitations > X"
            scores[subject] = scores.get(subject, 0.0) + sign * CAPABILITY * own
        said = way(text[a:b]) if asked and subject in pool and own >= 0.15 and not stance else 0
        if said:  # "which draws the least power?": "X has the lowest wall power"
            scores[subject] = scores.get(subject, 0.0) + asked * said * CAPABILITY * own
    for option, value in heading.items():
        if option in pool:
            scores[option] = scores.get(option, 0.0) + HEADING_SHARE * value
    for option, value in [*present.items(), *among(meta, pool, strict=bool(asked)).items(),
                          *_asked_way(meta, pool, asked if asked_row > 1 else 0).items(),
                          *_asked_measure(meta, pool, asked, weighted, names).items()]:
        scores[option] = scores.get(option, 0.0) + value
    return scores


def _offers(clause: str, weighted: dict[str, float], needless: frozenset) -> bool:
    """Whether what a clause holds of the question is mostly (NEEDLESS_SHARE of its weight)
    what the user does not need, and it does not say the option has less or none of it."""
    if not needless:
        return False
    found = term_set(clause)
    held = sum(w for t, w in weighted.items() if t in found)
    offered = sum(w for t, w in weighted.items() if t in found and t in needless)
    return offered > 0 and offered >= NEEDLESS_SHARE * held and not _LESS.search(clause)


def _asked_way(meta: dict, pool: list[str], asked: int) -> dict[str, float]:
    """A row the question asks about, compared the way the question asks when that is not the
    row's own direction: "which supports more model providers?" of a row with no known
    direction ("Model providers supported | 110 | 45 | 60"), "which gives the most RAM?" of
    a row whose unit reads lower-is-better ("RAM | 25 GB | 32 GB"): the asked way replaces it."""
    values = json.loads(meta.get("row_values") or "{}") if asked else {}
    inside = {o: asked * v for o, v in values.items() if o in pool}
    if len(inside) < 2:
        return {}
    signed = {o: v for o, v in json.loads(meta.get("row_numbers") or "{}").items() if o in pool}
    ways = {1 if v * values[o] > 0 else -1 for o, v in signed.items() if v and values.get(o)}
    if ways == {asked}:
        return {}  # the row's own direction, already in its stance
    old = compare_numbers(signed, tie=STRICT_TIE) if len(signed) >= 2 else {}
    new = compare_numbers(inside, tie=STRICT_TIE)
    return {o: ASKED_ROW * (new.get(o, 0.0) - old.get(o, 0.0))
            for o in {*new, *old} if o in pool or o == "either"}


def _asked_measure(meta: dict, pool: list[str], asked: int, weighted: dict[str, float],
                   names: frozenset) -> dict[str, float]:
    """A measure of no known direction in a table that lists the options down a column
    ("Provider | … | Largest cluster we could reserve"), compared the way the question asks
    when it asks about that measure ("which lets me reserve the biggest cluster?")."""
    out: dict[str, float] = {}
    for header, values in json.loads(meta.get("measure_values") or "{}").items() if asked \
            else ():
        inside = {o: asked * v for o, v in values.items() if o in pool}
        if _asks(term_set(header) - names, weighted) and len(inside) >= 2:
            for o, v in compare_numbers(inside, tie=STRICT_TIE).items():
                out[o] = out.get(o, 0.0) + ASKED_ROW * v
    return out


def _row_asked(meta: dict, weighted: dict[str, float], names: frozenset) -> bool:
    """Whether a table row is about a feature the question asks for: at least half of its
    label's terms, word pairs included, are among the question's ("Integrated Gradients";
    "Compile time (first step)" for "which compiles faster before the first step?"; "Mobile
    (Android/iOS)" for "an android + iOS app"). Not handled: a label in other words than the
    question's ("Edge/IoT" for "a microcontroller")."""
    return meta.get("kind") == "table_row" and _asks(_label_terms(meta) - names, weighted)


def _asks(label: frozenset, weighted: dict[str, float]) -> bool:
    """Whether at least half of a label's terms are among the question's."""
    return bool(label) and 2 * len(label & set(weighted)) >= len(label)


def _label_terms(meta: dict) -> frozenset:
    """Terms of a table row's label, its first cell ("HF Trainer compatibility")."""
    return term_set((json.loads(meta.get("row_cells") or "[]") or [""])[0])


def _sentence_start(text: str, at: int) -> int:
    """Where the sentence holding position `at` starts."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, max(at, 0))]
    return ends[-1] if ends else 0


def _tie_of_others(clause: str, pool: list[str], options) -> bool:
    """Whether a tie ("Qdrant and Weaviate are indistinguishable"; "… for JAX and TensorFlow
    models: both are exported …", read from its sentence's start) is between options of which
    fewer than two are candidates: it says nothing of a choice between pgvector and Qdrant."""
    named = {o for _, _, o in options.mentions(clause)} if options is not None else set()
    return len(named) >= 2 and len(named & set(pool)) < 2


def on_topic(evidence, pool: list[str], options) -> float:
    """1.0 for a passage from a document that compares the candidates (or compares nothing);
    OFF_TOPIC for one from a document comparing other options ("JAX vs PyTorch" evidence for
    a PyTorch-or-TensorFlow question speaks about PyTorch against JAX)."""
    compared = options.compared.get(evidence.meta.get("source", ""))
    return 1.0 if not compared or set(pool[:2]) <= set(compared) else OFF_TOPIC


def option_terms(options) -> frozenset:
    """Terms of the options' names and aliases."""
    return frozenset(t for name in list(options.display) + list(options.aliases)
                     for t in term_set(name))
