"""Load corpus/**/*.md|txt|html|pdf into documents made of headed paragraphs and tables.

Markdown (formats/markdown.py): front matter, headings, paragraphs, lists, code, pipe tables,
inline markup rendered to plain text. HTML (formats/htmlpage.py): the page's content without
its chrome; <title> and <meta> give title, author and date. PDF (formats/pdf.py): headings,
paragraphs and ruled tables with page numbers; PDF metadata gives title, author and date.
Plain text (formats/plain.py): blank-line paragraphs, short or underlined heading lines, pipe
tables.
Every block keeps its heading path and its span in the document's text (for PDFs, the
extracted text). A document that cannot be parsed (a corrupt, encrypted or scanned PDF, an
HTML page with no content) is kept with `skipped` set and no blocks, and a one-line warning
naming the file goes to stderr; the rest of the corpus still loads. Not handled: .docx and
other office formats, OCR of scanned pages.
"""
from __future__ import annotations

import re
import sys
from datetime import date as _date
from pathlib import Path

from .errors import CorpusError
from .formats.blocks import Block, Document, TableRow
from .formats.markdown import parse_front_matter, parse_markdown
from .formats.plain import parse_paragraphs, parse_plain

__all__ = ["Block", "Document", "TableRow", "SUFFIXES", "corpus_files", "load_corpus",
           "load_document", "parse_front_matter", "parse_markdown", "parse_html", "parse_plain",
           "doc_info_text", "human_date"]

SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf")
FORMATS = {".md": "markdown", ".markdown": "markdown", ".txt": "text", ".html": "html",
           ".htm": "html", ".pdf": "pdf"}


def corpus_files(corpus_dir: Path) -> list[Path]:
    """All loadable files under corpus_dir, sorted; raises CorpusError if there are none."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise CorpusError(f"corpus folder not found: {corpus_dir}")
    files = sorted(
        p for p in corpus_dir.rglob("*")
        if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(".")
    )
    if not files:
        raise CorpusError(f"no .md, .txt, .html or .pdf documents in {corpus_dir}")
    return files


def load_corpus(corpus_dir: Path, warn=None) -> list[Document]:
    """Every document under corpus_dir, skipped ones included (see `Document.skipped`);
    `warn` receives one line per skipped file (default: stderr)."""
    corpus_dir = Path(corpus_dir)
    return [load_document(p, f"{corpus_dir.name}/{p.relative_to(corpus_dir).as_posix()}", warn)
            for p in corpus_files(corpus_dir)]


def read_text(path: Path) -> str:
    """UTF-8 text; other encodings are read as Latin-1 with a warning rather than dropped."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"cannot read {path}: {exc.strerror}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        print(f"warning: {path} is not UTF-8; read as Latin-1", file=sys.stderr)
        return raw.decode("latin-1")


def load_document(path: Path, source: str, warn=None) -> Document:
    """One document; a file that cannot be parsed comes back skipped, with a warning (a
    Markdown or text file whose structure cannot be read is indexed as plain paragraphs)."""
    warn = warn or (lambda line: print(line, file=sys.stderr))
    fmt = FORMATS.get(path.suffix.lower(), "text")
    text, pages, meta, blocks, skipped = "", None, {}, [], None
    try:
        if fmt == "pdf":
            from .formats.pdf import PdfUnreadable, parse_pdf

            try:
                meta, text, blocks, pages = parse_pdf(path)
            except PdfUnreadable as exc:
                skipped = str(exc)
        else:
            text = read_text(path)
            if fmt == "html":
                from .formats.htmlpage import parse_html as parse_page

                meta, blocks = parse_page(text)
            elif fmt == "text":
                blocks = parse_plain(text)
            else:
                meta, blocks = parse_markdown(text)
    except (RecursionError, ValueError, IndexError, AssertionError, KeyError, TypeError):
        if fmt in ("text", "markdown"):  # keep its words findable rather than drop it
            blocks = parse_paragraphs(text)
            warn(f"warning: {source}: its headings and tables could not be read; "
                 "indexed as plain paragraphs")
        else:
            skipped = "could not be parsed"
    if skipped:
        warn(f"warning: {source} skipped: {skipped}")
        blocks = []
    elif not blocks:  # nothing to warn about: `assistant docs` lists it as skipped
        skipped = "no text to index"
    title = meta.get("title") or next((b.headings[0] for b in blocks if b.headings), path.stem)
    return Document(source=source, path=path, title=title, meta=meta, text=text, blocks=blocks,
                    format=fmt, skipped=skipped, pages=pages)


def parse_html(text: str) -> list[Block]:
    """The blocks of an HTML page (formats/htmlpage.py also returns its title and metadata)."""
    from .formats.htmlpage import parse_html as parse

    return parse(text)[1]


# ---------------------------------------------------------------- document info

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def human_date(value: str) -> str:
    """'2025-12-23' (or an ISO timestamp) -> 'Dec 23, 2025'; '2025-12' -> 'Dec 2025';
    anything else unchanged."""
    m = re.match(r"^(\d{4})-(\d{2})(?:-(\d{2}))?(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$",
                 value.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        return value.strip()
    year, month = int(m.group(1)), int(m.group(2))
    if not m.group(3):
        return f"{_MONTHS[month - 1]} {year}"
    try:
        day = _date(year, month, int(m.group(3)))
    except ValueError:
        return value.strip()
    return f"{_MONTHS[month - 1]} {day.day}, {year}"


def doc_info_text(doc: Document) -> str | None:
    """'Title — by Author, published Dec 23, 2025 (Publication)' when the document's metadata
    names an author or a date (a title alone adds nothing to answer); else None."""
    meta = doc.meta or {}
    author, when = meta.get("author", "").strip(), meta.get("date", "").strip()
    if not (author or when):
        return None
    facts = ([f"by {author}"] if author else []) + ([f"published {human_date(when)}"] if when else [])
    venue = meta.get("source", "").strip()
    venue = f" ({venue})" if venue and not venue.startswith(("http://", "https://")) else ""
    return f"{doc.title} — {', '.join(facts)}{venue}"
