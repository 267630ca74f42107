"""Titles: the names a title, heading or table cell writes, read for discovery.py.

A product name is capitalised ("TensorRT"), has a capital inside ("vLLM") or is one lower-case
word ("hnswlib"); a title or heading sets names against each other ("A vs B vs C"), recommends
one ("When to choose X") or lists them after its colon ("...: A, B and C"); a name's short
forms include its initials ("W&B"); the kind of option compared ("store", "engine") is read
from the titles of the documents that compare them.
Not handled: names written only in prose; kinds named by an agent noun in -or.
"""
from __future__ import annotations

import re

from .data import load as load_data
from .lexical import STOP
from .options import CHOOSE, Options, header_name

_LEX = load_data("lexicon")
_NON_OPTION = set(_LEX["non_option_headers"])
CLASSES = set(_LEX["option_classes"])  # "| Wave | Scope | Backend |": the kind, not an option
_CHOOSING = frozenset(_LEX["choosing_words"]["words"])
_VERSUS = re.compile(_LEX["versus"], re.I)
_NAME = re.compile(r"[A-Z][\w.+#-]*(?:\s+(?:&\s+)?[A-Z][\w.+#-]*){0,3}")  # "Bits & Bytes"
_LOWER_NAME = re.compile(r"[a-z][\w.+#-]+(?=[\s:,;.!?)]|$)")  # "hnswlib", "pandas"
_DOC_WORDS = frozenset(_LEX["document_words"]["words"])
_NOT_KINDS = _DOC_WORDS | frozenset(_LEX["cue_words"]["words"])
_ONE = r"(?:[A-Z][\w.+#-]*(?::[a-z]\w*)?(?:\s+(?:&\s+)?[A-Z][\w.+#-]*){0,2}|[a-z][\w.+#-]+)"
# ("Run:ai" is one name)
_LISTED = re.compile(rf"{_ONE}(?:,\s*{_ONE})*,?\s+(?:and|or)\s+{_ONE}")  # "A, B and c"
_JOINED_REST = re.compile(r"\s*[+/&]\s*[\w.#-]+(?:\s+[\w.#-]+)?")  # " + Kueue" after a name


def is_name(name: str) -> bool:
    """A product name: capitalised ("TensorRT"), with a capital inside ("vLLM", "iOS"), or
    one lower-case word of two letters or more ("hnswlib", "uv": discover() wants it in a
    heading and a table header); not a word for a kind of option ("Backend", "Engine")."""
    return bool(name) and name.lower() not in _NON_OPTION | CLASSES and len(name.split()) <= 4 \
        and len(name) <= 30 and name.lower() not in STOP and \
        (name[0].isalpha() and (name[0].isupper() or any(c.isupper() for c in name.split()[0])
                                or " " not in name and len(name) >= 2))


def heading_names(text: str) -> list[str]:
    """Names a title or heading sets against each other ("A vs B vs C") or recommends; a
    lower-case single word counts too ("When to choose hnswlib", "FAISS vs hnswlib")."""
    names = []
    for match in CHOOSE.finditer(text):
        at = match.end() + (text[match.end():].startswith(" "))
        name = _NAME.match(text, at) or _LOWER_NAME.match(text, at)
        if name:
            names.append(name.group(0))
    for part in re.split(r"\s*[:|–—]\s+|\s+-\s+", text):  # "Serving and Batch: A vs B"
        names += _versus_chain(part)
    return [header_name(n) for n in names]


def _versus_chain(part: str) -> list[str]:
    """"A vs B (vs C)": the name just before the first "vs", then each side while it is one
    name ("A + B vs C" goes on)."""
    first = re.search(r"\s+(?:vs\.?|versus)\s+", part, re.I)
    if not first:
        return []
    before = part[:first.start()].strip()
    before = before.rsplit("(", 1)[-1] if before.count("(") > before.count(")") else before
    names = (re.findall(r"(?<![\w.+#-])(?:[A-Z][\w.+#-]*\s+(?:&\s+)?){0,3}[A-Z][\w.+#-]*$",
                        before) or
             re.findall(r"(?<!\S)[a-z][\w.+#-]+$", before))[:1]
    for side in _VERSUS.split(part[first.end():]):
        right = _NAME.match(side.strip()) or _LOWER_NAME.match(side.strip())
        if right:
            names.append(right.group(0))
        rest = side.strip()[right.end():] if right else ""
        if not right or rest and not _JOINED_REST.fullmatch(rest):
            break
    return names


