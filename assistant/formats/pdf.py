"""PDF -> metadata, page-numbered headed paragraphs and tables, through pdfplumber.

Per page: ruled tables (pdfplumber's line strategy) become table blocks whose first row is the
header, continued across a page break when the header repeats; the text outside them is
grouped into lines, then into paragraphs by vertical gaps. A line set in a font clearly larger
than the body text (or bold, short and alone) is a heading; heading levels follow the font
sizes. Running headers and footers (a line in the top or bottom margin that repeats on most
pages) and bare page numbers are dropped. Bullet glyphs and unmapped glyphs "(cid:N)" are
dropped. Document.text is the extracted text; every block's span and `page` refer to it.
Raises PdfUnreadable for a corrupt file, a password-protected file and a file without a text
layer (scanned). A table drawn without rules is found from its text: three or more lines
whose cells (runs parted by gaps wider than 0.6 of the font size) stand in the columns of
the first; a one-cell group label among its rows ("Versioning") becomes a paragraph after
it. A ruled header of two rows ("Latency (ms)" over "p50", "p99") is read as one.
Not handled: OCR, multi-column reading order, an unruled table whose cells wrap onto a second
line (each line is a row), tagged-PDF structure, outlines.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from .blocks import Block, TableRow

MARGIN = 0.08  # top/bottom share of the page where running headers and footers live
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
_BULLET = re.compile(r"^(?:\(cid:\d+\)|[•●▪◦‣∙·\-–*])\s+")
_CID = re.compile(r"\(cid:\d+\)")
_PLACEHOLDERS = {"", "untitled", "anonymous", "unspecified", "(unspecified)", "unknown", "none"}


class PdfUnreadable(Exception):
    """The file is no usable PDF; the message says why in a few words."""


def parse_pdf(path: Path) -> tuple[dict, str, list[Block], int]:
    """(meta, extracted text, blocks, page count) of the PDF at `path`."""
    import pdfplumber
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(path) as pdf:
            meta = _metadata(pdf.metadata or {})
            pages = [_page_content(page) for page in pdf.pages]
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        name = type(cause).__name__
        if "Password" in name or "Encrypt" in name:
            raise PdfUnreadable("encrypted (needs a password)") from None
        raise PdfUnreadable(f"not a readable PDF ({name})") from None
    except Exception as exc:  # pdfminer raises many kinds of errors on damaged files
        raise PdfUnreadable(f"not a readable PDF ({type(exc).__name__})") from None
    if not any(lines or tables for lines, tables, _ in pages):
        scanned = any(images for _, _, images in pages)
        raise PdfUnreadable("no text layer (a scanned PDF? run OCR first)" if scanned
                            else "no text in it")
    _drop_running_chrome(pages)
    text, blocks = _Assembler(_body_size(pages)).run(pages)
    if not meta.get("title"):
        meta["title"] = next((b.headings[0] for b in blocks if b.headings), "")
    return meta, text, blocks, len(pages)


def _metadata(info: dict) -> dict:
    def clean(key):
        value = info.get(key)
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        value = " ".join(str(value or "").split())
        return "" if value.lower() in _PLACEHOLDERS else value

    meta = {"title": clean("Title"), "author": clean("Author")}
    stamp = re.match(r"(?:D:)?(\d{4})(\d{2})?(\d{2})?", clean("CreationDate"))
    if stamp and (meta["title"] or meta["author"]):  # a bare date is when the file was written
        meta["date"] = "-".join(g for g in stamp.groups() if g)
    return {k: v for k, v in meta.items() if v}


def _page_content(page):
    """(lines, tables, image count): lines as dicts (text, top, bottom, size, bold, page)."""
    tables = [t for t in page.find_tables()  # rules across only make one-column "tables":
              if len(t.rows) >= 2 and max(len(row) for row in t.extract()) >= 2  # not tables
              and _holds_its_text(page, t)]
    boxes = [t.bbox for t in tables]

    def outside(obj):
        if obj.get("object_type") != "char":
            return True
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    lines = []
    for line in page.filter(outside).extract_text_lines(return_chars=True, strip=True):
        text = _CID.sub("", re.sub(r"^\s*\(cid:\d+\)", "•", line["text"]))
        text = " ".join(text.split())
        chars = [c for c in line["chars"] if c["text"].strip()]
        if not text or not chars:
            continue
        sizes = Counter(round(c["size"], 1) for c in chars)
        lines.append({"text": text, "top": line["top"], "bottom": line["bottom"],
                      "size": sizes.most_common(1)[0][0], "page": page.page_number,
                      "bold": all("bold" in c["fontname"].lower() for c in chars),
                      "height": page.height, "cells": _cells(chars)})
    found = [{"top": t.bbox[1], "rows": t.extract(), "page": page.page_number} for t in tables]
    lines, aligned = _aligned_tables(_stacked(lines))
    return lines, found + aligned, len(page.images)


def _holds_its_text(page, table) -> bool:
    """Whether a ruled table's cells hold the text inside its box, column by column. Rules
    drawn under only some cells (rules between the body's columns but not around the table,
    shaded bands on every other row, a header band with no rules between its cells) make
    cells that lose text or run across columns; such a table is read from its text's
    alignment instead."""
    x0, top, x1, bottom = table.bbox
    inside = sum(len(c["text"].strip()) for c in page.chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1
                 and top <= (c["top"] + c["bottom"]) / 2 <= bottom)
    held = sum(len("".join((cell or "").split())) for row in table.extract() for cell in row)
    if held < 0.97 * inside:
        return False
    first = table.rows[0].cells
    widest = max(table.rows, key=lambda r: sum(map(bool, r.cells))).cells
    if sum(map(bool, first)) != 1 or sum(map(bool, widest)) < 2:
        return True
    a, t, b, u = next(c for c in first if c)  # one cell across the header: in how many columns?
    columns = {i for c in page.chars if c["text"].strip() and a <= c["x0"] and c["x1"] <= b
               and t <= (c["top"] + c["bottom"]) / 2 <= u
               for i, cell in enumerate(widest)
               if cell and cell[0] <= c["x0"] and c["x1"] <= cell[2]}
    return len(columns) < 2


def _stacked(lines: list) -> list:
    """Lines set over one another within one band (a table header whose cells wrap onto two
    or three lines, each a little lower than the last) merged into one line; the pieces of a
    cell, one above the other, are joined top to bottom."""
    out: list[dict] = []
    for line in lines:
        prev = out[-1] if out else None
        if prev is None or line["top"] >= prev["bottom"] - 0.3 * line["size"] \
                or abs(line["size"] - prev["size"]) > 0.5:
            out.append(line)
            continue
        pieces = [(a, b, prev["top"], t) for a, b, t in prev["cells"]] + \
                 [(a, b, line["top"], t) for a, b, t in line["cells"]]
        cells: list[list] = []
        for a, b, top, t in sorted(pieces):
            if cells and a < cells[-1][1]:  # under the cell before it: the same cell
                cells[-1][1] = max(b, cells[-1][1])
                cells[-1][2].append((top, t))
            else:
                cells.append([a, b, [(top, t)]])
        merged = [(a, b, " ".join(t for _, t in sorted(ts))) for a, b, ts in cells]
        out[-1] = {**prev, "bottom": max(prev["bottom"], line["bottom"]), "cells": merged,
                   "bold": prev["bold"] and line["bold"], "text": " ".join(t for *_, t in merged)}
    return out


def _cells(chars: list) -> list[tuple[float, float, str]]:
    """(x0, x1, text) of the runs of a line's characters parted by a gap wider than 0.6 of its
    font size: a word space is about a quarter of it, a table's column gap (two cell paddings)
    most often more than one, rarely under two thirds."""
    runs: list[list] = []
    for c in sorted(chars, key=lambda c: c["x0"]):
        if runs and c["x0"] - runs[-1][1] <= 0.6 * c["size"]:
            gap = " " if c["x0"] - runs[-1][1] > 0.15 * c["size"] else ""
            runs[-1][1], runs[-1][2] = c["x1"], runs[-1][2] + gap + c["text"]
        else:
            runs.append([c["x0"], c["x1"], c["text"]])
    return [(a, b, t) for a, b, t in runs]


def _aligned_tables(lines: list) -> tuple[list, list]:
    """(the lines left, tables): a run of three or more lines whose cells stand in the columns
    of the first (three or more cells, each of a later line under one of its columns, in at
    least two of them) is a table drawn without rules, its first line the header."""
    left, tables, i = [], [], 0
    while i < len(lines):
        head = lines[i]["cells"]
        j = i + 1
        while len(head) >= 3 and j < len(lines) and (_under(lines[j], lines[j - 1], head) or
                                                     _group_row(lines, j, head)):
            j += 1
        if j - i >= 3:
            groups = [line for line in lines[i + 1:j] if len(line["cells"]) == 1]
            rows = [[" ".join(t for a, b, t in line["cells"] if _column(a, b, head) == k)
                     for k in range(len(head))] for line in lines[i:j] if line not in groups]
            tables.append({"top": lines[i]["top"], "rows": rows, "page": lines[i]["page"]})
            left += [{**line, "group": True} for line in groups]  # text under the table
            i = j
        else:
            left.append(lines[i])
            i += 1
    return left, tables


def _group_row(lines: list, j: int, head: list) -> bool:
    """Whether line j is a group label inside an aligned table ("Versioning" above its
    rows): one cell under the first column, the line after it a row of the table."""
    cells = lines[j]["cells"]
    return len(cells) == 1 and _column(*cells[0][:2], head) == 0 and j + 1 < len(lines) and \
        _under(lines[j + 1], lines[j], head) and \
        0 <= lines[j]["top"] - lines[j - 1]["bottom"] <= 1.5 * lines[j]["size"]


def _column(x0: float, x1: float, head: list) -> int | None:
    """The header column a cell stands under: the last whose header starts left of the
    cell's middle, the cell reaching neither into the next column nor back over the last."""
    k = max(0, sum(h[0] <= (x0 + x1) / 2 for h in head) - 1)
    if k + 1 < len(head) and x1 > head[k + 1][0] + 2 or k and x0 < head[k - 1][1] - 2:
        return None
    return k


