"""Documents -> llama-index TextNodes, by structure, each passage indexed once.

* A paragraph is one node; a paragraph longer than MAX_CHARS becomes sentence windows.
* Every table row is its own node that carries the table's header and its section, e.g.
  "Deployment Target: Browser | PyTorch: Limited (ONNX path) | TensorFlow: TensorFlow.js (mature)",
  and notes its caption: the short paragraph just before the table in the same section (or
  the labelled one just after it, "Table 2: …", where the document sets captions under tables)
  ("Images per second on the same A100. Higher is better.").
* A document whose metadata names an author or a date gets one "doc_info" node:
  "Title — by Author, published Dec 23, 2025 (Publication)".
* Duplicates across files: a passage whose normal form (case, whitespace, punctuation and
  markup ignored) equals an earlier passage of another file, or that is near-identical to one
  (normal forms >= NEAR alike by difflib's ratio, with the same numbers and negations: a
  changed figure or an added "not" is a different fact), is not indexed again;
  the kept node lists every file it appears in under "sources" (JSON list). Repeats within
  one file are kept (their headings differ).
Node ids are content hashes (stable across rebuilds); metadata keeps source, heading path,
character offsets into the source file and, for PDFs, the page ("section" reads
"Heading (p. 3)"). Bump CHUNKER_VERSION whenever the output changes.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
import zlib

import numpy as np

from .corpus import Block, Document, doc_info_text
from .lexical import sentence_spans as split_sentences

CHUNKER_VERSION = "23"  # bump when chunks change (23: PDF table layouts, HTML ARIA tables)
MAX_CHARS = 700
CAPTION_CHARS = 200  # a short paragraph just before a table, in its section, is its caption
_LABELLED = re.compile(r"(?:table|figure|fig\.|exhibit)\s*\d+\s*[.:–—-]", re.I)  # one after it
NEAR = 0.95
# Metadata hidden from the embedding text (the heading path is kept: it carries the topic).
_NOT_EMBEDDED = ["source", "title", "section", "kind", "start_char", "end_char", "table_header",
                 "caption",
                 "row_cells", "table_id", "row_index", "sources", "page", "format"]
_NEGATIONS = {"not", "no", "never", "cannot", "without", "none", "neither", "nor"}


def row_text(header: tuple[str, ...], cells: tuple[str, ...]) -> str:
    """'Header: cell | Header: cell' for one table row (extra cells keep a blank header)."""
    names = list(header) + [""] * max(0, len(cells) - len(header))
    return " | ".join(f"{n}: {c}" if n else c for n, c in zip(names, cells))


def node_id(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]


def normal_form(text: str) -> str:
    """Lower-case words and numbers only: what two copies of a passage share whatever their
    whitespace, punctuation, quotes, dashes or markup."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("_", " ")
    return " ".join(re.findall(r"\w+", text))


def chunk_documents(documents: list[Document]) -> list:
    """All nodes of all documents, in document order, ids unique, duplicates merged."""
    return chunk_with_counts(documents)[0]


def chunk_with_counts(documents: list[Document]) -> tuple[list, dict]:
    """(nodes, {source: {"passages": kept, "duplicates": merged into another file's node}})."""
    nodes, seen, exact = [], set(), {}
    near = _NearDuplicates()
    counts = {doc.source: {"passages": 0, "duplicates": 0} for doc in documents}
    for doc in documents:
        if doc.skipped:
            continue
        for node in _doc_nodes(doc):
            key = (node.metadata["kind"] == "table_row", normal_form(node.get_content()))
            kept, features = exact.get(key), near.features(node)
            if kept is None or doc.source in json.loads(kept.metadata["sources"]):
                kept = near.find(features, doc.source)
            if kept is not None:
                sources = json.loads(kept.metadata["sources"])
                kept.metadata["sources"] = json.dumps(sources + [doc.source], ensure_ascii=False)
                counts[doc.source]["duplicates"] += 1
                continue
            exact.setdefault(key, node)
            near.add(node, features)
            while node.id_ in seen:  # identical text twice in one place: keep both
                node.id_ = node_id(node.id_, str(node.metadata["start_char"]))
            seen.add(node.id_)
            nodes.append(node)
            counts[doc.source]["passages"] += 1
    return nodes, counts


def _doc_nodes(doc: Document):
    info = doc_info_text(doc)
    if info:
        block = Block("paragraph", (), info, 0, 0)
        yield _node(doc, block, info, 0, 0, "doc_info", section="Document info")
    captions = _captions(doc.blocks)
    for n, block in enumerate(doc.blocks):
        yield from _block_nodes(doc, block, " ".join(captions.get(n, "").split()))


def _captions(blocks: list) -> dict[int, str]:
    """Each table's caption: the short paragraph just before it in its section; but where the
    document labels its captions ("Table 2: …", "Figure 3.") and sets them under its tables
    more often than over them, the labelled paragraph just after it."""
    def beside(n: int, table: Block) -> str | None:
        near = blocks[n] if 0 <= n < len(blocks) else None
        return near.text if near is not None and near.kind != "table" and \
            near.headings == table.headings and len(near.text) <= CAPTION_CHARS else None

    tables = [n for n, b in enumerate(blocks) if b.kind == "table"]
    over = sum(bool(_LABELLED.match(beside(n - 1, blocks[n]) or "")) for n in tables)
    under = sum(bool(_LABELLED.match(beside(n + 1, blocks[n]) or "")) for n in tables)
    out = {}
    for n in tables:
        before, after = beside(n - 1, blocks[n]), beside(n + 1, blocks[n])
        labelled = after if after and _LABELLED.match(after) else None
        if under > over and labelled:
            out[n] = labelled
        elif before and not (under > over and _LABELLED.match(before)):
            out[n] = before  # (a labelled one over it belongs to the table before)
        elif labelled:
            out[n] = labelled
    return out


