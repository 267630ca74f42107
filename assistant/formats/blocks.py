"""What every format parser produces: headed paragraph and table blocks of one document."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class TableRow:
    cells: tuple[str, ...]
    start: int
    end: int
    page: int | None = None  # PDF page the row is printed on


@dataclass(frozen=True)
class Block:
    """A paragraph (kind='paragraph') or a table (kind='table') under a heading path.

    `text` is clean plain text; start/end is the block's span in the document's text.
    `char_map` (when given) holds the source offset of every character of `text` (Markdown
    rendered from markup); `verbatim` says `text` is exactly text[start:end]. When neither
    holds (HTML, PDF), a part of the block maps to the whole block's span.
    """

    kind: str
    headings: tuple[str, ...]
    text: str
    start: int
    end: int
    header: tuple[str, ...] = ()
    rows: tuple[TableRow, ...] = ()
    page: int | None = None
    char_map: tuple[int, ...] | None = field(default=None, compare=False, repr=False)
    verbatim: bool = True

    def span(self, a: int, b: int) -> tuple[int, int]:
        """Source span of text[a:b]."""
        if self.char_map:
            return self.char_map[a], self.char_map[max(a, b - 1)] + 1
        if self.verbatim:
            return self.start + a, self.start + b
        return self.start, self.end


@dataclass
class Document:
    source: str  # path shown to users, e.g. "corpus/article.md"
    path: Path
    title: str
    meta: dict
    text: str
    blocks: list[Block] = field(default_factory=list)
    format: str = "markdown"  # markdown | text | html | pdf
    skipped: str | None = None  # why nothing of it is indexed (scanned, encrypted, corrupt, ...)
    pages: int | None = None