def _under(line: dict, above: dict, head: list) -> bool:
    """Whether a line continues an aligned table: close below the line above, in the same
    size, with at least two cells, each under one header column."""
    cells = line["cells"]
    return len(cells) >= 2 and abs(line["size"] - above["size"]) <= 0.5 and \
        0 <= line["top"] - above["bottom"] <= 1.5 * line["size"] and \
        all(_column(a, b, head) is not None for a, b, _ in cells) and \
        len({_column(a, b, head) for a, b, _ in cells}) == len(cells)


def _two_level(rows: list) -> list:
    """A header of two rows ("Latency (ms)" spanning "p50" and "p99", the label cell spanning
    both rows: pdfplumber gives None for the cells a span covers) as one row ("Latency (ms)
    p50"); other tables as they are."""
    if len(rows) < 3 or rows[1][0] not in (None, "") or None not in rows[0][1:]:
        return rows
    spanned, last = [], ""
    for cell in rows[0]:
        last = cell if cell is not None else last
        spanned.append(last or "")
    return [[" ".join(dict.fromkeys(x for x in (top, low or "") if x.strip()))
             for top, low in zip(spanned, rows[1])]] + rows[2:]


def _chrome_key(line) -> str:
    return re.sub(r"\d+", "#", line["text"].lower())


