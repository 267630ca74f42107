"""PDF documents (generated here with reportlab, see pdf_fixtures.py): headings, pages, table
rows with and without ruled columns, metadata, page citations, and unreadable PDFs (scanned,
encrypted, corrupt) skipped with a one-line warning each."""
from __future__ import annotations

import json
import shutil
from datetime import datetime

import pytest

from assistant.chunking import chunk_documents, chunk_with_counts
from assistant.corpus import load_corpus, load_document
from conftest import CORPUS, FIXTURES
from pdf_fixtures import corrupt_pdf, encrypted_pdf, markdown_pdf, scanned_pdf

REPORT = FIXTURES / "inference-benchmark-report.txt"


def report_pdf(path, **kw):
    return markdown_pdf(path, REPORT.read_text(encoding="utf-8"),
                        title="LLM Serving Benchmark Report 2025", author="Halcyon Compute",
                        date=datetime(2025, 6, 14), running_header="Halcyon Compute | Benchmark Report",
                        **kw)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    return report_pdf(tmp_path_factory.mktemp("pdf") / "benchmark-report.pdf")


def test_pdf_headings_pages_tables_and_metadata(report):
    doc = load_document(report, "corpus/benchmark-report.pdf")
    assert doc.format == "pdf" and doc.pages == 3 and doc.skipped is None
    assert doc.title == "LLM Serving Benchmark Report 2025"
    assert doc.meta == {"title": "LLM Serving Benchmark Report 2025", "author": "Halcyon Compute",
                        "date": "2025-06-14"}
    nodes = chunk_documents([doc])
    by_text = {n.get_content(): n for n in nodes}
    info = nodes[0]
    assert info.metadata["kind"] == "doc_info" and info.get_content() == (
        "LLM Serving Benchmark Report 2025 — by Halcyon Compute, published Jun 14, 2025")
    row = by_text["Model and GPU: Llama 3 8B on Halcyon H9 | vLLM (tokens/s): 418.72 | "
                  "TensorRT-LLM (tokens/s): 402.10 | TGI (tokens/s): 371.55"]
    assert row.metadata["kind"] == "table_row" and row.metadata["page"] == 2
    assert row.metadata["section"] == "Single-Stream Throughput (p. 2)"
    assert json.loads(row.metadata["table_header"])[0] == "Model and GPU"
    assert sum(1 for n in nodes if n.metadata["kind"] == "table_row") == 4
    cost = next(n for n in nodes if "0.19 US dollars" in n.get_content())
    assert cost.metadata["page"] == 3 and cost.metadata["section"] == "Cost per Million Tokens (p. 3)"
    assert cost.metadata["heading_path"] == "Cost per Million Tokens"
    bullets = [n.get_content() for n in nodes if n.metadata["heading_path"] == "Recommendations"]
    assert bullets[0].startswith("Choose TensorRT-LLM for the lowest latency") and len(bullets) == 3
    for node in nodes:  # running header, page numbers and glyph junk are not passages
        text = node.get_content()
        assert "Halcyon Compute | Benchmark Report" not in text and "(cid:" not in text
        assert not text.startswith(("Page ", "•")), text
        assert doc.text[node.metadata["start_char"]:node.metadata["end_char"]] or \
            node.metadata["kind"] == "doc_info"


@pytest.mark.parametrize("rules", ["none", "shaded"])
def test_pdf_table_without_column_rules_is_read_from_its_aligned_text(tmp_path, rules):
    """A table typeset with no rules, or with shaded rows and no column rules (whose edges alone
    make a one-column "table" of whole lines), is still a table with its header: its lines'
    cells stand in the same columns. The prose around it stays paragraphs."""
    text = ("# Queue runtimes\n\nWe measured both queues on one node for a week of traffic.\n\n"
            "| Measure | Gamma | Delta |\n| --- | --- | --- |\n| p50 latency (ms) | 4.1 | 6.3 |\n"
            "| Cost (USD/month) | 1,200 | 950 |\n\nUse Gamma for bursty traffic.\n")
    path = markdown_pdf(tmp_path / "queues.pdf", text, title="Queue runtimes", rules=rules)
    doc = load_document(path, "t/queues.pdf")
    assert [b.kind for b in doc.blocks] == ["paragraph", "table", "paragraph"]
    table = doc.blocks[1]
    assert table.header == ("Measure", "Gamma", "Delta")
    assert [r.cells for r in table.rows] == [("p50 latency (ms)", "4.1", "6.3"),
                                             ("Cost (USD/month)", "1,200", "950")]


