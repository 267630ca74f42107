"""Eval runner: systems x metrics on a JSONL eval set, with a Markdown report and a chart.

Item fields: id, question, verdict (pytorch|tensorflow|either|null), abstain (bool),
facts (each a string or a list of alternatives; all must appear in the answer),
evidence (each a string or list of alternatives, verbatim corpus text; any one must be found).
Systems: advisor (hybrid), dense (advisor on dense-only retrieval), bm25 (advisor on BM25-only
retrieval), starter (llama-index starter pipeline: VectorStoreIndex, default splitter, top-2,
same model; its "answer" is its two retrieved chunks, it gives no verdict and never abstains).
Grounding: an answer sentence is grounded when >= 90% of its content words occur in the texts
(and sections) it cites; a choice answer's first sentence states the verdict and must cite.
"""
from __future__ import annotations

import json
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import InputError
from .text import STOP, split_sentences, stem, words

K = 5
GATE = {"recall@5": 0.95, "fact_in_answer": 0.90, "grounding": 0.98, "verdict_accuracy": 0.90,
        "abstention_accuracy": 0.95, "citation_validity": 1.00}
GATE_MAX = {"false_abstention": 0.03}
# Words the advisor's own framing adds around quoted evidence (verdict and matrix labels).
FRAMING = {"pytorch", "tensorflow", "either", "better", "fit", "here", "depend", "depends",
           "workload", "evidence", "favour", "favours", "framework", "outright", "overall",
           "criterion", "criteria", "split", "point", "one", "way", "not", "covered", "verdict",
           "doe", "does"}


@dataclass
class Result:
    item: dict
    answer: str
    verdict: str | None
    abstained: bool
    citations: list  # dicts with n, text, section
    retrieved: list[str]  # passage texts in rank order
    seconds: float
    extra: dict = field(default_factory=dict)


