"""Webhook delivery as Telegram does it, and spread over replicas (``balance_webhooks``)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web

from bot.localapi import LocalBotApi
from tests.botapi_fixtures import raw_call


@dataclass
class Replica:
    """A webhook endpoint that records updates, can fail, and can hold a chat's update."""

    url: str = ""
    received: list[dict[str, Any]] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)  # answered in turn, then 200
    hold: asyncio.Event | None = None  # set: answers; unset: the request waits

    async def handle(self, request: web.Request) -> web.Response:
        update = await request.json()
        self.received.append(update)
        if self.hold is not None and update["message"]["text"] == "慢":
            await self.hold.wait()
        return web.Response(status=self.statuses.pop(0) if self.statuses else 200)


@pytest.fixture
async def replicas() -> AsyncIterator[list[Replica]]:
    """Two webhook endpoints on 127.0.0.1."""
    made, runners = [], []
    for _ in range(2):
        replica = Replica()
        app = web.Application()
        app.router.add_post("/hook", replica.handle)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        replica.url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
        made.append(replica)
        runners.append(runner)
    yield made
    for runner in runners:
        await runner.cleanup()


async def until(condition: Any) -> None:
    for _ in range(500):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise TimeoutError("condition not met")


async def balanced(replicas: list[Replica]) -> LocalBotApi:
    server = LocalBotApi(balance_webhooks=True, webhook_retry_delay=0.01)
    await server.start()
    for replica in replicas:  # each replica registers its own URL, as `nianbao run` does
        status, body = await raw_call(server, "setWebhook", json={"url": replica.url})
        assert (status, body["result"]) == (200, True)
    return server


async def test_updates_go_round_robin_and_a_refused_one_is_retried_elsewhere(
    replicas: list[Replica],
) -> None:
    server = await balanced(replicas)
    try:
        replicas[0].statuses = [503]
        sent = [await server.user(100 + i, f"用户{i}").send(f"第{i}条") for i in range(6)]
        await until(lambda: len(server.webhook_accepted()) == 6)
        accepted = server.webhook_accepted()
    finally:
        await server.stop()
    assert sorted(u for _, u in accepted) == [u["update_id"] for u in sent]
    per_url = {r.url: sum(1 for url, _ in accepted if url == r.url) for r in replicas}
    assert per_url[replicas[0].url] >= 2 and per_url[replicas[1].url] >= 2
    # The update refused with 503 by the first replica was posted again, to the other one.
    refused = replicas[0].received[0]["update_id"]
    assert (replicas[1].url, refused) in accepted
    info = server.bot.webhook.info(0, None)
    assert "503" in info["last_error_message"]


async def test_a_chats_updates_wait_for_each_other_while_other_chats_go_on(
    replicas: list[Replica],
) -> None:
    hold = asyncio.Event()
    for replica in replicas:
        replica.hold = hold
    server = await balanced(replicas)
    try:
        slow, other = server.user(201, "慢用户"), server.user(202, "别人")
        first = await slow.send("慢")
        second = await slow.send("快")
        third = await other.send("你好")
        await until(lambda: third["update_id"] in [u for _, u in server.webhook_accepted()])
        received = [u["update_id"] for r in replicas for u in r.received]
        assert second["update_id"] not in received  # behind the held update of its chat
        hold.set()
        await until(lambda: len(server.webhook_accepted()) == 3)
        order = [u for _, u in server.webhook_accepted()]
    finally:
        await server.stop()
    assert order.index(first["update_id"]) < order.index(second["update_id"])


async def test_without_balancing_a_new_url_replaces_the_old_one(replicas: list[Replica]) -> None:
    server = LocalBotApi()
    await server.start()
    try:
        for replica in replicas:
            await raw_call(server, "setWebhook", json={"url": replica.url})
        await server.user(301, "孙八").send("只给后一个")
        await until(lambda: len(server.webhook_accepted()) == 1)
    finally:
        await server.stop()
    assert replicas[0].received == [] and len(replicas[1].received) == 1
