"""The printed grid of a table: every header, label and value cell with its merges.

Renderers (.docx, .xlsx, text) and readers of published reports all work from this one grid, so
they agree with each other and with the format data.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .formats.model import Block, Node, Table


class Role(StrEnum):
    CAPTION = "caption"
    CORNER = "corner"
    HEADER = "header"
    LABEL = "label"
    VALUE = "value"
    PAD = "pad"  # unused space right of a narrow table-2 block


@dataclass(frozen=True)
class GridCell:
    """One printed cell; ``row``/``col`` are zero-based, spans are at least 1."""

    row: int
    col: int
    rowspan: int
    colspan: int
    role: Role
    text: str = ""
    cell_id: str = ""  # set on value cells


@dataclass(frozen=True)
class Grid:
    """A table's printed layout."""

    table: Table
    n_rows: int
    n_cols: int
    label_cols: int
    cells: tuple[GridCell, ...]
    header_rows: frozenset[int]  # rows that repeat as headers (captions and column headers)

    def value_cells(self) -> tuple[GridCell, ...]:
        return tuple(c for c in self.cells if c.role is Role.VALUE)


def table_grid(table: Table) -> Grid:
    """Lay out ``table`` as printed in the national format."""
    label_cols = max(b.label_depth() for b in table.blocks)
    value_cols = max(b.value_width() for b in table.blocks)
    width = label_cols + value_cols
    cells: list[GridCell] = []
    header_rows: set[int] = set()
    row = 0
    for block in table.blocks:
        if block.caption:
            cells.append(GridCell(row, 0, 1, width, Role.CAPTION, block.caption))
            header_rows.add(row)
            row += 1
        depth = block.header_depth()
        header_rows.update(range(row, row + depth))
        if label_cols:
            cells.append(GridCell(row, 0, depth, label_cols, Role.CORNER, block.corner))
        col = label_cols
        for node in block.columns:
            col = _place_header(cells, node, row, col, 0, depth)
        _pad(cells, row, depth, col, width)
        row += depth
        row = _place_rows(cells, table, block, row, label_cols, width)
    return Grid(table, row, width, label_cols, tuple(cells), frozenset(header_rows))


def _place_header(
    cells: list[GridCell], node: Node, row0: int, col: int, level: int, depth: int
) -> int:
    width = sum(leaf.span for leaf in node.leaves())
    rowspan = 1 if node.children else depth - level
    cells.append(GridCell(row0 + level, col, rowspan, width, Role.HEADER, node.label))
    inner = col
    for child in node.children:
        inner = _place_header(cells, child, row0, inner, level + 1, depth)
    return col + width


def _pad(cells: list[GridCell], row: int, rowspan: int, col: int, width: int) -> None:
    if col < width:
        cells.append(GridCell(row, col, rowspan, width - col, Role.PAD))


def _place_rows(
    cells: list[GridCell], table: Table, block: Block, row: int, label_cols: int, width: int
) -> int:
    leaf_columns = block.column_leaves()

    def place(node: Node, level: int, row: int) -> int:
        n_leaves = len(node.leaves())
        if label_cols and node.label:
            colspan = 1 if node.children else label_cols - level
            cells.append(GridCell(row, level, n_leaves, colspan, Role.LABEL, node.label))
        if node.children:
            r = row
            for child in node.children:
                r = place(child, level + 1, r)
            return r
        col = label_cols
        for leaf in leaf_columns:
            cid = ".".join(p for p in (table.id, node.key, leaf.key) if p)
            cells.append(GridCell(row, col, 1, leaf.span, Role.VALUE, cell_id=cid))
            col += leaf.span
        _pad(cells, row, 1, col, width)
        return row + 1

    for node in block.rows:
        row = place(node, 0, row)
    return row
