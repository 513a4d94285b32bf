"""Migrations from empty to head on both databases; the models match the migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from storage import DatabaseTooNew, MigrationRequired, Store
from storage.engine import normalize_url
from storage.migrate import downgrade, ensure_current, head, schema_diff, upgrade
from storage.models import metadata
from storage.runner import Runner, open_runner

from .samples import NOW, rich_2021


async def _tables(runner: Runner) -> set[str]:
    return await runner.read(lambda conn: set(sa.inspect(conn).get_table_names()))


async def test_empty_database_migrates_to_head_matching_the_models(db_url: str) -> None:
    runner = open_runner(normalize_url(db_url))
    try:
        assert await _tables(runner) == set()
        before, after = await upgrade(runner)
        assert (before, after) == (None, head())
        assert await _tables(runner) == set(metadata.tables) | {"alembic_version"}
        # Autogenerate finds nothing to do: models and migrations describe the same schema.
        assert await schema_diff(runner) == []
        assert await upgrade(runner) == (head(), head())
        assert await ensure_current(runner) == head()
    finally:
        await runner.close()


async def test_downgrade_to_empty_and_up_again(db_url: str) -> None:
    runner = open_runner(normalize_url(db_url))
    try:
        await upgrade(runner)
        await downgrade(runner, "base")
        assert await _tables(runner) == {"alembic_version"}
        await upgrade(runner)
        assert await schema_diff(runner) == []
    finally:
        await runner.close()


async def test_schema_diff_notices_a_model_the_migrations_lack(db_url: str) -> None:
    runner = open_runner(normalize_url(db_url))
    extra = sa.Table("invitations", metadata, sa.Column("id", sa.Integer, primary_key=True))
    try:
        await upgrade(runner)
        diff = await schema_diff(runner)
        assert [d[0] for d in diff] == ["add_table"] and diff[0][1].name == "invitations"
    finally:
        metadata.remove(extra)
        await runner.close()


async def test_postgresql_behind_its_migrations_refuses_to_open(pg_url: str) -> None:
    db_url = pg_url
    with pytest.raises(MigrationRequired, match="nianbao migrate") as caught:
        await Store.open(db_url)
    assert caught.value.current is None and caught.value.head == head()
    assert "数据库结构不是最新版本" in str(caught.value)
    runner = open_runner(normalize_url(db_url))
    try:
        await upgrade(runner)
    finally:
        await runner.close()
    store = await Store.open(db_url)
    await store.close()


async def test_sqlite_is_created_and_migrated_on_first_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    async with await Store.open() as store:  # the default URL: ./data/nianbao.db
        agency = await store.create_agency("某某县民政局", now=NOW)
        await store.create_report(agency.id, rich_2021(), now=NOW)
    path = tmp_path / "data" / "nianbao.db"
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone() == (head(),)
        assert db.execute("SELECT count(*) FROM reports").fetchone() == (1,)


async def test_sqlite_connections_are_durable_and_checked(tmp_path: Path) -> None:
    runner = open_runner(normalize_url(f"sqlite:///{tmp_path}/n.db"))
    names = ("journal_mode", "foreign_keys", "synchronous", "busy_timeout")
    try:
        pragmas = await runner.write(
            lambda conn: [conn.exec_driver_sql(f"PRAGMA {p}").scalar() for p in names]
        )
    finally:
        await runner.close()
    # WAL; foreign keys on; synchronous FULL (2): acknowledged answers survive a power cut.
    assert pragmas == ["wal", 1, 2, 5000]


async def test_a_database_from_a_newer_nianbao_is_refused(db_url: str) -> None:
    runner = open_runner(normalize_url(db_url))
    try:
        await upgrade(runner)
        await runner.write(
            lambda conn: conn.execute(sa.text("UPDATE alembic_version SET version_num = 'zz99'"))
        )
    finally:
        await runner.close()
    with pytest.raises(DatabaseTooNew, match="zz99"):
        await Store.open(db_url)


async def test_sqlite_migrations_run_with_foreign_keys_off_and_checked(tmp_path: Path) -> None:
    runner = open_runner(normalize_url(f"sqlite:///{tmp_path}/m.db"))
    try:
        await upgrade(runner)
        pragma = "PRAGMA foreign_keys"
        during = await runner.migrate(lambda conn: conn.exec_driver_sql(pragma).scalar())
        after = await runner.write(lambda conn: conn.exec_driver_sql(pragma).scalar())
        assert (during, after) == (0, 1)
        orphan = sa.text(
            "INSERT INTO answer_cells (report_id, cell_id, value) VALUES (99, 'x', '1')"
        )
        # Table rebuilds need foreign keys off, but a migration may not leave a dangling one.
        with pytest.raises(RuntimeError, match="broke foreign keys"):
            await runner.migrate(lambda conn: conn.execute(orphan))
        count = sa.text("SELECT count(*) FROM answer_cells")
        assert await runner.read(lambda conn: conn.execute(count).scalar()) == 0
    finally:
        await runner.close()
