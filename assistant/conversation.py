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

from .stance import frameworks_in, rename_frameworks
from .text import content_terms, entities, question_kind

_OPENERS = re.compile(
    r"^\s*(and|also|plus|then|ok(ay)?,? and|so|what about|how about|what of|same (for|with)|"
    r"and what about|and how about|and for|what if|how does that|is that|for|why|how so)\b[\s,:]*",
    re.I)
_PRONOUN = re.compile(r"\b(it|its|that|this|those|these|them|they|one|there)\b", re.I)
_NAMES = {"pytorch": "PyTorch", "tensorflow": "TensorFlow"}


def is_follow_up(message: str) -> bool:
    if _OPENERS.match(message):
        return True
    short = len(content_terms(message)) <= 3 and len(message.split()) <= 8
    return short and not frameworks_in(message) and bool(_PRONOUN.search(message))


def condense(message: str, history: list[str]) -> str:
    """Standalone query for message given earlier user messages (oldest first).

    - no topic of its own ("why?", "tell me more") -> the earlier question itself;
    - after a choice question -> that frame plus the new topic ("PyTorch or TensorFlow: for
      the browser?"), plus the earlier topic when a pronoun points back at it;
    - after a factual question -> the same question about the new framework ("and
      TensorFlow's?") or the new subject keeping what was asked ("and BERT-Large?" after a
      throughput question -> "BERT-Large throughput").
    """
    message = message.strip()
    if not history or not is_follow_up(message):
        return message
    anchor = _last_standalone(history)
    if anchor is None:
        return message
    topic = _OPENERS.sub("", message).strip(" ?!.") or message
    topic_fws = frameworks_in(topic)
    topic_terms = [t for t in content_terms(topic) if t not in content_terms(" ".join(topic_fws))]
    if not topic_terms and not topic_fws:
        return anchor
    anchor_fws = list(dict.fromkeys(frameworks_in(anchor)))
    if question_kind(anchor) == "choice" and len(anchor_fws) != 1:
        frame = " or ".join(_NAMES[f] for f in anchor_fws or ["pytorch", "tensorflow"]) \
            if len(anchor_fws) != 1 else _NAMES[anchor_fws[0]]
        back = " " + " ".join(_topic_words(anchor)) if _PRONOUN.search(topic) else ""
        return f"{frame}: {topic}{back}?"
    if topic_fws and not topic_terms:  # "and TensorFlow's?": same question, other framework
        return rename_frameworks(anchor, _NAMES[topic_fws[0]])
    if _PRONOUN.search(topic):  # "is it mature?": the earlier subject, the new question
        return f"{topic} {' '.join(_topic_words(anchor))}?"
    names = set(entities(anchor))  # "and BERT-Large?": new subject, same thing asked
    kept = [w for w in _topic_words(anchor) if not set(content_terms(w)) & names]
    return f"{topic} {' '.join(kept)}?".replace("  ", " ")


def _topic_words(text: str) -> list[str]:
    """The words of text that carry its topic (stop words and framework names dropped)."""
    return [w.strip("?!.,;:'\"") for w in text.split()
            if content_terms(w) and not frameworks_in(w)]


def _last_standalone(history: list[str]) -> str | None:
    """The most recent earlier message that is not itself a follow-up."""
    for past in reversed(history):
        if past.strip() and not is_follow_up(past):
            return past.strip()
    return history[-1].strip() if history and history[-1].strip() else None
