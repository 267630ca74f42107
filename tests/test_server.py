"""The one server on a real 127.0.0.1 port: JSON API contract and errors, bearer token,
/healthz, the Gradio mount at /, and a bounded load test (figures -> tests/artifacts/load.json)."""
from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from slack_standin import LiveServer

STANDIN = Path(__file__).with_name("slack_standin.py")
CONTRACT_KEYS = {"question", "answer", "verdict", "confidence", "abstained", "citations",
                 "timings_ms"}


def ask(server, payload, **kwargs):
    return httpx.post(server.url + "/api/ask", json=payload, timeout=60, **kwargs)


def test_healthz_reports_index_and_model(server):
    resp = httpx.get(server.url + "/healthz")
    assert resp.status_code == 200
    status = resp.json()
    assert status["ready"] is True and status["nodes"] > 0
    assert "MiniLM" in status["model"] and status["device"] in ("cpu", "cuda")
    assert status["slack"] is True and status["api_auth"] is False


def test_api_ask_returns_the_answer_contract(server, advisor):
    resp = ask(server, {"question": "TF or PyTorch for browser?"})
    assert resp.status_code == 200 and resp.headers["content-type"] == "application/json"
    body = resp.json()
    assert CONTRACT_KEYS <= set(body)
    expected = advisor.ask("TF or PyTorch for browser?").to_dict()
    assert {k: body[k] for k in ("answer", "verdict", "abstained", "citations")} == \
           {k: expected[k] for k in ("answer", "verdict", "abstained", "citations")}
    assert any("TensorFlow.js" in c["text"] for c in body["citations"])
    numbers = {c["n"] for c in body["citations"]}
    assert {int(n) for n in re.findall(r"\[(\d+)\]", body["answer"])} <= numbers


def test_api_ask_honours_k_and_history(server):
    body = ask(server, {"question": "TF or PyTorch for mobile?", "k": 2}).json()
    assert 1 <= len(body["citations"]) <= 2
    follow = ask(server, {"question": "and for the browser?",
                          "history": ["TF or PyTorch for mobile?"]})
    assert follow.status_code == 200 and follow.json()["question"] == "and for the browser?"


def test_api_abstains_off_topic(server):
    body = ask(server, {"question": "What is the capital of France?"}).json()
    assert body["abstained"] is True and body["verdict"] is None


@pytest.mark.parametrize("content,ctype,status,needle", [
    ("{not json", "application/json", 400, "not valid JSON"),
    (b"\xff\xfe{}", "application/json", 400, "not valid JSON"),
    ('["a list"]', "application/json", 400, "JSON object"),
    ("{}", "application/json", 422, "question is required"),
    ('{"question": ""}', "application/json", 422, "empty"),
    ('{"question": "   "}', "application/json", 422, "empty"),
    ('{"question": 42}', "application/json", 422, "must be a string"),
    (json.dumps({"question": "x" * 4001}), "application/json", 422, "too long"),
    ('{"question": "ok?", "k": 0}', "application/json", 422, "k must be"),
    ('{"question": "ok?", "k": "5"}', "application/json", 422, "k must be"),
    ('{"question": "ok?", "history": "no"}', "application/json", 422, "history"),
    ('{"question": "TF?"}', "text/plain", 415, "application/json"),
    ("question=TF", "application/x-www-form-urlencoded", 415, "application/json"),
    ('{"question": "TF?"}', "", 415, "application/json"),
    ("x" * 70_000, "application/json", 413, "KiB"),
])
def test_api_errors_are_4xx_json(server, content, ctype, status, needle):
    headers = {"Content-Type": ctype} if ctype else {}
    resp = httpx.post(server.url + "/api/ask", content=content, headers=headers, timeout=30)
    assert resp.status_code == status
    assert needle in resp.json()["error"]
    assert "Traceback" not in resp.text
    assert httpx.get(server.url + "/healthz").status_code == 200


def test_question_of_exactly_4000_chars_is_accepted(server):
    resp = ask(server, {"question": ("TF or PyTorch for mobile? " * 200)[:4000]})
    assert resp.status_code == 200


def test_wrong_method_and_unknown_endpoint(server):
    get = httpx.get(server.url + "/api/ask")
    assert get.status_code == 405 and "POST" in get.json()["error"]
    missing = httpx.post(server.url + "/api/nope", json={})
    assert missing.status_code == 404 and "error" in missing.json()


