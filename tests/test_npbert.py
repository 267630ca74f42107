"""The numpy embedding backend reproduces sentence-transformers (the index must not change)."""
from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from assistant.embedding import Embedder

TEXTS = ["TF or PyTorch for browser?", "x", "Which framework do LLMs use?",
         "Ünïcödé, emoji 🚀 and CJK 深度学习 survive tokenisation.",
         "long " * 400,  # longer than max_seq_length: truncated the same way
         "PyTorch | Eager (default) + torch.compile | TensorFlow | Eager (default in 2.x) + XLA"]

ST_SCRIPT = """
import sys, numpy as np
from sentence_transformers import SentenceTransformer
from assistant.embedding import resolve_model
from assistant.config import PACKAGED_MODEL
texts = sys.stdin.read().split("\\x1e")
model = SentenceTransformer(resolve_model(PACKAGED_MODEL)[0], device="cpu")
np.save(sys.argv[1], model.encode(texts, batch_size=4, normalize_embeddings=True))
"""


def test_default_cpu_embedder_uses_numpy_backend(embedder):
    assert embedder.backend == ("numpy" if embedder.device == "cpu" else "sentence-transformers")
    assert embedder.dimension == 384


def test_forced_sentence_transformers_backend_is_validated():
    """The GPU/other-model path stays selectable (not loaded here: one model per test run)."""
    forced = Embedder(backend="sentence-transformers")
    assert forced.requested_backend == "sentence-transformers" and forced.backend is None


@pytest.mark.slow
def test_numpy_backend_matches_sentence_transformers(embedder, tmp_path, corpus_texts):
    """Reference vectors come from sentence-transformers in a subprocess (one model here)."""
    if embedder.backend != "numpy":
        pytest.skip("numpy backend not in use on this machine")
    texts = TEXTS + corpus_texts
    out = tmp_path / "ref.npy"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    subprocess.run([sys.executable, "-c", ST_SCRIPT, str(out)], input="\x1e".join(texts),
                   text=True, check=True, timeout=300, env=env, capture_output=True)
    reference = np.load(out)
    ours = embedder.encode(texts)
    cosines = (ours * reference).sum(axis=1)
    assert ours.shape == reference.shape
    assert cosines.min() > 0.9999, f"worst cosine {cosines.min()}"
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_batch_and_single_encodes_agree(embedder):
    together = embedder.encode(TEXTS)
    alone = np.stack([embedder.encode([t])[0] for t in TEXTS])
    assert np.abs(together - alone).max() < 1e-5
    assert embedder.encode([]).shape == (0, 384)


def test_query_cache_returns_same_vectors(embedder):
    first = embedder.encode_queries(["Which framework do LLMs use?"])
    embedder.clear_cache()
    again = embedder.encode_queries(["Which framework do LLMs use?", "Which framework do LLMs use?"])
    assert np.allclose(first[0], again[0]) and np.allclose(again[0], again[1])


def test_unknown_backend_is_one_line_error():
    from assistant.errors import AssistantError

    with pytest.raises(AssistantError, match="unknown embedding backend"):
        Embedder(backend="onnx")


@pytest.fixture(scope="module")
def corpus_texts():
    from pathlib import Path

    from assistant.chunking import chunk_documents, embed_text
    from assistant.corpus import load_corpus

    root = Path(__file__).resolve().parent.parent / "corpus"
    return [embed_text(n) for n in chunk_documents(load_corpus(root))][:40]


def test_device_choice_without_gpu_needs_no_torch(monkeypatch):
    """auto -> cpu without importing torch on a machine with no NVIDIA driver (checked in a
    fresh process, since this one may have imported torch); cuda there is a one-line error."""
    import subprocess as sp

    from assistant import embedding
    from assistant.errors import AssistantError

    assert embedding.pick_device("cpu") == "cpu"
    code = ("import sys; from assistant.embedding import pick_device, _no_nvidia_driver; "
            "print(_no_nvidia_driver(), pick_device('auto'), 'torch' in sys.modules)")
    out = sp.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    no_driver, device, torch_loaded = out.stdout.split()
    if no_driver == "True":
        assert (device, torch_loaded) == ("cpu", "False")
    else:  # a machine with a driver: torch decides
        assert device in ("cpu", "cuda")
    monkeypatch.setattr(embedding, "_no_nvidia_driver", lambda: True)
    with pytest.raises(AssistantError, match="no CUDA GPU"):
        embedding.pick_device("cuda")
