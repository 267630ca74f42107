"""Fit data/calibration.json on labelled question sets (never on a held-out set).

    python -m assistant.tools.calibrate SET.jsonl ... [--confidence SET.jsonl] [--check SET]

Fits, in order: the question-kind model (choice vs fact, logistic), the answerability model
(logistic; threshold chosen for balanced accuracy with false abstention kept low), the
verdict model (temperature, feature weights, and the threshold that gives the most verdicts
within a wrong-side budget), the confidence maps (per response kind, logistic on the logits
of the main probability and of answerability and the question's length), and a final
isotonic map of that confidence onto observed accuracy, fitted on the --confidence sets
(default: all fitted sets; a --confidence set that is not fitted on, given with its corpus,
serves this map only), so `confidence` is a calibrated probability.
`--check SET` refits without SET and prints SET's figures under that fit (an out-of-sample
estimate); nothing is written then. `--isotonic-only SET ...` refits that last map alone,
`--confidence-only SET ...` the confidence maps and that last map.
"""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np

from ..answerability import FEATURES as A_FEATURES
from ..data import HERE
from ..question import FEATURES as K_FEATURES


WRONG_SIDE_BUDGET = 0.02  # share of choice questions that may name the other option
FALSE_ABSTENTION_BUDGET = 0.02  # share of the fitted answerable questions that may be refused


def logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 400,
             intercept: bool = True) -> np.ndarray:
    """Weights (bias last, 0 without `intercept`) of an L2-regularised logistic regression
    (Newton's method)."""
    x = np.hstack([x, np.ones((len(x), 1)) if intercept else np.zeros((len(x), 1))])
    w = np.zeros(x.shape[1])
    reg = np.eye(x.shape[1]) * l2
    reg[-1, -1] = 1e-6
    for _ in range(steps):
        p = 1 / (1 + np.exp(-x @ w))
        grad = x.T @ (p - y) + reg @ w
        hess = x.T @ (x * (p * (1 - p))[:, None]) + reg
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def collect_relevance(sets: list) -> tuple[np.ndarray, np.ndarray]:
    """Relevance features of every retrieved passage, labelled by the items' evidence."""
    from .. import evidence
    from .evaluation import load_eval_set, source_span
    from .metrics import contains_any

    x, y = [], []
    for advisor, path in sets:
        for item in load_eval_set(path):
            if item["abstain"] or not item["evidence"]:
                continue
            work = advisor.workings(item["question"], history=item["history"])
            feats = evidence.features(work.query, work.passages, advisor.index.lexical,
                                      work.parts, work.roles, work.asked.named, advisor.options)
            for (f, _, _), p in zip(feats, work.passages):
                shown = p.text + "\n" + source_span(advisor.config, p.meta)
                x.append([f[k] for k in evidence.FEATURES])
                y.append(any(contains_any(shown, e) for e in item["evidence"]))
    return np.array(x), np.array(y, dtype=float)


def fit_relevance(x: np.ndarray, y: np.ndarray) -> dict:
    from ..evidence import FEATURES

    w = logistic(x, y, l2=1.0)
    return {"bias": round(float(w[-1]), 4),
            "weights": {f: round(float(v), 4) for f, v in zip(FEATURES, w[:-1])}}


def collect(sets: list) -> list[dict]:
    from .. import criteria, evidence, verdict, votes
    from ..bounds import stated
    from ..question import ask_sentence, needless_terms, unwanted_terms
    from .evaluation import canonical, load_eval_set

    rows = []
    for advisor, path in sets:
        for item in load_eval_set(path):
            work = advisor.workings(item["question"], history=item["history"])
            d = work.decision
            weighted = evidence.weights(work.query, advisor.index.lexical)
            pool = d.candidates if d else []
            names = votes.option_terms(advisor.options)
            unwanted = unwanted_terms(work.query)
            asked = votes.way(ask_sentence(work.query))
            used = work.ranked[:verdict.EVIDENCE_USED]
            items = verdict.vote_items(used, [ev.score for ev in used], verdict.topicality(used),
                                       pool, pool, advisor.options,
                                       (weighted, names, unwanted, asked,
                                        needless_terms(work.query), stated(work.query)),
                                       -1.0 if d.inverted else 1.0) if d else []
            rows.append({"set": path, "id": item["id"],
                         "label": canonical(item, advisor.options)["verdict"],
                         "choice": work.asked.choice,
                         "abstain": bool(item["abstain"]), "kind": work.asked.features,
                         "signals": work.signals, "named": work.asked.named,
                         "items": items, "candidates": pool, "doubt": work.asked.doubt,
                         "split": float(criteria.conflict(work.criteria)),
                         "disagree": bool(d and d.disagreement)})
    return rows


