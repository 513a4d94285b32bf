"""Reading a .docx: paragraphs and tables in body order, from the document's XML.

python-docx opens the package; the body is then walked directly, because merged cells are only
visible in the XML: ``w:gridSpan`` (a cell wider than one grid column), ``w:vMerge`` (restart /
continue: one cell over several rows) and the older ``w:hMerge``. Text is taken from every
``w:t`` in order, so a number split over several runs ("1", "38", "6") reads whole, and content
controls (``w:sdt``), tracked insertions and hyperlinks are read like plain runs.
"""

from __future__ import annotations

import io

import docx
from docx.oxml.ns import qn
from lxml import etree

from .lines import RawCell, RawTable, emit
from .model import Finding, Line

_P, _TBL, _SDT, _SDT_CONTENT = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")
_TR, _TC, _TC_PR = qn("w:tr"), qn("w:tc"), qn("w:tcPr")
_V_MERGE, _H_MERGE, _VAL = qn("w:vMerge"), qn("w:hMerge"), qn("w:val")
_T, _BR, _CR, _TAB = qn("w:t"), qn("w:br"), qn("w:cr"), qn("w:tab")
_TEXT_TAGS = (_T, _BR, _CR, _TAB)
MAX_DEPTH = 20  # nested tables deeper than this are not read (hostile files)


class DocxError(ValueError):
    """The .docx cannot be read; ``finding`` says why."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.code)
        self.finding = finding


def read_docx(data: bytes) -> list[Line]:
    """The document's lines; raises ``DocxError`` for a damaged file."""
    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
    except Exception as exc:  # python-docx, lxml and zlib raise many kinds on bad files
        raise DocxError(Finding("damaged_docx", text=type(exc).__name__, fatal=True)) from None
    return emit(_parts(body, 0))


def _parts(container: etree._Element, depth: int) -> list[str | RawTable]:
    out: list[str | RawTable] = []
    for child in container:
        tag = child.tag
        if tag == _P:
            out.append(paragraph_text(child))
        elif tag == _TBL:
            if depth < MAX_DEPTH:
                out.append(_table(child, depth + 1))
        elif tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                out.extend(_parts(content, depth))
    return out


def paragraph_text(p: etree._Element) -> str:
    """A paragraph's text: runs joined, line breaks as newlines, tabs as spaces."""
    pieces: list[str] = []
    for node in p.iter(*_TEXT_TAGS):
        tag = node.tag
        if tag == _T:
            pieces.append(node.text or "")
        elif tag == _TAB:
            pieces.append(" ")
        else:
            pieces.append("\n")
    return "".join(pieces)


def _rows(tbl: etree._Element) -> list[etree._Element]:
    rows = []
    for child in tbl:
        if child.tag == _TR:
            rows.append(child)
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                rows.extend(r for r in content if r.tag == _TR)
    return rows


def _cells(tr: etree._Element) -> list[etree._Element]:
    cells = []
    for child in tr:
        if child.tag == _TC:
            cells.append(child)
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                cells.extend(c for c in content if c.tag == _TC)
    return cells


def _table(tbl: etree._Element, depth: int) -> RawTable:
    table = RawTable()
    for tr in _rows(tbl):
        row = []
        for tc in _cells(tr):
            props = tc.find(_TC_PR)
            covered = False
            if props is not None:
                v = props.find(_V_MERGE)
                h = props.find(_H_MERGE)
                # A vMerge without val="restart" continues the cell above.
                covered = (v is not None and v.get(_VAL) != "restart") or (
                    h is not None and h.get(_VAL) != "restart"
                )
            row.append(RawCell(_parts(tc, depth), covered=covered))
        table.rows.append(row)
    return table
