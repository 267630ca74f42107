"""A numpy forward pass for sentence-transformers BERT models (mean pooling, L2-normalised).

Why: importing sentence-transformers + torch costs ~8 s here; this path needs only numpy,
`tokenizers` and `safetensors` (~0.3 s to import and load all-MiniLM-L6-v2), so `assistant ask`
starts fast. It reproduces SentenceTransformer.encode(normalize_embeddings=True) for models
whose modules.json is Transformer -> Pooling(mean) [-> Normalize] over a BERT encoder with
absolute positions (tests check cosine > 0.9999 against sentence-transformers).
It does not handle other architectures, CLS/max pooling, Dense heads or GPUs: `supports()`
says no and the caller falls back to sentence-transformers.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np

MAX_TOKENS_PER_BATCH = 4096  # padded tokens per forward pass (bounds the attention memory)
FFN_ROWS = 256  # token rows per feed-forward block


def read_json(path: Path):
    """A JSON file's content, or None when it is missing or not JSON."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def supports(model_path: str) -> bool:
    """True when model_path is a local BERT + mean-pooling sentence-transformers folder."""
    root = Path(model_path)
    config = read_json(root / "config.json") or {}
    modules = read_json(root / "modules.json") or []
    kinds = [m.get("type", "").rsplit(".", 1)[-1] for m in modules]
    if kinds not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]):
        return False
    pooling = read_json(root / modules[1].get("path", "") / "config.json") or {}
    mean_only = pooling.get("pooling_mode_mean_tokens") and not any(
        v for k, v in pooling.items() if k.startswith("pooling_mode_") and k !=
        "pooling_mode_mean_tokens")
    return bool(mean_only) and config.get("model_type") == "bert" \
        and config.get("hidden_act") == "gelu" \
        and config.get("position_embedding_type", "absolute") == "absolute" \
        and (root / "tokenizer.json").is_file() and (root / "model.safetensors").is_file()


def _gelu_(x: np.ndarray, scratch: np.ndarray) -> np.ndarray:
    """Exact (erf) GELU in place; erf within 1.5e-7 (Abramowitz & Stegun 7.1.26), below the
    float32 resolution of the activations. numpy has no erf; scipy's is no faster here."""
    a = np.multiply(x, np.float32(0.7071067811865476), out=scratch[0])
    sign = np.sign(a)
    np.abs(a, out=a)
    t = np.multiply(a, np.float32(0.3275911), out=scratch[1])
    t += 1.0
    np.reciprocal(t, out=t)
    poly = np.multiply(t, np.float32(1.061405429), out=scratch[2])
    for c in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        poly += np.float32(c)
        poly *= t
    np.square(a, out=a)
    np.negative(a, out=a)
    np.exp(a, out=a)
    poly *= a                      # 1 - erf(|x|/sqrt2)
    np.subtract(1.0, poly, out=poly)
    poly *= sign                   # erf(x/sqrt2)
    poly += 1.0
    x *= poly
    x *= 0.5
    return x


