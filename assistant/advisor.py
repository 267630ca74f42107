"""question -> Answer(answer, verdict, confidence, abstained, citations, timings_ms).

The one core API every surface calls: `Advisor(config).ask(question, k=None, history=())`.
Loading is lazy (warm_up() on first ask); ask() is thread-safe once warm, and reload() swaps
a rebuilt index in without disturbing answers in flight. `explain()` returns the same answer
with its workings: evidence, each passage's stance, the weights and the verdict's scores.
"""
from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from functools import cached_property
from typing import Sequence

from .answer import Answer, Citation, headline  # noqa: F401  (the answer contract, re-exported)
from .config import Config
from .validation import USED_HISTORY, validate_k, validate_question

POOL = 30  # retrieved passages the evidence ranking chooses from
UNSETTLED_CHOICE = 0.8  # an unsettled choice asked less surely than this is answered as a fact
ROUTED = 2  # evidence slots kept for the document of the kind asked for (see _routed)


@dataclass(frozen=True)
class _State:
    index: object
    retriever: object
    built: bool
    options: object
    titles: dict
    scope: str

    @cached_property
    def releases(self) -> frozenset:
        """The versions the documents write, read on the first question that names one (a
        scan of every passage: seconds at 100k chunks, so not at load)."""
        from .unwritten import releases

        return releases(n.text for n in self.index.nodes)

    @cached_property
    def proper_names(self) -> frozenset:
        """The words the documents capitalise inside a sentence, read likewise."""
        from .unwritten import proper_names

        return proper_names(n.text for n in self.index.nodes)

    @cached_property
    def identifiers(self) -> frozenset:
        """The words of letters and digits the documents write ("h100"), read likewise, and
        the options' names and aliases ("sb3" for Stable-Baselines3)."""
        from .unwritten import identifiers

        return identifiers([*(n.text for n in self.index.nodes), *self.options.aliases,
                            *self.options.display])


