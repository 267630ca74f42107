"""Verdict: the evidence's stance, weighted by relevance, turned into a calibrated choice.

Candidates are the options the question names (two or more), else the named one and the
options compared with it, else the options compared in the documents of the best evidence
(those whose title names the kind of option asked for, "which engine", first).
Each passage votes with its stance focused on the question (votes.py), weighted by its
relevance and its document's trust; a title-and-byline passage has no say. A fitted logistic
model (data/calibration.json) turns the leading option's margin over the runner-up, that
margin as a share, the evidence for "either" and the question's own doubt into the
probability that the leading option is right. With three or
more candidates the evidence is weighed again between the two leaders alone, so that a row's
win over the last option does not make the runner-up a contender. The leader is the verdict
only when that probability clears the precision threshold, else the answer is "either" (the
documents don't settle it), with the leader as a lean when it is still more likely right
than not. Sources that favour opposite options with real weight are reported as a
disagreement.
Not handled: weighing a user's own constraints against each other ("cheap but fast").
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from .data import load as load_data
from .lexical import content_terms, stem
from .question import ask_sentence
from .retrieve import sentences
from .stance import parse
from .votes import on_topic, option_terms, passage_scores, way

EVIDENCE_USED = 8
_CLASSES = None  # stems of option-kind nouns ("engine", "framework"), set below
_BETWEEN = re.compile(r"\bbetween\W+$", re.I)
_JOINED = re.compile(r"\W*(?:and|or|&|vs\.?|versus)?\W*", re.I)
_ALTERNATIVE = re.compile(r"\W*(?:or|vs\.?|versus)\W*", re.I)  # "trt or ov?"
_EXCEPT = re.compile(r"\b(?:instead of|other than|besides|apart from|except|alternatives? to|"
                     r"away from|(?:move|moving|migrate|migrating|get) off)\W+(?:the\W+|our\W+)?$",
                     re.I)
_INSTEAD = re.compile(r"\b(?:what|which)\b[^.?!]{0,40}\b(?:instead|else)\b|"
                      r"\b(?:what|which)\b[^.?!]{0,40}\b(?:migrate|move|switch|port)\s+(?:over\s+)?"
                      r"to\W*$|\balternatives?\W*$", re.I)  # "… which should we migrate to?"
_ASKING = re.compile(r"\b(?:which|what|best|better|right|good|recommended)\s+((?:\w+\s+){0,3}"
                     r"\w+)", re.I)  # "which of the 3 engines"
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "2": 2, "3": 3, "4": 4, "5": 5}
_COUNT = re.compile(r"\b(?:these|those|the|all|of)\s+(two|three|four|five|[2-5])\b"
                    r"(?=\s*(?:[?.!,:;)]|$|(?:options?|ones|choices|candidates|" +
                    "|".join(load_data("lexicon")["option_classes"]) + r")\b))", re.I)
MIN_RELEVANCE = 0.05  # evidence less likely than this to answer the question gets no vote
LEAN = 0.5            # below the threshold, a leader at least this likely right is a lean


@dataclass
class Decision:
    verdict: str | None
    probability: float                     # raw softmax probability of the verdict
    candidates: list[str]
    scores: dict[str, float] = field(default_factory=dict)   # option / "either" -> score
    by_source: dict[str, dict] = field(default_factory=dict)  # source -> option scores
    contributions: list = field(default_factory=list)  # (evidence index, {option: score})
    lean: str | None = None  # "either", yet the leading option is more likely right than not
    inverted: bool = False   # the question asked for the option that does worst

    @property
    def disagreement(self) -> list[str] | None:
        """Two sources whose own evidence favours different options, each with weight."""
        leaders = {}
        for source, scores in self.by_source.items():
            ranked = sorted(((v, o) for o, v in scores.items() if o != "either"), reverse=True)
            if ranked and ranked[0][0] >= 1.0 and (len(ranked) < 2 or
                                                   ranked[0][0] - ranked[1][0] >= 1.0):
                leaders[source] = ranked[0][1]
        return list(leaders) if len(set(leaders.values())) >= 2 else None


def _by_class(question: str, evidence: list, groups: list[tuple[str, list]]) -> list:
    """The compared groups, those whose document's title names the kind of option the
    question asks for ("which engine" -> "… Inference Engine Notes") first, and before that
    those with as many options as the question counts ("which of these three?"); a kind
    named elsewhere ("without moving to a new framework") is not asked for."""
    asked = {stem(w) for m in _ASKING.finditer(question) for w in m.group(1).split()} & _CLASSES
    titles = {e.meta.get("source"): e.meta.get("title", "") for e in evidence}
    count = _COUNT.search(question)  # "which of these three", "of the 2 engines"
    if count:
        size = _NUMBERS.get(count.group(1).lower(), 0)
        groups = [g for g in groups if len(g[1]) == size] + \
            [g for g in groups if len(g[1]) != size]
    if not asked:
        return groups
    hit = [g for g in groups if asked & {stem(w) for w in re.findall(r"[a-z]+", titles.get(
        g[0], "").lower())}]
    return hit + [g for g in groups if g not in hit]


def candidates(named: list[str], evidence: list, options, question: str = "") -> list[str]:
    """The options the choice is between: those the question names (two or more); else the
    options the best evidence's document compares, with the named one first when it is among
    them (a named option outside them is context: "we exported our PyTorch model; which
    engine?", and so is one named only outside an asking sentence that another document's
    options answer best, see _asked_group); else the named option and what it is compared
    with anywhere. Then narrowed by the question (see _narrowed)."""
    return _narrowed(question, _pool(named, evidence, options, question), options)


def _narrowed(question: str, pool: list[str], options) -> list[str]:
    """"it's between af and prefect" is a choice between those two, and so is "trt or ov?"
    in the asking sentence when more are named (see _alternatives); an option after "instead
    of", "other than", "move off" …, or every named one before "what instead?" /
    "alternatives?" / "which should we migrate to?", is not a candidate; unless fewer than two
    would be left."""
    spans = options.spans(question) if question else []
    for (a, b, x), (c, _, y) in zip(spans, spans[1:]):
        if x != y and {x, y} <= set(pool) and _BETWEEN.search(question[max(0, a - 12):a]) \
                and _JOINED.fullmatch(question[b:c]):
            return [x, y]
    pair = _alternatives(question, spans) if len(pool) > 2 else None
    if pair and set(pair) <= set(pool):
        return pair
    out = [o for o in pool if not any(z == o and _EXCEPT.search(question[max(0, s - 25):s])
                                      for s, _, z in spans)]
    if _INSTEAD.search(question):
        out = [o for o in out if o not in {z for _, _, z in spans}]
    return out if len(out) >= 2 else pool


def _alternatives(question: str, spans: list) -> list[str] | None:
    """The two options the asking sentence sets against each other and no third ("trt or
    ov?", not "faiss vs hnswlib vs scann")."""
    asking = question.rfind(ask_sentence(question))
    for i, ((a, b, x), (c, d, y)) in enumerate(zip(spans, spans[1:])):
        if x == y or a < asking or not _ALTERNATIVE.fullmatch(question[b:c]):
            continue
        before = i > 0 and _JOINED.fullmatch(question[spans[i - 1][1]:a])
        after = i + 2 < len(spans) and _JOINED.fullmatch(question[d:spans[i + 2][0]])
        if not before and not after:
            return [x, y]
    return None


def _pool(named: list[str], evidence: list, options, question: str) -> list[str]:
    """The candidates before the question narrows them (see candidates)."""
    if len(named) >= 2:
        return named
    asked = _asked_group(named, evidence, options, question)
    if asked:
        return asked
    docs = list(dict.fromkeys(e.meta.get("source") for e in evidence[:5]))
    groups = _by_class(question, evidence, [(d, options.compared[d]) for d in docs
                                            if options.compared.get(d)])
    compared = [g for _, g in groups]
    group = next((list(g) for g in compared if g), [])
    if named and named[0] in group:
        return list(dict.fromkeys(named + group))
    if group and (not named or groups[0][0] in options.compared):
        return group
    if named:
        return list(dict.fromkeys(named + options.peers(named[0])))
    return list(options.display)[:2]


def _asked_group(named: list[str], evidence: list, options, question: str) -> list[str] | None:
    """The options compared in the document that best answers the asking sentence, when the
    one option named sits in another sentence and that document does not compare it ("we went
    pytorch since small teams ship faster. same logic for the vector store?"): the named option
    is context there. None when the asking sentence names it, or says too little to search by
    ("is that worth it?"), or is the whole question."""
    parts = sentences(question)
    ask = ask_sentence(question)
    if len(named) != 1 or len(parts) < 2 or ask not in parts or len(content_terms(ask)) < 3 \
            or any(o == named[0] for _, _, o in options.spans(ask)):
        return None
    at = parts.index(ask)
    scored = [e for e in evidence[:EVIDENCE_USED] if len(e.passage.sentence_cosines) == len(parts)]
    if not scored:
        return None
    best = max(scored, key=lambda e: e.passage.sentence_cosines[at])
    group = options.compared.get(best.meta.get("source")) or []
    return list(group) if len(group) >= 2 and named[0] not in group else None


def decide(named: list[str], evidence: list, options, weighted: dict[str, float],
           doubt: float = 0.0, split: float = 0.0, unwanted: frozenset = frozenset(),
           question: str = "", pool: list[str] | None = None, inverted: bool = False) -> Decision:
    """`doubt` is 1.0 when the question asks whether the choice matters at all, `split` when
    its criteria favour different options (criteria.py); `pool`: candidates() when the caller
    has them already; `inverted` when it asks for the option that does worst: every stance
    toward an option is then read the other way round (by_source keeps the stance itself)."""
    pool = pool or candidates(named, evidence, options, question)
    ranks = [i for i, ev in enumerate(evidence)  # a title-and-byline passage has no say
             if ev.meta.get("kind") != "doc_info"][:EVIDENCE_USED]
    used = [evidence[i] for i in ranks]
    names = option_terms(options)
    sign = -1.0 if inverted else 1.0
    asked = way(ask_sentence(question)) if question else 0

    scores = captioned(used)

    def weigh(among: list[str]) -> tuple[list, tuple]:
        items = [(score, signed(passage_scores(ev, weighted, among, names, options, unwanted,
                                               asked), sign),
                  float(ev.meta.get("trust", 1.0)) * ev.role * on_topic(ev, pool, options))
                 for ev, score in zip(used, scores)]
        return items, aggregate(items, among, fit.get("temperature", 0.2))

    fit = load_data("calibration")["verdict"]
    items, (total, weights, best) = weigh(pool)
    head = sorted(pool, key=lambda o: -total.get(o, 0.0))[:2]
    # of three or more, the choice is between the two leaders: is the first better than the
    # second? (a row's numbers then count only the win between them, see stance.among)
    pair = weigh(head)[1] if len(pool) > 2 else (total, weights, best)
    by_source: dict[str, dict] = {}
    for ev, (_, scores, _), weight in zip(used, items, weights):
        source = by_source.setdefault(ev.meta.get("source", ""), {})
        for option, value in signed(scores, sign).items():
            source[option] = source.get(option, 0.0) + weight * value
    contributions = [(rank, {k: round(v * w, 3) for k, v in scores.items()})
                     for rank, (_, scores, _), w in zip(ranks, items, weights)]
    verdict, probability = choose(pair[0], head, doubt=doubt, best=pair[2], split=split)
    leader = max(pool, key=lambda o: total.get(o, 0.0))
    lean = leader if verdict == "either" and probability <= 1 - LEAN and \
        total.get(leader, 0.0) > 0 else None
    return Decision(verdict, probability, pool, {k: round(v, 3) for k, v in total.items()},
                    by_source, contributions, lean, inverted)


def captioned(used: list) -> list[float]:
    """Each passage's relevance; a table row whose caption ("Images per second on the same
    A100. Higher is better.") is among the evidence is as relevant as its caption: the rows
    are what the caption's relevance is about. A caption that takes a side itself ("Both
    frameworks support AMP:") speaks for itself, and lends nothing."""
    captions = {" ".join(ev.passage.text.split()): ev.score for ev in used
                if ev.meta.get("kind") != "table_row" and
                not any(part[2] for part in parse(ev.meta.get("stance", "")))}
    return [max(ev.score, captions.get(ev.meta.get("caption") or "\0", 0.0)) for ev in used]


def signed(scores: dict[str, float], sign: float) -> dict[str, float]:
    """Stance toward each option times sign (-1: read the other way round); "either" kept."""
    return {o: v if o == "either" else sign * v for o, v in scores.items()}


def aggregate(items: list, pool: list[str], temperature: float) -> tuple[dict, list, dict]:
    """Sum of (relevance probability, stance scores, trust) items, each weighted by
    (score / best) ** (1 / temperature) * trust * best: the most relevant passages count most
    (the fitted temperature sets how much more), the best passage's own relevance scales every
    vote (weak evidence makes weak totals, however it ranks), and a passage unlikely to answer
    the question (probability under MIN_RELEVANCE) has no vote. Also returns each option's
    strongest single weighted passage (a contest has a strong passage on each side)."""
    top = max((score for score, _, _ in items), default=0.0) or 1.0
    weights = [(score / top) ** (1 / temperature) * trust * top if score >= MIN_RELEVANCE
               else 0.0 for score, _, trust in items]
    total = {o: 0.0 for o in pool}
    total["either"] = 0.0
    best = {o: 0.0 for o in pool}
    for (_, scores, _), weight in zip(items, weights):
        for option, value in scores.items():
            if option in total:
                total[option] += weight * value
            if option in best:
                best[option] = max(best[option], weight * value)
    return total, weights, best


CHOICE_FEATURES = ["margin", "share", "strength", "contest", "either", "doubt", "split"]


def choice_features(total: dict[str, float], pool: list[str], doubt: float,
                    best: dict | None = None, split: float = 0.0) -> tuple[str, dict]:
    """(the leading option, what the decision model reads): the lead over the runner-up,
    that lead as a share of both, the strongest single passage for the runner-up (relevant
    evidence on both sides is a contest), the evidence for "either", whether the question
    asks if the choice matters at all, and whether its criteria favour different options."""
    ranked = sorted(pool, key=lambda o: -total.get(o, 0.0))
    top = total.get(ranked[0], 0.0)
    second = total.get(ranked[1], 0.0) if len(ranked) > 1 else 0.0
    margin = top - second
    return ranked[0], {"margin": margin, "share": margin / (abs(top) + abs(second) + 2.0),
                       "strength": math.log1p(abs(top) + abs(second)),
                       "contest": (best or {}).get(ranked[1], 0.0) if len(ranked) > 1 else 0.0,
                       "either": total.get("either", 0.0), "doubt": doubt, "split": split}


def choose(total: dict[str, float], pool: list[str], fit: dict | None = None,
           doubt: float = 0.0, best: dict | None = None, split: float = 0.0) -> tuple[str, float]:
    """The leading option when the fitted decision model gives it probability >= threshold,
    else "either"; with that probability (of the option, or 1 - it for "either")."""
    fit = fit or load_data("calibration")["verdict"]
    leader, values = choice_features(total, pool, doubt, best, split)
    z = fit["bias"] + sum(fit["weights"].get(k, 0.0) * values[k] for k in CHOICE_FEATURES)
    p = 1 / (1 + math.exp(-z))
    return (leader, p) if p >= fit["threshold"] else ("either", 1 - p)


_CLASSES = frozenset(stem(w) for w in load_data("lexicon")["option_classes"])
