"""DATABASE_URL: the settings object, URL mapping and the package boundary."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.config import Settings
from storage import DatabaseUnavailable, Store, UnsupportedDatabase, normalize_url
from storage.engine import DEFAULT_URL, safe_url, sqlite_path

ROOT = Path(__file__).resolve().parents[2]


def test_settings_default_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert Settings().database_url == DEFAULT_URL == "sqlite:///./data/nianbao.db"
    monkeypatch.setenv("DATABASE_URL", "postgresql://nianbao@db/nianbao")
    assert Settings().database_url == "postgresql://nianbao@db/nianbao"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("sqlite:///./data/nianbao.db", "sqlite:///./data/nianbao.db"),
        ("sqlite+aiosqlite:///./data/nianbao.db", "sqlite:///./data/nianbao.db"),
        ("sqlite:////var/lib/nianbao/n.db", "sqlite:////var/lib/nianbao/n.db"),
        ("postgresql://u:p@h:5433/db", "postgresql+asyncpg://u:p@h:5433/db"),
        ("postgres://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("postgresql+psycopg2://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("postgresql+asyncpg://u@h/db", "postgresql+asyncpg://u@h/db"),
    ],
)
def test_urls_map_to_the_drivers_the_store_runs(given: str, expected: str) -> None:
    assert normalize_url(given).render_as_string(hide_password=False) == expected


@pytest.mark.parametrize("url", ["mysql://u@h/db", "sqlite://", "sqlite:///:memory:", "nonsense"])
def test_unsupported_urls_are_refused_in_chinese(url: str) -> None:
    with pytest.raises(UnsupportedDatabase, match="不支持"):
        normalize_url(url)


async def test_an_unreachable_database_is_reported_plainly() -> None:
    with pytest.raises(DatabaseUnavailable, match="无法连接数据库") as caught:
        await Store.open("postgresql://nianbao:secret@127.0.0.1:1/nianbao")
    assert "secret" not in str(caught.value)


def test_paths_and_passwords() -> None:
    assert sqlite_path(DEFAULT_URL) == Path("data/nianbao.db")
    assert sqlite_path("postgresql://u@h/db") is None
    assert "secret" not in safe_url("postgresql://u:secret@h/db")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_rows_never_leave_storage() -> None:
    """Only storage/ talks to SQLModel and SQLAlchemy; bot/ and core/ see plain values."""
    for package in ("bot", "core"):
        for path in sorted((ROOT / package).rglob("*.py")):
            bad = {
                m
                for m in _imports(path)
                if m.split(".")[0] in ("sqlmodel", "sqlalchemy", "alembic", "asyncpg")
                or m in ("storage.models", "storage.rows", "storage.directory")
            }
            assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_storage_never_imports_the_bot() -> None:
    for path in sorted((ROOT / "storage").rglob("*.py")):
        assert not {m for m in _imports(path) if m.split(".")[0] == "bot"}, path
