"""Test helpers: a local stand-in for Slack's servers, Slack request signing, a uvicorn server
in a background thread, and a small load generator (run as a subprocess, so its client work
does not share the server's GIL).

The stand-in is a real HTTP server on 127.0.0.1 that records every request it receives:
  /api/auth.test, /api/chat.postMessage, /api/conversations.replies   (the Web API)
  /respond/<anything>                                                  (slash `response_url`s)
  /hook/ok  (200 "ok")   /hook/gone (404 "no_service")                 (incoming webhooks)
Only Slack's servers are faked; everything on our side is the real app.
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import re
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

BOT_TOKEN = "xoxb-standin-token"
BOT_USER = "UADVISOR"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


def sign(body: str | bytes, secret: str = SIGNING_SECRET, timestamp: int | None = None) -> dict:
    """Headers Slack sends: v0 HMAC-SHA256 of `v0:{timestamp}:{body}` with the signing secret."""
    raw = body.encode() if isinstance(body, str) else body
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + raw, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def slash_body(text: str, response_url: str, command: str = "/advisor", n: int = 1) -> str:
    return urlencode({"token": "legacy", "team_id": "T0001", "team_domain": "acme",
                      "channel_id": "C0001", "channel_name": "ml", "user_id": "U0001",
                      "user_name": "ana", "command": command, "text": text,
                      "api_app_id": "A0001", "response_url": response_url,
                      "trigger_id": f"{n}.{time.time_ns()}.abc"})


def mention_body(text: str, event_id: str, ts: str, thread_ts: str | None = None,
                 channel: str = "C0001") -> str:
    event = {"type": "app_mention", "user": "U0001", "text": text, "ts": ts, "channel": channel,
             "event_ts": ts}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return json.dumps({"token": "legacy", "team_id": "T0001", "api_app_id": "A0001",
                       "type": "event_callback", "event_id": event_id,
                       "event_time": int(time.time()), "event": event,
                       "authorizations": [{"team_id": "T0001", "user_id": BOT_USER,
                                           "is_bot": True}]})


class SlackStandIn:
    """Records requests; `threads[thread_ts]` holds messages for conversations.replies."""

    def __init__(self):
        self.records: list[dict] = []
        self.threads: dict[str, list[dict]] = {}
        self.not_in: set[str] = set()  # channels where chat.postMessage fails: not_in_channel
        self._cond = threading.Condition()
        self._ts = 1_700_000_000
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                standin._handle(self, b"")

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                standin._handle(self, raw)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.api_url = self.url + "/api/"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    # -- recording ---------------------------------------------------------------------------
    def _handle(self, handler, raw: bytes):
        parts = urlsplit(handler.path)
        ctype = handler.headers.get("Content-Type", "")
        data = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if raw and "json" in ctype:
            data.update(json.loads(raw))
        elif raw:
            data.update({k: v[0] for k, v in parse_qs(raw.decode()).items()})
        record = {"path": parts.path, "data": data, "headers": dict(handler.headers),
                  "at": time.perf_counter()}
        status, reply = self._reply(parts.path, data, handler.headers.get("Authorization", ""))
        with self._cond:
            self.records.append(record)
            self._cond.notify_all()
        body = reply.encode() if isinstance(reply, str) else json.dumps(reply).encode()
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "text/plain" if isinstance(reply, str)
                                else "application/json")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the caller went away (shutdown)
            pass

    def _reply(self, path: str, data: dict, auth: str):
        if path.startswith("/respond/"):
            return 200, "ok"
        if path == "/hook/ok":
            return 200, "ok"
        if path.startswith("/hook/"):
            return 404, "no_service"
        if not path.startswith("/api/"):
            return 404, "not found"
        if auth != f"Bearer {BOT_TOKEN}":
            return 200, {"ok": False, "error": "invalid_auth"}
        method = path[len("/api/"):]
        if method == "auth.test":
            return 200, {"ok": True, "url": "https://acme.slack.com/", "team": "Acme",
                         "user": "advisor", "team_id": "T0001", "user_id": BOT_USER,
                         "bot_id": "B0001"}
        if method == "chat.postMessage" and data.get("channel") in self.not_in:
            return 200, {"ok": False, "error": "not_in_channel"}
        if method == "chat.postMessage":
            with self._cond:
                self._ts += 1
                ts = f"{self._ts}.000100"
            return 200, {"ok": True, "channel": data.get("channel"), "ts": ts,
                         "message": {"text": data.get("text"), "ts": ts}}
        if method == "conversations.replies":
            return 200, {"ok": True, "messages": self.threads.get(data.get("ts"), []),
                         "has_more": False}
        return 200, {"ok": False, "error": "unknown_method"}

    def matching(self, path: str, **fields) -> list[dict]:
        with self._cond:
            return [r for r in self.records if r["path"] == path
                    and all(r["data"].get(k) == v for k, v in fields.items())]

    def wait_for(self, path: str, count: int = 1, timeout: float = 120, **fields) -> list[dict]:
        """Block until `count` requests to `path` (with `fields`) arrived; AssertionError if not."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [r for r in self.records if r["path"] == path
                         and all(r["data"].get(k) == v for k, v in fields.items())]
                if len(found) >= count or time.monotonic() > deadline:
                    break
                self._cond.wait(timeout=0.5)
        assert len(found) >= count, f"expected {count} request(s) to {path} {fields}, got {len(found)}"
        return found


