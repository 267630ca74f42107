"""Options: the things the documents compare, found in the corpus at index time.

An option is a name that heads comparison-table columns ("PyTorch 2.x (torch.compile)" ->
PyTorch) or is set against another in a title or heading ("ONNX Runtime vs TensorRT",
"When to Choose JAX"), confirmed by a second such signal. Names that stand for an option are
also learned from the corpus: the camel-case initials of its name ("TF", "PT"), identifiers found
only in its table columns ("TorchServe", "tf.data" -> "tf"), capitalised names found only there
and never used as ordinary words ("Keras"), and compounds of those with the next word
("TF Lite" -> "tflite"). Mentions are then found in prose and questions, with near-misspellings
of long names ("pytroch") accepted in questions.
Not handled: options that appear in no table and no heading, aliases the corpus never writes.
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from .data import load as load_data
from .lexical import STOP

_LEX = load_data("lexicon")
_NON_OPTION = set(_LEX["non_option_headers"])
CHOOSE = re.compile(_LEX["choose_heading"], re.I)
_VERSUS = re.compile(_LEX["versus"], re.I)
_TOKEN = re.compile(r"[A-Za-z][\w.+#/-]*[\w+#]|[A-Za-z]")
_NAME = re.compile(r"[A-Z][\w.+#-]*(?:\s+(?:&\s+)?[A-Z][\w.+#-]*){0,3}")  # "Bits & Bytes"
_LOWER_NAME = re.compile(r"[a-z][\w.+#-]{2,}(?=[\s:,;.!?)]|$)")  # "hnswlib", "pandas"
_NOT_KINDS = frozenset(_LEX["document_words"]["words"] + _LEX["cue_words"]["words"])
_PHRASE = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+\b")  # "Hugging Face", not "Keras API"


def header_name(header: str) -> str:
    """A column header without parentheses, units and versions: "JAX (ms/step)" -> "JAX"."""
    text = re.sub(r"\([^)]*\)|\[[^]]*\]", " ", header)
    text = re.sub(r"(?<!\w)v?\d+(?:\.[\dx]+)*\+?(?!\w)|\b\d+\.x\b", " ", text)
    return " ".join(text.split()).strip(" :-–—,")


def abbreviation(name: str) -> str | None:
    """Initials of a camel-case name: PyTorch -> pt, TensorFlow -> tf, TensorRT -> trt,
    TensorRT-LLM -> trt-llm (each hyphenated part on its own); of a name joined by "&":
    Weights & Biases -> w&b."""
    if re.fullmatch(r"\w+(?: \w+)* & \w+(?: \w+)*", name):
        return "&".join("".join(w[0] for w in side.split()) for side in name.split(" & ")).lower()
    if " " in name or re.fullmatch(r"[A-Z]+[a-z]+", name):  # "MLflow" is one word, not M+L
        return None
    if "-" in name:
        pieces = [abbreviation(p) or p.lower() for p in name.split("-")]
        abbr = "-".join(pieces)
        return abbr if abbr != name.lower() else None
    parts = re.findall(r"[A-Z][a-z]+|[A-Z]+(?![a-z])", name)
    if len(parts) < 2:
        return None
    abbr = "".join(p if p.isupper() else p[0] for p in parts).lower()
    return abbr if len(abbr) >= 2 and abbr not in STOP else None


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
        found = [(a, o) for a, _, o in self.mentions(text)]
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
        return list(dict.fromkeys(o for _, o in sorted(found)))

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
            if not right or right.group(0) != side.strip():
                break
    return [header_name(n) for n in names]


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
    corpus = " ".join(n.text for n in nodes)
    options = Options()
    for key in set(headers) | set(titles):
        mentioned = len(re.findall(rf"(?<!\w){re.escape(key)}(?!\w)", corpus, re.I))
        lower = all(n == n.lower() for n in spelling[key])  # needs a heading and a header
        if headers[key] + titles[key] >= 2 and (mentioned or headers[key]) and \
                (not lower or headers[key] and titles[key]):
            options.display[key] = spelling[key].most_common(1)[0][0]
    options.aliases = _aliases(options, tables, nodes)
    for key, option in _heading_short_names(titles, places, options).items():
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
            if len(word) >= 3 and word not in STOP and word not in _NOT_KINDS:
                kinds.add(word[:-1] if word.endswith("s") and not word.endswith("ss") else word)
                kinds.update(w.lower()[:-3] + "er" for w in words[-3:-1]
                             if w.lower().endswith("ing") and len(w) >= 6)  # tracking -> tracker
    return sorted(kinds)


def _heading_short_names(titles: Counter, places: dict, options: Options) -> dict[str, str]:
    """A heading that names part of one option's name in the same document ("When to choose
    Spark" beside an "Apache Spark" column) gives that part as an alias."""
    out = {}
    for key in titles:
        words = key.split()
        if key in options.display or key in STOP:
            continue
        whole = [d for d in options.display if len(d.split()) > len(words)
                 and words in (d.split()[-len(words):], d.split()[:len(words)])
                 and places[key] & places[d]]
        if len(whole) == 1:
            out[key] = whole[0]
    return out


