"""Live pick-up of corpus changes for a running server: poll, rebuild in the background, swap.

`LiveIndex(advisor)` keeps one advisor's index in step with its corpus folder:
  * reindex()  brings it up to date now (POST /api/reindex and the watcher call it);
  * start()    starts a daemon thread that stats the corpus tree every `interval` seconds
               (path, size and mtime of every loadable file; no dependency, works on any
               filesystem, including network and container mounts where inotify is silent),
               waits until a change has been quiet for `quiet` seconds, then calls reindex().
A rebuild runs off the request path: the new index is built and saved first (store.ensure_index,
which takes the index folder's build lock), then Advisor.reload() loads it and swaps it in at
once, so requests in flight, and those that arrive during the build, are answered from the old
index. A failed rebuild (say, the folder was emptied) keeps the old index and is reported in
status(). Not handled: changes outside the corpus folder, and files whose edit keeps the same
size and modification time.
"""
from __future__ import annotations

import json
import threading
import time
from pathlib import Path

from .errors import AssistantError


def snapshot(corpus_dir: Path) -> tuple | None:
    """(relative path, size, mtime_ns) of every loadable file, sorted; None if no folder."""
    from .corpus import SUFFIXES

    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        return None
    entries = []
    for path in corpus_dir.rglob("*"):
        if path.suffix.lower() not in SUFFIXES or path.name.startswith("."):
            continue
        try:
            stat = path.stat()
        except OSError:  # removed while we looked
            continue
        if path.is_file():
            entries.append((path.relative_to(corpus_dir).as_posix(), stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(entries))


class LiveIndex:
    """Rebuilds and swaps an Advisor's index when its corpus changes (see module docstring)."""

    def __init__(self, advisor, interval: float = 1.0, quiet: float = 0.5, log=None):
        if interval <= 0 or quiet < 0:
            raise ValueError("interval must be positive and quiet not negative")
        self.advisor, self.interval, self.quiet = advisor, interval, quiet
        self.log = log or (lambda _msg: None)
        self._lock = threading.Lock()  # one rebuild at a time (watcher or API)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._documents: tuple[str | None, list] = (None, [])
        self.last: dict | None = None  # what the last reindex() did

    @property
    def corpus_dir(self) -> Path:
        return Path(self.advisor.config.corpus_dir)

    # -- the watcher thread ---------------------------------------------------------------
    def start(self) -> "LiveIndex":
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._watch, name="corpus-watcher", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        self._thread = None

    @property
    def watching(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _watch(self) -> None:
        seen = snapshot(self.corpus_dir)
        if self._stale():  # changed between loading the index and starting to watch
            self.reindex("corpus changed")
        while not self._stop.wait(self.interval):
            now = snapshot(self.corpus_dir)
            if now == seen:
                continue
            while not self._stop.wait(self.quiet):  # let a copy or a burst of saves finish
                again = snapshot(self.corpus_dir)
                if again == now:
                    break
                now = again
            if self._stop.is_set():
                return
            seen = now
            self.reindex("corpus changed")

    def _stale(self) -> bool:
        from .store import corpus_hash

        index = self.advisor.index
        try:
            return index is not None and index.manifest.get("corpus_hash") != \
                corpus_hash(self.corpus_dir)
        except AssistantError:
            return True  # reindex() reports what is wrong

    # -- rebuild and swap -----------------------------------------------------------------
    def reindex(self, reason: str = "requested") -> dict:
        """Bring the index up to date with the corpus and swap it in; never raises for a bad
        corpus: the result's "error" says what went wrong and the old index stays."""
        with self._lock:
            started = time.perf_counter()
            result = {"reason": reason, "rebuilt": False, "swapped": False, "error": None}
            try:
                result.update(self._reindex())
            except AssistantError as exc:
                result["error"] = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                self.log(f"warning: reindex failed ({result['error']}); still answering from "
                         "the previous index")
            except Exception as exc:  # never let the watcher thread die on an unexpected error
                result["error"] = f"unexpected {type(exc).__name__} while reindexing"
                self.log(f"warning: {result['error']}: {exc}")
            result["seconds"] = round(time.perf_counter() - started, 3)
            status = self.advisor.status()
            result.update(nodes=status.get("nodes"), built_at=status.get("built_at"),
                          documents=self.document_count(), at=_now())
            self.last = result
            if result["swapped"]:
                self.log(f"index {'rebuilt' if result['rebuilt'] else 'reloaded'} "
                         f"({reason}): {result['nodes']} passages from {result['documents']} "
                         f"documents in {result['seconds']:.1f}s")
            return result

    def _reindex(self) -> dict:
        from .store import ensure_index

        config, advisor = self.advisor.config, self.advisor
        # Build (or verify) the new index first, outside the advisor's lock: requests keep
        # being answered from the old one meanwhile, and reload() below only loads and swaps.
        loaded, built = ensure_index(config.corpus_dir, config.index_dir, advisor.embedder,
                                     log=lambda _msg: None)
        if not built and _build_key(advisor.index) == _build_key(loaded):
            return {}  # already serving this very index
        advisor.reload()
        self._refresh_documents()
        return {"rebuilt": built, "swapped": True}

    # -- what the index holds ---------------------------------------------------------------
    def documents(self) -> list[dict]:
        """catalog records of the corpus the served index was built from (cached per build)."""
        key = _build_key(self.advisor.index)
        if self._documents[0] != key or key is None:
            self._refresh_documents()
        return self._documents[1]

    def _refresh_documents(self) -> None:
        from .catalog import describe_corpus

        key = _build_key(self.advisor.index)
        try:
            self._documents = (key, describe_corpus(self.corpus_dir))
        except AssistantError:
            self._documents = (key, [])

    def document_count(self) -> int:
        return sum(1 for record in self.documents() if not record["skipped"])

    def status(self) -> dict:
        index = self.advisor.index
        return {"watching": self.watching, "poll_seconds": self.interval,
                "documents": self.document_count(),
                "build_seconds": index.manifest.get("build_seconds") if index else None,
                "last_reindex": self.last}


def _build_key(index) -> str | None:
    """Identifies one build of the index: the digests of its files."""
    if index is None:
        return None
    manifest = index.manifest
    return json.dumps([manifest.get("files"), manifest.get("built_at")], sort_keys=True)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