def _layer_norm(x: np.ndarray, weight, bias, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    centred = x - mean
    var = np.mean(centred * centred, axis=-1, keepdims=True)
    return centred / np.sqrt(var + eps) * weight + bias


class NumpyBert:
    """Load with NumpyBert(path); encode(texts, batch_size) -> (n, dim) float32 unit vectors."""

    def __init__(self, model_path: str):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        root = Path(model_path)
        config = read_json(root / "config.json")
        st_config = read_json(root / "sentence_bert_config.json") or {}
        self.max_length = int(st_config.get("max_seq_length")
                              or min(512, config.get("max_position_embeddings", 512)))
        self.lower_case = bool(st_config.get("do_lower_case", False))
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.dimension = int(config["hidden_size"])
        self.tokenizer = Tokenizer.from_file(str(root / "tokenizer.json"))
        self.tokenizer.enable_truncation(self.max_length)
        self.tokenizer.no_padding()
        w = load_file(str(root / "model.safetensors"))
        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in w else ""
        g = lambda name: w[prefix + name]  # noqa: E731
        self.word = g("embeddings.word_embeddings.weight")
        self.position = g("embeddings.position_embeddings.weight")
        self.token_type = g("embeddings.token_type_embeddings.weight")[0]
        self.emb_norm = (g("embeddings.LayerNorm.weight"), g("embeddings.LayerNorm.bias"))
        self.layers = []
        for i in range(int(config["num_hidden_layers"])):
            p = f"encoder.layer.{i}."
            qkv_w = np.concatenate([g(p + f"attention.self.{n}.weight")
                                    for n in ("query", "key", "value")]).T
            qkv_b = np.concatenate([g(p + f"attention.self.{n}.bias")
                                    for n in ("query", "key", "value")])
            self.layers.append((
                np.ascontiguousarray(qkv_w), qkv_b,
                np.ascontiguousarray(g(p + "attention.output.dense.weight").T),
                g(p + "attention.output.dense.bias"),
                (g(p + "attention.output.LayerNorm.weight"), g(p + "attention.output.LayerNorm.bias")),
                np.ascontiguousarray(g(p + "intermediate.dense.weight").T),
                g(p + "intermediate.dense.bias"),
                np.ascontiguousarray(g(p + "output.dense.weight").T), g(p + "output.dense.bias"),
                (g(p + "output.LayerNorm.weight"), g(p + "output.LayerNorm.bias")),
            ))

    def encode(self, texts: list[str], batch_size: int = 64,
               show_progress: bool = False) -> np.ndarray:
        """Tokenise, sort by length, run batches (in parallel threads when there are several:
        BLAS runs single-threaded, numpy releases the GIL), mean-pool and normalise."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if self.lower_case:
            texts = [t.lower() for t in texts]
        ids = [e.ids for e in self.tokenizer.encode_batch(list(texts))]
        order = np.argsort([-len(i) for i in ids], kind="stable")  # similar lengths together
        batches, start = [], 0
        while start < len(order):
            longest = max(len(ids[order[start]]), 1)
            size = max(1, min(batch_size, MAX_TOKENS_PER_BATCH // longest))
            batches.append(order[start:start + size])
            start += size
        out = np.empty((len(ids), self.dimension), dtype=np.float32)
        run = lambda chunk: out.__setitem__(chunk, self._forward([ids[j] for j in chunk]))  # noqa: E731
        workers = min(len(batches), os.cpu_count() or 1)
        progress = None
        if show_progress:
            from tqdm import tqdm

            progress = tqdm(total=len(ids), desc="embedding", unit="chunk", file=sys.stderr)
        step = (lambda chunk: (run(chunk), progress.update(len(chunk)))) if progress else run
        if workers > 1:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(workers) as pool:
                list(pool.map(step, batches))
        else:
            step(batches[0])
        if progress:
            progress.close()
        return out

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        n, length = len(batch), max(max(len(b) for b in batch), 1)
        ids = np.zeros((n, length), dtype=np.int64)
        mask = np.zeros((n, length), dtype=np.float32)
        for row, tokens in enumerate(batch):
            ids[row, :len(tokens)] = tokens
            mask[row, :len(tokens)] = 1.0
        heads, dim = self.heads, self.dimension
        head_dim = dim // heads
        x = (self.word[ids] + self.position[:length] + self.token_type).reshape(n * length, dim)
        x = _layer_norm(x, *self.emb_norm, self.eps)
        scale = np.float32(1.0 / np.sqrt(head_dim))
        bias = ((1.0 - mask) * np.float32(-1e30))[:, None, None, :]
        rows = max(1, FFN_ROWS)
        scratch = np.empty((3, min(rows, n * length), self.layers[0][5].shape[1]), np.float32)
        for qkv_w, qkv_b, o_w, o_b, norm1, i_w, i_b, f_w, f_b, norm2 in self.layers:
            qkv = (x @ qkv_w + qkv_b).reshape(n, length, 3, heads, head_dim)
            q = np.ascontiguousarray(qkv[:, :, 0].transpose(0, 2, 1, 3))
            k = np.ascontiguousarray(qkv[:, :, 1].transpose(0, 2, 3, 1))
            v = np.ascontiguousarray(qkv[:, :, 2].transpose(0, 2, 1, 3))
            scores = q @ k
            scores *= scale
            scores += bias
            scores -= scores.max(-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(n * length, dim)
            x = _layer_norm(context @ o_w + o_b + x, *norm1, self.eps)
            ffn = np.empty_like(x)
            for lo in range(0, n * length, rows):  # cache-sized blocks: GELU stays in L2
                h = x[lo:lo + rows] @ i_w
                h += i_b
                _gelu_(h, scratch[:, :len(h)])
                np.matmul(h, f_w, out=ffn[lo:lo + rows])
            ffn += f_b
            ffn += x
            x = _layer_norm(ffn, *norm2, self.eps)
        x = x.reshape(n, length, dim)
        pooled = (x * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
