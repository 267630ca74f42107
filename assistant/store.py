"""FAISS index + node store persisted in index/, guarded by a manifest and a lock.

Files: vectors.faiss (inner-product index over normalised embeddings), nodes.jsonl (one
llama-index node per line) and manifest.json (corpus hash, model id, chunker version,
dimension, count, index kind, and a sha256 + size of every file). Every file is written to a
temp name and renamed into place, the manifest last; a file lock keeps two builders apart.
A load checks the manifest against the files, so truncation or corruption is detected and the
caller rebuilds. Small collections use an exact flat index; from APPROX_FROM vectors on, an HNSW
graph (approximate, much faster per query at 100k+). Loading sets FAISS to one thread per query.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .chunking import CHUNKER_VERSION
from .corpus import corpus_files
from .errors import AssistantError, CorpusError, IndexCorruptError

FORMAT_VERSION = 5
APPROX_FROM = 50_000
_UMASK = os.umask(0)
os.umask(_UMASK)
VECTORS, NODES, LEXICAL = "vectors.faiss", "nodes.jsonl", "lexical.npz"
MANIFEST, LOCK = "manifest.json", ".build.lock"


@dataclass(frozen=True)
class Node:
    """One indexed passage as plain data (what the answer path reads; no llama-index)."""

    id: str
    text: str
    metadata: dict

    @property
    def node_id(self) -> str:
        return self.id

    def get_content(self) -> str:
        return self.text

    def to_dict(self) -> dict:
        return {"id": self.id, "text": self.text, "metadata": self.metadata}


@dataclass
class LoadedIndex:
    faiss_index: object
    nodes: list[Node]  # position i = vector i
    manifest: dict
    lexical: object = None  # lexical.BM25 over the same nodes

    @property
    def count(self) -> int:
        return len(self.nodes)


def index_text(node: Node) -> str:
    """What gets embedded and BM25-indexed: heading path + passage text."""
    heading = node.metadata.get("heading_path", "")
    return f"{heading}\n{node.text}" if heading else node.text


def corpus_hash(corpus_dir: Path) -> str:
    """sha256 over every corpus file's relative path and bytes."""
    digest = hashlib.sha256()
    for path in corpus_files(corpus_dir):
        digest.update(path.relative_to(corpus_dir).as_posix().encode() + b"\0")
        try:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError as exc:
            raise CorpusError(f"cannot read {path}: {exc.strerror}") from None
    return digest.hexdigest()


def _file_digest(path: Path) -> dict:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return {"sha256": digest.hexdigest(), "bytes": path.stat().st_size}


