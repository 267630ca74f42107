"""Verdict: the evidence's stance, weighted by relevance, turned into a calibrated choice.

The candidates come from candidates.py. Each passage votes with its stance focused on the question
(votes.py), weighted by its relevance and its document's trust; a title-and-byline passage has
no say. A fitted logistic model (data/calibration.json) turns the leading option's margin over
the runner-up, that margin as a share, the evidence for "either" and the question's own doubt
into the probability that the leading option is right. With three or more candidates the
evidence is weighed again between the two leaders alone, so that a row's win over the last
option does not make the runner-up a contender. The leader is the verdict only when that
probability clears the precision threshold, else the answer is "either" (the documents don't
settle it), with the leader as a lean when it is still more likely right than not. When the
question names an option that is not chosen among (context: "debugging a pytorch CNN … which
tool?"), passages about none of the candidates set no scale for their votes. "Either" from a
passage counts in proportion to how much of the question's rare vocabulary it holds against the
most topical evidence. Sources that favour opposite options with real weight are reported as
a disagreement.
Not handled: weighing a user's own constraints against each other ("cheap but fast").
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from .bounds import stated
from .candidates import EVIDENCE_USED, candidates
from .data import load as load_data
from .evidence import caption_lifted
from .lexical import term_set
from .question import ask_sentence
from .stance import parse
from .votes import on_topic, option_terms, passage_scores, way

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


def decide(named: list[str], evidence: list, options, weighted: dict[str, float],
           doubt: float = 0.0, split: float = 0.0, unwanted: frozenset = frozenset(),
           question: str = "", pool: list[str] | None = None, inverted: bool = False,
           needless: frozenset = frozenset()) -> Decision:
    """`doubt` is 1.0 when the question asks whether the choice matters at all, `split` when
    its criteria favour different options (criteria.py); `pool`: candidates() when the caller
    has them already; `inverted` when it asks for the option that does worst: every stance
    toward an option is then read the other way round (by_source keeps the stance itself)."""
    pool = pool or candidates(named, evidence, options, question)
    ranks = [i for i, ev in enumerate(evidence)  # a title-and-byline passage has no say
             if ev.meta.get("kind") != "doc_info"][:EVIDENCE_USED]
    used = [evidence[i] for i in ranks]
    spans = options.spans(question) if question else []
    names = option_terms(options) | frozenset(  # and the question's own names for them ("tfjs")
        t for a, b, _ in spans for t in term_set(question[a:b]))
    sign = -1.0 if inverted else 1.0
    asked = way(ask_sentence(question)) if question else 0
    figures = stated(question)  # "a 13B model": "at 34B or more, use X" is not for this user

    scores = captioned(used)
    if not set(named) <= set(pool):  # a named option is context: what is not about the
        scores = [s if _about(ev, pool, options) else 0.0  # choice sets no scale for it
                  for ev, s in zip(used, scores)]

    topical = topicality(used)

    def weigh(among: list[str]) -> tuple[list, tuple]:
        items = vote_items(used, scores, topical, among, pool, options,
                           (weighted, names, unwanted, asked, needless, figures), sign)
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


def vote_items(used: list, scores: list[float], topical: list[float], among: list[str],
               pool: list[str], options, asked: tuple, sign: float = 1.0) -> list[tuple]:
    """(relevance, stance scores, trust) per passage, as aggregate() reads them; `asked` is
    (question term weights, option name terms, unwanted terms, way asked, needless terms, the
    question's figures) for passage_scores.
    The calibration tool builds its rows with it too, so a refit sees what the verdict sees."""
    return [(score, either_scaled(signed(passage_scores(ev, asked[0], among, asked[1], options,
                                                        *asked[2:]), sign), t),
             float(ev.meta.get("trust", 1.0)) * ev.role * on_topic(ev, pool, options))
            for ev, score, t in zip(used, scores, topical)]


def topicality(used: list) -> list[float]:
    """Each passage's share of the question's rare vocabulary against the most topical one."""
    top = max((ev.matched for ev in used), default=0.0)
    return [min(1.0, ev.matched / top) if top else 1.0 for ev in used]


def either_scaled(scores: dict, topical: float) -> dict:
    """"Either" from a passage that holds less of the question's rare words than the most
    topical evidence counts in that proportion ("neither is universally faster" is no answer
    to a question about microcontrollers)."""
    return {o: v * topical if o == "either" else v for o, v in scores.items()}


def captioned(used: list) -> list[float]:
    """Each passage's relevance; a table row whose caption ("Images per second on the same
    A100. Higher is better.") is among the evidence is as relevant as its caption: the rows
    are what the caption's relevance is about. A caption that takes a side itself ("Both
    frameworks support AMP:") speaks for itself, and lends nothing."""
    return caption_lifted(used, lambda ev: ev.score, lambda ev: not any(
        part[2] for part in parse(ev.meta.get("stance", ""))))


def _about(ev, pool: list[str], options) -> bool:
    """Whether a passage takes a side on, or names, one of the options chosen among, itself
    or through its headings ("Choose X when > your models are already in Keras format")."""
    return any(o in pool for part in parse(ev.meta.get("stance", ""))
               for o in (*part[2], part[3])) or \
        any(o in pool for o in parse(ev.meta.get("heading_stance", ""))) or \
        any(o in pool for _, _, o in options.mentions(ev.passage.text))


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
