"""Slack surface against a real server on 127.0.0.1 and a local stand-in for Slack's servers:
signed slash commands, threaded mentions, retries/duplicates, signature checks, Block Kit
limits, and the incoming-webhook CLI path."""
from __future__ import annotations

import re
import time

import httpx
import pytest
from click.testing import CliRunner
from slack_sdk.signature import SignatureVerifier

from assistant import slack_format
from assistant.advisor import Answer, Citation
from slack_standin import (BOT_TOKEN, BOT_USER, SIGNING_SECRET, LiveServer, mention_body, sign,
                           slash_body)

FORM = "application/x-www-form-urlencoded"


def post_slack(server, body: str, content_type: str, headers: dict | None = None):
    headers = {"Content-Type": content_type, **(sign(body) if headers is None else headers)}
    return httpx.post(server.url + "/slack/events", content=body, headers=headers, timeout=30)


def all_texts(blocks: list[dict]) -> list[str]:
    texts = []
    for block in blocks:
        if "text" in block:
            texts.append(block["text"]["text"])
        texts += [e["text"] for e in block.get("elements", [])]
    return texts


def check_limits(blocks: list[dict]):
    assert 0 < len(blocks) <= 50
    assert all(len(t) <= 3000 for t in all_texts(blocks))
    assert all(len(b["elements"]) <= 10 for b in blocks if b["type"] == "context")


def test_signer_matches_slack_sdk():
    body = slash_body("hi", "http://127.0.0.1:1/respond/x")
    headers = sign(body)
    verifier = SignatureVerifier(SIGNING_SECRET)
    assert verifier.is_valid(body, headers["X-Slack-Request-Timestamp"],
                             headers["X-Slack-Signature"])


def test_slash_command_acks_then_posts_answer(server, standin, advisor):
    url = standin.url + "/respond/browser"
    resp = post_slack(server, slash_body("TF or PyTorch for browser?", url), FORM)
    assert resp.status_code == 200
    assert "Thinking" in resp.text
    posted = standin.wait_for("/respond/browser")[0]["data"]
    assert posted["response_type"] == "in_channel"
    blocks = posted["blocks"]
    check_limits(blocks)
    texts = all_texts(blocks)
    expected = advisor.ask("TF or PyTorch for browser?")
    assert blocks == slack_format.answer_blocks(expected, question=True)
    assert slack_format.verdict_line(expected) in texts
    sources = [e["text"] for b in blocks if b["type"] == "context" for e in b["elements"]
               if e["text"].startswith("*[")]
    assert sources and all(re.match(r"\*\[\d+\]\* .+ — “.+”", s) for s in sources)
    assert any("[1]" in t for t in texts if not t.startswith("*["))
    assert any("TensorFlow.js" in s for s in sources)


def test_events_url_verification_challenge(server):
    body = '{"token": "legacy", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", "type": "url_verification"}'
    resp = post_slack(server, body, "application/json")
    assert resp.status_code == 200
    assert "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in resp.text


def test_mention_reply_failure_is_logged_not_fatal(server, standin, caplog):
    ts = "1712000300.000100"
    body = mention_body(f"<@{BOT_USER}> TF or PyTorch for mobile?", "EvNoChan", ts,
                        channel="CNOTIN")
    standin.not_in = {"CNOTIN"}
    try:
        assert post_slack(server, body, "application/json").status_code == 200
        standin.wait_for("/api/chat.postMessage", channel="CNOTIN")
        deadline = time.monotonic() + 30
        while "not_in_channel" not in caplog.text and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        standin.not_in = set()
    assert "chat.postMessage to CNOTIN failed: not_in_channel" in caplog.text
    assert httpx.get(server.url + "/healthz").status_code == 200


def test_slash_command_without_text_gets_usage_and_no_post(server, standin):
    resp = post_slack(server, slash_body("  ", standin.url + "/respond/empty"), FORM)
    assert resp.status_code == 200 and "Ask me" in resp.text
    too_long = post_slack(server, slash_body("x" * 4001, standin.url + "/respond/long"), FORM)
    assert too_long.status_code == 200 and "too long" in too_long.text
    time.sleep(0.5)
    assert not standin.matching("/respond/empty") and not standin.matching("/respond/long")


def test_mention_gets_threaded_reply(server, standin, advisor):
    ts = "1712000000.000100"
    body = mention_body(f"<@{BOT_USER}> Which framework do LLMs use?", "EvMention1", ts)
    resp = post_slack(server, body, "application/json")
    assert resp.status_code == 200
    posted = standin.wait_for("/api/chat.postMessage", thread_ts=ts)[0]
    assert posted["headers"]["Authorization"] == f"Bearer {BOT_TOKEN}"
    assert posted["data"]["channel"] == "C0001"
    check_limits(posted["data"]["blocks"])
    expected = advisor.ask("Which framework do LLMs use?")
    assert posted["data"]["blocks"] == slack_format.answer_blocks(expected)
    assert posted["data"]["text"] == slack_format.fallback_text(expected)


