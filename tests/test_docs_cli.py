"""Global options before or after the subcommand, and `assistant docs` (text and --json)."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from assistant.cli import cli
from conftest import CORPUS, ROOT
from pdf_fixtures import markdown_pdf, scanned_pdf

GLOBAL_FLAGS = ("--corpus", "--index-dir", "--model", "--device")


@pytest.fixture(scope="module")
def team_corpus(tmp_path_factory):
    """The article, a Markdown note, an HTML page, a PDF report and a scanned PDF."""
    folder = tmp_path_factory.mktemp("team") / "corpus"
    shutil.copytree(ROOT / "eval" / "corpora" / "team", folder)
    markdown_pdf(folder / "report.pdf", "# Fleet Report\n\nThe fleet has 64 GPUs.\n\n"
                 "| GPU | Count |\n| --- | --- |\n| H100 | 48 |\n| A100 | 16 |\n",
                 title="Fleet Report", author="Infra Team")
    scanned_pdf(folder / "scan.pdf")
    return folder


@pytest.mark.parametrize("command", ["ask", "index", "docs", "chat", "serve", "eval", "bench"])
def test_every_subcommand_lists_the_global_options(command):
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0, result.output
    for flag in GLOBAL_FLAGS:
        assert flag in result.stdout, (command, flag)
    assert "ASSISTANT_CORPUS_DIR" in result.stdout


def test_index_takes_corpus_and_index_dir_after_the_subcommand(tmp_path, embedder):
    corpus = tmp_path / "notes"
    corpus.mkdir()
    (corpus / "n.md").write_text("# Notes\n\nOur team serves models with Triton on H100s.\n")
    result = CliRunner().invoke(cli, ["index", "--corpus", str(corpus), "--index-dir",
                                      str(tmp_path / "ix"), "--device", "cpu"])
    assert result.exit_code == 0, result.output
    assert re.search(r"index built: 1 nodes, dim 384", result.stdout)
    assert str(tmp_path / "ix") in result.stdout and (tmp_path / "ix" / "manifest.json").is_file()


def test_an_option_after_the_subcommand_wins_and_env_does_not_override_a_flag(
        tmp_path, monkeypatch, team_corpus):
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(tmp_path / "does-not-exist"))
    before = CliRunner().invoke(cli, ["--corpus", str(CORPUS), "docs", "--json"])
    assert before.exit_code == 0, before.output
    assert [d["source"] for d in json.loads(before.stdout)["documents"]] == [
        "corpus/pytorch-vs-tensorflow-2025.md"]
    both = CliRunner().invoke(cli, ["--corpus", str(CORPUS), "docs", "--json", "--corpus",
                                    str(team_corpus)])
    assert json.loads(both.stdout)["totals"]["documents"] == 5
    from_env = CliRunner().invoke(cli, ["docs"])
    assert from_env.exit_code == 2 and "corpus folder not found" in from_env.stderr


def test_bad_option_values_after_the_subcommand_are_one_line_errors():
    result = CliRunner().invoke(cli, ["docs", "--device", "tpu"])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "'tpu' is not one of" in result.stderr and "Traceback" not in result.output


def test_docs_lists_every_document_and_why_one_was_skipped(team_corpus):
    result = CliRunner().invoke(cli, ["docs", "--json", "--corpus", str(team_corpus)])
    assert result.exit_code == 0, result.output
    listing = json.loads(result.stdout)  # stdout is exactly one JSON object
    docs = {d["source"]: d for d in listing["documents"]}
    assert set(docs) == {f"corpus/{n}" for n in (
        "jax-vs-pytorch.html", "onnx-runtime-vs-tensorrt.md", "pytorch-vs-tensorflow-2025.md",
        "report.pdf", "scan.pdf")}
    article = docs["corpus/pytorch-vs-tensorflow-2025.md"]
    assert article["format"] == "markdown" and article["tables"] == 7 and article["passages"] > 90
    assert article["title"].startswith("PyTorch vs TensorFlow in 2025")
    wiki = docs["corpus/jax-vs-pytorch.html"]
    assert wiki == {**wiki, "format": "html", "tables": 2, "skipped": None,
                    "title": "JAX vs PyTorch for Model Training — ML Research Wiki"}
    report = docs["corpus/report.pdf"]
    assert report == {**report, "format": "pdf", "title": "Fleet Report", "tables": 1, "pages": 1,
                      "table_rows": 2, "passages": 4, "skipped": None}
    scan = docs["corpus/scan.pdf"]
    assert scan["skipped"] == "no text layer (a scanned PDF? run OCR first)" and scan["passages"] == 0
    assert listing["totals"] == {"documents": 5, "indexed": 4, "skipped": 1,
                                 "passages": sum(d["passages"] for d in docs.values()),
                                 "tables": 7 + 4 + 2 + 1}

    text = CliRunner().invoke(cli, ["--corpus", str(team_corpus), "docs"])
    assert text.exit_code == 0
    assert "corpus/scan.pdf  [pdf]" in text.stdout and "skipped: no text layer" in text.stdout
    assert "corpus/report.pdf  [pdf]  Fleet Report\n    4 passages, 1 table, 1 page" in text.stdout
    assert text.stdout.rstrip().endswith("5 documents (1 skipped), "
                                         f"{listing['totals']['passages']} passages, 14 tables")


def test_docs_on_a_missing_folder_is_a_one_line_error(tmp_path):
    result = CliRunner().invoke(cli, ["docs", "--corpus", str(tmp_path / "nope")])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "corpus folder not found" in result.stderr


def test_docs_and_help_stay_light():
    code = ("import sys; from assistant.cli import cli\n"
            "try:\n    cli(['docs', '--help'])\nexcept SystemExit:\n    pass\n"
            "print('HEAVY', [m for m in ('pdfplumber', 'llama_index', 'gradio', 'numpy') "
            "if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert "--corpus" in out.stdout and "HEAVY []" in out.stdout, out.stdout + out.stderr
