"""DATABASE_URL to engines: SQLite (the standard library driver) or PostgreSQL (asyncpg).

SQLite connections get WAL, foreign keys, a busy timeout and ``synchronous=FULL``. With WAL,
NORMAL would sync the log only at checkpoints, so a power cut could lose answers the bot had
already acknowledged; FULL syncs at every commit, and the store's group commit (``runner``)
shares that one sync among all the answers waiting at that moment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from . import texts as T
from .errors import UnsupportedDatabase

DEFAULT_URL = "sqlite:///./data/nianbao.db"
BUSY_TIMEOUT_MS = 5000
# Execution option: this transaction writes, so SQLite takes the write lock at BEGIN.
WRITE = "nianbao_write"

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    "PRAGMA synchronous=FULL",
)


def normalize_url(url: str) -> URL:
    """The canonical URL: ``postgresql+asyncpg://…`` or ``sqlite:///…``.

    Plain ``postgresql://`` (and ``postgres://``) URLs get the async driver. Any SQLite URL,
    ``sqlite+aiosqlite://`` included, runs on the standard library driver in the
    store's own threads: one thread hop per transaction instead of several per statement.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise UnsupportedDatabase(T.UNSUPPORTED_DATABASE.format(url=safe_url(url))) from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if not parsed.database or parsed.database == ":memory:" or "mode=memory" in url:
            raise UnsupportedDatabase(T.MEMORY_DATABASE)
        return parsed.set(drivername="sqlite")
    if backend in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+asyncpg")
    raise UnsupportedDatabase(T.UNSUPPORTED_DATABASE.format(url=safe_url(url)))


def safe_url(url: str | URL) -> str:
    """The URL with any password hidden, for messages."""
    try:
        parsed = url if isinstance(url, URL) else make_url(url)
    except ArgumentError:
        return "…"
    return parsed.render_as_string(hide_password=True)


def sqlite_path(url: str | URL) -> Path | None:
    """The database file of a SQLite URL, or None for PostgreSQL."""
    parsed = normalize_url(url) if isinstance(url, str) else url
    if parsed.get_backend_name() != "sqlite":
        return None
    assert parsed.database
    return Path(parsed.database)


def postgres_engine(url: URL) -> AsyncEngine:
    # pool_pre_ping: a restarted PostgreSQL must not cost a user their answer.
    return create_async_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)


def sqlite_engine(url: URL, *, connections: int) -> Engine:
    """A sync engine for a SQLite file; its directory (``./data``) is created."""
    path = sqlite_path(url)
    assert path is not None
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, pool_size=connections, max_overflow=0)
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Take transactions out of the driver's hands: it would BEGIN lazily and DEFERRED, which
    # lets two writers both read and then fail to upgrade their lock.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    immediate = conn.get_execution_options().get(WRITE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
