"""Markdown and HTML documents: Markdown rendered to clean text (offsets kept), its tables,
footnotes and headings; HTML without page chrome, with captions, asides and spanning cells;
document-info passages; and the same document in two formats indexed once. PDFs are tested in
test_formats_pdf.py, plain text in test_formats_plain_text.py."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.chunking import chunk_documents, chunk_with_counts, normal_form
from assistant.corpus import Document, doc_info_text, human_date, load_corpus, load_document
from assistant.formats.markdown import parse_markdown
from assistant.formats.inline import render
from conftest import CORPUS, ROOT

TEAM = ROOT / "eval" / "corpora" / "team"


MARKUP = """---
title: Serving Notes
author: Inference Team
date: 2025-03-07
---

# Serving Notes

The H9 reached **418.72** tokens/s with `vllm serve` and [paged attention](https://x.y/z).

\\* LLM inference runs on *two* replicas behind __one__ gateway.

- Use ~~TGI~~ vLLM for chat: see <https://docs.vllm.ai>.

| Stack | Speed |
| --- | --- |
| **vLLM** | `418.72` tok/s |
"""


# --- Markdown --------------------------------------------------------------------------------

@pytest.mark.parametrize("source,plain", [
    ("The **418.72** tokens/s", "The 418.72 tokens/s"),
    ("use `torch.compile` and [vLLM](https://vllm.ai \"docs\")", "use torch.compile and vLLM"),
    ("***both*** and _it_ but snake_case_name and 5 * 3 * 2", "both and it but snake_case_name and 5 * 3 * 2"),
    ("![a chart](c.png) <b>bold</b><!-- note --> <https://a.b/c>", "a chart bold https://a.b/c"),
    ("\\*literal\\* and ``code with ` tick``", "*literal* and code with ` tick"),
    ("unclosed **star and a <5 ms figure", "unclosed **star and a <5 ms figure"),
])
def test_inline_markup_renders_to_plain_text_with_offsets(source, plain):
    text, offsets = render(source)
    assert text == plain
    assert all(source[o] == ch for ch, o in zip(text, offsets) if not ch.isspace())


def test_markdown_passages_are_clean_and_map_to_the_file(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text(MARKUP, encoding="utf-8")
    doc = load_document(path, "corpus/notes.md")
    nodes = chunk_documents([doc])
    texts = [n.get_content() for n in nodes]
    assert texts[0] == "Serving Notes — by Inference Team, published Mar 7, 2025"
    assert "The H9 reached 418.72 tokens/s with vllm serve and paged attention." in texts
    assert "LLM inference runs on two replicas behind one gateway." in texts
    assert "Use TGI vLLM for chat: see https://docs.vllm.ai." in texts
    assert "Stack: vLLM | Speed: 418.72 tok/s" in texts
    for node in nodes:
        assert not any(mark in node.get_content() for mark in ("**", "`", "](", "\\*", "~~", "__"))
        if node.metadata["kind"] == "doc_info":
            continue
        raw = re.sub(r"\]\([^)]*\)", "]", MARKUP[node.metadata["start_char"]:node.metadata["end_char"]])
        plain = node.get_content() if node.metadata["kind"] != "table_row" else \
            " ".join(json.loads(node.metadata["row_cells"]))
        assert normal_form(raw) == normal_form(plain), raw
    para = next(b for b in doc.blocks if "418.72" in b.text and b.kind == "paragraph")
    assert MARKUP[para.start:para.end].startswith("The H9 reached **418.72**")
    assert all(MARKUP[o] == ch for ch, o in zip(para.text, para.char_map) if not ch.isspace())


def test_long_wrapped_markdown_paragraph_windows_map_to_the_file(tmp_path):
    sentence = "PyTorch **compiles** models with `torch.compile` for faster runs. "
    body = "\n".join([sentence * 2] * 10)
    (tmp_path / "long.md").write_text("# Doc\n\n## Part\n\n" + body + "\n", encoding="utf-8")
    source = (tmp_path / "long.md").read_text(encoding="utf-8")
    nodes = chunk_documents(load_corpus(tmp_path))
    assert len(nodes) > 1 and all(n.metadata["kind"] == "sentences" for n in nodes)
    for node in nodes:
        assert "**" not in node.get_content() and len(node.get_content()) <= 700
        raw = source[node.metadata["start_char"]:node.metadata["end_char"]]
        assert raw.startswith("PyTorch **compiles**") and raw.endswith("faster runs.")


MARKDOWN_TABLES = """# Queue runtimes

## Figures

<table>
<thead><tr><th>Measure</th><th>Gamma</th><th>Delta</th></tr></thead>
<tbody>
<tr><td>p50 latency (ms)</td><td>4.1</td><td>6.3</td></tr>
<tr><td>Memory (MB)</td><td>300</td><td>250</td></tr>
</tbody>
</table>

Measure | Gamma | Delta
:--- | ---: | ---:
Cold start (s) | 12 | 40
Nodes | 3 | 1

After the tables.
"""


def test_markdown_raw_html_tables_and_tables_without_outer_pipes():
    """A raw HTML <table> in Markdown is a table (cells kept apart: "12", "15", not "1215"),
    under the Markdown headings, its rows pointing into the file; a GFM table without outer
    pipes is a table too."""
    _, blocks = parse_markdown(MARKDOWN_TABLES)
    assert [(b.kind, b.headings) for b in blocks] == [
        ("table", ("Queue runtimes", "Figures")), ("table", ("Queue runtimes", "Figures")),
        ("paragraph", ("Queue runtimes", "Figures"))]
    html, pipes = blocks[0], blocks[1]
    assert html.header == ("Measure", "Gamma", "Delta")
    assert [r.cells for r in html.rows] == [("p50 latency (ms)", "4.1", "6.3"),
                                            ("Memory (MB)", "300", "250")]
    assert MARKDOWN_TABLES[html.rows[1].start:html.rows[1].end].startswith("<tr><td>Memory")
    assert pipes.header == ("Measure", "Gamma", "Delta")
    assert [r.cells for r in pipes.rows] == [("Cold start (s)", "12", "40"), ("Nodes", "3", "1")]


def test_markdown_footnote_definitions_are_content():
    _, blocks = parse_markdown("Gamma wins.[^1]\n\n[^1]: Tested on the self-managed edition."
                               "\n\n[ref]: https://example.com\n")
    assert [b.text for b in blocks] == ["Gamma wins.[^1]",
                                        "[^1]: Tested on the self-managed edition."]


def test_captions_set_under_their_tables_belong_to_the_table_above():
    """A document that puts "Table N." under each table: each row's caption is the one under
    its own table, not the one over it (which belongs to the table before)."""
    text = ("# Results\n\n| Measure | Gamma | Delta |\n| --- | --- | --- |\n"
            "| p50 latency | 4.1 | 6.3 |\n\nTable 1. Latency (ms), lower is better.\n\n"
            "| Measure | Gamma | Delta |\n| --- | --- | --- |\n| Accuracy | 91.0 | 94.5 |\n\n"
            "Table 2. Accuracy (%), higher is better.\n")
    _, blocks = parse_markdown(text)
    doc = Document(source="t/r.md", path=Path("r.md"), title="Results", meta={}, text=text,
                   blocks=blocks)
    captions = {n.get_content().split(":")[1].split("|")[0].strip(): n.metadata["caption"]
                for n in chunk_documents([doc]) if n.metadata.get("kind") == "table_row"}
    assert captions == {"p50 latency": "Table 1. Latency (ms), lower is better.",
                        "Accuracy": "Table 2. Accuracy (%), higher is better."}


def test_markdown_underlined_headings_and_thematic_breaks():
    text = "Notes\n=====\n\nIntro.\n\nServing\n-------\n\nBody.\n\n---\n\n- item\n---\n"
    blocks = parse_markdown(text)[1]
    assert [(b.headings, b.text) for b in blocks] == [
        (("Notes",), "Intro."), (("Notes", "Serving"), "Body."), (("Notes", "Serving"), "item")]


# --- HTML ------------------------------------------------------------------------------------

CHROME_HTML = """<!doctype html><html><head><title>Quantisation Guide — Team Wiki</title>
<meta name="author" content="Ada Lovelace"><meta name="date" content="2025-11-04">
<style>p { color: red }</style><script>track("x")</script></head><body>
<header><div>Team Wiki</div><p>Header blurb</p></header>
<nav><ul><li>Home</li><li>Search</li></ul></nav>
<div role="navigation">Breadcrumbs here</div>
<main><h1>Quantisation Guide</h1><p>INT8 halves <b>memory</b> for BERT-Base.</p>
<form><label>Rate this page</label><input name="q"><button>Send</button></form>
<p hidden>Hidden draft</p><p>FP8 needs Hopper GPUs.</p></main>
<aside><h3>Related</h3><p>See also the GPU quota page.</p></aside>
<footer><p>Internal use only. © 2025</p></footer></body></html>"""


def test_html_page_chrome_is_never_indexed(tmp_path):
    (tmp_path / "guide.html").write_text(CHROME_HTML, encoding="utf-8")
    doc = load_corpus(tmp_path)[0]
    assert doc.title == "Quantisation Guide — Team Wiki"
    assert doc.meta["author"] == "Ada Lovelace" and doc.meta["date"] == "2025-11-04"
    texts = [n.get_content() for n in chunk_documents([doc])]
    assert texts == ["Quantisation Guide — Team Wiki — by Ada Lovelace, published Nov 4, 2025",
                     "INT8 halves memory for BERT-Base.", "FP8 needs Hopper GPUs."]


ASIDE_AND_CAPTION_HTML = """<html><body><h1>Queue runtimes</h1>
<aside class="tldr"><h3>Summary</h3><p><strong>TL;DR.</strong> Use Gamma for bursty traffic on
small clusters, and Delta when a single node has to absorb steady load for weeks at a time.</p>
</aside>
<aside><h3>Related</h3><ul><li><a href="/a">Cluster quotas and the reservation calendar</a></li>
<li><a href="/b">On-call runbook for the queue fleet</a></li></ul></aside>
<h2>Figures</h2>
<table><caption>Queue latency (ms, lower is better), 3 runs</caption>
<thead><tr><th>Measure</th><th>Gamma</th><th>Delta</th></tr></thead>
<tbody><tr><td>p50 latency</td><td>4.1</td><td>6.3</td></tr></tbody></table>
</body></html>"""


def test_html_table_caption_and_prose_aside_are_indexed_link_asides_are_not(tmp_path):
    """A table's <caption> is indexed as the paragraph before the table (the chunker's caption:
    it says which way the numbers go); a prose <aside> (a TL;DR box) is content, a list of
    links is chrome, and neither's heading carries over to the page after it."""
    (tmp_path / "queues.html").write_text(ASIDE_AND_CAPTION_HTML, encoding="utf-8")
    doc = load_corpus(tmp_path)[0]
    assert [(b.kind, b.headings, b.text[:24]) for b in doc.blocks] == [
        ("paragraph", ("Queue runtimes", "Summary"), "TL;DR. Use Gamma for bur"),
        ("paragraph", ("Queue runtimes", "Figures"), "Queue latency (ms, lower"),
        ("table", ("Queue runtimes", "Figures"), "Measure | Gamma | Delta\n")]
    nodes = chunk_documents([doc])
    assert not any("runbook" in n.get_content() or "Related" in n.get_content() for n in nodes)
    row = next(n for n in nodes if "p50 latency" in n.get_content())
    assert row.metadata["caption"] == "Queue latency (ms, lower is better), 3 runs"


