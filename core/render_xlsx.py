"""Tables 2, 3 and 4 as an .xlsx workbook, plus a sheet with the status of every rule.

Coordinators compile these, so each table sheet is the printed table cell for cell (labels
verbatim, the same merges from ``core.layout.table_grid``), numbers are numbers, and nothing in
the file trips Excel's or WPS's repair prompt: merges never overlap, only the anchor of a merged
range holds a value, sheet names are short and free of ``[]:*?/\\``.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from .answers import Answers
from .check import evaluate_rule, has_computed, side_terms, value_violations
from .formats.model import Format, Kind, Table
from .layout import Grid, GridCell, Role, table_grid
from .paragraphs import clean_text
from .report import agency, cell_values
from .rules import Number, Rule, RuleKind, structural_rules
from .wording import report as W
from .wording.cells import cell_place, column_name, row_name
from .wording.rules import RULE_TITLES, describe_full

FONT_NAME = "宋体"
TOP = 3  # first worksheet row of the grid: the title and the subtitle come first
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
# Column widths in Excel's character units, label columns by their count, then value columns.
LABEL_WIDTHS: Mapping[int, tuple[float, ...]] = {0: (), 1: (24.0,), 3: (6.0, 14.0, 34.0)}
VALUE_WIDTH: Mapping[int, float] = {2: 18.0, 3: 10.0, 4: 8.0}
LINE_HEIGHT = 15.0  # points per wrapped line at 10 pt
# A 万元 amount keeps up to four decimals (one 元); a 元 amount shows 分.
NUMBER_FORMATS = {"万元": "0.00##", "元": '#,##0.00"元"'}
# Named cell styles of the table sheets (they also appear in Excel's and WPS's style gallery).
LABEL_CENTER, LABEL_LEFT = "年报·表头", "年报·行名"
COUNT_STYLE, AMOUNT_STYLE = "年报·数量", "年报·金额（万元）"
AMOUNT_STYLES = {"万元": AMOUNT_STYLE, "元": "年报·金额（元）"}
STATUS_FILLS = {
    W.STATUS_PASS: PatternFill("solid", fgColor="E2EFDA"),
    W.STATUS_ERROR: PatternFill("solid", fgColor="F8CBAD"),
    W.STATUS_INCOMPLETE: PatternFill("solid", fgColor="FFF2CC"),
}


def render_xlsx(answers: Answers, *, report_date: date | None = None) -> bytes:
    """The workbook as .xlsx bytes: 表二, 表三, 表四 and 勾稽检查.

    Args:
        answers: The report's answers; blank cells stay blank.
        report_date: Recorded as the workbook's creation date when given.
    """
    fmt = answers.fmt
    values = cell_values(answers)
    wb = Workbook()
    default = wb.active
    if default is not None:
        wb.remove(default)
    name = agency(answers)
    _add_styles(wb)
    for table in fmt.tables:
        _table_sheet(wb.create_sheet(table.short), fmt, table, values, name, answers.year)
    _rules_sheet(wb.create_sheet(W.SHEET_RULES), fmt, answers.cells)
    wb.properties.creator = name
    wb.properties.title = W.title(name, answers.year, draft=False)
    wb.properties.language = "zh-CN"
    if report_date is not None:
        wb.properties.created = datetime(report_date.year, report_date.month, report_date.day)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def excel_value(value: Number | None) -> int | float | None:
    """Numbers as Excel stores them: int, or float for a decimal amount."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _table_sheet(
    ws: Worksheet,
    fmt: Format,
    table: Table,
    values: Mapping[str, Number],
    name: str,
    year: int,
) -> None:
    grid = table_grid(table)
    widths = [*LABEL_WIDTHS.get(grid.label_cols, (12.0,) * grid.label_cols)]
    widths += [VALUE_WIDTH.get(table.number, 10.0)] * (grid.n_cols - grid.label_cols)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    last = get_column_letter(grid.n_cols)
    for row, text, size in ((1, table.title, 14), (2, W.sheet_subtitle(name, year), 10)):
        ws.merge_cells(f"A{row}:{last}{row}")
        cell = ws.cell(row=row, column=1, value=text)
        cell.font = Font(name=FONT_NAME, size=size, bold=row == 1)
        cell.alignment = CENTER if row == 1 else LEFT
    ws.row_dimensions[1].height = 24
    lines = {r: 1 for r in range(grid.n_rows)}
    for gc in grid.cells:
        _place(ws, fmt, grid, gc, values)
        if gc.rowspan == 1 and gc.text:
            width = sum(widths[gc.col : gc.col + gc.colspan])
            # Excel's unit is about one Latin character; a Chinese character takes two.
            need = math.ceil(2 * len(gc.text) / max(width - 1, 1))
            lines[gc.row] = max(lines[gc.row], need)
    for r, n in lines.items():
        ws.row_dimensions[TOP + r].height = LINE_HEIGHT * n + 4
    if len(table.blocks) == 1:
        # Table 2's later captions are not headers of the whole sheet; tables 3 and 4 keep
        # their header in view and on every printed page.
        header_end = TOP + max(grid.header_rows)
        ws.freeze_panes = ws.cell(row=header_end + 1, column=grid.label_cols + 1)
        ws.print_title_rows = f"{TOP}:{header_end}"
    _print_setup(ws)


