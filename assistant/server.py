"""One ASGI app (FastAPI, the framework Gradio runs on) served by uvicorn:

  GET  /healthz        index and model status, build time, document count, last reindex
                       (200 when ready, 503 while loading)
  POST /api/ask        {"question": "...", "k": 5, "history": [...]} -> the answer contract object
  POST /api/reindex    rebuild the index now if the corpus changed, swap it in -> what happened
  POST /slack/events   Slack slash commands and Events API (slack_bolt, signatures verified)
  /                    the Gradio chat (ui.app.create_app), when the UI module is present

Errors on /api/* and /slack/* are JSON `{"error": "one line"}` with a 4xx/5xx status. The
advisor is CPU-bound and synchronous: it runs on a small thread pool, never on the event loop.
`run()` also watches the corpus folder (watch.LiveIndex): a changed, added or removed document
is picked up without a restart, rebuilt in the background and swapped in atomically.

Environment: ASSISTANT_API_TOKEN (bearer token required on /api/* when set),
SLACK_SIGNING_SECRET + SLACK_BOT_TOKEN (enable /slack/events), SLACK_API_URL (Web API base
URL override), ASSISTANT_WORKERS (advisor threads), FORWARDED_ALLOW_IPS (trusted proxies).
"""

import asyncio
import contextlib
import hmac
import json
import logging
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from .errors import AssistantError, InputError

log = logging.getLogger("assistant.server")

MAX_BODY_BYTES = 64 * 1024
SLACK_SETUP_HINT = ("Slack is not configured: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN "
                    "(see the README's Slack section)")


@dataclass(frozen=True)
class ServerSettings:
    api_token: str | None = None
    slack_signing_secret: str | None = None
    slack_bot_token: str | None = None
    slack_api_url: str | None = None
    workers: int = 2
    ui: bool = True

    @classmethod
    def from_env(cls, **overrides) -> "ServerSettings":
        env = os.environ
        workers = env.get("ASSISTANT_WORKERS") or "2"
        if not workers.isdigit() or int(workers) < 1:
            raise InputError(f"ASSISTANT_WORKERS must be a positive integer, not {workers!r}")
        values = dict(api_token=env.get("ASSISTANT_API_TOKEN") or None,
                      slack_signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
                      slack_bot_token=env.get("SLACK_BOT_TOKEN") or None,
                      slack_api_url=env.get("SLACK_API_URL") or None, workers=int(workers))
        values.update(overrides)
        return cls(**values)

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_signing_secret and self.slack_bot_token)


def _error(status: int, message: str, headers: dict | None = None):
    from fastapi.responses import JSONResponse

    return JSONResponse({"error": message}, status_code=status, headers=headers)


class AckFirst:
    """Holds CPU-bound jobs back while Slack requests are being acknowledged.

    Slack wants an HTTP answer within 3 s; computing answers competes with that for the CPU
    and the GIL. A job starts once no Slack request has been mid-dispatch for `quiet` seconds
    (and after `limit` seconds at most, so nothing starves): a burst of slash commands is
    acknowledged before the answers start.
    """

    def __init__(self, quiet: float = 0.1, limit: float = 2.0):
        self.quiet, self.limit = quiet, limit
        self.pending = 0
        self.last_done = 0.0

    @contextlib.contextmanager
    def acking(self):
        self.pending += 1
        try:
            yield
        finally:
            self.pending -= 1
            self.last_done = asyncio.get_running_loop().time()

    async def wait(self) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.limit
        while (now := loop.time()) < deadline:
            calm_at = self.last_done + self.quiet
            if not self.pending and now >= calm_at:
                return
            await asyncio.sleep(min(max(calm_at - now, 0.01), deadline - now))


