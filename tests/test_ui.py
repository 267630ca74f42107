"""The Gradio chat UI: rendering helpers, the chat handler over the real advisor, and a real
headless Chromium (Playwright, Debian's /usr/bin/chromium) driving the app on 127.0.0.1."""
from __future__ import annotations

import json
import os
import platform
import socket
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

import pytest

from ui import render

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
ROOT = Path(__file__).resolve().parent.parent
# Gradio's queue analytics call pandas APIs that pandas 3 deprecates; not ours to fix.
pytestmark = [pytest.mark.filterwarnings("ignore:.*no_silent_downcasting"),
              pytest.mark.filterwarnings("ignore:The copy keyword is deprecated")]

MOBILE = {
    "question": "TF or PyTorch for mobile?", "answer": "TensorFlow fits [1][2]. TF Lite <b>a*b</b> [9].",
    "verdict": "tensorflow", "confidence": 0.8, "abstained": False, "query": None,
    "headline": "TensorFlow",
    "citations": [
        {"n": 1, "id": "a", "source": "corpus/x.md", "section": "Quick Comparison",
         "text": "Category: Mobile | PyTorch: ExecuTorch | TensorFlow: TF Lite <mature>", "score": 0.6},
        {"n": 2, "id": "b", "source": "corpus/x.md", "section": "When to Choose TensorFlow",
         "text": "TensorFlow Lite is years ahead.", "score": 0.5}],
    "table": {"section": "Quick Comparison", "header": ["Category", "PyTorch", "TensorFlow"],
              "rows": [["Mobile/Edge", "ExecuTorch", "TF Lite | Micro"]]},
}


# --- rendering (no browser) ---------------------------------------------------------------

@pytest.mark.parametrize("verdict,abstained,label", [
    ("pytorch", False, "PyTorch"), ("onnx runtime", False, "ONNX Runtime"),
    ("either", False, "Either"), (None, True, "Not covered")])
def test_badge_labels(verdict, abstained, label):
    html = render.badge_html({"verdict": verdict, "abstained": abstained, "confidence": 0.42,
                              "headline": label})
    assert f">{label}</span>" in html
    assert ("42% confidence" in html) is (not abstained)


def test_markers_link_to_sources_and_text_is_escaped():
    body = render.link_markers(MOBILE["answer"], turn=3, known={1, 2})
    assert 'href="#fa-src-3-1"' in body and 'href="#fa-src-3-2"' in body
    assert "fa-src-3-9" not in body and "\\[9\\]" in body  # unknown marker stays literal
    assert "<b>" not in body and "&lt;b&gt;" in body and "a\\*b" in body


def test_table_and_sources_render_verbatim():
    table = render.table_md(MOBILE["table"])
    assert table.splitlines()[-1] == "| Mobile/Edge | ExecuTorch | TF Lite \\| Micro |"
    assert "*Quick Comparison*" in table and render.table_md(None) == ""
    sources = render.sources_html(MOBILE["citations"], turn=0)
    assert sources.count("<details") == 2 and 'id="fa-src-0-1"' in sources
    assert "TensorFlow: TF Lite &lt;mature&gt;" in sources and "When to Choose TensorFlow" in sources


def test_stream_frames_grow_and_end_with_full_message():
    answer = dict(MOBILE, answer=" ".join(f"w{i}" for i in range(20)) + " [1].")
    frames = list(render.stream_frames(answer, turn=0, words_per_frame=3))
    assert len(frames) > 3 and frames[-1] == render.render_answer(answer, 0)
    assert all("fa-streaming" in f and "<details" not in f for f in frames[:-1])
    assert "fa-final" in frames[-1] and "<details" in frames[-1] and "| --- |" in frames[-1]
    assert "Interpreted as" not in frames[-1]
    assert "Interpreted as" in render.render_answer(dict(answer, query="TF or PyTorch: x"), 0)


