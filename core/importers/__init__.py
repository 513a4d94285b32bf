"""Reading published reports: .docx, web pages (HTML or copied text) and this product's .xlsx.

``read_document(data, filename)`` takes the file's bytes and returns an ``Imported`` value: the
format detected from the tables themselves, the agency and year, every cell with what the
document held there, the narrative sections by answers-file key, and findings (problems, gaps,
unrecognised rows and columns). It never raises, whatever the bytes; a file that cannot be read
at all has a fatal finding. Pure: no I/O.

    sniff ──► docx_reader / html_reader / xlsx_reader / lines.text_lines ──► [Line]
          ──► sections.split (headings, texts, agency, year)
          ──► tables.detect + tables.recognise (cells) ──► Imported
"""

from __future__ import annotations

from ..formats import FORMATS, format_for_year
from .docx_reader import DocxError, read_docx
from .html_reader import read_html
from .lines import text_lines
from .model import CellSource, Finding, Imported, Kind, Line, Status
from .sections import NARRATIVE, SECTIONS, split
from .sniff import MAX_BYTES, sniff
from .tables import MAX_TOKENS, detect, recognise, tokens
from .xlsx_reader import XlsxError, read_xlsx

__all__ = [
    "MAX_BYTES",
    "CellSource",
    "Finding",
    "Imported",
    "Kind",
    "Status",
    "read_document",
    "read_lines",
]


def read_document(data: bytes, filename: str = "") -> Imported:
    """Read a report from a file's bytes; ``filename`` only serves to notice a wrong extension."""
    try:
        return _read(data, filename)
    except RecursionError:
        return Imported(None, findings=(Finding("unreadable", fatal=True),))


def _read(data: bytes, filename: str) -> Imported:
    found = sniff(data, filename)
    notes = list(found.findings)
    if found.kind is None:
        return Imported(None, findings=tuple(notes))
    try:
        if found.kind is Kind.DOCX:
            lines = read_docx(data)
        elif found.kind is Kind.XLSX:
            lines = read_xlsx(data)
        elif found.kind is Kind.HTML:
            lines = read_html(found.text)
        else:
            lines = text_lines(found.text.splitlines())
    except (DocxError, XlsxError) as exc:
        return Imported(found.kind, findings=(*notes, exc.finding))
    return read_lines(lines, found.kind, notes)


def read_lines(lines: list[Line], kind: Kind, notes: list[Finding] | None = None) -> Imported:
    """Make an ``Imported`` of a document's lines."""
    findings = list(notes or [])
    layout = split(lines)
    toks = tokens(lines, layout)
    if len(toks) >= MAX_TOKENS:
        findings.append(Finding("too_many_cells", text=str(MAX_TOKENS)))
    format_id = detect(toks)
    if format_id is None and layout.year is not None and 2019 <= layout.year <= 2100:
        format_id = format_for_year(layout.year).id
        findings.append(Finding("format_from_year", format_id, str(layout.year)))
    sources: dict[str, CellSource] = {}
    tables: list[str] = []
    if format_id is not None:
        fmt = FORMATS[format_id]
        result = recognise(fmt, toks)
        if result.tables:
            sources = {
                cid: result.sources.get(cid, CellSource(Status.MISSING)) for cid in fmt.cells
            }
            tables = result.tables
            findings.extend(result.findings)
            for table in fmt.tables:
                if table.id not in tables:
                    findings.append(Finding("table_missing", table.id))
    if not tables:
        format_id = None
        findings.append(Finding("no_tables"))
    if kind is not Kind.XLSX:
        for section in SECTIONS:
            if section not in layout.found and (section in NARRATIVE or tables):
                findings.append(Finding("section_missing", section))
    if layout.year is None:
        findings.append(Finding("year_unknown"))
    values = {cid: src.value for cid, src in sources.items() if src.value is not None}
    return Imported(
        kind=kind,
        format=format_id,
        agency=layout.agency,
        year=layout.year,
        cells=values,
        sources=sources,
        texts=dict(layout.texts),
        tables_found=tuple(tables),
        sections_found=tuple(layout.found),
        findings=tuple(findings),
    )
