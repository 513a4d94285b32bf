"""Row answers: typed row entries, zero buttons and proposed values."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from ..check import Violation, evaluate_touching
from ..formats import get_format
from ..formats.model import Format, Kind
from ..numbers import InputError, RowEntry, parse_amount, parse_count, parse_signed, split_row
from ..rules import Number
from ..wording import interview as W
from ..wording.cells import num
from ..wording.input_errors import describe as describe_input
from ..wording.rules import describe_full
from .asking import _col_name, ask
from .derive import asked_cells, implied_zeros, proposals
from .nav import Step, _advance, _ctx, _dedupe, _fix_buttons, check_context
from .plan import Question
from .state import Reply, State

ALIASES: dict[str, tuple[str, ...]] = {
    "business": ("企业",),
    "research": ("科研",),
    "nonprofit": ("公益组织", "社会组织", "公益"),
    "legal": ("法律服务", "律所", "律师事务所"),
    "other_org": ("其他组织", "其它"),
    "issued": ("制发",),
    "repealed": ("废止",),
    "in_force": ("现行有效", "有效"),
    "made": ("新制作", "制作"),
    "published": ("新公开",),
    "total": ("总数",),
    "previous": ("上一年", "上年"),
    "change": ("增减", "增/减"),
    "decisions": ("处理决定", "决定"),
    "projects": ("项目数",),
    "amount": ("金额",),
    "upheld": ("维持",),
    "corrected": ("纠正",),
    "other": ("其他",),
    "pending": ("未审结", "审理中"),
}


def _store(state: State, values: Mapping[str, Number]) -> tuple[State, list[str], list[Violation]]:
    """Record cell values; returns the new state, notes and the violations the change caused."""
    fmt = get_format(state.answers.format)
    before = implied_zeros(fmt, state.answers.cells)
    answers = state.answers.with_cells(values)
    new = state.evolve(answers=answers)
    after = implied_zeros(fmt, answers.cells)
    notes: list[str] = []
    gained = [c for c in after if c not in before and c not in values]
    if gained:
        notes.append(W.auto_zero(len(gained)))
    eff = {**after, **answers.cells}
    found = _dedupe(evaluate_touching(fmt, eff, values.keys(), check_context(new, texts=False)))
    notes.extend(describe_full(fmt, v) for v in found)
    return new, notes, found


def _after_row(
    state: State,
    q: Question,
    values: Mapping[str, Number],
    extra: Sequence[str],
    summary: str = "",
) -> Step:
    new, notes, found = _store(state, values)
    c = _ctx(new)
    fmt = c.fmt
    if summary:
        ack = "\n".join([summary, *extra, *notes])
    elif q.table == "appeals":
        # Table 4 may arrive whole; say each block with its computed total.
        blocks = [b for b in c.plan.table_questions("appeals") if set(b.cells) & set(values)]
        lines = [
            f"{b.label}："
            + "、".join(f"{_col_name(fmt, cid)} {num(c.eff[cid])}" for cid in b.cells)
            + f"，总计 {num(sum((c.eff[cid] for cid in b.cells), start=0))}"
            for b in blocks
            if all(cid in c.eff for cid in b.cells)
        ]
        ack = "\n".join(["已记录：", *lines, *extra, *notes])
    else:
        parts = [f"{_col_name(fmt, cid)} {num(values[cid])}" for cid in q.cells if cid in values]
        total = ""
        if q.table == "requests" and all(cid in c.eff for cid in q.cells):
            total = num(sum((c.eff[cid] for cid in q.cells), start=0))
        ack = W.row_saved(parts, total, [*extra, *notes])
    buttons = _fix_buttons(c, found)
    moved = _advance(new)
    return moved, [Reply(ack, buttons), ask(moved)]


def _row_zero(state: State, q: Question, arg: str) -> Step:
    fmt = get_format(state.answers.format)
    cells = asked_cells(q, fmt, state.answers.cells) or q.cells
    return _after_row(state, q, {c: 0 for c in cells}, [])


def _zero_rows(state: State, q: Question, rows: Sequence[str], summary: str) -> Step:
    c = _ctx(state)
    values: dict[str, Number] = {cid: 0 for cid in asked_cells(q, c.fmt, state.answers.cells)}
    for rid in rows:
        other = c.plan.get(rid)
        if other is None or other.id == q.id:
            continue
        values.update({cid: 0 for cid in other.cells if cid not in c.eff})
    return _after_row(state, q, values, [], summary)


def _group_zero(state: State, q: Question, arg: str) -> Step:
    return _zero_rows(state, q, q.group_rows, W.zeroed(q.group))


def _block_zero(state: State, q: Question, arg: str) -> Step:
    return _zero_rows(state, q, q.block_rows, W.zeroed(q.block))


def _table_zero(state: State, q: Question, arg: str) -> Step:
    c = _ctx(state)
    table = c.fmt.table(q.table)
    summary = W.zeroed(table.short)
    if table.balance:
        # Zero on the balance's left side implies the rest of the table.
        left = {f"{q.table}.{r}." for r in table.balance.left}
        values: dict[str, Number] = {
            cid: 0
            for t in c.plan.table_questions(q.table)
            for cid in t.cells
            if any(cid.startswith(p) for p in left)
        }
        return _after_row(state, q, values, [], summary)
    return _zero_rows(state, q, [t.id for t in c.plan.table_questions(q.table)], summary)


def _accept(state: State, q: Question, arg: str) -> Step:
    fmt = get_format(state.answers.format)
    asked = asked_cells(q, fmt, state.answers.cells)
    offer = proposals(fmt, state.answers.cells, state.last)
    if not asked or any(cid not in offer for cid in asked):
        return state, [Reply(W.no_proposal()), ask(state)]
    return _after_row(state, q, {cid: offer[cid] for cid in asked}, [])


def _row_text(state: State, q: Question, text: str) -> Step:
    fmt = get_format(state.answers.format)
    asked = asked_cells(q, fmt, state.answers.cells) or q.cells
    try:
        values, extra = _parse_row(fmt, q, asked, text)
    except InputError as exc:
        return state, [Reply(describe_input(exc)), ask(state)]
    return _after_row(state, q, values, extra)


def _columns(fmt: Format, cells: Sequence[str]) -> list[tuple[str, Sequence[str]]]:
    out: list[tuple[str, Sequence[str]]] = []
    for cid in cells:
        cell = fmt.cells[cid]
        leaf = cell.col.rsplit(".", 1)[-1]
        names = [cell.col_path[-1], cell.col_name, *ALIASES.get(leaf, ())]
        out.append((cid, list(dict.fromkeys(names))))
    return out


THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")


def _split(fmt: Format, cells: Sequence[str], text: str) -> RowEntry:
    """Split a row entry; "1,234" is read as one number when that makes the count right."""
    try:
        return split_row(text, _columns(fmt, cells))
    except InputError as exc:
        joined = THOUSANDS.sub("", text)
        if exc.code != "count_mismatch" or joined == text:
            raise
        try:
            return split_row(joined, _columns(fmt, cells))
        except InputError:
            raise exc from None


def _parse_row(
    fmt: Format, q: Question, asked: Sequence[str], text: str
) -> tuple[dict[str, Number], list[str]]:
    try:
        entry = _split(fmt, asked, text)
    except InputError as exc:
        # Table 4 is printed as one row: accept all of it at its first question.
        whole = [cid for cid in fmt.input_cells if fmt.cells[cid].table == q.table]
        if (
            exc.code != "count_mismatch"
            or q.table != "appeals"
            or exc.params.get("got") != len(whole)
        ):
            raise
        entry = _split(fmt, whole, text)
    values: dict[str, Number] = {}
    extra: list[str] = []
    for cid, raw in entry.values.items():
        cell = fmt.cells[cid]
        if cell.kind is Kind.AMOUNT:
            amount = parse_amount(raw, cell.unit)
            values[cid] = amount.value
            if amount.converted_from:
                extra.append(W.converted(amount.typed, num(amount.value), cell.unit))
        elif cell.kind is Kind.SIGNED:
            values[cid] = parse_signed(raw)
        else:
            values[cid] = parse_count(raw)
    return values, extra
