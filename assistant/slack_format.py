"""Block Kit rendering of an Answer for Slack (slash commands, mentions, incoming webhooks).

Layout: optional question line, verdict line, the answer text with its `[n]` markers, an
optional table (preformatted), then context blocks listing the sources as
"[n] Section — “short quote…”". Stays inside Slack's limits: 3,000 characters per text object,
10 elements per context block, 50 blocks per message; a plain `text` fallback goes with it for
notifications and clients that cannot show blocks. Pure functions; no Slack calls here.
"""
from __future__ import annotations

MAX_TEXT = 3000          # characters per section/context text object
MAX_CONTEXT_ELEMENTS = 10
MAX_BLOCKS = 50
MAX_FALLBACK = 3000      # chat.postMessage truncates `text` at 40k; notifications want it short
QUOTE_CHARS = 140

ICONS = {"either": ":white_circle:", None: ":information_source:"}


def escape(text: str) -> str:
    """Escape the three characters Slack's mrkdwn treats as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def verdict_line(answer) -> str:
    """':large_blue_circle: *Verdict: ONNX Runtime* (confidence 0.81)' for any option."""
    if answer.abstained:
        return f":grey_question: *{escape(answer.headline)}*"
    if not answer.verdict:
        return f"{ICONS[None]} *{escape(answer.headline)}*"
    icon = ICONS.get(answer.verdict, ":large_blue_circle:")
    return f"{icon} *Verdict: {escape(answer.headline)}* (confidence {answer.confidence:.2f})"


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _chunks(text: str, limit: int) -> list[str]:
    """Split long text into pieces of at most `limit` characters, preferring sentence breaks."""
    pieces = []
    while len(text) > limit:
        cut = max(text.rfind(". ", 0, limit), text.rfind("\n", 0, limit))
        cut = cut + 1 if cut > limit // 2 else limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return pieces + ([text] if text else [])


def table_text(table: dict, limit: int = MAX_TEXT) -> str | None:
    """A small table as a preformatted mrkdwn block (rows dropped to fit the limit)."""
    header = [str(h) for h in table.get("header") or []]
    rows = [[str(c) for c in row] for row in table.get("rows") or []]
    if not header and not rows:
        return None
    lines = [" | ".join(header)] if header else []
    if header:
        lines.append("-" * min(len(lines[0]), 60))
    title = f"*{escape(table['section'])}*\n" if table.get("section") else ""
    for row in rows:
        candidate = lines + [" | ".join(row)]
        if len(title) + len("\n".join(candidate)) + 8 > limit:
            break
        lines = candidate
    body = escape("\n".join(lines))
    return clip(f"{title}```{body}```", limit)


def source_line(citation) -> str:
    quote = clip(" ".join(citation.text.split()), QUOTE_CHARS)
    return clip(f"*[{citation.n}]* {escape(citation.section)} — “{escape(quote)}”", MAX_TEXT)


def fallback_text(answer, question: bool = False) -> str:
    """Plain-text version for notifications and block-less clients."""
    head = answer.headline if answer.abstained or not answer.verdict else \
        f"Verdict: {answer.headline}"
    prefix = f"Q: {answer.question}\n" if question else ""
    return clip(f"{prefix}{head}. {answer.answer}", MAX_FALLBACK)


def answer_blocks(answer, question: bool = False) -> list[dict]:
    """Block Kit blocks for `answer` (include the question line when `question`)."""
    blocks: list[dict] = []
    if question:
        blocks.append({"type": "context", "elements": [
            {"type": "mrkdwn", "text": clip(f"*Q:* {escape(answer.question)}", MAX_TEXT)}]})
    blocks.append(_section(verdict_line(answer)))
    for piece in _chunks(escape(answer.answer), MAX_TEXT)[:10]:
        blocks.append(_section(piece))
    if answer.criteria:
        lines = [f"• “{escape(clip(r['criterion'], 80))}” → "
                 f"{'neither' if r['favours'] == 'either' else escape(r['favours'])} [{r['n']}]"
                 for r in answer.criteria]
        blocks.append(_section(clip("*By criterion*\n" + "\n".join(lines), MAX_TEXT)))
    if answer.table:
        text = table_text(answer.table)
        if text:
            blocks.append(_section(text))
    lines = [source_line(c) for c in answer.citations]
    if lines:
        blocks.append({"type": "divider"})
    for start in range(0, len(lines), MAX_CONTEXT_ELEMENTS):
        chunk = lines[start:start + MAX_CONTEXT_ELEMENTS]
        blocks.append({"type": "context",
                       "elements": [{"type": "mrkdwn", "text": line} for line in chunk]})
    return blocks[:MAX_BLOCKS]


def message(answer, question: bool = False) -> dict:
    """`{"text": ..., "blocks": [...]}` ready for chat.postMessage, response_url or a webhook."""
    return {"text": fallback_text(answer, question), "blocks": answer_blocks(answer, question)}