def test_plain_text_and_message_text():
    text = render.plain_text(MOBILE)
    assert text.startswith("Verdict: TensorFlow (80% confidence)") and "Sources:" in text
    assert "[1] Quick Comparison (x.md): Category: Mobile" in text and "<" not in text.split("\n")[0]
    assert render.message_text([{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]) == "ab"
    assert render.message_text("q") == "q" and render.message_text(None) == ""


# --- the chat handler over the real advisor ---------------------------------------------------

def _run(respond, message, chat):
    *_, last = respond(message, chat)
    return last


def test_handler_rejects_bad_input_politely(advisor):
    from ui.app import make_responder

    respond = make_responder(advisor)
    for message in ("", "   ", "x" * 100_000, "bad\x00input"):
        box, chat, plain = _run(respond, message, [])
        assert box == "" and plain == "" and len(chat) == 1
        assert chat[0]["role"] == "assistant" and "Traceback" not in chat[0]["content"]
    assert "Please type a question" in _run(respond, "", [])[1][0]["content"]
    assert "too long" in _run(respond, "x" * 100_000, [])[1][0]["content"]


def test_handler_streams_and_answers_follow_ups_in_context(advisor):
    from ui.app import earlier_questions, make_responder

    respond = make_responder(advisor)
    updates = list(respond("TF or PyTorch for mobile?", []))
    assert updates[0][1] == [{"role": "user", "content": "TF or PyTorch for mobile?"}]
    contents = [u[1][-1]["content"] for u in updates[1:]]
    assert len(contents) > 2 and all(len(a) < len(b) for a, b in zip(contents, contents[1:-1]))
    chat = updates[-1][1]
    assert 'fa-badge-tensorflow' in chat[-1]["content"] and "Verdict: TensorFlow" in updates[-1][2]

    chat = _run(respond, "and for the browser?", chat)[1]
    assert earlier_questions(chat) == ["TF or PyTorch for mobile?", "and for the browser?"]
    assert "TensorFlow.js" in chat[-1]["content"] and "Interpreted as" in chat[-1]["content"]
    assert 'id="fa-src-1-1"' in chat[-1]["content"]  # ids unique per turn

    chat = _run(respond, "Which framework do LLMs use?", chat)[1]
    assert 'fa-badge-pytorch' in chat[-1]["content"]
    assert "Interpreted as" not in chat[-1]["content"]  # a new topic stands alone


def test_app_is_bounded_and_exposes_no_files(advisor):
    from ui.app import CONCURRENCY_LIMIT, QUEUE_MAX_SIZE, create_app

    major, minor = (int(x) for x in version("gradio").split(".")[:2])
    assert (major, minor) >= (6, 16)
    demo = create_app(advisor)
    assert demo._queue.max_size == QUEUE_MAX_SIZE and QUEUE_MAX_SIZE > 0
    assert demo._queue.default_concurrency_limit == CONCURRENCY_LIMIT
    assert not getattr(demo, "allowed_paths", [])


# --- real browser ---------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(advisor):
    from ui.app import create_app, page_options, prewarm

    demo = create_app(advisor)
    prewarm()  # as launch() does
    port = _free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True,
                show_error=False, **page_options())
    yield f"http://127.0.0.1:{port}/"
    demo.close()


@pytest.fixture(scope="module")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, app_url):
    context = browser.new_context(viewport={"width": 1100, "height": 1500})
    page = context.new_page()
    page.goto(app_url, wait_until="domcontentloaded")
    page.wait_for_selector("#fa-input textarea", timeout=30_000)
    yield page
    context.close()


def test_server_exposes_no_local_files(app_url):
    import httpx

    corpus = next((ROOT / "corpus").glob("*.md"))
    for path in ("/etc/passwd", str(ROOT / "pyproject.toml"), "pyproject.toml", str(corpus),
                 "../../../../etc/passwd", str(ROOT / "ui" / "app.py")):
        for route in ("gradio_api/file=", "file=", "gradio_api/file/"):
            r = httpx.get(app_url + route + path, timeout=10)
            assert r.status_code in (400, 403, 404), (route, path, r.status_code)
            assert "root:" not in r.text and "[project]" not in r.text
    config = httpx.get(app_url + "config", timeout=10).json()
    assert config["title"] == "Framework Advisor"


WATCH = """() => {
  const w = window.__fa = {t0: null, first: null, lengths: []};
  const box = document.querySelector('#fa-input textarea');
  box.addEventListener('keydown', e => { if (e.key === 'Enter') w.t0 = performance.now(); }, true);
  const before = document.querySelectorAll('#fa-chat .fa-answer').length;
  new MutationObserver(() => {
    const all = document.querySelectorAll('#fa-chat .fa-answer');
    if (all.length <= before) return;
    const n = all[all.length - 1].textContent.trim().length;
    if (n > 0 && w.first === null) w.first = performance.now();
    if (n > 0 && w.lengths[w.lengths.length - 1] !== n) w.lengths.push(n);
  }).observe(document.querySelector('#fa-chat'), {subtree: true, childList: true, characterData: true});
}"""


def ask(page, question: str):
    """Type `question`, press Enter, wait for the final answer; the last bot message."""
    finals = page.locator("#fa-chat .fa-answer.fa-final").count()
    box = page.locator("#fa-input textarea")
    box.fill(question)
    box.press("Enter")
    page.wait_for_function(
        f"document.querySelectorAll('#fa-chat .fa-answer.fa-final').length > {finals}",
        timeout=30_000)
    return page.locator("#fa-chat .bot-row").last


def _no_error_toast(page):
    assert page.locator(".toast-body, [data-testid='toast-body']").count() == 0


def _timed_ask(page, question: str) -> tuple:
    """ask() while the page records Enter, the first answer text and each streamed length."""
    page.evaluate(WATCH)
    started = time.perf_counter()
    bot = ask(page, question)
    fa = page.evaluate("window.__fa")
    return bot, fa, {"question": question, "time_to_first_token_ms": round(fa["first"] - fa["t0"], 1),
                     "time_to_full_answer_ms": round((time.perf_counter() - started) * 1000, 1),
                     "stream_frames": len(fa["lengths"])}


