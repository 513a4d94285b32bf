"""Check that a format is well formed: ids unique, rules sound, header spans adding up."""

from __future__ import annotations

from .formats.model import Format, Kind
from .layout import Role, table_grid
from .rules import structural_rules


def format_problems(fmt: Format) -> list[str]:
    """Every structural problem of ``fmt`` (empty when well formed). For tests and new formats."""
    problems: list[str] = []
    ids: list[str] = []
    for table in fmt.tables:
        for block in table.blocks:
            for row in block.row_leaves():
                for col in block.column_leaves():
                    ids.append(".".join(p for p in (table.id, row.key, col.key) if p))
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    problems.extend(f"duplicate cell id {i}" for i in dupes)
    if len(ids) != len(fmt.cells):
        problems.append(f"{len(ids)} cells laid out but {len(fmt.cells)} ids")
    for rule in structural_rules(fmt):
        for cid in (*rule.left, *rule.right):
            cell = fmt.cells.get(cid)
            if cell is None:
                problems.append(f"rule {rule.id} refers to unknown cell {cid}")
            elif cell.kind is Kind.SIGNED:
                problems.append(f"rule {rule.id} sums signed cell {cid}")
        if not rule.left or not rule.right:
            problems.append(f"rule {rule.id} has an empty side")
    for cell in fmt.cells.values():
        if cell.computed and not any(cell.id == r.left[0] for r in structural_rules(fmt)):
            problems.append(f"computed cell {cell.id} has no rule defining it")
    problems.extend(_grid_problems(fmt))
    keys = [t.key for s in fmt.sections for t in s.texts]
    problems.extend(
        f"duplicate text key {k}" for k in sorted({k for k in keys if keys.count(k) > 1})
    )
    tables = [s.table for s in fmt.sections if s.table]
    if sorted(tables) != sorted(t.id for t in fmt.tables):
        problems.append("sections and tables do not correspond")
    return problems


def _grid_problems(fmt: Format) -> list[str]:
    problems: list[str] = []
    for table in fmt.tables:
        grid = table_grid(table)
        seen: dict[tuple[int, int], str] = {}
        for cell in grid.cells:
            if cell.rowspan < 1 or cell.colspan < 1:
                problems.append(f"{table.id}: empty span at {cell.row},{cell.col}")
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(cell.col, cell.col + cell.colspan):
                    if (r, c) in seen:
                        problems.append(f"{table.id}: overlap at {r},{c}")
                    seen[(r, c)] = cell.text
        missing = [
            (r, c) for r in range(grid.n_rows) for c in range(grid.n_cols) if (r, c) not in seen
        ]
        if missing:
            problems.append(
                f"{table.id}: {len(missing)} grid positions uncovered, first {missing[0]}"
            )
        values = {c.cell_id for c in grid.cells if c.role is Role.VALUE}
        expected = {cid for cid, c in fmt.cells.items() if c.table == table.id}
        if values != expected:
            problems.append(f"{table.id}: grid values differ from cell ids")
    return problems
