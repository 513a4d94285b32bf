"""``nianbao run`` as a child process: started, killed with SIGKILL, or stopped with SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from pathlib import Path
from typing import IO

from bot.localapi import LocalBotApi

RUN = "import sys; from bot.cli import main; sys.exit(main(['run']))"
# Settings the child must not inherit from the machine running the tests.
OWN = ("DATABASE_URL", "WEBHOOK_URL", "WEBHOOK_SECRET", "METRICS_PORT", "LOG_FORMAT", "LOG_LEVEL")


def bot_env(server: LocalBotApi, database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a bot polling the local server, reminders off."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_") and k not in OWN}
    env.update(
        TELEGRAM_BOT_TOKEN=server.token,
        TELEGRAM_BASE_URL=server.base_url,
        TELEGRAM_BASE_FILE_URL=server.base_file_url,
        DATABASE_URL=database_url,
        REMINDER_INTERVAL="0",
        PTB_TIMEDELTA="1",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


class BotProcess:
    """One ``nianbao run`` at a time; its stderr (the log) appended to ``log``."""

    def __init__(self, env: dict[str, str], cwd: Path, log: Path) -> None:
        self.env, self.cwd, self.log = env, cwd, log
        self.proc: asyncio.subprocess.Process | None = None
        self.started = asyncio.Event()
        self.output: list[str] = []
        self.starts = 0
        self._reader: asyncio.Task[None] | None = None
        self._log_file: IO[bytes] | None = None

    async def start(self) -> None:
        assert self.proc is None, "already running"
        self.started = asyncio.Event()
        self._log_file = self.log.open("ab")
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            RUN,
            cwd=self.cwd,  # no .env of the developer's
            env=self.env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=self._log_file,
        )
        self.starts += 1
        self._reader = asyncio.create_task(self._read(self.proc))

    async def _read(self, proc: asyncio.subprocess.Process) -> None:
        assert proc.stdout is not None
        async for raw in proc.stdout:
            line = raw.decode("utf-8", "replace")
            self.output.append(line)
            if "已启动" in line:
                self.started.set()

    async def wait_started(self, timeout: float = 60.0) -> None:
        """Until the bot polls; fails with its log if it died or took too long."""
        assert self.proc is not None
        done = asyncio.create_task(self.proc.wait())
        started = asyncio.create_task(self.started.wait())
        await asyncio.wait({done, started}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        for task in (done, started):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if not self.started.is_set():
            raise AssertionError(f"the bot did not start:\n{self.log_text()[-3000:]}")

    async def kill(self) -> None:
        """SIGKILL: no cleanup of any kind, as when the machine or the OOM killer stops it."""
        assert self.proc is not None
        with contextlib.suppress(ProcessLookupError):
            self.proc.send_signal(signal.SIGKILL)
        await self._ended()

    async def stop(self, timeout: float = 30.0) -> int:
        """SIGTERM, as systemd or docker stop does; the exit code."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(self.proc.wait(), timeout)
        return await self._ended()

    async def _ended(self) -> int:
        assert self.proc is not None
        code = await self.proc.wait()
        if self._reader is not None:
            # A child the bot started (a render worker) may hold its stdout a moment longer.
            done, _ = await asyncio.wait({self._reader}, timeout=5)
            if not done:
                self._reader.cancel()
        if self._log_file is not None:
            self._log_file.close()
        self.proc, self._reader, self._log_file = None, None, None
        return code

    def log_text(self) -> str:
        return self.log.read_text("utf-8", "replace") if self.log.exists() else ""


def processes_with(name: str, value: str) -> list[int]:
    """Live processes whose environment has ``name=value`` (a bot's, or its workers')."""
    wanted = f"{name}={value}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:  # gone, or a zombie
            continue
        if wanted in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


async def left_behind(name: str, value: str, wait: float = 5.0) -> list[int]:
    """Processes still alive ``wait`` seconds after the bot stopped, then killed."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    while (pids := processes_with(name, value)) and loop.time() < deadline:
        await asyncio.sleep(0.2)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return pids
