"""Slack surface: a slack_bolt AsyncApp (slash command, @mentions in threads) and webhook posts.

- Slash command (any name, e.g. `/advisor TF or PyTorch for browser?`): acknowledged at once
  with an ephemeral "Thinking…", answered in the background, posted to the command's
  `response_url` (visible in the channel).
- `app_mention`: answered in the mention's thread (`chat.postMessage` with `thread_ts`); inside
  an existing thread, the thread's earlier user messages (`conversations.replies`) are passed to
  the advisor as conversation history.
- Exactly one reply per event: `event_id`s are remembered (bounded LRU), so Slack's retries
  (`X-Slack-Retry-Num`) and duplicate deliveries are acknowledged and dropped.
- Bolt verifies every request's signature and its 5-minute timestamp window (401 otherwise).

Not handled: OAuth multi-workspace installs (single workspace, one bot token), interactivity.
"""
from __future__ import annotations

import asyncio
import json
import logging
import re
from collections import OrderedDict
from typing import Awaitable, Callable

from . import slack_format
from .errors import AssistantError, InputError
from .validation import USED_HISTORY, validate_question

log = logging.getLogger("assistant.slack")
# bolt reads SLACK_BOT_TOKEN itself and warns that our explicit client wins: it does, by design
log.addFilter(lambda record: not record.getMessage().startswith("As you gave `client`"))

MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
APOLOGY = ":warning: Sorry, something went wrong answering that. Please try again."
USAGE = ("Ask me which tool fits a need, about what my documents compare, e.g. "
         "`/advisor which framework for the browser?`, or mention me with the question.")


class SeenEvents:
    """A bounded set of recently seen event ids (oldest forgotten first)."""

    def __init__(self, size: int = 4096):
        self.size = size
        self._ids: OrderedDict[str, None] = OrderedDict()

    def first_time(self, event_id: str) -> bool:
        """True the first time `event_id` is offered, False for every repeat while remembered."""
        if event_id in self._ids:
            self._ids.move_to_end(event_id)
            return False
        self._ids[event_id] = None
        if len(self._ids) > self.size:
            self._ids.popitem(last=False)
        return True


def strip_mentions(text: str) -> str:
    """The message text without `<@U…>` user mentions, whitespace collapsed."""
    return " ".join(MENTION.sub(" ", text or "").split())


async def thread_history(client, channel: str, thread_ts: str, before_ts: str,
                         bot_user_id: str | None = None) -> list[str]:
    """Earlier user messages of a thread (mentions stripped, bots skipped), oldest first."""
    try:
        result = await client.conversations_replies(channel=channel, ts=thread_ts, limit=100)
    except Exception as exc:  # missing scope, network: answer without context rather than fail
        log.warning("conversations.replies failed for %s/%s: %s", channel, thread_ts, exc)
        return []
    texts = []
    for msg in result.get("messages") or []:
        if float(msg.get("ts", "0")) >= float(before_ts):
            continue
        if msg.get("bot_id") or msg.get("subtype") or (bot_user_id and msg.get("user") == bot_user_id):
            continue
        text = strip_mentions(msg.get("text", ""))
        if text:
            texts.append(text)
    return texts[-USED_HISTORY:]


def _single_flight_authorize(bot_token: str, api_url: str | None):
    """bolt `authorize` for one workspace: one auth.test call, shared by concurrent requests.

    (bolt's built-in single-team authorization lets a burst of first requests each call
    auth.test; this one calls it once, caches it, and retries only after a failure.)
    """
    from slack_bolt.authorization import AuthorizeResult
    from slack_bolt.authorization.async_authorize import AsyncAuthorize
    from slack_sdk.web.async_client import AsyncWebClient

    class SingleFlight(AsyncAuthorize):
        def __init__(self):
            self.client = AsyncWebClient(token=bot_token, base_url=_base_url(api_url))
            self.identity: dict | None = None
            self.lock: asyncio.Lock | None = None

        async def __call__(self, *, context, enterprise_id, team_id, user_id, **_):
            self.lock = self.lock or asyncio.Lock()
            async with self.lock:
                if self.identity is None:
                    try:
                        self.identity = dict((await self.client.auth_test()).data)
                    except Exception as exc:
                        log.error("auth.test failed (check SLACK_BOT_TOKEN): %s", exc)
                        return None
            me = self.identity
            return AuthorizeResult(enterprise_id=me.get("enterprise_id") or enterprise_id,
                                   team_id=me.get("team_id") or team_id, team=me.get("team"),
                                   url=me.get("url"), bot_id=me.get("bot_id"),
                                   bot_user_id=me.get("user_id"), bot_token=bot_token,
                                   user_id=user_id)

    return SingleFlight()


