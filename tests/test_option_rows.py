"""A benchmark table that lists the options down a column that is not the first, as benchmark
reports often do ("Workload | Compiler | Peak memory …"), with failed runs ("OOM") in it. The
page and its compilers are invented here, so nothing in it comes from an eval set."""
from __future__ import annotations

import json

import pytest
from conftest import page_advisor

PAGE = """# Kernel Compilers: Alder vs Birch vs Cedar

The platform team compared three kernel compilers on two workloads.

## Measurements

| Workload | Compiler | Peak memory (GB, lower is better) | Compile time (s, lower is better) | Steps per second (higher is better) |
| --- | --- | --- | --- | --- |
| Small model | Alder | 12.0 | 40 | 210 |
| Small model | Birch | 9.5 | 55 | 240 |
| Small model | Cedar | 14.1 | 30 | 180 |
| Large model | Alder | OOM (at 61.5 GB) | OOM | OOM |
| Large model | Birch | 71.0 | 300 | 40 |
| Large model | Cedar | 64.2 | 280 | 38 |

## Licences

| Item | Alder | Birch | Cedar |
| --- | --- | --- | --- |
| Licence | MIT | Apache-2.0 | BSD-3-Clause |

## Notes

Every run used the same eight-GPU node and the same data.
"""


@pytest.fixture(scope="module")
def compilers(tmp_path_factory, embedder):
    return page_advisor(tmp_path_factory, embedder, "compilers", PAGE)


def _row(advisor, start: str) -> list:
    node = next(n for n in advisor.index.nodes if n.text.startswith(start))
    return [(node.text[a:b], stance) for a, b, stance, *_ in json.loads(node.metadata["stance"])]


def test_rows_of_one_workload_are_compared_per_measure_in_its_direction(compilers):
    parts = dict(_row(compilers, "Workload: Small model | Compiler: Alder"))
    memory = parts["Peak memory (GB, lower is better): 12.0"]
    assert memory["birch"] > memory["alder"] > memory.get("cedar", 0.0)  # lower wins
    steps = parts["Steps per second (higher is better): 210"]
    assert steps["birch"] > steps["alder"] > steps.get("cedar", 0.0)  # higher wins
    # the large workload is compared on its own rows only
    large = dict(_row(compilers, "Workload: Large model | Compiler: Cedar"))
    memory = large["Peak memory (GB, lower is better): 64.2"]
    assert memory["cedar"] > memory["birch"] > 0 and "alder" not in memory


def test_a_failed_run_does_worst(compilers):
    parts = dict(_row(compilers, "Workload: Large model | Compiler: Alder"))
    memory = parts["Peak memory (GB, lower is better): OOM (at 61.5 GB)"]  # not 61.5
    assert not memory.get("alder") and memory["birch"] > 0 and memory["cedar"] > 0


def test_which_option_did_best_on_the_measure_asked(compilers):
    answer = compilers.ask("large model: which compiler needed the least peak memory?")
    assert answer.verdict == "cedar", answer.answer
    answer = compilers.ask("for the small model, which compiler gets the most steps per second?")
    assert answer.verdict == "birch", answer.answer


def test_a_failed_run_loses_in_an_option_per_column_row_too():
    from assistant.options import Options
    from assistant.tables import row_parts

    options = Options({"alder": "Alder", "birch": "Birch", "cedar": "Cedar"})
    header = ["Measure", "Alder", "Birch", "Cedar"]
    stance = row_parts(header, ["Peak memory (GB, lower is better)", "12", "OOM", "—"],
                       options, "")[0][2]
    assert stance["alder"] > 0 and stance.get("birch", 0.0) <= 0
    assert "cedar" not in stance  # a dash: not run, says nothing
    stance = row_parts(header, ["Peak memory (GB, lower is better)", "12", "14", "N/A"],
                       options, "")[0][2]
    assert stance["alder"] > 0 and "cedar" not in stance  # not applicable: says nothing
    feature = row_parts(header, ["Arm CPUs", "Yes", "No", "N/A"], options, "")[0][2]
    assert feature["alder"] > 0 > feature["birch"] and "cedar" not in feature
    unknown = row_parts(header, ["Nodes used", "12", "OOM", "10"], options, "")
    assert all(part[2].get("alder", 0.0) <= 0 for part in unknown)  # no direction: no win


def test_the_short_names_users_write_for_a_long_or_capitalised_name(tmp_path_factory, embedder):
    """"OV" for OpenVINO (initials of its parts) and "TVM" for "Apache TVM" (the word the page
    uses alone); not "Apache", which the page uses alone only in a licence name."""
    from assistant.aliases import initials

    assert initials("OpenVINO") == "ov" and initials("TensorRT") is None
    assert initials("TensorRT-LLM") is None and initials("PyTorch") is None
    page = """# Compilers: Apache TVM vs OpenVINO

| Feature | Apache TVM | OpenVINO |
| --- | --- | --- |
| Licence | Apache 2.0 | Apache 2.0 |
| Arm CPUs | Yes | Partial |

TVM compiles one model description for many targets. TVM needs tuning time, and TVM
versions change quickly. OpenVINO targets Intel hardware.

## When to choose Apache TVM

Unusual hardware: TVM is the one that is not tied to a vendor.
"""
    advisor = page_advisor(tmp_path_factory, embedder, "short-names", page)
    assert advisor.options.named("tvm or ov for arm boards?") == ["apache tvm", "openvino"]
    assert "apache" not in advisor.options.aliases


def test_a_short_name_another_column_cites_still_names_its_option(tmp_path_factory, embedder):
    """"loom" is Loomcore's short name (its cells write loom.export, loom.compile) even though
    Weftkit's column cites "Loomcore (loom.export)" as an input and the prose names a bridge
    "Loom-Weftkit": a name inside a capitalised compound is not an ordinary word."""
    page = """# Exporters: Loomcore vs Weftkit

| Feature | Loomcore | Weftkit |
| --- | --- | --- |
| Export | loom.export | Loomcore (loom.export), ONNX |
| Compile | loom.compile | weft.build |
| Tuning | Manual | Automatic |

Loom-Weftkit is a bridge that some teams use. Loomcore exports graphs; Weftkit tunes them.

## When to choose Weftkit

Automatic tuning: Weftkit is the one that tunes without help.
"""
    advisor = page_advisor(tmp_path_factory, embedder, "cited-short-name", page)
    assert advisor.options.aliases.get("loom") == "loomcore"
    assert advisor.options.named("loom or weftkit for tuning?") == ["loomcore", "weftkit"]


def test_a_hedged_extra_item_is_no_drawback_against_not_having_it():
    """"FP16, BF16, FP8 (experimental)" beside "FP16, BF16": the hedge is on a feature only
    that cell lists, so the row does not count against it; a hedge on a shared item, or on a
    cell's only offering, still does."""
    from assistant.options import Options
    from assistant.tables import row_parts

    options = Options({"alder": "Alder", "birch": "Birch"})
    header = ["Feature", "Alder", "Birch"]
    extra = row_parts(header, ["Formats", "FP16, BF16, FP8 (experimental)", "FP16, BF16"],
                      options, "")
    assert all(part[2].get("alder", 0.0) >= 0 for part in extra)
    shared = row_parts(header, ["Formats", "FP16, BF16 (experimental)", "FP16, BF16"],
                       options, "")[0][2]
    assert shared["alder"] < 0
    only = row_parts(header, ["Mobile", "Kit (experimental)", "Lite (mature)"], options, "")[0][2]
    assert only["alder"] < 0 < only["birch"]
