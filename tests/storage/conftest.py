"""Storage fixtures: every database test runs on SQLite and on a throwaway PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import pytest

from storage import Store
from tests.pgserver import SKIP_REASON, PgServer, throwaway_postgres


@dataclass
class _PgStatus:
    version: str = ""
    skipped: int = 0


PG = _PgStatus()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer | None]:
    """A PostgreSQL server for the session, or None when its binaries are not installed."""
    with throwaway_postgres() as server:
        if server is not None:
            PG.version = server.version()
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The URL of a fresh, empty database on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db')}/nianbao.db"
    server = request.getfixturevalue("pg_server")
    if server is None:
        PG.skipped += 1
        pytest.skip(SKIP_REASON)
    url: str = server.create_database()
    return url


@pytest.fixture
def pg_url(pg_server: PgServer | None) -> str:
    """The URL of a fresh, empty PostgreSQL database (for PostgreSQL-only behaviour)."""
    if pg_server is None:
        PG.skipped += 1
        pytest.skip(SKIP_REASON)
    return pg_server.create_database()


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[Store]:
    """A store on a fresh, migrated database."""
    opened = await Store.open(db_url, auto_migrate=True)
    try:
        yield opened
    finally:
        await opened.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say plainly whether the PostgreSQL half of the storage tests ran."""
    if PG.skipped:
        terminalreporter.write_line(f"{SKIP_REASON} ({PG.skipped} PostgreSQL tests skipped)")
    elif PG.version:
        terminalreporter.write_line(f"storage tests ran on a throwaway {PG.version} server")
