"""Answerability: does the corpus cover the question? One fitted logistic model, no cascade.

Signals, all general: the best dense similarity of the question (and of its best clause) to a
retrieved passage, the best BM25 score relative to the most the question could score, the
share of the question's rare-term weight found in the top passages, the share of its
vocabulary the corpus never uses (and of that, what is not common English either: names such
as "openvino"), whether it sets alternatives against each other that the corpus does not know
("openvino vs onnxruntime?"), question types (how-to, troubleshooting, recency, tasks),
whether it asks for an amount no top passage states (amounts.py: a price, release, licence
or count), whether it asks for a choice, and whether it is remote: nothing retrieved comes
near it and most of its words are unknown to the corpus. Weights and the threshold live in
data/calibration.json (fitted on the labelled question sets by
`python -m assistant.tools.calibrate`).
Also here: what the corpus can answer instead, derived from its documents and headings.
Not handled: questions answerable only by combining facts from several passages.
"""
from __future__ import annotations

import math
import re
from collections import Counter

from .amounts import amount_unstated, asked_names
from .data import load as load_data
from .evidence import haystack, matched, weights
from .lexical import stem, terms, words
from .question import ask_sentence

FEATURES = ["cosine", "clause_cosine", "bm25", "covered", "together", "unknown", "ask_unknown",
            "rare_unknown", "rare_any",
            "ask_covered", "attribute_covered", "names_together", "alternatives", "choice", "howto",
            "troubleshoot", "recency", "task", "amount_unstated", "remote"]
_NAME = re.compile(r"(?<!^)(?<![.?!]\s)\b(?:[A-Z][\w.+-]*[A-Z0-9][\w.+-]*|[A-Z][a-z]+[\w.+-]*|"
                   r"[a-z]+\d[\w.-]*)\b")
_TYPES = {k: re.compile(v, re.I) for k, v in load_data("lexicon")["question_types"].items()
          if k != "about"}
_JOINED = re.compile(r"([A-Za-z][\w.+#-]*)\s+(or|vs\.?|versus)\s+([A-Za-z][\w.+#-]*)", re.I)


def features(question, passages: list, evidence: list, lexical, query: str | None = None,
             option_terms: frozenset = frozenset(), common: frozenset = frozenset(),
             options=None) -> dict[str, float]:
    text = query or question.text
    weighted = weights(text, lexical)
    asked = weights(ask_sentence(question.text), lexical)
    top = " ".join(haystack(e.passage) for e in evidence[:3])
    best_bm25 = max((p.bm25 for p in passages), default=0.0)
    rare = _rare(text, lexical, common, option_terms, options)
    together = max((matched(weighted, haystack(e.passage)) for e in evidence[:5]), default=0.0)
    cosine = max((p.cosine for p in passages[:5]), default=0.0)
    clause_cosine = max((p.clause_cosine for p in passages[:5]), default=0.0)
    unknown = _unknown(weighted, lexical)
    return {"cosine": cosine, "clause_cosine": clause_cosine,
            "bm25": min(1.0, best_bm25 / (lexical.max_score(text) or 1.0)),
            "covered": matched(weighted, top),
            "together": together,
            "unknown": unknown, "ask_unknown": _unknown(asked, lexical),
            "rare_unknown": _rare_unknown(weighted, rare), "rare_any": float(bool(rare)),
            "ask_covered": max((matched(asked, haystack(e.passage)) for e in evidence[:5]),
                               default=0.0),
            "named": min(len(question.named), 2) / 2,
            "alternatives": float(_alternatives(text, rare, lexical, options)),
            "attribute_covered": _attribute(asked or weighted, evidence, option_terms),
            "names_together": _names_together(question.text, weighted, evidence, option_terms,
                                              lexical),
            "choice": question.choice,
            "amount_unstated": amount_unstated(question.text, evidence[:5],
                                               asked_names(question.text, lexical, common,
                                                           options)),
            "remote": _remote(max(cosine, clause_cosine), unknown),
            **{k: float(bool(p.search(question.text))) for k, p in _TYPES.items()}}


def _remote(cosine: float, unknown: float) -> float:
    """1.0 when nothing retrieved is near the question at all (its best dense similarity, of
    the whole or of a clause, is under the floor in data/calibration.json) and most of its
    vocabulary is unknown to the corpus: "recommend a good password manager" of documents on
    ML frameworks. The floor suits the packaged embedding model; another model needs its own."""
    fit = load_data("calibration")["remote"]
    return float(cosine < fit["cosine_below"] and unknown >= fit["unknown_at_least"])


def _names_together(text: str, weighted: dict[str, float], evidence: list,
                    option_terms: frozenset, lexical) -> float:
    """Whether the names a question asks about ("JAX", "MPS", "Gemini Ultra"; options aside)
    stand in one top passage together with what is asked about them: the best product of
    the two shares (1.0 when the question names nothing but options)."""
    names = {t for m in _NAME.finditer(text) for t in terms(m.group(0))} - option_terms
    if not names:
        return 1.0
    rest = {t: w for t, w in weighted.items() if t not in names and t not in option_terms}
    named = {t: lexical.rarity(t) for t in names}
    return max((matched(named, haystack(e.passage)) *
                (matched(rest, haystack(e.passage)) if rest else 1.0)
                for e in evidence[:5]), default=0.0)


def _attribute(weighted: dict[str, float], evidence: list, option_terms: frozenset) -> float:
    """How much of what is asked about the options (the question's terms other than option
    names: "engineers", "maintain") one top passage holds."""
    attribute = {t: w for t, w in weighted.items() if t not in option_terms}
    return max((matched(attribute, haystack(e.passage)) for e in evidence[:5]), default=0.0) \
        if attribute else 1.0


