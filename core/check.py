"""Evaluate rules against answers, complete or partial, and return structured violations.

Incremental by construction: a violation is reported as soon as it is certain and never before.
With non-negative terms, a side whose known part already exceeds the other, fully known, side is
certainly wrong, whatever the blanks turn out to be.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from .formats.model import Format, Kind
from .rules import (
    Missing,
    Number,
    Rule,
    RuleKind,
    Severity,
    computed_ids,
    cross_year_rules,
    definitions,
    flat_definitions,
    structural_rules,
    value_ok,
)


@dataclass(frozen=True)
class Term:
    """One term of a rule side: the cell, its value (the known part if incomplete)."""

    cell: str
    value: Number
    complete: bool


@dataclass(frozen=True)
class Violation:
    """A rule that certainly fails. ``left``/``right`` are the sides' known sums."""

    rule: str
    number: int
    kind: RuleKind
    severity: Severity
    table: str
    scope: str
    left: Number
    right: Number
    left_terms: tuple[Term, ...] = ()
    right_terms: tuple[Term, ...] = ()
    left_const: Number = 0
    right_const: Number = 0
    left_complete: bool = True
    right_complete: bool = True
    quote: str = ""  # the narrative sentence for rule 8
    topic: str = ""  # the narrative topic for rule 8

    @property
    def difference(self) -> Number:
        return self.left - self.right

    @property
    def cells(self) -> tuple[str, ...]:
        return tuple(t.cell for t in (*self.left_terms, *self.right_terms))


@dataclass(frozen=True)
class Context:
    """Inputs beyond this year's cells."""

    last_format: str = ""
    last_cells: Mapping[str, Number] | None = None
    texts: Mapping[str, str] | None = None
    rule_making: bool | None = None  # the agency may make 规章; None when unknown


def side_terms(
    fmt: Format, cells: Mapping[str, Number], ids: Iterable[str], stated: bool | None = None
) -> tuple[tuple[Term, ...], bool, bool]:
    """Terms of one side, whether it is complete, and whether any known value is negative.

    A computed cell that has no value of its own stands for the sum of its terms. ``stated``
    says whether any computed cell has a value (computed when not given).
    """
    if stated is None:
        stated = has_computed(fmt, cells)
    defs = definitions(fmt) if stated else flat_definitions(fmt)
    terms: list[Term] = []
    complete = True
    negative = False

    def known(cid: str) -> tuple[Number, bool]:
        nonlocal negative
        value = cells.get(cid)
        if value is not None:
            if value < 0:
                negative = True
            return value, True
        # With no computed cell stated anywhere, a total is simply the sum of its inputs.
        parts = defs.get(cid)
        if parts is None:
            return 0, False
        total: Number = 0
        done = True
        for p in parts:
            v, d = known(p)
            total += v
            done = done and d
        return total, done

    for cid in ids:
        value, done = known(cid)
        terms.append(Term(cid, value, done))
        complete = complete and done
    return tuple(terms), complete, negative


def has_computed(fmt: Format, cells: Mapping[str, Number]) -> bool:
    """Whether any computed cell has a stated value (answers files may carry totals)."""
    computed = computed_ids(fmt)
    return any(cid in computed for cid in cells)


def evaluate_rule(
    fmt: Format, rule: Rule, cells: Mapping[str, Number], stated: bool | None = None
) -> Violation | None:
    """The violation of ``rule`` if it is already certain, else None."""
    if stated is None:
        stated = has_computed(fmt, cells)
    lt, lc, ln = side_terms(fmt, cells, rule.left, stated)
    rt, rc, rn = side_terms(fmt, cells, rule.right, stated)
    left = sum((t.value for t in lt), start=rule.left_const)
    right = sum((t.value for t in rt), start=rule.right_const)
    if lc and rc:
        failed = left != right
    elif rule.missing is Missing.BOUND and not (ln or rn):
        failed = (lc and right > left) or (rc and left > right)
    else:
        failed = False
    if not failed:
        return None
    return Violation(
        rule=rule.id,
        number=rule.number,
        kind=rule.kind,
        severity=rule.severity,
        table=rule.table,
        scope=rule.scope,
        left=left,
        right=right,
        left_terms=lt,
        right_terms=rt,
        left_const=rule.left_const,
        right_const=rule.right_const,
        left_complete=lc,
        right_complete=rc,
    )


def value_violations(fmt: Format, cells: Mapping[str, Number]) -> list[Violation]:
    """Rule 5: counts are non-negative integers, amounts non-negative."""
    out = []
    for cid, value in cells.items():
        cell = fmt.cells[cid]
        if not value_ok(cell.kind, value):
            out.append(
                Violation(
                    rule=f"value:{cid}",
                    number=5,
                    kind=RuleKind.VALUE,
                    severity=Severity.ERROR,
                    table=cell.table,
                    scope=cid,
                    left=value,
                    right=0,
                    left_terms=(Term(cid, value, True),),
                )
            )
    return out


