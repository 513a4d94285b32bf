"""Fixtures the bot's tests share."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage import Store


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    """A migrated SQLite store in a temporary directory."""
    opened = await Store.open(f"sqlite:///{tmp_path}/nb.db", auto_migrate=True)
    try:
        yield opened
    finally:
        await opened.close()