def _drop_running_chrome(pages) -> None:
    """Remove margin lines that repeat on most pages, and bare page numbers."""
    def in_margin(line):
        return line["top"] < line["height"] * MARGIN or line["bottom"] > line["height"] * (1 - MARGIN)

    counts = Counter(k for lines, _, _ in pages for k in {_chrome_key(l) for l in lines if in_margin(l)})
    repeated = {k for k, n in counts.items() if len(pages) >= 2 and n >= max(2, len(pages) // 2)}
    for lines, _, _ in pages:
        lines[:] = [l for l in lines if not (in_margin(l) and (_chrome_key(l) in repeated or
                                                               _PAGE_NUMBER.match(l["text"])))]


def _body_size(pages) -> float:
    sizes = Counter()
    for lines, _, _ in pages:
        for line in lines:
            sizes[line["size"]] += len(line["text"])
    return sizes.most_common(1)[0][0] if sizes else 10.0


class _Assembler:
    """Turns page lines and tables into blocks, writing the document text as it goes."""

    def __init__(self, body_size: float):
        self.body = body_size
        self.parts: list[str] = []
        self.pos = 0
        self.blocks: list[Block] = []
        self.headings: list[tuple[float, str]] = []
        self.sizes: list[float] = []

    def run(self, pages) -> tuple[str, list[Block]]:
        for lines, tables, _ in pages:
            items = [("line", l["top"], l) for l in lines] + [("table", t["top"], t) for t in tables]
            para: list[dict] = []
            items = sorted(items, key=lambda i: i[1])
            for n, (kind, _, item) in enumerate(items):
                if kind == "table":
                    self._paragraph(para)
                    para = []
                    self._table(item)
                elif self._is_heading(item, para, items[n + 1][0] == "table"
                                      if n + 1 < len(items) else False):
                    self._paragraph(para)
                    para = []
                    self._heading(item)
                else:
                    if para and self._breaks(para[-1], item):
                        self._paragraph(para)
                        para = []
                    para.append(item)
            self._paragraph(para)
        return "".join(self.parts), self.blocks

    def _write(self, text: str) -> tuple[int, int]:
        start = self.pos
        self.parts.append(text + "\n\n")
        self.pos += len(text) + 2
        return start, start + len(text)

    def _is_heading(self, line, para, captions: bool = False) -> bool:
        """Large type, or a short bold line alone: at the top of a page or section, or set
        off from the paragraph before it unless a table follows (then it is the table's
        caption)."""
        text = line["text"]
        if len(text) > 120 or _BULLET.match(text) or _PAGE_NUMBER.match(text) or \
                line.get("group"):
            return False
        if line["size"] >= self.body * 1.15:
            return True
        return line["bold"] and (not para or not captions and self._breaks(para[-1], line)) \
            and len(text) <= 80 and not text.endswith((".", ","))

    def _breaks(self, prev, line) -> bool:
        gap = line["top"] - prev["bottom"]
        return gap > 0.45 * line["size"] or gap < -1 or bool(_BULLET.match(line["text"])) \
            or abs(line["size"] - prev["size"]) > 0.5

    def _heading(self, line):
        size = line["size"] + (0.1 if line["bold"] else 0)
        last = self._last_heading
        if last and last["page"] == line["page"] and last["size"] == line["size"] \
                and line["top"] - last["bottom"] < 0.6 * line["size"]:
            size, text = self.headings[-1][0], f"{self.headings[-1][1]} {line['text']}"
            self.headings[-1] = (size, text)  # a heading wrapped onto a second line
        else:
            self.headings = [h for h in self.headings if h[0] > size] + [(size, line["text"])]
        self._last_heading = line

    _last_heading = None

    def _paragraph(self, lines):
        if not lines:
            return
        self._last_heading = None
        text = ""
        for line in lines:
            piece = _BULLET.sub("", line["text"]) if not text else line["text"]
            if text.endswith("-") and piece[:1].islower():
                text += piece
            else:
                text = f"{text} {piece}" if text else piece
        start, end = self._write(text)
        self.blocks.append(Block("paragraph", self._path(), text, start, end,
                                 page=lines[0]["page"]))

    def _table(self, table):
        self._last_heading = None
        rows = [tuple(" ".join((c or "").split()) for c in row)
                for row in _two_level(table["rows"])]
        rows = [r for r in rows if any(r)]
        if len(rows) < 2:
            if rows:
                self._paragraph([{"text": " | ".join(rows[0]), "page": table["page"]}])
            return
        header, body = rows[0], rows[1:]
        previous = self.blocks[-1] if self.blocks else None
        continued = previous is not None and previous.kind == "table" and \
            previous.header == header and previous.headings == self._path() and \
            previous.rows and previous.rows[-1].page != table["page"]
        if continued:  # the same table on the next page, its header repeated
            self.blocks.pop()
            start, kept, page = previous.start, previous.rows, previous.page
        else:
            start, _ = self._write(" | ".join(header))
            kept, page = (), table["page"]
        rows = list(kept)
        for cells in body:
            a, b = self._write(" | ".join(cells))
            rows.append(TableRow(cells, a, b, table["page"]))
        text = "\n".join(" | ".join(r) for r in [header] + [r.cells for r in rows])
        self.blocks.append(Block("table", self._path(), text, start, rows[-1].end, header,
                                 tuple(rows), page=page, verbatim=False))

    def _path(self) -> tuple[str, ...]:
        return tuple(h for _, h in self.headings)
