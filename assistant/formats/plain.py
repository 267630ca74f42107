"""Plain text (.txt) -> headed paragraph and table blocks, every block verbatim.

Handled: paragraphs split by blank lines; headings as a short line of their own (no closing
punctuation), or a line underlined with ===== (a top-level heading) or ----- (a section under
it; the document's first heading is its title however it is underlined); tables, first row =
header: pipe tables (a rule line of dashes under the header), grid tables (+----+ borders)
and columns aligned with runs of spaces or tabs (three or more columns; with a rule of
dashes under the header, its runs set the columns, so cells may be empty and a wrapped cell
is joined to its row); list items kept inside their paragraph. Not handled: an empty or
wrapped cell in an aligned table without such a rule, headings run into the next line
without an underline (but the document's opening line is its title even with a byline or
date under it, unless it heads a table; a memo's "Subject:" line titles it, and a line in
capitals ending in a colon over text is a heading), inline markup (left as written).
"""
from __future__ import annotations

import re

from .blocks import Block, TableRow
from .markdown import TABLE_RULE

_UNDERLINE = re.compile(r"^\s*(=+|-+)\s*$")
_GRID_BORDER = re.compile(r"^\s*\+(?:[-=:]+\+)+\s*$")
_ALIGNED_RULE = re.compile(r"^\s*-{3,}(?:[ \t]+-{3,})+\s*$")
_CROSSED_RULE = re.compile(r"^\s*-{3,}(?:\+-{3,})+\s*$")  # "------+------" under a header
_BOX = str.maketrans("│┃║┌┐└┘├┤┬┴┼╭╮╰╯╞╡╪╤╧╔╗╚╝╠╣╦╩╬╟╢╫─━═", "|||" + "+" * 30 + "---")
_GAP = re.compile(r"\t+|\s{2,}")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s")
_CHUNK = re.compile(r"\S(?:.*?)(?=\n\s*\n|\s*\Z)", re.S)
_SUBJECT = re.compile(r"^\s*(?:Subject|Title):\s*(\S.{0,%d})$" % 100, re.I)
_CAPS_LABEL = re.compile(r"[A-Z0-9][A-Z0-9 &/()'.-]{1,58}:")  # "BENCHMARK RESULTS:"
HEADING_MAX = 100
TITLE_MAX = 80


def _lines(chunk: str, offset: int) -> list[tuple[str, int]]:
    """(line, offset) per line; box-drawing characters read as their ASCII forms ("│" as "|",
    "┼" as "+", "─" as "-"), one for one, so offsets still point into the file."""
    out, pos = [], offset
    for line in chunk.split("\n"):
        out.append((line.rstrip().translate(_BOX), pos))
        pos += len(line) + 1
    return out


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


def _pipe_cells(line: str, outer: bool = True) -> tuple[str, ...]:
    """Cells between pipes; without `outer` pipes on the table's header, a row's leading pipe
    opens a blank first cell and its trailing pipe closes a blank last one."""
    body = line.strip()
    body = body[1:] if body.startswith("|") and outer else body
    body = body[:-1] if body.endswith("|") and outer else body
    return tuple(c.strip() for c in body.split("|"))


def _aligned_cells(line: str) -> tuple[str, ...]:
    return tuple(c for c in _GAP.split(line.strip()) if c)


def _find_table(lines: list[tuple[str, int]], i: int, text: str = ""):
    """(end index, [(cells, line, offset)] with the header first) of a table starting at
    line i: a pipe table (header, rule of dashes, rows), a grid table (+----+ borders around
    pipe rows) or columns aligned with runs of spaces or tabs (three or more columns, two or
    more rows under the header); else None."""
    line = lines[i][0]
    following = lines[i + 1][0] if i + 1 < len(lines) else ""
    head = _pipe_header(lines, i)
    if head:
        cells, j = head
        outer, rows = line.lstrip().startswith("|"), [(cells, line, lines[i][1])]
        while j < len(lines) and "|" in lines[j][0]:
            rows.append((_pipe_cells(lines[j][0], outer), *lines[j]))
            j += 1
        return j, _joined(rows, outer)
    if _GRID_BORDER.match(line) and following.strip().startswith("|"):
        j = i + 1
        while j < len(lines) and (_GRID_BORDER.match(lines[j][0]) or
                                  lines[j][0].strip().startswith("|")):
            j += 1
        return j, _grid_rows(lines[i:j])
    if _ALIGNED_RULE.match(following) and not _BULLET.match(line):
        return _by_columns(lines, i, text, ruled=True)
    width = len(_aligned_cells(line))
    if width < 3 or _BULLET.match(line):
        return None
    j, rows = i + 1, [(_aligned_cells(line), line, lines[i][1])]
    while j < len(lines) and len(_aligned_cells(lines[j][0])) == width:
        rows.append((_aligned_cells(lines[j][0]), *lines[j]))
        j += 1
    placed = "|" not in line and _by_columns(lines, i, text, ruled=False)  # empty cells
    if placed and placed[0] > j:
        return placed
    return (j, rows) if len(rows) >= 3 else None


