"""Names the documents never write: a release ("tf 2.16", "keras 3") or hardware, a model or a
format named by letters and digits ("MI300X", "TPU v5e"), or a product by a name with a
capital inside ("KServe"). A fact question about one cannot be answered from documents that measured
something else, nor a choice for a product they never write, and the refusal names it.
Both sets are read from the documents on the first question that needs them (advisor.py).
Not handled: plain names ("Gaudi"), versions joined to their name ("TF2").
"""
from __future__ import annotations

import re

from .data import load as load_data
from .evidence import not_in_passing
from .lexical import STOP, stem
from .question import ask_sentence, is_status

_UNIT = r"\s*(?:ms|s|secs?|seconds|hours?|gb|gib|mb|gpus?|x|\d+(?:\.\d+)?[bm])\b"  # "2.5 GB", "7b"
_RELEASE = re.compile(rf"\b([A-Za-z][\w+-]*)\s+v?(\d+\.\d+(?:\.\d+)?)(?![\w.%]|{_UNIT})", re.I)
# "tf 2.16", not "2.5 GB" nor the model "qwen 2.5 7b"
_WHOLE = re.compile(rf"\b([A-Za-z]{{2,}})\s+v?(\d{{1,2}})(?![\w.%-]|{_UNIT})", re.I)  # "keras 3"
_PROPER = re.compile(r"(?<=[a-z0-9,;:)] )[A-Z][A-Za-z]{2,}\b")  # "… with Keras", not "Top …"
_VERSION = re.compile(r"(?<![\d.])\d+\.\d+(?:\.\d+)?(?![\d])|\b[A-Za-z][\w+-]*\s+v?\d+(?!\.?\d)")
_NOT_A_NAME = re.compile(load_data("lexicon")["release"]["not_a_name"], re.I)
_IDENT = re.compile(r"(?<![\w.$/-])(?:\d+x)?((?=[a-z]*\d)(?=\d*[a-z])[a-z0-9]{2,})(?![\w.%/-])",
                    re.I)  # "MI300X", "v5e", "int8", "8xH100"; not "2.16", "$5"
_AMOUNT = re.compile(r"\d+(?:\.\d+)?(?:k|m|b|x|[kmgt]i?b|h|hrs?|yrs?|s|ms|d|w)s?",
                     re.I)  # "7b", "80gb", "3x"
_NUMERONYM = re.compile(r"[a-z]\d{1,2}[a-z]")  # "k8s", "i18n": a word, not a model or chip
_CAMEL = re.compile(r"(?<![\w.$/-])(?![A-Z]+s\b)([A-Z][A-Za-z]*[a-z][A-Z][A-Za-z]*|"
                    r"[A-Z]{2,}[a-z][A-Za-z]*)(?![\w%/-]|\.\w)")  # "KServe"; not "OOMs", "iPhones"


def releases(texts) -> frozenset:
    """Every dotted version the documents write ("2.16"), and every name with a whole-number
    version ("keras 3"), for unknown_release."""
    return frozenset(" ".join(v.lower().split()) for text in texts for v in _VERSION.findall(text))


def proper_names(texts) -> frozenset:
    """Every word the documents capitalise inside a sentence ("built on Keras"), lower-cased:
    the names whose whole-number versions unknown_release checks."""
    return frozenset(w.lower() for text in texts for w in _PROPER.findall(text))


def identifiers(texts) -> frozenset:
    """Every word with letters and digits the documents write, without hyphens or "@"
    ("ResNet-50" -> "resnet50"), with a name's number joined ("Keras 3", "YOLO v8" ->
    "keras3", "yolov8") and its version part alone ("YOLOv8" -> "v8"), for
    unknown_identifier."""
    words = set()
    for text in texts:
        low = text.lower()
        words.update(re.sub(r"[-@]", "", w) for w in re.findall(r"[a-z0-9][a-z0-9@-]*\d[a-z0-9-]*",
                                                                 low))
        words.update(a + b for a, b in re.findall(r"\b([a-z]+) (\d+|[a-z]\d+[a-z]?)\b", low))
    return frozenset(words | {m for w in words for m in re.findall(r"[a-z]\d[a-z0-9]*", w)})