def test_html_spanning_cells_and_two_row_headers_keep_columns_aligned():
    """colspan fills each column it spans, rowspan repeats a cell in the rows below, and two
    leading rows of <th> make one header, so every value stays under its own option."""
    from assistant.formats.htmlpage import parse_html

    page = """<table><tr><th rowspan="2">Model</th><th colspan="2">Latency (ms)</th></tr>
    <tr><th>Gamma</th><th>Delta</th></tr>
    <tr><td rowspan="2">ResNet-50</td><td>4.1</td><td>6.3</td></tr>
    <tr><td>3.9</td><td>6.0</td></tr>
    <tr><td>BERT</td><td colspan="2">not measured</td></tr></table>"""
    table = parse_html(page)[1][0]
    assert table.header == ("Model", "Latency (ms) Gamma", "Latency (ms) Delta")
    assert [r.cells for r in table.rows] == [("ResNet-50", "4.1", "6.3"),
                                             ("ResNet-50", "3.9", "6.0"),
                                             ("BERT", "not measured", "not measured")]


BARE_PAGE = """<html><body>
<div role="dialog"><p>We use cookies to analyse traffic. By browsing you agree.</p></div>
<div class="title">Queue runtimes compared</div>
<div>Posted by the platform team, 3 February 2024<br><br>Gamma and Delta both serve our
queues.<br>Delta needs a database.</div>
<p><strong>Benchmark</strong></p>
<table><tr><th>Measure</th><th>Gamma</th><th>Delta</th></tr>
<tr><td>p50 latency (ms)</td><td>4.1</td><td>6.3</td></tr>
<tr><td colspan="3">Notes: median of three runs.</td></tr></table>
<p><strong>Recommendation</strong></p>
<p>Use Gamma for bursty traffic.</p>
<ul><li><a href="/a">Related: cluster quotas</a></li><li><a href="/b">On-call runbook</a></li></ul>
</body></html>"""


