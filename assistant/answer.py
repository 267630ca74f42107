"""The answer contract every surface renders: Answer, its Citations, and the one-line
headline ("PyTorch", "Either — leaning TensorFlow", "Not covered by the documents").
Wording of headlines lives here only.
Not handled: localising the headline wording.
"""
from __future__ import annotations

from dataclasses import dataclass, field

NOT_COVERED = "Not covered by the documents"


@dataclass
class Citation:
    n: int
    id: str
    source: str
    section: str
    text: str
    score: float
    sources: list = field(default_factory=list)  # every file holding this passage
    page: int | None = None                      # PDF page, when the source is a PDF


@dataclass
class Answer:
    question: str
    answer: str
    verdict: str | None
    confidence: float
    abstained: bool
    citations: list[Citation]
    timings_ms: dict = field(default_factory=dict)
    table: dict | None = None    # {"section", "header", "rows"} behind a table-row answer
    criteria: list | None = None  # per-criterion matrix for multi-criteria questions
    query: str | None = None     # the standalone query used for retrieval (follow-ups)
    sources_disagree: bool = False
    headline: str = ""           # what every surface shows as the verdict ("ONNX Runtime")

    def __post_init__(self):
        self.headline = self.headline or headline(self.verdict, self.abstained)

    def to_dict(self) -> dict:
        from dataclasses import asdict

        return asdict(self)


EITHER = "Either — it depends"
NO_VERDICT = "Answer"


def headline(verdict: str | None, abstained: bool, label=str.title,
             lean: str | None = None, inverted: bool = False) -> str:
    """The one-line verdict label every surface shows (`label` spells an option); an
    unsettled choice with a `lean` says so ("Either — leaning TensorFlow"); the answer to
    "which should we avoid?" is marked as the option rated lower."""
    lower = " — rated lower" if inverted else ""
    if abstained:
        return NOT_COVERED
    if verdict == "either":
        return f"Either — leaning {label(lean)}{lower}" if lean else EITHER
    return label(verdict) + lower if verdict else NO_VERDICT
