"""The CLI: text and JSON output against the contract, batch mode, and every bad input."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from assistant.cli import cli
from conftest import ROOT

CONTRACT = {"question", "answer", "verdict", "confidence", "abstained", "citations", "timings_ms"}


@pytest.fixture
def run(built_index_dir, embedder):
    """Invoke the CLI in-process against the session index (model shared via Embedder.shared)."""
    def invoke(*args, input=None):
        return CliRunner().invoke(cli, ["--index-dir", str(built_index_dir), *args], input=input)
    return invoke


def check_contract(record, index_texts):
    assert CONTRACT <= set(record)
    assert record["verdict"] in ("pytorch", "tensorflow", "either", None)
    assert 0.0 <= record["confidence"] <= 1.0
    numbers = {c["n"] for c in record["citations"]}
    assert numbers == set(range(1, len(numbers) + 1))
    for n in map(int, re.findall(r"\[(\d+)\]", record["answer"])):
        assert n in numbers, f"[{n}] does not resolve"
    for c in record["citations"]:
        assert {"n", "id", "source", "section", "text", "score"} <= set(c)
        assert c["source"] == "corpus/pytorch-vs-tensorflow-2025.md"
        assert any(c["text"] in t for t in index_texts), "citation is not verbatim from the index"
    assert set(record["timings_ms"]) >= {"retrieve", "advise"}


@pytest.fixture(scope="module")
def index_texts(advisor):
    return [n.get_content() for n in advisor.index.nodes]


def test_ask_text_output(run):
    result = run("ask", "TF or PyTorch for browser?")
    assert result.exit_code == 0, result.output
    assert "Verdict: TensorFlow" in result.stdout
    assert "Sources:" in result.stdout and "[1] corpus/pytorch-vs-tensorflow-2025.md" in result.stdout
    assert "TensorFlow.js" in result.stdout


def test_ask_json_contract(run, index_texts):
    result = run("ask", "--json", "TF or PyTorch for browser?")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    check_contract(record, index_texts)
    assert record["verdict"] == "tensorflow" and not record["abstained"]
    assert any("TensorFlow.js" in c["text"] for c in record["citations"])


def test_k_limits_citations(run):
    record = json.loads(run("ask", "--json", "-k", "1", "ResNet-50 throughput on an A100?").stdout)
    assert len(record["citations"]) == 1


def test_out_of_scope_abstains(run):
    record = json.loads(run("ask", "--json", "What is the capital of France?").stdout)
    assert record["abstained"] and record["verdict"] is None and record["citations"] == []


def test_batch_file_and_stdin(run, tmp_path, index_texts):
    questions = ["TF or PyTorch for mobile?", "", "Which framework do LLMs use?",
                 "What is the capital of France?"]
    path = tmp_path / "qs.txt"
    path.write_text("\n".join(questions) + "\n", encoding="utf-8")
    for args, stdin in ((["--file", str(path)], None), (["--file", "-"], path.read_text()),
                        (["-"], path.read_text())):
        result = run("ask", *args, input=stdin)
        assert result.exit_code == 0, result.output
        records = [json.loads(line) for line in result.stdout.splitlines()]
        assert [r["question"] for r in records] == [q for q in questions if q]
        assert [r["verdict"] for r in records] == ["tensorflow", "pytorch", None]
        assert records[2]["abstained"]
        for record in records:
            check_contract(record, index_texts)


def test_ask_reads_history_for_a_follow_up(run):
    bare = json.loads(run("ask", "--json", "so which of the two should we pick?").stdout)
    result = run("ask", "--json", "--history", "our model has to run inside the web browser",
                 "so which of the two should we pick?")
    assert result.exit_code == 0, result.output
    followed = json.loads(result.stdout)
    assert bare["verdict"] != "tensorflow" and followed["verdict"] == "tensorflow"
    assert any("TensorFlow.js" in c["text"] for c in followed["citations"])
    one_line_error(run("ask", "--history", "x" * 5000, "and for mobile?"),
                   "history message 1 is too long")
    one_line_error(run("ask", "--history", "TF or PyTorch?", "--file", "-", input="q?\n"),
                   "not with --file")


def one_line_error(result, fragment):
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert fragment in lines[0]
    assert "Traceback" not in result.output


def test_bad_inputs(run, tmp_path):
    one_line_error(run("ask", ""), "empty")
    one_line_error(run("ask", "   "), "empty")
    one_line_error(run("ask", "x" * 100_000), "too long")
    one_line_error(run("ask"), "no question")
    one_line_error(run("ask", "--file", str(tmp_path / "missing.txt")), "cannot read")
    one_line_error(run("ask", "--file", str(tmp_path)), "cannot read")
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Caf\xe9 question?\n".encode("latin-1"))
    one_line_error(run("ask", "--file", str(bad)), "not UTF-8")
    one_line_error(run("ask", "--file", "-", input=b"\xff\xfe\x00bad"), "not UTF-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n")
    one_line_error(run("ask", "--file", str(empty)), "no questions")
    one_line_error(run("--corpus", str(tmp_path / "nope"), "ask", "Q?"), "corpus folder not found")
    one_line_error(run("ask", "-k", "0", "Q?"), "")  # click's own usage error is exit 2 as well


def test_batch_with_a_bad_line_keeps_order_and_fails(run, tmp_path):
    path = tmp_path / "qs.txt"
    path.write_text("TF or PyTorch for mobile?\n" + "y" * 5000 + "\nWhich framework do LLMs use?\n")
    result = run("ask", "--file", str(path))
    assert result.exit_code == 2
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 3 and "error" in records[1] and records[2]["verdict"] == "pytorch"
    assert "1 of 3 questions were rejected" in result.stderr


def test_index_command_reports_nodes_and_time(tmp_path, embedder):
    result = CliRunner().invoke(cli, ["--index-dir", str(tmp_path / "ix"), "index"])
    assert result.exit_code == 0, result.output
    assert re.search(r"index built: \d+ nodes, dim 384, IndexFlatIP", result.stdout)
    again = CliRunner().invoke(cli, ["--index-dir", str(tmp_path / "ix"), "index"])
    assert "loaded (up to date)" in again.stdout


def test_help_imports_no_heavy_library():
    code = ("import sys; from assistant.cli import cli\n"
            "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('torch', 'sentence_transformers', 'llama_index', 'gradio', "
            "'faiss', 'transformers') if m in sys.modules]\n"
            "print('HEAVY', heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert "Usage: " in out.stdout and "HEAVY []" in out.stdout, out.stdout + out.stderr


def test_console_script_end_to_end(built_index_dir):
    """The installed `assistant` entry point, as a real process."""
    exe = ROOT / ".venv" / "bin" / "assistant"
    if not exe.exists():
        exe = "assistant"
    out = subprocess.run([str(exe), "--index-dir", str(built_index_dir), "ask", "--json",
                          "TF or PyTorch for browser?"], capture_output=True, text=True, cwd=ROOT,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    record = json.loads(out.stdout)  # stdout is exactly one JSON object: no stray prints
    assert record["verdict"] == "tensorflow"