class _Reject(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def parse_ask_body(raw: bytes, content_type: str) -> dict:
    """Validated kwargs for advisor.ask from a request body; _Reject(status, message) if unusable."""
    if content_type.split(";")[0].strip().lower() != "application/json":
        raise _Reject(415, "Content-Type must be application/json")
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _Reject(400, "request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise _Reject(400, 'request body must be a JSON object like {"question": "..."}')
    question = body.get("question")
    if question is None:
        raise _Reject(422, "question is required")
    if not isinstance(question, str):
        raise _Reject(422, "question must be a string")
    k = body.get("k")
    if k is not None and (isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= 50):
        raise _Reject(422, "k must be an integer between 1 and 50")
    from .validation import validate_history, validate_question

    try:
        history = validate_history(body.get("history"))
        question = validate_question(question)
    except InputError as exc:
        raise _Reject(422, str(exc)) from None
    return {"question": question, "k": k, "history": history}


def create_app(advisor, settings: ServerSettings | None = None, live=None):
    """The ASGI app serving `advisor` (warm it first so the first request is fast). `live`
    (a watch.LiveIndex) does reindexing; one that does not watch is made when none is given."""
    from fastapi import FastAPI, Request
    from starlette.exceptions import HTTPException as StarletteHTTPException

    from .watch import LiveIndex

    settings = settings or ServerSettings.from_env()
    live = live or LiveIndex(advisor, log=log.info)
    pool = ThreadPoolExecutor(max_workers=settings.workers, thread_name_prefix="advisor")
    gate = AckFirst()

    async def run_blocking(fn, *args):
        await gate.wait()
        return await asyncio.get_running_loop().run_in_executor(pool, fn, *args)

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        yield
        pool.shutdown(wait=False, cancel_futures=True)

    app = FastAPI(title="Framework Advisor", lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url=None)
    app.state.advisor = advisor
    app.state.settings = settings
    app.state.live = live

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request, exc):
        return _error(exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.api_route("/healthz", methods=["POST", "PUT", "DELETE", "PATCH"])
    @app.api_route("/slack/events", methods=["GET", "PUT", "DELETE", "PATCH"])
    async def wrong_method(request: Request):
        allowed = "GET" if request.url.path == "/healthz" else "POST"
        return _error(405, f"use {allowed} {request.url.path}", {"Allow": allowed})

    _index_routes(app, advisor, settings, live)
    _ask_routes(app, advisor, settings, run_blocking)
    _slack_route(app, settings, _slack_handler(advisor, settings, run_blocking), gate)
    if settings.ui:
        _mount_ui(app, advisor, live)
    return app


def _ask_routes(app, advisor, settings: ServerSettings, run_blocking) -> None:
    """POST /api/ask, and JSON 404/405 for anything else under /api/."""
    from fastapi import Request
    from fastapi.responses import JSONResponse

    @app.post("/api/ask")
    async def api_ask(request: Request):
        if settings.api_token and not _authorized(request, settings.api_token):
            return _error(401, "missing or wrong bearer token", {"WWW-Authenticate": "Bearer"})
        try:
            raw = await _read_body(request)
            kwargs = parse_ask_body(raw, request.headers.get("content-type", ""))
            answer = await run_blocking(advisor.ask, kwargs["question"], kwargs["k"],
                                        kwargs["history"])
        except _Reject as exc:
            return _error(exc.status, str(exc))
        except InputError as exc:
            return _error(422, str(exc))
        except AssistantError as exc:
            return _error(500, str(exc))
        except Exception:  # never a plain-text 500: log it, answer in the JSON error shape
            log.exception("unexpected error answering /api/ask")
            return _error(500, "internal error while answering; see the server log")
        return JSONResponse(answer.to_dict())

    @app.api_route("/api/{rest:path}", methods=["GET", "POST", "PUT", "DELETE", "PATCH"])
    async def api_unknown(rest: str):
        if rest == "ask":
            return _error(405, "use POST /api/ask with a JSON body", {"Allow": "POST"})
        if rest == "reindex":
            return _error(405, "use POST /api/reindex", {"Allow": "POST"})
        return _error(404, f"no such endpoint: /api/{rest}; try POST /api/ask")


def _slack_route(app, settings: ServerSettings, slack_handler, gate) -> None:
    """POST /slack/events through bolt; a failure of ours answers the user with an apology."""
    from fastapi import Request
    from fastapi.responses import JSONResponse

    @app.post("/slack/events")
    async def slack_events(request: Request):
        if slack_handler is None:
            return _error(503, SLACK_SETUP_HINT)
        try:
            await _read_body(request)  # cached by Starlette; bolt's adapter reads it again
            started = time.perf_counter()
            with gate.acking():
                response = await slack_handler.handle(request)
            took = (time.perf_counter() - started) * 1000
            response.headers["Server-Timing"] = f"ack;dur={took:.1f}"
            return response
        except _Reject as exc:
            return _error(exc.status, str(exc))
        except Exception as exc:  # bolt parses the body before it checks the signature
            body = await request.body()
            if not _signed(request, body, settings.slack_signing_secret):
                return _error(401, "invalid Slack request signature")
            if not _slack_payload(body, request.headers.get("content-type", "")):
                log.warning("rejected malformed Slack request: %s", exc)
                return _error(400, "malformed Slack request")
            log.exception("Slack request failed")  # our bug, not the caller's: apologise
            from .slack import APOLOGY

            return JSONResponse({"response_type": "ephemeral", "text": APOLOGY})


def _index_routes(app, advisor, settings: ServerSettings, live) -> None:
    """GET /healthz (status, build time, documents, last reindex) and POST /api/reindex."""
    from fastapi import Request
    from fastapi.responses import JSONResponse

    @app.get("/healthz")
    async def healthz():
        status = {**advisor.status(), "slack": settings.slack_enabled,
                  "api_auth": bool(settings.api_token)}
        if status["ready"]:  # the document list is cached per build; the first call loads it
            status.update(await asyncio.to_thread(live.status))
        return JSONResponse(status, status_code=200 if status["ready"] else 503)

    @app.post("/api/reindex")
    async def api_reindex(request: Request):
        if settings.api_token and not _authorized(request, settings.api_token):
            return _error(401, "missing or wrong bearer token", {"WWW-Authenticate": "Bearer"})
        result = await asyncio.to_thread(live.reindex, "requested over the API")
        if result["error"]:
            return JSONResponse({**result, "error": f"{result['error']}; still answering from "
                                 "the previous index"}, status_code=409)
        return JSONResponse(result)


async def _read_body(request) -> bytes:
    """The body, read as a stream and refused as soon as it passes MAX_BODY_BYTES (so a huge
    or chunked upload never sits in memory); cached on the request for later readers."""
    too_big = _Reject(413, f"request body is over {MAX_BODY_BYTES // 1024} KiB")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise too_big
    if hasattr(request, "_body"):
        return request._body
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise too_big
        chunks.append(chunk)
    request._body = b"".join(chunks)  # Starlette's own cache: request.body() returns it
    return request._body


def _authorized(request, token: str) -> bool:
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


def _slack_payload(body: bytes, content_type: str) -> bool:
    """Whether body parses as what Slack sends (a form with a command or payload, or JSON)."""
    from urllib.parse import parse_qs

    try:
        text = body.decode("utf-8")
        if content_type.startswith("application/json"):
            return isinstance(json.loads(text), dict)
        form = parse_qs(text, strict_parsing=True)
    except (UnicodeDecodeError, ValueError):
        return False
    return bool({"command", "payload", "type"} & set(form))


def _signed(request, body: bytes, secret: str) -> bool:
    from slack_sdk.signature import SignatureVerifier

    return SignatureVerifier(secret).is_valid_request(body, dict(request.headers))


def _slack_handler(advisor, settings: ServerSettings, run_blocking):
    if not settings.slack_enabled:
        return None
    from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler

    from .slack import build_app

    bolt = build_app(advisor, signing_secret=settings.slack_signing_secret,
                     bot_token=settings.slack_bot_token, api_url=settings.slack_api_url,
                     run_blocking=run_blocking)
    return AsyncSlackRequestHandler(bolt)


def _mount_ui(app, advisor, live) -> None:
    """Mount the Gradio chat at / (skipped with a warning when ui.app is not available)."""
    try:
        import ui.app as ui_app
    except ImportError as exc:
        log.warning("Gradio UI not mounted (%s)", exc)
        return
    import gradio as gr

    options = ui_app.page_options() if hasattr(ui_app, "page_options") else {}
    if hasattr(ui_app, "prewarm"):
        ui_app.prewarm()
    gr.mount_gradio_app(app, ui_app.create_app(advisor, live=live), path="/",
                        footer_links=["gradio"], show_error=False, **options)


def run(config, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Load model + index, then serve everything on host:port until interrupted."""
    import uvicorn

    from .advisor import Advisor

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for name in ("assistant", "slack_bolt"):
        logging.getLogger(name).setLevel(logging.INFO)
    settings = ServerSettings.from_env()
    from .watch import LiveIndex

    advisor = Advisor(config, log=lambda msg: print(msg, file=sys.stderr)).warm_up()
    advisor.ask("Which option should we choose?")  # first query pays one-off costs, not a user
    live = LiveIndex(advisor, log=lambda msg: print(msg, file=sys.stderr, flush=True)).start()
    app = create_app(advisor, settings, live)
    print(f"serving on http://{host}:{port}  (UI /, API /api/ask, health /healthz, Slack "
          f"/slack/events: {'on' if settings.slack_enabled else 'off, set SLACK_* to enable'}; "
          f"watching {config.corpus_dir} for changes)", file=sys.stderr)
    uvicorn.run(app, host=host, port=port, proxy_headers=True,
                forwarded_allow_ips=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
                timeout_graceful_shutdown=5, log_level="info")
