"""Webhook mode: the server posts each update to the bot's URL with the secret header."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web

from bot.localapi import LocalBotApi
from tests.botapi_fixtures import raw_call

SECRET = "s3cret_token-1"
HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass
class Receiver:
    """A tiny webhook endpoint that records what it is sent and fails on request."""

    url: str = ""
    received: list[tuple[dict[str, Any], str | None]] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)  # answered in turn, then 200

    async def handle(self, request: web.Request) -> web.Response:
        assert request.content_type == "application/json"
        self.received.append((await request.json(), request.headers.get(HEADER)))
        return web.Response(status=self.statuses.pop(0) if self.statuses else 200)

    async def wait_for(self, count: int) -> None:
        for _ in range(500):
            if len(self.received) >= count:
                return
            await asyncio.sleep(0.01)
        raise TimeoutError(f"{len(self.received)} of {count} webhook requests arrived")


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    """A webhook receiver on 127.0.0.1."""
    hook = Receiver()
    app = web.Application()
    app.router.add_post("/hook", hook.handle)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    hook.url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    yield hook
    await runner.cleanup()


async def test_updates_arrive_with_the_secret_and_failures_are_retried(
    bot_api: LocalBotApi, receiver: Receiver
) -> None:
    receiver.statuses = [500]
    payload = {"url": receiver.url, "secret_token": SECRET, "allowed_updates": ["message"]}
    assert (await raw_call(bot_api, "setWebhook", json=payload))[1]["result"] is True
    user = bot_api.user(3001, "钱七")
    first = await user.send("你好")
    second = await user.send("/start")
    await receiver.wait_for(3)
    assert receiver.received == [(first, SECRET), (first, SECRET), (second, SECRET)]

    info = (await raw_call(bot_api, "getWebhookInfo"))[1]["result"]
    assert info["url"] == receiver.url and info["pending_update_count"] == 0
    assert info["allowed_updates"] == ["message"]
    assert "500" in info["last_error_message"]


async def test_get_updates_conflicts_with_a_webhook(
    bot_api: LocalBotApi, receiver: Receiver
) -> None:
    await raw_call(bot_api, "setWebhook", json={"url": receiver.url})
    status, body = await raw_call(bot_api, "getUpdates")
    assert (status, body["error_code"]) == (409, 409)
    assert body["description"].startswith("Conflict: can't use getUpdates method while webhook")
    assert bot_api.violations == [] and [e.rule for e in bot_api.errors] == ["conflict"]

    assert (await raw_call(bot_api, "deleteWebhook"))[0] == 200
    await bot_api.user(3002, "周九").send("在吗")
    status, body = await raw_call(bot_api, "getUpdates")
    assert status == 200 and body["result"][0]["message"]["text"] == "在吗"
    assert receiver.received == []


async def test_without_a_secret_there_is_no_header(
    bot_api: LocalBotApi, receiver: Receiver
) -> None:
    await raw_call(bot_api, "setWebhook", json={"url": receiver.url})
    update = await bot_api.user(3003, "吴十").send("1")
    await receiver.wait_for(1)
    assert receiver.received == [(update, None)]


async def test_a_bad_secret_token_is_refused(bot_api: LocalBotApi, receiver: Receiver) -> None:
    status, body = await raw_call(
        bot_api, "setWebhook", json={"url": receiver.url, "secret_token": "has space"}
    )
    assert status == 400 and "secret token" in body["description"]
    assert [v.rule for v in bot_api.take_violations()] == ["secret_token"]
