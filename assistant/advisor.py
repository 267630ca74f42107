"""question -> Answer(answer, verdict, confidence, abstained, citations, timings_ms).

The one core API every surface calls: `Advisor(config).ask(question, k=None, history=())`.
Loading is lazy (warm_up() on first ask); ask() is thread-safe once warm.
"""
from __future__ import annotations

import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Sequence

from .config import MAX_QUESTION_CHARS, Config
from .errors import InputError


@dataclass
class Citation:
    n: int
    id: str
    source: str
    section: str
    text: str
    score: float


@dataclass
class Answer:
    question: str
    answer: str
    verdict: str | None
    confidence: float
    abstained: bool
    citations: list[Citation]
    timings_ms: dict = field(default_factory=dict)
    table: dict | None = None  # {"section", "header": [...], "rows": [[...]]} behind a cell answer
    criteria: list | None = None  # per-criterion matrix for multi-criteria questions
    query: str | None = None  # the standalone query used for retrieval (follow-ups)

    def to_dict(self) -> dict:
        return asdict(self)


def validate_question(question) -> str:
    """The stripped question, or InputError with a one-line reason."""
    if not isinstance(question, str):
        raise InputError("question must be a string")
    question = question.strip()
    if not question:
        raise InputError("question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise InputError(f"question is too long ({len(question):,} characters; "
                         f"the limit is {MAX_QUESTION_CHARS:,})")
    if "\x00" in question:
        raise InputError("question contains a NUL character")
    try:
        question.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: undecodable bytes or broken JSON escapes
        raise InputError("question is not valid UTF-8 text") from None
    return question


@dataclass(frozen=True)
class _State:
    index: object
    retriever: object
    built: bool


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

    # The index in use; replaced atomically by reload().
    index = property(lambda self: self._state.index if self._state else None)
    retriever = property(lambda self: self._state.retriever if self._state else None)
    built = property(lambda self: bool(self._state and self._state.built))

    def _load(self, rebuild: bool, show_progress: bool) -> "_State":
        from .retrieve import make_retriever
        from .store import ensure_index

        index, built = ensure_index(self.config.corpus_dir, self.config.index_dir, self.embedder,
                                    rebuild=rebuild, show_progress=show_progress, log=self.log)
        return _State(index, make_retriever(index, self.embedder, mode=self.retrieval_mode),
                      built)

    def warm_up(self, rebuild: bool = False, show_progress: bool = False) -> "Advisor":
        with self._lock:
            if self._state is None or rebuild:
                self._state = self._load(rebuild, show_progress)
        return self

    def reload(self) -> bool:
        """Bring the index up to date with the corpus (rebuilding when it changed) and swap it
        in at once; requests in flight keep the state they started with. True if rebuilt."""
        with self._lock:
            state = self._load(False, False)
            self._state = state
        return state.built

    def status(self) -> dict:
        manifest = self.index.manifest if self.index else {}
        return {"ready": self._state is not None, "model": self.embedder.model_id,
                "device": self.embedder.device, "nodes": manifest.get("count"),
                "index_kind": manifest.get("index_kind"), "built_at": manifest.get("built_at")}

    def retrieve(self, query: str, k: int = 5) -> list:
        """The top-k passages for a standalone query (what ask() draws its evidence from)."""
        self.warm_up()
        return self.retriever.search(validate_question(query), k=k)

    def ask(self, question: str, k: int | None = None, history: Sequence[str] = ()) -> Answer:
        from .compose import compose_answer, split_criteria
        from .conversation import condense

        question = validate_question(question)
        k = int(k or self.config.top_k)
        if not 1 <= k <= 50:
            raise InputError(f"k must be between 1 and 50, not {k}")
        self.warm_up()
        retriever = self.retriever  # one state for the whole answer, even across a reload
        started = time.perf_counter()
        from .text import normalize_frameworks

        query = condense(normalize_frameworks(question),
                         [normalize_frameworks(h) for h in history if isinstance(h, str) and h.strip()])
        clauses = split_criteria(query)
        if clauses:  # embed the question and its criteria in one model call
            retriever.prefetch([query, *clauses])
        passages = retriever.search(query, k=max(k * 3, 15))
        retrieved = time.perf_counter()
        answer = compose_answer(question, query, passages, k, retriever)
        done = time.perf_counter()
        answer.timings_ms = {"retrieve": round((retrieved - started) * 1000, 2),
                             "advise": round((done - retrieved) * 1000, 2)}
        answer.query = query if query != question else None
        return answer
