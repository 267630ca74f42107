"""Framework Advisor: grounded answers to "X or Y for Z?" over your documents, with verdicts
and citations."""

__version__ = "0.1.0"
