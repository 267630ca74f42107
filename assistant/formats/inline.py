"""Markdown inline markup -> plain text, with the source offset of every character kept.

Handled: backslash escapes, code spans (`x`, ``x``), links [text](url) and [text][ref],
images ![alt](src) (-> alt), autolinks <https://...>, raw inline HTML tags and comments
(dropped; a <br> or block tag is a space), emphasis and strong emphasis with * and _
(nested), ~~strikethrough~~, and
whitespace runs (-> one space). Not handled: footnotes, HTML entities, emphasis that spans
block boundaries, and CommonMark's finer delimiter-run rules (a lone `*` between spaces or
an intraword `_` stays literal, as there).
"""
from __future__ import annotations

import re

_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_LINK = re.compile(r"\[((?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)\]"
                   r"(?:\(\s*<?[^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*>?"
                   r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)|\[[^\]]*\])")
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^\s<>]+|[\w.+-]+@[\w-]+\.[\w.-]+)>")
_TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>", re.S)
_BREAK_TAG = re.compile(r"</?(?:br|p|div|li|tr|td|th|hr)\b", re.I)
_EMPHASIS = [  # (delimiter run)(content) closed by the same run
    re.compile(r"(?<!\*)(\*\*\*|\*\*|\*)(?=[^\s*])(.+?)(?<=[^\s*])\1(?!\*)", re.S),
    re.compile(r"(?<![\w_])(___|__|_)(?=[^\s_])(.+?)(?<=[^\s_])\1(?![\w_])", re.S),
    re.compile(r"(?<!~)(~~)(?=\S)(.+?)(?<=\S)\1(?!~)", re.S),
]


class _Out:
    """Output characters, their source offsets, and whether markup may still act on them."""

    def __init__(self):
        self.chars: list[str] = []
        self.offs: list[int] = []
        self.live: list[bool] = []

    def add(self, ch: str, off: int, live: bool) -> None:
        self.chars.append(ch)
        self.offs.append(off)
        self.live.append(live)

    def extend(self, other: "_Out") -> None:
        self.chars += other.chars
        self.offs += other.offs
        self.live += other.live


def render(src: str, offs: list[int] | None = None) -> tuple[str, list[int]]:
    """(plain text, source offset of each of its characters) for Markdown inline `src`;
    `offs` gives the source offset of each character of `src` (default: its index)."""
    offs = list(range(len(src))) if offs is None else offs
    out = _scan(src, offs)
    _strip_emphasis(out)
    return _collapse(out)


def _scan(src: str, offs: list[int]) -> _Out:
    out, i, n = _Out(), 0, len(src)
    while i < n:
        c = src[i]
        if c == "\\" and i + 1 < n and src[i + 1] in _PUNCT:
            out.add(src[i + 1], offs[i + 1], False)
            i += 2
        elif c == "`":
            run = len(src[i:]) - len(src[i:].lstrip("`"))
            close = _closing_ticks(src, i + run, run)
            if close < 0:  # no closing run: the backticks are literal
                for j in range(i, i + run):
                    out.add("`", offs[j], False)
                i += run
                continue
            a, b = i + run, close
            if b - a >= 2 and src[a] == " " and src[b - 1] == " " and src[a:b].strip():
                a, b = a + 1, b - 1
            for j in range(a, b):
                out.add(src[j], offs[j], False)
            i = close + run
        elif c in "![" and (m := _LINK.match(src, i + (c == "!"))) and (c == "[" or m.start() == i + 1):
            a = m.start() + 1
            out.extend(_scan(m.group(1), offs[a:a + len(m.group(1))]))
            i = m.end()
        elif c == "<" and (m := _AUTOLINK.match(src, i)):
            for j in range(m.start(1), m.end(1)):
                out.add(src[j], offs[j], False)
            i = m.end()
        elif c == "<" and (m := _TAG.match(src, i)):
            if _BREAK_TAG.match(m.group(0)):  # "Max file<br>size": a line break is a space
                out.add(" ", offs[i], False)
            i = m.end()
        else:
            out.add(c, offs[i], True)
            i += 1
    return out


def _closing_ticks(src: str, start: int, run: int) -> int:
    """Start of the next backtick run of exactly `run` ticks at or after `start`, or -1."""
    for m in re.finditer(r"`+", src[start:]):
        if len(m.group(0)) == run:
            return start + m.start()
    return -1


def _strip_emphasis(out: _Out) -> None:
    """Delete matched emphasis delimiters (live characters only), innermost runs last."""
    changed = True
    while changed:
        changed = False
        scan = "".join(ch if live else "a" for ch, live in zip(out.chars, out.live))
        for pattern in _EMPHASIS:
            m = pattern.search(scan)
            if not m:
                continue
            drop = set(range(m.start(1), m.end(1))) | set(range(m.end(2), m.end()))
            for name in ("chars", "offs", "live"):
                values = getattr(out, name)
                setattr(out, name, [v for j, v in enumerate(values) if j not in drop])
            changed = True
            break


def _collapse(out: _Out) -> tuple[str, list[int]]:
    text, offs = [], []
    for ch, off in zip(out.chars, out.offs):
        if ch.isspace():
            if text and text[-1] != " ":
                text.append(" ")
                offs.append(off)
        else:
            text.append(ch)
            offs.append(off)
    if text and text[-1] == " ":
        text.pop()
        offs.pop()
    return "".join(text), offs
