"""Answer dict -> chat message (Markdown with a little HTML), with no Gradio import.

One assistant message holds: a verdict badge with its confidence, the answer with every `[n]`
marker turned into a link to its source, a subtle "Interpreted as" line for follow-ups, the
table rows behind a table-cell answer as a Markdown table, and one collapsible `<details>` block
per source (section, file, the verbatim passage). `stream_frames` yields the same message with
the answer growing word by word; `plain_text` is the clean copy of an answer for the clipboard.
Colours are inline styles, so the message looks right even where the page CSS is not loaded.
"""
from __future__ import annotations

import html
import re
import zlib
from pathlib import PurePath

_MARKER = re.compile(r"\[(\d+)\]")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]|~])")

# badge kind -> (label, background, text colour); an option's badge takes its colour from
# OPTION_COLOURS by a stable hash of its name and its label from the answer's headline.
BADGES = {
    "either": ("Either", "#2563eb", "#ffffff"),
    "abstained": ("Not covered", "#6b7280", "#ffffff"),
    None: ("No verdict needed", "#0f766e", "#ffffff"),
}
OPTION_COLOURS = [("#de3412", "#ffffff"), ("#ff8f00", "#1f1300"), ("#7c3aed", "#ffffff"),
                  ("#0e7490", "#ffffff"), ("#be185d", "#ffffff"), ("#4d7c0f", "#ffffff")]
_BADGE_STYLE = ("display:inline-block;padding:2px 10px;border-radius:999px;font-weight:700;"
                "font-size:0.9em;letter-spacing:0.02em;background:{bg};color:{fg}")
_CONF_STYLE = "margin-left:8px;font-size:0.85em;opacity:0.75"
_CITE_STYLE = "text-decoration:none;font-weight:600;font-size:0.85em;vertical-align:super"
_SOURCE_STYLE = ("margin:6px 0;padding:4px 10px;border:1px solid rgba(127,127,127,0.35);"
                 "border-radius:8px")
_QUOTE_STYLE = "margin:6px 0 4px 0;padding-left:10px;border-left:3px solid #ff8f00;white-space:pre-wrap"


