"""Aliases: the other names a corpus uses for an option, learned at index time.

The camel-case initials of a name ("TF", "PT", and "OV" beside "OVINO" for OpenVINO), the
word of a multi-word name the corpus uses alone ("TVM" for "Apache TVM"), identifiers found
only in one option's table columns ("TorchServe", "tf.data" -> "tf"; not a dotted word the
prose uses as a plain noun, "dag.test()"), capitalised names found only there and never
used as ordinary words ("Keras"), and compounds of those with the next word ("TF Lite" ->
"tflite"). A heading's short form of a longer name, and one option written two ways in one
document, are in spellings.py.
Not handled: nicknames the corpus never writes ("wandb").
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict

from .data import load as load_data
from .lexical import STOP

_KINDS = frozenset(load_data("lexicon")["option_classes"])  # "runtime" of "ONNX Runtime"
_TOKEN = re.compile(r"[A-Za-z][\w.+#/-]*[\w+#]|[A-Za-z]")
_PHRASE = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+\b")  # "Hugging Face", not "Keras API"


def plain_words(text: str) -> set[str]:
    """The lower-case words the text writes as ordinary words: not inside a path, an address
    or an image tag ("nvcr.io/nvidia/nemo:24.12" writes no word "nemo")."""
    return set(re.findall(r"(?<![\w./:@=])[a-z]+(?![\w./:@=])", text))


def abbreviation(name: str) -> str | None:
    """Initials of a camel-case name: PyTorch -> pt, TensorFlow -> tf, TensorRT -> trt,
    TensorRT-LLM -> trt-llm (each hyphenated part on its own); of a name joined by "&":
    Weights & Biases -> w&b. None for a name with more than its capitalised parts
    ("TensorFlow.js", "PyTorch3D": their initials are another option's)."""
    if re.fullmatch(r"\w+(?: \w+)* & \w+(?: \w+)*", name):
        return "&".join("".join(w[0] for w in side.split()) for side in name.split(" & ")).lower()
    if " " in name or re.fullmatch(r"[A-Z]+[a-z]+", name):  # "MLflow" is one word, not M+L
        return None
    if "-" in name:
        pieces = [abbreviation(p) or p.lower() for p in name.split("-")]
        abbr = "-".join(pieces)
        return abbr if abbr != name.lower() else None
    parts = re.findall(r"[A-Z][a-z]+|[A-Z]+(?![a-z])", name)
    if len(parts) < 2 or "".join(parts) != name:  # "TensorFlow.js" is not "tf"
        return None
    abbr = "".join(p if p.isupper() else p[0] for p in parts).lower()
    return abbr if len(abbr) >= 2 and abbr not in STOP else None


def part_initials(name: str) -> str | None:
    """Initials of the capitalised words of a name of two or more words that ends in a version
    number, with that number ("Stable-Baselines3", "Stable Baselines 3" -> "sb3"), the way
    users shorten such names. Not handled: names without a number ("Hugging Face
    Accelerate"), names with capitals inside their words ("DeepSpeed ZeRO-3")."""
    parts = re.findall(r"[A-Za-z]+|\d+", name)
    letters = [p for p in parts if p[0].isalpha()]
    if len(letters) < 2 or not parts[-1].isdigit() or not re.search(r"[\s-]", name) or \
            not all(re.fullmatch(r"[A-Z][a-z]+", p) for p in letters):  # not "DeepSpeed ZeRO-3"
        return None
    return "".join(p[0] for p in letters).lower() + parts[-1]


def initials(name: str) -> str | None:
    """Initials of each part of a camel-case name whose capitals run on ("OpenVINO" -> "ov"),
    beside abbreviation()'s "ovino"; none where that is all there is ("TensorRT": "trt")."""
    parts = re.findall(r"[A-Z][a-z]+|[A-Z]{3,}(?![a-z])", name)
    if re.search(r"[\s-]", name) or len(parts) < 2 or not any(p.isupper() for p in parts):
        return None
    abbr = "".join(p[0] for p in parts).lower()
    return abbr if abbr != abbreviation(name) and abbr not in STOP else None


def standalone_word(name: str, text: str, plain: set[str], taken) -> str | None:
    """The word of a multi-word name that the corpus also uses alone, as a name ("TVM" for
    "Apache TVM"): never written as an ordinary lower-case word, not another option's name,
    used alone at least three times and twice as often as any other word of the name."""
    words = name.split()
    if len(words) < 2:
        return None
    rest = len(re.findall(rf"(?<![\w.-]){re.escape(name)}(?![\w-])", text, re.I))
    counts = {w: len(re.findall(rf"(?<![\w.-]){re.escape(w)}(?![\w-])", text)) - rest
              for w in words if len(w) >= 2}
    ranked = sorted(counts.items(), key=lambda c: -c[1])
    if not ranked:
        return None
    word, count = ranked[0]
    low = word.lower()
    if count < 3 or len(ranked) > 1 and count < 2 * ranked[1][1] or low in plain or \
            low in STOP or low in taken:
        return None
    return low


def own_words(options, by_source: dict[str, str], plain: set[str],
              common: frozenset = frozenset()) -> dict[str, str]:
    """Each word of a multi-word name that only the documents naming that option use, alone
    and capitalised, at least three times ("Coral" and "Orin" for "Coral Edge TPU" and
    "Jetson Orin Nano"; not "TPU", which another document uses of other chips), or never
    apart from the whole name when it is no common English word (`common`; "XTTS", "Arize":
    users shorten "Coqui XTTS", "Arize Phoenix"; not "Tune" of "Ray Tune"): never an ordinary
    lower-case word of the corpus, nor a word of another option's name."""
    words_of = {k: set(k.split()) for k in options.display}
    out = {}
    for key, name in options.display.items():
        if len(name.split()) < 2:
            continue
        named = {src: bool(re.search(rf"(?<![\w.-]){re.escape(name)}(?![\w-])", t, re.I))
                 for src, t in by_source.items()}
        mine = " ".join(t for src, t in by_source.items() if named[src])
        others = " ".join(t for src, t in by_source.items() if not named[src])
        rest = len(re.findall(rf"(?<![\w.-]){re.escape(name)}(?![\w-])", mine, re.I))
        for word in name.split():
            low, alone = word.lower(), rf"(?<![\w.-]){re.escape(word)}(?![\w-])"
            if len(low) < 3 or low in plain or low in STOP or low in options.display or \
                    any(low in w for k, w in words_of.items() if k != key) or \
                    re.search(alone, others, re.I) or _rarely_alone(
                        len(re.findall(alone, mine)) - rest, low, common):
                continue
            out.setdefault(low, key)
    return out


def _name_forms(options, text: str) -> dict[str, str]:
    """The other forms of each option's own name: abbreviation, initials, the word the corpus
    (`text`) uses alone, the "and" spelling of "&" (in initials too: "wandb"), the short
    name."""
    aliases = {}
    plain = plain_words(text)
    for key, name in options.display.items():
        abbr = abbreviation(name)
        if abbr and abbr not in options.display:
            aliases[abbr] = key
            if "&" in abbr:  # "W&B" is also written "wandb"
                aliases.setdefault(abbr.replace("&", "and"), key)
        for other in (initials(name), part_initials(name),
                      standalone_word(name, text, plain, options.display)):
            if other and other not in options.display:
                aliases.setdefault(other, key)
        if " & " in key:  # "bits and bytes"
            aliases.setdefault(key.replace(" & ", " and "), key)
        short = short_name(key, options)
        if short and short not in options.display:
            aliases.setdefault(short, key)
    return aliases


def _rarely_alone(uses: int, word: str, common: frozenset) -> bool:
    """Whether a word of a name is used alone too rarely to be its short name: fewer than
    three times, unless never and it is a plain word that the dictionary lacks ("xtts") and
    no kind of option ("runtime"); without a dictionary, fewer than three times."""
    return 0 < uses < 3 or not uses and (not common or word in common or word in _KINDS or
                                         not re.fullmatch(r"[a-z][a-z\d]+", word))


def learn(options, tables: dict, nodes: list, common: frozenset = frozenset()) -> dict[str, str]:
    """Abbreviations, identifiers owned by one option's columns, and their compounds. A cell
    name that is no part of its option's own name ("Triton" in PyTorch's column, unlike
    "torch") is recorded in options.local with the documents whose cells hold it: it names the
    option there, not in other documents ("TensorRT behind Triton")."""
    aliases = _name_forms(options, " ".join(n.text for n in nodes))
    by_source: dict[str, str] = defaultdict(str)
    for node in nodes:
        by_source[node.metadata.get("source", "")] += " " + node.text
    plain = plain_words(" ".join(by_source.values()))
    for word, key in own_words(options, by_source, plain, common).items():
        aliases.setdefault(word, key)
    owned: dict[str, Counter] = defaultdict(Counter)
    sources: dict[str, set] = defaultdict(set)
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
            for token in dict.fromkeys(_TOKEN.findall(cell)):  # in order: runs agree
                head = token.split(".")[0]
                owned[head][key] += 1
                sources[head].add(meta.get("source", ""))
                if "." in token or re.search(r"[a-z][A-Z]|[A-Z][A-Z]+[a-z]", head) \
                        and not re.fullmatch(r"[A-Z]+s", head):  # not plurals like GPUs
                    identifiers.add(head)  # torch.compile -> torch, TorchServe, vLLM, DTensor
    prose = " ".join(n.text for n in nodes if n.metadata.get("kind") != "table_row")
    lower_words = set(re.findall(r"(?<![\w.])[a-z]+(?![\w.])", prose))
    named = re.sub(r"\b[A-Z]\w*(?:-[A-Z]\w*)+", " ", prose)  # "Torch-TensorRT" is a name
    words = {w.lower() for w in re.findall(r"(?<![\w.])[A-Za-z]+(?![\w.(])", named)}
    # a word of a document's title names what all its options share ("Keras 3 Backends")
    topic = {w.lower() for n in nodes for w in re.findall(r"\w+", n.metadata.get("title", ""))}
    for token, owners in owned.items():
        low = token.lower()
        mine = [k for k in owners if len(low) >= 4 and low in k.replace(" ", "")]
        if len(owners) != 1 and len(mine) == 1:  # "PyTorch (torch.export)" in TVM's column
            owners = Counter({mine[0]: owners[mine[0]]})
        if len(owners) != 1 or low in options.display or low in STOP or len(low) < 2 \
                or low in topic:
            continue
        key, count = owners.most_common(1)[0]
        plain_name = token[:1].isupper() and token[1:].islower() and len(token) >= 3 \
            and token not in phrased
        dotted_word = token.islower() and (low in words or low + "s" in words)  # "dag.test()"
        named_twice = count >= 2 or re.search(rf"(?<![\w.]){re.escape(token)}(?![\w])", prose) \
            or any(len(a) >= 4 and a in low for a in [key, *aliases])  # "PyTorch3D", "KerasNLP"
        if token in identifiers and not dotted_word and named_twice or \
                plain_name and count >= 2 and low not in lower_words:
            if low not in aliases and not _own_part(low, key, options):
                options.local[low] = sorted(sources[token])
            aliases.setdefault(low, key)
    return _compounds(options, aliases, nodes)


def _own_part(alias: str, key: str, options) -> bool:
    """Whether an alias shares four letters with its option's name or starts with its
    abbreviation ("torchserve" of PyTorch, "tfjs" of TensorFlow; not "triton", "lite")."""
    name = key.replace(" ", "")
    abbr = abbreviation(options.display.get(key, ""))
    return any(name[i:i + 4] in alias for i in range(len(name) - 3)) or \
        bool(abbr and alias.startswith(abbr))


def short_name(key: str, options) -> str | None:
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


def _compounds(options, aliases: dict, nodes: list) -> dict[str, str]:
    """"TF Lite" in the corpus -> "tflite"; "TensorFlow.js" -> "tensorflowjs" and "tfjs"."""
    temp = type(options)(options.display, dict(aliases))
    abbr = {k: a for a, k in aliases.items() if abbreviation(options.display.get(k, "")) == a}
    out = dict(aliases)
    for node in nodes:
        for start, end, key in temp.mentions(node.text):
            follow = re.match(r"(\.[a-z]{2,10}|[ -][A-Z][a-z]{1,9})\b", node.text[end:])
            if not follow or follow.group(1)[1:].lower() in STOP or " " in key:
                continue
            word = follow.group(1)[1:].lower()
            for head in [h for h in dict.fromkeys((node.text[start:end].lower(),
                                                    abbr.get(key, ""))) if h]:
                out.setdefault(head + word, key)
    return out
