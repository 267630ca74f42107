"""Eval report: a Markdown table per system, a PNG bar chart, the advisor's reliability table
and the items it missed."""
from __future__ import annotations

import time
from pathlib import Path

COLUMNS = ["recall@k", "mrr", "fact_in_answer", "fact_in_text", "grounding", "citation_validity",
           "verdict_accuracy", "wrong_side", "abstention_accuracy", "out_of_scope_refused",
           "false_abstention", "ece",
           "median_cited_chars", "p50_ms", "p95_ms"]
CHART = ["recall@k", "mrr", "fact_in_answer", "grounding", "citation_validity",
         "verdict_accuracy", "abstention_accuracy"]


def _row(metrics: dict) -> dict:
    k = metrics.get("k", 5)
    return {**metrics, "recall@k": metrics.get(f"recall@{k}")}


def markdown_table(systems: dict) -> str:
    head = "| system | k | " + " | ".join(COLUMNS) + " |"
    rule = "|" + " --- |" * (len(COLUMNS) + 2)
    lines = [head, rule]
    for name, metrics in systems.items():
        row = _row(metrics)
        cells = ["" if row.get(c) is None else str(row.get(c)) for c in COLUMNS]
        lines.append(f"| {name} | {metrics.get('k')} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_chart(systems: dict, path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(systems)
    width = 0.8 / max(1, len(names))
    fig, ax = plt.subplots(figsize=(11, 4.5))
    for i, name in enumerate(names):
        row = _row(systems[name])
        values = [row.get(c) or 0 for c in CHART]
        ax.bar([x + i * width for x in range(len(CHART))], values, width, label=name)
    ax.set_xticks([x + width * (len(names) - 1) / 2 for x in range(len(CHART))])
    ax.set_xticklabels(CHART, rotation=20, ha="right")
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("score (higher is better)")
    ax.set_title("Framework Advisor eval: advisor vs baselines")
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def write_report(report: dict, out: Path, eval_set: str) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    public = {s: {k: v for k, v in m.items() if not k.startswith("_")} for s, m in report.items()}
    chart = write_chart(public, out / "report.png")
    lines = [f"# Eval report — {eval_set}", "",
             f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
             f"{next(iter(public.values()))['items']} items; same questions for every system. "
             "recall@k / MRR use each system's own k (starter: its top-2).", "",
             markdown_table(public), "", f"![chart]({chart.name})", ""]
    advisor = report.get("advisor", {}).get("_results")
    if advisor:
        from .metrics import reliability

        lines += ["## Reliability of the advisor's confidence", "",
                  "| confidence bin | answers | mean confidence | share right |",
                  "| --- | --- | --- | --- |"]
        lines += [f"| {r['bin']} | {r['n']} | {r['confidence']} | {r['accuracy']} |"
                  for r in reliability(advisor)] + [""]
    for system, metrics in report.items():
        misses = [r for r in metrics.get("_results", []) if _missed(r)]
        if system != "advisor" or not misses:
            continue
        lines += ["## Items the advisor missed", ""]
        for r in misses:
            lines.append(f"- `{r.item['id']}` {r.item['question']} — expected verdict "
                         f"{r.item['verdict']}, abstain {r.item['abstain']}; got {r.verdict}, "
                         f"abstained {r.abstained}")
    path = out / "report.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, chart


def _missed(result) -> bool:
    from .metrics import contains_any

    item = result.item
    if result.abstained != bool(item["abstain"]):
        return True
    if not item["abstain"] and result.verdict != item["verdict"]:
        return True
    return not all(contains_any(result.answer, f) for f in item["facts"])
