"""`nianbao console`: the interview in a terminal, saved after every step and resumed."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from bot.console import run_console
from core.answers import from_json


def feed(lines: list[str]) -> Iterator[str]:
    yield from lines


def play(path: Path, lines: list[str], today: date = date(2026, 1, 10)) -> str:
    it = feed(lines)

    def read() -> str:
        try:
            return next(it)
        except StopIteration:
            raise EOFError from None

    out = io.StringIO()
    assert run_console(str(path), None, None, read=read, out=out, today=today) == 0
    return out.getvalue()


def test_console_saves_every_step_and_resumes(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    out = play(path, ["某某县民政局", "电话：0471-1234567"])
    assert "请发送本单位全称" in out
    saved = from_json(path.read_bytes())
    assert saved.agency == "某某县民政局" and saved.contact["phone"] == "0471-1234567"
    out = play(path, ["/edit 表三", "3 0 0 0 0 0", "/status", "/quit"])
    assert "已从" in out and "表三 · 第 1/24 行" in out
    assert from_json(path.read_bytes()).cells["requests.new.natural"] == 3
    # Resuming again lands on the next unanswered question of table 3.
    out = play(path, [])
    assert "二、上年结转政府信息公开申请数量" in out


def test_console_buttons_by_number(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    out = play(path, ["某某县民政局", "/1", "/9", "/back"])
    assert "[/1] 跳过" in out
    assert "没有这个选项" in out


def test_console_whole_zero_report(tmp_path: Path) -> None:
    path = tmp_path / "z.json"
    lines = ["某某县民政局", "/1"] + ["/1"] * 5
    # Each table's first question: 全部为0 is /1, 本表全部为0 the last zero button.
    lines += ["/3", "/2", "/2"]
    lines += [
        "存在的主要问题是公开意识不强。下一步将加强培训，完善制度，提升公开质量和效果。",
        "/1",
    ]
    lines += ["/1", "/1", "/1"]
    out = play(path, lines)
    assert "已填报完成" in out, out[-2000:]
    data = json.loads(path.read_text("utf-8"))
    assert len(data["cells"]) == 200
    session = json.loads((tmp_path / "z.json.session").read_text("utf-8"))
    assert session["mode"] == "done"


def test_console_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{", "utf-8")
    out = io.StringIO()
    assert run_console(str(path), None, None, read=lambda: "", out=out) == 2
    assert "不是有效的 JSON" in out.getvalue()
