"""Values the importers exchange: lines read from a document, and what was made of them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from ..rules import Number


class Kind(StrEnum):
    """What a file holds, judged from its bytes."""

    DOCX = "docx"
    XLSX = "xlsx"
    HTML = "html"
    TEXT = "text"


@dataclass(frozen=True)
class Line:
    """One line of a document: a paragraph (one cell) or a table row (its cells, left to right).

    Attributes:
        cells: The texts; a table row holds only the cells that start in it (a merged cell
            appears once, in its first row), blank cells included.
        grid: The row of a real table (.docx, HTML, .xlsx): its cells are exactly the row's.
            False for paragraphs and for text rows, whose cells may run on to the next line.
        open_start: The first cell may be the end of the previous line's last cell (plain text
            broken inside a cell).
        open_end: The last cell may go on in the next line's first cell.
        region: Lines of one table or one sheet share a region; a new region ends any row.
    """

    cells: tuple[str, ...]
    grid: bool = False
    open_start: bool = False
    open_end: bool = False
    region: int = 0

    @property
    def paragraph(self) -> bool:
        return len(self.cells) == 1 and not self.grid and not (self.open_start or self.open_end)

    @property
    def text(self) -> str:
        return " ".join(self.cells)


class Status(StrEnum):
    """What a value cell held."""

    VALUE = "value"
    BLANK = "blank"
    SLASH = "slash"  # "/" and its look-alikes: not applicable
    UNREADABLE = "unreadable"  # text that is not a number
    MISSING = "missing"  # the row or table was not found at all


@dataclass(frozen=True)
class CellSource:
    """Where one cell's value came from.

    Attributes:
        status: What the cell held.
        text: The cell's text as printed (stripped).
        value: The number read, for ``Status.VALUE``.
        converted_from: The unit the cell was written in when it was converted ("元" → 万元).
    """

    status: Status
    text: str = ""
    value: Number | None = None
    converted_from: str = ""


@dataclass(frozen=True)
class Finding:
    """Something the reader noticed: a problem, a gap or an unrecognised label.

    ``code`` is one of ``core.wording.importing.MESSAGES``; ``fatal`` findings mean nothing could
    be read. ``where`` is a table id, a section key or a cell id; ``text`` quotes the document.
    """

    code: str
    where: str = ""
    text: str = ""
    fatal: bool = False


@dataclass(frozen=True)
class Imported:
    """A published report as read.

    Attributes:
        kind: What the file held (None when it could not be read at all).
        format: The format the tables follow ("gov-2019"/"gov-2021"), None without tables.
        agency: The agency's name, "" when the document does not say.
        year: The year reported on, None when the document does not say.
        cells: Every value read, totals included, by cell id.
        sources: Every cell of the format with what the document held there.
        texts: The narrative sections by answers-file key (overview, problems, other).
        tables_found: Ids of the tables found, in printed order.
        sections_found: Keys of the six sections whose headings were found, in order.
        findings: Problems, gaps and unrecognised rows and columns, in document order.
    """

    kind: Kind | None
    format: str | None = None
    agency: str = ""
    year: int | None = None
    cells: Mapping[str, Number] = field(default_factory=dict)
    sources: Mapping[str, CellSource] = field(default_factory=dict)
    texts: Mapping[str, str] = field(default_factory=dict)
    tables_found: tuple[str, ...] = ()
    sections_found: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()

    @property
    def readable(self) -> bool:
        return not any(f.fatal for f in self.findings)

    def cells_with(self, status: Status) -> list[str]:
        """Ids of the cells in ``status``, in printed order."""
        return [cid for cid, src in self.sources.items() if src.status is status]
