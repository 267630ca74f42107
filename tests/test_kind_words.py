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
