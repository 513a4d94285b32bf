"""The local Bot API server: an aiohttp app that speaks Telegram's Bot API to a real bot.

Every call is validated against the spec and Telegram's limits before it does anything; a
breach is answered as Telegram would (``{"ok": false, "error_code": 400, ...}``) and kept in
``violations`` so that the test fails. Refusals that a correct bot can meet (``message to edit
not found``, 409 when two pollers race) are answered the same way but only kept in ``errors``.

Methods the server does not simulate but the spec knows: those returning ``True`` answer
``True`` (setMyDescription, pinChatMessage, ...); the others answer 501 Not Implemented and
count as a violation, so a bot never silently relies on a made-up result.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import json
import re
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import aiohttp
from aiohttp import web

from bot.localapi.delivery import WebhookDelivery
from bot.localapi.faults import FaultPlan, FaultRule
from bot.localapi.limits import MAX_UPLOAD_BYTES, MB
from bot.localapi.methods import HANDLERS
from bot.localapi.spec import ApiSpec, ObjectSpec, default_spec
from bot.localapi.state import BotState, ChatState, FileStore, JsonDict
from bot.localapi.users import SimUser
from bot.localapi.wire import ApiError, Upload, read_params

TOKEN_RE = re.compile(r"\d{1,20}:[A-Za-z0-9_-]{1,100}")
_dumps = functools.partial(json.dumps, ensure_ascii=False)


def make_token(bot_id: int) -> str:
    """A well-formed, deterministic token for a local bot."""
    return f"{bot_id}:AA{hashlib.sha256(str(bot_id).encode()).hexdigest()[:33]}"


@dataclass(frozen=True)
class Record:
    """One API call as the server saw it (file contents replaced by a short description)."""

    bot_id: int
    method: str
    params: Mapping[str, Any]
    code: int = 200
    description: str = ""
    rule: str = ""
    path: str = ""

    def __str__(self) -> str:
        where = f" at {self.path}" if self.path else ""
        shown = {k: _short(v) for k, v in self.params.items()}
        return f"{self.method}: {self.description} [{self.rule}{where}] {shown}"


class LocalBotApi:
    """A Bot API server on 127.0.0.1 for tests and the local playground.

    Attributes:
        spec: The API description requests are checked against.
        bot: The default bot (``token``); ``add_bot`` serves more.
        faults: Fault injection rules, empty by default.
        violations: Calls that broke the API's contract or Telegram's limits.
        errors: Every refused call, violations included (not injected faults).
        calls: The most recent calls, refused or not.
        balance_webhooks: Each ``setWebhook`` adds its URL to the ones updates are posted to,
            in turn, as a load balancer spreads them over replicas (``delivery.py``); off (the
            default), a ``setWebhook`` replaces the URL, as Telegram does.
    """

    def __init__(
        self,
        *,
        token: str | None = None,
        username: str = "nianbao_local_bot",
        first_name: str = "年报",
        spec: ApiSpec | None = None,
        seed: int = 0,
        webhook_retry_delay: float = 0.1,
        webhook_timeout: float = 10.0,
        keep_calls: int = 10_000,
        balance_webhooks: bool = False,
    ) -> None:
        self.spec = spec or default_spec()
        self.faults = FaultPlan(seed)
        self.violations: list[Record] = []
        self.errors: list[Record] = []
        self.calls: deque[Record] = deque(maxlen=keep_calls)
        self.webhook_retry_delay = webhook_retry_delay
        self.webhook_timeout = webhook_timeout
        self.balance_webhooks = balance_webhooks
        self.host = "127.0.0.1"
        self.port = 0
        self._bots: dict[str, BotState] = {}
        self._users: dict[tuple[str, int], SimUser] = {}
        self._delivery: dict[str, asyncio.Task[None]] = {}
        self._senders: dict[str, WebhookDelivery] = {}
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self.files = FileStore()
        self.bot = self.add_bot(token, username=username, first_name=first_name)

    @property
    def token(self) -> str:
        """The default bot's token."""
        return self.bot.token

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url(...)``: the token is appended to it."""
        return f"{self._origin()}/bot"

    @property
    def base_file_url(self) -> str:
        """For ``ApplicationBuilder().base_file_url(...)``."""
        return f"{self._origin()}/file/bot"

    def _origin(self) -> str:
        if self._runner is None:
            raise RuntimeError("the local Bot API server is not started")
        return f"http://{self.host}:{self.port}"

    def add_bot(
        self, token: str | None = None, *, username: str, first_name: str = "Bot"
    ) -> BotState:
        """Serves one more bot; its token is made up when not given."""
        token = token or make_token(1_000_000_001 + len(self._bots))
        if not TOKEN_RE.fullmatch(token):
            raise ValueError("a bot token looks like 123456:ABC-DEF")
        user: JsonDict = {"id": int(token.split(":")[0]), "is_bot": True}
        user.update(first_name=first_name, username=username, can_join_groups=True)
        user.update(can_read_all_group_messages=False, supports_inline_queries=False)
        bot = BotState(token, user)
        self._bots[token] = bot
        return bot

    def user(
        self,
        user_id: int,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str = "zh-hans",
        bot: BotState | None = None,
    ) -> SimUser:
        """A simulated user in a private chat with a bot (the default one); same id, same user."""
        bot = bot or self.bot
        known = self._users.get((bot.token, user_id))
        if known is not None:
            return known
        user: JsonDict = {"id": user_id, "is_bot": False, "first_name": first_name}
        chat: JsonDict = {"id": user_id, "type": "private", "first_name": first_name}
        for key, value in (("last_name", last_name), ("username", username)):
            if value is not None:
                user[key] = chat[key] = value
        user["language_code"] = language_code
        bot.users[user_id] = user
        bot.chats[user_id] = ChatState(chat)
        simulated = SimUser(bot, self.files, user)
        self._users[(bot.token, user_id)] = simulated
        return simulated

    async def redeliver(self, update_id: int, *, bot: BotState | None = None) -> JsonDict:
        """Delivers an earlier update again, as Telegram may (for idempotency tests)."""
        update = (bot or self.bot).queue.redeliver(update_id)
        await asyncio.sleep(0)
        return update

    def take_violations(self) -> list[Record]:
        """The violations so far, forgotten (for tests that provoke them on purpose)."""
        taken, self.violations = self.violations, []
        return taken

    def assert_no_violations(self) -> None:
        """Fails with every violation listed, if there was any."""
        if self.violations:
            lines = "\n".join(f"  - {v}" for v in self.violations)
            raise AssertionError(f"the bot broke the Bot API's rules:\n{lines}")

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listens on ``host:port`` (0: any free port, see ``port`` afterwards)."""
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES + 16 * MB)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        # handler_cancellation ends a long poll whose client went away, as Telegram does.
        runner = web.AppRunner(
            app, handler_cancellation=True, access_log=None, shutdown_timeout=1.0
        )
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        self._runner = runner
        self.host = host
        self.port = runner.addresses[0][1]
        self._session = aiohttp.ClientSession()
        for bot in self._bots.values():
            self._sync_delivery(bot)

    async def stop(self) -> None:
        """Ends long polls and webhook deliveries, then the server."""
        for bot in self._bots.values():
            bot.queue.close()
        tasks = list(self._delivery.values())
        self._delivery.clear()
        self._senders.clear()
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> LocalBotApi:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["method"]
        bot = self._bots.get(request.match_info["token"])
        if bot is None:
            # Telegram: 401 for a well-formed unknown token, 404 for anything else.
            well_formed = TOKEN_RE.fullmatch(request.match_info["token"])
            code, text = (401, "Unauthorized") if well_formed else (404, "Not Found")
            error = ApiError(code, text, rule="token", violation=False)
            self._keep(0, name, {}, error)
            return _json(error.payload(), code)
        bot_id: int = bot.user["id"]
        params: dict[str, Any] = {}
        try:
            params, text_params = await read_params(request)
            fault = self.faults.draw(name)
            if fault is not None and fault.kind == "slow":
                await asyncio.sleep(fault.delay)
            elif fault is not None and fault.kind != "drop_after":
                return _injected(fault, request)
            spec, values = self.spec.validate_call(name, params, text_params=text_params)
            result = await self._dispatch(bot, spec, values)
        except ApiError as error:
            self._keep(bot_id, name, params, error)
            return _json(error.payload(), error.code)
        self._keep(bot_id, spec.name, values, None)
        if fault is not None and fault.kind == "drop_after":  # done, but the answer is lost
            return _drop(request)
        return _json({"ok": True, "result": result}, 200)

    async def _dispatch(self, bot: BotState, spec: ObjectSpec, values: JsonDict) -> Any:
        handler = HANDLERS.get(spec.name.lower())
        if handler is None:
            if spec.returns == ("Boolean",):
                return True
            raise ApiError(
                501,
                f"Not Implemented: the local Bot API server does not simulate {spec.name}",
                rule="not_simulated",
            )
        result = await handler(bot, self.files, values)
        if spec.name in ("setWebhook", "deleteWebhook"):
            self._sync_delivery(bot)
        elif spec.name == "getUpdates":
            self._maybe_redeliver(bot, result)
        return result

    def _keep(
        self, bot_id: int, method: str, params: Mapping[str, Any], error: ApiError | None
    ) -> None:
        shown = {k: _shown(v) for k, v in params.items()}
        if error is None:
            self.calls.append(Record(bot_id, method, shown))
            return
        record = Record(
            bot_id, method, shown, error.code, error.description, error.rule, error.path
        )
        self.calls.append(record)
        self.errors.append(record)
        if error.violation:
            self.violations.append(record)

    def _maybe_redeliver(self, bot: BotState, updates: list[JsonDict]) -> None:
        for update in updates:
            if self.faults.draw("redeliver", {"redeliver"}) is not None:
                bot.queue.redeliver(update["update_id"])

    def _sync_delivery(self, bot: BotState) -> None:
        task = self._delivery.get(bot.token)
        sender = self._senders.get(bot.token)
        if bot.webhook.url and self._session is not None:
            if sender is not None and task is not None and not task.done():
                # Balanced: one more replica's URL; otherwise the new URL replaces the old.
                (sender.add if self.balance_webhooks else sender.replace)(bot.webhook)
                return
            sender = WebhookDelivery(
                bot,
                self._session,
                retry_delay=self.webhook_retry_delay,
                timeout=self.webhook_timeout,
                on_accepted=lambda update: self._maybe_redeliver(bot, [update]),
            )
            sender.add(bot.webhook)
            self._senders[bot.token] = sender
            self._delivery[bot.token] = asyncio.create_task(
                sender.run(), name=f"webhook {bot.user['id']}"
            )
            return
        self._delivery.pop(bot.token, None)
        self._senders.pop(bot.token, None)
        if task is not None:
            task.cancel()

    def webhook_accepted(self, bot: BotState | None = None) -> list[tuple[str, int]]:
        """``(url, update_id)`` of each update a webhook accepted, in order (this webhook only)."""
        sender = self._senders.get((bot or self.bot).token)
        return list(sender.accepted) if sender is not None else []

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        stored = self.files.at(request.match_info["path"])
        if request.match_info["token"] not in self._bots or stored is None:
            return _json({"ok": False, "error_code": 404, "description": "Not Found"}, 404)
        return web.Response(body=stored.data, content_type="application/octet-stream")


def _injected(fault: FaultRule, request: web.Request) -> web.StreamResponse:
    """The answer of a failing server (every kind but ``slow`` and ``drop_after``)."""
    if fault.kind == "drop":
        return _drop(request)
    if fault.kind == "502":
        html = "<html><head><title>502 Bad Gateway</title></head></html>"
        return web.Response(status=502, text=html, content_type="text/html")
    if fault.kind == "429":
        error = ApiError(
            429,
            f"Too Many Requests: retry after {fault.retry_after}",
            rule="flood",
            parameters={"retry_after": fault.retry_after},
        )
        return _json(error.payload(), 429)
    return _json({"ok": False, "error_code": 500, "description": "Internal Server Error"}, 500)


def _json(payload: JsonDict, status: int) -> web.Response:
    return web.json_response(payload, status=status, dumps=_dumps)


def _drop(request: web.Request) -> web.StreamResponse:
    if request.transport is not None:
        request.transport.abort()
    return web.Response()


def _short(value: Any, limit: int = 120) -> str:
    """A parameter for a failure message: 4097 characters of text help nobody."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters)"


def _shown(value: Any) -> Any:
    if isinstance(value, Upload):
        return f"<file {value.filename!r}, {value.size} bytes>"
    return value
