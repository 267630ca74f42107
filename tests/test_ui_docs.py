"""`assistant chat` in a real headless Chromium: the collapsible "What I know" panel lists the
same documents as `assistant docs`, and a PDF dropped into the corpus while the chat runs is
listed and answered (with its page) without a restart."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from datetime import datetime

import httpx
import pytest
from click.testing import CliRunner

from assistant.cli import cli
from conftest import CORPUS, FIXTURES, ROOT
from pdf_fixtures import markdown_pdf

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
pytestmark = [pytest.mark.filterwarnings("ignore:.*no_silent_downcasting"),
              pytest.mark.filterwarnings("ignore:The copy keyword is deprecated")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chat_server(tmp_path_factory, built_index_dir):
    """`assistant chat` as a real process over a corpus copy (its index copied, so it loads)."""
    root = tmp_path_factory.mktemp("chat")
    corpus, index_dir = root / "corpus", root / "index"
    shutil.copytree(CORPUS, corpus)
    shutil.copytree(built_index_dir, index_dir, ignore=shutil.ignore_patterns(".*lock"))
    port = _free_port()
    log = (root / "chat.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "chat", "--corpus", str(corpus),
                             "--index-dir", str(index_dir), "--port", str(port)], cwd=ROOT,
                            env=dict(os.environ, HF_HUB_OFFLINE="1"), stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert proc.poll() is None, (root / "chat.log").read_text()
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        yield url, corpus, root / "chat.log"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


@pytest.fixture(scope="module")
def page(chat_server):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1100, "height": 1600}).new_page()
        yield page
        browser.close()


def open_panel(page, url: str) -> str:
    """Load the chat, open "What I know" and return the panel's text."""
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("#fa-input textarea", timeout=30_000)
    panel = page.locator("#fa-docs-list")
    assert not panel.is_visible()  # collapsed until opened
    page.locator("#fa-docs").get_by_text("What I know").click()
    page.wait_for_function("() => { const e = document.querySelector('#fa-docs-list');"
                           " return e && e.innerText.includes('passage'); }", timeout=30_000)
    return panel.inner_text()


def docs_json(corpus) -> list[dict]:
    result = CliRunner().invoke(cli, ["docs", "--json", "--corpus", str(corpus)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["documents"]


@pytest.mark.browser
@pytest.mark.slow
def test_what_i_know_panel_and_a_pdf_picked_up_by_the_running_chat(chat_server, page, artifacts_dir):
    url, corpus, log = chat_server
    text = open_panel(page, url)
    [article] = docs_json(corpus)
    assert article["title"] in text and article["source"] in text
    assert f"markdown\t{article['passages']}\t{article['tables']}\tindexed" in text
    assert f"1 document indexed, {article['passages']} passages." in text

    markdown_pdf(corpus / "serving-benchmark.pdf", (FIXTURES / "inference-benchmark-report.txt")
                 .read_text(encoding="utf-8"), title="LLM Serving Benchmark Report 2025",
                 author="Halcyon Compute", date=datetime(2025, 6, 14))
    deadline = time.monotonic() + 90
    while "index rebuilt (corpus changed)" not in log.read_text():
        assert time.monotonic() < deadline, log.read_text()[-2000:]
        time.sleep(0.3)
    text = open_panel(page, url)
    listed = docs_json(corpus)
    for record in listed:  # the same list as `assistant docs`
        assert record["title"] in text and record["source"] in text
        assert f"{record['format']}\t{record['passages']}\t{record['tables']}\tindexed" in text
    assert "2 documents indexed" in text

    box = page.locator("#fa-input textarea")
    box.fill("What does it cost per million output tokens to serve Llama 3 8B with vLLM on the "
             "Halcyon H9?")
    box.press("Enter")
    page.wait_for_selector("#fa-chat .fa-answer.fa-final", timeout=60_000)
    bot = page.locator("#fa-chat .bot-row").last
    sources = bot.locator("details.fa-source").all_inner_texts()
    assert any("serving-benchmark.pdf" in s and "(p. 3)" in s for s in sources), sources
    page.screenshot(path=str(artifacts_dir / "what-i-know.png"), full_page=True)