def test_html_page_without_section_headings_dialogs_link_lists_and_notes(tmp_path):
    """On a page with no <h2>-<h6>, a short bold or bare line is a section heading; "<br><br>"
    parts paragraphs; a dialog (cookie banner) and a list of links are chrome; a row of one
    cell spanning the table is a note under it, not a row."""
    (tmp_path / "queues.html").write_text(BARE_PAGE, encoding="utf-8")
    doc = load_corpus(tmp_path)[0]
    assert [(b.kind, b.headings, b.text) for b in doc.blocks if b.kind == "paragraph"] == [
        ("paragraph", ("Queue runtimes compared",),
         "Posted by the platform team, 3 February 2024"),
        ("paragraph", ("Queue runtimes compared",),
         "Gamma and Delta both serve our queues. Delta needs a database."),
        ("paragraph", ("Benchmark",), "Notes: median of three runs."),
        ("paragraph", ("Recommendation",), "Use Gamma for bursty traffic.")]
    table = next(b for b in doc.blocks if b.kind == "table")
    assert table.headings == ("Benchmark",)
    assert [r.cells for r in table.rows] == [("p50 latency (ms)", "4.1", "6.3")]


def test_team_wiki_page_keeps_content_and_drops_chrome():
    doc = load_document(TEAM / "jax-vs-pytorch.html", "team/jax-vs-pytorch.html")
    assert doc.title == "JAX vs PyTorch for Model Training — ML Research Wiki"
    text = " ".join(b.text for b in doc.blocks) + " ".join(" ".join(b.headings) for b in doc.blocks)
    for chrome in ("Search the wiki", "On-call", "Infrastructure", "Related pages", "GPU quota",
                   "Last edited", "analytics", "font-family", "ML Research Wiki"):
        assert chrome not in text, chrome
    assert sum(1 for b in doc.blocks if b.kind == "table") == 2
    assert any("41 | 63" in b.text for b in doc.blocks)