class Advisor:
    """Validate in __init__, load model + index in warm_up(), answer in ask()."""

    def __init__(self, config: Config | None = None, embedder=None, log=None,
                 retrieval_mode: str = "hybrid"):
        from .embedding import Embedder

        self.config = config or Config.from_env()
        self.embedder = embedder or Embedder.shared(self.config.embed_model, self.config.device,
                                                    self.config.batch_size,
                                                    backend=self.config.embed_backend)
        self.log = log
        self.retrieval_mode = retrieval_mode
        self._state: _State | None = None  # swapped whole, so readers never see a mix
        self._lock = threading.Lock()
        self._reload_lock = threading.Lock()

    # The index in use; replaced atomically by reload().
    index = property(lambda self: self._state.index if self._state else None)
    retriever = property(lambda self: self._state.retriever if self._state else None)
    built = property(lambda self: bool(self._state and self._state.built))
    options = property(lambda self: self._state.options if self._state else None)

    def _load(self, rebuild: bool, show_progress: bool) -> _State:
        from .answerability import scope_note
        from .options import Options
        from .retrieve import make_retriever
        from .store import ensure_index

        index, built = ensure_index(self.config.corpus_dir, self.config.index_dir, self.embedder,
                                    rebuild=rebuild, show_progress=show_progress, log=self.log)
        options = Options.from_dict(index.manifest.get("options"))
        options.known = _ordinary(index.lexical, self.embedder.vocabulary)
        titles = {n.metadata.get("source", ""): n.metadata.get("title", "") for n in index.nodes}
        return _State(index, make_retriever(index, self.embedder, mode=self.retrieval_mode),
                      built, options, titles, scope_note(index.nodes, options))

    def warm_up(self, rebuild: bool = False, show_progress: bool = False) -> "Advisor":
        if self._state is not None and not rebuild:
            return self  # the common case takes no lock: answers never wait for a reload
        with self._lock:
            if self._state is None or rebuild:
                self._state = self._load(rebuild, show_progress)
        return self

    def reload(self) -> bool:
        """Bring the index up to date with the corpus (rebuilding when it changed) and swap it
        in at once; requests in flight keep the state they started with, and new ones use the
        old index until the swap. True if rebuilt."""
        with self._reload_lock:
            state = self._load(False, False)
            self._state = state
        return state.built

    def status(self) -> dict:
        manifest = self.index.manifest if self.index else {}
        return {"ready": self._state is not None, "model": self.embedder.model_id,
                "device": self.embedder.device, "nodes": manifest.get("count"),
                "index_kind": manifest.get("index_kind"), "built_at": manifest.get("built_at")}

    def retrieve(self, query: str, k: int = 5, expand: bool = False) -> list:
        """Plain retrieval: the top-k passages for a standalone query, no answer layer."""
        self.warm_up()
        return self.retriever.search(validate_question(query), k=k, expand=expand)

    def ask(self, question: str, k: int | None = None, history: Sequence[str] = ()) -> Answer:
        return self.respond(self.workings(question, k, history))

    def explain(self, question: str, k: int | None = None, history: Sequence[str] = ()) -> dict:
        """The answer plus its workings (for `assistant explain`)."""
        work = self.workings(question, k, history)
        return {"answer": self.respond(work).to_dict(), **work.summary()}

    def workings(self, question: str, k: int | None = None,
                 history: Sequence[str] = ()) -> "Workings":
        """Everything the answer is decided from: query, evidence, signals, verdict scores."""
        from . import answerability, criteria, evidence, unwritten, verdict, votes
        from .candidates import candidates
        from .conversation import anchor, asks_again, condense
        from .question import (analyse, ask_sentence, needless_terms, sentence_roles,
                               unwanted_terms)
        from .retrieve import sentences
        from .cues import direction, is_instruction

        question = validate_question(question)
        k = validate_k(k or self.config.top_k)
        self.warm_up()
        state = self._state  # one state for the whole answer, even across a reload
        started = time.perf_counter()
        history = [h for h in history if isinstance(h, str) and h.strip()][-USED_HISTORY:]
        read = state.index.lexical.respelt(state.options.spaced_versions(question),  # "TF2"
                                           self.embedder.vocabulary)  # -> "TF 2"; typos
        query = condense(read, history, state.options)
        parts = sentences(query)
        roles = sentence_roles(parts)
        passages = state.retriever.search(query, k=max(3 * k, POOL), roles=roles)
        retrieved = time.perf_counter()
        lexical = state.index.lexical
        asker = state.options.within("")  # "vllm" in the article's cells names no option here
        asked = analyse(question, asker)
        asked.named = list(dict.fromkeys(asked.named + asker.named(query)))
        ranked = self._evidence(query, passages, k, parts, roles, asked.named)
        if asks_again(question, history, bool(asked.features["ask_wh"] or
                                               asked.features["ask_yesno"])):
            # "and for the browser?" asks what the earlier question asked
            earlier = anchor(history, state.options) or query
            asked.choice = max(asked.choice, analyse(earlier, state.options).choice)
        signals = answerability.features(asked, passages, ranked, lexical, query,
                                         votes.option_terms(state.options),
                                         self.embedder.vocabulary, state.options)
        # a message that addresses the assistant's instructions is not a question to answer;
        # "Volcano vs Kueue" cannot be answered from documents that never mention Volcano
        uncompared = answerability.uncompared(read, lexical, asker, self.embedder.vocabulary) \
            or unwritten.named(question, read, state, asked.kind == "fact") \
            or (unwritten.elsewhere(read, ranked)  # "on H100?" where the passages say A100
                if asked.kind == "fact" or direction(ask_sentence(read)) else None)
        p_answerable = 0.0 if is_instruction(question) or uncompared else \
            answerability.probability(signals)
        pool = candidates(asked.named, ranked, state.options, query)
        choosable = bool(ranked) and len(pool) >= 2  # a choice needs two options
        rows = criteria.matrix(query, ranked, state.options, pool, lexical) \
            if choosable and asked.kind == "choice" else []
        # "flask or django?": alternatives of its own that the corpus never names, and none of
        # its options, is no choice between the corpus's options
        own = not asked.named and answerability.alternatives(question, lexical, asker)
        decision = verdict.decide(asked.named, ranked, state.options,
                                  evidence.weights(query, lexical), asked.doubt,
                                  float(criteria.conflict(rows)), unwanted_terms(query), query,
                                  pool, asked.inverted, needless_terms(query)) \
            if choosable and not own else None
        return Workings(question, query, k, state, asked, ranked, signals, p_answerable, decision,
                        {"retrieve": round((retrieved - started) * 1000, 2)}, retrieved,
                        passages, parts, roles, rows, read, uncompared)

    def _evidence(self, query: str, passages: list, k: int, parts: list[str], roles: list,
                  named: list[str]) -> list:
        """The passages ranked as evidence; when the documents of the kind asked for have none
        among them, the asking sentence's best two of theirs take the last cited places
        ("… which tracing tool?" after a set-up that drew only the framework article)."""
        from . import evidence
        from .candidates import EVIDENCE_USED

        state = self._state
        ranked = evidence.rank(query, passages, state.index.lexical,
                               max(k, EVIDENCE_USED), parts, roles, named, state.options)
        routed = self._routed(query, parts, ranked)
        if not routed:
            return ranked
        top = evidence.rank(query, routed, state.index.lexical, ROUTED, parts, roles, named,
                            state.options)
        return ranked[:k - len(top)] + top + ranked[k - len(top):]

    def _routed(self, query: str, parts: list[str], ranked: list) -> list:
        """Passages of the documents whose title names the kind of option asked for, found by
        the asking sentence alone, when none of them is among the evidence (a long set-up can
        draw every passage from another document); empty otherwise."""
        from .candidates import EVIDENCE_USED, kind_sources
        from .question import ask_sentence

        state = self._state
        wanted = kind_sources(query, state.titles, state.options)
        if not wanted or len(parts) < 2 or any(e.meta.get("source") in wanted
                                               for e in ranked[:EVIDENCE_USED]):
            return []
        ask = ask_sentence(query)
        found = state.retriever.search(query, k=POOL, roles=[float(p == ask) for p in parts])
        return [p for p in found if p.meta.get("source") in wanted]

    def respond(self, work: "Workings") -> Answer:
        """The Answer the workings lead to: abstention, a verdict, or cited facts."""
        from . import answerability, compose
        from .cues import is_instruction

        state, question = work.state, work.question
        query = work.query if work.query != work.read else None  # shown when rewritten
        kind, p_main, chosen, split = classify(work)
        confidence = calibrated(kind, p_main, work.p_answerable, work.asked.features["long"],
                                *setting(work))
        cited = work.ranked[:work.k]
        if kind == "abstain":
            # a name no document writes refuses, yet the passages near the rest are still shown;
            # whether it nearly answered is judged without the remote signal, which only decides
            unsure = (work.uncompared or not is_instruction(question)) and \
                answerability.probability(work.signals, without=("remote",)) >= \
                answerability.nearest_from()
            answer = compose.abstention(question, state.scope, query,
                                        cited[:compose.ALWAYS_QUOTED] if unsure else (),
                                        work.uncompared)
        elif kind in ("option", "either"):
            decision = work.decision
            text, citations = compose.by_criteria(work.criteria, cited, state.options) \
                if split else compose.choice(decision, cited, state.options, state.titles,
                                             work.criteria, weak=confidence < 0.5)
            answer = Answer(
                question, text, chosen, 0.0, False, citations, query=query,
                table=compose.table_of(work.ranked[:3]),
                criteria=compose.criteria_rows(work.criteria, citations) or None,
                sources_disagree=bool(decision.disagreement))
        else:
            text, citations = compose.factual(question, cited)
            answer = Answer(question, text, None, 0.0, False, citations, query=query,
                            table=compose.table_of(work.ranked[:3]))
        answer.confidence = confidence
        lean = work.decision.lean if kind == "either" and not split and \
            not work.decision.disagreement else None  # the answer text names it too
        answer.headline = headline(answer.verdict, answer.abstained, state.options.label,
                                   lean, bool(work.decision and work.decision.inverted))
        answer.timings_ms = {**work.timings, "advise": round(
            (time.perf_counter() - work.retrieved_at) * 1000, 2)}
        return answer