def _block_nodes(doc: Document, block: Block, caption: str = ""):
    if block.kind == "table":
        table_id = node_id(doc.source, str(block.start), *block.headings, *block.header)
        for i, row in enumerate(block.rows):
            text = row_text(block.header, row.cells)
            yield _node(doc, block, text, row.start, row.end, "table_row", {
                "table_header": json.dumps(block.header, ensure_ascii=False),
                "row_cells": json.dumps(row.cells, ensure_ascii=False),
                "table_id": table_id, "row_index": i, "caption": caption},
                page=row.page or block.page)
        return
    text = " ".join(block.text.split()) if "\n" in block.text else block.text
    if len(text) <= MAX_CHARS or "\n" in block.text:
        yield _node(doc, block, text, block.start, block.end, "paragraph")
        return
    window: list[tuple[int, int]] = []
    for span in split_sentences(text) + [None]:
        if window and (span is None or span[1] - window[0][0] > MAX_CHARS):
            a, b = window[0][0], window[-1][1]
            yield _node(doc, block, text[a:b], *block.span(a, b), "sentences")
            window = []
        if span is not None:
            window.append(span)


def _node(doc, block, text, start, end, kind, extra=None, page=None, section=None):
    from llama_index.core.schema import TextNode

    headings = block.headings
    # The document title (H1) adds nothing to a section name; keep it only if it is all we have.
    top = headings[0] if headings else None
    path = headings[1:] if len(headings) > 1 and doc.title.startswith(top) else headings
    page = page or block.page
    section = section or (path[-1] if path else ("" if page else doc.title))
    if page:
        section = f"{section} (p. {page})" if section else f"p. {page}"
    metadata = {
        "heading_path": " > ".join(path),
        "source": doc.source,
        "title": doc.title,
        "section": section,
        "kind": kind,
        "start_char": start,
        "end_char": end,
        **(extra or {}),
        "sources": json.dumps([doc.source], ensure_ascii=False),
        "format": doc.format,
    }
    if page:
        metadata["page"] = page
    return TextNode(
        id_=node_id(doc.source, metadata["heading_path"], kind, text),
        text=text,
        metadata=metadata,
        excluded_embed_metadata_keys=list(_NOT_EMBEDDED),
        excluded_llm_metadata_keys=list(_NOT_EMBEDDED),
        metadata_template="{value}",
        text_template="{metadata_str}\n{content}",
        start_char_idx=start,
        end_char_idx=end,
    )


class _NearDuplicates:
    """Near-identical passage lookup: candidates from MinHash over word pairs, banded (LSH),
    then checked by difflib's ratio on the normal forms. Passages under 6 words only ever
    match exactly."""

    BANDS, ROWS, PRIME = 8, 2, (1 << 31) - 1

    def __init__(self):
        rng = np.random.default_rng(20251223)
        self.a = rng.integers(1, self.PRIME, self.BANDS * self.ROWS, dtype=np.uint64)
        self.b = rng.integers(0, self.PRIME, self.BANDS * self.ROWS, dtype=np.uint64)
        self.buckets: dict[tuple, list[int]] = {}
        self.entries: list[tuple] = []  # (node, normal form, numbers, negations)

    def features(self, node):
        normal = normal_form(node.get_content())
        words = normal.split()
        if len(words) < 6:
            return None
        pairs = {zlib.crc32(f"{x} {y}".encode()) for x, y in zip(words, words[1:])}
        hashes = np.fromiter(pairs, dtype=np.uint64)
        signature = ((self.a[:, None] * hashes[None, :] + self.b[:, None]) % self.PRIME).min(axis=1)
        table = node.metadata["kind"] == "table_row"
        bands = [(table, i, *signature[i * self.ROWS:(i + 1) * self.ROWS].tolist())
                 for i in range(self.BANDS)]
        numbers = sorted(w for w in words if any(ch.isdigit() for ch in w))
        return bands, normal, numbers, sorted(w for w in words if w in _NEGATIONS)

    def find(self, features, source: str):
        """The earliest kept node of another file that a passage with these features nearly
        duplicates, or None."""
        if features is None:
            return None
        from difflib import SequenceMatcher

        bands, normal, numbers, negations = features
        candidates = sorted({i for band in bands for i in self.buckets.get(band, ())})
        for i in candidates:
            other, other_normal, other_numbers, other_negations = self.entries[i]
            if source in json.loads(other.metadata["sources"]) or numbers != other_numbers \
                    or negations != other_negations:
                continue
            matcher = SequenceMatcher(None, normal, other_normal, autojunk=False)
            if matcher.quick_ratio() >= NEAR and matcher.ratio() >= NEAR:
                return other
        return None

    def add(self, node, features) -> None:
        if features is None:
            return
        self.entries.append((node, *features[1:]))
        for band in features[0]:
            self.buckets.setdefault(band, []).append(len(self.entries) - 1)


def embed_text(node) -> str:
    """What gets embedded and BM25-indexed: heading path + text."""
    from llama_index.core.schema import MetadataMode

    return node.get_content(metadata_mode=MetadataMode.EMBED)