def _aliases(options: Options, tables: dict, nodes: list) -> dict[str, str]:
    """Abbreviations, identifiers owned by one option's columns, and their compounds."""
    aliases = {}
    for key, name in options.display.items():
        abbr = abbreviation(name)
        if abbr and abbr not in options.display:
            aliases[abbr] = key
        if " & " in key:  # "bits and bytes"
            aliases.setdefault(key.replace(" & ", " and "), key)
        short = _short_name(key, options)
        if short and short not in options.display:
            aliases.setdefault(short, key)
    owned: dict[str, Counter] = defaultdict(Counter)
    identifiers, phrased = set(), set()  # later words of multi-word names ("Face", "Hub")
    cells_seen = set()
    for node in nodes:
        meta = node.metadata
        if meta.get("kind") != "table_row":
            continue
        header, cells = json.loads(meta["table_header"]), json.loads(meta["row_cells"])
        for i, cell in enumerate(cells[1:], start=1):
            key = options.column(header[i]) if i < len(header) else None
            if not key or (meta["table_id"], i, cell) in cells_seen:
                continue
            cells_seen.add((meta["table_id"], i, cell))
            phrased.update(w for m in _PHRASE.finditer(cell) for w in m.group(0).split()[1:])
            for token in set(_TOKEN.findall(cell)):
                head = token.split(".")[0]
                owned[head][key] += 1
                if "." in token or re.search(r"[a-z][A-Z]|[A-Z][A-Z]+[a-z]", head) \
                        and not re.fullmatch(r"[A-Z]+s", head):  # not plurals like GPUs
                    identifiers.add(head)  # torch.compile -> torch, TorchServe, vLLM, DTensor
    prose = " ".join(n.text for n in nodes if n.metadata.get("kind") != "table_row")
    lower_words = set(re.findall(r"(?<![\w.])[a-z]+(?![\w.])", prose))
    # a word of a document's title names what all its options share ("Keras 3 Backends")
    topic = {w.lower() for n in nodes for w in re.findall(r"\w+", n.metadata.get("title", ""))}
    for token, owners in owned.items():
        low = token.lower()
        if len(owners) != 1 or low in options.display or low in STOP or len(low) < 2 \
                or low in topic:
            continue
        key, count = owners.most_common(1)[0]
        plain_name = token[:1].isupper() and token[1:].islower() and len(token) >= 3 \
            and token not in phrased
        if token in identifiers or plain_name and count >= 2 and low not in lower_words:
            aliases.setdefault(low, key)
    return _compounds(options, aliases, nodes)


def _short_name(key: str, options: Options) -> str | None:
    """What users call a long name: "pytorch fsdp" without its parent option -> "fsdp";
    "megatron-lm" without a short suffix -> "megatron"."""
    words = key.split()
    rest = [w for w in words if w not in options.display]
    if len(words) > 1 and len(rest) == 1 and len(rest[0]) >= 3 and rest[0] not in STOP:
        return rest[0]
    head, _, tail = key.partition("-")
    if tail and len(tail) <= 3 and len(head) >= 4 and " " not in head and head not in STOP:
        return head
    return None


def _compounds(options: Options, aliases: dict, nodes: list) -> dict[str, str]:
    """"TF Lite" in the corpus -> "tflite"; "TensorFlow.js" -> "tensorflowjs" and "tfjs"."""
    temp = Options(options.display, dict(aliases))
    abbr = {k: a for a, k in aliases.items() if abbreviation(options.display.get(k, "")) == a}
    out = dict(aliases)
    for node in nodes:
        for start, end, key in temp.mentions(node.text):
            follow = re.match(r"(\.[a-z]{2,10}|[ -][A-Z][a-z]{1,9})\b", node.text[end:])
            if not follow or follow.group(1)[1:].lower() in STOP or " " in key:
                continue
            word = follow.group(1)[1:].lower()
            for head in {node.text[start:end].lower(), abbr.get(key, "")} - {""}:
                out.setdefault(head + word, key)
    return out
