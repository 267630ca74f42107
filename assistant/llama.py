"""llama-index where it serves: building nodes, and using the advisor from llama-index apps.

- `ingest(corpus_dir)`: the build runs through a llama-index `IngestionPipeline`: one llama
  `Document` per file, then the `StructuredChunker` transformation (this project's structure-
  aware parsing and chunking: sections, table rows that keep their header, duplicates merged)
  turns them into `TextNode`s.
- `AdvisorRetriever(advisor)`: a llama-index retriever over the advisor; it returns the
  evidence the advisor cites, as `NodeWithScore`s (score: the evidence's relevance), with the
  verdict, confidence and answer text in each node's metadata.
- `advisor_query_engine(advisor)`: a `RetrieverQueryEngine` over that retriever that needs no
  LLM (its response is the advisor's own cited answer).

    from assistant.advisor import Advisor
    from assistant.llama import advisor_query_engine
    print(advisor_query_engine(Advisor()).query("TF or PyTorch for browser?"))

The answer path (`assistant ask`, the server) never imports this module.
Not handled: async retrieval, streaming responses.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=None)
def _classes():
    from llama_index.core.base.base_retriever import BaseRetriever
    from llama_index.core.base.response.schema import Response
    from llama_index.core.response_synthesizers.base import BaseSynthesizer
    from llama_index.core.schema import NodeWithScore, TextNode, TransformComponent

    class StructuredChunker(TransformComponent):
        """llama Documents (metadata: path, source) -> structure-aware TextNodes."""

        def __call__(self, nodes, **kwargs):
            from .chunking import chunk_documents
            from .corpus import load_document

            return chunk_documents([load_document(Path(n.metadata["path"]), n.metadata["source"])
                                    for n in nodes])

    class AdvisorRetriever(BaseRetriever):
        """The advisor's cited evidence for a question, as llama-index nodes."""

        def __init__(self, advisor, k: int | None = None):
            super().__init__()
            self._advisor, self._k = advisor, k

        def _retrieve(self, query_bundle):
            answer = self._advisor.ask(query_bundle.query_str, k=self._k)
            shared = {"verdict": answer.verdict, "confidence": answer.confidence,
                      "abstained": answer.abstained, "answer": answer.answer}
            return [NodeWithScore(node=TextNode(id_=c.id, text=c.text, metadata={
                "source": c.source, "section": c.section, "n": c.n, **shared}), score=c.score)
                for c in answer.citations]

    class AdvisorSynthesizer(BaseSynthesizer):
        """No LLM: the response is the advisor's answer carried by the retrieved nodes."""

        def __init__(self):
            from llama_index.core.llms.mock import MockLLM

            super().__init__(llm=MockLLM())

        def _get_prompts(self):
            return {}

        def _update_prompts(self, prompts):
            pass

        def get_response(self, query_str, text_chunks, **kwargs):
            return ""

        async def aget_response(self, query_str, text_chunks, **kwargs):
            return ""

        def synthesize(self, query, nodes, additional_source_nodes=None, **kwargs):
            text = nodes[0].node.metadata.get("answer") if nodes else \
                "The documents don't cover that."
            return Response(response=text, source_nodes=list(nodes))

        async def asynthesize(self, query, nodes, additional_source_nodes=None, **kwargs):
            return self.synthesize(query, nodes)

    return StructuredChunker, AdvisorRetriever, AdvisorSynthesizer


def ingest(corpus_dir: Path) -> list:
    """TextNodes of every corpus file, through a llama-index IngestionPipeline."""
    from llama_index.core import Document
    from llama_index.core.ingestion import IngestionPipeline

    from .corpus import corpus_files

    corpus_dir = Path(corpus_dir)
    documents = [Document(text="", id_=f"{corpus_dir.name}/{p.relative_to(corpus_dir).as_posix()}",
                          metadata={"path": str(p), "source": f"{corpus_dir.name}/"
                                    f"{p.relative_to(corpus_dir).as_posix()}"})
                 for p in corpus_files(corpus_dir)]
    chunker = _classes()[0]()
    return list(IngestionPipeline(transformations=[chunker], disable_cache=True).run(
        documents=documents, show_progress=False))


def __getattr__(name: str):
    """AdvisorRetriever / AdvisorSynthesizer / StructuredChunker, built on first use (so
    importing this module does not import llama-index)."""
    names = ("StructuredChunker", "AdvisorRetriever", "AdvisorSynthesizer")
    if name in names:
        return dict(zip(names, _classes()))[name]
    raise AttributeError(name)


def advisor_query_engine(advisor, k: int | None = None):
    """A llama-index RetrieverQueryEngine over the advisor (no LLM involved)."""
    from llama_index.core.query_engine import RetrieverQueryEngine

    _, retriever, synthesizer = _classes()
    return RetrieverQueryEngine(retriever=retriever(advisor, k), response_synthesizer=synthesizer())
