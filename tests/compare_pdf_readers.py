"""Compare PDF text extractors on generated PDFs: speed, text quality and table recovery.

    .venv/bin/python tests/compare_pdf_readers.py      (needs pypdf, pdfplumber and pymupdf)

The article (7 tables, 48 rows) is typeset to PDF with tests/pdf_fixtures.py, once (7 pages)
and five times over (32 pages). Quality is measured against the source words: the share of
source words recovered in order (difflib), and tokens that exist nowhere in the source (words
glued together or split apart). Not a test: the libraries other than the chosen one are not
project dependencies. The result is quoted in the README.
"""
from __future__ import annotations

import difflib
import platform
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pdf_fixtures import markdown_pdf  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9.%+/-]*[A-Za-z0-9%]|[A-Za-z0-9]")


def _words(text: str) -> list[str]:
    return WORD.findall(text.replace("\u00ad", ""))


def _pypdf(path):
    import pypdf

    reader = pypdf.PdfReader(path)
    return [p.extract_text() or "" for p in reader.pages], None


def _pdfplumber(path, find_tables=True):
    import pdfplumber

    texts, tables = [], (0 if find_tables else None)
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            texts.append(page.extract_text() or "")
            if find_tables:
                tables += sum(max(0, len(t.extract()) - 1) for t in page.find_tables())
    return texts, tables


def _pymupdf(path, find_tables=True):
    import pymupdf

    texts, tables = [], (0 if find_tables else None)
    with pymupdf.open(path) as doc:
        for page in doc:
            texts.append(page.get_text())
            if find_tables:
                tables += sum(max(0, len(t.extract()) - 1) for t in page.find_tables().tables)
    return texts, tables


READERS = {"pypdf (text only)": _pypdf,
           "pdfplumber (text only)": lambda p: _pdfplumber(p, find_tables=False),
           "pdfplumber + find_tables": _pdfplumber,
           "pymupdf (text only)": lambda p: _pymupdf(p, find_tables=False),
           "pymupdf + find_tables": _pymupdf}


def measure(name, path, source_words, repeat=3):
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = READERS[name](path)
        best = min(best, time.perf_counter() - started)
    pages, rows = result
    words = _words("\n".join(pages))
    vocab = set(source_words)
    matcher = difflib.SequenceMatcher(None, source_words, words, autojunk=False)
    in_order = sum(b.size for b in matcher.get_matching_blocks()) / len(source_words)
    foreign = [w for w in words if w not in vocab and not re.fullmatch(r"Page|\d+|Spheron|Blog", w)]
    return {"seconds": best, "pages": len(pages), "in_order": in_order,
            "foreign": len(foreign), "examples": foreign[:5], "table_rows": rows}


def main():
    article = (ROOT / "corpus" / "pytorch-vs-tensorflow-2025.md").read_text(encoding="utf-8")
    body = article.split("---\n", 2)[2]
    plain = re.sub(r"^\|?\s*:?-{3,}.*$", "", body, flags=re.M).replace("|", " ").replace("#", " ")
    with tempfile.TemporaryDirectory() as tmp:
        one = markdown_pdf(Path(tmp) / "article.pdf", body, title="t", running_header="Spheron Blog")
        five = markdown_pdf(Path(tmp) / "article5.pdf", body * 5, title="t",
                            running_header="Spheron Blog")
        print(f"machine: {platform.machine()}, {__import__('os').cpu_count()} cores, "
              f"Python {platform.python_version()}")
        print("| library | 7 pages (s) | 32 pages (s) | words in order | foreign tokens | "
              "table rows found (of 48) |")
        print("| --- | --- | --- | --- | --- | --- |")
        for name in READERS:
            small = measure(name, one, _words(plain))
            big = measure(name, five, _words(plain * 5), repeat=1)
            rows = "n/a" if small["table_rows"] is None else small["table_rows"]
            print(f"| {name} | {small['seconds']:.2f} | {big['seconds']:.2f} | "
                  f"{small['in_order']:.1%} | {small['foreign']} {small['examples']} | {rows} |")


if __name__ == "__main__":
    main()