def fit_kind(rows) -> dict:
    use = [r for r in rows if not r["abstain"]]
    x = np.array([[r["kind"][f] for f in K_FEATURES] for r in use])
    y = np.array([r["label"] is not None for r in use], dtype=float)
    w = logistic(x, y, l2=0.5)
    return {"bias": round(float(w[-1]), 4),
            "weights": {f: round(float(v), 4) for f, v in zip(K_FEATURES, w[:-1])}}


def _p(fit: dict, values: dict, names: list[str]) -> float:
    z = fit["bias"] + sum(fit["weights"][n] * values[n] for n in names)
    return 1 / (1 + math.exp(-z))


def fit_answerable(rows, kind) -> dict:
    for r in rows:  # answerability reads the refitted kind model's probability
        r["signals"] = {**r["signals"], "choice": _p(kind, r["kind"], K_FEATURES)}
    x = np.array([[r["signals"][f] for f in A_FEATURES] for r in rows])
    y = np.array([not r["abstain"] for r in rows], dtype=float)
    w = logistic(x, y, l2=0.3)
    fit = {"bias": round(float(w[-1]), 4),
           "weights": {f: round(float(v), 4) for f, v in zip(A_FEATURES, w[:-1])}}
    probs = [(_p(fit, r["signals"], A_FEATURES), r["abstain"]) for r in rows]
    answerable = sum(not a for _, a in probs) or 1
    allowed = [t / 100 for t in range(20, 80) if sum(p < t / 100 and not a for p, a in probs)
               <= FALSE_ABSTENTION_BUDGET * answerable]  # refusing answerable ones is costly
    best = max(allowed or [0.2], key=lambda t: sum((p >= t) != a for p, a in probs))
    fit["threshold"] = round(best, 2)
    return fit


def _verdict(row, fit: dict) -> tuple[str, float]:
    from ..verdict import aggregate, choose

    total, _, best = aggregate(row["items"], row["candidates"], fit["temperature"])
    return choose(total, row["candidates"], fit, row["doubt"], best, row["split"])


def fit_verdict(rows) -> dict:
    """Per evidence temperature: a logistic model of P(leading option is right), through the
    origin; then the lowest threshold (most verdicts) whose wrong-side answers stay within
    WRONG_SIDE_BUDGET of the choice questions, the best accuracy among temperatures."""
    from ..verdict import CHOICE_FEATURES, aggregate, choice_features

    use = [r for r in rows if r["label"] and not r["abstain"] and len(r["candidates"]) >= 2]
    best = None
    for temperature in (0.5, 1.0, 2.0, 4.0):
        x, y = [], []
        for r in use:
            total, _, strongest = aggregate(r["items"], r["candidates"], temperature)
            leader, values = choice_features(total, r["candidates"], r["doubt"], strongest,
                                             r["split"])
            x.append([values[k] for k in CHOICE_FEATURES])
            y.append(leader == r["label"])
        # no intercept: with no evidence either way the leader is a coin toss (p = 0.5)
        w = logistic(np.array(x), np.array(y, dtype=float), l2=0.5, intercept=False)
        fit = {"temperature": temperature, "bias": 0.0,
               "weights": {k: round(float(v), 4) for k, v in zip(CHOICE_FEATURES, w[:-1])}}
        for threshold in np.arange(0.55, 0.86, 0.025):  # above a coin toss
            fit_t = {**fit, "threshold": round(float(threshold), 3)}
            right = wrong = 0
            for r in use:
                verdict, _ = _verdict(r, fit_t)
                right += verdict == r["label"]
                wrong += verdict not in ("either", r["label"]) and r["label"] != "either"
            if wrong <= WRONG_SIDE_BUDGET * len(use):
                if best is None or right > best[0]:
                    best = (right, fit_t)
                break
    return best[1] if best else {**fit, "threshold": 0.85}