def test_bearer_token_when_configured(advisor):
    from assistant.server import ServerSettings, create_app

    with LiveServer(create_app(advisor, ServerSettings(api_token="s3cret", ui=False))) as live:
        payload = {"question": "TF or PyTorch for mobile?"}
        none = httpx.post(live.url + "/api/ask", json=payload)
        wrong = httpx.post(live.url + "/api/ask", json=payload,
                           headers={"Authorization": "Bearer nope"})
        basic = httpx.post(live.url + "/api/ask", json=payload,
                           headers={"Authorization": "Basic s3cret"})
        right = httpx.post(live.url + "/api/ask", json=payload, timeout=60,
                           headers={"Authorization": "Bearer s3cret"})
        health = httpx.get(live.url + "/healthz")
    assert [none.status_code, wrong.status_code, basic.status_code] == [401, 401, 401]
    assert none.headers["www-authenticate"] == "Bearer" and "token" in none.json()["error"]
    assert right.status_code == 200 and right.json()["verdict"] == \
        advisor.ask(payload["question"]).verdict
    assert health.status_code == 200 and health.json()["api_auth"] is True


def test_settings_from_env(monkeypatch):
    from assistant.errors import InputError
    from assistant.server import ServerSettings

    monkeypatch.setenv("ASSISTANT_API_TOKEN", "t")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:1/api")
    settings = ServerSettings.from_env()
    assert settings.api_token == "t" and not settings.slack_enabled
    monkeypatch.setenv("ASSISTANT_WORKERS", "zero")
    with pytest.raises(InputError, match="ASSISTANT_WORKERS"):
        ServerSettings.from_env()


def test_gradio_ui_is_mounted_at_root(advisor):
    pytest.importorskip("ui.app", reason="ui/app.py (the Gradio UI) has not landed yet")
    from assistant.server import ServerSettings, create_app

    from gradio_client import Client

    with LiveServer(create_app(advisor, ServerSettings(ui=True))) as live:
        page = httpx.get(live.url + "/", timeout=30)
        health = httpx.get(live.url + "/healthz")
        api = httpx.post(live.url + "/api/ask", json={"question": "TF or PyTorch for mobile?"},
                         timeout=60)
        # the chat's queue runs through the mount: one real round trip via gradio_client
        *_, plain = Client(live.url + "/", verbose=False).predict(
            "TF or PyTorch for mobile?", [], api_name="/chat")
    assert page.status_code == 200 and "gradio" in page.text.lower()
    assert health.status_code == 200 and api.status_code == 200
    assert "TensorFlow" in plain and "[1]" in plain


def run_load(*args: str) -> dict:
    """Drive the server from a separate process, so client work does not share its GIL."""
    out = subprocess.run([sys.executable, str(STANDIN), "load", *args], capture_output=True,
                         text=True, timeout=600, env={**os.environ, "PYTHONPATH": ""})
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def cpu_model() -> str:
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
        return next(l.split(":", 1)[1].strip() for l in lines if l.startswith("model name"))
    except (OSError, StopIteration):
        return platform.machine()


@pytest.mark.slow
def test_load_api_and_slash_commands(server, standin, artifacts_dir):
    questions = ["TF or PyTorch for browser?", "TF or PyTorch for mobile?",
                 "Which framework do LLMs use?", "Which is easier to debug?",
                 "Which framework is better for research?", "Does TensorFlow support TPUs?",
                 "Which is better for production deployment?", "What is the capital of France?"]
    load_before = list(os.getloadavg())
    api = run_load("api", server.url, "500", "16", json.dumps(questions))
    started = time.perf_counter()
    slash = run_load("slash", server.url, standin.url + "/respond", "50",
                     "TF or PyTorch for mobile?")
    posted = [standin.wait_for(f"/respond/load-{n}", timeout=300)[0] for n in range(50)]
    acks = slash.pop("ack_latencies_ms")
    figures = {
        "machine": f"{cpu_model()}, {os.cpu_count()} CPUs, {platform.system()} "
                   f"{platform.release()}, Python {platform.python_version()}",
        "load_average_before": load_before, "load_average_after": list(os.getloadavg()),
        "server_workers": server.app.state.settings.workers,
        "api": api, "slash": {**slash, "ack_p50_ms": slash["p50_ms"], "ack_p99_ms": slash["p99_ms"],
                              "ack_max_ms": max(acks), "answers_posted": len(posted),
                              "all_answers_posted_s": round(max(p["at"] for p in posted) - started, 2)},
    }
    (artifacts_dir / "load.json").write_text(json.dumps(figures, indent=2))
    print("\nload:", json.dumps(figures, indent=2))
    assert api["errors"] == [] and api["requests"] == 500
    assert slash["errors"] == [] and slash["requests"] == 50
    assert all(a < 3000 for a in acks), acks  # Slack's protocol: ack within 3 s
    assert all(p["data"]["response_type"] == "in_channel" for p in posted)
    assert len(standin.matching("/api/auth.test")) == 1  # one shared auth.test, not one per request