def classify(work: "Workings") -> tuple[str, float, str | None, bool]:
    """(kind of response: abstain | option | either | fact, the probability behind it before
    calibration, the verdict, whether the question's criteria split). A choice the documents
    do not settle whose asking sentence asks for an amount ("how much faster was X than Y?")
    is answered with the figures alone, as a fact question, and so is one asked with weak
    choice cues ("speed differences between X and Y?") or whose asking sentence asks for
    something of each option ("which formats does each framework support?")."""
    from . import answerability, criteria
    from .question import asks_per_option, asks_quantity, asks_yes_or_no

    if work.p_answerable < answerability.threshold() or not work.ranked:
        return "abstain", 1 - work.p_answerable, None, False
    decision = work.decision
    if work.asked.kind != "choice" or not decision or len(decision.candidates) < 2 or \
            asks_per_option(work.read or work.question) or \
            asks_yes_or_no(work.asked.features, work.asked.named):
        return "fact", 1 - work.asked.choice, None, False
    chosen = "either" if decision.disagreement else decision.verdict
    if chosen == "either" and (asks_quantity(work.read or work.question) or
                               work.asked.choice < UNSETTLED_CHOICE):
        return "fact", 1 - work.asked.choice, None, False  # "how much faster was X than Y?"
    split = chosen == "either" and criteria.conflict(work.criteria)
    return ("either" if chosen == "either" else "option"), decision.probability, chosen, split


