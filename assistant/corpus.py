"""Load corpus/*.md|txt|html into documents made of headed paragraphs and tables.

Markdown: YAML-ish front matter (`key: value` lines), ATX headings (`#`..`######`), paragraphs
separated by blank lines, list items, fenced code, and pipe tables (first row = header).
Plain text: blank-line paragraphs; a short single line without closing punctuation is a heading.
HTML: h1-h6, p/li/pre/blockquote/dd, and <table> (th/td rows).
Not handled: setext headings, nested lists as structure, merged table cells (colspan).
Every block keeps its heading path and its character span in the file it came from.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from .errors import CorpusError

SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm")


@dataclass(frozen=True)
class TableRow:
    cells: tuple[str, ...]
    start: int
    end: int


@dataclass(frozen=True)
class Block:
    """A paragraph (kind='paragraph') or a table (kind='table') under a heading path."""

    kind: str
    headings: tuple[str, ...]
    text: str
    start: int
    end: int
    header: tuple[str, ...] = ()
    rows: tuple[TableRow, ...] = ()


@dataclass
class Document:
    source: str  # path shown to users, e.g. "corpus/article.md"
    path: Path
    title: str
    meta: dict
    text: str
    blocks: list[Block] = field(default_factory=list)


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
        raise CorpusError(f"no .md, .txt or .html documents in {corpus_dir}")
    return files


def load_corpus(corpus_dir: Path) -> list[Document]:
    corpus_dir = Path(corpus_dir)
    return [load_document(p, f"{corpus_dir.name}/{p.relative_to(corpus_dir).as_posix()}")
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


def load_document(path: Path, source: str) -> Document:
    text = read_text(path)
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        meta, blocks = {}, parse_html(text)
    elif suffix == ".txt":
        meta, blocks = {}, parse_plain(text)
    else:
        meta, blocks = parse_markdown(text)
    title = meta.get("title") or next((b.headings[0] for b in blocks if b.headings), path.stem)
    return Document(source=source, path=path, title=title, meta=meta, text=text, blocks=blocks)


# ---------------------------------------------------------------- Markdown

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def _lines_with_offsets(text: str):
    pos = 0
    for line in text.splitlines(keepends=True):
        yield line.rstrip("\r\n"), pos
        pos += len(line)


def _split_cells(line: str) -> tuple[str, ...]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|"):
        body = body[:-1]
    return tuple(c.strip() for c in re.split(r"(?<!\\)\|", body))


def parse_front_matter(text: str) -> tuple[dict, int]:
    """`---` delimited `key: value` lines at the top; returns (meta, offset after it)."""
    if not text.startswith("---"):
        return {}, 0
    end = text.find("\n---", 3)
    if end < 0:
        return {}, 0
    meta = {}
    for line in text[3:end].splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip():
            meta[key.strip()] = value.strip().strip('"').strip("'")
    after = text.find("\n", end + 4)
    return meta, (len(text) if after < 0 else after + 1)


def parse_markdown(text: str) -> tuple[dict, list[Block]]:
    meta, body_start = parse_front_matter(text)
    blocks: list[Block] = []
    headings: list[tuple[int, str]] = []
    para: list[tuple[str, int]] = []
    table: list[tuple[str, int]] = []
    in_fence = False

    def path() -> tuple[str, ...]:
        return tuple(h for _, h in headings)

    def flush_para():
        if para:
            start = para[0][1]
            end = para[-1][1] + len(para[-1][0])
            blocks.append(Block("paragraph", path(), text[start:end], start, end))
            para.clear()

    def flush_table():
        if not table:
            return
        if len(table) >= 2 and _TABLE_RULE.match(table[1][0]):
            header = _split_cells(table[0][0])
            rows = tuple(TableRow(_split_cells(l), o, o + len(l)) for l, o in table[2:])
            start, end = table[0][1], table[-1][1] + len(table[-1][0])
            blocks.append(Block("table", path(), text[start:end], start, end, header, rows))
        else:  # pipes without a rule line: plain paragraph text
            para.extend(table)
            flush_para()
        table.clear()

    for line, offset in _lines_with_offsets(text):
        if offset < body_start:
            continue
        stripped = line.strip()
        if stripped.startswith("```") or stripped.startswith("~~~"):
            flush_table()
            if in_fence:
                para.append((line, offset))
                flush_para()
            else:
                flush_para()
                para.append((line, offset))
            in_fence = not in_fence
            continue
        if in_fence:
            para.append((line, offset))
            continue
        heading = _HEADING.match(line)
        if heading:
            flush_para(), flush_table()
            level = len(heading.group(1))
            headings[:] = [h for h in headings if h[0] < level] + [(level, heading.group(2))]
        elif stripped.startswith("|"):
            flush_para()
            table.append((line, offset))
        elif not stripped:
            flush_para(), flush_table()
        elif _LIST_ITEM.match(line):
            flush_para(), flush_table()
            para.append((line, offset))
        else:
            flush_table()
            para.append((line, offset))
    flush_para(), flush_table()
    return meta, blocks


# ---------------------------------------------------------------- plain text

def parse_plain(text: str) -> list[Block]:
    blocks, headings = [], []
    for match in re.finditer(r"\S(?:.*?)(?=\n\s*\n|\s*\Z)", text, flags=re.S):
        chunk = match.group(0).rstrip()
        start, end = match.start(), match.start() + len(chunk)
        is_heading = "\n" not in chunk and len(chunk) <= 100 and chunk[-1] not in ".!?:;,)\"'"
        if is_heading:
            headings = [chunk]
        else:
            blocks.append(Block("paragraph", tuple(headings), chunk, start, end))
    return blocks


# ---------------------------------------------------------------- HTML

class _HtmlBlocks(HTMLParser):
    """Block extraction that follows HTML's implicit closing: a new block ends an open <p> or
    <li>, a new cell or row ends the open one, nested tables fold into their outer cell, and
    whatever is still open at the end of the document is kept."""

    TEXT_TAGS = {"p", "li", "pre", "blockquote", "dd", "dt", "figcaption", "caption"}
    BREAKS = TEXT_TAGS | {"h1", "h2", "h3", "h4", "h5", "h6", "table", "div", "ul", "ol", "dl",
                          "section", "article", "hr", "form", "main", "aside"}
    SKIP = {"script", "style", "nav", "header", "footer", "noscript", "template"}

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.blocks: list[Block] = []
        self.headings: list[tuple[int, str]] = []
        self.capture: list[str] | None = None
        self.capture_tag, self.capture_start = "", 0
        self.depth = 0  # table nesting; only the outermost table is structured
        self.rows: list[tuple[list[str], int, int]] = []
        self.cell: list[str] | None = None
        self.table_start = 0
        self.skip = 0

    def position(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
            return
        if tag == "br":
            self.handle_data(" ")
            return
        if self.depth:  # inside a table
            if tag == "table":
                self.depth += 1
            elif self.depth == 1 and tag == "tr":
                self._close_cell()
                self.rows.append(([], self.position(), self.position()))
            elif self.depth == 1 and tag in ("td", "th"):
                self._close_cell()
                if not self.rows:
                    self.rows.append(([], self.position(), self.position()))
                self.cell = []
            elif tag in self.BREAKS and self.cell is not None:
                self.cell.append(" ")
            return
        if tag in self.BREAKS:
            self._flush()
        if tag == "table":
            self.depth, self.rows, self.cell, self.table_start = 1, [], None, self.position()
        elif tag in self.TEXT_TAGS or re.fullmatch(r"h[1-6]", tag):
            self.capture, self.capture_tag, self.capture_start = [], tag, self.position()

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif self.depth:
            if tag == "table":
                self.depth -= 1
                if self.depth == 0:
                    self._close_cell()
                    self._emit_table()
            elif self.depth == 1 and tag in ("td", "th"):
                self._close_cell()
            elif self.depth == 1 and tag == "tr" and self.rows:
                self._close_cell()
                cells, start, _ = self.rows[-1]
                self.rows[-1] = (cells, start, self.position())
        elif tag == self.capture_tag or (tag in self.BREAKS and self.capture is not None):
            self._flush()

    def handle_data(self, data):
        if self.skip:
            return
        if self.cell is not None:
            self.cell.append(data)
        elif self.capture is not None:
            self.capture.append(data)
        elif not self.depth and data.strip():  # loose text between blocks is a paragraph
            self.capture, self.capture_tag, self.capture_start = [data], "", self.position()

    def close(self):
        super().close()
        if self.depth:
            self._close_cell()
            self._emit_table()
            self.depth = 0
        self._flush()

    def _close_cell(self):
        if self.cell is not None and self.rows:
            self.rows[-1][0].append(" ".join("".join(self.cell).split()))
        self.cell = None

    def _emit_table(self):
        rows = [(cells, a, b or a) for cells, a, b in self.rows if any(cells)]
        if len(rows) >= 2:
            header = tuple(rows[0][0])
            body = tuple(TableRow(tuple(c), a, max(a, b)) for c, a, b in rows[1:])
            text = "\n".join(" | ".join(c) for c, _, _ in rows)
            self.blocks.append(Block("table", self._path(), text, self.table_start,
                                     self.position(), header, body))
        elif rows:  # a one-row "table" is just text
            self.blocks.append(Block("paragraph", self._path(), " ".join(rows[0][0]),
                                     self.table_start, self.position()))
        self.rows = []

    def _flush(self):
        if self.capture is None:
            return
        content = " ".join("".join(self.capture).split())
        tag, self.capture = self.capture_tag, None
        if content and re.fullmatch(r"h[1-6]", tag):
            level = int(tag[1])
            self.headings = [h for h in self.headings if h[0] < level] + [(level, content)]
        elif content:
            self.blocks.append(Block("paragraph", self._path(), content, self.capture_start,
                                     self.position()))

    def _path(self):
        return tuple(h for _, h in self.headings)


def parse_html(text: str) -> list[Block]:
    parser = _HtmlBlocks(text)
    parser.feed(text)
    parser.close()
    return parser.blocks
