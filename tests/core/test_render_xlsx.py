"""The .xlsx: one sheet per table cell for cell, numbers as numbers, and the rules sheet."""

from __future__ import annotations

import io
import itertools
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from core.check import evaluate_rule
from core.formats import GOV_2021
from core.layout import Role, table_grid
from core.render_xlsx import TOP, render_xlsx, rule_statuses
from core.rules import structural_rules

from .expected_tables import EXPECTED
from .rendered import FIXTURES, REPORT_DATE, load

SHEETS = ["表二", "表三", "表四", "勾稽检查"]


@pytest.fixture(scope="module")
def books() -> dict[str, openpyxl.Workbook]:
    """Each fixture rendered and re-opened once."""
    out = {}
    for name in FIXTURES:
        data = render_xlsx(load(name), report_date=REPORT_DATE)
        out[name] = openpyxl.load_workbook(io.BytesIO(data))
    return out


def _text(value: object) -> str:
    if value is None:
        return ""
    return str(value)


@pytest.mark.parametrize("name", FIXTURES)
def test_sheets_and_their_names(books: dict[str, openpyxl.Workbook], name: str) -> None:
    wb = books[name]
    assert wb.sheetnames == SHEETS
    for sheet in wb.sheetnames:
        assert len(sheet) <= 31 and not set(sheet) & set("[]:*?/\\")


@pytest.mark.parametrize("name", FIXTURES)
def test_labels_and_merges_are_the_grid(books: dict[str, openpyxl.Workbook], name: str) -> None:
    fmt = load(name).fmt
    for table in fmt.tables:
        ws: Worksheet = books[name][table.short]
        grid = table_grid(table)
        assert ws.cell(row=1, column=1).value == table.title
        expected = {f"A1:{_col(grid.n_cols)}1", f"A2:{_col(grid.n_cols)}2"}
        for cell in grid.cells:
            top, left = TOP + cell.row, 1 + cell.col
            if cell.rowspan > 1 or cell.colspan > 1:
                expected.add(
                    f"{_col(left)}{top}:{_col(left + cell.colspan - 1)}{top + cell.rowspan - 1}"
                )
            if cell.role is not Role.VALUE:
                assert _text(ws.cell(row=top, column=left).value) == cell.text
            bottom, right = top + cell.rowspan - 1, left + cell.colspan - 1
            for r, c in itertools.product(range(top, bottom + 1), range(left, right + 1)):
                border = ws.cell(row=r, column=c).border
                for side, edge in (("left", c == left), ("right", c == right)):
                    assert not edge or getattr(border, side).style == "thin", (r, c, side)
                for side, edge in (("top", r == top), ("bottom", r == bottom)):
                    assert not edge or getattr(border, side).style == "thin", (r, c, side)
        assert {str(r) for r in ws.merged_cells.ranges} == expected


def _num(value: float) -> str:
    return str(value) if isinstance(value, int) else format(Decimal(str(value)).normalize(), "f")


def _col(index: int) -> str:
    return openpyxl.utils.get_column_letter(index)


@pytest.mark.parametrize("name", FIXTURES)
def test_no_merges_overlap(books: dict[str, openpyxl.Workbook], name: str) -> None:
    for sheet in SHEETS:
        ranges = list(books[name][sheet].merged_cells.ranges)
        for a, b in itertools.combinations(ranges, 2):
            assert a.isdisjoint(b), (sheet, a, b)


@pytest.mark.parametrize("name", FIXTURES)
def test_values_by_position_as_numbers(books: dict[str, openpyxl.Workbook], name: str) -> None:
    fmt = load(name).fmt
    for table in fmt.tables:
        ws = books[name][table.short]
        rows: dict[int, list[str]] = {}
        for cell in table_grid(table).value_cells():
            value = ws.cell(row=TOP + cell.row, column=1 + cell.col).value
            assert value is None or type(value) in (int, float)
            unit = fmt.cells[cell.cell_id].unit
            text = "" if value is None else _num(value) + ("元" if unit == "元" else "")
            rows.setdefault(cell.row, []).append(text)
        assert [tuple(v) for _, v in sorted(rows.items())] == EXPECTED[name][table.id]


