"""A consistent copy of a live SQLite database (the bot may keep writing meanwhile)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from .engine import BUSY_TIMEOUT_MS


class BackupError(Exception):
    """No backup was made; ``code`` is ``no_database``, ``same_file`` or ``corrupt``."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


def backup_sqlite(source: Path, target: Path) -> int:
    """Copy ``source`` to ``target`` with SQLite's online backup API; returns the size in bytes.

    The copy is one snapshot (a read transaction; WAL lets writers go on), written to a
    temporary file, checked with ``PRAGMA integrity_check``, synced and only then renamed over
    ``target``, so ``target`` is either the old file or a complete new one.
    """
    if not source.is_file():
        raise BackupError("no_database", str(source))
    if target.exists() and target.resolve() == source.resolve():
        raise BackupError("same_file", str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    # mode=rw: never create an empty database where the real one was expected.
    uri = f"{source.resolve().as_uri()}?mode=rw"
    src = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
            # A backup is one self-contained file: no -wal beside it.
            dst.execute("PRAGMA journal_mode=DELETE")
            verdict = dst.execute("PRAGMA integrity_check").fetchone()[0]
            if verdict != "ok":
                raise BackupError("corrupt", str(verdict))
        finally:
            dst.close()
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    return target.stat().st_size
