"""Framework Advisor: grounded PyTorch-vs-TensorFlow answers with verdicts and citations."""

__version__ = "0.1.0"
