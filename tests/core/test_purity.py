"""core/ decides and never performs I/O: a scan of its imports keeps it that way.

In-memory buffers (io.BytesIO) are allowed: rendering returns bytes.
"""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).parents[2] / "core"
FORBIDDEN_MODULES = {
    "os",
    "sys",
    "pathlib",
    "shutil",
    "subprocess",
    "socket",
    "sqlite3",
    "asyncio",
    "time",
    "random",
    "secrets",
    "uuid",
    "logging",
    "telegram",
    "sqlmodel",
    "sqlalchemy",
    "aiohttp",
    "httpx",
    "requests",
    "urllib",
    "pydantic_settings",
    "bot",
    "storage",
}
FORBIDDEN_CALLS = {"open", "input", "print", "now", "today", "utcnow", "getenv"}


def _modules() -> list[Path]:
    return sorted(CORE.rglob("*.py"))


def test_core_imports_nothing_that_does_io() -> None:
    offenders = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                if name.split(".")[0] in FORBIDDEN_MODULES:
                    offenders.append(f"{path.relative_to(CORE)}: import {name}")
    assert offenders == []


def test_core_calls_no_clock_environment_or_files() -> None:
    offenders = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in FORBIDDEN_CALLS:
                    offenders.append(f"{path.relative_to(CORE)}:{node.lineno}: {name}()")
    assert offenders == []


def test_scan_covers_every_module() -> None:
    assert len(_modules()) >= 15