# --- document info ---------------------------------------------------------------------------

@pytest.mark.parametrize("value,human", [
    ("2025-12-23", "Dec 23, 2025"), ("2025-10-02T09:30:00Z", "Oct 2, 2025"), ("2025-07", "Jul 2025"),
    ("Dec 1, 2020", "Dec 1, 2020"), ("2025-02-30", "2025-02-30")])
def test_human_dates(value, human):
    assert human_date(value) == human


def test_doc_info_of_the_article_and_not_for_a_bare_title():
    article = load_document(CORPUS / "pytorch-vs-tensorflow-2025.md", "corpus/a.md")
    assert doc_info_text(article) == (
        "PyTorch vs TensorFlow in 2025: Which AI Framework Should You Choose? — by Spheron, "
        "published Dec 23, 2025 (Spheron Blog (Research))")
    wiki = load_document(TEAM / "jax-vs-pytorch.html", "team/jax-vs-pytorch.html")
    assert doc_info_text(wiki) is None  # a <title> alone is no citable passage


# --- duplicates ------------------------------------------------------------------------------

def test_the_same_document_as_markdown_and_html_is_indexed_once(tmp_path):
    (tmp_path / "notes.md").write_text(MARKUP, encoding="utf-8")
    (tmp_path / "notes.html").write_text(
        "<html><head><title>Serving Notes</title></head><body><h1>Serving Notes</h1>"
        "<p>The H9 reached <strong>418.72</strong> tokens/s with <code>vllm serve</code> and "
        "<a href='https://x.y/z'>paged   attention</a>.</p>"
        "<ul><li>LLM inference runs on <em>two</em> replicas behind one gateway!</li></ul>"
        "<table><tr><th>Stack</th><th>Speed</th></tr><tr><td>vLLM</td><td>418.72 tok/s</td></tr>"
        "</table></body></html>", encoding="utf-8")
    nodes, counts = chunk_with_counts(load_corpus(tmp_path))
    name = tmp_path.name
    texts = [n.get_content() for n in nodes]
    assert len(texts) == len({normal_form(t) for t in texts})
    for needle in ("418.72 tokens/s", "two replicas", "Stack: vLLM"):
        hits = [n for n in nodes if needle in n.get_content()]
        assert len(hits) == 1, needle
        assert json.loads(hits[0].metadata["sources"]) == [f"{name}/notes.html", f"{name}/notes.md"]
    assert counts[f"{name}/notes.md"]["duplicates"] == 3


def test_near_duplicates_merge_but_changed_figures_do_not(tmp_path):
    base = ("Our cluster trains the ranking model nightly on 64 A100 GPUs and the job finishes in "
            "about four hours when the feature store is warm.")
    (tmp_path / "a.md").write_text(f"# A\n\n{base}\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("# B\n\n" + base.replace("about four", "roughly four") + "\n",
                                   encoding="utf-8")
    (tmp_path / "c.md").write_text("# C\n\n" + base.replace("64", "128") + "\n", encoding="utf-8")
    (tmp_path / "d.md").write_text("# D\n\n" + base.replace("finishes", "never finishes") + "\n",
                                   encoding="utf-8")
    nodes = chunk_documents(load_corpus(tmp_path))
    name = tmp_path.name
    assert [json.loads(n.metadata["sources"]) for n in nodes] == [
        [f"{name}/a.md", f"{name}/b.md"], [f"{name}/c.md"], [f"{name}/d.md"]]
