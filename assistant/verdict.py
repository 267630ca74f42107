"""Verdict: the evidence's stance, weighted by relevance, turned into a calibrated choice.

Candidates are the options the question names (two or more), else the named one and the
options compared with it, else the options compared in the documents of the best evidence
(those whose title names the kind of option asked for, "which engine", first).
Each passage's stance was computed at indexing (stance.py); here every part of it is weighted
by how many of the question's rare terms it holds (the clause about what was asked counts
most), every passage by its relevance and its document's trust; a title-and-byline passage
has no say. A term of the question found in one candidate's table cell and no other's ("FP8")
counts for that candidate. A fitted logistic model (data/calibration.json) turns the leading
option's margin over the runner-up, that margin as a share, the evidence for "either" and the
question's own doubt into the probability that the leading option is right. With three or
more candidates the evidence is weighed again between the two leaders alone, so that a row's
win over the last option does not make the runner-up a contender. The leader is the verdict
only when that probability clears the precision threshold, else the answer is "either" (the
documents don't settle it), with the leader as a lean when it is still more likely right
than not. Sources that favour opposite options with real weight are reported as a
disagreement.
Not handled: weighing a user's own constraints against each other ("cheap but fast").
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field

from .data import load as load_data
from .lexical import stem, term_set
from .stance import CELL_DENIAL, among, measures, parse

EVIDENCE_USED = 8
_CLASSES = None  # stems of option-kind nouns ("engine", "framework"), set below
_BETWEEN = re.compile(r"\bbetween\W+$", re.I)
_JOINED = re.compile(r"\W*(?:and|or|&|vs\.?|versus)?\W*", re.I)
_EXCEPT = re.compile(r"\b(?:instead of|other than|besides|apart from|except|alternatives? to|"
                     r"away from|(?:move|moving|migrate|migrating|get) off)\W+(?:the\W+|our\W+)?$",
                     re.I)
_INSTEAD = re.compile(r"\b(?:what|which)\b[^.?!]{0,40}\b(?:instead|else)\b|"
                      r"\balternatives?\W*$", re.I)
_ASKING = re.compile(r"\b(?:which|what|best|better|right|good|recommended)\s+((?:\w+\s+){0,3}"
                     r"\w+)", re.I)  # "which of the 3 engines"
FEATURE_BONUS = 3.0  # having the asked feature outweighs a qualifier such as "(experimental)"
CAPABILITY = 2.0    # a clause about one option that holds what was asked credits that option
HEADING_SHARE = 0.5
MIN_RELEVANCE = 0.05  # evidence less likely than this to answer the question gets no vote
OFF_TOPIC = 0.3       # weight of evidence from a document that compares other options
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
    question asks for ("which engine" -> "… Inference Engine Notes") first; a kind named
    elsewhere ("without moving to a new framework") is not asked for."""
    asked = {stem(w) for m in _ASKING.finditer(question) for w in m.group(1).split()} & _CLASSES
    titles = {e.meta.get("source"): e.meta.get("title", "") for e in evidence}
    if not asked:
        return groups
    hit = [g for g in groups if asked & {stem(w) for w in re.findall(r"[a-z]+", titles.get(
        g[0], "").lower())}]
    return hit + [g for g in groups if g not in hit]


def candidates(named: list[str], evidence: list, options, question: str = "") -> list[str]:
    """The options the choice is between: those the question names (two or more); else the
    options the best evidence's document compares, with the named one first when it is among
    them (a named option outside them is context: "we exported our PyTorch model; which
    engine?"); else the named option and what it is compared with anywhere. Then narrowed
    by the question (see _narrowed)."""
    return _narrowed(question, _pool(named, evidence, options, question), options)


def _narrowed(question: str, pool: list[str], options) -> list[str]:
    """"it's between af and prefect" is a choice between those two; an option after "instead
    of", "other than", "move off" …, or every named one before "what instead?" /
    "alternatives?", is not a candidate; unless fewer than two would be left."""
    spans = options.spans(question) if question else []
    for (a, b, x), (c, _, y) in zip(spans, spans[1:]):
        if x != y and {x, y} <= set(pool) and _BETWEEN.search(question[max(0, a - 12):a]) \
                and _JOINED.fullmatch(question[b:c]):
            return [x, y]
    out = [o for o in pool if not any(z == o and _EXCEPT.search(question[max(0, s - 25):s])
                                      for s, _, z in spans)]
    if _INSTEAD.search(question):
        out = [o for o in out if o not in {z for _, _, z in spans}]
    return out if len(out) >= 2 else pool


def _pool(named: list[str], evidence: list, options, question: str) -> list[str]:
    """The candidates before the question narrows them (see candidates)."""
    if len(named) >= 2:
        return named
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


def _part_hits(parts: list, text: str, weighted: dict[str, float]) -> list[float]:
    """Share of the question's rare-term weight each part holds."""
    total = sum(weighted.values()) or 1.0
    hits = []
    for a, b, *_ in parts:
        found = term_set(text[a:b] if b != -1 else text)
        hits.append(sum(w for t, w in weighted.items() if t in found) / total)
    return hits


def feature_terms(cell: str, options) -> frozenset:
    """Terms of a cell that name a feature, not a product: tokens that are an option's own
    names ("TF-Agents", "TorchVision") or dotted identifiers ("tf.keras.applications") say
    what a user already uses, not what they need; bare numbers ("~30%") are quantities, not
    features."""
    kept = [t for t in re.split(r"[\s,;()]+", cell)
            if t and "." not in t.strip(".") and not re.fullmatch(r"\W*[\d.,]+\W*", t)
            and not (options and options.mentions(t))]
    return term_set(" ".join(kept))


