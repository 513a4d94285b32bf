"""``nianbao migrate | export | import | backup`` on both databases."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import pytest

from bot.cli import main
from core.answers import from_json, to_json
from storage import Change, ReportState, Store
from storage.migrate import head

from .samples import NOW, rich_2021


@pytest.fixture
def cli_db(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """DATABASE_URL set for the command line, to a migrated database with one agency (ID 1)."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert main(["migrate"]) == 0

    async def seed() -> None:
        async with await Store.open(db_url) as store:
            agency = await store.create_agency("某某县民政局", now=NOW)
            assert agency.id == 1

    asyncio.run(seed())
    return db_url


def _snapshot(url: str) -> tuple[ReportState | None, list[Change]]:
    """The report of agency 1 for 2026 and its history."""

    async def look() -> tuple[ReportState | None, list[Change]]:
        async with await Store.open(url) as store:
            report = await store.find_report(1, 2026)
            history = await store.history(report.report_id) if report else []
            return report, history

    return asyncio.run(look())


def test_migrate_says_what_it_did(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert main(["migrate"]) == 0
    assert f"已升级到最新版本 {head()}（原为 空库）" in capsys.readouterr().out
    assert main(["migrate"]) == 0
    assert f"已是最新版本 {head()}" in capsys.readouterr().out


def test_export_import_round_trip(
    cli_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.json"
    answers = rich_2021().answers
    source.write_text(to_json(answers), encoding="utf-8")
    assert main(["import", str(source), "--agency", "1"]) == 0
    assert "已新建" in capsys.readouterr().out
    out = tmp_path / "out.json"
    assert main(["export", "--agency", "1", "--year", "2026", "-o", str(out)]) == 0
    assert "已导出单位 1 的 2026 年报告（填写中，第 1 版" in capsys.readouterr().out
    assert out.read_text(encoding="utf-8") == source.read_text(encoding="utf-8")
    assert from_json(out.read_bytes()) == from_json(source.read_bytes())
    # Importing an edited file replaces the report in place.
    data = json.loads(out.read_text(encoding="utf-8"))
    data["cells"]["requests.new.natural"] = 1
    data["cells"].pop("requests.new.total")
    data["cells"].pop("requests.results_total.natural", None)
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["import", str(source), "--agency", "1"]) == 0
    assert "已整体替换（第 2 版" in capsys.readouterr().out
    report, _ = _snapshot(cli_db)
    assert report is not None and report.state.answers.cells["requests.new.natural"] == 1


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        ("{not json", 2, "不是有效的 JSON"),
        ('{"format": "gov-2021", "year": 2026, "cells": {"nope": 1}}', 1, "没有编号为「nope」"),
        (
            '{"format": "gov-2021", "year": 2026, "cells": {"requests.new.natural": -3}}',
            1,
            "不能为负数",
        ),
        (
            '{"format": "gov-2021", "year": 2026, "cells": {"appeals.review.upheld": 1,'
            ' "appeals.review.corrected": 0, "appeals.review.other": 0,'
            ' "appeals.review.pending": 0, "appeals.review.total": 3}}',
            1,
            "总计 3",
        ),
    ],
    ids=["not-json", "unknown-cell", "negative", "wrong-total"],
)
def test_a_rejected_import_writes_nothing(
    cli_db: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: str,
    code: int,
    message: str,
) -> None:
    good = tmp_path / "good.json"
    good.write_text('{"format": "gov-2021", "year": 2026, "cells": {"requests.new.natural": 5}}')
    assert main(["import", str(good), "--agency", "1"]) == 0
    before = _snapshot(cli_db)
    capsys.readouterr()
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    assert main(["import", str(bad), "--agency", "1"]) == code
    err = capsys.readouterr().err
    assert "数据库未作任何改动" in err and message in err
    assert _snapshot(cli_db) == before


def test_import_problems_outside_the_file(
    cli_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(tmp_path / "missing.json"), "--agency", "1"]) == 2
    assert "找不到文件" in capsys.readouterr().err
    good = tmp_path / "good.json"
    good.write_text('{"format": "gov-2021", "year": 2026, "cells": {}}')
    assert main(["import", str(good), "--agency", "99"]) == 1
    assert "找不到单位（ID 99）" in capsys.readouterr().err
    assert main(["export", "--agency", "1", "--year", "2019", "-o", str(tmp_path / "x")]) == 1
    assert "没有 2019 年的报告" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_commands_on_a_postgresql_database_behind_its_migrations(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", pg_url)
    good = tmp_path / "good.json"
    good.write_text('{"format": "gov-2021", "year": 2026, "cells": {}}')
    assert main(["import", str(good), "--agency", "1"]) == 2
    assert "请先运行 `nianbao migrate`" in capsys.readouterr().err


def test_backup_is_a_readable_copy_taken_while_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path}/live.db"
    monkeypatch.setenv("DATABASE_URL", url)
    target = tmp_path / "backups" / "nianbao-backup.db"

    async def fill_and_back_up() -> int:
        async with await Store.open(url) as store:  # the bot is running
            agency = await store.create_agency("某某县民政局", now=NOW)
            report = await store.create_report(agency.id, rich_2021(), now=NOW)
            await store.apply(report.report_id, 1, report.state, now=NOW, update_id=1)
            return await asyncio.to_thread(main, ["backup", "-o", str(target)])

    assert asyncio.run(fill_and_back_up()) == 0
    assert "完整性检查通过" in capsys.readouterr().out
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT version FROM reports").fetchall() == [(2,)]
        assert copy.execute("SELECT count(*) FROM answer_cells").fetchone()[0] > 100
    # The copy is a database nianbao itself can open.
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{target}")
    out = tmp_path / "from-backup.json"
    assert main(["export", "--agency", "1", "--year", "2026", "-o", str(out)]) == 0
    assert (
        from_json(out.read_bytes()).cells["proactive.fees.amount"]
        == rich_2021().answers.cells["proactive.fees.amount"]
    )


def test_backup_refusals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/none.db")
    assert main(["backup", "-o", str(tmp_path / "b.db")]) == 1
    assert "不存在" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()
    monkeypatch.setenv("DATABASE_URL", "postgresql://nianbao:secret@db.example/nianbao")
    assert main(["backup", "-o", str(tmp_path / "b.db")]) == 1
    err = capsys.readouterr().err
    assert "pg_dump" in err and "secret" not in err
