"""Helpers for the rendering tests: the fixtures, and a reader of .docx tables as printed grids."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from core.answers import Answers, from_json

ANSWERS = Path(__file__).resolve().parent.parent / "fixtures" / "answers"
REPORT_DATE = date(2026, 1, 20)
# name → whether it must be rendered as a draft (002 leaves most cells blank).
FIXTURES = {
    "full-2021": False,
    "example-000-2019": False,
    "example-001-2020": False,
    "example-002-2020": True,
}


def load(name: str) -> Answers:
    """An answers fixture by name."""
    return from_json((ANSWERS / f"{name}.json").read_bytes())


@dataclass(frozen=True)
class DocxCell:
    """One ``w:tc`` as the reader found it at its starting grid position."""

    text: str
    colspan: int
    vmerge: str  # "" (none), "restart" or "continue"


def read_tables(data: bytes) -> list[dict[tuple[int, int], DocxCell]]:
    """Every table of a .docx as {(row, grid column): cell}, from the XML itself."""
    document = docx.Document(io.BytesIO(data))
    out = []
    for table in document.tables:
        grid: dict[tuple[int, int], DocxCell] = {}
        for r, tr in enumerate(table._tbl.findall(qn("w:tr"))):
            col = 0
            for tc in tr.findall(qn("w:tc")):
                cell = _cell(tc)
                grid[(r, col)] = cell
                col += cell.colspan
        out.append(grid)
    return out


def _cell(tc: BaseOxmlElement) -> DocxCell:
    props = tc.find(qn("w:tcPr"))
    span, vmerge = 1, ""
    if props is not None:
        grid_span = props.find(qn("w:gridSpan"))
        if grid_span is not None:
            span = int(grid_span.get(qn("w:val")))
        merge = props.find(qn("w:vMerge"))
        if merge is not None:
            vmerge = merge.get(qn("w:val")) or "continue"
    text = "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p")))
    return DocxCell(text, span, vmerge)


def xml_parts(data: bytes) -> dict[str, bytes]:
    """The .docx's XML parts by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist() if n.endswith(".xml")}
