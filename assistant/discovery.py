"""Discovery: the options a corpus compares, found at index time.

A name is an option when it heads comparison-table columns ("PyTorch 2.x (torch.compile)" ->
PyTorch) or a title or heading sets it against another ("ONNX Runtime vs TensorRT", "When to
Choose JAX"), confirmed by a second such signal; a column header that joins names ("Kubernetes
+ Kueue") counts for the one the title names. A table that lists a document's title names
down its first column ("MLflow OSS", "W&B Cloud") confirms them too, and also confirms the
names a title lists after its colon ("Feature Stores Compared: Feast, Tecton and Hopsworks");
in a document whose titles name none, coined product names a table sets side by side and the
prose repeats are options ("PaddleOCR", "Tesseract 5.3"). The other names the corpus uses for
an option are learned too (aliases.py, spellings.py), and the kind of thing compared
("engine", "store") is read from the documents' titles (how names and kinds are read from a
title, heading or cell: titles.py).
Not handled: options that appear in no table and no heading.
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict

from . import aliases, spellings
from .cues import direction
from .data import load as load_data
from .options import Options, header_name
from .titles import CLASSES, heading_names, is_name, listed_names, option_kinds, short_forms

_LEX = load_data("lexicon")
_COLUMN_WORDS = frozenset(_LEX["option_column_headers"]["words"])  # "| Product | …"
_PRODUCT = re.compile(r"[a-z][A-Z]|[A-Z]{2,}[a-z]")  # "PaddleOCR", "LiteLLM", "OpenRouter"


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


def _row_names(labels: dict, tables: dict, named_in: dict, places: dict) -> tuple:
    """Per name a title or heading of the same document sets against another, the tables
    that list it down their first column ("MLflow OSS", "PyTorch FSDP 2.3", "W&B Cloud" for
    "… MLflow vs Weights & Biases"): a second signal for a title's names, so an
    option-per-row table confirms them. Also returns the short forms seen ("w&b")."""
    rows, short = Counter(), {}
    for table, cells in labels.items():
        source = tables[table][1]
        forms = [(p, form, t) for t in named_in.get(source, ()) for p, form in short_forms(t)]
        named = set()
        for cell in cells:
            found = [(len(form), form, t) for p, form, t in forms if p.search(cell)]
            if found:
                _, form, name = max(found)
                named.add(name)
                if form != name:
                    short[form] = name
        if len(named) >= 2:  # a table of several of them, not one name in a list of measures
            for name in named:
                rows[name] += 1
                places[name].add(source)
    return rows, short


def _prose(nodes: list) -> dict[str, str]:
    """Each document's text outside its tables."""
    parts = defaultdict(list)
    for node in nodes:
        if node.metadata.get("kind") != "table_row":
            parts[node.metadata.get("source", "")].append(node.text)
    return {source: " ".join(texts) for source, texts in parts.items()}


def _coined(tables: dict, labels: dict, nodes: list, vocabulary: frozenset, places: dict,
            spelling: dict, named_in: dict) -> tuple[Counter, Counter]:
    """Names a table sets side by side, across its header ("| | Tesseract 5.3 | PaddleOCR 2.7
    |") or down its first column ("Deepgram (Nova-2)", "AssemblyAI"), when at least two of
    them are coined words (not common English), the other side of the table holds none, the
    document's titles and headings name no option, and its prose names each at least twice:
    (per name, signals from headers; per name, signals from first columns). In such a table a
    name of capitalised words ("Amazon Transcribe") counts as well."""
    heads, firsts = Counter(), Counter()
    if not vocabulary:
        return heads, firsts
    prose = _prose(nodes)

    def coined(cells) -> tuple[list, list]:  # (names, product names: "PaddleOCR", "X 5.3")
        names = [(header_name(c), c) for c in cells]
        names = [(n, c) for n, c in names if is_name(n) and not direction(n) and any(
            w.lower() not in vocabulary for w in re.findall(r"[A-Za-z]{3,}", n))]
        return [n for n, _ in names], [n for n, c in names if _PRODUCT.search(n) or
                                        re.search(r"\d", c[len(n):])]

    for table, (header, source) in tables.items():
        if named_in.get(source):  # its titles name the options: read them there
            continue
        text = prose.get(source, "")
        sides = ((heads, *coined(header[1:]), header[1:]),
                 (firsts, *coined(labels[table]), labels[table]))
        for (found, names, made, cells), (_, _, other, _) in zip(sides, sides[::-1]):
            if len(made) < 2 or other:  # products both across and down: which are options?
                continue
            titled = [n for n in map(header_name, cells) if len(n.split()) >= 2 and
                      all(w[0].isupper() for w in n.split())]  # "Amazon Transcribe"
            for name in dict.fromkeys(names + titled):
                if name[0].isupper() and len(re.findall(
                        rf"(?<!\w){re.escape(name)}(?!\w)", text, re.I)) >= 2:
                    found[name.lower()] += 1
                    places[name.lower()].add(source)
                    spelling[name.lower()][name] += 1
    return heads, firsts


