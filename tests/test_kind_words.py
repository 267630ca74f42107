"""Words for the kind of thing compared ("backend", "engine") are kinds, not options: a table
column headed "Backend" whose cells name the options, in a record titled "Backend choice for
…", does not make "Backend" an option, and "what backend are we supposed to set?" asks for
one. Pure functions over small made-up documents: no index needed."""
from __future__ import annotations

import json
from types import SimpleNamespace

TITLE = "ADR-7: Backend choice for model training"


def _row(cells: list[str], header: list[str], table: str) -> SimpleNamespace:
    meta = {"kind": "table_row", "table_id": table, "table_header": json.dumps(header),
            "row_cells": json.dumps(cells), "source": "adr.md", "title": TITLE,
            "heading_path": "Plan"}
    return SimpleNamespace(text=" | ".join(cells), metadata=meta)


def _nodes() -> list:
    features = ["Capability", "Alder", "Birch", "Cedar"]
    waves = ["Wave", "Scope", "Backend", "Deadline"]
    speed = ["Workload (ms/step)", "Alder", "Birch", "Cedar"]
    return [_row(["Export", "Yes", "No", "Yes"], features, "t1"),
            _row(["Debugging", "Partial", "Yes", "Partial"], features, "t1"),
            _row(["Ranker", "18.5", "31.0", "19.2"], speed, "t3"),
            _row(["1", "14 ranking models", "Alder", "2025-11-30"], waves, "t2"),
            _row(["2", "6 on-device models", "Cedar", "2026-04-30"], waves, "t2"),
            SimpleNamespace(text="We adopt Alder as the default Backend for new models.",
                            metadata={"kind": "paragraph", "source": "adr.md", "title": TITLE,
                                      "heading_path": "Decision"})]


def test_a_column_headed_with_a_kind_word_is_no_option_and_the_title_names_the_kind():
    from assistant.discovery import discover

    options = discover(_nodes(), frozenset({"yes", "no", "partial", "wave", "scope"}))
    assert set(options.display) == {"alder", "birch", "cedar"}
    assert "backend" in options.kinds and "choice" not in options.kinds


def test_what_kind_should_asks_for_a_choice_what_kind_does_x_need_does_not():
    from assistant.question import _asks_kind

    ask = "starting a new model on the A100s. what backend are we supposed to set per the ADR?"
    assert _asks_kind(ask, ask, ["backend"])
    fact = "what backend does the export job need?"
    assert not _asks_kind(fact, fact, ["backend"])


def test_measure_headers_of_an_option_per_row_table_are_no_options():
    """Two benchmark tables that list the tools down their first column, with measures across
    ("Wall-clock (min)", "Peak VRAM (GB)"): the measures are no options, however often they
    head a column, and each row compares the tools on them; columns sharing one unit ("Alder
    (ms)", "Birch (ms)") still name options."""
    from assistant.discovery import discover

    def table(rows, header, table_id, title="Tuner evaluation: Alder vs Birch vs Cedar"):
        return [SimpleNamespace(text=" | ".join(r), metadata={
            "kind": "table_row", "table_id": table_id, "table_header": json.dumps(header),
            "row_cells": json.dumps(r), "source": "eval.md", "title": title,
            "heading_path": "Benchmarks"}) for r in rows]

    measures = ["Tool", "Wall-clock (min)", "Peak VRAM (GB)", "Throughput (tokens/s)"]
    nodes = table([["Alder", "94", "14.2", "3,150"], ["Birch", "51", "8.6", "5,820"],
                   ["Cedar", "112", "16.8", "2,640"]], measures, "t1") + \
        table([["Alder", "410", "61.3", "720"], ["Cedar", "455", "58.7", "650"]], measures, "t2")
    options = discover(nodes, frozenset({"wall", "clock", "peak", "throughput"}))
    assert set(options.display) == {"alder", "birch", "cedar"}
    same_unit = ["Workload", "Alder (ms)", "Birch (ms)"]
    nodes = table([["Ranker", "18", "31"], ["Encoder", "141", "152"]], same_unit, "t3",
                  title="Step times") + \
        table([["Export", "Yes", "No"]], ["Capability", "Alder", "Birch"], "t4", title="Step times")
    assert set(discover(nodes, frozenset()).display) == {"alder", "birch"}
