"""How far any verdict threshold could take verdict accuracy over today's evidence.

    python -m assistant.tools.ceiling SET.jsonl [--corpus DIR] [--index-dir DIR]

The decision model (verdict.py) sees the weighted evidence and chooses between its leading
option and "either". This tool runs the advisor on every in-scope item of a labelled set and
counts the items some such choice could have got right: those answered right, and those
answered as a choice whose label is "either" or the leading option. That share bounds what
any refit, new feature or new threshold of the decision model can reach on the set; what
lies beyond it needs the evidence ranked or read differently.
Not handled: items answered as facts or refused count as they were answered, so a better
question-kind or answerability model is not bounded here.
"""
from __future__ import annotations

import argparse
import json
import sys


def leader(decision) -> str | None:
    """The option the weighted evidence favours most (whether or not it became the verdict)."""
    scores = {o: v for o, v in (decision.scores if decision else {}).items() if o != "either"}
    return max(scores, key=scores.get) if scores else None


def within_reach(label, answered, decision) -> bool:
    """Whether some choice between the leading option and "either" answers the item right."""
    if answered == label:
        return True
    if answered is None or decision is None:  # answered as a fact or refused
        return False
    return label == "either" or label == leader(decision)


def ceiling(advisor, items: list[dict]) -> dict:
    """{"items", "right", "within_reach"} over the set's in-scope items."""
    from .evaluation import canonical

    right = reach = total = 0
    for item in items:
        if item.get("abstain"):
            continue
        item = canonical(item, advisor.options)
        work = advisor.workings(item["question"], history=item.get("history") or [])
        answered = advisor.respond(work).verdict
        total += 1
        right += answered == item.get("verdict")
        reach += within_reach(item.get("verdict"), answered, work.decision)
    return {"items": total, "right": right, "within_reach": reach,
            "verdict_accuracy": round(right / total, 3) if total else None,
            "ceiling": round(reach / total, 3) if total else None}


def main(argv: list[str] | None = None) -> int:
    from ..advisor import Advisor
    from ..config import Config
    from ..errors import InputError
    from .evaluation import load_eval_set

    parser = argparse.ArgumentParser(prog="python -m assistant.tools.ceiling",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("eval_set")
    parser.add_argument("--corpus")
    parser.add_argument("--index-dir")
    args = parser.parse_args(argv)
    try:
        config = Config.from_env(corpus_dir=args.corpus, index_dir=args.index_dir)
        print(json.dumps(ceiling(Advisor(config).warm_up(), load_eval_set(args.eval_set))))
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
