"""Fault tests run on SQLite and on the storage tests' throwaway PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pgserver import SKIP_REASON, PgServer
from tests.storage.conftest import pg_server

__all__ = ["database_url", "pg_server"]


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database on each backend (PostgreSQL: the storage tests' throwaway server)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/nianbao.db"
    server: PgServer | None = request.getfixturevalue("pg_server")
    if server is None:
        pytest.skip(SKIP_REASON)
    return server.create_database()
