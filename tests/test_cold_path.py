"""The answer path on a built index imports no llama-index (nor torch, gradio, bm25s)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import CORPUS, ROOT

PROBE = """
import json, sys
from assistant.cli import main
sys.argv = ["assistant", "ask", "--json", "TF or PyTorch for browser?"]
try:
    main()
except SystemExit as exit_:
    code = exit_.code
heavy = sorted({m.split(".")[0] for m in sys.modules} &
               {"llama_index", "torch", "transformers", "sentence_transformers", "gradio",
                "bm25s", "scipy", "sklearn", "pandas", "matplotlib"})
print(json.dumps({"code": code, "heavy": heavy}), file=sys.stderr)
"""


def test_ask_on_a_built_index_never_imports_llama_index(built_index_dir):
    env = {**os.environ, "ASSISTANT_INDEX_DIR": str(built_index_dir),
           "ASSISTANT_CORPUS_DIR": str(CORPUS), "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True,
                          text=True, timeout=120, cwd=ROOT)
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    assert report == {"code": 0, "heavy": []}, proc.stderr
    answer = json.loads(proc.stdout)
    assert answer["verdict"] == "tensorflow" and answer["citations"]


def test_help_is_instant_and_light():
    probe = ("import sys; from assistant.cli import main; sys.argv=['assistant','--help']\n"
             "try: main()\nexcept SystemExit: pass\n"
             "print(sorted(m for m in ('numpy','faiss','click') if m in sys.modules), "
             "file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=60, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0 and "Usage" in proc.stdout
    assert proc.stderr.strip() == "['click']"  # no numpy or faiss just to print help
