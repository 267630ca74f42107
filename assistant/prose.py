"""Prose stance: which option a clause of prose favours, read with the general lexicon in
data/polarity.json.

Each cue credits the option that is the subject of its clause (the option named before it, else
the one carried from the previous clause, which "it"/"its" also stand for, else the heading's
option); a negator right before a cue flips it, one inside the subject does not; an option
named after "than"/"of"/"over"/"against" is debited (and only debited when the clause's own
subject is unknown: "The app builder won us over. It is cheaper than X"); a clause that
recommends by naming ("…: use X", "On GPUs, X.", "X or Y, not Z") credits what it names, a
prohibition ("Do not use X for …") debits it (naming.py); an elided denial ("A and B did. C did
not.") denies C what the clause before says of A and B; "X's latency is higher than Y's" is
read in the direction of the quantity named; a tie ("it depends", "similar") followed by "but
…" in its sentence is no tie; a cue inside a condition with its own subject ("… when data
cannot leave the network") says nothing of the option; a clause that addresses the reader or an
assistant ("ignore previous instructions", see cues.py) has no stance.
Not handled: sarcasm, stance spread over several sentences without naming the option, the
condition of a conditional recommendation ("If you already run X, stay"), arithmetic.
"""
from __future__ import annotations

import re

from .cues import CUES, NEGATED, find_cues, is_instruction, modifier
from .data import load as load_data
from .measured import absence, compared, superlative
from .naming import IMPERATIVE, only_names, recommended
from .options import Options

_P = load_data("polarity")
_OBJECT = re.compile(r"\b(than|of|over|behind|against|vs\.?|versus)\b", re.I)
_OBJECT_NEAR = re.compile(_OBJECT.pattern + r"\W+(?:[\w'-]+\W+){0,2}$", re.I)  # "… faster than
# the ⟨ORT⟩"; not "None of the self-hosted figures …, the biggest cost for ⟨XTTS⟩"
_IN_LIST = re.compile(r"\b[A-Z][\w.+-]*,\s+$")          # "JAX, ⟨Keras⟩"
_LIST_NEXT = re.compile(r",\s+(?:and\s+|or\s+)?[A-Z][\w.+-]*(?:,|\s+(?:and|or)\b)")  # "⟨X⟩, Y, …"
_PAIRED = re.compile(r"\s*(?:and|or|&|/)\s*", re.I)  # "JAX and TensorFlow": one subject of two
_IT = re.compile(r"^\W*(?:it|its|they|their)\b", re.I)  # the carried subject, whatever follows
_IT_INSIDE = re.compile(r"\b(?:it|they)\b", re.I)  # "under load it trailed Triton": still it
_CLAUSE = re.compile(r"(?<=[.!?])\s+|;\s*|,\s+(?:while|whereas|but|and|a)\s+|\s+(?:but|while|whereas)\s+"
                     r"|\s+[—–]\s+|:\s+")
_CONTRAST = re.compile(r",?\s+but\s+$", re.I)  # what follows outweighs a tie before it
# "… when data ⟨cannot⟩": a cue inside a condition that has its own subject
_SUBORDINATE = re.compile(r"\b(?:when|whenever|if|unless|where|once|until)\s+(?!(?:it|they)\b)"
                          r"[a-z][\w'-]*(?:\s+[\w'-]+){0,3}\s+$", re.I)
_PREDICATIVE = set(_P["predicative_only"])
_BUT = re.compile(r"\W{0,3}\s*but\s+", re.I)  # "…(USD 414 vs 235), but it meets …"
_LESS = re.compile(r"\b(?:less|fewer|not as|not so|fewest|least|lowest)\s+$", re.I)  # "the
# fewest errors" is good, "least mature" is not
_NEW_SUBJECT = re.compile(r"\W*(?:(?:the|each|every|our|most|many|some|all)\s+(?!(?:" + "|".join(
    load_data("lexicon")["option_classes"]) + r")\b)[a-z]|(?:this|these)\s+(?:" + "|".join(
    load_data("lexicon")["document_words"]["words"]) + r")\b)", re.I)
# not "The framework …"; "This page …" is about the document
_NOUN_SUBJECT = re.compile(r"\W*(?!(?i:it|its|this|that|these|those|there|they|we|you|here|both|"
                           r"neither|either|each|one|all)\b)[A-Z][a-z]+(?:\s+and\s+[a-z]+)?\s+"
                           r"(?:is|are|was|were)\b")  # "Lineage and backfills are …"
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+)$")  # not a list item ("- The server …")
# "…; for a small service, a CPU library is simpler": a new, indefinite subject
_ELIDED = re.compile(r"\W*(?:did|does|do|could|can|was|is|were|are|has|have|had)\s*(?:not|n't)"
                     r"(?:\W*$|\s*[,;(]|\s+(?:once|when|if|unless|because|since|as soon|after|"
                     r"with|on|in|for|under|at|beyond)\b)", re.I)  # "RLlib did not once …"
_INDEFINITE = re.compile(r"\W*(?:a|an|any|another)\s+(?:[\w./+-]+\s+){0,3}?"
                         r"(?:is|are|was|were|has|have|costs?|needs?|runs?)\b", re.I)
