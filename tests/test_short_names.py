"""Two-letter product names, comparisons against different options in one sentence, modal
recommendations, and choices the user frames against the option they are leaving. Pure
functions over small made-up documents: no index needed."""
from __future__ import annotations

import json
from types import SimpleNamespace

from assistant.options import Options


def _row(cells: list[str], header: list[str], source: str = "managers.html") -> SimpleNamespace:
    meta = {"kind": "table_row", "table_id": "t1", "table_header": json.dumps(header),
            "row_cells": json.dumps(cells), "source": source, "title": "Managers: qa vs wb",
            "heading_path": "Feature comparison"}
    return SimpleNamespace(text=" | ".join(cells), metadata=meta)


def _section(heading: str, text: str, source: str = "managers.html") -> SimpleNamespace:
    return SimpleNamespace(text=text, metadata={"kind": "paragraph", "source": source,
                                                "title": "Managers: qa vs wb",
                                                "heading_path": heading})


def test_a_two_letter_lower_case_name_in_a_header_and_a_heading_is_an_option():
    """"qa" heads a column and a "When to choose qa" section: an option like "wb"; a short
    word in a header alone ("id") is not."""
    from assistant.discovery import discover

    header = ["Feature", "id", "qa", "wb"]
    nodes = [_row(["Offline installs", "1", "Yes", "No"], header),
             _row(["Lock files", "2", "Yes", "Yes"], header),
             _section("When to choose qa", "Choose qa when every dependency is a wheel."),
             _section("When to choose wb", "Choose wb for compiled extensions.")]
    options = discover(nodes)
    assert {"qa", "wb"} <= set(options.display) and "id" not in options.display
    assert options.mentions("we are airgapped. qa or wb?")[0][2] == "qa"


def test_a_but_clause_measured_against_another_option_does_not_concede_the_first():
    """"wb was slower than qa on every metric but still faster than rc": wb lost to qa and
    beat rc; only a "but" clause about the same options concedes the clause before it."""
    from assistant.prose import prose_parts

    options = Options({"qa": "qa", "wb": "wb", "rc": "rc"})
    text = "wb was slower than qa on every metric but still about 8 times faster than rc."
    stances = [part[2] for part in prose_parts(text, options, None)]
    assert stances[0] == {"wb": -1.0, "qa": 1.0}, stances
    assert stances[1].get("wb", 0) > 0 > stances[1].get("rc", 0), stances


def test_a_modal_before_a_recommending_verb_recommends_what_it_names():
    """"… are blocked by GDAL and should move to wb instead" recommends wb; "should not use"
    advises against it; "should" before any other verb says nothing of the option."""
    from assistant.naming import recommended

    options = Options({"qa": "qa", "wb": "wb"})
    assert recommended("3 of our 14 repositories are blocked by GDAL builds and should move to "
                       "wb instead", options) == {"wb": 1.0}
    assert recommended("teams should not use the qa resolver for this", options) == {"qa": -1.0}
    assert recommended("the lock file should describe what qa resolved", options) == {}


def test_the_option_the_user_wants_off_is_no_candidate_and_a_dash_joins_no_list():
    """"our repo is on rc atm. we want off rc - qa or wb?" chooses between qa and wb."""
    from assistant.candidates import _narrowed

    options = Options({"qa": "qa", "wb": "wb", "rc": "rc"})
    pool = ["rc", "qa", "wb"]
    question = "our geospatial repo is on rc atm. we want off rc - qa or wb?"
    assert _narrowed(question, pool, options) == ["qa", "wb"]
    assert _narrowed("our repo is on rc. qa or wb?", pool, options) == ["qa", "wb"]
    assert _narrowed("rc, qa or wb?", pool, options) == pool


def test_a_kind_named_in_the_documents_titles_picks_their_group():
    """"which env manager fits?" after a set-up about a framework: the documents' titles
    ("Environment managers …") make "manager" a kind, so the managers' group comes first."""
    from assistant.candidates import _by_class

    evidence = [SimpleNamespace(meta={"source": "article.md",
                                      "title": "PyTorch vs TensorFlow"}),
                SimpleNamespace(meta={"source": "managers.html",
                                      "title": "Environment managers: rc vs qa vs wb"})]
    groups = [("article.md", ["pytorch", "tensorflow"]), ("managers.html", ["rc", "qa", "wb"])]
    question = "lots of torch.compile experiments on linux boxes. which env manager fits?"
    assert _by_class(question, evidence, groups)[0][0] == "article.md"
    assert _by_class(question, evidence, groups, ["manager", "em"])[0][0] == "managers.html"
