"""Webhook delivery: a bot's pending updates posted to its webhook the way Telegram does.

Telegram's server keeps one queue per chat: a chat's next update is posted only once the
previous one was accepted (any 2xx answer), so one user's messages arrive in order, while the
updates of different chats go out concurrently, up to the webhook's ``max_connections``. An
update that is refused (another status, a timeout, a connection error) is posted again after a
growing delay, its chat's later updates waiting behind it.

With several URLs (``LocalBotApi(balance_webhooks=True)``, where each ``setWebhook`` adds its URL,
as replicas behind a load balancer are reached) each post goes to the next URL in turn and a
retry to the one after: a replica that is down costs an attempt, never the update.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

import aiohttp

from bot.localapi.state import BotState, JsonDict, Webhook, _Pending, now, update_kind

MAX_RETRY_DELAY = 5.0  # seconds


def chat_of(update: JsonDict) -> int:
    """The queue an update waits in: its chat, else its sender (0 when it names neither)."""
    body = update.get(update_kind(update))
    if not isinstance(body, dict):
        return 0
    message = body.get("message") if isinstance(body.get("message"), dict) else body
    chat = message.get("chat") if isinstance(message, dict) else None
    if isinstance(chat, dict) and isinstance(chat.get("id"), int):
        return int(chat["id"])
    sender = body.get("from") or body.get("user")
    if isinstance(sender, dict) and isinstance(sender.get("id"), int):
        return int(sender["id"])
    return 0


class WebhookDelivery:
    """Posts one bot's updates to its webhook URLs until the server stops or the URLs change.

    Attributes:
        targets: The webhooks updates go to, in turn.
        accepted: ``(url, update_id)`` of every post that was accepted, in order.
    """

    def __init__(
        self,
        bot: BotState,
        session: aiohttp.ClientSession,
        *,
        retry_delay: float,
        timeout: float,
        on_accepted: Callable[[JsonDict], Any],
    ) -> None:
        self.bot = bot
        self.targets: list[Webhook] = []
        self.accepted: list[tuple[str, int]] = []
        self._session = session
        self._retry_delay = retry_delay
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._on_accepted = on_accepted
        self._turn = 0
        self._busy: set[int] = set()  # chats with an update in flight
        self._posting: dict[int, asyncio.Task[None]] = {}  # id() of the pending entry → its post

    def add(self, webhook: Webhook) -> None:
        """Serves one more URL (or the same URL with new settings)."""
        self.targets = [t for t in self.targets if t.url != webhook.url] + [webhook]
        self.bot.queue.changed.fire()

    def replace(self, webhook: Webhook) -> None:
        """Serves this URL only (Telegram: a bot has one webhook)."""
        self.targets = [webhook]
        self.bot.queue.changed.fire()

    async def run(self) -> None:
        """Posts until the queue closes or no URL is left; in-flight posts are cancelled."""
        queue = self.bot.queue
        try:
            while self.targets and not queue.closed:
                self._start_ready()
                await queue.changed.wait(None)
        finally:
            posts = list(self._posting.values())
            for post in posts:
                post.cancel()
            for post in posts:
                with contextlib.suppress(asyncio.CancelledError):
                    await post

    def _start_ready(self) -> None:
        limit = max(1, min(t.max_connections for t in self.targets))
        for pending in self.bot.queue.waiting(self.bot.allowed_updates):
            if len(self._posting) >= limit:
                return
            chat = chat_of(pending.update)
            if chat in self._busy or id(pending) in self._posting:
                continue  # behind the chat's update in flight: order within a chat is kept
            self._busy.add(chat)
            self._posting[id(pending)] = asyncio.create_task(self._post(pending, chat))

    async def _post(self, pending: _Pending, chat: int) -> None:
        delay = self._retry_delay
        update = pending.update
        index = self._turn  # the next URL in turn; a retry goes to the one after the last tried
        self._turn += 1
        try:
            while self.targets and not self.bot.queue.closed:
                index %= len(self.targets)
                webhook = self.targets[index]
                index += 1
                failure = await self._attempt(webhook, update)
                if failure is None:
                    self.bot.queue.discard(pending)
                    self.accepted.append((webhook.url, update["update_id"]))
                    self._on_accepted(update)
                    return
                for info in {id(w): w for w in (webhook, self.bot.webhook)}.values():
                    info.last_error_date = now()
                    info.last_error_message = failure
                await asyncio.sleep(delay)
                delay = min(delay * 2, MAX_RETRY_DELAY)
        finally:
            self._busy.discard(chat)
            self._posting.pop(id(pending), None)
            self.bot.queue.changed.fire()

    async def _attempt(self, webhook: Webhook, update: JsonDict) -> str | None:
        """One POST; None when it was accepted, else why not (as getWebhookInfo shows it)."""
        headers = {}
        if webhook.secret_token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = webhook.secret_token
        try:
            async with self._session.post(
                webhook.url, json=update, headers=headers, timeout=self._timeout
            ) as response:
                status, reason = response.status, response.reason
        except (aiohttp.ClientError, TimeoutError, OSError, ValueError) as exc:
            # Telegram keeps retrying whatever went wrong; so does this loop.
            return f"Connection failed: {exc or type(exc).__name__}"
        return None if 200 <= status < 300 else f"Wrong response: {status} {reason}"