def unknown_identifier(text: str, known: frozenset, written=lambda word: True,
                       digits: bool = True) -> tuple[str, None] | None:
    """(the name, None) when the asking sentence names hardware, a model or a format by a
    word of letters and digits ("MI300X", "TPU v5e", "int8") that no document writes
    (`known`: identifiers()): the documents measured something else. Amounts ("7b", "80gb",
    "3x"), numeronyms ("k8s"), a written name with up to two letters more ("H100s",
    "YOLOv8n"), pasted code and the user's own setup are no such name; a hyphen before the
    number is read away ("Phi-4" is "Phi4"); `text` has versions spaced ("TF2" -> "TF 2").
    A name with a capital inside ("KServe"; not a plural acronym "OOMs", nor a platform
    written from a small letter, "iPhones", "macOS") counts when no
    document writes its word (`written(word)`: whether some document does); `digits` False
    checks only those.
    Not handled: plain names ("Gaudi")."""
    ask = ask_sentence(text)
    if "`" in text or is_status(ask):
        return None
    def listed(word: str) -> bool:  # "H100s", "YOLOv8n": a written name with more letters
        return any(word[:n] in known for n in range(len(word) - 2, len(word) + 1))

    found = [(m, listed) for m in _IDENT.finditer(_joined(ask)) if digits] + \
        [(m, written) for m in _CAMEL.finditer(ask)]
    for m, writes in found:
        word = m.group(1).lower()
        if not _AMOUNT.fullmatch(word) and not _NUMERONYM.fullmatch(word) and not writes(word):
            shown = re.search("-?".join(map(re.escape, m.group(1))), ask)  # as the user wrote it
            return (shown.group(0) if shown else m.group(1)), None
    return None


def names_release(text: str) -> bool:
    """Whether text holds a name with a version ("tf 2.16", "keras 3"): a cheap test before
    unknown_release needs the documents' versions."""
    return bool(_RELEASE.search(text) or _WHOLE.search(text))


def names_identifier(text: str) -> bool:
    """Whether text holds a word of letters and digits that is no amount (see above)."""
    return any(not _AMOUNT.fullmatch(m.group(1)) for m in _IDENT.finditer(_joined(text))) or \
        bool(_CAMEL.search(text))


def _joined(text: str) -> str:
    """A name's number joined as the documents' names are ("Phi-4" -> "Phi4")."""
    return re.sub(r"(?<=[A-Za-z])-(?=\d)", "", text)


def unknown_release(text: str, known: frozenset, names: frozenset = frozenset()
                    ) -> tuple[str, None] | None:
    """(the release, None) when the asking sentence names a version of something ("does tf
    2.16 still …", "kueue 0.11") that no document writes (`known`: releases()), or a
    whole-number version ("keras 3", "speech-to-text v2") of a name the documents capitalise
    (`names`: proper_names()) but never write with that number: the documents cannot speak
    for that release. Pasted code or logs, and a sentence that only describes the user's own
    setup ("we're on tf 2.15"), ask about no release; nor does a model named with its size
    ("llama 3.1 70b"). Not handled: versions joined to the name ("TF2"); a model named
    without its size ("fine-tune qwen 2.5 for …?")."""
    ask = ask_sentence(text)
    if "`" in text or is_status(ask):
        return None
    for m in _RELEASE.finditer(ask):
        name, version = m.groups()
        if name.lower() in STOP or _NOT_A_NAME.match(name):  # "by default since 2.0"
            continue
        whole = version[:-2] if version.endswith(".0") else None  # "keras 3.0": "keras 3"
        if version not in known and not (whole and f"{name.lower()} {whole}" in known):
            return f"{name} {version}", None
    for m in _WHOLE.finditer(ask):  # "keras 3" where the documents write Keras, never "Keras 3"
        name, number = m.group(1).lower(), m.group(2)
        if name in names and name not in STOP and not _NOT_A_NAME.match(name) and \
                not {f"{name} {number}", f"{name} v{number}"} & known:
            return m.group(0), None
    return None


