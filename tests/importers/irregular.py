"""Hand-made irregular layouts of real reports' tables, built from answers so the truth is known.

Each builder takes answers and returns (filename, bytes) of a document laid out the way published
reports are: one cell per line, rows split over lines, padding cells, half-width punctuation and
traditional characters, Markdown and tab-separated tables; HTML with &nbsp;, <br>, nested <p>,
styles, hidden junk, a layout table, GB2312; .docx with merged cells, numbers split over runs,
labels over several paragraphs and a layout table; an .xlsx with all tables on one sheet.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from html import escape

import docx
from docx.oxml.ns import qn
from openpyxl import Workbook

from core.answers import Answers
from core.layout import Role, table_grid
from core.render_text import table_rows
from core.report import cell_text, cell_values, opening, section_paras, title
from core.wording.report import sheet_subtitle

Rows = list[list[str]]
TRADITIONAL = str.maketrans(
    "规开计总处请复议诉讼数类项费务转结关机", "規開計總處請復議訴訟數類項費務轉結關機"
)
HALF = str.maketrans({"（": "(", "）": ")", "：": ":", "，": ",", "“": '"', "”": '"', "、": "、"})


def _tables(answers: Answers) -> list[tuple[str, Rows]]:
    fmt = answers.fmt
    values = cell_values(answers)
    return [
        (s.title, table_rows(fmt, fmt.table(s.table), values)) if s.table else (s.title, [])
        for s in fmt.sections
    ]


def _document(
    answers: Answers, table_lines: Callable[[Rows], list[str]], label: Callable[[str], str] = str
) -> bytes:
    lines = [title(answers, False), opening(answers)]
    for section, (heading, rows) in zip(answers.fmt.sections, _tables(answers), strict=True):
        lines.append(label(heading))
        if rows:
            labelled = [[label(c) if not _is_value(c) else c for c in row] for row in rows]
            lines.extend(table_lines(labelled))
        else:
            lines.extend(p.text for p in section_paras(answers, section))
    lines += ["", answers.agency, "2026年1月20日"]
    return "\n".join(lines).encode()


def _is_value(text: str) -> bool:
    return not text or text.lstrip("-").replace(".", "").rstrip("元").isdigit()


def one_cell_per_line(answers: Answers) -> tuple[str, bytes]:
    """Every cell on a line of its own; long header words broken over two lines."""

    def lines(rows: Rows) -> list[str]:
        out = []
        for row in rows:
            for cell in row:
                if cell == "本年制发件数" or cell == "本年新制作数量":
                    out.extend([cell[:4], cell[4:]])
                elif cell:
                    out.append(cell)
        return out

    return "one-cell.txt", _document(answers, lines)


def split_rows(answers: Answers) -> tuple[str, bytes]:
    """Rows broken after their third cell, the rest on the next line (as example 001)."""

    def lines(rows: Rows) -> list[str]:
        out = []
        for row in rows:
            if len(row) > 4:
                # The first part ends with "|", the rest starts without: no blank cell between.
                out += [" | ".join(row[:3]) + " |", " | ".join(row[3:]) + " |"]
            else:
                out.append(" | ".join(row) + " |")
        return out

    return "split.txt", _document(answers, lines)


def padded_half_width_traditional(answers: Answers) -> tuple[str, bytes]:
    """Padding "| | |" after each row, half-width punctuation, traditional characters."""

    def lines(rows: Rows) -> list[str]:
        return [" | ".join(row) + " | ||" for row in rows]

    def label(text: str) -> str:
        return text.translate(HALF).translate(TRADITIONAL)

    return "padded.txt", _document(answers, lines, label)


def markdown(answers: Answers) -> tuple[str, bytes]:
    def lines(rows: Rows) -> list[str]:
        out = []
        for i, row in enumerate(rows):
            out.append("| " + " | ".join(row) + " |")
            if i == 0:
                out.append("|" + "---|" * len(row))
        return out

    return "markdown.txt", _document(answers, lines)


def tabbed(answers: Answers) -> tuple[str, bytes]:
    """Tables copied from a browser: cells separated by tabs, with spaces inside header words."""

    def lines(rows: Rows) -> list[str]:
        return ["\t".join(c.replace("本年新制作", "本年新 制作") for c in row) for row in rows]

    return "tabbed.txt", _document(answers, lines)


# --- HTML -------------------------------------------------------------------------------------


def _html_table(answers: Answers, table_id: str, cell: Callable[[str, bool], str]) -> str:
    fmt = answers.fmt
    grid = table_grid(fmt.table(table_id))
    values = cell_values(answers)
    rows: list[list[str]] = [[] for _ in range(grid.n_rows)]
    for gc in sorted(grid.cells, key=lambda c: (c.row, c.col)):
        is_value = gc.role is Role.VALUE
        text = cell_text(fmt.cells[gc.cell_id], values) if is_value else gc.text
        spans = (f' rowspan="{gc.rowspan}"' if gc.rowspan > 1 else "") + (
            f' colspan="{gc.colspan}"' if gc.colspan > 1 else ""
        )
        rows[gc.row].append(f'<td{spans} style="border:1px solid">{cell(text, is_value)}</td>')
    return "<table>" + "".join(f"<tr>\n{''.join(r)}</tr>" for r in rows) + "</table>"


def _html(
    answers: Answers, cell: Callable[[str, bool], str], wrap: bool = False, junk: str = ""
) -> str:
    parts = [f"<h1>{escape(title(answers, False))}</h1>", f"<p>{escape(opening(answers))}</p>"]
    for section in answers.fmt.sections:
        parts.append(f'<p style="font-weight:bold"><span>{escape(section.title)}</span></p>')
        if section.table:
            parts.append(_html_table(answers, section.table, cell))
        else:
            parts += [f"<p>{junk}{escape(p.text)}</p>" for p in section_paras(answers, section)]
    parts += [f"<p>{escape(answers.agency)}</p>", "<p>2026年1月20日</p>"]
    body = "\n".join(parts)
    if wrap:
        body = f'<table width="100%"><tr><td><div>{body}</div></td></tr></table>'
    return (
        '<html><head><meta charset="utf-8"><style>td{padding:0}</style>'
        f"<script>var x='<table>';</script></head><body>{body}</body></html>"
    )


def _fancy(text: str, is_value: bool) -> str:
    if not text:
        return "&nbsp;"
    if is_value:  # a number in fragments, as editors leave it
        return "".join(f"<span>{escape(ch)}</span>" for ch in text)
    if len(text) > 4 and not text.startswith("（本列"):
        cut = len(text) // 2
        return f"<p>{escape(text[:cut])}<br>{escape(text[cut:])}</p>"
    return f'<p><span style="font-family:宋体">{escape(text)}</span></p>'


def html_fancy(answers: Answers) -> tuple[str, bytes]:
    """&nbsp;, <br> inside labels, nested <p>, styles, numbers in fragments."""
    return "fancy.html", _html(answers, _fancy).encode()


def html_layout_hidden_gb2312(answers: Answers) -> tuple[str, bytes]:
    """The report inside a layout table, hidden junk in the text, encoded in GB2312 (GB18030)."""
    junk = '<span style="display:none">188比分直播</span>'
    page = _html(answers, _fancy, wrap=True, junk=junk).replace(
        'charset="utf-8"', 'charset="gb2312"'
    )
    return "layout.htm", page.encode("gb18030")


# --- .docx and .xlsx ----------------------------------------------------------------------------


def _runs(paragraph: object, text: str) -> None:
    # A number typed in pieces: one run per character.
    for ch in text:
        paragraph.add_run(ch)  # type: ignore[attr-defined]


def docx_merged(answers: Answers, layout: bool = False) -> tuple[str, bytes]:
    """A Word file built with python-docx's own merges, split runs and two-paragraph labels."""
    fmt = answers.fmt
    values = cell_values(answers)
    document = docx.Document()
    document.add_paragraph(title(answers, False))
    document.add_paragraph(opening(answers))
    host = document
    if layout:
        outer = document.add_table(rows=1, cols=1)
        host = outer.cell(0, 0)  # type: ignore[assignment]
    for section in fmt.sections:
        host.add_paragraph(section.title)
        if not section.table:
            for p in section_paras(answers, section):
                host.add_paragraph(p.text)
            continue
        grid = table_grid(fmt.table(section.table))
        table = host.add_table(rows=grid.n_rows, cols=grid.n_cols)
        for gc in grid.cells:
            first = table.cell(gc.row, gc.col)
            target = first
            if gc.rowspan > 1 or gc.colspan > 1:
                target = first.merge(table.cell(gc.row + gc.rowspan - 1, gc.col + gc.colspan - 1))
            paragraph = target.paragraphs[0]
            if gc.role is Role.VALUE:
                _runs(paragraph, cell_text(fmt.cells[gc.cell_id], values))
            elif len(gc.text) > 5 and not gc.text.startswith("（本列"):
                paragraph.add_run(gc.text[:3])
                target.add_paragraph(gc.text[3:])
            else:
                paragraph.add_run(gc.text)
    host.add_paragraph(answers.agency)
    host.add_paragraph("2026年1月20日")
    out = io.BytesIO()
    document.save(out)
    return ("layout.docx" if layout else "merged.docx"), out.getvalue()


