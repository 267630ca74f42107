"""Regression tests for bugs found in an adversarial QA pass: lenient HTML, invalid Unicode,
huge or nested request bodies, empty corpora, odd manifests, file modes, CLI edge cases."""
from __future__ import annotations

import json
import stat

import httpx
from click.testing import CliRunner

from assistant.cli import cli
from assistant.corpus import parse_html
from assistant.store import MANIFEST, ensure_index


def test_html_with_implicit_closes_keeps_every_block():
    html = ("<h2>Serving</h2><p>First para.<p>Second para.<br>Next<h3>Sub</h3><ul><li>one<li>two"
            "</ul><table><tr><th>K<th>PyTorch<th>TensorFlow<tr><td>A<td>B<td>C<tr><td>D<td>"
            "<table><tr><td>inner</table> x<td>F</table><p>After")
    blocks = parse_html(html)
    texts = [b.text for b in blocks if b.kind == "paragraph"]
    assert texts == ["First para.", "Second para. Next", "one", "two", "After"]
    table = next(b for b in blocks if b.kind == "table")
    assert table.header == ("K", "PyTorch", "TensorFlow")
    assert [r.cells for r in table.rows] == [("A", "B", "C"), ("D", "inner x", "F")]
    assert table.headings == ("Serving", "Sub")


def one_line(result, fragment):
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and fragment in result.stderr, result.stderr
    assert "Traceback" not in result.output


def test_cli_rejects_invalid_unicode_and_bad_webhook(built_index_dir):
    run = lambda *a: CliRunner().invoke(cli, ["--index-dir", str(built_index_dir), *a])  # noqa: E731
    one_line(run("ask", "caf\udce9 TF or PyTorch?"), "not valid UTF-8")
    one_line(run("ask", "TF?", "--slack-webhook", "ftp://example"), "must be an http(s) URL")


def test_batch_strips_byte_order_marks_inside_the_file(tmp_path, built_index_dir):
    path = tmp_path / "qs.txt"
    path.write_text("TF or PyTorch for mobile?\n\ufeffWhich framework do LLMs use?\n",
                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["--index-dir", str(built_index_dir), "ask", "--file",
                                      str(path)])
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records[1]["question"] == "Which framework do LLMs use?"


def test_corpus_without_passages_is_a_one_line_error_and_saves_nothing(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text("# Only\n\n## Headings\n")
    result = CliRunner().invoke(cli, ["--corpus", str(corpus), "--index-dir",
                                      str(tmp_path / "ix"), "ask", "TF?"])
    one_line(result, "no passages to index")
    assert not (tmp_path / "ix" / MANIFEST).exists()


def test_manifest_of_the_wrong_type_triggers_a_rebuild(tmp_path, embedder):
    from conftest import CORPUS

    ensure_index(CORPUS, tmp_path, embedder, log=lambda m: None)
    (tmp_path / MANIFEST).write_text("[1, 2, 3]")
    messages = []
    _, built = ensure_index(CORPUS, tmp_path, embedder, log=messages.append)
    assert built and "rebuilding" in messages[0]
    for path in tmp_path.iterdir():  # ordinary file modes, not mkstemp's 0600
        if path.is_file() and not path.name.startswith("."):
            assert path.stat().st_mode & stat.S_IRGRP, path


def test_eval_fails_before_running_when_the_report_folder_is_unwritable(built_index_dir):
    result = CliRunner().invoke(cli, ["--index-dir", str(built_index_dir), "eval",
                                      "eval/faq.jsonl", "--out", "/proc/no-such-dir"])
    one_line(result, "cannot write the report folder")


def test_api_refuses_huge_chunked_and_deeply_nested_bodies(server):
    def chunks():
        for _ in range(200):  # 200 x 64 KiB = 12.5 MiB, chunked (no Content-Length)
            yield b" " * 65536

    resp = httpx.post(server.url + "/api/ask", content=chunks(),
                      headers={"Content-Type": "application/json"}, timeout=60)
    assert resp.status_code == 413 and "error" in resp.json()
    nested = "[" * 20000 + "]" * 20000
    resp = httpx.post(server.url + "/api/ask", content=nested,
                      headers={"Content-Type": "application/json"}, timeout=60)
    assert resp.status_code in (400, 413) and "error" in resp.json()
    bad = httpx.post(server.url + "/api/ask", content=b'{"question": "TF \\ud800 or PT?"}',
                     headers={"Content-Type": "application/json"}, timeout=60)
    assert bad.status_code == 422 and "UTF-8" in bad.json()["error"]
    falsy = httpx.post(server.url + "/api/ask", json={"question": "TF?", "history": False})
    assert falsy.status_code == 422
    assert httpx.get(server.url + "/healthz").status_code == 200  # still alive


def test_wrong_methods_get_json_errors(server):
    for method, path in (("POST", "/healthz"), ("GET", "/slack/events")):
        resp = httpx.request(method, server.url + path, timeout=30)
        assert resp.status_code == 405 and "error" in resp.json(), (method, path)
