"""A team corpus (the article, a Markdown note, an HTML wiki page, the same page again as
Markdown, and a generated PDF report) answers a factual question from each document with the
right citation (the PDF's shows its page), and no passage in the whole index holds page
chrome, markup or a duplicate."""
from __future__ import annotations

import json
import re
import shutil
from datetime import datetime

import pytest

from assistant.chunking import normal_form
from conftest import FIXTURES, ROOT
from pdf_fixtures import markdown_pdf

TEAM = ROOT / "eval" / "corpora" / "team"
WIKI_CHROME = ["Search the wiki", "Home", "On-call", "Infrastructure", "Related pages",
               "GPU quota requests", "Last edited", "Internal use only", "ML Research Wiki",
               "analytics", "font-family", "pageview"]
MARKUP = re.compile(r"\*\*|__\w|`|\]\(|\\[*_#|\[\]]|<[a-zA-Z/!]|^#{1,6} |^\s*[-*+] |~~|\(cid:\d+\)")


def wiki_as_markdown(html: str) -> str:
    """The wiki page's article re-typed as Markdown (bold, tables), as a team might export it."""
    body = html[html.index("<article>") + 9:html.index("</article>")]
    body = re.sub(r"<strong>(.*?)</strong>", r"**\1**", body)
    body = re.sub(r"<h(\d)>(.*?)</h\d>", lambda m: "\n" + "#" * int(m.group(1)) + " " + m.group(2) + "\n", body)
    body = re.sub(r"<p>(.*?)</p>", r"\n\1\n", body)

    def table(m):
        rows = [re.findall(r"<t[hd]>(.*?)</t[hd]>", r) for r in re.findall(r"<tr>(.*?)</tr>", m.group(0))]
        lines = ["| " + " | ".join(r) + " |" for r in rows]
        return "\n" + "\n".join([lines[0], "| " + " | ".join(["---"] * len(rows[0])) + " |"] + lines[1:]) + "\n"

    body = re.sub(r"<table>.*?</table>", table, body, flags=re.S)
    return re.sub(r"</?\w+>", "", body).strip() + "\n"


@pytest.fixture(scope="module")
def team(tmp_path_factory, embedder):
    from assistant.advisor import Advisor
    from assistant.config import Config

    root = tmp_path_factory.mktemp("team")
    corpus = root / "corpus"
    shutil.copytree(TEAM, corpus)  # the article arrives as a copy of the symlink's target
    (corpus / "jax-vs-pytorch.md").write_text(
        wiki_as_markdown((TEAM / "jax-vs-pytorch.html").read_text(encoding="utf-8")), encoding="utf-8")
    markdown_pdf(corpus / "serving-benchmark.pdf", (FIXTURES / "inference-benchmark-report.txt")
                 .read_text(encoding="utf-8"), title="LLM Serving Benchmark Report 2025",
                 author="Halcyon Compute", date=datetime(2025, 6, 14),
                 running_header="Halcyon Compute | Benchmark Report")
    advisor = Advisor(Config(corpus_dir=corpus, index_dir=root / "index"), embedder=embedder)
    return advisor.warm_up()


QUESTIONS = [  # (question, source, text the cited passage holds, its section)
    ("What share of AI job postings mention PyTorch in 2025?", "pytorch-vs-tensorflow-2025.md",
     "37.7%", None),
    ("What does it cost per million output tokens to serve Llama 3 8B with vLLM on the Halcyon H9?",
     "serving-benchmark.pdf", "0.19 US dollars", "Cost per Million Tokens (p. 3)"),
    ("What was the TGI throughput for Mistral 7B on an H100?", "serving-benchmark.pdf",
     "TGI (tokens/s): 197.73", "Single-Stream Throughput (p. 2)"),
    ("How long does a JAX training step of ViT-B/16 on TPU v4-8 take?", "jax-vs-pytorch.html",
     "JAX (ms/step): 41", "Training Step Time"),
    ("How big is the TensorRT container image?", "onnx-runtime-vs-tensorrt.md",
     "TensorRT: 3.1 GB", "Operational Cost"),
    ("When were the ONNX Runtime vs TensorRT notes published?", "onnx-runtime-vs-tensorrt.md",
     "published Oct 2, 2025", "Document info"),
]


@pytest.mark.parametrize("question,source,needle,section", QUESTIONS)
def test_each_document_answers_with_the_right_citation(team, question, source, needle, section):
    def matches(source_, text, section_):
        return source_.endswith("/" + source) and needle in text and \
            (section is None or section_ == section)

    retrieved = team.retrieve(question, k=3)
    assert any(matches(p.meta["source"], p.text, p.meta["section"]) for p in retrieved), \
        [(p.meta["source"], p.meta["section"], p.text[:80]) for p in retrieved]
    answer = team.ask(question)
    assert any(matches(c.source, c.text, c.section) for c in answer.citations), answer.to_dict()
    texts = [normal_form(c.text) for c in answer.citations]
    assert len(texts) == len(set(texts)), "an answer cites the same text twice"


def test_pdf_citation_shows_its_page(team):
    answer = team.ask("What does it cost per million output tokens to serve Llama 3 8B with vLLM "
                      "on the Halcyon H9?")
    pdf = [c for c in answer.citations if c.source.endswith(".pdf")]
    assert pdf and all(re.search(r"\(p\. \d+\)$|^p\. \d+$", c.section) for c in pdf)


def test_no_chrome_markup_or_duplicate_in_the_whole_index(team):
    nodes = team.index.nodes
    sources = {n.metadata["source"].split("/", 1)[1] for n in nodes}
    assert sources == {"pytorch-vs-tensorflow-2025.md", "onnx-runtime-vs-tensorrt.md",
                       "jax-vs-pytorch.html", "serving-benchmark.pdf"}  # the .md copy merged
    titles = {n.metadata["title"] for n in nodes}
    seen = {}
    for node in nodes:
        text = node.get_content()
        assert not MARKUP.search(text), (node.metadata["source"], text)
        assert not any(chrome in text for chrome in WIKI_CHROME), text
        assert "Benchmark Report" not in text or node.metadata["kind"] == "doc_info", text
        assert not re.fullmatch(r"(Page )?\d+", text) and text not in titles, text
        key = normal_form(text)
        assert key not in seen, f"duplicate passage: {text!r} ({seen.get(key)})"
        seen[key] = node.metadata["source"]
    merged = [n for n in nodes if len(json.loads(n.metadata["sources"])) > 1]
    assert len(merged) >= 15
    assert all(json.loads(n.metadata["sources"]) == ["corpus/jax-vs-pytorch.html",
                                                     "corpus/jax-vs-pytorch.md"] for n in merged)
    pages = {n.metadata.get("page") for n in nodes if n.metadata["source"].endswith(".pdf")}
    assert pages == {None, 1, 2, 3}  # the document-info passage has no page


def test_the_same_passage_from_two_files_is_cited_once_and_lists_both(team):
    answer = team.ask("Which framework was faster on TPUs, JAX or PyTorch?")
    wiki = [c for c in answer.citations if "jax-vs-pytorch" in c.source]
    assert wiki, answer.to_dict()
    assert len({normal_form(c.text) for c in answer.citations}) == len(answer.citations)
    node = next(n for n in team.index.nodes if n.node_id == wiki[0].id)
    assert json.loads(node.metadata["sources"]) == ["corpus/jax-vs-pytorch.html",
                                                    "corpus/jax-vs-pytorch.md"]
