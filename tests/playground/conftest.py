"""Fixtures for the playground: the whole thing running on a free port with its own database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Settings
from bot.playground import Playground


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
