"""Plain text (.txt) -> headed paragraph and table blocks, every block verbatim.

Handled: paragraphs split by blank lines; headings as a short line of their own (no closing
punctuation), or a line underlined with ===== (a top-level heading) or ----- (a section under
it); pipe tables (a header line, a rule line of dashes, then rows; first row = header); list
items kept inside their paragraph. Not handled: tables drawn with spaces only (read as
paragraphs), headings run into the next line without an underline (but the document's opening
line is its title even with a byline or date under it), inline markup (left as
written).
"""
from __future__ import annotations

import re

from .blocks import Block, TableRow

_UNDERLINE = re.compile(r"^\s*(=+|-+)\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_CHUNK = re.compile(r"\S(?:.*?)(?=\n\s*\n|\s*\Z)", re.S)
HEADING_MAX = 100
TITLE_MAX = 80


def _lines(chunk: str, offset: int) -> list[tuple[str, int]]:
    out, pos = [], offset
    for line in chunk.split("\n"):
        out.append((line.rstrip(), pos))
        pos += len(line) + 1
    return out


def _cells(line: str, offset: int) -> tuple[tuple[str, ...], int, int]:
    """The stripped cells of a pipe-table line, with the line's span."""
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|"):
        body = body[:-1]
    start = offset + len(line) - len(line.lstrip())
    return tuple(c.strip() for c in body.split("|")), start, offset + len(line)


def _is_heading(line: str) -> bool:
    line = line.strip()
    return bool(line) and len(line) <= HEADING_MAX and line[-1] not in ".!?:;,)\"'|"


class _Headings:
    """The heading path: an ===== heading, or a bare line that opens the document (its title),
    is the top level; ----- headings and later bare lines are sections under it."""

    def __init__(self):
        self.top: str | None = None
        self.section: str | None = None

    def set(self, title: str, top: bool) -> None:
        if top:
            self.top, self.section = title, None
        else:
            self.section = title

    def path(self) -> tuple[str, ...]:
        return tuple(h for h in (self.top, self.section) if h)


def _table(lines: list[tuple[str, int]], path: tuple[str, ...], text: str) -> Block:
    header = _cells(*lines[0])[0]
    rows = tuple(TableRow(*_cells(l, o)) for l, o in lines[2:] if l.strip())
    start = lines[0][1] + len(lines[0][0]) - len(lines[0][0].lstrip())
    end = lines[-1][1] + len(lines[-1][0])
    return Block("table", path, text[start:end], start, end, header, rows)


def _body(lines: list[tuple[str, int]], path: tuple[str, ...], text: str) -> list[Block]:
    """A run of lines with no heading in it: a pipe table (from its first line starting with
    "|" followed by a rule line) and the paragraphs before and after it."""
    for i in range(len(lines) - 1):
        if "|" in lines[i][0] and _TABLE_RULE.match(lines[i + 1][0]) and \
                "|" in lines[i + 1][0] + lines[i][0].strip()[:1]:
            j = i + 2
            while j < len(lines) and "|" in lines[j][0]:
                j += 1
            return _body(lines[:i], path, text) + [_table(lines[i:j], path, text)] + \
                _body(lines[j:], path, text)
    kept = [(l, o) for l, o in lines if l.strip()]
    if not kept:
        return []
    start = kept[0][1] + len(kept[0][0]) - len(kept[0][0].lstrip())
    end = kept[-1][1] + len(kept[-1][0])
    return [Block("paragraph", path, text[start:end], start, end)]


def parse_plain(text: str) -> list[Block]:
    blocks, headings = [], _Headings()
    for match in _CHUNK.finditer(text):
        lines = _lines(match.group(0).rstrip(), match.start())
        while len(lines) >= 2 and _UNDERLINE.match(lines[1][0]) and _is_heading(lines[0][0]) \
                and "|" not in lines[0][0]:
            headings.set(lines[0][0].strip(), top=lines[1][0].strip().startswith("="))
            lines = lines[2:]
        opening = not blocks and headings.top is None
        if len(lines) == 1 and _is_heading(lines[0][0]) or opening and len(lines) <= 3 and \
                _is_heading(lines[0][0]) and len(lines[0][0]) <= TITLE_MAX:
            headings.set(lines[0][0].strip(), top=opening)  # a title may carry a byline
            lines = lines[1:]
        blocks.extend(_body(lines, headings.path(), text))
    return blocks
