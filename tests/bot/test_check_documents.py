"""`nianbao check` on published reports: every kind, exit codes, the JSON shape, --last-year."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.check_cmd import run_check
from core.answers import to_json
from tests.core.rendered import load
from tests.importers.corpus import RENDERERS

EXAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "examples"
ANSWERS_KEYS = {"format", "agency", "year", "valid", "cells", "violations", "missing"}
SOURCE_KEYS = {
    "kind",
    "blank_cells",
    "slash_cells",
    "unrecognised",
    "tables_found",
    "sections_found",
}


def check(*args: str, as_json: bool = True, last: str | None = None) -> tuple[int, str]:
    out = io.StringIO()
    code = run_check(args[0], as_json, last, out)
    return code, out.getvalue()


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """full-2021 rendered as .docx, .xlsx, .txt and .html."""
    answers = load("full-2021")
    out = {}
    for kind, (name, render) in RENDERERS.items():
        path = tmp_path / name
        path.write_bytes(render(answers, False))
        out[kind] = path
    return out


@pytest.mark.parametrize("kind", sorted(RENDERERS))
def test_a_valid_document_exits_0_with_the_answers_shape(files: dict[str, Path], kind: str) -> None:
    code, text = check(str(files[kind]))
    data = json.loads(text)
    assert code == 0 and data["valid"] is True
    assert ANSWERS_KEYS | {"source"} == set(data)
    assert set(data["source"]) >= SOURCE_KEYS
    assert data["format"] == "gov-2021" and data["year"] == 2025
    assert data["cells"]["requests.results_total.total"] == load("full-2021").cells.get(
        "requests.results_total.total", data["cells"]["requests.results_total.total"]
    )
    assert data["source"]["kind"] == {"text": "text"}.get(kind, kind)


def test_example_001_exits_1_with_the_mismatch_and_the_blank(
    capsys: pytest.CaptureFixture[str],
) -> None:
    (path,) = EXAMPLES.glob("001_*.txt")
    code, text = check(str(path))
    data = json.loads(text)
    assert code == 1 and data["valid"] is False
    assert any("222" in v["message"] and v["severity"] == "warning" for v in data["violations"])
    assert data["source"]["blank_cells"] == ["requests.carried_in.other_org"]
    assert data["missing"] == ["requests.carried_in.other_org"]
    code, readable = check(str(path), as_json=False)
    assert code == 1 and "已答复222件" in readable and "空白单元格" in readable


def test_a_document_without_tables_exits_1() -> None:
    (path,) = EXAMPLES.glob("003_*.txt")
    code, text = check(str(path))
    data = json.loads(text)
    assert code == 1 and data["format"] is None and data["source"]["tables_found"] == []
    assert "no_tables" in [f["code"] for f in data["source"]["findings"]]


def test_slash_cells_are_reported_with_their_legitimacy(tmp_path: Path) -> None:
    text = RENDERERS["text"][1](load("full-2021"), False).decode()
    rows = text.split("\n")
    rows = [
        "规章 | / | / | / |"
        if r.startswith("规章 |")
        else r.replace("（一）予以公开 | 18 |", "（一）予以公开 | / |")
        for r in rows
    ]
    path = tmp_path / "slashes.txt"
    path.write_text("\n".join(rows), "utf-8")
    code, out = check(str(path))
    data = json.loads(out)
    groups = {(g["scope"], g["legitimate"]) for g in data["source"]["slash_groups"]}
    assert groups == {("row", True), ("cell", False)}
    assert code == 1 and "requests.granted.natural" in data["missing"]


def test_last_year_may_be_a_document(files: dict[str, Path], tmp_path: Path) -> None:
    last = load("full-2021").with_cells({"requests.carried_out.natural": 7})
    last_path = tmp_path / "last.html"
    last_path.write_bytes(RENDERERS["html"][1](last, True))
    code, text = check(str(files["docx"]), last=str(last_path))
    rules = [v["rule"] for v in json.loads(text)["violations"]]
    assert "carry:requests:natural" in rules and code == 0
    # An answers file checked against a last-year document works too.
    answers = tmp_path / "this.json"
    answers.write_text(to_json(load("full-2021")), "utf-8")
    code, text = check(str(answers), last=str(last_path))
    assert "carry:requests:natural" in [v["rule"] for v in json.loads(text)["violations"]]


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("missing.docx", None, "找不到文件"),
        ("bad.docx", b"PK\x03\x04broken", "已损坏"),
        ("scan.xlsx", b"%PDF-1.4", "PDF"),
        ("old.docx", b"\xd0\xcf\x11\xe0" + b"\0" * 64, "旧版"),
    ],
)
def test_unreadable_documents_exit_2(
    tmp_path: Path, name: str, content: bytes | None, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    code, text = check(str(path))
    assert code == 2 and words in json.loads(text)["problems"][0]
    code, _ = check(str(path), as_json=False)
    assert code == 2 and words in capsys.readouterr().err
