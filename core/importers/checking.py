"""Checking an imported report: every rule, blank and "/" cells, and what could not be read.

``check_document`` runs the same engine as for answers files (``core.check.evaluate``) on the
cells read, with the narrative sections for rule 8 and last year's cells for rules 6, 7 and 10.
"/" (not applicable) is legitimate where a whole row, block or table does not apply (a county
agency's 规章 row, a table-2 item it has no power over); a "/" among numbers is not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..check import Context, Violation, evaluate
from ..formats import FORMATS
from ..rules import Number, Severity
from .model import Imported, Status


@dataclass(frozen=True)
class SlashGroup:
    """ "/" cells that go together: a whole table, block or row, or a single cell."""

    cells: tuple[str, ...]
    scope: str  # "table", "block", "row" or "cell"
    legitimate: bool


@dataclass(frozen=True)
class DocumentCheck:
    """The outcome of checking one imported report."""

    imported: Imported
    violations: tuple[Violation, ...] = ()
    missing: tuple[str, ...] = ()  # input cells without a value, in printed order
    slashes: tuple[SlashGroup, ...] = ()

    @property
    def errors(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.severity is not Severity.ERROR)

    @property
    def valid(self) -> bool:
        return self.imported.format is not None and not self.errors and not self.missing


def check_document(
    imported: Imported,
    last_format: str = "",
    last_cells: Mapping[str, Number] | None = None,
) -> DocumentCheck:
    """Check the cells and narrative of ``imported`` (against last year's cells when given)."""
    if imported.format is None:
        return DocumentCheck(imported)
    fmt = FORMATS[imported.format]
    context = Context(
        last_format=last_format,
        last_cells=last_cells,
        texts={k: v for k, v in imported.texts.items() if v.strip()},
    )
    found = evaluate(fmt, imported.cells, context)
    missing = tuple(cid for cid in fmt.input_cells if cid not in imported.cells)
    return DocumentCheck(imported, tuple(found), missing, slash_groups(imported))


def slash_groups(imported: Imported) -> tuple[SlashGroup, ...]:
    """The "/" cells grouped by the largest whole table, block or row they fill."""
    if imported.format is None:
        return ()
    fmt = FORMATS[imported.format]
    slashed = set(imported.cells_with(Status.SLASH))
    if not slashed:
        return ()
    out: list[SlashGroup] = []
    for table in fmt.tables:
        cells = [c for c in fmt.cells.values() if c.table == table.id]
        if all(c.id in slashed for c in cells):
            out.append(SlashGroup(tuple(c.id for c in cells), "table", True))
            continue
        for b in range(len(table.blocks)):
            block = [c for c in cells if c.block == b]
            if len(table.blocks) > 1 and all(c.id in slashed for c in block):
                out.append(SlashGroup(tuple(c.id for c in block), "block", True))
                continue
            rows: dict[str, list[str]] = {}
            for c in block:
                rows.setdefault(c.row, []).append(c.id)
            for ids in rows.values():
                if all(cid in slashed for cid in ids):
                    out.append(SlashGroup(tuple(ids), "row", True))
                else:
                    out.extend(SlashGroup((cid,), "cell", False) for cid in ids if cid in slashed)
    return tuple(out)