def fit_confidence(sets: list) -> dict:
    """Per response kind, a logistic map from the logits of its probability and of
    answerability, the question's length and its setting (advisor.setting) to P(right),
    fitted on what the advisor actually answers."""
    from ..advisor import classify, setting
    from ..data import load as load_data
    from .evaluation import canonical, load_eval_set

    groups: dict[str, list] = {"option": [], "either": [], "fact": [], "abstain": []}
    load_data("calibration")["confidence"] = {k: [1.0, 0.0, 0.0] for k in groups}
    for advisor, path in sets:
        for item in load_eval_set(path):
            work = advisor.workings(item["question"], history=item["history"])
            kind, p_main, verdict, _ = classify(work)
            right = item["abstain"] if kind == "abstain" else \
                (not item["abstain"] and verdict == canonical(item, advisor.options)["verdict"])
            groups[kind].append((p_main, work.p_answerable, work.asked.features["long"],
                                 *setting(work), right))
    out = {}
    for key, data in groups.items():
        if len(data) < 5:
            out[key] = [1.0, 0.0, 0.0]
            continue
        x = np.array([[_logit(p), _logit(q), *rest] for p, q, *rest, _ in data])
        w = logistic(x, np.array([ok for *_, ok in data], dtype=float), l2=0.5)
        out[key] = [round(float(v), 4) for v in w]
    return out


