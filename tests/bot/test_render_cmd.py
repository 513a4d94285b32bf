"""`nianbao render`: outputs, exit codes and messages, in process and as a real command."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest

from bot.cli import main
from bot.render_cmd import run_render
from core.answers import to_json
from tests.core.rendered import ANSWERS, load

FULL = str(ANSWERS / "full-2021.json")
DRAFT = str(ANSWERS / "example-002-2020.json")
WHEN = date(2026, 1, 20)


def render(*args: str, **kwargs: object) -> tuple[int, str, str]:
    """Run ``run_render`` and capture what it prints."""
    out, err = io.StringIO(), io.StringIO()
    params: dict[str, object] = {"output": None, "xlsx": None, "text": False, "draft": False}
    params.update(kwargs)
    code = run_render(*args, report_date=WHEN, out=out, err=err, **params)  # type: ignore[arg-type]
    return code, out.getvalue(), err.getvalue()


def test_writes_the_docx_and_the_xlsx(tmp_path: Path) -> None:
    report, tables = tmp_path / "out" / "report.docx", tmp_path / "tables.xlsx"
    code, out, err = render(FULL, output=str(report), xlsx=str(tables))
    assert (code, err) == (0, "")
    assert out == f"已生成 {report}\n已生成 {tables}\n"
    document = docx.Document(str(report))
    assert document.paragraphs[-1].text == "2026年1月20日"
    assert openpyxl.load_workbook(tables).sheetnames == ["表二", "表三", "表四", "勾稽检查"]
    assert not list(tmp_path.glob("**/*.tmp"))


def test_text_prints_the_preview(tmp_path: Path) -> None:
    code, out, err = render(FULL, output=str(tmp_path / "r.docx"), text=True)
    assert code == 0
    assert out.startswith("青山县人力资源和社会保障局2025年政府信息公开工作年度报告\n\n本报告根据")
    assert "（一）予以公开：自然人 18、商业企业 3" in out
    assert err == f"已生成 {tmp_path / 'r.docx'}\n"


def test_blank_cells_are_refused_with_a_hint(tmp_path: Path) -> None:
    report = tmp_path / "r.docx"
    code, out, err = render(DRAFT, output=str(report), xlsx=str(tmp_path / "t.xlsx"))
    assert (code, out) == (1, "")
    lines = err.splitlines()
    assert (
        lines[0] == "梁山县水泊街道办事处2020年报告还不能生成正式版：0 个错误，115 个单元格未填。"
    )
    assert lines[1] == "未填的单元格："
    assert lines[2] == "  表二「政府集中采购」行：采购总金额未填"
    assert "--draft" in lines[-1]
    assert not report.exists() and not (tmp_path / "t.xlsx").exists()


def test_errors_are_refused_and_listed(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(to_json(load("full-2021").with_cells({"requests.new.natural": 45})), "utf-8")
    code, _, err = render(str(path), text=True)
    assert code == 1
    assert "还不能生成正式版：" in err
    assert "  【错误·规则1】自然人列：本年新收 45 + 上年结转 2 = 47" in err


def test_draft_renders_anyway(tmp_path: Path) -> None:
    report = tmp_path / "r.docx"
    code, out, err = render(DRAFT, output=str(report), draft=True)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"已生成 {report}",
        "这是草稿：还有 0 个错误、115 个单元格未填，详见文档最后一页。",
    ]
    assert docx.Document(str(report)).paragraphs[0].text.endswith("（草稿）")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "找不到文件："),
        ("{", "不是有效的 JSON 文件"),
        ('{"format": "gov-2021", "year": 2025, "cells": {"x": 1}}', "没有编号为「x」的单元格"),
    ],
)
def test_unreadable_input(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "answers.json"
    if content is not None:
        path.write_text(content, "utf-8")
    code, out, err = render(str(path), output=str(tmp_path / "r.docx"))
    assert (code, out) == (2, "")
    assert err.startswith(f"无法生成报告，读取 {path} 出错：\n  - ")
    assert message in err


def test_an_output_is_required() -> None:
    code, _, err = render(FULL)
    assert code == 2
    assert "-o" in err


def test_unwritable_output(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = render(FULL, output=str(blocker / "r.docx"))
    assert code == 2
    assert err.startswith(f"无法写入 {blocker / 'r.docx'}：")


def test_registered_in_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "r.docx"
    assert main(["render", FULL, "-o", str(report), "--date", "2026-01-31"]) == 0
    assert docx.Document(str(report)).paragraphs[-1].text == "2026年1月31日"
    assert capsys.readouterr().out == f"已生成 {report}\n"
    assert main(["render", DRAFT, "--text", "--draft"]) == 0
    assert "（草稿）" in capsys.readouterr().out


def test_as_a_real_command(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "render", DRAFT, "-o", str(tmp_path / "r.docx")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "--draft" in result.stderr
    help_text = subprocess.run(
        [sys.executable, "-m", "bot.cli", "render", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert "--xlsx" in help_text and "--draft" in help_text
    assert json.loads(Path(FULL).read_text("utf-8"))["format"] == "gov-2021"


def test_tables_alone_are_refused_too(tmp_path: Path) -> None:
    tables = tmp_path / "t.xlsx"
    assert render(DRAFT, xlsx=str(tables))[0] == 1
    assert not tables.exists()
    assert render(DRAFT, xlsx=str(tables), draft=True)[0] == 0
    assert tables.exists()