def named(question: str, read: str, state, fact: bool = True) -> tuple[str, None] | None:
    """A release or an identifier the fact question asks about that no document writes
    ("does tf 2.16 …?", "on MI300X?"), or for any other question a name with a capital inside
    ("is NanoEdge better than …?"): a choice about it cannot be made from these documents;
    `read` has versions spaced; `state` collects the documents' names on first need. Not
    handled: a choice question about a release or a name with digits ("bs1", "zero-3" are
    as often the user's shorthand as a name)."""
    if fact and names_release(question):
        found = unknown_release(question, state.releases, state.proper_names)
        if found:
            return found
    lexical = state.index.lexical
    known = state.identifiers if fact else frozenset()  # a scan of every passage: facts only
    return unknown_identifier(read, known,
                              lambda word: lexical.document_frequency(stem(word)) > 0, fact) \
        if names_identifier(read) else None


_COUNT = re.compile(r"\d+(?:\.\d+)?(?:x|k|m|s|ms|h|hrs?|mins?|d)", re.I)  # "3x", "50M", "15s":
# counts and durations, written in words as often ("50 million", "15 seconds")
_SPECIFIC = re.compile(r"(?<![\w.$/-])(?:\d+[x×])?((?=[a-z-]*\d)(?=[\d-]*[a-z])[a-z0-9-]{2,})"
                       r"(?![\w.%/-])", re.I)  # "H100", "70B", "4xH100": its "H100"


ABSENT_FROM = 5


def _tokens(evidence: list) -> dict:
    """The passages' words and hyphen-joined names ("phi4"), in the order they are written."""
    found = " ".join(e.passage.text for e in evidence).lower()
    return dict.fromkeys(re.findall(r"[a-z0-9]+", found) +
                         [re.sub(r"-", "", w) for w in re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)+",
                                                                  found)])


def _shape(word: str) -> str:
    """Where a name's letters and digits fall: "h100" and "a100" are "a#", "70b" is "#a" (so
    "S3" is no sibling of "10s")."""
    return re.sub(r"[a-z]+", "a", re.sub(r"\d+", "#", word))


def elsewhere(question: str, evidence: list, k: int = 3) -> tuple[str, None, str] | None:
    """(the asked name, None, the one the best passages write instead) when the asking
    sentence names a model, chip or size by letters and digits ("H100", "70B", "4xH100") that
    none of the ABSENT_FROM best passages writes while the k best write a sibling of it, with
    its letters and digits in the same places: the same letters with other digits ("34B") or
    the same two or more digits with other letters ("A100"). The passages then measured
    something else. A passage less than half as relevant as the best only mentions the name in
    passing ("Deploy on H100, H200, A100 …" beside a ResNet-50 row measured on an A100).
    Counts, multipliers and durations ("50M", "3x", "15s") are left alone (documents write
    them in words as often), and so are pasted code and the user's own setup.
    Not handled: a sibling written in words ("seventy billion")."""
    ask = ask_sentence(question)
    if "`" in question or is_status(ask):
        return None
    written = _tokens(evidence[:k])
    anywhere = _tokens(not_in_passing(evidence[:ABSENT_FROM]))
    for m in _SPECIFIC.finditer(ask):
        word = m.group(1).lower().replace("-", "")
        bare = word[:-1] if word.endswith("s") else word  # "H100s"
        if _NUMERONYM.fullmatch(word) or _COUNT.fullmatch(word) or \
                anywhere.keys() & {word, bare, bare + "s"}:
            continue
        letters, digits = re.sub(r"\d", "", bare), re.sub(r"\D", "", bare)
        for w in written:
            if w != bare and _shape(w) == _shape(bare) and letters and digits and (
                    re.sub(r"\d", "", w) == letters or
                    (len(digits) > 1 and re.sub(r"\D", "", w) == digits)):
                shown = re.search(r"(?<![A-Za-z0-9])" + re.escape(w), " ".join(
                    e.passage.text for e in evidence[:k]), re.I)
                return m.group(1), None, shown.group(0) if shown else w
    return None