def _pipe_header(lines: list[tuple[str, int]], i: int):
    """(header cells, first row's line index) of a pipe table whose header starts at line i:
    a header line, or two ("Thru A | TTFB" over "samples/s | (s)"), then a rule of dashes
    ("|---|---|", or "-----+-----" under a header without outer pipes); else None."""
    def rule(n: int) -> bool:
        line = lines[n][0] if n < len(lines) else ""
        return bool(TABLE_RULE.match(line.strip()) and "|" in line + lines[i][0].strip()[:1]
                    or _CROSSED_RULE.match(line))

    if "|" not in lines[i][0]:
        return None
    outer = lines[i][0].lstrip().startswith("|")
    if rule(i + 1):
        return _pipe_cells(lines[i][0], outer), i + 2
    top, under = _pipe_cells(lines[i][0], outer), _pipe_cells(lines[i + 1][0], outer) \
        if i + 1 < len(lines) and "|" in lines[i + 1][0] else ()
    if len(top) == len(under) and rule(i + 2):
        return tuple(" ".join(p for p in pair if p) for pair in zip(top, under)), i + 3
    return None


def _grid_rows(lines: list[tuple[str, int]]) -> list:
    """The rows of a grid table: between two borders, a line whose first cell is blank
    continues the row above it (a wrapped cell)."""
    rows, fresh = [], True
    for line, offset in lines:
        if _GRID_BORDER.match(line):
            fresh = True
            continue
        cells = _pipe_cells(line)
        if not fresh and cells and not cells[0] and len(rows) > 1 and \
                len(cells) == len(rows[-1][0]):
            rows[-1] = _wrapped(rows[-1], cells, line, offset)
        else:
            rows.append((cells, line, offset))
        fresh = False
    return rows


def _wrapped(row: tuple, cells, line: str, offset: int) -> tuple:
    """(cells, line, offset) of a table row with a wrapped line's cells joined to its own, its
    line reaching to the wrapped line's end (a row's span covers both)."""
    above, first, start = row
    joined = tuple(" ".join(p for p in (a, b) if p) for a, b in zip(above, cells))
    return joined, first.ljust(offset - start) + line, start


def _joined(rows: list, outer: bool) -> list:
    """Pipe rows with a row whose first cell is blank joined to the row above (a wrapped
    cell: "Shuffle | Shard shuffle +" then "      | per-worker buffer"); with `outer` pipes
    ("| a | b |") a blank first cell is data."""
    out = rows[:1]
    for cells, line, offset in rows[1:]:
        if cells and not cells[0] and not outer and len(out) > 1 and len(cells) == len(out[-1][0]):
            out[-1] = _wrapped(out[-1], cells, line, offset)
        else:
            out.append((cells, line, offset))
    return out


