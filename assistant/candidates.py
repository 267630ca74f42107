"""Candidates: which options a choice question is between.

The options the question names (two or more); else the options compared in the documents of
the best evidence (those whose title names the kind of option asked for, "which engine",
first, and those with as many options as the question counts, "which of these three?");
else the named option and what it is compared with anywhere. A named option that is only
context ("we exported our PyTorch model; which engine?"; "debugging a pytorch CNN … which
tool?" when the tools' document writes of PyTorch) is no candidate, and the question
narrows the rest ("it's between af and prefect", "what instead of X?").
Not handled: an option the question names only by a description ("the Google one").
"""
from __future__ import annotations

import re

from .data import load as load_data
from .lexical import content_terms, stem
from .question import ask_sentence, is_status
from .retrieve import sentences

EVIDENCE_USED = 8
_CLASSES = frozenset(stem(w) for w in load_data("lexicon")["option_classes"])  # "engine"
_BETWEEN = re.compile(r"\bbetween\W+(?:the\W+)?$", re.I)  # "between (the) X and Y"
_JOINED = re.compile(r"[\s,/&()\"'`*]*(?:and|or|&|vs\.?|versus)?[\s,/&()\"'`*]*",
                     re.I)  # "a, b or c", "`x` vs `y`"; not "… off x - y or z?"
_VERBS = "|".join(re.escape(v) for v in [*load_data("polarity")["imperative"]["verbs"], "go"])
_ALTERNATIVE = re.compile(r"\W*(?:or|vs\.?|versus)\W*(?:(?:just|simply|maybe|rather)\s+)?"
                          r"(?:(?:" + _VERBS + r")\s+)?", re.I)  # "trt or ov?", "X or go Y?"
_EXCEPT = re.compile(r"\b(?:instead of|other than|besides|apart from|except|alternatives? to|"
                     r"away from|(?:move|moving|migrate|migrating|get|getting|want|wants|go|"
                     r"going) off)\W+(?:the\W+|our\W+)?$", re.I)
_INSTEAD = re.compile(r"\b(?:what|which)\b[^.?!]{0,40}\b(?:instead|else)\b|"
                      r"\b(?:what|which)\b[^.?!]{0,40}\b(?:migrate|move|switch|port)\s+(?:over\s+)?"
                      r"to\W*$|\balternatives?\W*$", re.I)  # "… which should we migrate to?"
_ASKING = re.compile(r"\b(?:which|what|best|better|right|good|recommended)\s+((?:\w+\s+){0,3}"
                     r"\w+)", re.I)  # "which of the 3 engines"
_USED = re.compile(r"\b(?:in|with|w/|using|our|a|an|legacy|are|half|mostly)\s+$",
                   re.I)  # "a pytorch CNN", "models are tensorflow", "half tf half pytorch"
_USED_AS = re.compile(r"^\s*(?:shop|models?|ones|scripts|code|codebase|stack|folks|team|"
                      r"cnn|classifier|checkpoints?)\b", re.I)  # "pytorch models"
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "2": 2, "3": 3, "4": 4, "5": 5}
_COUNT = re.compile(r"\b(?:these|those|the|all|of)\s+(two|three|four|five|[2-5])\b"
                    r"(?=\s*(?:[?.!,:;)]|$|(?:options?|ones|choices|candidates|" +
                    "|".join(load_data("lexicon")["option_classes"]) + r")\b))", re.I)


def _by_class(question: str, evidence: list, groups: list[tuple[str, list]],
              kinds: list[str] = (), further: list[tuple[str, list]] = ()) -> list:
    """The compared groups, those whose document's title names the kind of option the
    question asks for ("which engine" -> "… Inference Engine Notes"; the kinds the documents'
    titles name count too: "which env manager") first, and before that those with as many
    options as the question counts ("which of these three?"); a kind named elsewhere
    ("without moving to a new framework") is not asked for. A `further` group (of less
    relevant evidence) joins only when its title names the kind asked for."""
    asked = _asked_kinds(question, kinds)
    titles = {e.meta.get("source"): e.meta.get("title", "") for e in evidence}
    count = _COUNT.search(question)  # "which of these three", "of the 2 engines"
    if count:
        size = _NUMBERS.get(count.group(1).lower(), 0)
        groups = [g for g in groups if len(g[1]) == size] + \
            [g for g in groups if len(g[1]) != size]
    if not asked:
        return groups
    hit = [g for g in [*groups, *further] if asked & _stems(titles.get(g[0], ""))]
    return hit + [g for g in groups if g not in hit]


