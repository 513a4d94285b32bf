"""A throwaway PostgreSQL server for tests and benchmarks (needs ``initdb`` and ``pg_ctl``).

Looks for the binaries on PATH, then in Debian's ``/usr/lib/postgresql/*/bin``. As root, where
``initdb`` refuses to run, the server runs as the ``postgres`` OS user. It listens on a free
port on 127.0.0.1 only, keeps its unix socket in its own temporary directory and is deleted on
``stop()``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SKIP_REASON = "PostgreSQL binaries not found; install postgresql to run these tests"


def find_bin_dir() -> Path | None:
    """The directory holding ``initdb`` and ``pg_ctl``, or None."""
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).resolve().parent
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    for bin_dir in candidates:
        if (bin_dir / "initdb").exists() and (bin_dir / "pg_ctl").exists():
            return bin_dir
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class PgServer:
    """One running throwaway server; ``url(db)`` gives an asyncpg URL for a database on it."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="nianbao-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.as_postgres = os.geteuid() == 0
        self._databases = 0

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bin_dir / args[0]), *args[1:]]
        if self.as_postgres:
            runuser = shutil.which("runuser")
            cmd = [runuser, "-u", "postgres", "--", *cmd] if runuser else _su(cmd)
        return subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=120)

    def _check(self, *args: str) -> None:
        done = self._run(*args)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stderr.strip()}")

    def start(self) -> None:
        """initdb, then start the server and wait until it accepts connections."""
        if self.as_postgres:
            shutil.chown(self.root, "postgres", "postgres")
        self._check(
            "initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} "
            "-c max_connections=200 -c shared_buffers=64MB"
        )
        self._check(
            "pg_ctl", "-D", str(self.data), "-o", options,
            "-l", str(self.root / "server.log"), "-w", "-t", "60", "start",
        )  # fmt: skip

    def create_database(self, name: str | None = None) -> str:
        """Create a fresh database; returns its URL."""
        self._databases += 1
        name = name or f"nianbao_{self._databases}"
        self._check("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        return self.url(name)

    def url(self, database: str) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{database}"

    def version(self) -> str:
        done = self._run("postgres", "--version")
        return done.stdout.strip()

    def stop(self) -> None:
        """Stop the server and delete everything it wrote."""
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def _su(cmd: list[str]) -> list[str]:
    import shlex

    return ["su", "postgres", "-s", "/bin/sh", "-c", shlex.join(cmd)]


@contextmanager
def throwaway_postgres() -> Iterator[PgServer | None]:
    """A started server, or None when the binaries are not installed."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        yield None
        return
    server = PgServer(bin_dir)
    try:
        server.start()
        yield server
    finally:
        server.stop()