def _atomic_write(path: Path, write) -> None:
    """Write via a temp file in the same folder, fsync, then rename over path."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; index files are ordinary files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def make_faiss_index(vectors: np.ndarray, kind: str = "auto"):
    """Exact inner-product search below APPROX_FROM vectors, HNSW (approximate) from there;
    kind 'flat' or 'hnsw' forces one (benchmarks compare both)."""
    import faiss

    n, dim = vectors.shape
    if kind not in ("auto", "flat", "hnsw"):
        raise ValueError(f"unknown index kind {kind!r}")
    if kind == "hnsw" or (kind == "auto" and n >= APPROX_FROM):
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = 256  # recall@10 ~0.93 at 100k synthetic vectors, < 1 ms a query
    else:
        index = faiss.IndexFlatIP(dim)
    if n:
        previous = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(os.cpu_count() or 1)  # building: use every core
        try:
            index.add(vectors)
        finally:
            faiss.omp_set_num_threads(previous)
    return index


def single_query_threads() -> None:
    """One FAISS (OpenMP) thread: a single query gains nothing from more, concurrent
    requests then run in parallel, and OpenMP threads spin badly on a busy small box
    (flat search at 100k: 18 ms with one thread vs 45 ms with two, here under load)."""
    import faiss

    faiss.omp_set_num_threads(1)


def read_manifest(index_dir: Path) -> dict | None:
    try:
        manifest = json.loads((Path(index_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def expected_identity(corpus_dir: Path, model_id: str) -> dict:
    from .stance import ANNOTATOR_VERSION

    return {"format": FORMAT_VERSION, "corpus_hash": corpus_hash(corpus_dir),
            "model_id": model_id, "chunker_version": CHUNKER_VERSION,
            "annotator_version": ANNOTATOR_VERSION}


def is_fresh(manifest: dict | None, identity: dict) -> bool:
    return bool(manifest) and all(manifest.get(k) == v for k, v in identity.items())


def save_index(index_dir: Path, nodes: list[Node], vectors: np.ndarray, identity: dict,
               build_seconds: float, extra: dict | None = None) -> dict:
    import faiss

    from .lexical import BM25

    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    index = make_faiss_index(vectors)
    _atomic_write(index_dir / VECTORS,
                  lambda fh: fh.write(faiss.serialize_index(index).tobytes()))
    _atomic_write(index_dir / NODES, lambda fh: fh.writelines(
        (json.dumps(n.to_dict(), ensure_ascii=False) + "\n").encode("utf-8") for n in nodes))
    _atomic_write(index_dir / LEXICAL, BM25.build([index_text(n) for n in nodes]).save)
    manifest = {
        **identity,
        **(extra or {}),
        "dimension": int(vectors.shape[1]),
        "count": len(nodes),
        "index_kind": type(index).__name__,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "build_seconds": round(build_seconds, 3),
        "files": {name: _file_digest(index_dir / name) for name in (VECTORS, NODES, LEXICAL)},
    }
    _atomic_write(index_dir / MANIFEST,
                  lambda fh: fh.write(json.dumps(manifest, indent=2).encode("utf-8")))
    return manifest


def load_index(index_dir: Path, manifest: dict) -> LoadedIndex:
    """Load files described by manifest; IndexCorruptError if anything does not match."""
    import faiss

    from .lexical import BM25

    index_dir = Path(index_dir)
    for name, want in manifest.get("files", {}).items():
        path = index_dir / name
        if not path.is_file() or _file_digest(path) != want:
            raise IndexCorruptError(f"index file {name} is missing, truncated or modified")
    try:
        data = np.frombuffer((index_dir / VECTORS).read_bytes(), dtype=np.uint8)
        index = faiss.deserialize_index(data)
        single_query_threads()
        with (index_dir / NODES).open(encoding="utf-8") as fh:
            nodes = [Node(**json.loads(line)) for line in fh if line.strip()]
        lexical = BM25.load(index_dir / LEXICAL)
    except Exception as exc:  # unreadable despite matching digests: treat as corrupt
        raise IndexCorruptError(f"index files unreadable: {exc}") from None
    if not nodes or index.ntotal != len(nodes) or len(nodes) != manifest.get("count") \
            or index.d != manifest.get("dimension") or lexical.count != len(nodes):
        raise IndexCorruptError("index and node store disagree on size")
    return LoadedIndex(index, nodes, manifest, lexical)


def build_index(corpus_dir: Path, index_dir: Path, embedder, identity: dict,
                show_progress: bool = False) -> LoadedIndex:
    from .llama import ingest
    from .stance import annotate

    started = time.perf_counter()
    nodes = [Node(n.node_id, n.get_content(), dict(n.metadata)) for n in ingest(corpus_dir)]
    if not nodes:
        raise CorpusError(f"no passages to index in {corpus_dir}: the documents have no "
                          "paragraphs or table rows")
    options = annotate(nodes, getattr(embedder, "vocabulary", frozenset()))  # options and
    # each passage's stance, into the metadata
    vectors = embedder.encode([index_text(n) for n in nodes],
                              show_progress=show_progress and len(nodes) > 256)
    manifest = save_index(index_dir, nodes, vectors, identity, time.perf_counter() - started,
                          {"options": options})
    return load_index(index_dir, manifest)


def ensure_index(corpus_dir: Path, index_dir: Path, embedder, rebuild: bool = False,
                 show_progress: bool = False, log=None) -> tuple[LoadedIndex, bool]:
    """Load the persisted index, building it first when missing, stale, corrupt or asked to.

    Returns (index, built). `log` receives one-line notices (default: stderr).
    """
    from filelock import FileLock, Timeout

    log = log or (lambda msg: print(msg, file=sys.stderr))
    _warm_in_background(embedder)
    index_dir = Path(index_dir)
    identity = expected_identity(Path(corpus_dir), embedder.model_id)
    if not rebuild:
        loaded = _try_load(index_dir, identity, log)
        if loaded:
            return loaded, False
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AssistantError(f"cannot create index folder {index_dir}: {exc.strerror}") from None
    if not os.access(index_dir, os.W_OK):
        raise AssistantError(f"cannot write the index folder {index_dir} (read-only?)")
    try:
        with FileLock(str(index_dir / LOCK), timeout=600):
            if not rebuild:  # another process may have built it while we waited
                loaded = _try_load(index_dir, identity, lambda _msg: None)
                if loaded:
                    return loaded, False
            return build_index(corpus_dir, index_dir, embedder, identity, show_progress), True
    except Timeout:
        raise AssistantError(f"another process has been building {index_dir} for 10 minutes") \
            from None


def _warm_in_background(embedder) -> None:
    """Start loading the model while the index loads (its first query needs it anyway);
    warm_up() is idempotent and locked, so a caller that needs the model first just waits."""
    if getattr(embedder, "_model", True) is not None:
        return
    import threading

    def warm():
        try:
            embedder.warm_up()
        except Exception:  # the foreground call repeats it and reports the error
            pass

    threading.Thread(target=warm, name="embedder-warm-up", daemon=True).start()


def _try_load(index_dir: Path, identity: dict, log) -> LoadedIndex | None:
    manifest = read_manifest(index_dir)
    if manifest is None:
        if (index_dir / VECTORS).exists() or (index_dir / NODES).exists():
            log(f"warning: index in {index_dir} has no readable manifest; rebuilding")
        return None
    if not is_fresh(manifest, identity):
        changed = [k for k, v in identity.items() if manifest.get(k) != v]
        log(f"index is stale ({', '.join(changed)} changed); rebuilding")
        return None
    try:
        return load_index(index_dir, manifest)
    except IndexCorruptError as exc:
        log(f"warning: {exc}; rebuilding")
        return None
