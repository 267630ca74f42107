"""Condense a follow-up plus the conversation into one standalone retrieval query.

"TF or PyTorch for mobile?" then "and for the browser?" -> "PyTorch or TensorFlow for the
browser?". A message is a follow-up when it opens like one ("and", "what about", "how about",
"same for", ...) or is short, names no framework and leans on a pronoun ("is it mature?").
The new query keeps the earlier question's frame (which frameworks, whether a choice is asked)
and takes its topic from the follow-up alone, so an old topic never leaks into a new one.
A message that stands on its own is returned unchanged.
"""
from __future__ import annotations

import re

from .stance import frameworks_in
from .text import content_terms, question_kind

_OPENERS = re.compile(
    r"^\s*(and|also|plus|then|ok(ay)?,? and|so|what about|how about|what of|same (for|with)|"
    r"and what about|and how about|and for|what if|how does that|is that|for)\b[\s,:]*", re.I)
_PRONOUN = re.compile(r"\b(it|its|that|this|those|these|them|they|one|there)\b", re.I)
_NAMES = {"pytorch": "PyTorch", "tensorflow": "TensorFlow"}


def is_follow_up(message: str) -> bool:
    if _OPENERS.match(message):
        return True
    short = len(content_terms(message)) <= 3 and len(message.split()) <= 8
    return short and not frameworks_in(message) and bool(_PRONOUN.search(message))


def condense(message: str, history: list[str]) -> str:
    """Standalone query for message given earlier user messages (oldest first)."""
    message = message.strip()
    if not history or not is_follow_up(message):
        return message
    anchor = _last_standalone(history)
    if anchor is None:
        return message
    fws = list(dict.fromkeys(frameworks_in(anchor))) or ["pytorch", "tensorflow"]
    topic = _OPENERS.sub("", message).strip() or message
    frame = " or ".join(_NAMES[f] for f in fws)
    if question_kind(anchor) == "choice" and len(fws) == 2:
        return f"{frame}: {topic}"
    anchor_topic = " ".join(content_terms(anchor))
    return f"{frame} {anchor_topic}: {topic}" if _PRONOUN.search(topic) else f"{frame}: {topic}"


def _last_standalone(history: list[str]) -> str | None:
    """The most recent earlier message that is not itself a follow-up."""
    for past in reversed(history):
        if past.strip() and not is_follow_up(past):
            return past.strip()
    return history[-1].strip() if history and history[-1].strip() else None