def isotonic(scores: list[float], right: list[bool], bins: int = 10) -> list[list[float]]:
    """Pool-adjacent-violators on (score, right), as [[highest score, P(right)], ...] steps;
    the scores are first grouped into about equal-count bins (equal scores share a bin: the
    map looks a score up by the highest score of each bin)."""
    pairs = sorted(zip(scores, right))
    size = max(1, len(pairs) // bins)
    groups, start = [], 0
    for i in range(1, len(pairs) + 1):
        if i == len(pairs) or i - start >= size and pairs[i][0] != pairs[i - 1][0]:
            groups.append(pairs[start:i])
            start = i
    blocks = [[float(group[-1][0]), float(np.mean([r for _, r in group])), len(group)]
              for group in groups]
    merged: list[list[float]] = []
    for block in blocks:
        merged.append(block)
        while len(merged) > 1 and merged[-2][1] > merged[-1][1]:
            b, a = merged.pop(), merged.pop()
            n = a[2] + b[2]
            merged.append([b[0], (a[1] * a[2] + b[1] * b[2]) / n, n])
    return [[round(x, 4), round(min(0.99, max(0.01, y)), 4)] for x, y, _ in merged]


def fit_isotonic(sets: list) -> list[list[float]]:
    """The last step: map the logistic confidence onto observed accuracy (isotonic)."""
    from .evaluation import canonical, load_eval_set
    from .metrics import Result, is_right

    scores, right = [], []
    for advisor, path in sets:
        for item in load_eval_set(path):
            answer = advisor.ask(item["question"], history=item["history"])
            result = Result(canonical(item, advisor.options), answer.answer, answer.verdict,
                            answer.abstained, [], [], 0, answer.confidence)
            scores.append(answer.confidence)
            right.append(is_right(result))
    return isotonic(scores, right)


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def fit(rows) -> dict:
    kind = fit_kind(rows)
    return {"kind": kind, "answerable": fit_answerable(rows, kind), "verdict": fit_verdict(rows)}


def calibrate(sets: list, confidence: list, check: str | None) -> dict:
    """Every fit, in order, each made with the ones before it in force (in this process).
    `sets` and `confidence` are (advisor, eval set path) pairs."""
    from ..data import load as load_data

    relevance = fit_relevance(*collect_relevance(sets))
    load_data("calibration")["relevance"] = relevance  # the fits below rank with it
    rows = [r for r in collect(sets) if r["set"] != check]
    fits = {"relevance": relevance, **fit(rows)}
    load_data("calibration").update(fits)  # answer with the new fits to map confidence
    fits["confidence"] = fit_confidence(sets)
    load_data("calibration").update({"confidence": fits["confidence"], "isotonic": []})
    fits["isotonic"] = fit_isotonic(confidence)
    load_data("calibration").update({"isotonic": fits["isotonic"]})
    return fits


def advisors_for(specs: list[str]) -> list:
    """(advisor, path) for each "SET.jsonl" (the configured corpus) or "SET.jsonl::CORPUS"
    (that corpus, indexed under <index dir>/<corpus folder name>); one advisor per corpus."""
    from ..advisor import Advisor
    from ..config import Config

    base, made, out = Config.from_env(), {}, []
    for spec in specs:
        path, _, corpus = spec.partition("::")
        if corpus not in made:
            config = base if not corpus else base.with_(
                corpus_dir=Path(corpus), index_dir=Path(base.index_dir) / Path(corpus).name)
            made[corpus] = Advisor(config).warm_up()
        out.append((made[corpus], path))
    return out


def main(argv: list[str] | None = None) -> int:
    """Fit and write data/calibration.json; with --check SET, fit without SET and print SET's
    metrics under that fit instead (an out-of-set estimate), writing nothing. A set may name
    its corpus: eval/dev-team.jsonl::eval/corpora/team."""
    args = list(sys.argv[1:] if argv is None else argv)
    if "--isotonic-only" in args or "--confidence-only" in args:
        return refit_confidence([a for a in args if not a.endswith("-only")],
                                maps="--confidence-only" in args)
    flags = {a: args[i + 1] for i, a in enumerate(args[:-1]) if a.startswith("--")}
    check = flags.get("--check")
    specs = [a for i, a in enumerate(args) if ".jsonl" in a and a != check and
             (i == 0 or not args[i - 1].startswith("--"))]
    confidence = [c for c in flags.get("--confidence", "").split(",") if c and c != check]
    if not specs or any("heldout" in Path(p.partition("::")[0]).name
                        for p in specs + confidence + [check or ""]):
        print("usage: python -m assistant.tools.calibrate SET.jsonl[::CORPUS] ... "
              "[--confidence SET,...] [--check SET] (never a held-out set)", file=sys.stderr)
        return 2
    paths = [p.partition("::")[0] for p in specs]
    extra = [c for c in confidence if c.partition("::")[0] not in paths]  # isotonic map only
    sets = advisors_for(specs + extra + ([check] if check else []))
    train = [(a, p) for a, p in sets if p in paths and p != (check or "").partition("::")[0]]
    chosen = [(a, p) for a, p in sets if any(c.partition("::")[0] == p for c in confidence)]
    fits = calibrate(train, chosen or train, check)
    if check:
        from .evaluation import evaluate, load_eval_set

        advisor, path = sets[-1]
        report = evaluate(advisor.config, load_eval_set(path), ["advisor"], show_progress=False)
        print(json.dumps({k: v for k, v in report["advisor"].items()
                          if not k.startswith("_")}, indent=1))
        return 0
    target = HERE / "calibration.json"
    data = json.loads(target.read_text(encoding="utf-8"))
    data.update(fits)
    data["fitted_on"] = [Path(p.partition("::")[0]).name for p in specs]
    data["isotonic_fitted_on"] = [Path(p).name for _, p in chosen or train]
    target.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {target} (fitted on {len(specs)} sets)")
    return 0


def refit_confidence(specs: list[str], maps: bool = False) -> int:
    """Refit only the last map (confidence onto observed accuracy) on these sets, or with
    `maps` the per-kind confidence maps before it too; every other fit kept, so no verdict or
    refusal changes, only the confidence shown."""
    if not specs or any("heldout" in Path(p.partition("::")[0]).name for p in specs):
        print("usage: python -m assistant.tools.calibrate --isotonic-only|--confidence-only "
              "SET.jsonl[::CORPUS] ... (never a held-out set)", file=sys.stderr)
        return 2
    from ..data import load as load_data

    sets = advisors_for(specs)
    target = HERE / "calibration.json"
    data = json.loads(target.read_text(encoding="utf-8"))
    if maps:
        data["confidence"] = fit_confidence(sets)
        data["confidence_fitted_on"] = [Path(p).name for _, p in sets]
        load_data("calibration")["confidence"] = data["confidence"]
    load_data("calibration")["isotonic"] = []  # map the confidence before any map
    data["isotonic"] = fit_isotonic(sets)
    data["isotonic_fitted_on"] = [Path(p).name for _, p in sets]
    target.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote the {'confidence maps and ' if maps else ''}isotonic map of {target} "
          f"(fitted on {len(specs)} sets)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