def rule_making_violations(
    fmt: Format, cells: Mapping[str, Number], rule_making: bool | None
) -> list[Violation]:
    """Rule 9: only bodies with rule-making power issue 规章; one question for the whole row."""
    if rule_making:
        return []
    terms = tuple(
        Term(cid, cells[cid], True)
        for cid, cell in fmt.cells.items()
        if cell.table == "proactive" and cell.row == "rules" and cells.get(cid, 0) > 0
    )
    if not terms:
        return []
    return [
        Violation(
            rule="rule_making:proactive.rules",
            number=9,
            kind=RuleKind.RULE_MAKING,
            severity=Severity.WARNING,
            table="proactive",
            scope="rules",
            left=sum((t.value for t in terms), start=0),
            right=0,
            left_terms=terms,
        )
    ]


SWING_FACTOR = 10
SWING_FLOOR = 10  # counts below this swing tenfold too easily to be worth a question


def swing_violations(
    fmt: Format, cells: Mapping[str, Number], last: Mapping[str, Number]
) -> list[Violation]:
    """Rule 10: values ten times larger or smaller than last year's."""
    out = []
    for cid, value in cells.items():
        cell = fmt.cells[cid]
        prev = last.get(cid)
        if prev is None or cell.computed or cell.kind is Kind.SIGNED or value <= 0 or prev <= 0:
            continue
        big, small = max(value, prev), min(value, prev)
        if cell.kind is Kind.COUNT and big < SWING_FLOOR:
            continue
        if big >= small * SWING_FACTOR:
            out.append(
                Violation(
                    rule=f"swing:{cid}",
                    number=10,
                    kind=RuleKind.SWING,
                    severity=Severity.WARNING,
                    table=cell.table,
                    scope=cid,
                    left=value,
                    right=prev,
                    left_terms=(Term(cid, value, True),),
                    right_const=prev,
                )
            )
    return out


def rules_for(fmt: Format, context: Context | None = None) -> tuple[Rule, ...]:
    """Every sum rule that applies: structural, plus cross-year ones when last year is given."""
    rules = structural_rules(fmt)
    if context and context.last_cells is not None:
        rules = rules + cross_year_rules(fmt, context.last_format, context.last_cells)
    return rules


def evaluate(
    fmt: Format, cells: Mapping[str, Number], context: Context | None = None
) -> list[Violation]:
    """Every violation already certain for these (possibly partial) cells, errors first."""
    context = context or Context()
    found = value_violations(fmt, cells)
    stated = has_computed(fmt, cells)
    for rule in rules_for(fmt, context):
        v = evaluate_rule(fmt, rule, cells, stated)
        if v is not None:
            found.append(v)
    found.extend(rule_making_violations(fmt, cells, context.rule_making))
    if context.last_cells is not None and context.last_format == fmt.id:
        found.extend(swing_violations(fmt, cells, context.last_cells))
    if context.texts:
        from .narrative_check import narrative_violations

        found.extend(narrative_violations(fmt, cells, context.texts))
    found.sort(key=lambda v: (v.severity is not Severity.ERROR, v.number))
    return found


@cache
def _rules_by_cell(fmt: Format) -> Mapping[str, tuple[Rule, ...]]:
    flat = flat_definitions(fmt)
    index: dict[str, list[Rule]] = {}
    for rule in structural_rules(fmt):
        for cid in (*rule.left, *rule.right):
            for leaf in {cid, *flat.get(cid, ())}:
                index.setdefault(leaf, []).append(rule)
    return {k: tuple(dict.fromkeys(v)) for k, v in index.items()}


def evaluate_touching(
    fmt: Format,
    cells: Mapping[str, Number],
    changed: Iterable[str],
    context: Context | None = None,
) -> list[Violation]:
    """The certain violations of rules that involve any of the ``changed`` cells.

    This is the per-answer check: only what the new answer can have broken.
    """
    context = context or Context()
    changed = [c for c in changed if c in cells]
    sub = {c: cells[c] for c in changed}
    found = value_violations(fmt, sub)
    stated = has_computed(fmt, cells)
    index = _rules_by_cell(fmt)
    rules = dict.fromkeys(r for c in changed for r in index.get(c, ()))
    if context.last_cells is not None:
        touched = set(changed)
        for rule in cross_year_rules(fmt, context.last_format, context.last_cells):
            if touched.intersection((*rule.left, *rule.right)):
                rules[rule] = None
    for rule in rules:
        v = evaluate_rule(fmt, rule, cells, stated)
        if v is not None:
            found.append(v)
    found.extend(rule_making_violations(fmt, sub, context.rule_making))
    if context.last_cells is not None and context.last_format == fmt.id:
        found.extend(swing_violations(fmt, sub, context.last_cells))
    found.sort(key=lambda v: (v.severity is not Severity.ERROR, v.number))
    return found


def missing_cells(fmt: Format, cells: Mapping[str, Number]) -> list[str]:
    """Input cells with no value yet, in printed order."""
    return [cid for cid in fmt.input_cells if cid not in cells]