def listed_names(text: str) -> list[str]:
    """Names a title lists after its colon ("Feature Stores Compared: Feast, Tecton and
    Hopsworks"): options only where a table lists them down its first column too."""
    names, parts = [], re.split(r"\s*[:|–—]\s+|\s+-\s+|(?<=\?)\s+", text)
    for part in parts[1:] + [p for p in parts[:1] if p.endswith("?")]:  # "A, B or C? Notes"
        if _LISTED.fullmatch(part.strip(" .?!")):
            names += [n for n in re.split(r",\s*(?:(?:and|or)\s+)?|\s+(?:and|or)\s+",
                                          part.strip(" .?!")) if n]
    return [header_name(n) for n in names]


def short_forms(name: str) -> list[tuple]:
    """(pattern, form) for a name (any case) and its initials in capitals ("W&B" for "weights
    & biases"; "HF Tokenizers" for "hugging face tokenizers": all but its last word)."""
    words, edge = name.split(), (r"(?<![\w&])", r"(?![\w&])")
    out = [(re.compile(edge[0] + re.escape(name) + edge[1], re.I), name)]
    if len(words) >= 2:
        initials = "".join(w if not w[0].isalnum() else w[0] for w in words)
        out.append((re.compile(edge[0] + re.escape(initials.upper()) + edge[1]), initials))
    if len(words) >= 3:
        head = "".join(w[0] for w in words[:-1] if w[0].isalnum()).upper()
        out.append((re.compile(rf"{edge[0]}{head}\s+(?i:{re.escape(words[-1])}){edge[1]}"),
                    f"{head.lower()} {words[-1]}"))
    return [(p, f) for p, f in out if len(f) >= 2]


def option_kinds(titles: set[str], options: Options) -> list[str]:
    """What the compared options are, from the titles of the documents that compare them: the
    last word of a title part that names no option, before any "for/in/on …" ("Feature
    Stores: Feast vs Tecton" -> "store"), unless it is a question word ("… Should You
    Choose?") or names a kind of document ("ML Platform Wiki"); with it, the agent noun of a
    gerund before it ("Experiment Tracking Tools" -> "tool", "tracker"). Document words that
    end the title's first part are passed over ("Feature Store Evaluation: …" -> "store"), and
    so are words of choosing that end any part ("Backend choice for …"); a two-word kind also
    gives its initials ("fs").
    Not handled: agent nouns in -or ("orchestrator")."""
    kinds = set()
    for title in titles:
        parts = re.split(r"\s*[:|·–—]\s*|\s+-\s+", re.sub(r"\([^)]*\)", "", title))
        for n, part in enumerate(parts):
            part = re.split(r"\s+(?:for|in|on|with|at|of)\s+", part)[0]  # "Engines for ML …"
            words = re.findall(r"[A-Za-z]+", part)
            while n == 0 and len(words) > 1 and words[-1].lower() in _DOC_WORDS:
                words.pop()  # "Feature Store Evaluation: …" names a store ("… Platform Wiki" not)
            while len(words) > 1 and words[-1].lower() in _CHOOSING:
                words.pop()  # "ADR-12: Backend choice for …" names a backend
            if not words or options.named(part) or re.search(r"\b(vs\.?|versus)\b", part, re.I):
                continue
            word = words[-1].lower()
            if len(word) >= 3 and word not in STOP and word not in _NOT_KINDS \
                    and not word.endswith("ing"):  # "Data Versioning for ML" names an activity
                kinds.add(word[:-3] + "y" if word.endswith("ies") else  # "libraries"
                          word[:-1] if word.endswith("s") and not word.endswith("ss") else word)
                if len(words) >= 2 and words[-2].lower() not in STOP:  # "feature store": "fs"
                    kinds.add((words[-2][0] + word[0]).lower())
                kinds.update(w.lower()[:-3] + "er" for w in words[-3:-1]
                             if w.lower().endswith("ing") and len(w) >= 6)  # tracking -> tracker
    return sorted(kinds)
