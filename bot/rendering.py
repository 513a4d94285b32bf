"""Report files built in worker processes, so the bot keeps answering while they render.

A .docx and an .xlsx take about 110 ms of CPU together. Built on the event loop they would hold
every other chat's answer for that long; built in a thread they would still hold the GIL. The
documents are rendered in a small pool of worker processes instead, started on first use, and
the message that goes with them is sent while they render. Where worker processes cannot be
started (a sandbox without ``fork``/``spawn``), rendering falls back to a thread.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Awaitable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from typing import Literal

from core.answers import Answers
from core.render_docx import render_docx
from core.render_xlsx import render_xlsx

log = logging.getLogger(__name__)
Kind = Literal["docx", "xlsx"]
WORKERS = max(1, min(4, (os.cpu_count() or 2) - 1))

_pool: Executor | None = None


def _render(kind: Kind, answers: Answers, today: date, draft: bool) -> bytes:
    """Runs in a worker process: the file's bytes."""
    if kind == "docx":
        return render_docx(answers, report_date=today, draft=draft)
    return render_xlsx(answers, report_date=today)


def _executor() -> Executor:
    global _pool
    if _pool is None:
        try:
            # "spawn": the bot's process has threads (the SQLite runner, the HTTP client), which
            # a forked child would inherit in whatever state they were.
            context = multiprocessing.get_context("spawn")
            _pool = ProcessPoolExecutor(
                WORKERS, mp_context=context, initializer=_follow, initargs=(os.getpid(),)
            )
        except (OSError, NotImplementedError):  # pragma: no cover - platform without processes
            log.warning("worker processes unavailable; rendering in a thread", exc_info=True)
            _pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="render")
    return _pool


def _follow(parent: int) -> None:
    """In a worker: exit once the bot's process is gone.

    A bot killed with SIGKILL (the OOM killer, ``kill -9``) cannot stop its pool, and a worker
    waiting for work would otherwise live on, holding memory and the bot's stdout, forever.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="follow-bot", daemon=True).start()


def _ready() -> bool:
    """Runs in a worker process: importing this module loaded the renderers."""
    return True


def warm() -> None:
    """Start the workers now (at start-up), so the first report's files need not wait for them."""
    _executor().submit(_ready)


@atexit.register
def shutdown() -> None:
    """Stop the workers (at exit; after a worker died, before a fresh pool)."""
    global _pool
    pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def render(kind: Kind, answers: Answers, today: date, *, draft: bool) -> asyncio.Task[bytes]:
    """Start rendering now (the caller must be on the event loop); await the bytes later."""
    loop = asyncio.get_running_loop()
    try:
        future = loop.run_in_executor(_executor(), _render, kind, answers, today, draft)
    except (BrokenProcessPool, RuntimeError):
        # A worker died (killed, out of memory): start a fresh pool for the next one and render
        # this one here, in a thread.
        log.warning("render worker pool broken; starting a new one", exc_info=True)
        shutdown()
        future = loop.run_in_executor(None, _render, kind, answers, today, draft)
    return asyncio.ensure_future(_retry_once(future, kind, answers, today, draft))


async def _retry_once(
    first: Awaitable[bytes], kind: Kind, answers: Answers, today: date, draft: bool
) -> bytes:
    try:
        return await first
    except BrokenProcessPool:
        log.warning("render worker died; rendering in a thread instead", exc_info=True)
        shutdown()
        return await asyncio.to_thread(_render, kind, answers, today, draft)