def _asked_kinds(text: str, kinds) -> set[str]:
    """Stems of the kinds of option `text` asks for ("which tracing tool" -> {"tool"}): the
    general kind words and the kinds the documents' titles name."""
    return {stem(w) for m in _ASKING.finditer(text) for w in m.group(1).split()} & (
        _CLASSES | {stem(k) for k in kinds or [] if len(k) >= 3})


def _stems(title: str) -> set[str]:
    return {stem(w) for w in re.findall(r"[a-z]+", title.lower())}


def candidates(named: list[str], evidence: list, options, question: str = "") -> list[str]:
    """The options the choice is between: those the question names (two or more); else the
    options the best evidence's document compares, with the named one first when it is among
    them (a named option outside them is context: "we exported our PyTorch model; which
    engine?", and so is one named only outside an asking sentence that another document's
    options answer best, see _asked_group); else the named option and what it is compared
    with anywhere. Then narrowed by the question (see _narrowed)."""
    return _narrowed(question, _pool(named, evidence, options, question), options)


def _narrowed(question: str, pool: list[str], options) -> list[str]:
    """"it's between af and prefect" is a choice between those two, and so are "trt or ov?"
    and "a, b or c?" in the asking sentence when more are named (see _alternatives); an
    option after "instead of", "other than", "move off" …, or every named one before "what
    instead?" / "alternatives?" / "which should we migrate to?", is not a candidate; unless
    fewer than two would be left."""
    spans = options.spans(question) if question else []
    for (a, b, x), (c, _, y) in zip(spans, spans[1:]):
        if x != y and {x, y} <= set(pool) and _BETWEEN.search(question[max(0, a - 12):a]) \
                and _JOINED.fullmatch(question[b:c]):
            return [x, y]
    listed = _alternatives(question, spans) if len(pool) > 2 else None
    if listed and set(listed) < set(pool):
        return listed
    out = [o for o in pool if not any(z == o and _EXCEPT.search(question[max(0, s - 25):s])
                                      for s, _, z in spans)]
    if _INSTEAD.search(question):
        out = [o for o in out if o not in {z for _, _, z in spans}]
    return out if len(out) >= 2 else pool


def _alternatives(question: str, spans: list) -> list[str] | None:
    """The options the asking sentence sets against each other, as one list with an "or" or
    "vs" in it ("trt or ov?", "torchrec, nvidia merlin or lightfm?"); None when it sets
    none."""
    asking = question.rfind(ask_sentence(question))
    runs, run, alternative = [], [], False
    for (a, b, x), (c, _, y) in zip(spans, spans[1:]):
        joined = question[b:c]
        if a >= asking and x != y and (_ALTERNATIVE.fullmatch(joined) or
                                       _JOINED.fullmatch(joined)):
            run = run or [x]
            run.append(y)
            alternative = alternative or bool(_ALTERNATIVE.fullmatch(joined))
            continue
        if alternative:
            runs.append(run)
        run, alternative = [], False
    if alternative:
        runs.append(run)
    listed = [list(dict.fromkeys(r)) for r in runs]
    return max(listed, key=len) if listed and len(max(listed, key=len)) >= 2 else None


def _pool(named: list[str], evidence: list, options, question: str) -> list[str]:
    """The candidates before the question narrows them (see candidates)."""
    layered = _layered(named, question, evidence, options)
    if layered:
        return layered
    if len(named) >= 2:
        return _kind_group(named, evidence, options, question) or named
    asked = _asked_group(named, evidence, options, question)
    if asked:
        return asked
    docs = list(dict.fromkeys(e.meta.get("source") for e in evidence[:5]))
    further = [d for d in dict.fromkeys(e.meta.get("source") for e in evidence[:EVIDENCE_USED])
               if d not in docs] if named else []  # "we're pytorch … which registry?"
    groups = _by_class(question, evidence, _groups(docs, options),
                       getattr(options, "kinds", None) or [], _groups(further, options))
    compared = [g for _, g in groups]
    group = next((list(g) for g in compared if g), [])
    if named and named[0] in group:
        return list(dict.fromkeys(named + group))
    if group and (not named or groups[0][0] in options.compared):
        return group
    if named:
        return list(dict.fromkeys(named + options.peers(named[0])))
    return list(options.display)[:2]


