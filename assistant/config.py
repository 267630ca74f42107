"""Configuration: a frozen dataclass filled from environment variables and CLI flags.

Environment variables (all optional):
  ASSISTANT_CORPUS_DIR   folder of .md/.txt/.html documents      (default: ./corpus)
  ASSISTANT_INDEX_DIR    where the FAISS index is persisted        (default: ./index)
  ASSISTANT_EMBED_MODEL  sentence-transformers name or local path  (default: packaged all-MiniLM-L6-v2)
  ASSISTANT_DEVICE       auto | cpu | cuda                         (default: auto)
  ASSISTANT_TOP_K        passages to cite at most                  (default: 5)
  ASSISTANT_BATCH_SIZE   embedding batch size                      (default: 64 on CPU, 1024 on GPU)
  ASSISTANT_EMBED_BACKEND auto | numpy | sentence-transformers     (default: auto; see embedding.py)
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path

from .errors import InputError

PACKAGED_MODEL = "packaged:all-MiniLM-L6-v2"


def _project_root() -> Path:
    """The folder holding corpus/ and index/: the current directory, else the source checkout."""
    cwd = Path.cwd()
    if (cwd / "corpus").is_dir():
        return cwd
    return Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Config:
    corpus_dir: Path
    index_dir: Path
    embed_model: str = PACKAGED_MODEL
    device: str = "auto"
    top_k: int = 5
    batch_size: int | None = None
    embed_backend: str = "auto"

    def __post_init__(self):
        if self.embed_backend not in ("auto", "numpy", "sentence-transformers"):
            raise InputError("embedding backend must be auto, numpy or sentence-transformers, "
                             f"not {self.embed_backend!r}")
        if self.device not in ("auto", "cpu", "cuda"):
            raise InputError(f"device must be auto, cpu or cuda, not {self.device!r}")
        if not 1 <= int(self.top_k) <= 50:
            raise InputError(f"k must be between 1 and 50, not {self.top_k}")
        if self.batch_size is not None and int(self.batch_size) < 1:
            raise InputError(f"batch size must be positive, not {self.batch_size}")

    @classmethod
    def from_env(cls, **overrides) -> "Config":
        """Defaults, then ASSISTANT_* env vars, then non-None keyword overrides (CLI flags)."""
        root = _project_root()
        env = os.environ
        values = {
            "corpus_dir": Path(env.get("ASSISTANT_CORPUS_DIR", root / "corpus")),
            "index_dir": Path(env.get("ASSISTANT_INDEX_DIR", root / "index")),
            "embed_model": env.get("ASSISTANT_EMBED_MODEL") or PACKAGED_MODEL,
            "device": env.get("ASSISTANT_DEVICE", "auto"),
            "top_k": _int_env("ASSISTANT_TOP_K", 5),
            "batch_size": _int_env("ASSISTANT_BATCH_SIZE", None),
            "embed_backend": env.get("ASSISTANT_EMBED_BACKEND") or "auto",
        }
        known = {f.name for f in fields(cls)}
        values.update({k: v for k, v in overrides.items() if v is not None and k in known})
        values["corpus_dir"] = Path(values["corpus_dir"])
        values["index_dir"] = Path(values["index_dir"])
        return cls(**values)

    def with_(self, **changes) -> "Config":
        return replace(self, **changes)


def _int_env(name: str, default):
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise InputError(f"{name} must be an integer, not {raw!r}") from None
