"""The llama-index "starter" pipeline, as a baseline for the eval and the benchmarks.

What a developer gets from the llama-index starter tutorial: SimpleDirectoryReader over the
corpus, VectorStoreIndex with the default SentenceSplitter, persisted with
StorageContext.persist and loaded with load_index_from_storage, queried through
`index.as_retriever(similarity_top_k=2)`. No LLM is set (retrieval only). The embedding model
is the same as ours: HuggingFaceEmbedding (sentence-transformers) by default, as the starter
does, or an adapter over an existing Embedder so an in-process caller loads no second model.

    python -m assistant.tools.baseline "TF or PyTorch for browser?"   # prints the top-2 passages
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

STARTER_DIR = "starter"
STAMP = "starter_identity.json"


def _embedder_adapter(embedder):
    """A llama-index BaseEmbedding that delegates to our Embedder (same vectors)."""
    from llama_index.core.base.embeddings.base import BaseEmbedding
    from llama_index.core.bridge.pydantic import PrivateAttr

    class EmbedderAdapter(BaseEmbedding):
        _embedder: object = PrivateAttr()

        def __init__(self, wrapped, **kwargs):
            super().__init__(model_name=wrapped.model_id, embed_batch_size=64, **kwargs)
            self._embedder = wrapped

        def _get_query_embedding(self, query: str):
            return self._embedder.encode_queries([query])[0].tolist()

        async def _aget_query_embedding(self, query: str):
            return self._get_query_embedding(query)

        def _get_text_embedding(self, text: str):
            return self._embedder.encode([text])[0].tolist()

        def _get_text_embeddings(self, texts):
            return self._embedder.encode(list(texts)).tolist()

    return EmbedderAdapter(embedder)


def _starter_embedding(model_path: str):
    """llama-index's own HuggingFaceEmbedding, as the starter tutorial configures it."""
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    return HuggingFaceEmbedding(model_name=model_path, device="cpu")


class StarterPipeline:
    """VectorStoreIndex over the corpus docs, default SentenceSplitter, top-2, same embed model."""

    def __init__(self, config, embedder=None):
        from ..embedding import resolve_model

        self.config = config
        self.embedder = embedder
        self.model_path, self.model_id = resolve_model(config.embed_model)
        self.persist_dir = Path(config.index_dir) / STARTER_DIR
        self.index = None
        self.built = False
        self._retrievers: dict[int, object] = {}

    def _embed_model(self):
        if self.embedder is not None:
            return _embedder_adapter(self.embedder)
        return _starter_embedding(self.model_path)

    def _identity(self) -> dict:
        from ..store import corpus_hash

        return {"corpus_hash": corpus_hash(Path(self.config.corpus_dir)),
                "model_id": self.model_id}

    def warm_up(self) -> "StarterPipeline":
        """Load the persisted starter index; build and persist it first when missing/stale."""
        if self.index is not None:
            return self
        from filelock import FileLock
        from llama_index.core import (SimpleDirectoryReader, StorageContext,
                                      VectorStoreIndex, load_index_from_storage)

        embed_model = self._embed_model()
        identity = self._identity()
        self.persist_dir.mkdir(parents=True, exist_ok=True)
        with FileLock(str(self.persist_dir / ".build.lock"), timeout=600):
            stamp = self.persist_dir / STAMP
            try:
                fresh = json.loads(stamp.read_text(encoding="utf-8")) == identity
            except (OSError, ValueError):
                fresh = False
            if fresh:
                storage = StorageContext.from_defaults(persist_dir=str(self.persist_dir))
                self.index = load_index_from_storage(storage, embed_model=embed_model)
            else:
                from ..corpus import corpus_files

                files = [str(p) for p in corpus_files(Path(self.config.corpus_dir))
                         if p.suffix.lower() != ".pdf"]  # the starter reads text files only
                documents = SimpleDirectoryReader(input_files=files).load_data()
                self.index = VectorStoreIndex.from_documents(documents, embed_model=embed_model)
                self.index.storage_context.persist(persist_dir=str(self.persist_dir))
                stamp.write_text(json.dumps(identity), encoding="utf-8")
                self.built = True
        return self

    def retrieve(self, question: str, k: int = 2) -> list[tuple[str, float]]:
        """Top-k (chunk text, cosine score), best first."""
        self.warm_up()
        if k not in self._retrievers:
            self._retrievers[k] = self.index.as_retriever(similarity_top_k=k)
        hits = self._retrievers[k].retrieve(question)
        return [(h.node.get_content(), float(h.score or 0.0)) for h in hits]


def main(argv: list[str] | None = None) -> int:
    """Answer one question the starter way: print its top-2 passages."""
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from ..config import Config

    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1 or not args[0].strip():
        print('usage: python -m assistant.tools.baseline "QUESTION"', file=sys.stderr)
        return 2
    pipeline = StarterPipeline(Config.from_env()).warm_up()
    for n, (text, score) in enumerate(pipeline.retrieve(args[0], k=2), 1):
        print(f"[{n}] ({score:.3f}) {text}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
