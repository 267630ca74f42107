"""Documents -> llama-index TextNodes, by structure.

* A paragraph is one node; a paragraph longer than MAX_CHARS becomes sentence windows.
* Every table row is its own node that carries the table's header and its section, e.g.
  "Deployment Target: Browser | PyTorch: Limited (ONNX path) | TensorFlow: TensorFlow.js (mature)".
Node ids are content hashes (stable across rebuilds); metadata keeps source, heading path and
character offsets into the source file. Bump CHUNKER_VERSION whenever the output changes.
"""
from __future__ import annotations

import hashlib
import json

from .corpus import Block, Document
from .text import split_sentences

CHUNKER_VERSION = "3"
MAX_CHARS = 700
# Metadata hidden from the embedding text (the heading path is kept: it carries the topic).
_NOT_EMBEDDED = ["source", "title", "section", "kind", "start_char", "end_char", "table_header",
                 "row_cells", "table_id", "row_index"]


def row_text(header: tuple[str, ...], cells: tuple[str, ...]) -> str:
    """'Header: cell | Header: cell' for one table row (extra cells keep a blank header)."""
    names = list(header) + [""] * max(0, len(cells) - len(header))
    return " | ".join(f"{n}: {c}" if n else c for n, c in zip(names, cells))


def node_id(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]


def chunk_documents(documents: list[Document]) -> list:
    """All nodes of all documents, in document order, ids unique."""
    nodes, seen = [], set()
    for doc in documents:
        for block in doc.blocks:
            for node in _block_nodes(doc, block):
                while node.id_ in seen:  # identical text twice in one place: keep both
                    node.id_ = node_id(node.id_, str(node.metadata["start_char"]))
                seen.add(node.id_)
                nodes.append(node)
    return nodes


def _block_nodes(doc: Document, block: Block):
    if block.kind == "table":
        table_id = node_id(doc.source, *block.headings, *block.header)
        for i, row in enumerate(block.rows):
            text = row_text(block.header, row.cells)
            yield _node(doc, block, text, row.start, row.end, "table_row", {
                "table_header": json.dumps(block.header, ensure_ascii=False),
                "row_cells": json.dumps(row.cells, ensure_ascii=False),
                "table_id": table_id, "row_index": i})
        return
    text = " ".join(block.text.split()) if "\n" in block.text else block.text
    if len(text) <= MAX_CHARS or "\n" in block.text:
        yield _node(doc, block, text, block.start, block.end, "paragraph")
        return
    window: list[tuple[int, int]] = []
    for span in split_sentences(text) + [None]:
        if window and (span is None or span[1] - window[0][0] > MAX_CHARS):
            a, b = window[0][0], window[-1][1]
            yield _node(doc, block, text[a:b], block.start + a, block.start + b, "sentences")
            window = []
        if span is not None:
            window.append(span)


def _node(doc, block, text, start, end, kind, extra=None):
    from llama_index.core.schema import TextNode

    headings = block.headings
    # The document title (H1) adds nothing to a section name; keep it only if it is all we have.
    path = headings[1:] if len(headings) > 1 and headings[0] == doc.title else headings
    metadata = {
        "heading_path": " > ".join(path),
        "source": doc.source,
        "title": doc.title,
        "section": path[-1] if path else doc.title,
        "kind": kind,
        "start_char": start,
        "end_char": end,
        **(extra or {}),
    }
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


def embed_text(node) -> str:
    """What gets embedded and BM25-indexed: heading path + text."""
    from llama_index.core.schema import MetadataMode

    return node.get_content(metadata_mode=MetadataMode.EMBED)
