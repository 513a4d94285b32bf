"""How cells, rows and columns are named in messages: in the words the printed table uses."""

from __future__ import annotations

from decimal import Decimal

from ..formats.model import Cell, Format
from ..rules import Number


def num(value: Number) -> str:
    """A number as people write it in these reports: no exponent, no trailing zeros."""
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return str(int(value))
        return format(value.normalize(), "f")
    return str(value)


def cell_name(cell: Cell) -> str:
    """ "本年新收·自然人", "行政复议·结果维持", "行政规范性文件·本年制发"."""
    if cell.table == "appeals":
        return "·".join(cell.col_path)
    return f"{cell.row_name}·{cell.col_name}"


def cell_place(fmt: Format, cell_id: str) -> str:
    """Where a cell is: "表三「一、本年新收政府信息公开申请数量」行「自然人」列"."""
    cell = fmt.cells[cell_id]
    table = fmt.table(cell.table)
    if cell.table == "appeals":
        return f"{table.short}「{'·'.join(cell.col_path)}」"
    return f"{table.short}「{cell.row_path[-1]}」行「{cell.col_path[-1]}」列"


def column_name(fmt: Format, table_id: str, col_key: str) -> str:
    for cell in fmt.cells.values():
        if cell.table == table_id and cell.col == col_key:
            return cell.col_name
    return col_key


def row_name(fmt: Format, table_id: str, row_key: str) -> str:
    for cell in fmt.cells.values():
        if cell.table == table_id and cell.row == row_key:
            return cell.row_name
    return row_key