@pytest.mark.browser
def test_browser_streams_answer_with_badge_and_citation(page, artifacts_dir):
    bot, fa, first = _timed_ask(page, "TF or PyTorch for mobile?")
    assert bot.locator(".fa-badge").inner_text() == "TensorFlow"
    assert "% confidence" in bot.locator(".fa-confidence").inner_text()
    assert len(fa["lengths"]) > 1, "the answer should arrive in several streamed chunks"
    assert fa["lengths"] == sorted(fa["lengths"])
    passages = bot.locator(".fa-passage").all_text_contents()
    assert any("TF Lite" in p or "TensorFlow Lite" in p for p in passages)
    assert bot.locator("table th").first.is_visible()  # table rows behind the cell answer
    assert bot.locator("a.fa-cite").count() >= 1
    _no_error_toast(page)

    bot, _, second = _timed_ask(page, "Which framework do LLMs use?")
    assert bot.locator(".fa-badge").inner_text() == "PyTorch"
    timing = {"first_question_on_fresh_page": first, "next_question": second,
              "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()}, "
                         "CPU only (no GPU)",
              "browser": "Debian chromium --headless (Playwright), server on 127.0.0.1",
              "measured": "from the Enter keydown to the first answer text in the DOM"}
    (artifacts_dir / "ui-timing.json").write_text(json.dumps(timing, indent=2) + "\n")
    print(f"\ntime to first token in the browser: {first['time_to_first_token_ms']:.0f} ms "
          f"(fresh page), {second['time_to_first_token_ms']:.0f} ms (next question)")


@pytest.mark.browser
def test_browser_citation_opens_source_and_follow_up_in_context(page, artifacts_dir):
    page.set_viewport_size({"width": 1100, "height": 1800})  # room for both answers in the shot
    ask(page, "TF or PyTorch for mobile?")
    bot = ask(page, "and for the browser?")
    assert bot.locator(".fa-badge").inner_text() == "TensorFlow"
    assert "Interpreted as" in bot.locator(".fa-query").inner_text()
    source = bot.locator("details.fa-source").first
    assert source.get_attribute("open") is None
    assert not source.locator(".fa-passage").is_visible()
    bot.locator("a.fa-cite[href$='-1']").first.click()
    page.wait_for_function("el => el.open", arg=source.element_handle())
    assert source.locator(".fa-passage").is_visible()
    passages = bot.locator(".fa-passage").all_text_contents()
    assert any("TensorFlow.js" in p for p in passages)
    assert "#" not in page.url  # the click opened the source in place, no navigation
    bot.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / "chat.png"), full_page=True)
    assert (artifacts_dir / "chat.png").stat().st_size > 10_000

    bot = ask(page, "what about training LLMs?")
    assert bot.locator(".fa-badge").inner_text() == "PyTorch"
    bot = ask(page, "What is the capital of France?")  # a new topic, not polluted by the old one
    assert bot.locator(".fa-badge").inner_text() == "Not covered"
    assert bot.locator(".fa-query").count() == 0 and bot.locator("details").count() == 0


@pytest.mark.browser
def test_browser_empty_and_huge_messages_get_a_polite_reply(page):
    box = page.locator("#fa-input textarea")
    box.press("Enter")
    page.get_by_text("Please type a question first").wait_for(timeout=15_000)
    box.fill("x" * 100_000)
    box.press("Enter")
    page.get_by_text("question is too long").wait_for(timeout=15_000)
    assert page.locator("#fa-chat .user-row").count() == 0
    _no_error_toast(page)


@pytest.mark.browser
def test_browser_example_copy_and_clear(page, advisor):
    from ui.app import corpus_copy

    example = corpus_copy(advisor)["examples"][0]  # examples come from the corpus's tables
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.locator("#fa-chat").get_by_text(example).click()
    page.wait_for_selector("#fa-chat .fa-answer.fa-final", timeout=30_000)
    badge = page.locator("#fa-chat .fa-badge").last.inner_text()
    assert badge in ("PyTorch", "TensorFlow", "Either")
    page.locator("#fa-copy").click()
    page.wait_for_function("navigator.clipboard.readText().then(t => t.startsWith('Verdict:'))")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert f"Verdict: {badge}" in copied and "Sources:" in copied and "<" not in copied
    page.locator("#fa-clear").click()
    page.wait_for_function("document.querySelectorAll('#fa-chat .bot-row').length === 0")
    assert page.locator("#fa-chat").get_by_text(example).is_visible()


# --- `assistant chat` serves it -----------------------------------------------------------------

@pytest.mark.slow
def test_assistant_chat_command_serves_the_ui(built_index_dir):
    import httpx

    port = _free_port()
    env = dict(os.environ, ASSISTANT_INDEX_DIR=str(built_index_dir), HF_HUB_OFFLINE="1")
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "chat", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                if r.status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        assert proc.poll() is None, proc.stdout.read()
        assert r.status_code == 200 and "Framework Advisor" in r.text
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    assert "passages" in out and f"127.0.0.1:{port}" in out
