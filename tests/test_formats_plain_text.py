"""Plain-text documents: titles (underlined, memo subjects, bracketed), underlined and capital
label headings, pipe, grid, ruled, space-aligned, tab-separated and box-drawn tables with blank
and wrapped cells, and a file whose structure cannot be read indexed as plain paragraphs."""
from __future__ import annotations

import pytest

from assistant.chunking import chunk_documents
from assistant.corpus import load_corpus, load_document


PLAIN = """Serving Runtime Notes: Alpha vs Beta
Last updated: 2025-09-01, platform team

Why we compared
===============

Two teams asked which runtime to standardise on.

Results
=======

| Measurement (ms, lower is better) | Alpha | Beta |
|-----------------------------------|-------|------|
| p50 latency                       | 12.5  | 9.1  |
| Cold start                        | 800   | 2400 |

Beta wins on latency.

When to choose Alpha
--------------------

Choose Alpha when cold starts matter more than steady latency.
"""


def test_plain_text_titles_underlined_headings_and_pipe_tables(tmp_path):
    (tmp_path / "notes.txt").write_text(PLAIN, encoding="utf-8")
    doc = load_document(tmp_path / "notes.txt", "t/notes.txt")
    assert doc.title == "Serving Runtime Notes: Alpha vs Beta"
    kinds = [(b.kind, b.headings) for b in doc.blocks]
    assert kinds == [("paragraph", ("Serving Runtime Notes: Alpha vs Beta",)),
                     ("paragraph", ("Why we compared",)), ("table", ("Results",)),
                     ("paragraph", ("Results",)),
                     ("paragraph", ("Results", "When to choose Alpha"))]
    table = doc.blocks[2]
    assert table.header == ("Measurement (ms, lower is better)", "Alpha", "Beta")
    assert [r.cells for r in table.rows] == [("p50 latency", "12.5", "9.1"),
                                             ("Cold start", "800", "2400")]
    for block in doc.blocks:
        assert doc.text[block.start:block.end] == block.text
        for row in block.rows:
            assert doc.text[row.start:row.end].startswith("| ") and row.cells[0] in \
                doc.text[row.start:row.end]
    rows = [n for n in chunk_documents([doc]) if "Cold start" in n.get_content()]
    assert rows and "Alpha" in rows[0].get_content() and "800" in rows[0].get_content()


GRID_AND_ALIGNED = """Runtime figures

+--------------------+-------+------+
| Measurement        | Alpha | Beta |
+====================+=======+======+
| p50 latency (ms)   | 12.5  | 9.1  |
+--------------------+-------+------+
| Cold start (ms)    | 800   | 2400 |
+--------------------+-------+------+

Costs measured in October:

Item                     Alpha     Beta
----------------------   -------   ------
Monthly cost (USD)       1,200     950
Engineers to run it      2         1

Two  spaces  in prose do not make a table.
"""


def test_plain_text_grid_and_space_aligned_tables(tmp_path):
    (tmp_path / "figures.txt").write_text(GRID_AND_ALIGNED, encoding="utf-8")
    doc = load_document(tmp_path / "figures.txt", "t/figures.txt")
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert [t.header for t in tables] == [("Measurement", "Alpha", "Beta"),
                                          ("Item", "Alpha", "Beta")]
    assert [r.cells for r in tables[0].rows] == [("p50 latency (ms)", "12.5", "9.1"),
                                                 ("Cold start (ms)", "800", "2400")]
    assert [r.cells for r in tables[1].rows] == [("Monthly cost (USD)", "1,200", "950"),
                                                 ("Engineers to run it", "2", "1")]
    assert [b.text for b in doc.blocks if b.kind == "paragraph"] == [
        "Costs measured in October:", "Two  spaces  in prose do not make a table."]
    for block in doc.blocks:
        assert doc.text[block.start:block.end] == block.text
        for row in block.rows:
            assert doc.text[row.start:row.end].startswith(row.cells[0].split()[0]) or \
                doc.text[row.start:row.end].startswith("|")


DASH_TITLED = """Queue runtimes: Gamma vs Delta
------------------------------

Internal write-up, platform team

SUMMARY

Use Gamma for bursty traffic.

FIGURES
-------

Table 1: queue latency (ms, lower is better)

Measure        Gamma     Delta
-----------    ------    ------
p50 latency    4.1       6.3
p99 latency    19        35
"""


