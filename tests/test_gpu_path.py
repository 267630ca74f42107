"""The CUDA path, exercised on CPU: with the device resolved to 'cuda', the embedder must use
sentence-transformers in fp16 with GPU batch sizes and still return float32 unit vectors that
match the CPU path. Only the GPU itself is simulated (it cannot exist here): the real model is
loaded, converted to half precision, and run on the CPU."""
from __future__ import annotations

import numpy as np

TEXTS = ["TensorFlow.js runs models directly in the browser.",
         "Deployment Target: Mobile (Android/iOS) | PyTorch: ExecuTorch (experimental) | "
         "TensorFlow: TF Lite (mature)"]


def test_cuda_path_uses_fp16_sentence_transformers(monkeypatch, embedder):
    import sentence_transformers
    import torch

    from assistant import embedding

    requested = {}
    real_class = sentence_transformers.SentenceTransformer

    class LoadsOnCpu(real_class):
        def __init__(self, path, device=None, **kwargs):
            requested["device"] = device
            super().__init__(path, device="cpu", **kwargs)

    monkeypatch.setattr(sentence_transformers, "SentenceTransformer", LoadsOnCpu)
    monkeypatch.setattr(embedding, "pick_device", lambda requested="auto": "cuda")
    gpu = embedding.Embedder(device="auto").warm_up()
    assert requested["device"] == "cuda"
    assert (gpu.device, gpu.backend) == ("cuda", "sentence-transformers")
    assert next(gpu._model.parameters()).dtype == torch.float16
    assert gpu.default_batch_size() == 1024 and gpu.dimension == 384
    vectors = gpu.encode(TEXTS)
    assert vectors.dtype == np.float32 and vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    cosines = (vectors * embedder.encode(TEXTS)).sum(axis=1)
    assert cosines.min() > 0.999, cosines
    # bulk encodes tokenise with the Rust tokenizer and run the model's own forward pass
    assert gpu._tokenizer is not None
    many = [f"{t} (copy {i})" for i in range(40) for t in TEXTS]
    fast = gpu.encode(many)
    slow = gpu._model.encode(many, normalize_embeddings=True, convert_to_numpy=True)
    assert ((fast * slow).sum(axis=1)).min() > 0.999


def test_threaded_tokenization_keeps_order(monkeypatch):
    from tokenizers import Tokenizer

    from assistant import embedding

    path, _ = embedding.resolve_model(embedding.PACKAGED_MODEL)
    tokenizer = Tokenizer.from_file(f"{path}/tokenizer.json")
    texts = [f"{TEXTS[i % 2]} number {i}" for i in range(1000)]
    monkeypatch.setattr(embedding.os, "cpu_count", lambda: 4)
    assert embedding._token_ids(tokenizer, texts) == [e.ids for e in tokenizer.encode_batch(texts)]
