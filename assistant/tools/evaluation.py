"""Eval runner: the advisor against plain retrieval, on one JSONL set, in one run.

Item fields: id, question, history (earlier user messages, optional), verdict (an option's
lower-case name, "either" or null), abstain (bool), facts (each a string or a list of
alternatives; all must appear in the answer), evidence (each a string or list of alternatives;
any one must be among the passages shown).
Systems: advisor (the whole answer layer; its passages are its citations), and two floors that
are always run: bm25 and hybrid — plain top-k retrieval over the same index, the raw question
(history prepended), no answer layer; their "answer" is the k passages. Optional: dense (plain
dense top-k) and starter (the llama-index starter pipeline, top-2, same model).
"""
from __future__ import annotations

import json
import sys
import time
from functools import lru_cache
from pathlib import Path

from ..errors import InputError
from .metrics import K, Result, metrics

FLOORS = ["bm25", "hybrid"]
SYSTEMS = ["advisor", *FLOORS, "dense", "starter"]
GATE = {"recall@5": 0.95, "fact_in_answer": 0.90, "grounding": 0.98, "verdict_accuracy": 0.90,
        "abstention_accuracy": 0.95, "citation_validity": 1.00}
GATE_MAX = {"false_abstention": 0.03}


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
        for key, default in (("id", f"line{number}"), ("verdict", None), ("abstain", False),
                             ("facts", []), ("evidence", []), ("history", [])):
            item.setdefault(key, default)
        items.append(item)
    if not items:
        raise InputError(f"eval set {path} has no items")
    return items


def canonical(item: dict, options) -> dict:
    """The item with its verdict label as the corpus's own option key: a label that names an
    option by another of the names the corpus uses for it ("lightning" for "PyTorch
    Lightning") is the same answer."""
    label = item.get("verdict")
    owner = options.owner(label) if options and label not in (None, "either") else None
    return {**item, "verdict": owner} if owner and owner != label else item


def source_span(config, meta: dict) -> str:
    """The raw text a node came from (a table row's Markdown line, say), for evidence that
    quotes the document rather than the node ("| Audio | TorchAudio | tf.audio (limited) |")."""
    if meta.get("format") == "pdf":  # offsets point into the extracted text, not the file
        return ""
    texts = []
    sources = meta.get("sources") or "[]"
    for source in (json.loads(sources) if isinstance(sources, str) else sources) or \
            [meta.get("source", "")]:
        rel = source.split("/", 1)[-1]
        try:
            texts.append(_read_source(str(Path(config.corpus_dir) / rel))[
                meta.get("start_char", 0):meta.get("end_char", 0)])
        except OSError:
            pass
    return "\n".join(texts)


@lru_cache(maxsize=256)
def _read_source(path: str) -> str:
    return Path(path).read_text(encoding="utf-8", errors="replace")


def _shown(config, node, text: str) -> str:
    return text + "\n" + node.text + "\n" + source_span(config, node.metadata)


def run_advisor(advisor, items, progress=None) -> list[Result]:
    results = []
    nodes = {n.id: n for n in advisor.index.nodes}
    labels = list(advisor.options.display.values()) if advisor.options else []
    for item in items:
        item = canonical(item, advisor.options)
        started = time.perf_counter()
        answer = advisor.ask(item["question"], history=item["history"])
        seconds = time.perf_counter() - started
        shown = [_shown(advisor.config, nodes[c.id], c.text) for c in answer.citations]
        results.append(Result(item, answer.answer, answer.verdict, answer.abstained,
                              [vars(c) for c in answer.citations], shown, seconds,
                              answer.confidence, {"labels": labels}))
        if progress:
            progress.update(1)
    return results


def run_plain(advisor, retriever, items, k=K, progress=None) -> list[Result]:
    """Plain top-k retrieval: the passages are the answer (no verdict, never abstains)."""
    from ..compose import mark

    results = []
    for item in items:
        query = " ".join([*item["history"], item["question"]])
        started = time.perf_counter()
        passages = retriever.search(query, k=k, expand=False)
        seconds = time.perf_counter() - started
        shown = [_shown(advisor.config, p.node, p.text) for p in passages]
        answer = " ".join(mark(" ".join(p.text.split()), i) for i, p in enumerate(passages, 1))
        citations = [{"n": i, "text": p.text, "section": p.meta.get("section", "")}
                     for i, p in enumerate(passages, 1)]
        results.append(Result(item, answer, None, False, citations, shown, seconds))
        if progress:
            progress.update(1)
    return results


def run_starter(pipeline, items, progress=None) -> list[Result]:
    """The starter's 'answer' is its top-2 chunks, every sentence marked with its chunk."""
    from ..compose import mark

    results = []
    for item in items:
        started = time.perf_counter()
        hits = pipeline.retrieve(item["question"], k=2)
        seconds = time.perf_counter() - started
        texts = [t for t, _ in hits]
        answer = " ".join(mark(" ".join(t.split()), i) for i, t in enumerate(texts, 1))
        citations = [{"n": i, "text": t, "section": ""} for i, t in enumerate(texts, 1)]
        results.append(Result(item, answer, None, False, citations, texts, seconds))
        if progress:
            progress.update(1)
    return results


def evaluate(config, items: list[dict], systems: list[str], show_progress: bool = True) -> dict:
    """{system: metrics} for every system on the same items (the two floors always run)."""
    from tqdm import tqdm

    from ..advisor import Advisor
    from ..retrieve import make_retriever

    unknown = set(systems) - set(SYSTEMS)
    if unknown:
        raise InputError(f"unknown system(s): {', '.join(sorted(unknown))}")
    systems = [s for s in SYSTEMS if s in set(systems) | set(FLOORS)]
    main = Advisor(config).warm_up()
    index_texts = [n.text for n in main.index.nodes]
    report = {}
    bar = tqdm(total=len(items) * len(systems), disable=not show_progress, file=sys.stderr,
               desc="eval", unit="q")
    for system in systems:
        main.embedder.clear_cache()  # every system pays for its own query embeddings
        k = K
        if system == "advisor":
            results = run_advisor(main, items, bar)
        elif system == "starter":
            from .baseline import StarterPipeline

            pipeline = StarterPipeline(config, embedder=main.embedder).warm_up()
            results, k = run_starter(pipeline, items, bar), 2
        else:
            retriever = make_retriever(main.index, main.embedder, mode=system, plain=True)
            results = run_plain(main, retriever, items, K, bar)
        name = system if system in ("advisor", "starter") else f"{system} (plain)"
        report[name] = metrics(results, index_texts if system != "starter" else
                               [r for res in results for r in res.retrieved], k=k,
                               answers=system == "advisor")
        report[name]["k"] = k
        report[name]["_results"] = results
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
    from .report import markdown_table, write_report

    items = load_eval_set(eval_set)
    try:  # fail before a long run, not after it
        Path(out).mkdir(parents=True, exist_ok=True)
        probe = Path(out) / ".write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise InputError(f"cannot write the report folder {out}: {exc.strerror}") from None
    report = evaluate(config, items, systems or ["advisor", *FLOORS],
                      show_progress=sys.stderr.isatty())
    public = {s: {k: v for k, v in m.items() if not k.startswith("_")} for s, m in report.items()}
    paths = write_report(report, Path(out), eval_set)
    if as_json:
        print(json.dumps({"eval_set": str(eval_set), "items": len(items), "systems": public},
                         indent=2))
    else:
        print(markdown_table(public))
        print(f"\nreport: {paths[0]}  chart: {paths[1]}")
