"""Which document's options a choice that names none is between: the document the evidence
mostly comes from, not only the one that holds the single best passage."""
from __future__ import annotations

from types import SimpleNamespace

from assistant.candidates import _by_weight


def _ev(source: str, score: float):
    return SimpleNamespace(meta={"source": source}, score=score)


def test_the_document_most_of_the_evidence_comes_from_comes_first():
    evidence = [_ev("frameworks.md", 0.56), _ev("pipelines.md", 0.45), _ev("pipelines.md", 0.21),
                _ev("pipelines.md", 0.20), _ev("frameworks.md", 0.05)]
    assert _by_weight(evidence) == ["pipelines.md", "frameworks.md"]


def test_one_strong_passage_outweighs_several_faint_ones():
    evidence = [_ev("a.md", 0.9), _ev("b.md", 0.1), _ev("b.md", 0.1), _ev("b.md", 0.1)]
    assert _by_weight(evidence) == ["a.md", "b.md"]