def build_app(advisor, *, signing_secret: str, bot_token: str, api_url: str | None = None,
              run_blocking: Callable[..., Awaitable] | None = None, seen: SeenEvents | None = None):
    """A bolt AsyncApp answering slash commands and mentions with `advisor`.

    `run_blocking(fn, *args)` runs the CPU-bound advisor off the event loop (default:
    asyncio.to_thread); `api_url` overrides Slack's Web API base URL (proxies, tests).
    """
    from slack_bolt.async_app import AsyncApp
    from slack_bolt.response import BoltResponse
    from slack_sdk.web.async_client import AsyncWebClient

    run_blocking = run_blocking or asyncio.to_thread
    seen = seen or SeenEvents()
    # The client carries no token: each request's client gets the bot token from `authorize`.
    client = AsyncWebClient(base_url=_base_url(api_url))
    app = AsyncApp(signing_secret=signing_secret, client=client, logger=log,
                   authorize=_single_flight_authorize(bot_token, api_url),
                   request_verification_enabled=True)

    @app.error
    async def on_error(error, body):
        """Any failure of ours: logged with its traceback, the user gets an apology (200)."""
        log.error("Slack request failed (%s)", type(error).__name__, exc_info=error)
        return BoltResponse(status=200, body=json.dumps({"response_type": "ephemeral",
                                                         "text": APOLOGY}),
                            headers={"content-type": "application/json"})

    @app.middleware
    async def once_per_event(body, next, request):
        """Acknowledge and drop repeated deliveries of an event already taken on."""
        event_id = body.get("event_id") if isinstance(body, dict) else None
        if event_id and not seen.first_time(event_id):
            retry = request.headers.get("x-slack-retry-num", [None])[0]
            log.info("dropping repeated event %s (retry %s)", event_id, retry)
            return BoltResponse(status=200, body="", headers={"x-slack-no-retry": "1"})
        return await next()

    @app.command(re.compile(r"^/.+"))
    async def on_command(ack, command, respond):
        await answer_command(ack, command, respond, advisor, run_blocking)

    @app.event("app_mention")
    async def on_mention(event, client, context):
        await answer_mention(event, client, context, advisor, run_blocking)

    @app.event("message")
    async def ignore_messages():
        """Plain channel messages (when subscribed) need no answer; mentions come as app_mention."""

    return app


async def answer_command(ack, command, respond, advisor, run_blocking) -> None:
    """A slash command: ack at once, answer to the command's response_url."""
    text = (command.get("text") or "").strip()
    if not text or text.lower() == "help":
        return await ack(text=USAGE)
    try:
        question = validate_question(text)
    except InputError as exc:
        return await ack(text=f":warning: {exc}")
    await ack(text=f":hourglass_flowing_sand: Thinking about “{slack_format.clip(question, 200)}”…")
    try:
        answer = await run_blocking(advisor.ask, question)
        reply = slack_format.message(answer, question=True)
        result = await respond(response_type="in_channel", replace_original=False, **reply)
    except AssistantError as exc:
        result = await respond(response_type="ephemeral", text=f":warning: {exc}")
    except Exception:
        log.exception("slash command failed")
        result = await respond(response_type="ephemeral", text=APOLOGY)
    if getattr(result, "status_code", 200) != 200:
        log.warning("response_url post failed: HTTP %s %s", result.status_code, result.body)


async def answer_mention(event, client, context, advisor, run_blocking) -> None:
    """An @mention: answer in its thread, with the thread's earlier messages as history."""
    from slack_sdk.errors import SlackApiError

    channel, ts = event["channel"], event["ts"]
    thread_ts = event.get("thread_ts")
    question = strip_mentions(event.get("text", ""))
    try:
        if not question:
            reply = {"text": USAGE}
        else:
            history = []
            if thread_ts and thread_ts != ts:
                history = await thread_history(client, channel, thread_ts, ts,
                                               context.get("bot_user_id"))
            answer = await run_blocking(advisor.ask, question, None, history)
            reply = slack_format.message(answer)
    except AssistantError as exc:
        reply = {"text": f":warning: {exc}"}
    except Exception:
        log.exception("mention failed")
        reply = {"text": APOLOGY}
    try:
        await client.chat_postMessage(channel=channel, thread_ts=thread_ts or ts,
                                      unfurl_links=False, unfurl_media=False, **reply)
    except SlackApiError as exc:  # e.g. not_in_channel, missing chat:write
        log.error("chat.postMessage to %s failed: %s", channel, exc.response.get("error"))


def _base_url(api_url: str | None) -> str:
    url = api_url or "https://slack.com/api/"
    return url if url.endswith("/") else url + "/"


def post_webhook(url: str, answer, timeout: float = 10.0) -> None:
    """Post the formatted answer to a Slack incoming webhook; AssistantError when it fails."""
    from slack_sdk.webhook import WebhookClient

    if not re.match(r"^https?://", url or ""):
        raise InputError(f"Slack webhook URL must start with https:// (got {url!r})")
    try:
        response = WebhookClient(url, timeout=timeout).send(**slack_format.message(answer, question=True))
    except Exception as exc:  # URLError, timeout, connection refused
        reason = getattr(exc, "reason", None) or exc
        raise AssistantError(f"Slack webhook post failed: cannot reach {url}: {reason}") from None
    if response.status_code != 200:
        body = " ".join(str(response.body or "").split())[:200]
        raise AssistantError(f"Slack webhook post failed: HTTP {response.status_code} {body}".rstrip())