def _groups(docs: list[str], options) -> list[tuple[str, list]]:
    """(document, the options it compares) for the documents that compare some."""
    return [(d, options.compared[d]) for d in docs if options.compared.get(d)]


def _layered(named: list[str], question: str, evidence: list, options) -> list[str] | None:
    """The options of another document that work on top of the options named, when those are
    only what the user already has ("debugging a pytorch CNN … which tool?", "our legacy
    models are tensorflow, new ones pytorch … which server?"): none in the asking sentence,
    each used as the user's stack, and one written in that document's evidence (the tools
    are "for PyTorch models"). None otherwise."""
    if not named or not question:
        return None
    at = question.rfind(ask_sentence(question))
    spans = [(a, b) for a, b, o in options.spans(question) if o in named]
    if not spans or any(a >= at for a, _ in spans) or not all(
            _USED.search(question[max(0, a - 12):a]) or _USED_AS.match(question[b:]) or
            is_status((sentences(question[:b]) or [""])[-1]) for a, b in spans):
        return None
    writing = [e.meta.get("source") for e in evidence[:EVIDENCE_USED]  # passages naming them
               if any(o in named for _, _, o in options.mentions(e.passage.text))]
    for source in dict.fromkeys(writing):
        group = options.compared.get(source) or []
        if len(group) >= 2 and not set(named) & set(group):
            return list(group)
    return None


def kind_sources(question: str, titles: dict[str, str], options) -> list[str]:
    """The documents comparing options, in the order of `titles` (source -> title), whose
    title names the kind of option the asking sentence asks for ("which tracing tool should
    we pair with it?" -> "LLM Observability Tools"); empty when it asks for no kind."""
    asked = _asked_kinds(ask_sentence(question), getattr(options, "kinds", None))
    return [s for s, title in titles.items()
            if asked and s in options.compared and asked & _stems(title)]


def _kind_group(named: list[str], evidence: list, options, question: str) -> list[str] | None:
    """The options of the document whose title names the kind the asking sentence asks for,
    when that sentence names no option and the options named before it are of another kind
    ("we train in pytorch … the article says tf is the clear choice for browser. so which
    runtime do we go with?" -> the browser runtimes). None when a document comparing the
    named options names that kind too."""
    ask = ask_sentence(question)
    at = question.rfind(ask) if ask else -1
    if at < 0 or any(a >= at for a, _, _ in options.spans(question)):
        return None
    hits = kind_sources(question, {e.meta.get("source"): e.meta.get("title", "")
                                   for e in evidence[:EVIDENCE_USED]}, options)
    if not hits or any(set(named) & set(options.compared[s]) for s in hits):
        return None
    return list(options.compared[hits[0]])


def _asked_group(named: list[str], evidence: list, options, question: str) -> list[str] | None:
    """The options compared in the document that best answers the asking sentence, when the
    one option named sits in a sentence before it and that document does not compare it ("we
    went pytorch since small teams ship faster. same logic for the vector store?"): the named
    option is context there. None when the asking sentence or one after it names it ("which
    one starts fastest? zenml felt sluggish"), or it says too little to search by ("is that
    worth it?"), or is the whole question."""
    parts = sentences(question)
    ask = ask_sentence(question)
    if len(named) != 1 or len(parts) < 2 or ask not in parts or len(content_terms(ask)) < 3 \
            or any(o == named[0] and a >= question.rfind(ask)  # set up before it: context;
                   for a, _, o in options.spans(question)):  # after it ("X felt slow"): not
        return None
    at = parts.index(ask)
    scored = [e for e in evidence[:EVIDENCE_USED] if len(e.passage.sentence_cosines) == len(parts)]
    if not scored:
        return None
    best = max(scored, key=lambda e: e.passage.sentence_cosines[at])
    group = options.compared.get(best.meta.get("source")) or []
    return list(group) if len(group) >= 2 and named[0] not in group else None
