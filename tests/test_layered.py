"""Options of one document that work on top of another's ("job queues for Harbor pipelines"
beside "Harbor vs Dock"): the option the user already runs is context, and passages about it
set no scale for the votes on the options chosen among. Two small made-up documents, a real
index."""
from __future__ import annotations

import pytest
from conftest import pages_advisor

FRAMEWORKS = """# Harbor vs Dock: which pipeline framework in 2025

Harbor and Dock are the two pipeline frameworks our teams use to build data pipelines.

## When to choose Harbor

Choose Harbor for research pipelines: its eager runner makes debugging a pipeline step by step
easy, and stalled steps show up at once in its debugger.

## When to choose Dock

Choose Dock for long-running production pipelines with strict schedules.

| Feature | Harbor | Dock |
|---|---|---|
| Debugger | Built in | Plugin |
| Scheduler | Basic | Advanced |
"""

QUEUES = """# Job queues for Harbor pipelines: Kestrel vs Gearbox

We compared two job queues for running pipeline jobs: Kestrel and Gearbox.

## When to choose Kestrel

Pick Kestrel for any Harbor pipeline: it runs Harbor jobs natively and retries stalled jobs
automatically.

## When to choose Gearbox

Pick Gearbox only for Dock pipelines; it needs a shim for Harbor jobs and stalled jobs must be
retried by hand.

| Feature | Kestrel | Gearbox |
|---|---|---|
| Harbor jobs | Native | Shim |
| Automatic retries | Yes | No |
"""


@pytest.fixture(scope="module")
def layered(tmp_path_factory, embedder):
    return pages_advisor(tmp_path_factory, embedder, "layered",
                         {"frameworks.md": FRAMEWORKS, "queues.md": QUEUES})


def test_the_framework_the_user_runs_is_context_for_the_queues(layered):
    answer = layered.ask("our research pipelines run on Harbor with its eager runner. which "
                         "queue retries stalled jobs automatically?")
    assert answer.verdict == "kestrel"
    work = layered.workings("debugging a Harbor pipeline step by step in its debugger is easy, "
                            "but stalled jobs never get retried automatically. which queue?")
    assert sorted(work.decision.candidates) == ["gearbox", "kestrel"]
    # the best passage is about Harbor, not about a queue: it sets no scale for their votes,
    # so "Pick Kestrel for any Harbor pipeline" counts as the best passage about the queues
    assert work.ranked[0].meta["source"].endswith("frameworks.md")
    assert work.decision.scores["kestrel"] > 0.05
    assert layered.ask("Harbor or Dock for research pipelines?").verdict == "harbor"
    # "we picked X" says what the user runs, as "we use X" does
    picked = layered.workings("we picked Harbor for research pipelines because its debugger "
                              "shows stalled steps at once. which queue for its jobs?")
    assert sorted(picked.decision.candidates) == ["gearbox", "kestrel"]