def test_plain_text_title_underlined_with_dashes_is_parsed_not_skipped(tmp_path):
    """A document whose first line is underlined with dashes (and whose first chunk is that
    heading alone) is indexed with that line as its title; it was once skipped as unparsable."""
    (tmp_path / "queues.txt").write_text(DASH_TITLED, encoding="utf-8")
    warnings = []
    docs = load_corpus(tmp_path, warn=warnings.append)
    assert warnings == [] and len(docs) == 1
    doc = docs[0]
    assert doc.title == "Queue runtimes: Gamma vs Delta"
    assert [(b.kind, b.headings) for b in doc.blocks] == [
        ("paragraph", ("Queue runtimes: Gamma vs Delta", "SUMMARY")),
        ("paragraph", ("Queue runtimes: Gamma vs Delta", "FIGURES")),
        ("table", ("Queue runtimes: Gamma vs Delta", "FIGURES"))]
    assert [r.cells for r in doc.blocks[-1].rows] == [("p50 latency", "4.1", "6.3"),
                                                     ("p99 latency", "19", "35")]


@pytest.mark.parametrize("name,parser", [("notes.txt", "parse_plain"),
                                         ("notes.md", "parse_markdown")])
def test_a_file_whose_structure_cannot_be_read_is_indexed_as_paragraphs(tmp_path, monkeypatch,
                                                                        name, parser):
    """A parser failure (a bug on some unforeseen layout) keeps the file's words findable, as
    verbatim paragraphs, with one warning that names no exception."""
    import assistant.corpus as corpus

    def broken(text):
        raise IndexError("list index out of range")

    monkeypatch.setattr(corpus, parser, broken)
    (tmp_path / name).write_text(DASH_TITLED, encoding="utf-8")
    warnings = []
    doc = load_corpus(tmp_path, warn=warnings.append)[0]
    assert warnings == [f"warning: {tmp_path.name}/{name}: its headings and tables could not "
                        "be read; indexed as plain paragraphs"]
    assert not doc.skipped and all(b.kind == "paragraph" for b in doc.blocks)
    assert [b.text for b in doc.blocks][:2] == [
        "Queue runtimes: Gamma vs Delta\n------------------------------",
        "Internal write-up, platform team"]
    for block in doc.blocks:
        assert doc.text[block.start:block.end] == block.text
    assert any("p99 latency" in n.get_content() and "35" in n.get_content()
               for n in chunk_documents([doc]))


RULED = """Costs

  Item                 Gamma        Delta managed
  -------------------  -----------  -------------
  Monthly cost (USD)   1,200        950
  Support contract                  included
  Failover             manual,      automatic
                       scripted
  -------------------  -----------  -------------

After the table.
"""


def test_plain_text_ruled_table_keeps_empty_and_wrapped_cells(tmp_path):
    """A rule of dashes under the header sets the columns: an empty cell keeps its place, a
    line with an empty first column continues the row above, a closing rule is no row."""
    (tmp_path / "costs.txt").write_text(RULED, encoding="utf-8")
    doc = load_document(tmp_path / "costs.txt", "t/costs.txt")
    table = next(b for b in doc.blocks if b.kind == "table")
    assert table.header == ("Item", "Gamma", "Delta managed")
    assert [r.cells for r in table.rows] == [("Monthly cost (USD)", "1,200", "950"),
                                             ("Support contract", "", "included"),
                                             ("Failover", "manual, scripted", "automatic")]
    assert doc.text[table.rows[-1].start:table.rows[-1].end].endswith("scripted")
    assert doc.blocks[-1].text == "After the table."


TEXT_TABLES = """Figures

Tool          Latency   Self-host RAM   Seat cost
Gamma OSS     4.2 ms    2 GB
Gamma Cloud   1.3 ms                    $50/month
Delta         2.0 ms    16 GB           $49/month

+--------+---------+--------------------------+
| Engine | p99     | Notes                    |
+--------+---------+--------------------------+
| Gamma  | 1.8 ms  | Library only; no server, |
|        |         | no replication           |
+--------+---------+--------------------------+
| Delta  | 6.5 ms  | Needs etcd               |
+--------+---------+--------------------------+

Engine     | Thru          | TTFB
           | samples/s     | (s)
-----------+---------------+------
Gamma      | 1,150         | 22
Delta      | 1,138 with a  | 41
           | warm cache    |

┌────────┬──────────┐
│ Engine │ Cold (s) │
├────────┼──────────┤
│ Gamma  │ 12       │
│ Delta  │ 40       │
└────────┴──────────┘
"""


