"""Corpus fidelity against the original article (a fixture copy of its flattened text), and
the loaders for .md/.txt/.html."""
from __future__ import annotations

import re

import pytest

from assistant.corpus import load_corpus, load_document, parse_markdown
from conftest import ARTICLE, CORPUS

MD = CORPUS / "pytorch-vs-tensorflow-2025.md"
# Page chrome of the blog page that the Markdown intentionally leaves out.
CHROME = {"Research", "Back to BlogWritten by SpheronDec 23, 2025",
          "Machine LearningPyTorchTensorFlowDeep LearningGPU CloudAI Frameworks",
          "Explore GPU options on Spheron →", "Build what's next.",
          "The most cost-effective platform for building, training, and scaling machine learning "
          "models-ready when you are."}


@pytest.fixture(scope="module")
def shared_lines():
    assert ARTICLE.is_file(), f"article fixture missing: {ARTICLE}"
    return [l for l in ARTICLE.read_text(encoding="utf-8").splitlines() if l.strip()]


@pytest.fixture(scope="module")
def parsed():
    return parse_markdown(MD.read_text(encoding="utf-8"))


def test_front_matter(parsed):
    meta, _ = parsed
    assert meta["title"] == "PyTorch vs TensorFlow in 2025: Which AI Framework Should You Choose?"
    assert meta["date"] == "2025-12-23"
    assert meta["author"] == "Spheron"
    assert "source" in meta


def test_every_table_row_concatenates_to_the_flattened_line(parsed, shared_lines):
    _, blocks = parsed
    tables = [b for b in blocks if b.kind == "table"]
    assert len(tables) == 7
    source = set(shared_lines)
    for table in tables:
        assert "".join(table.header) in source, table.header
        widths = {len(table.header)} | {len(r.cells) for r in table.rows}
        assert len(widths) == 1, f"ragged table under {table.headings}"
        for row in table.rows:
            assert all(cell for cell in row.cells), row.cells
            assert "".join(row.cells) in source, row.cells
    assert sum(len(t.rows) for t in tables) == 48


def test_every_table_line_of_the_article_is_a_row(parsed, shared_lines):
    """No flattened row is lost: each article line that a row came from is accounted for."""
    _, blocks = parsed
    joined = {"".join(r.cells) for b in blocks if b.kind == "table" for r in b.rows}
    joined |= {"".join(b.header) for b in blocks if b.kind == "table"}
    paragraphs = {b.text for b in blocks if b.kind == "paragraph"}
    headings = {h for b in blocks for h in b.headings}
    for line in shared_lines:
        if line in CHROME:
            continue
        assert line in joined or line in paragraphs or line in headings, line


def test_every_paragraph_is_verbatim(parsed, shared_lines):
    _, blocks = parsed
    source = set(shared_lines)
    for block in blocks:
        if block.kind == "paragraph":
            assert block.text in source, block.text[:80]
    paragraphs = [l for l in shared_lines if len(l) > 120 and l not in CHROME]
    texts = {b.text for b in blocks if b.kind == "paragraph"}
    missing = [p[:60] for p in paragraphs if p not in texts]
    assert not missing


def test_chrome_left_out_and_headings_are_headings():
    text = MD.read_text(encoding="utf-8")
    for chrome in CHROME - {"Research"}:
        assert chrome not in text
    assert re.search(r"^## When to Choose TensorFlow$", text, re.M)
    assert re.search(r"^### Which framework do LLMs use\?$", text, re.M)


def test_block_offsets_point_into_the_file():
    doc = load_document(MD, "corpus/" + MD.name)
    for block in doc.blocks:
        assert doc.text[block.start:block.end] == block.text
        for row in block.rows:
            assert doc.text[row.start:row.end].startswith("| ")


def test_load_corpus_reads_md_txt_html(tmp_path):
    (tmp_path / "a.md").write_text("# Title\n\n## Sec\n\nPara one.\n\n| H | PyTorch | TensorFlow |\n"
                                   "| --- | --- | --- |\n| Row | x | y |\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Team notes\n\nWe deploy on Jetson boards.\n", encoding="utf-8")
    (tmp_path / "c.html").write_text(
        "<html><body><nav>menu</nav><h2>Serving</h2><p>We use <b>TorchServe</b>.</p>"
        "<table><tr><th>K</th><th>PyTorch</th></tr><tr><td>A</td><td>B</td></tr></table>"
        "</body></html>", encoding="utf-8")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF")
    docs = {d.source: d for d in load_corpus(tmp_path)}
    assert set(docs) == {f"{tmp_path.name}/{n}" for n in ("a.md", "b.txt", "c.html", "broken.pdf")}
    broken = docs[f"{tmp_path.name}/broken.pdf"]
    assert broken.skipped.startswith("not a readable PDF") and broken.blocks == []
    md = docs[f"{tmp_path.name}/a.md"]
    assert [b.kind for b in md.blocks] == ["paragraph", "table"]
    assert md.blocks[1].headings == ("Title", "Sec") and md.blocks[1].rows[0].cells == ("Row", "x", "y")
    txt = docs[f"{tmp_path.name}/b.txt"]
    assert txt.blocks[0].headings == ("Team notes",)
    html = docs[f"{tmp_path.name}/c.html"]
    assert html.blocks[0].text == "We use TorchServe." and html.blocks[0].headings == ("Serving",)
    assert html.blocks[1].header == ("K", "PyTorch") and html.blocks[1].rows[0].cells == ("A", "B")
    assert all("menu" not in b.text for b in html.blocks)


def test_non_utf8_document_is_read_with_a_warning(tmp_path, capsys):
    (tmp_path / "latin.txt").write_bytes("Caf\xe9 notes about PyTorch.".encode("latin-1"))
    docs = load_corpus(tmp_path)
    assert "Café" in docs[0].blocks[0].text
    assert "not UTF-8" in capsys.readouterr().err
