"""Fixtures for the playground: the whole thing running on a free port with its own database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from bot.config import Settings
from bot.localapi import LocalBotApi
from bot.playground import Chats, Playground, make_app
from tests.botapi_fixtures import raw_call


def playground_settings(db: Path) -> Settings:
    """Settings as on a machine without a bot token: only the database is chosen."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=f"sqlite:///{db}",
        reminder_interval=0,
    )


@pytest.fixture
async def playground(tmp_path: Path) -> AsyncIterator[Playground]:
    """The playground (Bot API server, bot, page) on 127.0.0.1; fails on Bot API violations."""
    running = Playground(playground_settings(tmp_path / "nb.db"), port=0)
    await running.start()
    try:
        yield running
    finally:
        await running.stop()
    if running.api.violations:
        lines = "\n".join(f"  - {v}" for v in running.api.violations)
        pytest.fail(f"the bot broke the Bot API's rules:\n{lines}", pytrace=False)


@pytest.fixture
async def page(bot_api: LocalBotApi) -> AsyncIterator[tuple[Chats, str]]:
    """The page alone over ``bot_api`` on 127.0.0.1, the test playing the bot: (its chats, its
    address)."""
    chats = Chats(bot_api)
    server = TestServer(make_app(chats), host="127.0.0.1")
    await server.start_server()
    try:
        yield chats, str(server.make_url("")).rstrip("/")
    finally:
        chats.close()
        await server.close()


async def bot_call(server: LocalBotApi, method: str, **params: Any) -> Any:
    """A Bot API call made by the test as the bot; its result."""
    status, body = await raw_call(server, method, json=params)
    assert status == 200, body
    return body["result"]
