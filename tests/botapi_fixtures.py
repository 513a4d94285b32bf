"""Fixtures for end-to-end bot tests against the local Bot API server (``bot.localapi``).

Registered for the whole suite in ``tests/conftest.py``. A test takes ``bot_api``, builds its
``Application`` with ``application_builder(bot_api)``, runs it inside ``polling(...)`` and plays
users with ``bot_api.user(...)``. The test fails at teardown if the bot broke a rule of the
Bot API; a test that breaks rules on purpose takes them with ``bot_api.take_violations()``.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest
from telegram.ext import Application, ApplicationBuilder

from bot.localapi import LocalBotApi


@pytest.fixture
async def bot_api() -> AsyncIterator[LocalBotApi]:
    """A local Bot API server on 127.0.0.1; fails the test if the bot broke Telegram's rules."""
    server = LocalBotApi()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()
    if server.violations:
        lines = "\n".join(f"  - {v}" for v in server.violations)
        pytest.fail(f"the bot broke the Bot API's rules:\n{lines}", pytrace=False)


def application_builder(server: LocalBotApi) -> Any:
    """An ``ApplicationBuilder`` for the server's default bot (add handlers, then build)."""
    return (
        ApplicationBuilder()
        .token(server.token)
        .base_url(server.base_url)
        .base_file_url(server.base_file_url)
    )


@asynccontextmanager
async def polling(application: Application[Any, Any, Any, Any, Any, Any]) -> AsyncIterator[None]:
    """Runs an ``Application`` with long polling for the duration of the block.

    Calls the ``post_init``/``post_stop``/``post_shutdown`` hooks as ``run_polling`` would.
    """
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(timeout=5, drop_pending_updates=False)
    try:
        yield
    finally:
        await application.updater.stop()
        await application.stop()
        if application.post_stop is not None:
            await application.post_stop(application)
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)


async def raw_call(
    server: LocalBotApi,
    method: str,
    *,
    json: Mapping[str, Any] | None = None,
    form: Mapping[str, str] | None = None,
    files: Mapping[str, tuple[str, bytes]] | None = None,
    token: str | None = None,
) -> tuple[int, dict[str, Any]]:
    """One request as any HTTP client could send it: JSON, form data, or multipart with files.

    Returns:
        The HTTP status and the decoded JSON answer.
    """
    data: aiohttp.FormData | Mapping[str, str] | None = form
    if files is not None:
        data = aiohttp.FormData()
        for name, value in (form or {}).items():
            data.add_field(name, value)
        for name, (filename, content) in files.items():
            # A stream, not bytes: aiohttp warns about large bytes bodies blocking the loop.
            data.add_field(name, io.BytesIO(content), filename=filename)
    url = f"{server.base_url}{token or server.token}/{method}"
    async with aiohttp.ClientSession() as session, session.post(url, json=json, data=data) as r:
        return r.status, await r.json()
