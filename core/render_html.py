"""The whole report as an HTML page, tables cell for cell from ``core.layout.table_grid``.

Merged cells are ``rowspan``/``colspan``, as government sites publish the tables; text is
escaped. Meant for publishing on a website and as a reference rendering the importer reads back.
"""

from __future__ import annotations

from datetime import date
from html import escape

from .answers import Answers
from .formats.model import Format, Table
from .layout import Role, table_grid
from .paragraphs import BODY
from .report import agency, cell_text, cell_values, opening, section_paras, title
from .rules import Number
from .wording import report as W

_STYLE = (
    "body{font-family:'FangSong','仿宋',serif;max-width:48em;margin:2em auto;line-height:1.8}"
    "h1{text-align:center;font-size:1.6em}p{text-indent:2em;margin:0}"
    "table{border-collapse:collapse;margin:1em auto;font-size:.9em}"
    "td,th{border:1px solid #000;padding:2px 4px;text-align:center}"
    ".sign{text-align:right;text-indent:0}"
)


def table_html(fmt: Format, table: Table, values: dict[str, Number]) -> str:
    """One table as ``<table>`` with every merge."""
    grid = table_grid(table)
    rows: list[list[str]] = [[] for _ in range(grid.n_rows)]
    for cell in sorted(grid.cells, key=lambda c: (c.row, c.col)):
        text = cell.text
        if cell.role is Role.VALUE:
            text = cell_text(fmt.cells[cell.cell_id], values)
        spans = ""
        if cell.rowspan > 1:
            spans += f' rowspan="{cell.rowspan}"'
        if cell.colspan > 1:
            spans += f' colspan="{cell.colspan}"'
        tag = "th" if cell.role in (Role.CAPTION, Role.CORNER, Role.HEADER) else "td"
        rows[cell.row].append(f"<{tag}{spans}>{escape(text)}</{tag}>")
    body = "\n".join(f"<tr>{''.join(r)}</tr>" for r in rows)
    return f'<table border="1">\n{body}\n</table>'


def render_html(answers: Answers, *, report_date: date, draft: bool = False) -> str:
    """The report as a complete HTML page."""
    fmt = answers.fmt
    values = cell_values(answers)
    head = escape(title(answers, draft))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{head}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{head}</h1>",
        f"<p>{escape(opening(answers))}</p>",
    ]
    for section in fmt.sections:
        parts.append(f"<h2>{escape(section.title)}</h2>")
        if section.table:
            parts.append(table_html(fmt, fmt.table(section.table), values))
            continue
        for para in section_paras(answers, section, draft):
            tag = "p" if para.level == BODY else "h3"
            parts.append(f"<{tag}>{escape(para.text)}</{tag}>")
    when = f"{report_date.year}年{report_date.month}月{report_date.day}日"
    name = escape(agency(answers) or W.BLANK_AGENCY)
    parts.append(f'<p class="sign">{name}</p><p class="sign">{when}</p>')
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
