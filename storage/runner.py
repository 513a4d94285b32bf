"""Where transactions run: PostgreSQL through asyncpg, SQLite on the store's own threads.

Work is a plain function of a SQLAlchemy ``Connection``, run inside one transaction.

On SQLite all writes go to one writer thread, in order. Whatever work is waiting when the
writer becomes free is committed together: each piece inside its own SAVEPOINT (so a failing
piece is rolled back alone, as if it had its own transaction), then one COMMIT, whose single
fsync makes the whole group durable before any caller hears "saved". Callers never wait for
SQLite's busy handler, and 100 users answering at once cost one disk sync, not 100.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection

from .engine import WRITE, postgres_engine, sqlite_engine

T = TypeVar("T")
Work = Callable[[Connection], T]

MAX_GROUP = 32  # a bound on how long the first piece of a group waits for the others
READERS = 4
# Any constant: two processes migrating one PostgreSQL database at once take turns.
PG_MIGRATION_LOCK = 7_305_202_611


class Runner(ABC):
    """Runs work in transactions against one database."""

    backend: str

    @abstractmethod
    async def read(self, work: Work[T]) -> T:
        """Run ``work`` in a read-only snapshot."""

    @abstractmethod
    async def write(self, work: Work[T]) -> T:
        """Run ``work`` atomically; it is durable when this returns."""

    @abstractmethod
    async def migrate(self, work: Work[T]) -> T:
        """Run schema changes alone, with nothing else writing."""

    @abstractmethod
    async def close(self) -> None:
        """Finish pending work and release every connection."""


class PostgresRunner(Runner):
    """One transaction per piece of work on a pooled asyncpg connection."""

    backend = "postgresql"

    def __init__(self, url: URL) -> None:
        self.engine = postgres_engine(url)

    async def read(self, work: Work[T]) -> T:
        async with self.engine.connect() as conn, conn.begin():
            return await conn.run_sync(work)

    async def write(self, work: Work[T]) -> T:
        return await self.read(work)

    async def migrate(self, work: Work[T]) -> T:
        async with self.engine.connect() as conn, conn.begin():
            await conn.execute(sa.select(sa.func.pg_advisory_xact_lock(PG_MIGRATION_LOCK)))
            return await conn.run_sync(work)

    async def close(self) -> None:
        await self.engine.dispose()


@dataclass
class _Job:
    work: Work[Any]
    exclusive: bool
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Any]


_Outcome = tuple[_Job, Any, Exception | None]


class SqliteRunner(Runner):
    """Readers on a small thread pool; every write on one thread, committed in groups."""

    backend = "sqlite"

    def __init__(self, url: URL) -> None:
        self.engine = sqlite_engine(url, connections=READERS + 1)
        self._readers = ThreadPoolExecutor(READERS, thread_name_prefix="nianbao-sqlite-read")
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._closed = False
        self._writer = threading.Thread(
            target=self._write_loop, name="nianbao-sqlite-write", daemon=True
        )
        self._writer.start()

    async def read(self, work: Work[T]) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._readers, self._read_now, work)

    def _read_now(self, work: Work[T]) -> T:
        with self.engine.connect() as conn, conn.begin():
            return work(conn)

    async def write(self, work: Work[T]) -> T:
        return await self._submit(work, exclusive=False)

    async def migrate(self, work: Work[T]) -> T:
        return await self._submit(work, exclusive=True)

    async def _submit(self, work: Work[T], *, exclusive: bool) -> T:
        if self._closed:
            raise RuntimeError("the store is closed")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._jobs.put(_Job(work, exclusive, loop, future))
        return await future

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._jobs.put(None)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, self._writer.join)
        await loop.run_in_executor(None, self._readers.shutdown)
        self.engine.dispose()

    # ------------------------------------------------------------------ the writer thread

    def _write_loop(self) -> None:
        conn: Connection | None = None
        carried: _Job | None = None
        try:
            while True:
                job = carried or self._jobs.get()
                carried = None
                if job is None:
                    return
                try:
                    if conn is None:
                        conn = self.engine.connect().execution_options(**{WRITE: True})
                except Exception as exc:  # cannot open the database: tell this caller
                    _settle(job, None, exc)
                    continue
                if job.exclusive:
                    _settle_all(self._run_exclusive(conn, job))
                    continue
                group = [job]
                stop = False
                while len(group) < MAX_GROUP:
                    try:
                        more = self._jobs.get_nowait()
                    except queue.Empty:
                        break
                    if more is None:
                        stop = True
                        break
                    if more.exclusive:
                        carried = more
                        break
                    group.append(more)
                outcomes, healthy = self._run_group(conn, group)
                _settle_all(outcomes)
                if not healthy:  # start the next group on a fresh connection
                    conn.close()
                    conn = None
                if stop:
                    return
        finally:
            if conn is not None:
                conn.close()

    @staticmethod
    def _run_group(conn: Connection, group: list[_Job]) -> tuple[list[_Outcome], bool]:
        """Run the group in one transaction; returns each outcome and whether it committed."""
        outcomes: list[_Outcome] = []
        try:
            with conn.begin():
                for job in group:
                    savepoint = conn.begin_nested()
                    try:
                        value = job.work(conn)
                    except Exception as exc:
                        savepoint.rollback()
                        outcomes.append((job, None, exc))
                    else:
                        savepoint.commit()
                        outcomes.append((job, value, None))
        except Exception as exc:
            # BEGIN or COMMIT failed: nothing of the group is on disk, whatever each piece did.
            done = {id(j): e for j, _, e in outcomes}
            return [(job, None, done.get(id(job)) or exc) for job in group], False
        return outcomes, True

    @staticmethod
    def _run_exclusive(conn: Connection, job: _Job) -> list[_Outcome]:
        # Foreign keys off while tables are rebuilt (Alembic's batch mode drops and recreates
        # them, which would cascade), checked before commit. The pragma only works outside a
        # transaction, so it goes to the driver's connection directly.
        raw = conn.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                value = job.work(conn)
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration broke foreign keys: {broken[:5]}")
        except Exception as exc:
            return [(job, None, exc)]
        finally:
            raw.execute("PRAGMA foreign_keys=ON")
        return [(job, value, None)]


def _settle_all(outcomes: list[_Outcome]) -> None:
    for job, value, exc in outcomes:
        _settle(job, value, exc)


def _settle(job: _Job, value: Any, exc: Exception | None) -> None:
    def deliver() -> None:
        if job.future.done():  # the caller gave up (cancelled); the work stands
            return
        if exc is None:
            job.future.set_result(value)
        else:
            job.future.set_exception(exc)

    # RuntimeError: that event loop is closed, so nobody is waiting any more.
    with contextlib.suppress(RuntimeError):
        job.loop.call_soon_threadsafe(deliver)


def open_runner(url: URL) -> Runner:
    """The runner for a normalized URL (see ``engine.normalize_url``)."""
    if url.get_backend_name() == "sqlite":
        return SqliteRunner(url)
    return PostgresRunner(url)
