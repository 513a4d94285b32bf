"""Deployment fixtures: a throwaway PostgreSQL server and ``nianbao`` in processes of its own."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import sys
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.pgserver import SKIP_REASON, PgServer, throwaway_postgres

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer | None]:
    """A PostgreSQL server for the session, or None when its binaries are not installed."""
    with throwaway_postgres() as server:
        yield server


@pytest.fixture
def pg_url(pg_server: PgServer | None) -> str:
    """The URL of a fresh, empty PostgreSQL database (skips without PostgreSQL)."""
    if pg_server is None:
        pytest.skip(SKIP_REASON)
    return pg_server.create_database()


def nianbao_command() -> list[str]:
    """The installed ``nianbao`` console script beside this interpreter (else ``-m bot.cli``)."""
    script = Path(sys.executable).with_name("nianbao")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def clean_env(**settings: str) -> dict[str, str]:
    """This environment without any nianbao setting, plus ``settings``."""
    from bot.config import Settings

    names = {str(f.validation_alias).upper() for f in Settings.model_fields.values()}
    env = {k: v for k, v in os.environ.items() if k.upper() not in names}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.update(settings)
    return env


@dataclass
class BotProcess:
    """A ``nianbao`` process with its output in files."""

    process: asyncio.subprocess.Process
    stdout: Path
    stderr: Path

    def output(self) -> str:
        return self.stdout.read_text(encoding="utf-8", errors="replace")

    def log(self) -> str:
        return self.stderr.read_text(encoding="utf-8", errors="replace")

    async def wait_for_output(self, text: str, timeout: float = 60.0) -> None:
        """Returns once ``text`` was printed; fails if the process ends first."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while text not in self.output():
            if self.process.returncode is not None:
                raise AssertionError(f"nianbao exited ({self.process.returncode}):\n{self.log()}")
            if loop.time() > deadline:
                raise AssertionError(f"no {text!r} after {timeout} s:\n{self.log()}")
            await asyncio.sleep(0.1)


@contextlib.asynccontextmanager
async def nianbao_process(
    args: list[str], env: Mapping[str, str], workdir: Path, name: str
) -> AsyncIterator[BotProcess]:
    """``nianbao ARGS`` for the duration of the block, then SIGTERM (a graceful stop)."""
    out, err = workdir / f"{name}.out", workdir / f"{name}.err"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = await asyncio.create_subprocess_exec(
            *nianbao_command(), *args, stdout=stdout, stderr=stderr, env=dict(env), cwd=workdir
        )
    bot = BotProcess(process, out, err)
    try:
        yield bot
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 30)
            except TimeoutError:
                process.kill()
                await process.wait()


async def run_nianbao(
    args: list[str], env: Mapping[str, str], workdir: Path, timeout: float = 120.0
) -> tuple[int, str, str]:
    """``nianbao ARGS`` to its end: (exit code, stdout, stderr)."""
    process = await asyncio.create_subprocess_exec(
        *nianbao_command(),
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=dict(env),
        cwd=workdir,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()