def test_pdf_table_with_rules_between_columns_only_and_a_wrapped_header(tmp_path):
    """Rules drawn only between the body's columns, shaded bands on every other row and a
    header whose cells wrap onto a second line (centred, so the one-line cells sit between the
    lines): every row keeps its first and last cell, and each header cell is read whole. A
    bold line after a paragraph ("When to choose Delta") is a heading."""
    rows = "".join(f"| {name} | {p50} | {rps} | {note} |\n" for name, p50, rps, note in [
        ("Gamma", "4.1", "2,300", "bursty traffic"), ("Delta", "6.3", "1,900", "steady load"),
        ("Epsilon", "9.8", "1,100", "batch jobs"), ("Zeta", "5.5", "2,050", "small teams")])
    text = ("# Queue runtimes\n\nWe measured four queues on one node for a week of traffic.\n\n"
            "| Queue | p50 latency<br>(ms) | Throughput<br>(msgs/s) | Best for |\n| --- | --- | --- | --- |\n"
            + rows + "\nLower is better for latency.\n\n**When to choose Delta**\n\n"
            "Choose Delta for steady load on one node.\n")
    doc = load_document(markdown_pdf(tmp_path / "q.pdf", text, rules="columns"), "t/q.pdf")
    table = next(b for b in doc.blocks if b.kind == "table")
    assert table.header == ("Queue", "p50 latency (ms)", "Throughput (msgs/s)", "Best for")
    assert [r.cells for r in table.rows] == [
        ("Gamma", "4.1", "2,300", "bursty traffic"), ("Delta", "6.3", "1,900", "steady load"),
        ("Epsilon", "9.8", "1,100", "batch jobs"), ("Zeta", "5.5", "2,050", "small teams")]
    last = doc.blocks[-1]
    assert last.text == "Choose Delta for steady load on one node."
    assert last.headings == ("Queue runtimes", "When to choose Delta")


def test_pdf_without_headings_cites_the_page(tmp_path):
    text = "First page fact: the cluster has 64 GPUs.\n\n---\n\nSecond page fact: it idles at 3 kW."
    doc = load_document(markdown_pdf(tmp_path / "plain.pdf", text), "corpus/plain.pdf")
    sections = {n.get_content(): n.metadata["section"] for n in chunk_documents([doc])}
    assert sections == {"First page fact: the cluster has 64 GPUs.": "p. 1",
                        "Second page fact: it idles at 3 kW.": "p. 2"}


def test_unreadable_pdfs_are_skipped_with_one_warning_each(tmp_path, report):
    shutil.copy(CORPUS / "pytorch-vs-tensorflow-2025.md", tmp_path / "article.md")
    shutil.copy(report, tmp_path / "report.pdf")
    scanned_pdf(tmp_path / "scan.pdf")
    encrypted_pdf(tmp_path / "locked.pdf")
    corrupt_pdf(tmp_path / "broken.pdf")
    warnings = []
    docs = {d.path.name: d for d in load_corpus(tmp_path, warn=warnings.append)}
    name = tmp_path.name
    assert sorted(warnings) == [
        f"warning: {name}/broken.pdf skipped: not a readable PDF (PSEOF)",
        f"warning: {name}/locked.pdf skipped: encrypted (needs a password)",
        f"warning: {name}/scan.pdf skipped: no text layer (a scanned PDF? run OCR first)"]
    assert all("\n" not in w for w in warnings)
    nodes, counts = chunk_with_counts(list(docs.values()))
    assert {n.metadata["source"] for n in nodes} == {f"{name}/article.md", f"{name}/report.pdf"}
    assert counts[f"{name}/scan.pdf"] == {"passages": 0, "duplicates": 0}
