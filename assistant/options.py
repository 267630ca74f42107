"""Options: the things the documents compare (found at index time by discovery.py), and their
mentions in prose and questions.

An option has a display spelling and aliases (initials, a name's own identifiers, compounds,
short forms: aliases.py). Mentions are found as whole words, with near-misspellings of long
names ("pytroch") accepted in questions, and, in a list of options a question sets against
each other, a short nickname made of a listed option's peer's letters in order ("af vs
prefect" -> Airflow).
Where the reader of questions says which words are ordinary (`known`), a word that only starts
one option's name ("accel", "pgvec") names it. Not handled: nicknames outside such a list.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from .data import load as load_data
from .lexical import STOP

_LEX = load_data("lexicon")
CHOOSE = re.compile(_LEX["choose_heading"], re.I)
_LIST_GAP = re.compile(r"\s*(?:/|,|&|,?\s*(?:vs\.?|versus|or|and))\s*", re.I)
_GAP_BEFORE = re.compile(_LIST_GAP.pattern + r"(?:[A-Za-z]{2,4}\s+)?", re.I)  # "or HF ⟨X⟩"
_LISTED = re.compile(r"(?:^|[\s(\"'])[A-Za-z][\w-]*/$")  # "mlc/" before a name: a list
_TOKEN = re.compile(r"[A-Za-z][\w.+#/-]*[\w+#]|[A-Za-z]")


def header_name(header: str) -> str:
    """A column header without parentheses, units and versions: "JAX (ms/step)" -> "JAX",
    "PyTorch 2.x" -> "PyTorch"; a number joined to the name by a hyphen is the name's own
    ("Hailo-8", "Phi-4")."""
    text = re.sub(r"\([^)]*\)|\[[^]]*\]", " ", header)
    text = re.sub(r"(?<![\w-])v?\d+(?:\.[\dx]+)*\+?(?!\w)|\b\d+\.x\b", " ", text)
    return " ".join(text.split()).strip(" :-–—,")


def _join(name: str) -> str:
    return re.sub(r"[-\s]", "", name.lower())


def _edits(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


@dataclass
class Options:
    display: dict[str, str] = field(default_factory=dict)   # canonical -> corpus spelling
    aliases: dict[str, str] = field(default_factory=dict)   # lower-case alias -> canonical
    compared: dict[str, list[str]] = field(default_factory=dict)  # document -> its options
    kinds: list[str] = field(default_factory=list)  # what the options are: "store", "engine"
    local: dict[str, list[str]] = field(default_factory=dict)  # alias -> documents it names in
    # word -> whether it is an ordinary word (English, or one the corpus uses): set by whoever
    # reads questions, so that a clipped name ("accel", "pgvec") names its option
    known: object = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict:
        return {"display": self.display, "aliases": self.aliases, "compared": self.compared,
                "kinds": self.kinds, "local": self.local}

    @classmethod
    def from_dict(cls, data: dict | None) -> "Options":
        data = data or {}
        return cls(dict(data.get("display", {})), dict(data.get("aliases", {})),
                   {k: list(v) for k, v in data.get("compared", {}).items()},
                   list(data.get("kinds", [])),
                   {k: list(v) for k, v in data.get("local", {}).items()})

    def within(self, source: str) -> "Options":
        """These options as one document's text names them: without the aliases that name
        an option only in other documents' tables."""
        views = self.__dict__.setdefault("_views", {})
        if source not in views:
            aliases = {a: k for a, k in self.aliases.items()
                       if a not in self.local or source in self.local[a]}
            views[source] = Options(self.display, aliases, self.compared, self.kinds,
                                    known=self.known)
        return views[source]

    @cached_property
    def _pattern(self) -> re.Pattern | None:
        keys = sorted(set(self.display) | set(self.aliases), key=len, reverse=True)
        if not keys:
            return None
        spelt = (re.sub(r"\\[- ]", r"[-\\s]?", re.escape(k)) for k in keys)  # "trt llm"
        # a name ends at a non-letter, or at a capital that starts a word of its own ("TFLite",
        # "TFX"), not inside a word in capitals ("TR" in "TRADE-OFFS")
        after = r"(?=$|[^A-Za-z0-9])|(?<=[A-Za-z])(?=(?-i:[A-Z](?:[a-z]|[^A-Za-z]|$)))"
        return re.compile(r"(?<![\w.-])(" + "|".join(spelt) + r")(?:" + after + ")", re.I)

    @cached_property
    def _versioned(self) -> re.Pattern | None:
        keys = sorted(set(self.display) | set(self.aliases), key=len, reverse=True)
        return re.compile(r"(?<![\w./-])(" + "|".join(map(re.escape, keys)) +
                          r")(\d+(?:\.\d+)*(?:\.x)?)(?![\w])", re.I) if keys else None

    def refresh(self) -> None:
        """Forget the mention patterns, after the names or aliases changed."""
        self.__dict__.pop("_pattern", None)
        self.__dict__.pop("_versioned", None)
        self.__dict__.pop("_views", None)
        self.__dict__.pop("_keys", None)

    def spaced_versions(self, text: str) -> str:
        """A name glued to its version written apart ("TF2" -> "TF 2", "jax0.4" -> "jax 0.4"),
        as documents write them. Not handled: versions glued to misspelt names."""
        return self._versioned.sub(r"\1 \2", text) if self._versioned else text

    @cached_property
    def _joined(self) -> dict[str, str]:
        """Each name and alias without its hyphens and spaces -> its option."""
        return {_join(k): k for k in self.display} | \
            {_join(k): v for k, v in self.aliases.items() if _join(k) not in self.display}

    def owner(self, name: str) -> str | None:
        key = name.lower()
        return key if key in self.display else self.aliases.get(key) or \
            self._joined.get(_join(key))

    def unnamed(self, text: str, gap: str = " ") -> str:
        """text with each mention of an option replaced by `gap`."""
        for a, b, _ in reversed(self.mentions(text)):
            text = text[:a] + gap + text[b:]
        return text

    def mentions(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, option) for each mention in text, in order; after a slash only in a
        list ("spark/dask", "mlc/tvm": one plain word before the slash), not in a path
        ("github.com/pytorch", "a/b/pytorch")."""
        if self._pattern is None:
            return []
        found: list[tuple[int, int, str]] = []
        for m in self._pattern.finditer(text):
            if self._extended(text, m):  # "Hailo-8L" is no mention of "Hailo-8" nor "Hailo"
                continue
            if text[m.start() - 1:m.start()] != "/" or found and found[-1][1] == m.start() - 1 \
                    or _LISTED.search(text[:m.start()]):
                found.append((m.start(), m.end(), self.owner(m.group(1))))
        return sorted(found + self._clipped(text, found)) if self.known else found

    def _extended(self, text: str, m: re.Match) -> bool:
        """Whether the text at a mention goes on as a longer name of the same option but
        departs from it at the end ("Hailo-8L" beside "Hailo-8"), or with a model number
        ("Hailo-10H" beside "Hailo"): another product."""
        if re.match(r"-\d", text[m.end():]):
            return True
        owner, size = self.owner(m.group(1)), len(m.group(1))
        rest = text[m.start():m.start() + len(self._keys[0]) + 1].lower()
        return any(len(k) > size and rest.startswith(k) and self.owner(k) == owner
                   for k in self._keys)

    @cached_property
    def _keys(self) -> list[str]:
        return sorted(set(self.display) | set(self.aliases), key=len, reverse=True)

    def _clipped(self, text: str, found: list) -> list[tuple[int, int, str]]:
        """Words that are the start of exactly one option's name or alias ("accel", "pgvec",
        "mmdet"), at least four letters and two short of it, and no ordinary word."""
        out = []
        for m in re.finditer(r"(?<![\w.-])[A-Za-z]{4,}(?![\w-])", text):
            word = m.group(0).lower()
            if word in STOP or any(a <= m.start() < b for a, b, _ in found) or \
                    self.known(word):
                continue
            owners = {o for k, o in self._joined.items() if k.startswith(word) and
                      len(k) >= len(word) + 2 and k[:1].isalpha()}
            if len(owners) == 1:
                out.append((m.start(), m.end(), owners.pop()))
        return out

    def named(self, text: str) -> list[str]:
        """Distinct options a question names, in order (misspelt long names included)."""
        spans = self.mentions(text)
        found = [(a, o) for a, _, o in spans]
        singles = [k for k in self.display if " " not in k and len(k) >= 5]
        for m in _TOKEN.finditer(text):
            word = m.group(0).lower()
            if len(word) < 5 or self.owner(word) or self.known and self.known(word):
                continue  # "tensor" is a word, no misspelt "tensorrt"
            for key in singles:
                limit = 1 if len(key) <= 6 else 2
                if word[0] == key[0] and abs(len(word) - len(key)) <= limit \
                        and _edits(word, key) <= limit:
                    found.append((m.start(), key))
        found += [(a, o) for a, _, o in self._nicknames(text, spans)]
        return list(dict.fromkeys(o for _, o in sorted(found)))

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, option) of every mention, nicknames in a list included, in order."""
        spans = self.mentions(text)
        return sorted(spans + self._nicknames(text, spans))

    def _nicknames(self, text: str, spans: list) -> list[tuple[int, int, str]]:
        """A short word set against a named option in a list ("af vs prefect", "af / prefect /
        dagster", "between af and prefect") names the one peer of the listed options whose
        name holds its letters in order, first letter first, or whose initials it is ("PL vs
        accelerate": PyTorch Lightning, not Plain PyTorch), and so does a word of one peer's
        longer name ("piper, xtts or polly": Amazon Polly) (`spans`: the text's mentions)."""
        listed = {o for _, _, o in spans}
        peers = {p for o in listed for p in self.peers(o)} - listed
        out = []
        for m in re.finditer(r"(?<![\w.-])([A-Za-z][\w-]{1,19})(?![\w.-])", text):
            word = m.group(1).lower()
            if not peers or word in STOP or self.owner(word) or not (
                    any(_LIST_GAP.fullmatch(text[b:m.start()]) for _, b, _ in spans) or
                    any(_GAP_BEFORE.fullmatch(text[m.end():a]) for a, _, _ in spans)):
                continue
            fits = [p for p in peers if " " in p and word in p.split() and not any(
                word in o.split() for o in self.display if o != p)] or \
                [p for p in peers if len(word) <= 4 and p[0] == word[0] and
                 re.search(".*".join(map(re.escape, word)), p.replace(" ", ""))]
            initials = [p for p in fits if "".join(w[0] for w in p.split()) == word]
            fits = initials if len(initials) == 1 else fits  # "PL": PyTorch Lightning
            if len(fits) == 1:
                out.append((m.start(), m.end(), fits[0]))
        return out

    def column(self, header: str) -> str | None:
        """The option a table column belongs to, or None (labels, notes)."""
        name = header_name(header)
        owner = self.owner(name)
        if owner:
            return owner
        inside = {o for _, _, o in self.mentions(name)}
        return inside.pop() if len(inside) == 1 else None

    def peers(self, option: str) -> list[str]:
        """Options compared with `option` in some document."""
        return list(dict.fromkeys(o for group in self.compared.values() if option in group
                                  for o in group if o != option))

    def label(self, option: str | None) -> str:
        return self.display.get(option or "", (option or "").title())


