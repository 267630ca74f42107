"""Markdown -> front matter + headed paragraph and table blocks in plain text.

Handled: `---` front matter (`key: value` lines), ATX and setext (underlined) headings,
paragraphs split by blank lines, list items (bullets dropped, numbers kept), block quotes (`>`
dropped), fenced code (fences dropped, content verbatim), pipe tables (first row = header;
outer pipes optional), raw HTML <table> blocks (read by the HTML parser, under the Markdown
headings),
and inline markup rendered to plain text by inline.py with every character's source offset
kept, so a block's start/end (and any part of it) still point into the original file.
Thematic breaks, link reference definitions and HTML comments are left out. Not handled: a
setext heading of several lines, nested lists as structure, indented code blocks, merged
table cells.
"""
from __future__ import annotations

import re

from dataclasses import replace

from .blocks import Block, TableRow
from .inline import render

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")  # underlines the single line above it
TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")  # "|---|:--|"
_LIST_ITEM = re.compile(r"^\s*(?:\\?[-*+]|\d+[.)])\s+")
_BULLET = re.compile(r"^\s*\\?[-*+•]\s+")
_QUOTE = re.compile(r"^\s*(?:>\s?)+")
_BREAK = re.compile(r"^\s*(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
_REF_DEF = re.compile(r"^\s{0,3}\[(?!\^)[^\]]+\]:\s*\S+")  # not a footnote "[^1]: …"
_HTML_TABLE = re.compile(r"^\s{0,3}<table\b", re.I)


def _lines_with_offsets(text: str):
    pos = 0
    for line in text.splitlines(keepends=True):
        yield line.rstrip("\r\n"), pos
        pos += len(line)


def _split_cells(line: str, offset: int) -> list[tuple[str, int]]:
    """(raw cell, offset of its first character) for each cell of a pipe-table line."""
    body_start = len(line) - len(line.lstrip())
    body_end = len(line.rstrip())
    if line[body_start:body_start + 1] == "|":
        body_start += 1
    if body_end > body_start and line[body_end - 1] == "|" and line[body_end - 2:body_end] != "\\|":
        body_end -= 1
    cells, start = [], body_start
    for m in re.finditer(r"(?<!\\)\|", line[body_start:body_end]):
        cells.append((line[start:body_start + m.start()], offset + start))
        start = body_start + m.end()
    cells.append((line[start:body_end], offset + start))
    return cells


def _cells(line: str, offset: int) -> tuple[str, ...]:
    return tuple(render(raw, list(range(off, off + len(raw))))[0] for raw, off in _split_cells(line, offset))


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


def _paragraph(text: str, lines: list[tuple[str, int]], path) -> Block | None:
    """One rendered paragraph block from its source lines (list marker and quotes dropped)."""
    src, offs = [], []
    for n, (line, offset) in enumerate(lines):
        cut = _QUOTE.match(line)
        skip = cut.end() if cut else 0
        if n == 0 and (bullet := _BULLET.match(line, skip)):
            skip = bullet.end()
        if n:
            src.append("\n")
            offs.append(offset - 1)
        src.append(line[skip:])
        offs.extend(range(offset + skip, offset + len(line)))
    rendered, char_map = render("".join(src), offs)
    if not rendered:
        return None
    start, end = lines[0][1], lines[-1][1] + len(lines[-1][0])
    return Block("paragraph", path, rendered, start, end, char_map=tuple(char_map),
                 verbatim=rendered == text[start:end])


class _Parser:
    """Line-by-line block builder: open paragraph, table and code fence, and the heading path."""

    def __init__(self, text: str):
        self.text = text
        self.blocks: list[Block] = []
        self.headings: list[tuple[int, str]] = []
        self.para: list[tuple[str, int]] = []
        self.table: list[tuple[str, int]] = []
        self.fence: list[tuple[str, int]] | None = None
        self.html: list[tuple[str, int]] | None = None  # an open raw HTML <table>

    def path(self) -> tuple[str, ...]:
        return tuple(h for _, h in self.headings)

    def flush(self):
        self.flush_para()
        self.flush_table()

    def flush_para(self):
        if self.para:
            block = _paragraph(self.text, self.para, self.path())
            if block:
                self.blocks.append(block)
            self.para = []

    def flush_table(self):
        table, self.table = self.table, []
        if not table:
            return
        if len(table) >= 2 and TABLE_RULE.match(table[1][0]):
            header = _cells(*table[0])
            rows = tuple(TableRow(_cells(l, o), o, o + len(l)) for l, o in table[2:])
            start, end = table[0][1], table[-1][1] + len(table[-1][0])
            self.blocks.append(Block("table", self.path(), self.text[start:end], start, end,
                                     header, rows))
        else:  # pipes without a rule line: plain paragraph text
            self.para.extend(table)
            self.flush_para()

    def set_heading(self, level: int, title: str):
        self.headings = [h for h in self.headings if h[0] < level] + [(level, title)]

    def flush_code(self):
        body, self.fence = (self.fence or [])[1:], None
        if body and any(l.strip() for l, _ in body):
            start, end = body[0][1], body[-1][1] + len(body[-1][0])
            self.blocks.append(Block("paragraph", self.path(), self.text[start:end], start, end))

    def flush_html(self):
        """A raw HTML table, parsed as HTML, its blocks moved to this file's offsets."""
        from .htmlpage import parse_html

        lines, self.html = self.html or [], None
        start, end = lines[0][1], lines[-1][1] + len(lines[-1][0])
        for block in parse_html(self.text[start:end])[1]:
            rows = tuple(replace(r, start=r.start + start, end=r.end + start) for r in block.rows)
            self.blocks.append(replace(block, headings=self.path(), start=block.start + start,
                                       end=block.end + start, rows=rows))

    def line(self, line: str, offset: int):
        stripped = line.strip()
        if self.html is not None or _HTML_TABLE.match(line) and self.fence is None:
            if self.html is None:
                self.flush()
                self.html = []
            self.html.append((line, offset))
            if "</table>" in line.lower():
                self.flush_html()
        elif stripped.startswith(("```", "~~~")):
            if self.fence is None:
                self.flush()
                self.fence = [(line, offset)]
            else:
                self.flush_code()
        elif self.fence is not None:
            self.fence.append((line, offset))
        elif len(self.para) == 1 and _SETEXT.match(line) and not _LIST_ITEM.match(self.para[0][0]):
            (title, _), self.para = self.para[0], []
            self.set_heading(1 if stripped[0] == "=" else 2, render(title.strip())[0])
        elif heading := _HEADING.match(line):
            self.flush()
            self.set_heading(len(heading.group(1)), render(heading.group(2))[0])
        elif stripped.startswith("|") or self.table and "|" in stripped:
            self.flush_para()
            self.table.append((line, offset))
        elif "|" in stripped and TABLE_RULE.match(stripped) and self.para and \
                "|" in self.para[-1][0]:  # "a | b" then "--- | ---": a table without outer pipes
            header, self.para = self.para[-1], self.para[:-1]
            self.flush_para()
            self.table = [header, (line, offset)]
        elif not stripped or _BREAK.match(line) or _REF_DEF.match(line):
            self.flush()
        elif _LIST_ITEM.match(line):
            self.flush()
            self.para.append((line, offset))
        else:
            self.flush_table()
            self.para.append((line, offset))


def parse_markdown(text: str) -> tuple[dict, list[Block]]:
    meta, body_start = parse_front_matter(text)
    parser = _Parser(text)
    for line, offset in _lines_with_offsets(text):
        if offset >= body_start:
            parser.line(line, offset)
    if parser.fence is not None:
        parser.flush_code()
    if parser.html is not None:
        parser.flush_html()
    parser.flush()
    return meta, parser.blocks
