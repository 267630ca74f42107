"""What the corpus holds: one record per document (title, format, passages, tables, skipped).

`describe_corpus(dir)` loads and chunks the corpus (no model, no index) and is what
`assistant docs` prints; `describe(documents, counts)` is the same record list for documents
already loaded, stored in the index manifest at build time so a running server reports what it
actually answers from. Passages are the document's nodes in the index; duplicates are its
passages already indexed from another file (listed under that node's "sources").
"""
from __future__ import annotations

from pathlib import Path


def describe(documents, counts: dict) -> list[dict]:
    records = []
    for doc in documents:
        count = counts.get(doc.source, {})
        records.append({
            "source": doc.source,
            "title": doc.title,
            "format": doc.format,
            "passages": count.get("passages", 0),
            "duplicates": count.get("duplicates", 0),
            "tables": sum(1 for b in doc.blocks if b.kind == "table"),
            "table_rows": sum(len(b.rows) for b in doc.blocks if b.kind == "table"),
            "pages": doc.pages,
            "skipped": doc.skipped,
        })
    return records


def describe_corpus(corpus_dir: Path, warn=None) -> list[dict]:
    """Records for every document under corpus_dir (CorpusError if it has none)."""
    from .chunking import chunk_with_counts
    from .corpus import load_corpus

    documents = load_corpus(Path(corpus_dir), warn=warn or (lambda _line: None))
    _, counts = chunk_with_counts(documents)
    return describe(documents, counts)


def totals(records: list[dict]) -> dict:
    return {"documents": len(records),
            "indexed": sum(1 for r in records if not r["skipped"]),
            "skipped": sum(1 for r in records if r["skipped"]),
            "passages": sum(r["passages"] for r in records),
            "tables": sum(r["tables"] for r in records)}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def render_text(records: list[dict]) -> str:
    """Terminal listing: one line per document, then the totals."""
    lines = []
    for r in records:
        if r["skipped"]:
            what = f"skipped: {r['skipped']}"
        else:
            what = f"{_plural(r['passages'], 'passage')}, {_plural(r['tables'], 'table')}"
            if r["duplicates"]:
                what += f", {r['duplicates']} already indexed from another file"
            if r["pages"]:
                what += f", {_plural(r['pages'], 'page')}"
        lines.append(f"{r['source']}  [{r['format']}]  {r['title']}\n    {what}")
    t = totals(records)
    lines.append(f"{_plural(t['documents'], 'document')} ({t['skipped']} skipped), "
                 f"{_plural(t['passages'], 'passage')}, {_plural(t['tables'], 'table')}")
    return "\n".join(lines)


def render_markdown(records: list[dict]) -> str:
    """A Markdown table of the records (the chat page's "What I know" panel)."""
    def esc(value) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    rows = ["| Document | Format | Passages | Tables | Status |", "| --- | --- | --- | --- | --- |"]
    for r in records:
        status = f"skipped: {r['skipped']}" if r["skipped"] else "indexed"
        rows.append(f"| **{esc(r['title'])}**<br>`{esc(r['source'])}` | {r['format']} | "
                    f"{r['passages']} | {r['tables']} | {esc(status)} |")
    t = totals(records)
    return "\n".join(rows) + (f"\n\n{_plural(t['indexed'], 'document')} indexed, "
                              f"{_plural(t['passages'], 'passage')}"
                              + (f", {t['skipped']} skipped" if t["skipped"] else "") + ".")
