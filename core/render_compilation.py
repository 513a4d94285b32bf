"""The compilation workbook: every agency's figures per table with their sum, as .xlsx bytes.

One sheet per table (表二, 表三, 表四): a row per agency, a column per input cell labelled with
the table's own labels ("一、本年新收·自然人"), then the 合计 row - the figures of the
consolidated report - so the compilation can be checked line by line. With the county's own
report, two more rows (its figures and the difference) and a 差异 sheet list where its own
figures and the sum disagree; a 缺项 sheet lists every blank cell of every agency.

Written with openpyxl's write-only worksheets: a thousand agencies make 150,000 cells, and the
streaming writer keeps that fast and small. Hence no merged cells (the title simply runs over the
empty cells to its right).
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from .aggregate import Aggregate, Difference, compare
from .answers import Answers
from .formats.model import Cell, Format, Kind, Table
from .render_xlsx import FONT_NAME, NUMBER_FORMATS, excel_value
from .report import cell_values
from .rules import Number
from .wording import aggregate as W
from .wording import report as R
from .wording.cells import cell_place

HEADER_ROW = 3  # title, subtitle, then the header
FIRST_VALUE_COL = 3  # 序号, 单位, then the cells
VALUE_WIDTH = 14.0
AGENCY_WIDTH = 30.0
LINE_HEIGHT = 15.0
GAP_FILL = PatternFill("solid", fgColor="FFF2CC")
DIFF_FILL = PatternFill("solid", fgColor="F8CBAD")
TOTAL_FILL = PatternFill("solid", fgColor="E2EFDA")
# "一、", "（三）": the numbering that starts a printed row label.
NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")


def cell_label(cell: Cell) -> str:
    """A cell named by its table's labels: "一、本年新收·自然人", "行政复议·结果维持",
    "（三）不予公开·1.属于国家秘密·自然人", "行政规范性文件·本年制发件数"."""
    if cell.table == "appeals":
        return "·".join(cell.col_path)
    if len(cell.row_path) > 2:
        rows = list(cell.row_path[1:])
    else:
        label = cell.row_path[-1]
        match = NUMBERING.match(label)
        # A long printed label with a short name keeps its number: "一、本年新收".
        if match and not cell.row_name.startswith(match.group()):
            label = match.group() + cell.row_name
        rows = [label]
    # Table 3's short column names say which 其他 they are ("其他法人或其他组织").
    column = cell.col_name if cell.table == "requests" else cell.col_path[-1]
    if cell.unit and cell.unit not in column:
        column += f"（{cell.unit}）"
    return "·".join([*rows, column])


def render_compilation(
    agg: Aggregate, *, own: Answers | None = None, report_date: date | None = None
) -> bytes:
    """The workbook as .xlsx bytes.

    Args:
        agg: The sum, with the reports it was made from.
        own: The county's own report, compared with the sum when given.
        report_date: Recorded as the workbook's creation date when given.

    Raises:
        AggregateError: ``own`` is of another format or year than the sum.
    """
    fmt = agg.fmt
    differences = compare(own, agg) if own is not None else None
    wb = Workbook(write_only=True)
    summed = cell_values(agg.answers)
    mine = cell_values(own) if own is not None else None
    for table in fmt.tables:
        ws = wb.create_sheet(table.short)
        _table_sheet(ws, agg, table, summed, own, mine)
    if differences is not None and own is not None:
        _differences_sheet(wb.create_sheet(W.SHEET_DIFFERENCES), fmt, differences)
    if agg.gaps:
        _gaps_sheet(wb.create_sheet(W.SHEET_GAPS), agg)
    name = agg.answers.agency or R.BLANK_AGENCY
    wb.properties.creator = name
    wb.properties.title = W.sheet_title(R.title(name, agg.answers.year, draft=False))
    wb.properties.language = "zh-CN"
    if report_date is not None:
        wb.properties.created = datetime(report_date.year, report_date.month, report_date.day)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


class _Styles:
    """The few cell styles, made once: openpyxl registers each style object it sees."""

    def __init__(self) -> None:
        self.title = Font(name=FONT_NAME, size=14, bold=True)
        self.body = Font(name=FONT_NAME, size=10)
        self.bold = Font(name=FONT_NAME, size=10, bold=True)
        self.wrap = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.left = Alignment(horizontal="left", vertical="center", wrap_text=True)


STYLES = _Styles()


def _text(ws: WriteOnlyWorksheet, value: str, font: Font, align: Alignment | None = None) -> object:
    cell = WriteOnlyCell(ws, value=value)
    cell.font = font
    if align is not None:
        cell.alignment = align
    return cell


def _number(
    ws: WriteOnlyWorksheet,
    cell: Cell,
    value: Number | None,
    fill: PatternFill | None = None,
    bold: bool = False,
) -> object:
    """A value cell; a plain number when unstyled, which keeps a large sheet fast."""
    plain = excel_value(value)
    if fill is None and not bold and cell.kind is not Kind.AMOUNT:
        return plain
    out = WriteOnlyCell(ws, value=plain)
    if cell.kind is Kind.AMOUNT:
        out.number_format = NUMBER_FORMATS.get(cell.unit, "0.00##")
    if fill is not None:
        out.fill = fill
    if bold:
        out.font = STYLES.bold
    return out


def _table_sheet(
    ws: WriteOnlyWorksheet,
    agg: Aggregate,
    table: Table,
    summed: Mapping[str, Number],
    own: Answers | None,
    mine: Mapping[str, Number] | None,
) -> None:
    fmt = agg.fmt
    cells = [c for c in fmt.cells.values() if c.table == table.id and not c.computed]
    labels = [cell_label(c) for c in cells]
    gaps = {g.cell for g in agg.gaps}
    # Everything about the sheet's layout must be set before the first row is streamed.
    ws.column_dimensions["A"].width = 6.0
    ws.column_dimensions["B"].width = AGENCY_WIDTH
    for index in range(len(cells)):
        ws.column_dimensions[get_column_letter(FIRST_VALUE_COL + index)].width = VALUE_WIDTH
    lines = max(math.ceil(2 * len(label) / (VALUE_WIDTH - 1)) for label in labels)
    ws.row_dimensions[HEADER_ROW].height = LINE_HEIGHT * lines + 4
    ws.freeze_panes = f"{get_column_letter(FIRST_VALUE_COL)}{HEADER_ROW + 1}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    year = agg.answers.year
    ws.append([_text(ws, W.sheet_title(table.title), STYLES.title)])
    subtitle = W.sheet_subtitle(
        agg.answers.agency, year, len(agg.reports), bool(agg.gaps), agg.blank_as_zero
    )
    ws.append([_text(ws, subtitle, STYLES.body)])
    header = [W.NUMBER, W.AGENCY, *labels]
    ws.append([_text(ws, h, STYLES.bold, STYLES.wrap) for h in header])
    for index, report in enumerate(agg.reports, start=1):
        row: list[object] = [index, report.agency]
        for c in cells:
            value = report.cells.get(c.id)
            row.append(_number(ws, c, value, GAP_FILL if value is None else None))
        ws.append(row)
    total_row: list[object] = [None, _text(ws, W.TOTAL, STYLES.bold)]
    for c in cells:
        total_row.append(
            _number(ws, c, summed.get(c.id), GAP_FILL if c.id in gaps else TOTAL_FILL, bold=True)
        )
    ws.append(total_row)
    if own is None or mine is None:
        return
    ws.append([None, _text(ws, W.own_row(own.agency), STYLES.bold), *_own_values(ws, cells, mine)])
    diff_row: list[object] = [None, _text(ws, W.OWN_DIFFERENCE_ROW, STYLES.bold)]
    for c in cells:
        a, b = mine.get(c.id), summed.get(c.id)
        if a is None or b is None:
            diff_row.append(_number(ws, c, None, DIFF_FILL if (a is None) != (b is None) else None))
        else:
            diff_row.append(_number(ws, c, a - b, DIFF_FILL if a != b else None))
    ws.append(diff_row)


def _own_values(
    ws: WriteOnlyWorksheet, cells: Sequence[Cell], mine: Mapping[str, Number]
) -> Iterable[object]:
    for c in cells:
        value = mine.get(c.id)
        yield _number(ws, c, value, GAP_FILL if value is None else None)


def _list_sheet(
    ws: WriteOnlyWorksheet,
    header: Sequence[str],
    widths: Sequence[float],
    rows: Iterable[list[object]],
) -> None:
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    ws.append([_text(ws, h, STYLES.bold, STYLES.wrap) for h in header])
    for row in rows:
        ws.append(row)


def _differences_sheet(
    ws: WriteOnlyWorksheet, fmt: Format, differences: Sequence[Difference]
) -> None:
    def rows() -> Iterable[list[object]]:
        if not differences:
            yield [_text(ws, W.NO_DIFFERENCES, STYLES.body)]
        for index, d in enumerate(differences, start=1):
            cell = fmt.cells[d.cell]
            yield [
                index,
                fmt.table(cell.table).short,
                _text(ws, cell_place(fmt, d.cell), STYLES.body, STYLES.left),
                d.cell,
                W.BLANK if d.own is None else _number(ws, cell, d.own),
                W.BLANK if d.sum is None else _number(ws, cell, d.sum),
                _number(ws, cell, d.difference, DIFF_FILL),
            ]

    _list_sheet(ws, W.DIFFERENCES_HEADER, (6, 8, 56, 36, 12, 12, 14), rows())


def _gaps_sheet(ws: WriteOnlyWorksheet, agg: Aggregate) -> None:
    fmt = agg.fmt

    def rows() -> Iterable[list[object]]:
        line = 0
        for index, cids in agg.missing_by_report().items():
            for cid in cids:
                line += 1
                table = fmt.table(fmt.cells[cid].table).short
                place = _text(ws, cell_place(fmt, cid), STYLES.body, STYLES.left)
                yield [line, agg.reports[index].agency, table, place, cid]

    _list_sheet(ws, W.GAPS_HEADER, (6, AGENCY_WIDTH, 8, 56, 36), rows())
