"""Shared helpers of the interview: per-step context, navigation, buttons, violations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..answers import Answers
from ..check import Context, Violation
from ..formats import get_format
from ..formats.model import Format
from ..rules import Number, RuleKind, flat_definitions
from ..wording import interview as W
from .derive import effective, settled
from .plan import Plan, QKind, Question, build_plan
from .state import Button, Mode, Reply, State

Step = tuple[State, list[Reply]]


@dataclass(frozen=True)
class _Ctx:
    """Per-step view of the state: its format, plan and effective cells."""

    fmt: Format
    plan: Plan
    eff: dict[str, Number]


def _ctx(state: State) -> _Ctx:
    fmt = get_format(state.answers.format)
    return _Ctx(fmt, build_plan(fmt), effective(fmt, state.answers.cells))


def check_context(state: State, *, texts: bool) -> Context:
    last = state.last
    return Context(
        last_format=last.format if last else "",
        last_cells=dict(last.cells) if last else None,
        texts=_narratives(state.answers) if texts else None,
    )


def _narratives(answers: Answers) -> dict[str, str]:
    return {k: v for k, v in answers.texts.items() if v and k != "other.fee"}


def _next_question(state: State, after: str) -> str:
    """The next question to ask: the first unsettled one after ``after``, then from the top."""
    c = _ctx(state)
    qs = c.plan.questions
    start_at = c.plan.position(after) + 1 if after in c.plan.order else 0
    order = list(qs[start_at:]) + list(qs[:start_at])
    for q in order:
        if q.kind is QKind.REVIEW or q.id in state.deferred:
            continue
        if not settled(q, state.answers, c.eff):
            return q.id
    return "review"


def _go(state: State, qid: str, *, remember: bool = True) -> State:
    trail = (*state.trail, state.current) if remember and state.current != qid else state.trail
    mode = Mode.REVIEW if qid == "review" else Mode.ASK
    return state.evolve(current=qid, trail=trail[-50:], mode=mode, text_open=False)


def _advance(state: State) -> State:
    return _go(state, _next_question(state, state.current))


def _current(state: State) -> Question:
    plan = build_plan(get_format(state.answers.format))
    q = plan.get(state.current)
    return q if q is not None else plan.questions[0]


def _btn(label: str, verb: str, qid: str, arg: str = "") -> Button:
    return Button(label, f"{verb}|{qid}|{arg}" if arg else f"{verb}|{qid}")


def _question_label(fmt: Format, q: Question) -> str:
    if q.kind is QKind.ROW:
        return f"{fmt.table(q.table).short}「{q.label}」"
    return q.label


def _dedupe(found: Sequence[Violation]) -> list[Violation]:
    """Drop a total column's balance violation when a column it sums already shows one."""
    leafs = {v.table for v in found if v.kind is RuleKind.BALANCE and v.scope != "total"}
    return [
        v
        for v in found
        if not (v.kind is RuleKind.BALANCE and v.scope == "total" and v.table in leafs)
    ]


def _leaves_of(fmt: Format, cid: str) -> tuple[str, ...]:
    return flat_definitions(fmt).get(cid, ())


def _fix_buttons(c: _Ctx, found: Sequence[Violation]) -> tuple[tuple[Button, ...], ...]:
    """Jump buttons to the rows a violation involves, two to a row."""
    targets: list[Question] = []
    for v in found:
        targets.extend(t for t in _violation_targets(c, v) if t not in targets)
    buttons = [Button(W.fix_button(_short_label(c.fmt, t)), f"j|{t.id}") for t in targets[:6]]
    return tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))


def _short_label(fmt: Format, q: Question) -> str:
    cell = fmt.cells[q.cells[0]]
    return cell.row_name if cell.row else q.label


def _violation_targets(c: _Ctx, v: Violation) -> list[Question]:
    out: list[Question] = []
    for cid in v.cells:
        leaves = _leaves_of(c.fmt, cid) or (cid,)
        for q in c.plan.questions:
            if q not in out and any(leaf in q.cells for leaf in leaves):
                out.append(q)
                break
    return out
