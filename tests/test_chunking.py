"""Structure-aware chunks: table rows keep their header and section; ids are stable."""
from __future__ import annotations

import json

from assistant.chunking import chunk_documents, embed_text
from assistant.corpus import load_corpus
from conftest import CORPUS


def nodes():
    return chunk_documents(load_corpus(CORPUS))


def test_table_rows_keep_header_and_section():
    rows = [n for n in nodes() if n.metadata["kind"] == "table_row"]
    assert len(rows) == 48
    browser = [n for n in rows if n.get_content().startswith("Deployment Target: Browser")]
    assert len(browser) == 1
    node = browser[0]
    assert node.get_content() == ("Deployment Target: Browser | PyTorch: Limited (ONNX path) | "
                                  "TensorFlow: TensorFlow.js (mature)")
    assert node.metadata["heading_path"].startswith("Deployment and Production")
    assert json.loads(node.metadata["table_header"]) == ["Deployment Target", "PyTorch", "TensorFlow"]
    assert json.loads(node.metadata["row_cells"])[2] == "TensorFlow.js (mature)"
    assert "Deployment and Production" in embed_text(node)


def test_paragraphs_keep_heading_path_and_offsets():
    text = (CORPUS / "pytorch-vs-tensorflow-2025.md").read_text(encoding="utf-8")
    paragraphs = [n for n in nodes() if n.metadata["kind"] == "paragraph"]
    faq = [n for n in paragraphs if n.get_content().startswith("PyTorch dominates LLM development")]
    assert faq[0].metadata["heading_path"] == "Frequently Asked Questions > Which framework do LLMs use?"
    for n in paragraphs:
        assert text[n.metadata["start_char"]:n.metadata["end_char"]] == n.get_content()
        assert n.metadata["source"] == "corpus/pytorch-vs-tensorflow-2025.md"


def test_node_ids_are_stable_and_unique():
    first, second = nodes(), nodes()
    assert [n.node_id for n in first] == [n.node_id for n in second]
    assert len({n.node_id for n in first}) == len(first)


def test_long_paragraphs_become_sentence_windows(tmp_path):
    sentence = "PyTorch compiles models with torch.compile for faster training runs. "
    (tmp_path / "long.md").write_text("# Doc\n\n## Part\n\n" + sentence * 30 + "\n", encoding="utf-8")
    chunks = chunk_documents(load_corpus(tmp_path))
    assert len(chunks) > 1
    assert all(len(c.get_content()) <= 700 for c in chunks)
    assert all(c.metadata["kind"] == "sentences" for c in chunks)
