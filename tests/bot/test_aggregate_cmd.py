"""`nianbao aggregate`: what it writes, when it refuses, and the exit codes."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from bot.aggregate_cmd import run_aggregate
from bot.cli import main
from core.answers import from_json, to_json

ANSWERS = Path(__file__).parents[1] / "fixtures" / "answers"
THREE = [
    str(ANSWERS / "aggregate" / n) for n in ("a-hrss.json", "b-civil.json", "c-education.json")
]
CITY = str(ANSWERS / "example-001-2020.json")
STREET = str(ANSWERS / "example-002-2020.json")
OLD = str(ANSWERS / "example-000-2019.json")
COUNTY = "青山县人民政府"


def run(paths: list[str], output: Path, **kwargs: object) -> tuple[int, str, str]:
    """Run ``run_aggregate`` and capture what it prints."""
    out, err = io.StringIO(), io.StringIO()
    code = run_aggregate(paths, str(output), out=out, err=err, **kwargs)  # type: ignore[arg-type]
    return code, out.getvalue(), err.getvalue()


def test_writes_the_sum_and_the_compilation(tmp_path: Path) -> None:
    target, xlsx = tmp_path / "out" / "sum.json", tmp_path / "compilation.xlsx"
    code, out, err = run(THREE, target, agency=COUNTY, xlsx=str(xlsx))
    assert (code, err) == (0, "")
    assert out == f"已汇总 3 个单位的 2025 年报告（gov-2021）：{target}\n已生成汇总表 {xlsx}\n"
    result = from_json(target.read_bytes())
    assert result.agency == COUNTY
    assert result.cells["requests.new.natural"] == 51
    assert result.cells["requests.new.total"] == 65  # totals written, as answers files carry them
    assert result.cells["proactive.fees.amount"] == Decimal("16.125")
    assert result.texts["overview"].startswith("本年度报告根据《条例》规定，由青山县人民政府综合")
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["表二", "表三", "表四"]
    assert wb["表三"]["B7"].value == "合计" and wb["表三"]["C7"].value == 51
    assert not list(tmp_path.glob("**/*.tmp"))


def test_the_own_report_is_compared(tmp_path: Path) -> None:
    target = tmp_path / "sum.json"
    assert run(THREE, target, agency=COUNTY)[0] == 0
    own = from_json(target.read_bytes()).with_cells(
        {"requests.new.natural": 52, "requests.carried_out.natural": 4}
    )
    own_path = tmp_path / "own.json"
    own_path.write_text(to_json(own, with_totals=False), encoding="utf-8")
    xlsx = tmp_path / "c.xlsx"
    code, out, err = run(THREE, tmp_path / "s2.json", own_path=str(own_path), xlsx=str(xlsx))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[2] == f"本级报告（{COUNTY}）与各单位合计有 4 处不同："
    assert lines[3] == (
        "  表三「一、本年新收政府信息公开申请数量」行「自然人」列：本级 52，各单位合计 51，差额 +1"
    )
    assert openpyxl.load_workbook(xlsx).sheetnames[-1] == "差异"
    # The agency defaults to the own report's.
    assert from_json((tmp_path / "s2.json").read_bytes()).agency == COUNTY
    code, out, _ = run(THREE, tmp_path / "s3.json", own_path=str(target))
    assert out.splitlines()[-1] == f"本级报告（{COUNTY}）与各单位合计完全一致。"


def test_mixed_formats_and_years_are_refused_naming_the_file(tmp_path: Path) -> None:
    target = tmp_path / "sum.json"
    code, out, err = run([*THREE, CITY], target)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "无法汇总，没有写入任何文件：",
        f"  - {CITY}（呼伦贝尔市人民政府）使用 gov-2019 格式，与其他报告的格式不同：同一次汇总的报告必须格式一致。",
        f"  - {CITY}（呼伦贝尔市人民政府）是 2020 年度的报告，与其他报告的年度不同：同一次汇总的报告必须是同一年度。",
    ]
    assert run([CITY, OLD], target)[0] == 1
    assert not target.exists()


def test_a_repeated_agency_is_refused(tmp_path: Path) -> None:
    code, _, err = run([*THREE, THREE[1]], tmp_path / "s.json")
    assert code == 1
    assert f"{THREE[1]}（青山县民政局）与{THREE[1]}（青山县民政局）是同一单位" in err


def test_blank_cells_are_refused_unless_asked(tmp_path: Path) -> None:
    target = tmp_path / "sum.json"
    code, out, err = run([CITY, STREET], target, xlsx=str(tmp_path / "c.xlsx"))
    assert (code, out) == (1, "")
    lines = err.splitlines()
    assert lines[1] == f"  - {STREET}（梁山县水泊街道办事处）有 115 个单元格未填："
    assert lines[2] == "    表二「政府集中采购」行：采购总金额未填"
    assert "--blank-as-zero" in lines[-1]
    assert not target.exists() and not (tmp_path / "c.xlsx").exists()
    code, out, err = run([CITY, STREET], target, agency="x", blank_as_zero=True)
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == (
        "注意：1 个单位共 115 个未填的单元格已按 0 计入合计（--blank-as-zero），"
        "汇总表的「缺项」表逐项列出。"
    )
    assert from_json(target.read_bytes()).cells["requests.new.natural"] == 193


def test_inputs_with_errors_are_refused_saying_which(tmp_path: Path) -> None:
    data = json.loads(Path(THREE[1]).read_text("utf-8"))
    data["cells"]["requests.carried_out.natural"] = 3
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, err = run([THREE[0], str(wrong)], tmp_path / "s.json")
    assert (code, out) == (1, "")
    lines = err.splitlines()
    assert lines[1].startswith(f"  - {wrong}（青山县民政局）有 2 个错误，改正后才能汇总：")
    assert any("自然人列" in line for line in lines[2:])


def test_unreadable_inputs_exit_2_listing_each(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    missing = tmp_path / "missing.json"
    code, out, err = run([THREE[0], str(bad), str(missing)], tmp_path / "s.json")
    assert (code, out) == (2, "")
    assert f"无法汇总，读取 {bad} 出错：" in err
    assert f"找不到文件：{missing}" in err
    code, _, err = run(THREE, tmp_path / "s.json", own_path=str(missing))
    assert code == 2 and f"无法读取本级报告 {missing}：" in err


def test_own_report_of_another_year_is_refused(tmp_path: Path) -> None:
    code, _, err = run(THREE, tmp_path / "s.json", own_path=CITY)
    assert code == 1
    assert "本级报告是 2020 年度的，与各单位报告的年度不同，无法比对。" in err


def test_unwritable_output_exits_2(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    code, _, err = run(THREE, blocker / "sum.json")
    assert code == 2 and "无法写入" in err


def test_registered_in_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "sum.json"
    argv = ["aggregate", *THREE, "-o", str(target), "--agency", COUNTY, "--office", "县政府办公室"]
    assert main(argv) == 0
    assert "由县政府办公室综合" in from_json(target.read_bytes()).texts["overview"]
    assert main(["aggregate", CITY, STREET, "-o", str(target), "--blank-as-zero"]) == 0
    capsys.readouterr()


def test_as_a_real_command(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "aggregate", *THREE, CITY, "-o", str(tmp_path / "s")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1 and "gov-2019" in result.stderr
