"""What follows from the answers so far: implied zeros, proposed values, what is settled."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from ..answers import Answers
from ..formats.model import Format
from ..rules import Number, Rule, RuleKind, flat_definitions, structural_rules
from .plan import Plan, QKind, Question


@cache
def _balances(fmt: Format) -> tuple[tuple[Rule, tuple[str, ...]], ...]:
    """Balance rules over input cells only, with their right sides flattened to input cells."""
    flat = flat_definitions(fmt)
    out = []
    for rule in structural_rules(fmt):
        if rule.kind is not RuleKind.BALANCE or any(fmt.cells[c].computed for c in rule.left):
            continue
        right = tuple(leaf for c in rule.right for leaf in flat.get(c, (c,)))
        out.append((rule, right))
    return tuple(out)


def implied_zeros(fmt: Format, cells: Mapping[str, Number]) -> dict[str, Number]:
    """Cells that can only be 0: a balance's left side is entered and its right side already adds up.

    This is how "no applications → the whole results block is zero" and "ask only the applicant
    columns that can be non-zero" both follow from the table's printed balance.
    """
    out: dict[str, Number] = {}
    for rule, right in _balances(fmt):
        if not all(c in cells for c in rule.left):
            continue
        left = sum((cells[c] for c in rule.left), start=0)
        if left < 0:
            continue
        known = sum((cells[c] for c in right if c in cells), start=0)
        if known == left:
            out.update({c: 0 for c in right if c not in cells})
    return out


def proposals(
    fmt: Format, cells: Mapping[str, Number], last: Answers | None = None
) -> dict[str, Number]:
    """Values to offer for one-tap confirmation.

    A balance fixes a cell when its left side is entered and exactly one right-side cell is open
    (结转下年度). Last year's report of the same format carries its 结转下年度继续办理 over into
    this year's 上年结转 (rule 6 says they should agree).
    """
    out: dict[str, Number] = {}
    if last is not None and last.format == fmt.id:
        for table in fmt.tables:
            if not (table.balance and table.carry_rule):
                continue
            carried_in, carried_out = table.balance.left[-1], table.balance.right[-1]
            for col in table.blocks[0].column_leaves():
                this = f"{table.id}.{carried_in}.{col.key}"
                prev = last.cells.get(f"{table.id}.{carried_out}.{col.key}")
                if prev is not None and this not in cells and not col.total:
                    out[this] = prev
    for rule, right in _balances(fmt):
        if not all(c in cells for c in rule.left):
            continue
        open_cells = [c for c in right if c not in cells]
        if len(open_cells) != 1:
            continue
        value = sum((cells[c] for c in rule.left), start=0) - sum(
            (cells[c] for c in right if c in cells), start=0
        )
        if value >= 0:
            out[open_cells[0]] = value
    return out


def effective(fmt: Format, cells: Mapping[str, Number]) -> dict[str, Number]:
    """Entered cells plus implied zeros."""
    return {**implied_zeros(fmt, cells), **cells}


def asked_cells(q: Question, fmt: Format, cells: Mapping[str, Number]) -> tuple[str, ...]:
    """The cells of a row question still worth asking: those not implied zero."""
    implied = implied_zeros(fmt, cells)
    return tuple(c for c in q.cells if c not in implied)


def settled(q: Question, answers: Answers, eff: Mapping[str, Number]) -> bool:
    """Whether a question has its answer."""
    if q.kind is QKind.ROW:
        return all(c in eff for c in q.cells)
    if q.kind is QKind.AGENCY:
        return bool(answers.agency)
    if q.kind is QKind.CONTACT:
        return bool(answers.contact)
    if q.kind in (QKind.TEXT, QKind.FEE):
        return q.text_key in answers.texts
    return False


def progress(plan: Plan, answers: Answers) -> tuple[int, int]:
    """Settled questions and all questions (the review not counted)."""
    eff = effective(plan.fmt, answers.cells)
    qs = [q for q in plan.questions if q.kind is not QKind.REVIEW]
    return sum(1 for q in qs if settled(q, answers, eff)), len(qs)