def _place(
    ws: Worksheet,
    fmt: Format,
    grid: Grid,
    gc: GridCell,
    values: Mapping[str, Number],
) -> None:
    row, col = TOP + gc.row, 1 + gc.col
    anchor = ws.cell(row=row, column=col)
    # One named style per kind of cell (font, border, alignment, number format at once): far
    # cheaper than four assignments, each of which openpyxl hashes into its style tables.
    if gc.role is Role.VALUE:
        cell = fmt.cells[gc.cell_id]
        anchor.value = excel_value(values.get(gc.cell_id))
        if cell.kind is Kind.AMOUNT:
            anchor.style = AMOUNT_STYLES.get(cell.unit, AMOUNT_STYLE)
        else:
            anchor.style = COUNT_STYLE
    else:
        if gc.text:
            anchor.value = gc.text
        leaf_label = gc.role is Role.LABEL and gc.col + gc.colspan == grid.label_cols
        anchor.style = LABEL_LEFT if leaf_label and grid.label_cols > 1 else LABEL_CENTER
    if gc.rowspan > 1 or gc.colspan > 1:
        # Every cell of a merged range carries the frame, which is how Excel and WPS draw a
        # merged cell's border. (openpyxl's ``merge_cells`` would compute the edges' borders
        # one by one: half the workbook's rendering time.)
        style = anchor.style
        last_row, last_col = row + gc.rowspan - 1, col + gc.colspan - 1
        for r in range(row, last_row + 1):
            for c in range(col, last_col + 1):
                if (r, c) != (row, col):
                    ws.cell(row=r, column=c).style = style
        corner = f"{get_column_letter(last_col)}{last_row}"
        ws.merged_cells.add(MergedCellRange(ws, f"{anchor.coordinate}:{corner}"))


def _add_styles(wb: Workbook) -> None:
    """The named cell styles of the table sheets."""
    font = Font(name=FONT_NAME, size=10)
    styles = [
        NamedStyle(LABEL_CENTER, font=font, border=BORDER, alignment=CENTER),
        NamedStyle(LABEL_LEFT, font=font, border=BORDER, alignment=LEFT),
        NamedStyle(COUNT_STYLE, font=font, border=BORDER, alignment=CENTER, number_format="0"),
        NamedStyle(
            AMOUNT_STYLE, font=font, border=BORDER, alignment=CENTER, number_format="0.00##"
        ),
    ]
    styles += [
        NamedStyle(
            name, font=font, border=BORDER, alignment=CENTER, number_format=NUMBER_FORMATS[unit]
        )
        for unit, name in AMOUNT_STYLES.items()
        if name != AMOUNT_STYLE
    ]
    for style in styles:
        wb.add_named_style(style)


def _print_setup(ws: Worksheet) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6


def rule_scope(fmt: Format, rule: Rule) -> str:
    """The column or row a rule is about, in the table's words: "自然人列", "「规章」行"."""
    if rule.kind in (RuleKind.BALANCE, RuleKind.COLUMN_TOTAL):
        return f"{column_name(fmt, rule.table, rule.scope)}列"
    if rule.table == "appeals":
        return "·".join(fmt.cells[rule.left[0]].col_path[:-1])
    return f"「{row_name(fmt, rule.table, rule.scope)}」行"


def rule_statuses(fmt: Format, cells: Mapping[str, Number]) -> list[tuple[Rule, str, str]]:
    """Each structural rule with its status (通过/错误/未完成) and, for an error, its wording."""
    stated = has_computed(fmt, cells)
    out = []
    for rule in structural_rules(fmt):
        violation = evaluate_rule(fmt, rule, cells, stated)
        if violation is not None:
            out.append((rule, W.STATUS_ERROR, describe_full(fmt, violation)))
            continue
        _, left_done, _ = side_terms(fmt, cells, rule.left, stated)
        _, right_done, _ = side_terms(fmt, cells, rule.right, stated)
        if left_done and right_done:
            out.append((rule, W.STATUS_PASS, ""))
        else:
            out.append((rule, W.STATUS_INCOMPLETE, W.INCOMPLETE_NOTE))
    return out


def _rules_sheet(ws: Worksheet, fmt: Format, cells: Mapping[str, Number]) -> None:
    header_font = Font(name=FONT_NAME, size=10, bold=True)
    font = Font(name=FONT_NAME, size=10)
    for col, (text, width) in enumerate(zip(W.RULES_HEADER, (6, 8, 44, 30, 9, 70), strict=True), 1):
        cell = ws.cell(row=1, column=col, value=text)
        cell.font, cell.alignment, cell.border = header_font, CENTER, BORDER
        ws.column_dimensions[get_column_letter(col)].width = width
    rows = [
        (fmt.table(rule.table).short, RULE_TITLES[rule.number], rule_scope(fmt, rule), st, note)
        for rule, st, note in rule_statuses(fmt, cells)
    ]
    # Rule 5 (each value) has no structural record; its errors are listed after the sums.
    for v in value_violations(fmt, cells):
        where = cell_place(fmt, v.scope)
        rows.append(
            (fmt.table(v.table).short, RULE_TITLES[5], where, W.STATUS_ERROR, describe_full(fmt, v))
        )
    for index, (table, title, scope, status, note) in enumerate(rows, start=1):
        line = (index, table, title, scope, status, clean_text(note))
        for col, value in enumerate(line, start=1):
            cell = ws.cell(row=index + 1, column=col, value=value)
            cell.font, cell.border = font, BORDER
            cell.alignment = LEFT if col in (3, 4, 6) else CENTER
        ws.cell(row=index + 1, column=5).fill = STATUS_FILLS[status]
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:F{len(rows) + 1}"
    ws.print_title_rows = "1:1"
    _print_setup(ws)