def _kind_column(tables: dict, labels: dict, nodes: list, places: dict, spelling: dict,
                 named_in: dict) -> Counter:
    """Names a table lists down a first column headed by a word for the kind of option
    ("Tool", "Library", or the kind the document's title names: "Orchestrator" under
    "Choosing a workflow orchestrator"), each also named in the document's prose, in a
    document whose titles name no option (else they say which: "MLflow OSS" is MLflow's
    row, see _row_names): a signal per name. Not handled: a kind column that is not the
    first."""
    prose = _prose(nodes)
    titles = {n.metadata.get("source", ""): n.metadata.get("title", "") for n in nodes}
    kinds = {source: CLASSES | _COLUMN_WORDS | set(option_kinds({title}, Options()))
             for source, title in titles.items()}
    found = Counter()
    for table, (header, source) in tables.items():
        head = header[0].strip().lower() if header and not named_in.get(source) else ""
        if not head or not {head, head[:-1] if head.endswith("s") else head} & kinds[source]:
            continue
        text = prose.get(source, "")
        names = {header_name(c) for c in labels[table]}
        names = [n for n in names if is_name(n) and not direction(n) and
                 re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text, re.I)]
        if len(names) >= 2 and 2 * len(names) >= len(labels[table]):
            for name in names:
                found[name.lower()] += 1
                places[name.lower()].add(source)
                spelling[name.lower()][name] += 1
    return found


def _measure_header(cell: str, header: list[str]) -> bool:
    """Whether a column header is a measure: a name with a unit of known direction that no
    other header of the row shares ("Wall-clock (min) | Peak VRAM (GB) | Throughput
    (tokens/s)" are measures; "vLLM (tokens/s) | TGI (tokens/s)" are options measured alike)."""
    unit = cell[len(header_name(cell)):].strip()
    return bool(unit) and bool(direction(unit)) and not any(
        other != cell and other[len(header_name(other)):].strip() == unit for other in header[1:])