def _unknown(weighted: dict[str, float], lexical) -> float:
    """Share of the weight of terms the corpus never uses."""
    total = sum(weighted.values()) or 1.0
    return sum(w for t, w in weighted.items() if lexical.document_frequency(t) == 0) / total


def _rare(text: str, lexical, common: frozenset, option_terms: frozenset = frozenset(),
          options=None) -> set[str]:
    """Terms the corpus never uses that are not common English words either (not in the
    embedding model's word list) nor an option's name, alias or misspelling: "kubernetes"
    counts, chat filler such as "dumb" does not. Not handled: a misspelt corpus word that is
    not an option's name counts as rare."""
    spelt: dict[str, set] = {}
    for word in words(text):
        spelt.setdefault(stem(word), set()).add(word)
    used = set(terms(text)) - option_terms
    return {t for t, spellings in spelt.items()
            if t in used and not spellings & common and lexical.document_frequency(t) == 0
            and not (options and any(options.named(w) for w in spellings))}


def _rare_unknown(weighted: dict[str, float], rare: set[str]) -> float:
    """Share of the question's term weight that is rare and unknown to the corpus."""
    return sum(w for t, w in weighted.items() if t in rare) / (sum(weighted.values()) or 1.0)


def alternatives(text: str, lexical, options) -> bool:
    """Whether the question sets two things against each other that the corpus never uses."""
    return _alternatives(text, set(), lexical, options)


def _alternatives(text: str, rare: set[str], lexical=None, options=None) -> bool:
    """Two things set against each other that the corpus cannot compare: one of them rare and
    unknown to the corpus ("openvino vs onnxruntime"), or both words the corpus never uses
    ("flask or django", "guitar or piano") and no option's name or misspelling."""
    def unknown(side: str) -> bool:
        return lexical is not None and not (options and options.named(side)) and \
            _never_written(side, lexical)

    return any(rare & (set(terms(a)) | set(terms(b))) or (unknown(a) and unknown(b))
               for a, _, b in _JOINED.findall(text)
               if terms(a) and terms(b))  # "perf-wise or is it ..." sets nothing against


def _hyphenated(side: str) -> bool:
    """Whether a name joins words with a hyphen ("ml-agents"; not "-v2")."""
    return "-" in side.strip("-")


def _never_written(side: str, lexical) -> bool:
    """Whether the corpus never uses a word of `side`, or, for a hyphenated name
    ("ml-agents"), never writes the name as a whole although it uses its parts."""
    found = terms(side)
    if _hyphenated(side):
        return lexical.document_frequency(found[-1]) == 0
    return all(lexical.document_frequency(t) == 0 for t in found)


def uncompared(text: str, lexical, options, common: frozenset = frozenset()
               ) -> tuple[str, str | None] | None:
    """(what the corpus never mentions, the option it is set against or None) when the
    question sets one option against something the documents never use a word of ("Volcano
    vs Kueue", "mlx or pytorch?") and names no second option, or, naming no option, sets a
    name the documents never use and that is no English word against anything ("horovod vs
    DDP", "Pipelines vs Argo"): the documents cannot compare the two. A hyphenated name they
    never write whole ("ml-agents") counts only against another unknown name ("isaac"); set
    against a known one it is a description ("single-agent vs multi-agent"). Not handled: an unknown
    tool that is only listed ("YuniKorn, Kueue: which?"), or joined by a lower-case "or"
    to a name the documents do write, when no option is named ("polars or pandas")."""
    named = set(options.named(text))
    if len(named) >= 2:  # "ORT vs TRT": nicknames of two options
        return None
    for a, joiner, b in _JOINED.findall(text):
        for side, other in ((a, b), (b, a)):
            if not terms(side) or options.named(side) or not _never_written(side, lexical):
                continue
            if _hyphenated(side) and (options.named(other) or  # "single-agent vs X":
                                           not _never_written(other, lexical)):  # a description
                continue
            against = options.named(other)
            if against:
                return side, options.label(against[0])
            if not named and side.lower() not in common and \
                    (joiner.lower() != "or" or not side.islower() or re.search(r"\d", side) or
                     _never_written(other, lexical) and other.lower() not in common):
                return side, None  # "faiss or scann": neither is written anywhere
    return None


def probability(values: dict[str, float], without: tuple[str, ...] = ()) -> float:
    """P(the documents answer the question); `without`: signals left out."""
    fit = load_data("calibration")["answerable"]
    z = fit["bias"] + sum(fit["weights"].get(k, 0.0) * values[k] for k in FEATURES
                          if k not in without)
    return 1 / (1 + math.exp(-z))


def threshold() -> float:
    return load_data("calibration")["answerable"]["threshold"]


def nearest_from() -> float:
    """The answerability above which a refusal still lists the nearest passages: a set share
    of the threshold (a refusal that nearly answered)."""
    return load_data("calibration")["refusal_shows_nearest_above_share"] * threshold()


def scope_note(nodes: list, options) -> str:
    """What the corpus can answer: its compared options and its most common section topics."""
    titles = list(dict.fromkeys(n.metadata.get("title", "") for n in nodes))
    sections = Counter()
    for n in nodes:
        path = n.metadata.get("heading_path", "").split(" > ")
        if path and path[0] and path[0] not in titles:
            sections[path[0]] += 1
    pairs = [" vs ".join(options.label(o) for o in group) for group in options.compared.values()]
    topics = ", ".join(s for s, _ in sections.most_common(8))
    head = f"I can answer what the documents cover: {'; '.join(dict.fromkeys(pairs))}" if pairs \
        else "I can answer what the documents cover"
    return f"{head}{' — ' + topics if topics else ''}."
