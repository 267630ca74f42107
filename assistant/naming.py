"""Naming recommendations: a clause that recommends or rules out an option by naming it.

"…: use X." (an opening imperative, also after a fronted condition: "If …, use the shared X"),
"… should move to X" (a modal before such a verb anywhere in the clause), "AMD pool: X or Y,
not Z." (a clause of nothing but option names after a label's colon or a fronted condition),
and prohibitions ("Do not use X for …", "avoid X"). prose.py reads every other clause with
the polarity lexicon.
Not handled: a recommendation whose verb is not in data/polarity.json's imperative list.
"""
from __future__ import annotations

import re

from .data import load as load_data
from .options import Options

_P = load_data("polarity")
IMPERATIVE = re.compile(r"^(?:(?:then|just|simply|so)\s+)?(?P<no>" + _P["imperative"][
    "prohibition"] + r"\s+)?(?:" + "|".join(re.escape(v) for v in _P["imperative"]["verbs"]) +
    r")\s+|^(?P<avoid>avoid)\s+", re.I)
_MODAL = re.compile(r"\b(?:should|must|ought to|had better|'d better)\s+(?P<no>not\s+|never\s+)?"
                    r"(?:(?:probably|really|just|simply|instead|also|still|all|rather)\s+)?(?:" +
                    "|".join(re.escape(v) for v in _P["imperative"]["verbs"]) + r")\s+", re.I)
# "… and should move to X instead"
_BANNED = re.compile(r"^(?:(?:then|just|so)\s+)?" + _P["imperative"]["prohibition"] +
                     r"\s+[a-z]+\b", re.I)
_CONDITION = re.compile(r"^(?:on|for|with|without|if|when|in|under|at|given)\b[^,;:]{1,60},\s*", re.I)
_CONDITION_OPENS = re.compile(r"(?:if|when|where|for|on)\s", re.I)
_CONDITION_MAX = 240  # characters a fronted condition may run before its imperative
_OBJECT_HEAD = re.compile(r"\W{0,2}(?:(?:the|a|an|our|your|their)\s+)?(?:[a-z][\w-]*\s+)?")
# what may stand between an imperative and its option: "use the shared X"
_REASON = re.compile(r",\s+(?:because|since|as|given|so)\b", re.I)
_CONNECTIVE = re.compile(r"\b(or|and|not|nor|either|only)\b|[\s,/()]", re.I)


def recommended(clause: str, options: Options, labelled: bool = True) -> dict[str, float]:
    """Stance of a clause that recommends by naming: "…: use X." (the option after an opening
    imperative, also after a fronted condition: "If …, use the shared X"), "AMD pool: X or Y,
    not Z." (a clause of nothing but option names, after a label's colon or a fronted
    condition ("On NVIDIA GPUs, X, because …"), offering one option or a choice, a reason in
    parentheses aside: "GPU stages: X (87 % utilisation)"; not a list: "three stacks: A, B,
    and C"); a prohibition with any verb counts against the one option its clause names ("do
    not run pre-training on X")."""
    text = clause.strip(" .:;—–-\t\n")
    condition = _CONDITION.match(text)
    if condition and IMPERATIVE.match(text[condition.end():]):  # "If …, start with X"
        text, condition = text[condition.end():], None
    elif _CONDITION_OPENS.match(text):  # a condition with a list in it: "If it runs on A, B
        after = next((m.end() for m in re.finditer(r",\s*", text[:_CONDITION_MAX])  # or C, use X"
                      if IMPERATIVE.match(text[m.end():])), None)
        if after:
            text, condition = text[after:], None
    verb = IMPERATIVE.match(text)
    banned = None if verb else _BANNED.match(text)
    modal = None if verb or banned else _MODAL.search(text)
    if modal:  # "… repositories should move to X": what it names after the verb
        return _object(text[modal.end():], options, -1.0 if modal.group("no") else 1.0)
    if banned:  # "do not run large pre-training on X": a caution against the one it names
        named = {o for _, _, o in options.mentions(text[banned.end():])}
        return {named.pop(): -1.0} if len(named) == 1 else {}
    rest = text[verb.end():] if verb else text
    condition = None if verb else condition
    if condition:  # "On NVIDIA GPUs, TensorRT.": the condition labels what follows
        rest, labelled = _REASON.split(text[condition.end():], maxsplit=1)[0], True
    mentions = options.mentions(rest)
    if not mentions:
        return {}
    if verb:
        return _object(rest, options, -1.0 if verb.group("no") or verb.group("avoid") else 1.0)
    rest = re.sub(r"\s*\([^)]*\)", "", rest)  # "Dask (lowest memory, …)": the reason aside
    mentions = options.mentions(rest)
    if labelled and len(mentions) == 1 and not rest[:mentions[0][0]].strip(" *-•") and \
            re.match(r"\s*,\s+[a-z]", rest[mentions[0][1]:]):  # "Default: X, self-hosted …"
        rest = rest[:mentions[0][1]]  # the qualifier after the comma is the reason aside too
    if not mentions or not only_names(rest, mentions) or not labelled or (
            len({o for _, _, o in mentions}) > 1 and not re.search(r"\b(or|not)\b", rest, re.I)):
        return {}
    denied = {o for a, _, o in mentions if re.search(r"\bnot\W*$", rest[max(0, a - 6):a], re.I)}
    kept = [o for _, _, o in mentions if o not in denied]
    return {**{o: 1.0 / len(kept) for o in kept}, **{o: -1.0 for o in denied}}


def _object(rest: str, options: Options, sign: float) -> dict[str, float]:
    """The verb's object when it is an option ("use the shared X"): `sign` for it."""
    mentions = options.mentions(rest)
    return {mentions[0][2]: sign} if mentions and \
        _OBJECT_HEAD.fullmatch(rest[:mentions[0][0]]) else {}


def only_names(text: str, mentions: list) -> bool:
    """Whether text is nothing but option names and connectives ("X, Y and Z")."""
    for a, b, _ in reversed(mentions):
        text = text[:a] + " " + text[b:]
    return not _CONNECTIVE.sub("", text)
