"""The llama-index adapter: a real RetrieverQueryEngine (no LLM) over the advisor, and the
build through a llama-index IngestionPipeline."""
from __future__ import annotations

from conftest import CORPUS


def test_a_llama_index_query_engine_answers_through_the_advisor(advisor):
    from llama_index.core.query_engine import RetrieverQueryEngine
    from llama_index.core.schema import NodeWithScore

    from assistant.llama import AdvisorRetriever, advisor_query_engine

    engine = advisor_query_engine(advisor)
    assert isinstance(engine, RetrieverQueryEngine)
    response = engine.query("TF or PyTorch for browser?")
    answer = advisor.ask("TF or PyTorch for browser?")
    assert str(response) == answer.answer
    assert [n.node.node_id for n in response.source_nodes] == [c.id for c in answer.citations]
    assert all(isinstance(n, NodeWithScore) for n in response.source_nodes)
    assert response.source_nodes[0].node.metadata["verdict"] == "tensorflow"
    nodes = AdvisorRetriever(advisor, k=2).retrieve("Which framework do LLMs use?")
    assert 1 <= len(nodes) <= 2 and nodes[0].node.metadata["source"].endswith(".md")


def test_the_build_runs_through_an_ingestion_pipeline():
    from llama_index.core.schema import TextNode

    from assistant.llama import ingest

    nodes = ingest(CORPUS)
    assert nodes and all(isinstance(n, TextNode) for n in nodes)
    rows = [n for n in nodes if n.metadata["kind"] == "table_row"]
    assert any(n.get_content().startswith("Category: Browser |") for n in rows)
