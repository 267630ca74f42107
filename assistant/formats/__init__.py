"""Format-specific parsers for the corpus stage: Markdown, HTML, PDF (plain text is in corpus.py).

Each returns (meta, blocks) or, for PDF, (meta, text, blocks); corpus.py picks one by suffix.
"""