@dataclass
class Workings:
    question: str
    query: str
    k: int
    state: _State
    asked: object          # question.Question
    ranked: list           # evidence.Evidence, best first
    signals: dict          # answerability features
    p_answerable: float
    decision: object       # verdict.Decision or None
    timings: dict
    retrieved_at: float
    passages: list = ()    # everything retrieval returned, before re-ranking
    parts: list = ()       # the query's sentences
    roles: list = ()       # their weights
    criteria: list = ()    # per-criterion verdicts (criteria.matrix)
    read: str = ""         # the question as read (versions spaced), before any rewrite
    uncompared: tuple | None = None  # (what no document mentions, the option set against it,
    #                                   what the best passages write instead, if that is why)

    def summary(self) -> dict:
        out = {"query": self.query, "kind": self.asked.kind,
               "choice_probability": round(self.asked.choice, 3),
               "options_named": self.asked.named,
               "answerability": {"probability": round(self.p_answerable, 3),
                                 "not_in_documents": list(self.uncompared or ())[:2],
                                 "signals": {k: round(v, 3) for k, v in self.signals.items()}},
               "evidence": _explain_evidence(self.ranked, self.decision)}
        if self.decision:
            out["verdict"] = {"candidates": self.decision.candidates,
                              "scores": self.decision.scores,
                              "probability": round(self.decision.probability, 3),
                              "sources": self.decision.by_source}
        return out


def _ordinary(lexical, common: frozenset):
    """word -> whether it is common English or a word the corpus uses."""
    from .lexical import stem

    return lambda word: word in common or bool(lexical.document_frequency(stem(word)))


def setting(work: "Workings") -> tuple[float, float]:
    """What the answer's odds depend on beyond its own probabilities: two over the number of
    options chosen among (1.0 for a choice of two, or no choice), and whether the corpus
    compares options in one document only (a question cannot be read against the wrong
    comparison)."""
    pool = len(work.decision.candidates) if work.decision else 0
    return 2 / max(2, pool), float(len(work.state.options.compared) <= 1)


def calibrated(kind: str, p_main: float, p_answerable: float, length: float = 0.0,
               pool: float = 1.0, single: float = 0.0) -> float:
    """P(the response is right) from the fitted map for this kind of response: a logistic
    model of the logits of its own probability and of answerability, of the question's
    length (long, many-part questions are answered right less often) and of its setting (see
    setting()), then the isotonic map. Older fits without the last inputs read them as 0."""
    from .data import load as load_data

    weights = list(load_data("calibration")["confidence"][kind])
    *w, b = weights
    w += [0.0] * (5 - len(w))
    z = sum(x * v for x, v in zip(w, (_logit(p_main), _logit(p_answerable), length, pool,
                                      single))) + b
    return round(_isotonic(1 / (1 + math.exp(-z)), load_data("calibration").get("isotonic")), 3)


def _isotonic(x: float, points: list | None) -> float:
    """The fitted isotonic step: the accuracy of the first block whose highest score is at or
    above x; identity when there is no fit."""
    if not points:
        return x
    for upper, accuracy in points:
        if x <= upper:
            return accuracy
    return points[-1][1]


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def _explain_evidence(ranked: list, decision) -> list[dict]:
    from .stance import parse

    weights = dict(decision.contributions) if decision else {}
    return [{"rank": i + 1, "source": e.meta.get("source"), "section": e.meta.get("section"),
             "relevance": round(e.relevance, 3), "cosine": round(e.passage.cosine, 3),
             "quote": e.quote, "stance": parse(e.meta.get("stance", "")),
             "heading_stance": parse(e.meta.get("heading_stance", "")),
             "weighted_contribution": weights.get(i, {})} for i, e in enumerate(ranked)]
