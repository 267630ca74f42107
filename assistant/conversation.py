"""Follow-ups: rewrite a message into a standalone query only when it needs the earlier turn.

A message needs the earlier turn when it opens like a follow-up ("and", "what about", "ok,
and …", also after a short acknowledgement: "makes sense. what about …"), leans on a
reference ("it", "that", "them", "the same …"), or has no topic of its own ("why?", "which
framework wins?": words that only ask for a choice are no topic). Then
the earlier message's option mentions are added when the message names none of them ("which
one is better for research?" after "TF or PyTorch for mobile?" asks about TF and PyTorch —
for research, not mobile), and the earlier topic words only when the message refers to a
thing ("and is it mature?", "any way to pull that down without leaving postgres?" after a
question about pgvector's filtered p95) or only changes a quantity or a numbered setting
("and at 50M?", "and on the 8xh100 one?": the earlier quantities are then dropped). A
message that points at the earlier setting ("which had more tok/s there?") borrows that
setting, not what the earlier message asked about it. A message that stands on its own is
returned unchanged, so an unrelated question never inherits the earlier frame, nor does one
that says it starts a new topic ("diff question - in that benchmark …").
Not handled: references further back than the last self-contained question.
"""
from __future__ import annotations

import re

from .data import load as load_data
from .lexical import content_terms

OPENER = re.compile(r"^\W*(and|also|plus|then|so|ok(ay)?|cool|great|thanks|what about|how about|"
                    r"what of|same (for|with)|what if|why|how so|but)\b", re.I)
REFERENCE = re.compile(r"\b(it|its|that|this|these|those|them|they|their|there|the same|"
                       r"either of them|both of them|which one|the two)\b", re.I)
THING = re.compile(r"\b(it|its|that|this|these|those|the same)\b|(?<!\bis\s)(?<!\bare\s)"
                   r"(?<!\bwas\s)\bthere\b(?!\s+(is|are|was|were|any|a|an|some)\b)",
                   re.I)  # refers to a topic, or to the setting ("more tok/s there"; not "is there")
NEW_TOPIC = re.compile(load_data("lexicon")["new_topic"]["pattern"], re.I)
CHOICE_ONLY = re.compile(r"\b(" + "|".join(load_data("lexicon")["choice_words"]["words"] +
                                         load_data("lexicon")["option_classes"]) + r")\b", re.I)
QUANTITY = re.compile(r"\b\d[\d.,]*\s*[a-z]*\b|\b[a-z]*\d[\w.]*", re.I)  # "50M", "8 GPUs", "8xh100"
REDECIDE = re.compile(r"\b(change|flip|affect|alter)\w*\s+(the|your|that|this)\s+"
                      r"(answer|verdict|recommendation|pick|choice|call)\b", re.I)


ACKNOWLEDGED = re.compile(r"^\W*(?:\w+\W+){0,3}?\w+[.!]+\s+")  # "makes sense. …", "got it! …"


def needs_context(message: str) -> bool:
    if NEW_TOPIC.search(message):  # "diff question - in that benchmark, …"
        return False
    opening = ACKNOWLEDGED.sub("", message, count=1)
    return bool(OPENER.match(message) or OPENER.match(opening) or REFERENCE.search(message)) \
        or not content_terms(CHOICE_ONLY.sub(" ", message))  # "which framework wins?"


def asks_again(message: str, history: list[str], wh_or_yesno: bool) -> bool:
    """Whether a follow-up asks the earlier question again under a new condition ("what about
    13B then?", "does that change the answer?"), so it asks for what the earlier one did."""
    return bool(history) and needs_context(message) and \
        (not wh_or_yesno or bool(REDECIDE.search(message)))


def _own_terms(text: str, options) -> list[str]:
    cut = re.sub(r"\b(that|this|the|those|these)\s+same\s+\w+", " ", options.unnamed(text),
                 flags=re.I)  # its thing
    cut = CHOICE_ONLY.sub(" ", cut)  # "which framework should we pick?" has no topic of its own
    return content_terms(re.sub(r"\b(it|that|this|same|one|either|both|them)\b", " ", cut, flags=re.I))


def anchor(history: list[str], options) -> str | None:
    """The standalone form of the most recent earlier message; when that message states
    rather than asks, together with the statements right before it ("our policies are tiny
    MLPs on a CPU sim", "the article says a GPU is essential"): they set one scene."""
    past = [h.strip() for h in history if isinstance(h, str) and h.strip()]
    if not past:
        return None
    start = len(past) - 1
    while start > 0 and "?" not in past[start] and "?" not in past[start - 1]:
        start -= 1
    return condense(" ".join(past[start:]), past[:start], options)


def condense(message: str, history: list[str], options) -> str:
    """Standalone query for message given earlier user messages (oldest first)."""
    message = message.strip()
    if not history or not needs_context(message):
        return message
    earlier = anchor(history, options)
    if not earlier:
        return message
    own = _own_terms(message, options)
    if not own:
        return f"{message} {earlier}".strip()
    named = {o for _, _, o in options.mentions(message)}
    borrowed = list(dict.fromkeys(earlier[a:b] for a, b, option in options.mentions(earlier)
                                  if option not in named))
    extra = [" or ".join(borrowed)] if borrowed else []  # "(TF or PyTorch)": still a choice
    # "and at 50M?" after "... for 1M vectors?": only the earlier question's quantity changes
    quantity_only = bool(QUANTITY.search(earlier)) and \
        not content_terms(QUANTITY.sub(" ", message))
    if quantity_only or THING.search(message):
        # "is it mature?", or "serving it" after a message about a thing, not about options
        extra += [w for w in re.findall(r"[\w.+#/-]+", _setting(earlier, message))
                  if content_terms(w) and not options.mentions(w) and
                  not (quantity_only and QUANTITY.fullmatch(w))]  # the new quantity replaces
    extra = list(dict.fromkeys(extra))
    return f"{message} ({' '.join(extra)})" if extra else message


_ASKS = re.compile(r"[-–—:,;(]\s*(?:which|what|who|how)\b[^-–—:,;(]*$", re.I)


def _setting(earlier: str, message: str) -> str:
    """What a message that points at a setting ("which had more tok/s there?") borrows: the
    earlier message without its own question ("config D, 8 h100s - which used the least
    vram?" lends "config D, 8 h100s"); any other reference borrows all of it."""
    ask = _ASKS.search(earlier)
    refers = {m.group(0).lower() for m in THING.finditer(message)}
    return earlier[:ask.start()] if ask and refers == {"there"} else earlier