def escape_md(text: str) -> str:
    """Text shown literally in Markdown: HTML-escaped, Markdown punctuation backslashed."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def cite_id(turn: int, n: int) -> str:
    """DOM id of source n of the answer in chat turn `turn` (unique within a page)."""
    return f"fa-src-{turn}-{n}"


def badge_key(answer: dict):
    return "abstained" if answer.get("abstained") else answer.get("verdict")


def badge_style(answer: dict) -> tuple[str, str, str]:
    """(label, background, text colour) of the verdict badge, for any option."""
    key = badge_key(answer)
    if key in BADGES:
        return BADGES[key]
    bg, fg = OPTION_COLOURS[zlib.crc32(str(key).encode()) % len(OPTION_COLOURS)]
    return answer.get("headline") or str(key).title(), bg, fg


def badge_html(answer: dict) -> str:
    key = badge_key(answer)
    label, bg, fg = badge_style(answer)
    badge = (f'<span class="fa-badge fa-badge-{key or "none"}" '
             f'style="{_BADGE_STYLE.format(bg=bg, fg=fg)}">{label}</span>')
    if key == "abstained":
        return badge
    pct = round(float(answer.get("confidence") or 0) * 100)
    return badge + f'<span class="fa-confidence" style="{_CONF_STYLE}">{pct}% confidence</span>'


def link_markers(text: str, turn: int, known: set[int] | None = None) -> str:
    """Escape `text` for Markdown and turn each known `[n]` into a link to source n."""
    out, last = [], 0
    for m in _MARKER.finditer(text):
        n = int(m.group(1))
        if known is not None and n not in known:
            continue
        out.append(escape_md(text[last:m.start()]))
        out.append(f'<a class="fa-cite" href="#{cite_id(turn, n)}" '
                   f'title="Show source {n}" style="{_CITE_STYLE}">[{n}]</a>')
        last = m.end()
    out.append(escape_md(text[last:]))
    return "".join(out)


def table_md(table: dict | None) -> str:
    """The table rows behind a cell answer as a Markdown table (empty string when none)."""
    if not table or not table.get("header") or not table.get("rows"):
        return ""
    header = [str(h) for h in table["header"]]
    cell = lambda v: escape_md(str(v)).replace("\n", " ")  # noqa: E731
    lines = ["| " + " | ".join(cell(h) for h in header) + " |",
             "|" + "|".join(" --- " for _ in header) + "|"]
    for row in table["rows"]:
        row = [str(v) for v in row] + [""] * (len(header) - len(row))
        lines.append("| " + " | ".join(cell(v) for v in row[:len(header)]) + " |")
    caption = f"From the table in *{escape_md(table['section'])}*:" if table.get("section") else ""
    return (caption + "\n\n" if caption else "") + "\n".join(lines)


def criteria_md(rows: list | None) -> str:
    """The per-criterion verdicts as a Markdown table with a column per option."""
    if not rows:
        return ""
    options = list(dict.fromkeys(o for r in rows for o in r.get("cells", {})))
    cell = lambda v: escape_md(str(v)).replace("\n", " ")  # noqa: E731
    lines = ["| Criterion | Favours | " + " | ".join(cell(o) for o in options) + " |",
             "|" + "|".join(" --- " for _ in range(len(options) + 2)) + "|"]
    for r in rows:
        favours = "neither" if r.get("favours") == "either" else r.get("favours", "")
        lines.append(f"| {cell(r.get('criterion', ''))} | {cell(favours)} [{r.get('n')}] | "
                     + " | ".join(cell(r.get("cells", {}).get(o, "")) for o in options) + " |")
    return "By criterion:\n\n" + "\n".join(lines)


def source_name(source: str) -> str:
    return PurePath(str(source)).name if source else "corpus"


def sources_html(citations: list[dict], turn: int) -> str:
    """One collapsible block per source: section and file in the summary, passage inside."""
    blocks = []
    for c in citations:
        n = int(c["n"])
        passage = html.escape(str(c.get("text", "")), quote=False).replace("\n", "<br>")
        files = [source_name(s) for s in c.get("sources") or [c.get("source")]]
        summary = (f'<b>[{n}]</b> {html.escape(str(c.get("section") or "(no section)"))}'
                   f' <span style="opacity:0.65">· {html.escape(", ".join(files))}'
                   f' · relevance {float(c.get("score") or 0):.2f}</span>')
        blocks.append(f'<details class="fa-source" id="{cite_id(turn, n)}" '
                      f'style="{_SOURCE_STYLE}"><summary style="cursor:pointer">{summary}'
                      f'</summary><blockquote class="fa-passage" style="{_QUOTE_STYLE}">'
                      f'{passage}</blockquote></details>')
    if not blocks:
        return ""
    return f'<div class="fa-sources"><b>Sources</b>{"".join(blocks)}</div>'


def render_answer(answer: dict, turn: int, words: int | None = None) -> str:
    """The chat message for `answer`; with `words`, only that many answer words (streaming)."""
    text = answer.get("answer") or ""
    final = words is None or words >= len(text.split())
    if not final:
        text = " ".join(text.split()[:words])
    known = {int(c["n"]) for c in answer.get("citations") or []}
    parts = [badge_html(answer),
             f'<span class="fa-answer {"fa-final" if final else "fa-streaming"}">'
             f'{link_markers(text, turn, known)}</span>'
             + ("" if final else " ▍")]
    if final:
        if answer.get("query"):
            parts.append(f'<span class="fa-query" style="opacity:0.7;font-size:0.85em">'
                         f'Interpreted as: “{escape_md(answer["query"])}”</span>')
        if matrix := criteria_md(answer.get("criteria")):
            parts.append(matrix)
        if table := table_md(answer.get("table")):
            parts.append(table)
        if sources := sources_html(answer.get("citations") or [], turn):
            parts.append(sources)
    return "\n\n".join(parts)


def stream_frames(answer: dict, turn: int, words_per_frame: int = 3):
    """Progressively longer renderings of the answer, ending with the full message."""
    total = len((answer.get("answer") or "").split())
    for words in range(words_per_frame, total, words_per_frame):
        yield render_answer(answer, turn, words)
    yield render_answer(answer, turn)


def plain_text(answer: dict) -> str:
    """The answer as plain text for the clipboard: verdict line, answer, table, sources."""
    label = badge_style(answer)[0]
    lines = [f"Verdict: {label}" + ("" if answer.get("abstained")
                                    else f" ({round(float(answer.get('confidence') or 0) * 100)}% confidence)"),
             "", answer.get("answer") or ""]
    table = answer.get("table")
    if table and table.get("rows"):
        lines += ["", " | ".join(map(str, table["header"]))]
        lines += [" | ".join(map(str, row)) for row in table["rows"]]
    if answer.get("citations"):
        lines += ["", "Sources:"]
        lines += [f"[{c['n']}] {c.get('section') or ''} ({source_name(c.get('source'))}): {c['text']}"
                  for c in answer["citations"]]
    return "\n".join(lines)


def message_text(content) -> str:
    """Text of a chat message's content: a string, or Gradio's list of {"type","text"} parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text") or "")
    if isinstance(content, (list, tuple)):
        return "".join(message_text(part) for part in content)
    return ""


def polite_reply(reason: str) -> str:
    """A friendly one-line answer to input the advisor cannot take (no toast, no traceback)."""
    reason = reason.strip().rstrip(".")
    if "empty" in reason:
        return ("Please type a question first — for example *“TF or PyTorch for mobile?”* "
                "or *“Which framework do LLMs use?”*")
    return f"Sorry, I can't take that message: {escape_md(reason)}. Please send a shorter question."
