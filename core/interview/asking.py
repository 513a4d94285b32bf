"""Asking: the message and buttons of the current question."""

from __future__ import annotations

from ..formats.model import Format, Kind
from ..wording import interview as W
from ..wording.cells import num
from .derive import asked_cells, progress, proposals
from .nav import _btn, _Ctx, _ctx, _current
from .plan import QKind, Question
from .review import review
from .state import Button, Mode, Reply, State


def ask(state: State) -> Reply:
    """The message that asks the current question."""
    if state.mode is Mode.REVIEW or state.current == "review":
        return review(state)
    if state.mode is Mode.DONE:
        return Reply(W.already_done())
    c = _ctx(state)
    q = _current(state)
    done, total = progress(c.plan, state.answers)
    pct = done * 100 // total
    nav = (_btn(W.BTN_BACK, "b", q.id), _btn(W.BTN_LATER, "l", q.id))
    if q.kind is QKind.AGENCY:
        text = W.ask_agency(state.answers.year, c.fmt.document)
        if state.answers.agency:
            text += f"\n当前：{state.answers.agency}"
        return Reply(text, ((_btn(W.BTN_CHANGE_YEAR, "y", q.id),),))
    if q.kind is QKind.CONTACT:
        return Reply(W.ask_contact(), ((_btn(W.BTN_SKIP, "s", q.id),), nav))
    if q.kind is QKind.FEE:
        where = W.progress_line("六、其他需要报告的事项", pct)
        return Reply(W.ask_fee(where), ((_btn(W.BTN_NO_FEE, "nf", q.id),), nav))
    if q.kind is QKind.TEXT:
        return _ask_text(state, c, q, pct, nav)
    return _ask_row(state, c, q, pct, nav)


def _ask_text(state: State, c: _Ctx, q: Question, pct: int, nav: tuple[Button, ...]) -> Reply:
    field = next(t for s in c.fmt.sections for t in s.texts if t.key == q.text_key)
    current = state.answers.texts.get(q.text_key, "")
    where = W.progress_line(q.path[0] if q.path else "", pct)
    text = W.ask_text(where, q.label, field.prompt, len(current), q.optional)
    rows: list[tuple[Button, ...]] = []
    if current:
        rows.append((_btn(W.BTN_DONE, "d", q.id), _btn(W.BTN_CLEAR, "cl", q.id)))
    elif q.text_key == "other.matters":
        rows.append((_btn(W.BTN_NONE, "n", q.id),))
    elif q.optional:
        rows.append((_btn(W.BTN_SKIP, "s", q.id),))
    rows.append(nav)
    return Reply(text, tuple(rows))


def _col_name(fmt: Format, cid: str) -> str:
    """A column as the table prints it."""
    return fmt.cells[cid].col_path[-1]


def _ask_row(state: State, c: _Ctx, q: Question, pct: int, nav: tuple[Button, ...]) -> Reply:
    fmt = c.fmt
    table_qs = c.plan.table_questions(q.table)
    index = next(i for i, t in enumerate(table_qs, 1) if t.id == q.id)
    where = W.progress_line(W.row_where(fmt.table(q.table).short, index, len(table_qs)), pct)
    asked = asked_cells(q, fmt, state.answers.cells) or q.cells
    implied = [_col_name(fmt, cid) for cid in q.cells if cid not in asked]
    names = [_col_name(fmt, cid) for cid in asked]
    first = fmt.cells[asked[0]]
    example, unit_hint = _example(first.kind, first.unit, len(asked))
    current = [
        f"{_col_name(fmt, cid)} {num(state.answers.cells[cid])}"
        for cid in asked
        if cid in state.answers.cells
    ]
    offer = {k: v for k, v in proposals(fmt, state.answers.cells, state.last).items() if k in asked}
    proposal = [f"{_col_name(fmt, cid)} {num(offer[cid])}" for cid in asked if cid in offer]
    text = W.ask_row(
        where=where,
        path=q.path,
        names=names,
        example=example,
        unit_hint=unit_hint,
        current=current,
        implied=implied,
        proposal=proposal if len(offer) == len(asked) else [],
        proposal_reason=(
            W.REASON_LAST_YEAR if any(".carried_in." in c for c in asked) else W.REASON_BALANCE
        ),
        hint=q.hint,
    )
    rows: list[tuple[Button, ...]] = []
    if len(offer) == len(asked):
        rows.append((_btn(W.BTN_ACCEPT, "ok", q.id),))
    zero = [_btn(W.BTN_ZERO, "z", q.id)]
    if q.group_rows:
        zero.append(_btn(W.BTN_GROUP_ZERO, "gz", q.id))
    if q.block_rows:
        zero.append(_btn(W.BTN_BLOCK_ZERO, "bz", q.id))
    if table_qs[0].id == q.id:
        zero.append(_btn(W.BTN_TABLE_ZERO, "tz", q.id))
    rows.append(tuple(zero))
    rows.append(nav)
    return Reply(text, tuple(rows))


def _example(kind: Kind, unit: str, n: int) -> tuple[str, str]:
    if kind is Kind.AMOUNT:
        return ("12.5" if unit == "万元" else "176000"), f"金额（单位：{unit}）"
    if kind is Kind.SIGNED:
        return "增12、减3 或 0", "增减数"
    sample = ["3", "1", "0", "0", "0", "2", "0", "0", "0", "0", "0", "0"]
    return " ".join(sample[:n]) if n > 1 else "12", "件数"