def docx_layout(answers: Answers) -> tuple[str, bytes]:
    return docx_merged(answers, layout=True)


def has_vmerge(data: bytes) -> bool:
    body = docx.Document(io.BytesIO(data)).element.body
    return any(True for _ in body.iter(qn("w:vMerge"))) and any(
        True for _ in body.iter(qn("w:gridSpan"))
    )


def xlsx_one_sheet(answers: Answers) -> tuple[str, bytes]:
    """All three tables on one sheet, a blank row between them, counts typed as text."""
    fmt = answers.fmt
    values = cell_values(answers)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.cell(row=1, column=1, value=sheet_subtitle(answers.agency, answers.year))
    top = 2
    for table in fmt.tables:
        grid = table_grid(table)
        sheet.cell(row=top, column=1, value=table.title)
        top += 1
        for gc in grid.cells:
            r, c = top + gc.row, 1 + gc.col
            if gc.rowspan > 1 or gc.colspan > 1:
                sheet.merge_cells(
                    start_row=r,
                    start_column=c,
                    end_row=r + gc.rowspan - 1,
                    end_column=c + gc.colspan - 1,
                )
            if gc.role is Role.VALUE:
                sheet.cell(row=r, column=c, value=cell_text(fmt.cells[gc.cell_id], values))
            elif gc.text:
                sheet.cell(row=r, column=c, value=gc.text)
        top += grid.n_rows + 1
    out = io.BytesIO()
    book.save(out)
    return "one-sheet.xlsx", out.getvalue()


BUILDERS: dict[str, Callable[[Answers], tuple[str, bytes]]] = {
    "text-one-cell-per-line": one_cell_per_line,
    "text-split-rows": split_rows,
    "text-padded-half-width-traditional": padded_half_width_traditional,
    "text-markdown": markdown,
    "text-tabs": tabbed,
    "html-fancy": html_fancy,
    "html-layout-hidden-gb2312": html_layout_hidden_gb2312,
    "docx-merged-runs-paragraphs": docx_merged,
    "docx-layout-table": docx_layout,
    "xlsx-one-sheet": xlsx_one_sheet,
}