def test_amount_formats() -> None:
    answers = load("full-2021").with_cells({"proactive.fees.amount": Decimal("103.3879")})
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx(answers)))
    cell = wb["表二"].cell(row=TOP + 13, column=2)
    assert (cell.value, cell.number_format) == (103.3879, "0.00##")
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx(load("example-001-2020"))))
    amount = wb["表二"].cell(row=TOP + 17, column=3)
    assert amount.value == 3117000000 and type(amount.value) is int
    assert amount.number_format == '#,##0.00"元"'
    change = wb["表二"].cell(row=TOP + 7, column=3)
    assert (change.value, change.number_format) == (-13, "0")


def test_print_setup(books: dict[str, openpyxl.Workbook]) -> None:
    for sheet in SHEETS:
        ws = books["full-2021"][sheet]
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert int(ws.page_setup.fitToWidth) == 1
    assert books["full-2021"]["表三"].print_title_rows == "$3:$5"
    assert books["full-2021"]["表三"].freeze_panes == "D6"


def test_subtitle_and_properties(books: dict[str, openpyxl.Workbook]) -> None:
    wb = books["full-2021"]
    assert wb["表三"]["A2"].value == (
        "填报单位：青山县人力资源和社会保障局　　统计期限：2025年1月1日至2025年12月31日"
    )
    assert wb.properties.creator == "青山县人力资源和社会保障局"
    assert wb.properties.created.date() == REPORT_DATE


def _rules(wb: openpyxl.Workbook) -> list[tuple[object, ...]]:
    return list(wb["勾稽检查"].iter_rows(min_row=2, values_only=True))


def test_rules_sheet_lists_every_rule(books: dict[str, openpyxl.Workbook]) -> None:
    rows = _rules(books["full-2021"])
    header = next(books["full-2021"]["勾稽检查"].iter_rows(max_row=1, values_only=True))
    assert header == ("序号", "表格", "规则", "范围", "状态", "说明")
    assert len(rows) == len(structural_rules(GOV_2021))
    assert {r[4] for r in rows} == {"通过"}
    assert rows[0][:4] == (1, "表三", "表三每行总计应等于各类申请人之和", "「本年新收」行")
    scopes = {r[3] for r in rows}
    assert {"自然人列", "行政复议", "行政诉讼·复议后起诉"} <= scopes


def test_rules_sheet_marks_incomplete_and_errors(books: dict[str, openpyxl.Workbook]) -> None:
    statuses = {r[4] for r in _rules(books["example-002-2020"])}
    assert statuses == {"通过", "未完成"}
    answers = load("full-2021").with_cells(
        {"requests.new.total": 60, "requests.granted.natural": Decimal("1.5")}
    )
    rows = _rules(openpyxl.load_workbook(io.BytesIO(render_xlsx(answers))))
    errors = [r for r in rows if r[4] == "错误"]
    assert [r[3] for r in errors[:2]] == ["「本年新收」行", "「（一）予以公开」行"]
    assert str(errors[0][5]).startswith("【错误·规则3】「本年新收」行：总计 60")
    # The non-integer count is listed under rule 5 after the sums.
    assert str(rows[-1][5]).startswith("【错误·规则5】")
    assert rows[-1][2] == "件数应为非负整数，金额不能为负数"


def test_rule_statuses_agree_with_the_engine() -> None:
    answers = load("example-002-2020")
    for rule, status, _ in rule_statuses(answers.fmt, answers.cells):
        failed = evaluate_rule(answers.fmt, rule, answers.cells) is not None
        assert (status == "错误") == failed


def test_package_is_clean() -> None:
    data = render_xlsx(load("full-2021"))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        assert len(names) == len(set(names))
        assert z.testzip() is None


def test_hostile_agency_name() -> None:
    answers = load("full-2021").with_meta(agency="某某\x01局\ud800👍")
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx(answers)))
    assert wb["表二"]["A2"].value.startswith("填报单位：某某局👍")