def test_mention_in_thread_uses_earlier_messages(server, standin, advisor):
    root, reply_ts = "1712000100.000100", "1712000160.000100"
    earlier = "We need to deploy our model on phones and tablets."
    standin.threads[root] = [
        {"type": "message", "user": "U0002", "text": earlier, "ts": root},
        {"type": "message", "user": BOT_USER, "bot_id": "B0001", "text": "old answer",
         "ts": "1712000110.000100"},
        {"type": "message", "user": "U0001", "text": f"<@{BOT_USER}> which one should we pick?",
         "ts": reply_ts},
    ]
    body = mention_body(f"<@{BOT_USER}> which one should we pick?", "EvThread1", reply_ts,
                        thread_ts=root)
    assert post_slack(server, body, "application/json").status_code == 200
    posted = standin.wait_for("/api/chat.postMessage", thread_ts=root)[0]["data"]
    fetched = standin.matching("/api/conversations.replies", ts=root)
    assert fetched and fetched[0]["data"]["channel"] == "C0001"
    expected = advisor.ask("which one should we pick?", history=[earlier])
    assert posted["blocks"] == slack_format.answer_blocks(expected)


def test_retries_and_duplicate_events_get_one_reply(server, standin):
    ts = "1712000200.000100"
    body = mention_body(f"<@{BOT_USER}> TF or PyTorch for mobile?", "EvDup1", ts)
    first = post_slack(server, body, "application/json")
    retry_headers = {**sign(body), "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    retry = post_slack(server, body, "application/json", retry_headers)
    duplicate = post_slack(server, body, "application/json")
    assert [first.status_code, retry.status_code, duplicate.status_code] == [200, 200, 200]
    standin.wait_for("/api/chat.postMessage", thread_ts=ts)
    # a later event's reply means anything started for the repeats would have been posted too
    sentinel = "1712000201.000100"
    post_slack(server, mention_body(f"<@{BOT_USER}> TF or PyTorch for mobile?", "EvDup2",
                                    sentinel), "application/json")
    standin.wait_for("/api/chat.postMessage", thread_ts=sentinel)
    time.sleep(0.5)
    assert len(standin.matching("/api/chat.postMessage", thread_ts=ts)) == 1


@pytest.mark.parametrize("case", ["bad", "missing", "stale", "future", "other-secret"])
def test_unsigned_or_stale_requests_get_401_and_nothing_posted(server, standin, case):
    respond = f"/respond/unsigned-{case}"
    body = slash_body("TF or PyTorch for browser?", standin.url + respond)
    headers = {
        "bad": {**sign(body), "X-Slack-Signature": "v0=" + "0" * 64},
        "missing": {},
        "stale": sign(body, timestamp=int(time.time()) - 301 - 60),
        "future": sign(body, timestamp=int(time.time()) + 400),
        "other-secret": sign(body, secret="not-the-secret"),
    }[case]
    before = len(standin.records)
    resp = post_slack(server, body, FORM, headers)
    assert resp.status_code == 401
    time.sleep(0.5)
    assert not standin.matching(respond) and len(standin.records) == before


@pytest.mark.parametrize("body,ctype,signed,status", [
    ("{not json", "application/json", True, 400),
    ("", "application/json", True, 404),
    ("[1, 2, 3]", "application/json", True, 400),
    ("%%%&&&==", FORM, True, 404),
    ("{not json", "application/json", False, 401),
    ("x" * 70_000, FORM, True, 413),
])
def test_malformed_slack_bodies_get_4xx_and_server_lives(server, body, ctype, signed, status):
    resp = post_slack(server, body, ctype, None if signed else {})
    assert 400 <= resp.status_code < 500
    assert resp.status_code == status
    assert httpx.get(server.url + "/healthz").status_code == 200


def test_unconfigured_slack_answers_503(advisor):
    from assistant.server import ServerSettings, create_app

    with LiveServer(create_app(advisor, ServerSettings(ui=False))) as live:
        resp = httpx.post(live.url + "/slack/events", content="x", headers=sign("x"))
    assert resp.status_code == 503
    assert "SLACK_SIGNING_SECRET" in resp.json()["error"]


def synthetic_answer(n_citations=15, answer_len=9000) -> Answer:
    cites = [Citation(n=i, id=f"id{i}", source="corpus/a.md", section=f"Section <{i}> & more",
                      text="word " * 200, score=0.5) for i in range(1, n_citations + 1)]
    text = " ".join(f"Sentence {i} says PyTorch & TF differ [1]." for i in range(answer_len // 40))
    table = {"section": "Table", "header": ["Aspect", "PyTorch", "TensorFlow"],
             "rows": [["Row " + str(i), "yes" * 20, "no" * 20] for i in range(200)]}
    return Answer(question="q <b>", answer=text, verdict="either", confidence=0.5,
                  abstained=False, citations=cites, table=table)


def test_block_kit_stays_within_slack_limits():
    message = slack_format.message(synthetic_answer(), question=True)
    check_limits(message["blocks"])
    assert len(message["text"]) <= 3000
    texts = all_texts(message["blocks"])
    assert "Verdict: Either" in texts[1]
    assert any(t.startswith("*[15]*") for t in texts)
    assert all("<b>" not in t and "<1>" not in t for t in texts)  # mrkdwn control chars escaped
    table = next(t for t in texts if t.startswith("*Table*"))
    assert table.endswith("```")


def test_abstained_answer_says_not_covered(advisor):
    answer = advisor.ask("What is the capital of France?")
    blocks = slack_format.answer_blocks(answer)
    assert answer.abstained and "Not covered" in blocks[0]["text"]["text"]


@pytest.fixture
def cli_env(monkeypatch, built_index_dir):
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(built_index_dir))


def test_ask_posts_to_webhook(cli_env, standin, advisor):
    from assistant.cli import cli

    before = len(standin.matching("/hook/ok"))
    result = CliRunner().invoke(cli, ["ask", "TF or PyTorch for browser?", "--slack-webhook",
                                      standin.url + "/hook/ok"])
    assert result.exit_code == 0, result.output
    posted = standin.matching("/hook/ok")[before:]
    assert len(posted) == 1
    data = posted[0]["data"]
    check_limits(data["blocks"])
    assert data["text"].startswith("Q: TF or PyTorch for browser?")
    expected = advisor.ask("TF or PyTorch for browser?")
    assert data["blocks"] == slack_format.answer_blocks(expected, question=True)


@pytest.mark.parametrize("target,expected", [
    ("/hook/gone", "Slack webhook post failed: HTTP 404 no_service"),
    ("closed-port", "Slack webhook post failed: cannot reach"),
])
def test_failed_webhook_post_is_one_line_and_nonzero(cli_env, standin, embedder, target, expected):
    from assistant.cli import cli

    url = "http://127.0.0.1:9/hook" if target == "closed-port" else standin.url + target
    result = CliRunner().invoke(cli, ["ask", "TF or PyTorch for browser?", "--slack-webhook", url])
    assert result.exit_code != 0
    error_lines = [l for l in result.output.splitlines() if l.startswith("error:")]
    assert len(error_lines) == 1 and expected in error_lines[0]
    assert "Traceback" not in result.output


def test_webhook_env_var_is_used(cli_env, standin, embedder, monkeypatch):
    from assistant.cli import cli

    monkeypatch.setenv("SLACK_WEBHOOK_URL", standin.url + "/hook/ok")
    before = len(standin.matching("/hook/ok"))
    result = CliRunner().invoke(cli, ["ask", "TF or PyTorch for mobile?"])
    assert result.exit_code == 0, result.output
    assert len(standin.matching("/hook/ok")) == before + 1
    blocks = standin.matching("/hook/ok")[-1]["data"]["blocks"]
    assert sum("Verdict" in t for t in all_texts(blocks)) == 1


class _Broken:
    """An advisor with a bug of ours: every answer raises."""

    def __init__(self, advisor):
        self._advisor = advisor

    def __getattr__(self, name):
        return getattr(self._advisor, name)

    def ask(self, *args, **kwargs):
        raise RuntimeError("a bug in the answer layer")


def test_our_own_failures_reach_the_user_as_an_apology_not_a_400(advisor, standin, caplog):
    from assistant.server import ServerSettings, create_app

    settings = ServerSettings(slack_signing_secret=SIGNING_SECRET, slack_bot_token=BOT_TOKEN,
                              slack_api_url=standin.api_url, ui=False)
    with LiveServer(create_app(_Broken(advisor), settings)) as live, \
            caplog.at_level("ERROR", logger="assistant.slack"):
        resp = post_slack(live, slash_body("TF or PyTorch?", standin.url + "/respond/bug"), FORM)
        assert resp.status_code == 200 and "Thinking" in resp.text
        posted = standin.wait_for("/respond/bug")[0]["data"]
        assert "Sorry, something went wrong" in posted["text"]
        ts = "1712000400.000100"
        body = mention_body(f"<@{BOT_USER}> TF or PyTorch for mobile?", "EvBug1", ts)
        assert post_slack(live, body, "application/json").status_code == 200
        reply = standin.wait_for("/api/chat.postMessage", thread_ts=ts)[0]["data"]
        assert "Sorry, something went wrong" in reply["text"]
    assert any(r.exc_info and "a bug in the answer layer" in str(r.exc_info[1])
               for r in caplog.records)  # logged with its traceback


def test_a_failure_inside_bolt_is_an_apology_with_status_200(server, standin, monkeypatch):
    from assistant import slack

    def broken(*args, **kwargs):
        raise RuntimeError("a bug before the listener")

    monkeypatch.setattr(slack, "validate_question", broken)
    resp = post_slack(server, slash_body("TF or PyTorch?", standin.url + "/respond/x2"), FORM)
    assert resp.status_code == 200
    assert "Sorry, something went wrong" in resp.text