def _by_columns(lines: list[tuple[str, int]], i: int, text: str, ruled: bool):
    """A table whose columns are set by position: by the runs of a rule of dashes under the
    header ("-----   ----"), else by where the header's cells start (then every cell of a row
    must sit inside one column). A cell may be empty or hold single spaces, and a line whose
    first column is empty continues the row above (a wrapped cell)."""
    def column(n: int) -> str:  # the line as laid out in the file (a chunk's first line
        line, offset = lines[n]  # starts at its first letter)
        return " " * (offset - text.rfind("\n", 0, offset) - 1) + line if text else line

    runs = [m.start() for m in re.finditer(r"-{3,}" if ruled else r"\S+(?: \S+)*",
                                           column(i + 1 if ruled else i))]
    below = [column(n) for n in range(i + 1, min(i + 4, len(lines))) if lines[n][0].strip()]
    lead = min((len(b) - len(b.lstrip()) for b in below), default=0)
    if not ruled and runs and lead < runs[0] - 2:  # a header over the values only: its first
        runs.insert(0, lead)  # column (the row labels) has no header cell

    def cells(line: str) -> list[str]:
        cuts = []
        for run in runs[1:]:  # a word that straddles a column start belongs to the left one
            cut = run
            while 0 < cut < len(line) and not line[cut - 1].isspace() and not line[cut].isspace():
                cut -= 1
            cuts.append(max(cut, cuts[-1] if cuts else 0))
        edges = [0, *cuts, max(len(line), cuts[-1] if cuts else 0)]
        return [line[a:b].strip() for a, b in zip(edges, edges[1:])]

    def fits(line: str) -> bool:  # every cell inside one column (one, for a wrapped line)
        found = [(m.start(), m.end()) for m in re.finditer(r"\S+(?: \S+)*", line)]
        bounds = [*runs[1:], 1 << 30]
        least = 1 if found and found[0][0] >= runs[1] - 2 else 2  # a wrapped line: one cell
        return len(found) >= least and all(any(lo - 2 <= a and b <= hi + 1 for lo, hi in
                                               zip([0, *runs[1:]], bounds)) for a, b in found)

    rows, j = [(tuple(cells(column(i))), lines[i][0], lines[i][1])], i + 1 + ruled
    while j < len(lines) and lines[j][0].strip() and not _ALIGNED_RULE.match(lines[j][0]):
        found, (line, offset) = cells(column(j)), lines[j]
        if not ruled and not fits(column(j)) and (found[0] or len(rows) < 2):
            break
        if not found[0] and (len(rows) > 1 or not ruled):  # a wrapped cell: join it above
            rows[-1] = _wrapped(rows[-1], found, line, offset)
        else:
            rows.append((tuple(found), line, offset))
        j += 1
    j += j < len(lines) and bool(_ALIGNED_RULE.match(lines[j][0]))  # a closing rule
    return (j, rows) if len(rows) >= 3 and len(runs) >= (2 if ruled else 3) else None


def _table(rows: list, path: tuple[str, ...], text: str) -> Block:
    (header, first, offset), last = rows[0], rows[-1]
    start = offset + len(first) - len(first.lstrip())
    end = last[2] + len(last[1])
    return Block("table", path, text[start:end], start, end, header,
                 tuple(TableRow(cells, o + len(l) - len(l.lstrip()), o + len(l))
                       for cells, l, o in rows[1:]))


def _body(lines: list[tuple[str, int]], path: tuple[str, ...], text: str) -> list[Block]:
    """A run of lines with no heading in it: its first table and the paragraphs before and
    after it."""
    for i in range(len(lines)):
        found = _find_table(lines, i, text)
        if found and len(found[1]) >= 2:
            j, rows = found
            return _body(lines[:i], path, text) + [_table(rows, path, text)] + \
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
        while len(lines) >= 2 and _UNDERLINE.match(lines[1][0]) and \
                _is_heading(lines[0][0].rstrip(")")) and "|" not in lines[0][0]:  # its first
            # heading is the document's title; an underlined one may end "(… B2)"
            headings.set(lines[0][0].strip(), top=lines[1][0].strip().startswith("=") or
                         not blocks and headings.top is None)
            lines = lines[2:]
        opening = not blocks and headings.top is None
        subject = opening and next((m.group(1) for m in map(_SUBJECT.match, (
            line for line, _ in lines)) if m), None)
        if subject:  # a memo: "To: … From: … Subject: Serving engines", titled by its subject
            headings.set(subject.strip(), top=True)
        elif lines and (len(lines) == 1 and _is_heading(lines[0][0]) or opening and
                        len(lines) <= 3 and _is_heading(lines[0][0]) and
                        len(lines[0][0]) <= TITLE_MAX and not _find_table(lines, 0, text)):
            headings.set(lines[0][0].strip(), top=opening)  # a title may carry a byline
            lines = lines[1:]
        elif len(lines) >= 2 and _CAPS_LABEL.fullmatch(lines[0][0].strip()):
            headings.set(lines[0][0].strip()[:-1].strip(), top=False)  # "RESULTS:" over text
            lines = lines[1:]
        blocks.extend(_body(lines, headings.path(), text))
    return blocks


def parse_paragraphs(text: str) -> list[Block]:
    """Every blank-line-separated run of text as a paragraph with no heading: the fallback
    for a Markdown or text file whose structure cannot be read, so its words stay findable."""
    return [Block("paragraph", (), m.group(0).rstrip(), m.start(), m.start() +
                  len(m.group(0).rstrip())) for m in _CHUNK.finditer(text)]