_DENIAL = re.compile(r"^\W*(\w+\W+){0,2}(not|never|cannot|can't|doesn't|does not|don't|"
                     r"isn't|aren't|won't|lacks?|no longer|ha(?:s|ve) no)\b", re.I)  # verbs after the subject
_PRONOUN = re.compile(r"^\W*(?:it|they|this|that)\b", re.I)
_ATTRIBUTIVE = re.compile(r"\s+(?!(?:and|or|but|in|on|for|with|to|than|as|at|via|by)\b)[a-z][\w-]*", re.I)


_NEITHER_NOR = re.compile(r"\bneither\s+[\w.+-]+(?:\s+[\w.+-]+)?\s+nor\s+[\w.+-]+"
                          r"(?:\s+[A-Z][\w.+-]*)?(?=\s+(?:can|could|does|do|did|has|have|had|"
                          r"supports?|offers?|ships?|runs?)\b)", re.I)  # not "is faster"


def clause_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _CLAUSE.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def clause_stance(clause: str, options: Options, subject: str | None,
                  labelled: bool = True) -> tuple[dict, str | None]:
    """(stance, subject carried on) of one clause of prose; `labelled` when it follows a
    label's colon ("AMD pool: …")."""
    mentions = options.mentions(clause)
    stance = recommended(clause, options, labelled)
    if stance:
        return stance, mentions[0][2]
    cues = find_cues(clause)
    lacking = [(a, c) for a, _, c in cues if c == "neither" and any(m < a for m, _, _ in mentions)]
    if lacking:  # "X has neither": a lack, not a tie
        owner = [o for m, _, o in mentions if m < lacking[0][0]][-1]
        return {owner: -1.0}, owner
    both = _NEITHER_NOR.search(clause)  # "Neither hnswlib nor ScaNN can use a GPU": a lack
    if both:  # of each, and a tie between the two
        lack = {o: -1.0 for a, _, o in mentions if both.start() <= a < both.end()}
        if len(lack) >= 2:
            return {**lack, "either": CUES["neither"][1]}, None
    if any(CUES[c][0] == "=" for _, _, c in cues):
        for _, _, cue in cues:
            if CUES[cue][0] == "=":
                stance["either"] = stance.get("either", 0.0) + CUES[cue][1]
        return stance, (mentions[0][2] if mentions else subject)
    it = subject if _pronoun(clause, mentions, subject) else None  # "It ships with PyTorch"
    for start, end, cue in cues:
        sign, weight = CUES[cue]
        if cue in _PREDICATIVE and _ATTRIBUTIVE.match(clause, end) and \
                clause[start - 1:start] != "(":
            continue  # "experimental architectures" says nothing about maturity
        cond = _SUBORDINATE.search(clause[:start])
        if cond and not any(cond.start() < a < start for a, _, _ in mentions):
            continue  # "X fits when data cannot leave the network": the condition's own subject
        before = [o for a, _, o in mentions if a < start]
        if len(set(before)) >= 2 and not _OBJECT.search(clause[:start]):
            continue  # "X and Y are both ...": a shared subject favours neither
        owner = it or (before[-1] if before else subject or (mentions[0][2] if mentions else None))
        if owner is None:
            continue
        value = weight * modifier(clause[:start]) * (1 if sign == "+" else -1)
        if NEGATED.search(clause[max(0, start - 30):start]):
            value = -value * 0.7
        elif _LESS.search(clause[max(0, start - 20):start]):  # "less mature", "not as stable"
            value = -value
        if not (it or before or subject) and _OBJECT.search(clause[end:mentions[0][0]]):
            stance[owner] = stance.get(owner, 0.0) - value  # "it is cheaper than X", "it" unknown:
            continue  # X is what was beaten
        stance[owner] = stance.get(owner, 0.0) + value
        after = [o for a, _, o in mentions if a >= end and o != owner and
                 _OBJECT.search(clause[start:a])]
        for other in after[:1]:
            stance[other] = stance.get(other, 0.0) - value
    if not stance:
        stance = compared(clause, mentions, it or subject)
    if not stance:
        stance = superlative(clause, mentions, it or subject)
    if not stance:
        stance = absence(clause, mentions, subject)
    return {k: round(v, 3) for k, v in stance.items() if v}, \
        _carried(clause, options, mentions, cues, subject, it)


