"""Input validation shared by every surface: one place for the limits and their wording."""
from __future__ import annotations

from .errors import InputError

MAX_QUESTION_CHARS = 4000
MAX_HISTORY = 20   # earlier user messages a caller may send with a question
USED_HISTORY = 6   # the most recent of them the advisor reads (older turns never matter)


def validate_question(question) -> str:
    """The stripped question, or InputError with a one-line reason."""
    if not isinstance(question, str):
        raise InputError("question must be a string")
    question = question.strip()
    if not question:
        raise InputError("question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise InputError(f"question is too long ({len(question):,} characters; "
                         f"the limit is {MAX_QUESTION_CHARS:,})")
    if "\x00" in question:
        raise InputError("question contains a NUL character")
    try:
        question.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: undecodable bytes or broken JSON escapes
        raise InputError("question is not valid UTF-8 text") from None
    return question


def validate_k(k) -> int:
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= 50:
        raise InputError(f"k must be an integer between 1 and 50, not {k!r}")
    return k


def validate_history(history) -> list[str]:
    """A list of earlier user messages (strings), at most MAX_HISTORY, each checked as a
    question is; blank ones are dropped and the most recent USED_HISTORY kept."""
    if history is None:
        return []
    if not isinstance(history, (list, tuple)) or not all(isinstance(h, str) for h in history):
        raise InputError("history must be a list of strings")
    if len(history) > MAX_HISTORY:
        raise InputError(f"history may hold at most {MAX_HISTORY} messages")
    kept = []
    for n, message in enumerate(history, 1):
        if message.strip():
            try:
                kept.append(validate_question(message))
            except InputError as exc:  # "history message 2 is too long (...)"
                raise InputError(f"history message {n}{str(exc)[len('question'):]}") from None
    return kept[-USED_HISTORY:]
