"""Rules as data: frozen records generated from a format's table structure.

A rule says that the sum of its ``left`` cells (plus a constant) equals the sum of its ``right``
cells (plus a constant). Row, column and balance rules come from the header trees and the balance
printed in table 3; cross-year rules (6, 7, 10) take last year's answers as an input. Nothing here
evaluates or words a rule: see ``core.check`` and ``core.wording.rules``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cache

from .formats.model import Format, Kind, Node

Number = int | Decimal


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Missing(StrEnum):
    """What a rule does while some of its cells are still blank."""

    # Every term is non-negative: report as soon as the known part of one side exceeds the other,
    # fully known, side; otherwise wait.
    BOUND = "bound"
    # Report only once every term is known.
    COMPLETE = "complete"


class RuleKind(StrEnum):
    BALANCE = "balance"  # rule 1
    COLUMN_TOTAL = "column_total"  # rule 2: a total row
    ROW_TOTAL = "row_total"  # rules 3 and 4: a total column
    VALUE = "value"  # rule 5: non-negative, integer where a count is asked
    CARRY = "carry"  # rule 6
    STOCK = "stock"  # rule 7
    NARRATIVE = "narrative"  # rule 8
    RULE_MAKING = "rule_making"  # rule 9
    SWING = "swing"  # rule 10


@dataclass(frozen=True)
class Rule:
    """sum(left) + left_const = sum(right) + right_const.

    Attributes:
        id: Unique id: kind, table and scope ("balance:requests:natural").
        number: The rule's number in the spec (1-11).
        scope: The column (balance, column total) or row (row total, stock) the rule is about.
    """

    id: str
    number: int
    kind: RuleKind
    severity: Severity
    table: str
    scope: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    left_const: Number = 0
    right_const: Number = 0
    missing: Missing = Missing.BOUND


def _cid(table: str, row: str, col: str) -> str:
    return ".".join(p for p in (table, row, col) if p)


def _siblings(nodes: tuple[Node, ...]) -> list[tuple[Node, tuple[Node, ...]]]:
    """Each total leaf with the other leaves under its parent."""
    out: list[tuple[Node, tuple[Node, ...]]] = []

    def walk(parent_children: tuple[Node, ...]) -> None:
        leaves = tuple(leaf for c in parent_children for leaf in c.leaves())
        for node in parent_children:
            if node.total:
                out.append((node, tuple(leaf for leaf in leaves if not leaf.total)))
            if node.children:
                walk(node.children)

    walk(nodes)
    return out


@cache
def structural_rules(fmt: Format) -> tuple[Rule, ...]:
    """Rules 1-4: the balance, total rows and total columns of every table."""
    rules: list[Rule] = []
    for table in fmt.tables:
        for block in table.blocks:
            cols = block.column_leaves()
            rows = block.row_leaves()
            for total, parts in _siblings(block.columns):
                for row in rows:
                    rules.append(
                        Rule(
                            id=f"row_total:{table.id}:{row.key or total.key.split('.')[0]}",
                            number=table.row_total_rule,
                            kind=RuleKind.ROW_TOTAL,
                            severity=Severity.ERROR,
                            table=table.id,
                            scope=row.key or total.key.rsplit(".", 1)[0],
                            left=(_cid(table.id, row.key, total.key),),
                            right=tuple(_cid(table.id, row.key, c.key) for c in parts),
                        )
                    )
            for total, parts in _siblings(block.rows):
                for col in cols:
                    rules.append(
                        Rule(
                            id=f"column_total:{table.id}:{col.key}",
                            number=table.column_total_rule,
                            kind=RuleKind.COLUMN_TOTAL,
                            severity=Severity.ERROR,
                            table=table.id,
                            scope=col.key,
                            left=(_cid(table.id, total.key, col.key),),
                            right=tuple(_cid(table.id, r.key, col.key) for r in parts),
                        )
                    )
            if table.balance:
                for col in cols:
                    rules.append(
                        Rule(
                            id=f"balance:{table.id}:{col.key}",
                            number=table.balance_rule,
                            kind=RuleKind.BALANCE,
                            severity=Severity.ERROR,
                            table=table.id,
                            scope=col.key,
                            left=tuple(_cid(table.id, r, col.key) for r in table.balance.left),
                            right=tuple(_cid(table.id, r, col.key) for r in table.balance.right),
                        )
                    )
    return tuple(rules)


@cache
def definitions(fmt: Format) -> Mapping[str, tuple[str, ...]]:
    """Each computed cell's definition: the cells it is the sum of."""
    out: dict[str, tuple[str, ...]] = {}
    for rule in structural_rules(fmt):
        if rule.kind in (RuleKind.ROW_TOTAL, RuleKind.COLUMN_TOTAL):
            out.setdefault(rule.left[0], rule.right)
    return out


@cache
def flat_definitions(fmt: Format) -> Mapping[str, tuple[str, ...]]:
    """Each computed cell as the input cells it finally sums, through nested totals."""
    defs = definitions(fmt)

    def flatten(cid: str) -> tuple[str, ...]:
        parts = defs.get(cid)
        if parts is None:
            return (cid,)
        return tuple(leaf for p in parts for leaf in flatten(p))

    return {cid: flatten(cid) for cid in defs}


@cache
def computed_ids(fmt: Format) -> frozenset[str]:
    return frozenset(c.id for c in fmt.cells.values() if c.computed)


def cross_year_rules(fmt: Format, last_format: str, last: Mapping[str, Number]) -> tuple[Rule, ...]:
    """Warnings 6, 7 and 10 against last year's cells (not across a change of format)."""
    if last_format != fmt.id:
        return ()
    rules: list[Rule] = []
    for table in fmt.tables:
        if table.balance and table.carry_rule:
            carried_in, carried_out = table.balance.left[-1], table.balance.right[-1]
            for col in table.blocks[0].column_leaves():
                if col.total:
                    continue
                prev = last.get(_cid(table.id, carried_out, col.key))
                if prev is None:
                    continue
                rules.append(
                    Rule(
                        id=f"carry:{table.id}:{col.key}",
                        number=table.carry_rule,
                        kind=RuleKind.CARRY,
                        severity=Severity.WARNING,
                        table=table.id,
                        scope=col.key,
                        left=(_cid(table.id, carried_in, col.key),),
                        right=(),
                        right_const=prev,
                        missing=Missing.COMPLETE,
                    )
                )
        for stock in table.stocks:
            for block in table.blocks:
                if stock.stock not in {c.key for c in block.column_leaves()}:
                    continue
                for row in block.row_leaves():
                    prev = last.get(_cid(table.id, row.key, stock.stock))
                    if prev is None:
                        continue
                    # stock + outflow = last stock + inflow keeps every term non-negative.
                    rules.append(
                        Rule(
                            id=f"stock:{table.id}:{row.key}",
                            number=7,
                            kind=RuleKind.STOCK,
                            severity=Severity.WARNING,
                            table=table.id,
                            scope=row.key,
                            left=(
                                _cid(table.id, row.key, stock.stock),
                                _cid(table.id, row.key, stock.outflow),
                            ),
                            right=(_cid(table.id, row.key, stock.inflow),),
                            right_const=prev,
                            missing=Missing.COMPLETE,
                        )
                    )
    return tuple(rules)


def value_ok(kind: Kind, value: Number) -> bool:
    """Rule 5 for one value: counts are non-negative integers, amounts non-negative numbers."""
    if kind is Kind.SIGNED:
        return isinstance(value, int) or value == value.to_integral_value()
    if value < 0:
        return False
    return kind is Kind.AMOUNT or isinstance(value, int) or value == value.to_integral_value()
