"""Options: the things the documents compare, found in the corpus at index time.

An option is a name that heads comparison-table columns ("PyTorch 2.x (torch.compile)" ->
PyTorch) or is set against another in a title or heading ("ONNX Runtime vs TensorRT",
"When to Choose JAX"), confirmed by a second such signal. The other names the corpus uses for
an option are learned too (aliases.py). Mentions are then found in prose and questions, with
near-misspellings of long names ("pytroch") accepted in questions, and, in a list of options
a question sets against each other, a short nickname made of a listed option's peer's letters
in order ("af vs prefect" -> Airflow).
Not handled: options that appear in no table and no heading, nicknames outside such a list.
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from . import aliases
from .data import load as load_data
from .lexical import STOP

_LEX = load_data("lexicon")
_NON_OPTION = set(_LEX["non_option_headers"])
CHOOSE = re.compile(_LEX["choose_heading"], re.I)
_VERSUS = re.compile(_LEX["versus"], re.I)
_LIST_GAP = re.compile(r"\s*(?:/|,|&|,?\s*(?:vs\.?|versus|or|and))\s*", re.I)
_TOKEN = re.compile(r"[A-Za-z][\w.+#/-]*[\w+#]|[A-Za-z]")
_NAME = re.compile(r"[A-Z][\w.+#-]*(?:\s+(?:&\s+)?[A-Z][\w.+#-]*){0,3}")  # "Bits & Bytes"
_LOWER_NAME = re.compile(r"[a-z][\w.+#-]{2,}(?=[\s:,;.!?)]|$)")  # "hnswlib", "pandas"
_NOT_KINDS = frozenset(_LEX["document_words"]["words"] + _LEX["cue_words"]["words"])


def header_name(header: str) -> str:
    """A column header without parentheses, units and versions: "JAX (ms/step)" -> "JAX"."""
    text = re.sub(r"\([^)]*\)|\[[^]]*\]", " ", header)
    text = re.sub(r"(?<!\w)v?\d+(?:\.[\dx]+)*\+?(?!\w)|\b\d+\.x\b", " ", text)
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

    def to_dict(self) -> dict:
        return {"display": self.display, "aliases": self.aliases, "compared": self.compared,
                "kinds": self.kinds}

    @classmethod
    def from_dict(cls, data: dict | None) -> "Options":
        data = data or {}
        return cls(dict(data.get("display", {})), dict(data.get("aliases", {})),
                   {k: list(v) for k, v in data.get("compared", {}).items()},
                   list(data.get("kinds", [])))

    @cached_property
    def _pattern(self) -> re.Pattern | None:
        keys = sorted(set(self.display) | set(self.aliases), key=len, reverse=True)
        if not keys:
            return None
        spelt = (re.sub(r"\\[- ]", r"[-\\s]?", re.escape(k)) for k in keys)  # "trt llm"
        return re.compile(r"(?<![\w.-])(" + "|".join(spelt) + r")(?=$|[^A-Za-z0-9]|(?-i:[A-Z]))", re.I)

    @cached_property
    def _versioned(self) -> re.Pattern | None:
        keys = sorted(set(self.display) | set(self.aliases), key=len, reverse=True)
        return re.compile(r"(?<![\w./-])(" + "|".join(map(re.escape, keys)) +
                          r")(\d+(?:\.\d+)*(?:\.x)?)(?![\w])", re.I) if keys else None

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

    def mentions(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, option) for each mention in text, in order; after a slash only in a
        list of options ("spark/dask"), not in a path ("github.com/pytorch")."""
        if self._pattern is None:
            return []
        found: list[tuple[int, int, str]] = []
        for m in self._pattern.finditer(text):
            if text[m.start() - 1:m.start()] != "/" or found and found[-1][1] == m.start() - 1:
                found.append((m.start(), m.end(), self.owner(m.group(1))))
        return found

    def named(self, text: str) -> list[str]:
        """Distinct options a question names, in order (misspelt long names included)."""
        spans = self.mentions(text)
        found = [(a, o) for a, _, o in spans]
        singles = [k for k in self.display if " " not in k and len(k) >= 5]
        for m in _TOKEN.finditer(text):
            word = m.group(0).lower()
            if len(word) < 5 or self.owner(word):
                continue
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
        name holds its letters in order, first letter first (`spans`: the text's mentions)."""
        listed = {o for _, _, o in spans}
        peers = {p for o in listed for p in self.peers(o)} - listed
        out = []
        for m in re.finditer(r"(?<![\w.-])([A-Za-z]{2,4})(?![\w.-])", text):
            word = m.group(1).lower()
            if not peers or word in STOP or self.owner(word) or not (
                    any(_LIST_GAP.fullmatch(text[b:m.start()]) for _, b, _ in spans) or
                    any(_LIST_GAP.fullmatch(text[m.end():a]) for a, _, _ in spans)):
                continue
            fits = [p for p in peers if p[0] == word[0] and
                    re.search(".*".join(map(re.escape, word)), p.replace(" ", ""))]
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


_JOINED_REST = re.compile(r"\s*[+/&]\s*[\w.#-]+(?:\s+[\w.#-]+)?")  # " + Kueue" after a name


def _heading_names(text: str) -> list[str]:
    """Names a title or heading sets against each other ("A vs B vs C") or recommends; a
    lower-case single word counts too ("When to choose hnswlib", "FAISS vs hnswlib")."""
    names = []
    for match in CHOOSE.finditer(text):
        at = match.end() + (text[match.end():].startswith(" "))
        name = _NAME.match(text, at) or _LOWER_NAME.match(text, at)
        if name:
            names.append(name.group(0))
    sides = _VERSUS.split(text)
    if len(sides) >= 2 and re.search(r"\b(vs\.?|versus)\b", text, re.I):
        left = re.findall(r"(?:[A-Z][\w.+#-]*\s+(?:&\s+)?){0,3}[A-Z][\w.+#-]*$",
                          sides[0].strip()) or \
            re.findall(r"(?<!\S)[a-z][\w.+#-]{2,}$", sides[0].strip())
        names += left[:1]
        for side in sides[1:]:  # "A vs B vs C": the chain goes on while a side is one name
            right = _NAME.match(side.strip()) or _LOWER_NAME.match(side.strip())
            if right:
                names.append(right.group(0))
            rest = side.strip()[right.end():] if right else ""
            if not right or rest and not _JOINED_REST.fullmatch(rest):  # "A + B vs C" goes on
                break
    return [header_name(n) for n in names]


def _fold_headers(headers: Counter, titles: Counter, places: dict) -> dict[str, str]:
    """A column header that joins names ("Kubernetes + Kueue", "Ray / KubeRay") counts for the
    one name in it that a heading or title sets against the others ("… vs Kueue vs Ray"); with
    two such names, for the one in the most headings. The header's other names become its
    aliases (returned). Not handled: a header naming two options compared elsewhere."""
    folded = {}
    for key in [k for k in headers if not titles[k] and re.search(r"[+/&]", k)]:
        inside = [t for t in titles if t != key and re.search(rf"(?<!\w){re.escape(t)}(?!\w)", key)]
        if inside:
            name = max(inside, key=lambda t: (titles[t], -len(t)))
            headers[name] += headers.pop(key)
            places[name] |= places[key]
            folded.update({part.strip(): name for part in re.split(r"[+/&]", key)
                           if part.strip() and part.strip() != name})
    return folded


def _is_name(name: str) -> bool:
    """A product name: capitalised ("TensorRT"), with a capital inside ("vLLM", "iOS"), or
    one lower-case word ("hnswlib": discover() wants it in a heading and a table header)."""
    return bool(name) and name.lower() not in _NON_OPTION and len(name.split()) <= 3 \
        and len(name) <= 30 and name.lower() not in STOP and \
        (name[0].isalpha() and (name[0].isupper() or any(c.isupper() for c in name.split()[0])
                                or " " not in name and len(name) >= 3))


def discover(nodes: list) -> Options:
    """Options and their aliases from indexed nodes (Node-like: .text, .metadata)."""
    headers, places, spelling = Counter(), defaultdict(set), defaultdict(Counter)
    titles = Counter()
    tables = {}
    for node in nodes:
        meta = node.metadata
        if meta.get("kind") == "table_row":
            tables[meta["table_id"]] = (json.loads(meta["table_header"]), meta["source"])
    for header, source in tables.values():
        for cell in header[1:]:
            name = header_name(cell)
            if _is_name(name):
                headers[name.lower()] += 1
                places[name.lower()].add(source)
                spelling[name.lower()][name] += 1
    seen_headings = set()
    for node in nodes:
        for text in [node.metadata.get("title", "")] + node.metadata.get(
                "heading_path", "").split(" > "):
            if (node.metadata.get("source"), text) in seen_headings:
                continue
            seen_headings.add((node.metadata.get("source"), text))
            for name in filter(_is_name, _heading_names(text)):
                titles[name.lower()] += 1
                places[name.lower()].add(node.metadata.get("source", ""))
                spelling[name.lower()][name] += 1
    folded = _fold_headers(headers, titles, places)
    corpus = " ".join(n.text for n in nodes)
    options = Options()
    for key in set(headers) | set(titles):
        mentioned = len(re.findall(rf"(?<!\w){re.escape(key)}(?!\w)", corpus, re.I))
        lower = all(n == n.lower() for n in spelling[key])  # needs a heading and a header
        if headers[key] + titles[key] >= 2 and (mentioned or headers[key]) and \
                (not lower or headers[key] and titles[key]):
            options.display[key] = spelling[key].most_common(1)[0][0]
    merged = aliases.merge_spellings(options, places, {n.lower() for node in nodes for n in
                                                _heading_names(node.metadata.get("title", ""))})
    options.aliases = {**aliases.learn(options, tables, nodes), **merged}
    for key, option in [*aliases.heading_short_names(titles, places, options).items(),
                        *folded.items()]:
        if key not in options.display and option in options.display:
            options.aliases.setdefault(key, option)
    options.__dict__.pop("_pattern", None)
    options.__dict__.pop("_versioned", None)
    for header, source in tables.values():
        cols = {options.column(h) for h in header[1:]} - {None}
        if len(cols) >= 2:
            options.compared.setdefault(source, [])
            options.compared[source] += [c for c in cols if c not in options.compared[source]]
    for key in options.display:
        for source in places[key]:
            if titles[key] and key not in options.compared.get(source, []):
                options.compared.setdefault(source, []).append(key)
    options.compared = {s: sorted(v) for s, v in options.compared.items() if len(v) >= 2}
    options.kinds = _kinds({n.metadata.get("title", "") for n in nodes
                            if n.metadata.get("source") in options.compared}, options)
    return options


def _kinds(titles: set[str], options: Options) -> list[str]:
    """What the compared options are, from the titles of the documents that compare them: the
    last word of a title part that names no option, before any "for/in/on …" ("Feature
    Stores: Feast vs Tecton" -> "store"), unless it is a question word ("… Should You
    Choose?") or names a kind of document ("… Engine Notes", "Wiki"); with it, the agent noun
    of a gerund before it ("Experiment Tracking Tools" -> "tool", "tracker"). Not handled: a
    kind named before a document word, agent nouns in -or ("orchestrator")."""
    kinds = set()
    for title in titles:
        for part in re.split(r"\s*[:|·–—]\s*|\s+-\s+", re.sub(r"\([^)]*\)", "", title)):
            part = re.split(r"\s+(?:for|in|on|with|at|of)\s+", part)[0]  # "Engines for ML …"
            words = re.findall(r"[A-Za-z]+", part)
            if not words or options.named(part) or re.search(r"\b(vs\.?|versus)\b", part, re.I):
                continue
            word = words[-1].lower()
            if len(word) >= 3 and word not in STOP and word not in _NOT_KINDS \
                    and not word.endswith("ing"):  # "Data Versioning for ML" names an activity
                kinds.add(word[:-1] if word.endswith("s") and not word.endswith("ss") else word)
                kinds.update(w.lower()[:-3] + "er" for w in words[-3:-1]
                             if w.lower().endswith("ing") and len(w) >= 6)  # tracking -> tracker
    return sorted(kinds)
