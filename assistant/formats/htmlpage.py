"""HTML -> title, author/date metadata and headed paragraph and table blocks.

Blocks come from h1-h6, p/li/pre/blockquote/dd/dt/figcaption/caption, loose text and
<table> or elements with ARIA table roles (th/td rows; an image in a cell reads as its alt
text, a cell holding only an icon as its title; nested tables fold into their outer cell;
its <caption> becomes the paragraph just before it, which the chunker reads as the table's
caption). An <aside> is kept when it is prose (a TL;DR box: at least ASIDE_PROSE characters outside links, and more text
than link text) and dropped as chrome otherwise (related links, a sidebar); either way its
headings do not carry over to the page after it. Page chrome is never indexed:
<head> (so <title>), <nav>, <header>, <footer>, <form> and form controls, <script>,
<style>, <noscript>, <template>, <svg>, <iframe>, elements marked hidden / aria-hidden, and
ARIA landmarks for navigation, banner, search, footer and complementary content. The <title>
becomes the document title; <meta name=author|date|...> fill the metadata. Implicit closing
follows HTML: a new block ends an open <p> or <li>, a new cell or row ends the open one, and
whatever is open at the end is kept. A cell spanning columns or rows fills each of them, and
leading rows of <th> only are one header ("Latency A"); a row of one cell spanning the table
is a note under it. A list that is nearly all link text is chrome (a menu, "Related
articles"), and so is a dialog (a cookie banner). On a page with no <h2>-<h6> at all, a
short line of its own (a <p> or loose text of at most six words, no closing punctuation:
"<p><b>Results</b></p>") is a section heading. Not handled: CSS-hidden content
(display:none), text drawn by scripts, and an unclosed chrome element (it hides the rest).
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

from .blocks import Block, TableRow

_META_KEYS = {
    "author": "author", "dc.creator": "author", "article:author": "author",
    "citation_author": "author", "date": "date", "dc.date": "date", "pubdate": "date",
    "publish-date": "date", "article:published_time": "date", "citation_publication_date": "date",
    "og:title": "og_title", "og:site_name": "site",
}
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary", "dialog",
                 "alertdialog"}  # a cookie or sign-up dialog
ASIDE_PROSE = 100
_PSEUDO_HEADING = re.compile(r"[A-Z0-9][^.!?:;,·•|]*(?<![.!?:;,])")  # and at most six words
_ROLE_TAGS = {"table": "table", "grid": "table", "row": "tr", "cell": "td", "gridcell": "td",
              "columnheader": "th", "rowheader": "th"}  # <div role="row">: a table built of divs
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}


class _HtmlBlocks(HTMLParser):
    TEXT_TAGS = {"p", "li", "pre", "blockquote", "dd", "dt", "figcaption", "caption"}
    BREAKS = TEXT_TAGS | {"h1", "h2", "h3", "h4", "h5", "h6", "table", "div", "ul", "ol", "dl",
                          "section", "article", "hr", "main"}
    SKIP = {"head", "title", "script", "style", "nav", "header", "footer", "form",
            "button", "select", "textarea", "label", "noscript", "template", "svg", "iframe",
            "object", "dialog"}

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.blocks: list[Block] = []
        self.meta: dict = {}
        self.title: list[str] | None = None
        self.headings: list[tuple[int, str]] = []
        self.capture: list[str] | None = None
        self.capture_tag, self.capture_start = "", 0
        self.depth = 0  # table nesting; only the outermost table is structured
        self.rows: list[tuple[list[str], int, int]] = []
        self.cell: list[str] | None = None
        self.table_start = 0
        self.skip_tag, self.skip_depth = "", 0  # the chrome element being skipped
        self.caption: list[str] | None = None
        self.captioned: tuple[str, int, int] | None = None  # the table's caption, its span
        self.frames: list[list] = []  # open <aside>s and lists: [tag, first block, headings,
        # text, link text]
        self.bare = not re.search(r"<h[2-6]\b", text, re.I)  # no section headings at all
        self.links = 0  # open <a> elements
        self.span = (1, 1)  # the open cell's colspan and rowspan
        self.pending: dict[int, tuple[str, int]] = {}  # column -> (text, rows it still spans)
        self.data_rows: set[int] = set()  # rows of the open table with a <td>
        self.cell_labels: list[str] = []  # title/aria-label words inside the open cell
        self.roles: list[tuple[str, str | None]] = []  # open divs/spans, as table tags

    def position(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _is_chrome(self, tag: str, attrs: dict) -> bool:
        if tag in self.SKIP or "hidden" in attrs:
            return tag not in _VOID
        return (attrs.get("aria-hidden") == "true" or attrs.get("role") in _CHROME_ROLES) \
            and tag not in _VOID

    def handle_starttag(self, tag, attrs):
        attrs = {k.lower(): (v or "") for k, v in attrs}
        if tag in ("div", "span") and not self.skip_depth:  # <div role="table|row|cell">
            self.roles.append((tag, _ROLE_TAGS.get(attrs.get("role", ""))))
            if self.roles[-1][1]:
                tag = self.roles[-1][1]
        if self.cell is not None and not self.skip_depth:  # an icon's words: alt, title
            label = attrs.get("alt") if tag == "img" else attrs.get("title") or \
                attrs.get("aria-label")
            if label and label.strip():
                (self.cell if tag == "img" else self.cell_labels).append(f" {label} ")
        if tag == "meta":
            self._meta(attrs)
        if self.skip_depth:
            self.skip_depth += tag == self.skip_tag
            if tag == "title" and self.title is None:
                self.title = []
            return
        if tag == "aside" and "hidden" not in attrs and attrs.get("aria-hidden") != "true":
            self._flush()
            self.frames.append([tag, len(self.blocks), list(self.headings), 0, 0])
            return
        if tag in ("ul", "ol") and not self.depth:
            self._flush()
            self.frames.append([tag, len(self.blocks), None, 0, 0])
        self.links += tag == "a"
        if self._is_chrome(tag, attrs):
            self.skip_tag, self.skip_depth = tag, 1
            if tag == "title" and self.title is None:
                self.title = []
            return
        if tag == "br":
            self._br()
        elif self.depth:
            self._table_start_tag(tag, attrs)
        else:
            if tag in self.BREAKS:
                self._flush()
            if tag == "table":
                self.depth, self.rows, self.cell, self.table_start = 1, [], None, self.position()
                self.pending, self.data_rows = {}, set()
            elif tag in self.TEXT_TAGS or re.fullmatch(r"h[1-6]", tag):
                self.capture, self.capture_tag, self.capture_start = [], tag, self.position()

    def _table_start_tag(self, tag, attrs: dict):
        if tag == "table":
            self.depth += 1
        elif self.depth == 1 and tag == "caption":
            self._close_cell()
            self.caption, self.captioned = [], ("", self.position(), self.position())
        elif self.depth == 1 and tag == "tr":
            self._close_cell()
            self.rows.append(([], self.position(), self.position()))
        elif self.depth == 1 and tag in ("td", "th"):
            self._close_cell()
            if not self.rows:
                self.rows.append(([], self.position(), self.position()))
            self.cell = []
            self.span = (_count(attrs.get("colspan")), _count(attrs.get("rowspan")))
            if tag == "td":
                self.data_rows.add(len(self.rows) - 1)
        elif tag in self.BREAKS and self.cell is not None:
            self.cell.append(" ")

    def handle_startendtag(self, tag, attrs):
        if tag == "img" and self.cell is not None and not self.skip_depth:
            return self.handle_starttag(tag, attrs)
        if tag == "meta":
            self._meta({k.lower(): (v or "") for k, v in attrs})
        elif tag == "br" and not self.skip_depth:
            self._br()

    def _br(self):
        """A line break; two in a row ("<br><br>") part paragraphs."""
        if self.capture is not None and self.cell is None and self.caption is None:
            self.capture.append("\x00")
        else:
            self.handle_data(" ")

    def _meta(self, attrs: dict):
        key = _META_KEYS.get((attrs.get("name") or attrs.get("property") or "").lower())
        if key and attrs.get("content", "").strip() and key not in self.meta:
            self.meta[key] = " ".join(attrs["content"].split())

    def handle_endtag(self, tag):
        if tag in ("div", "span") and not self.skip_depth and self.roles:
            opened, as_tag = next(((i, t) for i, (name, t) in reversed(list(
                enumerate(self.roles))) if name == tag), (None, None))
            if opened is not None:
                del self.roles[opened:]
                tag = as_tag or tag
        if self.skip_depth:
            if tag == "title" and self.title is not None and not isinstance(self.title, str):
                self.title = " ".join("".join(self.title).split())
            self.skip_depth -= tag == self.skip_tag
            return
        self.links -= tag == "a" and self.links > 0
        if self.frames and tag == self.frames[-1][0] and not self.depth:
            return self._end_frame()
        if self.depth:
            if tag == "caption" and self.caption is not None:
                self.captioned = (" ".join("".join(self.caption).split()), self.captioned[1],
                                  self.position())
                self.caption = None
            elif tag == "table":
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
        if self.skip_depth:
            if isinstance(self.title, list):
                self.title.append(data)
            return
        if self.frames:
            self.frames[-1][3] += len(data.strip())
            self.frames[-1][4] += len(data.strip()) if self.links else 0
        if self.caption is not None:
            self.caption.append(data)
        elif self.cell is not None:
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
        """Add the open cell to its row: a cell spanning columns fills each of them, one
        spanning rows is repeated in the rows below at its column."""
        if self.cell is not None and self.rows:
            cells, (across, down) = self.rows[-1][0], self.span
            self._spanned(cells)
            text = " ".join("".join(self.cell).split()) or \
                " ".join("".join(self.cell_labels[:1]).split())  # an icon's title alone
            for _ in range(across):
                if down > 1:
                    self.pending[len(cells)] = (text, down - 1)
                cells.append(text)
            self._spanned(cells)
        self.cell, self.span, self.cell_labels = None, (1, 1), []

    def _spanned(self, cells: list[str]) -> None:
        """Fill the columns that cells from rows above span into, from where the row is."""
        while len(cells) in self.pending:
            text, left = self.pending.pop(len(cells))
            if left > 1:
                self.pending[len(cells)] = (text, left - 1)
            cells.append(text)

    def _end_frame(self):
        """Close an <aside> (kept when it is prose, dropped as chrome otherwise; its headings
        end with it) or a list (dropped when nearly all of it is link text: "Related
        articles", a menu)."""
        self._flush()
        tag, first, headings, text, link = self.frames.pop()
        if tag == "aside":
            if text - link < ASIDE_PROSE or link > text - link:
                del self.blocks[first:]
            self.headings = headings
        elif text and link >= 0.9 * text:
            del self.blocks[first:]
        if self.frames:  # an outer frame counts what the inner one held
            self.frames[-1][3] += text
            self.frames[-1][4] += link

    def _emit_table(self):
        if self.captioned and self.captioned[0]:
            self.blocks.append(Block("paragraph", self._path(), *self.captioned, verbatim=False))
        self.captioned = None
        heads = next((n for n, row in enumerate(self.rows) if n in self.data_rows), 0)
        rows = [(cells, a, b or a) for cells, a, b in self.rows if any(cells)]
        notes = [r for r in rows[1:] if len(r[0]) > 1 and len(set(r[0])) == 1]  # one cell
        rows = [r for r in rows if r not in notes]  # spanning the table: a note under it
        if 2 <= heads < len(rows):  # header rows of <th> only: "Latency" over "A", "B"
            merged = [" ".join(dict.fromkeys(c for c in column if c))
                      for column in zip(*(cells for cells, _, _ in rows[:heads]))]
            rows = [(merged, rows[0][1], rows[heads - 1][2])] + rows[heads:]
        if len(rows) >= 2:
            header = tuple(rows[0][0])
            body = tuple(TableRow(tuple(c), a, max(a, b)) for c, a, b in rows[1:])
            text = "\n".join(" | ".join(c) for c, _, _ in rows)
            self.blocks.append(Block("table", self._path(), text, self.table_start,
                                     self.position(), header, body, verbatim=False))
        elif rows:  # a one-row "table" is just text
            self.blocks.append(Block("paragraph", self._path(), " ".join(rows[0][0]),
                                     self.table_start, self.position(), verbatim=False))
        self.blocks += [Block("paragraph", self._path(), cells[0], a, b, verbatim=False)
                        for cells, a, b in notes]
        self.rows = []

    def _flush(self):
        if self.capture is None:
            return
        parts = re.split(r"\x00\s*\x00[\s\x00]*", "".join(self.capture))
        tag, self.capture = self.capture_tag, None
        for part in parts:
            self._block(tag, " ".join(part.replace("\x00", " ").split()))

    def _block(self, tag: str, content: str):
        """A heading or a paragraph from one block element's text."""
        if content and (re.fullmatch(r"h[1-6]", tag) or self.bare and tag in ("p", "") and
                        _PSEUDO_HEADING.fullmatch(content) and len(content.split()) <= 6):
            level = 2 if tag in ("p", "") else int(tag[1])  # no <h2>: "<p><b>Results</b></p>"
            self.headings = [h for h in self.headings if h[0] < level] + [(level, content)]
        elif content:
            self.blocks.append(Block("paragraph", self._path(), content, self.capture_start,
                                     self.position(), verbatim=False))

    def _path(self):
        return tuple(h for _, h in self.headings)


def _count(value: str | None) -> int:
    """A colspan/rowspan value: a whole number from 1 to 50, else 1."""
    return min(50, max(1, int(value))) if value and value.strip().isdigit() else 1


def parse_html(text: str) -> tuple[dict, list[Block]]:
    """(meta with 'title', 'author', 'date' where the page has them, blocks)."""
    parser = _HtmlBlocks(text)
    parser.feed(text)
    parser.close()
    meta = dict(parser.meta)
    title = parser.title if isinstance(parser.title, str) else \
        " ".join("".join(parser.title or []).split())
    if title or meta.get("og_title"):
        meta["title"] = title or meta["og_title"]
    meta.pop("og_title", None)
    return meta, parser.blocks