def discover(nodes: list, vocabulary: frozenset = frozenset()) -> Options:
    """Options and their aliases from indexed nodes (Node-like: .text, .metadata);
    `vocabulary`: common English words (the embedding model's), which product names are not."""
    headers, places, spelling = Counter(), defaultdict(set), defaultdict(Counter)
    titles = Counter()
    tables, labels = {}, defaultdict(set)  # table -> its rows' first cells
    for node in nodes:
        meta = node.metadata
        if meta.get("kind") == "table_row":
            tables[meta["table_id"]] = (json.loads(meta["table_header"]), meta["source"])
            cells = json.loads(meta.get("row_cells") or "[]")
            labels[meta["table_id"]].add(cells[0] if cells else "")
    title_of = {n.metadata.get("source", ""): n.metadata.get("title", "") for n in nodes}
    _count_headers(tables, title_of, vocabulary, headers, places, spelling)
    named_in = _count_headings(nodes, titles, places, spelling)  # source -> names it heads
    folded = _fold_headers(headers, titles, places)
    rows, short = _row_names(labels, tables, named_in, places)
    coined, coined_rows = _coined(tables, labels, nodes, vocabulary, places, spelling,
                                  named_in)
    rows.update(coined_rows)
    rows.update(_kind_column(tables, labels, nodes, places, spelling, named_in))
    corpus = " ".join(n.text for n in nodes)
    options = Options()
    for key in sorted(set(headers) | set(titles) | set(rows) | set(coined)):  # runs agree
        mentioned = len(re.findall(rf"(?<!\w){re.escape(key)}(?!\w)", corpus, re.I))
        lower = all(n == n.lower() for n in spelling[key])  # needs a heading and a header
        if (headers[key] + titles[key] + coined[key] >= 2 or rows[key]) and \
                (mentioned or headers[key] or rows[key]) and \
                (not lower or (headers[key] or rows[key]) and (titles[key] or rows[key])):
            options.display[key] = spelling[key].most_common(1)[0][0]
    merged = spellings.merge_spellings(options, places, {
        n.lower() for node in nodes for n in heading_names(node.metadata.get("title", ""))})
    options.aliases = {**aliases.learn(options, tables, nodes, vocabulary), **merged}
    for key, option in [*spellings.heading_short_names(titles, places, options).items(),
                        *folded.items(), *short.items()]:
        if key not in options.display and option in options.display:
            options.aliases.setdefault(key, option)
    options.refresh()
    options.compared = _compared(options, tables, places,
                                 lambda key: titles[key] or rows[key] or coined[key])
    options.kinds = option_kinds({n.metadata.get("title", "") for n in nodes
                            if n.metadata.get("source") in options.compared}, options)
    return options


def _count_headers(tables: dict, title_of: dict, vocabulary: frozenset, headers: Counter,
                   places: defaultdict, spelling: defaultdict) -> None:
    """Counts the names that head a table's columns (a measure's header is none); a name the
    document's title also holds, and that is no common word, counts twice ("… (with a note
    on Backblaze B2)")."""
    for header, source in tables.values():
        for cell in header[1:]:
            name = header_name(cell)
            if is_name(name) and not direction(name) and not _measure_header(cell, header):
                headers[name.lower()] += 1
                places[name.lower()].add(source)
                spelling[name.lower()][name] += 1
                if len(name) >= 3 and any(w.lower() not in vocabulary for w in re.findall(
                        r"[A-Za-z]{3,}", name)) and vocabulary and re.search(
                        rf"(?<!\w){re.escape(name)}(?!\w)", title_of.get(source, "")):
                    headers[name.lower()] += 1


def _count_headings(nodes: list, titles: Counter, places: defaultdict,
                    spelling: defaultdict) -> defaultdict:
    """Counts the names that titles and headings set (each heading of a document once);
    returns, per document, the names its headings set or list."""
    seen_headings, named_in = set(), defaultdict(set)
    for node in nodes:
        for text in [node.metadata.get("title", "")] + node.metadata.get(
                "heading_path", "").split(" > "):
            if (node.metadata.get("source"), text) in seen_headings:
                continue
            seen_headings.add((node.metadata.get("source"), text))
            for name in filter(is_name, heading_names(text)):
                titles[name.lower()] += 1
                places[name.lower()].add(node.metadata.get("source", ""))
                named_in[node.metadata.get("source", "")].add(name.lower())
                spelling[name.lower()][name] += 1
            for name in filter(is_name, listed_names(text)):
                named_in[node.metadata.get("source", "")].add(name.lower())
                spelling[name.lower()][name] += 1
    return named_in


def _compared(options: Options, tables: dict, places: defaultdict, headed) -> dict:
    """Document -> the options it compares (two at least): its tables' option columns, and
    the options whose heading, row or coined name it holds (`headed(key)`)."""
    compared: dict[str, list] = {}
    for header, source in tables.values():
        cols = {options.column(h) for h in header[1:]} - {None}
        if len(cols) >= 2:
            compared.setdefault(source, [])
            compared[source] += [c for c in cols if c not in compared[source]]
    for key in options.display:
        for source in places[key]:
            if headed(key) and key not in compared.get(source, []):
                compared.setdefault(source, []).append(key)
    return {s: sorted(v) for s, v in compared.items() if len(v) >= 2}