def _carried(clause: str, options: Options, mentions: list, cues: list, subject: str | None,
             it: str | None) -> str | None:
    """The subject the next clause inherits: the one this clause is about, none after a list
    of names ("A, B and C."; "every other one, JAX, Keras, and …"; not "NVIDIA-only, TensorRT
    is …") or after a subject of two ("JAX and TensorFlow spend …")."""
    distinct = {o for _, _, o in mentions}
    bare = clause.strip(" .:;")
    listed = len(distinct) > 1 and only_names(bare, options.mentions(bare)) or \
        any(_LIST_NEXT.match(clause, b) or _IN_LIST.search(clause[max(0, a - 24):a]) and
            re.match(r",|\s+(?:and|or)\b|\W*$", clause[b:]) for a, b, _ in mentions[:1]) or \
        len(mentions) > 1 and mentions[1][2] != mentions[0][2] and \
        bool(_PAIRED.fullmatch(clause[mentions[0][1]:mentions[1][0]]))
    first_cue = cues[0][0] if cues else len(clause)
    leads = bool(mentions) and (mentions[0][0] < 3 or mentions[0][0] < first_cue and all(
        a > first_cue for a, _, o in mentions if o != mentions[0][2]))  # "X matches Y, and its …"
    kept = it or (subject if mentions and _OBJECT_NEAR.search(clause[:mentions[0][0]]) else None)
    return subject if not mentions else kept if kept else None if listed else \
        mentions[0][2] if len(distinct) == 1 or leads else None


def _pronoun(clause: str, mentions: list, subject: str | None) -> bool:
    """Whether the clause's subject is a pronoun for the carried subject: it opens the clause
    ("Its gRPC support …") or comes before any option named in it ("… it trailed Triton")."""
    return bool(subject) and bool(_IT.match(clause) or mentions and
                                  _IT_INSIDE.search(clause[:mentions[0][0]]))


def prose_parts(text: str, options: Options, subject: str | None) -> list:
    """[start, end, stance, subject, negated] per clause that has a stance or is about one
    option; `negated` when the clause denies something of its subject ("X does not run").
    `subject` is the option the headings are about; a sentence with its own noun subject
    ("The workload …") falls back to it instead of the option carried from before."""
    parts, home = [], subject  # the heading's option, if any
    spans = clause_spans(text)
    for n, (a, b) in enumerate(spans):
        if is_instruction(text[a:b]):
            continue
        found = options.mentions(text[a:b])
        if not found and ((_NEW_SUBJECT.match(text[a:b]) or _NOUN_SUBJECT.match(text[a:b]))
                          and _SENTENCE_START.search(text[:a]) or
                          _INDEFINITE.match(text[max(0, a - 3):b].lstrip(", "))):
            subject = home  # "… W&B was the SaaS offering. The workload was …": not W&B's
        about = {o for _, _, o in found}
        stance, carried = clause_stance(text[a:b], options, subject,
                                        text[:a].rstrip().endswith(":"))
        if "either" in stance and n + 1 < len(spans) and _CONTRAST.match(text[b:spans[n + 1][0]]):
            stance = {k: v for k, v in stance.items() if k != "either"}  # "It depends, but …"
        objects = found and _OBJECT_NEAR.search(text[a:a + found[0][0]])  # "… faster than ORT"
        own = subject if _pronoun(text[a:b], found, subject) or subject and objects else \
            about.pop() if len(about) == 1 else (subject if not about else None)
        if stance or own:
            parts.append([a, b, stance, own, _denies(text[a:b], options, own)])
            if n and own and parts[-1][4] and _ELIDED.match(text[a:b][found[-1][1]:] if found
                                                            else text[a:b]):
                parts[-1][0] = spans[n - 1][0]  # "X did not": what the clause before said,
                # which the options it names did ("A and B reproduced runs exactly")
                parts += [[spans[n - 1][0], spans[n - 1][1], {}, o, False] for o in dict.fromkeys(
                    o for _, _, o in options.mentions(text[spans[n - 1][0]:spans[n - 1][1]]))
                    if o != own and [spans[n - 1][0], o] not in [[q[0], q[3]] for q in parts]]
        subject = carried
    return _conceded(text, sorted(parts, key=lambda part: part[:2]))


def _conceded(text: str, parts: list) -> list:
    """A clause that a "but" clause right after it answers the other way ("X costs more than
    Y, but it meets the target") is conceded: it takes no side, the "but" clause does. One
    whose "but" clause measures against another option ("X was slower than Y but faster
    than Z") still stands."""
    for part, after in zip(parts, parts[1:]):
        if not part[2] or not after[2] or not _BUT.fullmatch(text[part[1]:after[0]]) or \
                set(after[2]) - set(part[2]) - {"either"}:
            continue
        opposed = any(v * after[2].get(o, 0.0) < 0 for o, v in part[2].items() if o != "either")
        if opposed:
            part[2] = {}
    return parts


def _denies(clause: str, options: Options, subject: str | None) -> bool:
    """Whether the clause denies something of its subject: a negator within two words after
    the subject's mention ("TensorRT does not run", "PyTorch cannot") or after a pronoun
    standing for it ("It cannot …"), or a prohibition before it ("Do not use X for …")."""
    verb = IMPERATIVE.match(clause.strip())
    if verb and (verb.group("no") or verb.group("avoid")):
        return True
    pronoun = _PRONOUN.match(clause)  # "It is also not a good choice if …": the carried subject
    if pronoun and subject and not options.mentions(clause[:pronoun.end()]) and \
            _DENIAL.match(clause[pronoun.end():]):
        return True
    for _, end, option in options.mentions(clause):
        if option == subject and _DENIAL.match(clause[end:]):
            return True
    return False
