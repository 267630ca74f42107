"""Small text utilities shared by chunking, composing and evaluation.

Terms are lower-cased word tokens with a light suffix stemmer; "topic terms" drop stop words
and the words every question here shares (framework names, "which", "better", "use", ...).
"""
from __future__ import annotations

import re

_WORD = re.compile(r"[a-z0-9][a-z0-9.+#/-]*[a-z0-9+#]|[a-z0-9]", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")

STOP = set("""a about above after again against all also am an and any are as at be because been
before being below between both but by can could did do does doing down during each few for
from further had has have having he her here hers him his how i if in into is it its itself
just me more most my no nor not now of off on once only or other our ours out over own same
she should so some such than that the their theirs them then there these they this those
through to too under until up very was we were what when where which while who whom why will
with would you your yours yourself let lets i'm we're it's what's whats thats im were re ve
s t d ll m o y x get got go going really please tell know want wants need needs like say
""".split())
GENERIC = set("""pytorch tensorflow tf torch pt framework frameworks one ones better best choose
choice pick use using used recommend recommended recommendation prefer preferred go option
options should vs versus or compare comparison compared between either which team teams
our us good great suggest advice advise opinion think thoughts ai ml library libraries
work working project projects right fit pick go something stuff thing things answer question
""".split())
INJECTION = re.compile(
    r"\b(ignore|disregard|forget|override)\b.{0,40}\b(instruction|prompt|rule|previous|above|"
    r"guideline|context)s?\b|\b(system prompt|jailbreak|you are now|pretend (to be|you are)|"
    r"act as)\b", re.I | re.S)
_CHOICE = re.compile(
    r"\b(which (one|framework|is (better|best|faster|easier|more)|should|to (use|pick|choose))|"
    r"should (i|we|you|my|our)|recommend|choose|choice|pick|go with|better|best|prefer|"
    r"suited|favou?r|worth|vs\.?|versus|or)\b", re.I)
_FACT_LEAD = re.compile(
    r"^\s*(what(?:'s| is| are| was| were)|how (much|many|fast|long|big)|list|name|when (was|did)|"
    r"who|define|explain|describe|does|do|did|can|is|are)\b", re.I)


def words(text: str) -> list[str]:
    return [w.lower().strip(".-/") for w in _WORD.findall(text)]


def stem(word: str) -> str:
    word = word.lower()
    for suffix in ("ing", "ies", "es", "ed", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def content_terms(text: str) -> list[str]:
    """Distinct stemmed topic terms of a question (stop and generic words removed)."""
    out = []
    for w in words(text):
        if w in STOP or w in GENERIC or len(w) < 2:
            continue
        s = stem(w)
        if s not in out and s not in GENERIC:
            out.append(s)
    return out


def has_term(text: str, term: str) -> bool:
    """Whether a stemmed term occurs in text (as a stemmed word, or inside a compound)."""
    stems = {stem(w) for w in words(text)}
    if term in stems:
        return True
    return any(term in w.split("-") or term in w.split("/") for w in stems) or \
        (len(term) >= 4 and any(w.startswith(term) for w in stems))


def is_injection(text: str) -> bool:
    return bool(INJECTION.search(text))


def question_kind(question: str) -> str:
    """'choice' when the question asks which framework to pick, else 'fact'."""
    both = len(set(_framework_mentions(question))) == 2
    asks_choice = bool(_CHOICE.search(question))
    if re.search(r"\bwhich (one|framework|is|should|to)\b", question, re.I):
        return "choice"
    if re.search(r"\b(should (i|we)|recommend|go with|better|best|prefer|suited)\b",
                 question, re.I):
        return "choice"
    if both and asks_choice and not _FACT_LEAD.match(question):
        return "choice"
    if both and re.search(r"\bfor\b", question, re.I) and not _FACT_LEAD.match(question):
        return "choice"
    return "fact"


def _framework_mentions(text: str) -> list[str]:
    from .stance import frameworks_in

    return frameworks_in(text)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences in text; abbreviations like 'e.g.' may split."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text.rstrip())))
    return [(a, b) for a, b in spans if b > a]