def _denied(cell: str, found: set) -> bool:
    """Whether the part of a cell that holds the found terms denies them ("Not supported
    (WSL only)"); a denial in another part ("None; loads checkpoints directly") does not."""
    parts = [p for p in re.split(r"[;,]", cell) if term_set(p) & found]
    return any(CELL_DENIAL.search(p) for p in parts or [cell])


def feature_presence(meta: dict, weighted: dict[str, float], pool: list[str],
                     names: frozenset = frozenset(), options=None,
                     unwanted: frozenset = frozenset()) -> dict:
    """A question term found in some candidates' cells of a table row but not all favours
    them, shared among them (terms that only name an option's own products do not, see
    feature_terms); it counts against them when the question does not want it ("zero GPUs")
    or the part of the cell holding it denies it ("Not supported (… via WSL)")."""
    columns = json.loads(meta.get("option_columns") or "{}")
    if not columns:
        return {}
    cells = json.loads(meta["row_cells"])
    label_terms = term_set(cells[0]) | term_set(" ".join(json.loads(meta["table_header"])))
    having, present = {}, 0
    for i, option in columns.items():
        if option in pool and int(i) < len(cells):
            present += 1
            found = (feature_terms(cells[int(i)], options) - label_terms - names) & set(weighted)
            if found:
                term = max(found, key=weighted.get)
                sign = (-1 if found & unwanted else 1) * \
                    (-1 if _denied(cells[int(i)], found) else 1)
                having[option] = sign * weighted[term]
    if not having or len(having) == present:
        return {}
    total = sum(weighted.values()) or 1.0  # a share: how much of the question it is
    return {option: FEATURE_BONUS * max(-1.0, min(1.0, 3 * weight / total)) / len(having)
            for option, weight in having.items()}


def passage_scores(evidence, weighted: dict[str, float], pool: list[str],
                   names: frozenset = frozenset(), options=None,
                   unwanted: frozenset = frozenset()) -> dict[str, float]:
    """Stance of one evidence passage toward the candidates, focused on the question."""
    meta, text = evidence.meta, evidence.passage.text
    parts = parse(meta.get("stance", ""))
    hits = _part_hits(parts, text, weighted)
    top = max(hits, default=0.0)
    scores: dict[str, float] = {}
    heading = parse(meta.get("heading_stance", ""))
    for (a, b, stance, subject, *negated), hit in zip(parts, hits):
        w = (0.05 + hit) / (0.05 + top)  # the clause about what was asked counts most
        for option, value in stance.items():
            if option in pool or option == "either":
                scores[option] = scores.get(option, 0.0) + w * value
        if subject in pool and hit >= 0.15 and not measures(text[a:b]):
            # "X does not run on CPUs" holds the terms too; "X took 95 s" is a measurement
            sign = -1 if negated and negated[0] or stance.get(subject, 0.0) < 0 or \
                heading.get(subject, 0.0) < 0 else 1  # under "Known limitations > X"
            scores[subject] = scores.get(subject, 0.0) + sign * CAPABILITY * hit
    for option, value in heading.items():
        if option in pool:
            scores[option] = scores.get(option, 0.0) + HEADING_SHARE * value
    for option, value in [*feature_presence(meta, weighted, pool, names, options,
                                            unwanted).items(), *among(meta, pool).items()]:
        scores[option] = scores.get(option, 0.0) + value
    return scores


def on_topic(evidence, pool: list[str], options) -> float:
    """1.0 for a passage from a document that compares the candidates (or compares nothing);
    OFF_TOPIC for one from a document comparing other options ("JAX vs PyTorch" evidence for
    a PyTorch-or-TensorFlow question speaks about PyTorch against JAX)."""
    compared = options.compared.get(evidence.meta.get("source", ""))
    return 1.0 if not compared or set(pool[:2]) <= set(compared) else OFF_TOPIC


def option_terms(options) -> frozenset:
    """Terms of the options' names and aliases."""
    return frozenset(t for name in list(options.display) + list(options.aliases)
                     for t in term_set(name))


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

    def weigh(among: list[str]) -> tuple[list, tuple]:
        items = [(ev.score, _signed(passage_scores(ev, weighted, among, names, options, unwanted),
                                    sign),
                  float(ev.meta.get("trust", 1.0)) * ev.role * on_topic(ev, pool, options))
                 for ev in used]
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
        for option, value in _signed(scores, sign).items():
            source[option] = source.get(option, 0.0) + weight * value
    contributions = [(rank, {k: round(v * w, 3) for k, v in scores.items()})
                     for rank, (_, scores, _), w in zip(ranks, items, weights)]
    verdict, probability = choose(pair[0], head, doubt=doubt, best=pair[2], split=split)
    leader = max(pool, key=lambda o: total.get(o, 0.0))
    lean = leader if verdict == "either" and probability <= 1 - LEAN and \
        total.get(leader, 0.0) > 0 else None
    return Decision(verdict, probability, pool, {k: round(v, 3) for k, v in total.items()},
                    by_source, contributions, lean, inverted)


def _signed(scores: dict[str, float], sign: float) -> dict[str, float]:
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
