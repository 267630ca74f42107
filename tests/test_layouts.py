"""Short comparisons written in varied real-world layouts (memo-style text, box-drawn, grid,
tab-separated and reStructuredText tables, Markdown with raw HTML tables, footnotes and <br>
in cells, HTML pages built from divs or ARIA table roles, two-row headers, row headers,
icon cells with alt or title text, cookie banners, spanning cells, <br><br> paragraphs; PDFs
typeset without rules, booktabs style, with shaded rows, wrapped cells, two columns, a table
over two pages): every phrase their author listed as one a correct ingester must keep is in
the indexed passages, every table cell listed ("ROW: label || header || value") is read
into its row under its header, and the tools each compares are found as its options."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.chunking import chunk_documents
from assistant.corpus import load_document
from conftest import FIXTURES

LAYOUTS = FIXTURES / "layouts"
DOCS = sorted(p for p in LAYOUTS.iterdir() if p.suffix in (".txt", ".md", ".html", ".pdf")
              and not p.name.endswith(".facts.txt"))


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[*_`|]", " ", text.lower()).split())


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_every_listed_phrase_survives_ingestion(path: Path):
    warnings = []
    doc = load_document(path, f"layouts/{path.name}", warn=warnings.append)
    assert not warnings and not doc.skipped
    texts = [_norm(n.get_content() + " " + n.metadata.get("caption", ""))
             for n in chunk_documents([doc])]
    facts = [f.strip() for f in (LAYOUTS / f"{path.stem}.facts.txt").read_text().splitlines()
             if f.strip() and not f.startswith("OPTIONS: ")]
    rows = [" ".join(n.get_content().lower().split()) for n in chunk_documents([doc])
            if n.metadata["kind"] == "table_row"]  # "label: a | header: b | …"
    missing = []
    for fact in facts:
        if fact.startswith("ROW: "):  # the cell sits in its row, after its header
            label, header, value = (" ".join(x.lower().split()) for x in fact[5:].split("||"))
            cell = re.compile(re.escape(header) + r"[^|]*?: " + re.escape(value) + r"(?= \||$)")
            if not any(label in row and cell.search(row) for row in rows):
                missing.append(fact)
            continue
        fact = fact.removeprefix("TEXT: ")
        label, _, value = fact.rpartition(": ")
        if not any(_norm(fact) in t or value and _norm(label) in t and _norm(value) in t
                   for t in texts):
            missing.append(fact)
    assert not missing


def test_each_layout_compares_the_tools_it_names(tmp_path_factory, embedder):
    from assistant.advisor import Advisor
    from assistant.config import Config

    corpus = tmp_path_factory.mktemp("layouts")
    for path in DOCS:
        (corpus / path.name).write_bytes(path.read_bytes())
    advisor = Advisor(Config(corpus_dir=corpus, index_dir=tmp_path_factory.mktemp("li")),
                      embedder=embedder).warm_up()
    compared = {Path(source).name: options for source, options in
                advisor.options.compared.items()}
    assert sorted(compared) == [p.name for p in DOCS]
    assert all(len(options) >= 2 for options in compared.values())
    for path in DOCS:  # the tools the author lists, or a word of each ("Triton")
        listed = [line[9:] for line in (LAYOUTS / f"{path.stem}.facts.txt").read_text()
                  .splitlines() if line.startswith("OPTIONS: ")]
        if listed:
            wanted = [_norm(name) for name in listed[0].split(";")]
            found = compared[path.name]
            assert len(found) == len(wanted) and all(
                any(re.match(rf"{re.escape(o)}\b", w) for w in wanted) for o in found), path.name
    assert compared["doc01.txt"] == ["mlflow", "neptune", "weights & biases"]
    assert compared["doc11.txt"] == ["hugging face tokenizers", "sentencepiece", "tiktoken"]