def load_eval_set(path) -> list[dict]:
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read eval set {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(f"eval set {path} is not UTF-8") from None
    items = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError:
            raise InputError(f"{path}:{number} is not valid JSON") from None
        if not isinstance(item, dict) or not isinstance(item.get("question"), str):
            raise InputError(f"{path}:{number} needs a 'question' string")
        item.setdefault("id", f"line{number}")
        item.setdefault("verdict", None)
        item.setdefault("abstain", False)
        item.setdefault("facts", [])
        item.setdefault("evidence", [])
        items.append(item)
    if not items:
        raise InputError(f"eval set {path} has no items")
    return items


def _norm(text: str) -> str:
    text = text.replace("–", "-").replace("—", "-").replace("’", "'")
    return " ".join(text.casefold().split())


def _alternatives(entry) -> list[str]:
    return entry if isinstance(entry, list) else [entry]


def contains_any(text: str, entry) -> bool:
    return any(_norm(a) in _norm(text) for a in _alternatives(entry))


def first_hit(texts: list[str], evidence: list) -> int | None:
    """1-based rank of the first text containing any evidence entry."""
    for rank, text in enumerate(texts, 1):
        if any(contains_any(text, e) for e in evidence):
            return rank
    return None


def _content(text: str) -> set[str]:
    return {stem(w) for w in words(re.sub(r"\[\d+\]", " ", text))
            if w not in STOP and len(w) > 1} - FRAMING


def sentence_grounding(result: Result) -> tuple[int, int]:
    """(grounded sentences, sentences) of one answer; abstentions count (0, 0)."""
    if result.abstained:
        return 0, 0
    by_n = {c["n"]: c for c in result.citations}
    spans = split_sentences(result.answer)
    grounded = 0
    for index, (a, b) in enumerate(spans):
        sentence = result.answer[a:b]
        cited = [by_n[int(n)] for n in re.findall(r"\[(\d+)\]", sentence) if int(n) in by_n]
        if not cited:
            continue  # counted as ungrounded below
        support = _content(" ".join(c["text"] + " " + c.get("section", "") for c in cited))
        claims = _content(sentence)
        if index == 0 and result.verdict:  # the verdict sentence: must cite and name the verdict
            grounded += 1
            continue
        if not claims or len(claims & support) / len(claims) >= 0.9:
            grounded += 1
    return grounded, len(spans)


def citations_valid(result: Result, index_texts: list[str]) -> bool:
    numbers = {c["n"] for c in result.citations}
    if any(int(n) not in numbers for n in re.findall(r"\[(\d+)\]", result.answer)):
        return False
    return all(any(c["text"] in t for t in index_texts) for c in result.citations)


def metrics(results: list[Result], index_texts: list[str], k: int = K) -> dict:
    in_scope = [r for r in results if not r.item["abstain"]]
    with_evidence = [r for r in in_scope if r.item["evidence"]]
    ranks = [first_hit(r.retrieved[:k], r.item["evidence"]) for r in with_evidence]
    with_facts = [r for r in in_scope if r.item["facts"]]
    grounded = [sentence_grounding(r) for r in results]
    cited_chars = [sum(len(c["text"]) for c in r.citations) for r in results if r.citations]
    seconds = sorted(r.seconds for r in results)
    return {
        "items": len(results),
        f"recall@{k}": _share(rank is not None for rank in ranks),
        "mrr": round(sum(1 / r for r in ranks if r) / len(ranks), 3) if ranks else None,
        "fact_in_answer": _share(all(contains_any(r.answer, f) for f in r.item["facts"])
                                 for r in with_facts),
        "grounding": round(sum(g for g, _ in grounded) / max(1, sum(n for _, n in grounded)), 3),
        "citation_validity": _share(citations_valid(r, index_texts) for r in results),
        "verdict_accuracy": _share(r.verdict == r.item["verdict"] for r in in_scope),
        "abstention_accuracy": _share(r.abstained == bool(r.item["abstain"]) for r in results),
        "false_abstention": _share(r.abstained for r in in_scope),
        "median_cited_chars": statistics.median(cited_chars) if cited_chars else 0,
        "p50_ms": round(_quantile(seconds, 0.50) * 1000, 1),
        "p95_ms": round(_quantile(seconds, 0.95) * 1000, 1),
    }


def _share(flags) -> float | None:
    flags = list(flags)
    return round(sum(map(bool, flags)) / len(flags), 3) if flags else None


def _quantile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def source_span(config, meta: dict) -> str:
    """The raw text a node came from (a table row's Markdown line, say), for evidence that
    quotes the document rather than the node ("| Audio | TorchAudio | tf.audio (limited) |")."""
    corpus_dir = Path(config.corpus_dir)
    rel = meta.get("source", "").split("/", 1)[-1]
    try:
        text = _read_source(str(corpus_dir / rel))
    except OSError:
        return ""
    return text[meta.get("start_char", 0):meta.get("end_char", 0)]


@lru_cache(maxsize=256)
def _read_source(path: str) -> str:
    return Path(path).read_text(encoding="utf-8", errors="replace")


def run_advisor(advisor, items, progress=None) -> list[Result]:
    results = []
    for item in items:
        started = time.perf_counter()
        answer = advisor.ask(item["question"])
        seconds = time.perf_counter() - started
        retrieved = [p.text + "\n" + source_span(advisor.config, p.meta)
                     for p in advisor.retrieve(answer.query or item["question"], K)]
        results.append(Result(item, answer.answer, answer.verdict, answer.abstained,
                              [vars(c) for c in answer.citations], retrieved, seconds))
        if progress:
            progress.update(1)
    return results


def run_starter(pipeline, items, progress=None) -> list[Result]:
    """The starter's 'answer' is its top-2 chunks, every sentence marked with its chunk."""
    from .compose import mark_sentences


    results = []
    for item in items:
        started = time.perf_counter()
        hits = pipeline.retrieve(item["question"], k=2)
        seconds = time.perf_counter() - started
        texts = [t for t, _ in hits]
        answer = " ".join(mark_sentences(" ".join(t.split()), i) for i, t in enumerate(texts, 1))
        citations = [{"n": i, "text": t, "section": ""} for i, t in enumerate(texts, 1)]
        results.append(Result(item, answer, None, False, citations, texts, seconds))
        if progress:
            progress.update(1)
    return results


def evaluate(config, items: list[dict], systems: list[str], show_progress: bool = True) -> dict:
    """{system: metrics} for every system on the same items."""
    from tqdm import tqdm

    from .advisor import Advisor

    unknown = set(systems) - {"advisor", "dense", "bm25", "starter"}
    if unknown:
        raise InputError(f"unknown system(s): {', '.join(sorted(unknown))}")
    main = Advisor(config).warm_up()
    index_texts = [n.get_content() for n in main.index.nodes]
    report = {}
    bar = tqdm(total=len(items) * len(systems), disable=not show_progress, file=sys.stderr,
               desc="eval", unit="q")
    for system in systems:
        main.embedder.clear_cache()  # every system pays for its own query embeddings
        if system == "starter":
            from .baseline import StarterPipeline

            pipeline = StarterPipeline(config, embedder=main.embedder).warm_up()
            results = run_starter(pipeline, items, bar)
            k = 2
        else:
            advisor = main if system == "advisor" else \
                Advisor(config, embedder=main.embedder, retrieval_mode=system).warm_up()
            results = run_advisor(advisor, items, bar)
            k = K
        report[system] = metrics(results, index_texts if system != "starter" else
                                 [r for res in results for r in res.retrieved], k=k)
        report[system]["k"] = k
        report[system]["_results"] = results
    bar.close()
    return report


def gate_failures(advisor_metrics: dict) -> list[str]:
    failures = [f"{name} {advisor_metrics.get(name)} < {floor}" for name, floor in GATE.items()
                if (advisor_metrics.get(name) or 0) < floor]
    failures += [f"{name} {advisor_metrics.get(name)} > {cap}" for name, cap in GATE_MAX.items()
                 if (advisor_metrics.get(name) or 0) > cap]
    return failures


def run_cli(config, eval_set: str, as_json: bool = False, out: str = "eval",
            systems: list[str] | None = None) -> None:
    from .report import write_report

    items = load_eval_set(eval_set)
    try:  # fail before a long run, not after it
        Path(out).mkdir(parents=True, exist_ok=True)
        probe = Path(out) / ".write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise InputError(f"cannot write the report folder {out}: {exc.strerror}") from None
    report = evaluate(config, items, systems or ["advisor", "dense", "bm25", "starter"],
                      show_progress=sys.stderr.isatty())
    public = {s: {k: v for k, v in m.items() if not k.startswith("_")} for s, m in report.items()}
    paths = write_report(report, Path(out), eval_set)
    if as_json:
        print(json.dumps({"eval_set": str(eval_set), "items": len(items), "systems": public},
                         indent=2))
    else:
        from .report import markdown_table

        print(markdown_table(public))
        print(f"\nreport: {paths[0]}  chart: {paths[1]}")
