"""Reading the .xlsx this product exports (and workbooks laid out like it).

Each sheet is one table: merged ranges hold their value in the top-left cell only, so a cell
inside a merge but not at its top-left is not a cell of its own, exactly as in a .docx. Numbers
come as numbers; a float is read through its shortest repr, so 12.35 stays 12.35. The sheet of
rule statuses (勾稽检查) is not a table of the report and is skipped.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from itertools import count
from typing import Any

from openpyxl import load_workbook

from ..wording.report import SHEET_RULES
from .lines import MAX_LINE
from .model import Finding, Line

MAX_CELLS = 200_000  # per sheet: a report's tables have a few hundred
# Bytes of one sheet's XML. This product's largest sheet is about 25 KB. openpyxl loads a whole
# sheet (about 0.3 s of CPU per MB) before MAX_CELLS can be looked at: a 20 MB upload could
# hold 150 MB of sheet XML, most of a minute of the bot's time.
MAX_SHEET_XML = 2 * 1024 * 1024


class XlsxError(ValueError):
    """The workbook cannot be read; ``finding`` says why."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.code)
        self.finding = finding


def read_xlsx(data: bytes) -> list[Line]:
    """Every sheet's rows as lines, one region per sheet; raises ``XlsxError`` when damaged."""
    if _huge_sheet(data):
        raise XlsxError(Finding("huge_sheet", fatal=True))
    try:
        book = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl, its XML parser and zlib raise many kinds on bad files
        raise XlsxError(Finding("damaged_xlsx", text=type(exc).__name__, fatal=True)) from None
    out: list[Line] = []
    regions = count(1)
    for sheet in book.worksheets:
        if sheet.title == SHEET_RULES:
            continue
        if (sheet.max_row or 0) * (sheet.max_column or 0) > MAX_CELLS:
            continue
        covered: set[tuple[int, int]] = set()
        for merged in sheet.merged_cells.ranges:
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    if (r, c) != (merged.min_row, merged.min_col):
                        covered.add((r, c))
        region = next(regions)
        for r, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = tuple(
                _text(v)[:MAX_LINE] for c, v in enumerate(row, start=1) if (r, c) not in covered
            )
            while cells and not cells[-1]:
                cells = cells[:-1]
            if cells:
                out.append(Line(cells, grid=True, region=region))
    return out


def _huge_sheet(data: bytes) -> bool:
    """Whether a worksheet's declared size is far beyond any report's (sniff checked the zip)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False  # load_workbook says how it is damaged
    return any(
        i.filename.startswith("xl/worksheets/") and i.file_size > MAX_SHEET_XML for i in infos
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        d = Decimal(repr(value))
        return format(d.normalize(), "f") if d != d.to_integral_value() else str(int(d))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()
