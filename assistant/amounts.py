"""Amounts a question asks for, and whether the best passages state them: a price, a release,
a licence (patterns in data/lexicon.json) or a count ("how many GPUs?"). Feeds the
answerability model's "amount unstated" signal.
Not handled: durations and sizes (prose states them too loosely to check), a count whose noun
the documents write in other words ("vecs" for embeddings).
"""
from __future__ import annotations

import re

from .data import load as load_data
from .evidence import haystack, not_in_passing
from .lexical import content_terms, stem, words
from .question import ask_sentence

_AMOUNTS = [(re.compile(v["ask"], re.I), re.compile(v["stated"], re.I))
            for k, v in load_data("lexicon")["amounts"].items() if k != "about"]


def amount_unstated(text: str, evidence: list, names: set[str] = frozenset()) -> float:
    """1.0 when the question asks for an amount ("how much does an H100 cost per hour?", "how
    many GPUs?") that no top passage at least half as relevant as the best states in its unit
    (a price in a far less relevant passage is about something else); for a price, release or
    licence, when the asking sentence names things (`names`), the stating passage must name
    one of them too: a price of something else is no answer. Else 0.0."""
    best = [e.passage for e in not_in_passing(evidence)]
    named = [haystack(p) for p in best if not names or names & set(content_terms(_titled(p)))]
    return float(any(ask.search(text) and not any(stated.search(h) for h in named)
                     for ask, stated in _AMOUNTS) or
                 any(not any(stated.search(haystack(p)) for p in best)
                     for stated in _counted(text)))


_HOW_MANY = re.compile(r"\bhow many ([a-z][\w/-]*)", re.I)
_NUMBER = (r"(?:(?<![\w.])\d[\d,.]*\s*(?:[kmb]\b\+?|\+)?|\b(?:" +
           "|".join(load_data("lexicon")["number_words"]["words"]) + r")\b)")


def _counted(text: str) -> list[re.Pattern]:
    """"how many GPUs …?": for each count asked, a number written with that noun ("8 A100
    GPUs", "three GPUs", "12 engineer-days"). Not handled: the noun in other words ("vecs"
    for embeddings)."""
    return [re.compile(rf"{_NUMBER}\s*(?:[\w-]+\s+){{0,2}}[\w-]*?"
                       rf"{re.escape(m.group(1).lower().rstrip('s'))}", re.I)
            for m in _HOW_MANY.finditer(text)]


def _titled(passage) -> str:
    """The passage with its document's title: a name may be what the whole document is about."""
    return passage.meta.get("title", "") + "\n" + haystack(passage)


def asked_names(text: str, lexical, common: frozenset, options=None) -> set[str]:
    """What the asking sentence names that the corpus writes: the options it names, by any
    alias ("pt" is PyTorch), and other words that are not common English ("h100", "spheron")."""
    asking = ask_sentence(text)
    found = {t for o in (options.named(asking) if options else []) for t in content_terms(o)}
    for word in words(options.unnamed(asking) if options else asking):
        t = stem(word)
        if word not in common and t not in common and lexical.document_frequency(t):
            found.add(t)
    return found
