"""Tables 2, 3 and 4 as Word tables, cell for cell from ``core.layout.table_grid``.

The XML is written directly rather than through python-docx's ``merge``: every printed cell of the
grid becomes one ``w:tc`` with ``w:gridSpan`` for its width and ``w:vMerge`` (restart/continue)
for its height, so the merges are exactly the grid's and the column widths stay fixed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from docx.document import Document
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.text.paragraph import Paragraph

from .docx_style import WUHAO, XIAOWU, Font, add_run, element, mm_to_twips
from .formats.model import Format, Table
from .layout import Grid, GridCell, Role, table_grid
from .report import cell_text
from .rules import Number

TEXT_WIDTH = 156.0  # mm between the 28 and 26 mm side margins
# Label column widths (mm) by the number of label columns: table 2 has one, table 3 three (the
# vertical 三、本年度办理结果, the groups （三）…（六）, their numbered rows). The value columns
# share the rest equally. At 小五 (3.175 mm a character) table 3's 13.7 mm value columns hold
# four characters a line ("商业企业", "社会公益/组织"), its group column five ("（三）不予/公开"),
# its numbered rows ten; table 4's 10.4 mm columns hold two ("结果/维持"). Table 3 then fits one
# page.
LABEL_WIDTHS: Mapping[int, tuple[float, ...]] = {0: (), 1: (46.0,), 3: (8.0, 17.5, 34.5)}
TABLE_STYLE = "TableText"


@dataclass(frozen=True)
class TableLook:
    """Per-table typography.

    Attributes:
        font: The cells' font.
        line: Exact line spacing (pt): row heights then do not depend on the font's own metrics.
        margin: Cell margin left and right (mm).
        row_height: Minimum row height (mm).
    """

    font: Font
    line: float
    margin: float
    row_height: float


LOOKS: Mapping[int, TableLook] = {
    2: TableLook(Font("宋体", WUHAO), 14.0, 1.0, 7.5),
    3: TableLook(Font("宋体", XIAOWU), 11.0, 0.5, 5.0),
    4: TableLook(Font("宋体", XIAOWU), 11.0, 1.0, 7.0),
}


def table_look(table: Table) -> TableLook:
    """宋体 五号 for table 2; 小五 for tables 3 and 4, whose 10 and 15 columns must fit 156 mm."""
    return LOOKS.get(table.number, LOOKS[3])


def column_widths(grid: Grid) -> list[float]:
    """Widths in mm of the grid's columns, summing to the text width."""
    labels = LABEL_WIDTHS.get(grid.label_cols, (20.0,) * grid.label_cols)
    values = grid.n_cols - grid.label_cols
    each = (TEXT_WIDTH - sum(labels)) / values
    return [*labels, *([each] * values)]


def _cover(grid: Grid) -> dict[tuple[int, int], GridCell]:
    """The printed cell covering each (row, column) position."""
    out: dict[tuple[int, int], GridCell] = {}
    for cell in grid.cells:
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                out[(r, c)] = cell
    return out


def _align(grid: Grid, cell: GridCell) -> str:
    # Numbered row labels read as text, left-aligned; headers, group labels and values centre.
    if (
        cell.role is Role.LABEL
        and grid.label_cols > 1
        and cell.col + cell.colspan == grid.label_cols
    ):
        return "both"
    return "center"


def add_table(doc: Document, fmt: Format, table: Table, values: Mapping[str, Number]) -> None:
    """Append ``table`` to ``doc`` with every label, merge and value."""
    grid = table_grid(table)
    widths = [mm_to_twips(w) for w in column_widths(grid)]
    look = table_look(table)
    height = str(mm_to_twips(look.row_height))
    docx_table = doc.add_table(rows=0, cols=grid.n_cols)
    tbl = docx_table._tbl
    _table_properties(tbl, sum(widths), look.margin)
    for col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(width))
    cover = _cover(grid)
    # Only a single-block table repeats its header on a new page: table 2's later captions and
    # headers are not a header of the whole table.
    repeat = grid.header_rows if len(table.blocks) == 1 else frozenset()
    for r in range(grid.n_rows):
        row_props = element("w:trPr", element("w:cantSplit"))
        row_props.append(element("w:trHeight", val=height, hRule="atLeast"))
        if r in repeat:
            row_props.append(element("w:tblHeader"))
        tr = element("w:tr", row_props)
        tbl.append(tr)
        # Keep-with-next on every row but the last keeps a table on one page when it fits.
        keep = r < grid.n_rows - 1
        for c in range(grid.n_cols):
            cell = cover[(r, c)]
            if cell.col != c:
                continue
            span = sum(widths[c : c + cell.colspan])
            tc = _tc(span, cell, first=cell.row == r, keep=keep, line=look.line)
            tr.append(tc)
            if cell.row != r:
                continue
            text = cell.text
            if cell.role is Role.VALUE:
                text = cell_text(fmt.cells[cell.cell_id], values)
            if text:
                tc[-1][0].append(element("w:jc", val=_align(grid, cell)))
                add_run(Paragraph(tc[-1], docx_table), text, look.font)


def _tc(width: int, cell: GridCell, first: bool, keep: bool, line: float) -> BaseOxmlElement:
    props = element("w:tcPr", element("w:tcW", w=str(width), type="dxa"))
    if cell.colspan > 1:
        props.append(element("w:gridSpan", val=str(cell.colspan)))
    if cell.rowspan > 1:
        props.append(element("w:vMerge", val="restart") if first else element("w:vMerge"))
    props.append(element("w:vAlign", val="center"))
    paragraph_props = element("w:pPr", element("w:pStyle", val=TABLE_STYLE))
    if keep:
        paragraph_props.append(element("w:keepNext"))
    paragraph_props.append(element("w:spacing", line=str(round(line * 20)), lineRule="exact"))
    return element("w:tc", props, element("w:p", paragraph_props))


def _table_properties(tbl: BaseOxmlElement, width: int, margin_mm: float) -> None:
    props = tbl.tblPr
    for child in list(props):
        props.remove(child)
    margin = str(mm_to_twips(margin_mm))
    borders = element(
        "w:tblBorders",
        *(
            element(f"w:{side}", val="single", sz="4", space="0", color="000000")
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        ),
    )
    props.append(element("w:tblW", w=str(width), type="dxa"))
    props.append(element("w:jc", val="center"))
    props.append(borders)
    props.append(element("w:tblLayout", type="fixed"))
    props.append(
        element(
            "w:tblCellMar",
            element("w:top", w="0", type="dxa"),
            element("w:left", w=margin, type="dxa"),
            element("w:bottom", w="0", type="dxa"),
            element("w:right", w=margin, type="dxa"),
        )
    )
