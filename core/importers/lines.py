"""From what a reader found to ``Line`` values: tables with merges, paragraphs, flattened text.

Readers of .docx and HTML build ``RawTable`` values (rows of cells, each holding paragraphs and
nested tables). A table that holds tables, or a single cell, is page layout rather than data:
its content is read as if it stood outside. Paragraphs that hold ``|`` or tab separators are
tables flattened to text, as web pages are copied, and become rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import count

from .model import Line

SEPARATORS = ("|", "｜", "\t", "¦")
MAX_LINE = 20_000  # characters: longer lines are cut, no label is that long


@dataclass
class RawCell:
    """One cell: its paragraphs and nested tables in order; ``covered`` when a merge continues."""

    parts: list[str | RawTable] = field(default_factory=list)
    covered: bool = False

    def text(self) -> str:
        return "\n".join(p for p in self.parts if isinstance(p, str)).strip()


@dataclass
class RawTable:
    rows: list[list[RawCell]] = field(default_factory=list)

    def is_layout(self) -> bool:
        """A frame around content: it nests tables, or it is one cell."""
        cells = [c for row in self.rows for c in row if not c.covered]
        if len(cells) <= 1:
            return True
        return any(isinstance(p, RawTable) for c in cells for p in c.parts)


def emit(parts: Iterable[str | RawTable], regions: Iterator[int] | None = None) -> list[Line]:
    """The lines of a document body, in reading order."""
    regions = regions if regions is not None else count(1)
    out: list[Line] = []
    texts: list[str] = []

    def flush() -> None:
        if texts:
            out.extend(text_lines("\n".join(texts).split("\n"), regions))
            texts.clear()

    for part in parts:
        if isinstance(part, str):
            texts.append(part)
            continue
        flush()
        if part.is_layout():
            for row in part.rows:
                for cell in row:
                    if not cell.covered:
                        out.extend(emit(cell.parts, regions))
            continue
        region = next(regions)
        for row in part.rows:
            cells = tuple(c.text()[:MAX_LINE] for c in row if not c.covered)
            if cells:
                out.append(Line(cells, grid=True, region=region))
    flush()
    return out


def _separated(line: str) -> bool:
    return any(s in line for s in SEPARATORS)


def text_lines(raw: Iterable[str], regions: Iterator[int] | None = None) -> list[Line]:
    """Lines of plain text: paragraphs, and tables flattened with ``|`` or tabs.

    A ``|`` line ends with ``|`` when its last cell is complete; a line that starts with ``|``
    starts with a blank cell (example 001 splits a row as "… | 0 |" and "| 1 | ||"), unless the
    whole table writes an opening ``|`` on every line (Markdown). Without those marks a line
    break may fall inside a cell, which ``open_start``/``open_end`` record.
    """
    regions = regions if regions is not None else count(1)
    lines = [line[:MAX_LINE].strip(" \r\u3000\ufeff") for line in raw]
    out: list[Line] = []
    i = 0
    while i < len(lines):
        if not _separated(lines[i]):
            if lines[i]:
                out.append(Line((lines[i],)))
            i += 1
            continue
        j = i
        while j < len(lines) and _separated(lines[j]):
            j += 1
        out.extend(_table(lines[i:j], next(regions)))
        i = j
    return out


def _table(rows: list[str], region: int) -> list[Line]:
    rows = [_unify(r) for r in rows]
    markdown = sum(r.startswith("|") for r in rows) * 2 > len(rows) and len(rows) > 1
    out = []
    for row in rows:
        if set(row) <= set("|-: "):
            continue  # a Markdown rule line, or padding alone
        tabbed = "\t" in row and "|" not in row
        parts = row.split("\t" if tabbed else "|")
        starts, ends = row.startswith("|"), row.endswith("|")
        if ends and not tabbed:
            parts = parts[:-1]
        if starts and markdown:
            parts = parts[1:]
        cells = tuple(p.strip(" \u3000\u00a0") for p in parts)
        if not cells:
            continue
        out.append(
            Line(
                cells,
                open_start=not starts and not tabbed,
                open_end=not ends and not tabbed,
                region=region,
            )
        )
    return out


def _unify(row: str) -> str:
    return row.replace("｜", "|").replace("¦", "|")