class LiveServer:
    """An ASGI app under uvicorn in a background thread on a free 127.0.0.1 port."""

    def __init__(self, app):
        import uvicorn

        self.app = app
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on",
                                                    timeout_graceful_shutdown=2))
        self._thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]},
                                        daemon=True)

    def __enter__(self):
        self._thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self._thread.join(timeout=10)
        self.sock.close()


# -- load generator (python tests/slack_standin.py load ...) ------------------------------------
def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def _summary(latencies: list[float], wall: float) -> dict:
    return {"requests": len(latencies), "seconds": round(wall, 3),
            "requests_per_s": round(len(latencies) / wall, 1),
            "p50_ms": round(_percentile(latencies, 50) * 1000, 1),
            "p99_ms": round(_percentile(latencies, 99) * 1000, 1),
            "max_ms": round(max(latencies) * 1000, 1)}


async def _api_load(url: str, questions: list[str], total: int, concurrency: int) -> dict:
    import httpx

    latencies, errors = [], []
    queue = list(range(total))

    async def worker(client):
        while queue:
            i = queue.pop()
            started = time.perf_counter()
            resp = await client.post(url + "/api/ask", json={"question": questions[i % len(questions)]})
            latencies.append(time.perf_counter() - started)
            if resp.status_code != 200 or "answer" not in resp.json():
                errors.append(f"HTTP {resp.status_code}: {resp.text[:200]}")

    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        wall = time.perf_counter() - started
    return {**_summary(latencies, wall), "concurrency": concurrency, "errors": errors}


async def _slash_load(url: str, respond_base: str, question: str, total: int) -> dict:
    import httpx

    acks, server_ms, errors = [], [], []

    async def one(client, n):
        body = slash_body(f"{question} (#{n})", f"{respond_base}/load-{n}", n=n)
        headers = {**sign(body), "Content-Type": "application/x-www-form-urlencoded"}
        started = time.perf_counter()
        resp = await client.post(url + "/slack/events", content=body, headers=headers)
        acks.append(time.perf_counter() - started)
        timing = re.search(r"dur=([\d.]+)", resp.headers.get("server-timing", ""))
        server_ms.append(float(timing.group(1)) if timing else float("nan"))
        if resp.status_code != 200 or "Thinking" not in resp.text:
            errors.append(f"HTTP {resp.status_code}: {resp.text[:200]}")

    limits = httpx.Limits(max_connections=total)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(one(client, n) for n in range(total)))
        wall = time.perf_counter() - started
    return {**_summary(acks, wall), "concurrency": total, "errors": errors,
            "ack_latencies_ms": [round(a * 1000, 1) for a in acks],
            "server_ack_p50_ms": round(_percentile(server_ms, 50), 1),
            "server_ack_max_ms": round(max(server_ms), 1)}


def main(argv: list[str]) -> None:
    """load api URL TOTAL CONCURRENCY QUESTIONS_JSON | load slash URL RESPOND_BASE TOTAL QUESTION"""
    kind = argv[1]
    if kind == "api":
        result = asyncio.run(_api_load(argv[2], json.loads(argv[5]), int(argv[3]), int(argv[4])))
    else:
        result = asyncio.run(_slash_load(argv[2], argv[3], argv[5], int(argv[4])))
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