def test_plain_text_tables_with_blank_wrapped_and_box_drawn_cells(tmp_path):
    """Columns aligned without a rule keep blank cells in place; a grid row and a pipe row
    whose first cell is blank continue the row above; a header on two lines is one header;
    box-drawing characters frame a table like ASCII ones."""
    (tmp_path / "figures.txt").write_text(TEXT_TABLES, encoding="utf-8")
    doc = load_document(tmp_path / "figures.txt", "t/figures.txt")
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert [t.header for t in tables] == [
        ("Tool", "Latency", "Self-host RAM", "Seat cost"), ("Engine", "p99", "Notes"),
        ("Engine", "Thru samples/s", "TTFB (s)"), ("Engine", "Cold (s)")]
    assert [r.cells for r in tables[0].rows] == [("Gamma OSS", "4.2 ms", "2 GB", ""),
                                                 ("Gamma Cloud", "1.3 ms", "", "$50/month"),
                                                 ("Delta", "2.0 ms", "16 GB", "$49/month")]
    assert tables[1].rows[0].cells == ("Gamma", "1.8 ms", "Library only; no server, no "
                                                          "replication")
    assert [r.cells for r in tables[2].rows] == [("Gamma", "1,150", "22"),
                                                 ("Delta", "1,138 with a warm cache", "41")]
    assert [r.cells for r in tables[3].rows] == [("Gamma", "12"), ("Delta", "40")]
    for table in tables:
        for row in table.rows:
            assert row.cells[0] in doc.text[row.start:row.end]


def test_plain_text_memo_is_titled_by_its_subject_with_capital_label_headings(tmp_path):
    memo = ("To: Platform group\nFrom: Ada\nSubject: Queue runtimes (Gamma vs Delta)\n\n"
            "SUMMARY:\nUse Gamma for bursty traffic.\n\nNEXT STEPS:\nPilot Gamma in May.\n")
    (tmp_path / "memo.txt").write_text(memo, encoding="utf-8")
    doc = load_document(tmp_path / "memo.txt", "t/memo.txt")
    assert doc.title == "Queue runtimes (Gamma vs Delta)"
    assert [(b.headings[1:], b.text) for b in doc.blocks][1:] == [
        (("SUMMARY",), "Use Gamma for bursty traffic."), (("NEXT STEPS",), "Pilot Gamma in May.")]


def test_plain_text_title_ending_in_a_bracket_and_a_header_over_the_values_only(tmp_path):
    text = ("Gamma vs Delta for queues (with a note on Omega)\n"
            "------------------------------------------------\n\nNotes from the team.\n\n"
            "Costs\n\n                     Gamma      Delta      Omega\n"
            "                     (managed)\n"
            "  Storage ($/TB)     $23.00     $15.00     $6.00\n"
            "  Egress ($/TB)      $90.00     $0.00      $10.00\n")
    (tmp_path / "queues.txt").write_text(text, encoding="utf-8")
    doc = load_document(tmp_path / "queues.txt", "t/queues.txt")
    assert doc.title == "Gamma vs Delta for queues (with a note on Omega)"
    table = next(b for b in doc.blocks if b.kind == "table")
    assert table.header == ("", "Gamma (managed)", "Delta", "Omega")
    assert [r.cells for r in table.rows] == [("Storage ($/TB)", "$23.00", "$15.00", "$6.00"),
                                             ("Egress ($/TB)", "$90.00", "$0.00", "$10.00")]


def test_plain_text_file_that_is_only_a_short_tab_separated_table(tmp_path):
    """Its header line is the table's header, not the document's title over a paragraph."""
    text = "Metric\tGamma\tDelta\nLatency (ms)\t12\t30\nThroughput (req/s)\t900\t400\n"
    (tmp_path / "numbers.txt").write_text(text, encoding="utf-8")
    doc = load_document(tmp_path / "numbers.txt", "t/numbers.txt")
    [table] = doc.blocks
    assert table.kind == "table" and table.header == ("Metric", "Gamma", "Delta")
    assert [r.cells for r in table.rows] == [("Latency (ms)", "12", "30"),
                                             ("Throughput (req/s)", "900", "400")]
