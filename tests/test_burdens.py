"""A constraint a user states as a burden on something ("anything AGPL needs a legal review that
takes weeks") says what they do not want, as "no AGPL" does; and a feature row where every
option has something the question names still decides when the question wants one of them
and not the other. The page is invented here (PDF rendering libraries), so nothing in it comes
from an eval set."""
from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from conftest import page_advisor

from assistant.question import unwanted_terms
from assistant.features import feature_presence

PAGE = """# PDF Rendering Libraries: Lumen vs Quillpress

The documents team compared two libraries that render invoices and reports to PDF: Lumen and
Quillpress. Both produce tagged PDFs; they differ in licensing, speed and fonts.

## Comparison

| Aspect | Lumen | Quillpress |
| --- | --- | --- |
| License | MIT | AGPL-3.0 |
| Render time per page (ms, lower is better) | 38 | 41 |
| Right-to-left scripts | Yes | Yes |
| Font subsetting | Yes | Yes |

## Notes

Lumen is maintained by a two-person company; Quillpress by a foundation with paid support.
Both libraries stream pages, so memory stays flat on long reports.
"""


@pytest.fixture(scope="module")
def renderers(tmp_path_factory, embedder):
    return page_advisor(tmp_path_factory, embedder, "renderers", PAGE)


def test_a_burden_on_something_makes_it_unwanted():
    said = unwanted_terms("legal auto-approves MIT deps, but anything AGPL needs a legal "
                          "review that takes weeks")
    assert "agpl" in said and "mit" not in said
    assert "gpu" in unwanted_terms("GPUs are banned on the shared cluster")
    assert "kubernet" in unwanted_terms("fwiw running our own kubernetes is a nightmare")


def test_a_version_dot_does_not_end_the_clause_a_cue_reads():
    assert {"apach", "licens"} <= unwanted_terms("no Apache-2.0 licensed deps allowed")


def test_a_row_where_every_option_has_a_named_term_decides_when_one_is_unwanted():
    meta = {"kind": "table_row", "row_cells": json.dumps(["License", "MIT", "AGPL-3.0"]),
            "table_header": json.dumps(["Aspect", "Lumen", "Quillpress"]),
            "option_columns": json.dumps({"1": "lumen", "2": "quillpress"})}
    weighted, pool = {"mit": 1.0, "agpl": 1.0, "review": 0.5}, ["lumen", "quillpress"]
    assert feature_presence(meta, weighted, pool) == {}  # wanted of both: no side
    scores = feature_presence(meta, weighted, pool, unwanted=frozenset({"agpl"}))
    assert scores["lumen"] > 0 > scores["quillpress"]


@pytest.mark.parametrize("quick, slow", [("MIT", "AGPL"), ("AGPL", "MIT")])
def test_the_verdict_follows_which_licence_is_the_burden(renderers, quick, slow):
    answer = renderers.ask(f"our legal team auto-approves {quick} deps, but anything {slow} "
                           f"needs a legal review that takes weeks. lumen or quillpress?")
    favoured = "lumen" if quick == "MIT" else "quillpress"
    assert answer.verdict == favoured
    assert any("License" in c.text for c in answer.citations)


def test_what_the_user_does_not_need_is_read_apart_from_what_they_want_less_of():
    from assistant.question import needless_terms

    assert {"control", "grain"} <= needless_terms(
        "i just want bf16 with the least code possible, dont care about fine-grained control")
    assert "control" in needless_terms("we don't need fine grained control over which ops")
    assert needless_terms("no GPUs, and the least code changes possible") == frozenset()
    assert needless_terms("don't want returning users redownloading 20 MB") == frozenset()


FLAGS = """# Feature Flag Services: Beacon vs Toggly

The web team compared two hosted feature-flag services for the storefront: Beacon and Toggly.

## Comparison

| Aspect | Beacon | Toggly |
| --- | --- | --- |
| Price per seat (USD/month) | 12 | 12 |
| Audit log | Yes | Yes |

## Rollout rules

Beacon's rollout rules are slightly easier to switch on (a single toggle), while Toggly gives
more fine-grained control over which user segments see a flag.

## Notes

Both services keep an audit log of flag changes and offer SDKs for the browser and the server.
"""


@pytest.fixture(scope="module")
def flags(tmp_path_factory, embedder):
    return page_advisor(tmp_path_factory, embedder, "flags", FLAGS)


def test_a_clause_offering_what_the_user_does_not_need_does_not_credit_its_option(flags):
    """"Toggly gives more fine-grained control" answers a user who wants that control; to one
    who says they don't need it, it is no reason to pick Toggly."""
    wanted = flags.ask("we need fine-grained control over which user segments see a flag. "
                       "beacon or toggly?")
    assert wanted.verdict == "toggly", wanted.answer
    needless = flags.ask("beacon or toggly? we don't need fine-grained control over segments, "
                         "we just want flags switched on with the least hassle")
    assert needless.verdict == "beacon", needless.answer
