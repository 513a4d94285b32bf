"""The whole report as plain text, tables flattened the way web pages are copied.

Each printed row of a table becomes one line of the cells that start in it, separated by " | "
and closed by " |" (as in the published examples): a merged cell appears once, in its first row.
Unlike the chat preview this keeps every cell, so it can be published or read back.
"""

from __future__ import annotations

from datetime import date

from .answers import Answers
from .formats.model import Format, Table
from .layout import Role, table_grid
from .report import agency, cell_text, cell_values, opening, section_paras, title
from .rules import Number
from .wording import report as W


def table_rows(fmt: Format, table: Table, values: dict[str, Number]) -> list[list[str]]:
    """The cells starting in each printed row, left to right."""
    grid = table_grid(table)
    rows: list[list[str]] = [[] for _ in range(grid.n_rows)]
    for cell in sorted(grid.cells, key=lambda c: (c.row, c.col)):
        text = cell.text
        if cell.role is Role.VALUE:
            text = cell_text(fmt.cells[cell.cell_id], values)
        rows[cell.row].append(text)
    return rows


def render_text(answers: Answers, *, report_date: date, draft: bool = False) -> str:
    """The report as text: title, opening, the six sections, agency and date."""
    fmt = answers.fmt
    values = cell_values(answers)
    lines = [title(answers, draft), "", opening(answers)]
    for section in fmt.sections:
        lines.append(section.title)
        if section.table:
            for row in table_rows(fmt, fmt.table(section.table), values):
                lines.append(" | ".join(row) + " |")
            continue
        lines.extend(p.text for p in section_paras(answers, section, draft))
    when = f"{report_date.year}年{report_date.month}月{report_date.day}日"
    lines.extend(["", agency(answers) or W.BLANK_AGENCY, when])
    return "\n".join(lines) + "\n"
