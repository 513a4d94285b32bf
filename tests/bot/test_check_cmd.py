"""`nianbao check`: exit codes, the JSON shape and the Chinese report, run as a real command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.answers import Answers, to_json
from tests.data import REQUESTS_TEXT_001, cells_001_gov2021


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, timeout=60
    )


@pytest.fixture
def good(tmp_path: Path) -> Path:
    """A complete, consistent answers file."""
    path = tmp_path / "good.json"
    cells = cells_001_gov2021() | {"proactive.rules.issued": 0, "proactive.rules.in_force": 0}
    path.write_text(to_json(Answers("gov-2021", 2025, "某某市人民政府", cells)), "utf-8")
    return path


def test_valid_file_exits_0(good: Path) -> None:
    result = run("check", str(good))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "检查通过" in result.stdout


def test_json_shape(good: Path) -> None:
    result = run("check", str(good), "--json")
    data = json.loads(result.stdout)
    assert set(data) == {"format", "agency", "year", "valid", "cells", "violations", "missing"}
    assert data["valid"] is True and data["violations"] == [] and data["missing"] == []
    assert data["cells"]["requests.results_total.total"] == 223


def test_violations_exit_1_with_structure(good: Path, tmp_path: Path) -> None:
    data = json.loads(good.read_text("utf-8"))
    data["cells"]["requests.carried_out.natural"] = 3
    data["texts"] = {"overview.requests": REQUESTS_TEXT_001}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    result = run("check", str(bad), "--json")
    assert result.returncode == 1
    out = json.loads(result.stdout)
    assert out["valid"] is False
    first = out["violations"][0]
    assert set(first) == {"rule", "severity", "cells", "left", "right", "message"}
    rules = {v["rule"]: v for v in out["violations"]}
    assert rules["balance:requests:natural"]["left"] == 194
    assert rules["balance:requests:natural"]["severity"] == "error"
    assert "多了 1" in rules["balance:requests:natural"]["message"]
    assert any(v["severity"] == "warning" and "222" in v["message"] for v in out["violations"])
    readable = run("check", str(bad))
    assert readable.returncode == 1
    assert "【错误·规则1】自然人列" in readable.stdout


def test_partial_file_lists_missing(tmp_path: Path) -> None:
    path = tmp_path / "partial.json"
    path.write_text(json.dumps({"format": "gov-2021", "year": 2025, "cells": {}}), "utf-8")
    result = run("check", str(path), "--json")
    assert result.returncode == 1
    assert len(json.loads(result.stdout)["missing"]) == 166


def test_last_year_warnings(good: Path, tmp_path: Path) -> None:
    data = json.loads(good.read_text("utf-8"))
    data["year"] = 2024
    data["cells"]["requests.carried_out.natural"] = 5
    data["cells"]["requests.carried_out.total"] = 5
    data["cells"]["requests.new.natural"] = 196
    data["cells"]["requests.new.total"] = 227
    last = tmp_path / "last.json"
    last.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    result = run("check", str(good), "--json", "--last-year", str(last))
    rules = [v["rule"] for v in json.loads(result.stdout)["violations"]]
    assert "carry:requests:natural" in rules
    assert result.returncode == 0  # warnings alone do not make a report invalid


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "找不到文件"),
        ("{", "不是有效的 JSON"),
        ('{"format": "gov-2021", "year": 2025, "cells": {"x.y": 1}}', "没有编号为「x.y」"),
        ("\x00\x01binary", "不是有效的 JSON"),
    ],
)
def test_unreadable_exits_2(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "in.json"
    if content is not None:
        path.write_text(content, "utf-8")
    result = run("check", str(path))
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    as_json = run("check", str(path), "--json")
    assert as_json.returncode == 2 and message in json.loads(as_json.stdout)["problems"][0]
