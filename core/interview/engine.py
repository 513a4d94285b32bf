"""The interview as a pure state machine: ``step(state, action) -> (state, replies)``."""

from __future__ import annotations

import re
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..answers import Answers, section_text
from ..check import Context, Violation, evaluate, evaluate_touching
from ..formats import format_for_year, get_format
from ..formats.model import Format, Kind
from ..numbers import (
    InputError,
    RowEntry,
    parse_amount,
    parse_count,
    parse_signed,
    split_row,
)
from ..rules import Number, RuleKind, Severity
from ..wording import interview as W
from ..wording.cells import num
from ..wording.input_errors import describe as describe_input
from ..wording.rules import describe_full
from .contact import parse_contact
from .derive import asked_cells, effective, implied_zeros, progress, proposals, settled
from .plan import Plan, QKind, Question, build_plan
from .state import Action, Button, Command, Mode, Press, Reply, State

Step = tuple[State, list[Reply]]

# Extra names people type for columns, beside the printed labels.
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

SHORT_TEXT = 50  # characters below which a narrative part is unusually short


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


# ----------------------------------------------------------------------------- entry points


def start(state: State) -> Step:
    """Show the current question (on /start, /report or resume)."""
    if state.mode is Mode.DONE:
        return state, [Reply(W.already_done())]
    return state, [ask(state)]


def step(state: State, action: Action) -> Step:
    """Apply one user action."""
    if isinstance(action, Command):
        return _command(state, action)
    if isinstance(action, Press):
        return _press(state, action.data)
    return _text(state, action.text)


# ----------------------------------------------------------------------------- navigation


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


# ----------------------------------------------------------------------------- asking


def _btn(label: str, verb: str, qid: str, arg: str = "") -> Button:
    return Button(label, f"{verb}|{qid}|{arg}" if arg else f"{verb}|{qid}")


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
        rows.append((_btn(W.BTN_DONE, "d", q.id), _btn(W.BTN_CLEAR, "c", q.id)))
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
    offer = {k: v for k, v in proposals(fmt, state.answers.cells).items() if k in asked}
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


# ----------------------------------------------------------------------------- commands


def _command(state: State, cmd: Command) -> Step:
    name = cmd.name
    if name in ("start", "report", "resume"):
        return start(state)
    if name == "back":
        return _back(state)
    if name == "skip":
        return _later(state)
    if name == "status":
        return state, [Reply(status(state))]
    if name == "review":
        new = _go(state, "review")
        return new, [review(new)]
    if name == "edit":
        return _edit(state, cmd.arg.strip())
    return state, [ask(state)]


def status(state: State) -> str:
    """Progress per part of the report and the number of errors, for /status."""
    c = _ctx(state)
    done, total = progress(c.plan, state.answers)
    parts: dict[str, list[int]] = {}
    for q in c.plan.questions:
        if q.kind is QKind.REVIEW:
            continue
        name = _part_name(c.fmt, q)
        counts = parts.setdefault(name, [0, 0])
        counts[1] += 1
        counts[0] += settled(q, state.answers, c.eff)
    errors = sum(1 for v in evaluate(c.fmt, c.eff) if v.severity is Severity.ERROR)
    lines = [(name, d, t) for name, (d, t) in parts.items()]
    return W.status_text(done * 100 // total, done, total, lines, errors)


def _part_name(fmt: Format, q: Question) -> str:
    if q.kind in (QKind.AGENCY, QKind.CONTACT):
        return "基本信息"
    if q.table:
        return fmt.table(q.table).short
    return next(s.title for s in fmt.sections if s.key == q.section)


def _question_label(fmt: Format, q: Question) -> str:
    if q.kind is QKind.ROW:
        return f"{fmt.table(q.table).short}「{q.label}」"
    return q.label


def _back(state: State) -> Step:
    if not state.trail:
        return state, [Reply(W.nothing_before()), ask(state)]
    prev = state.trail[-1]
    new = state.evolve(current=prev, trail=state.trail[:-1], text_open=False)
    new = new.evolve(mode=Mode.REVIEW if prev == "review" else Mode.ASK)
    return new, [Reply(W.went_back()), ask(new)]


def _later(state: State) -> Step:
    q = _current(state)
    if q.kind is QKind.REVIEW or q.kind is QKind.AGENCY:
        return state, [ask(state)]
    new = state.evolve(deferred=state.deferred | {q.id})
    new = _go(new, _next_question(new, q.id))
    return new, [Reply(W.deferred(_question_label(_ctx(state).fmt, q))), ask(new)]


def find_questions(fmt: Format, query: str) -> list[Question]:
    """Questions whose table, section or row label contains ``query``."""
    plan = build_plan(fmt)
    query = query.replace(" ", "")
    out = []
    for q in plan.questions:
        hay = "".join((fmt.table(q.table).short if q.table else "", q.label, *q.path))
        if query and query in hay:
            out.append(q)
    return out


def _edit(state: State, query: str) -> Step:
    c = _ctx(state)
    if query:
        found = find_questions(c.fmt, query)
        if len(found) == 1 or (found and all(q.table == found[0].table for q in found[:1])):
            new = _go(state, found[0].id)
            return new, [ask(new)]
        if not found:
            return state, [Reply(W.edit_not_found(query)), ask(state)]
        buttons = tuple((Button(q.label[:30], f"j|{q.id}"),) for q in found[:10])
        return state, [Reply(W.edit_menu(), buttons)]
    return state, [Reply(W.edit_menu(), edit_menu(c.fmt))]


def edit_menu(fmt: Format) -> tuple[tuple[Button, ...], ...]:
    """Buttons jumping to the first question of every part of the report."""
    plan = build_plan(fmt)
    entries: list[Button] = [Button("单位名称", "j|agency"), Button("联系方式", "j|contact")]
    seen: set[str] = set()
    for q in plan.questions:
        key = q.table or q.section
        if q.kind in (QKind.AGENCY, QKind.CONTACT) or key in seen:
            continue
        seen.add(key)
        if q.table:
            entries.append(Button(fmt.table(q.table).short, f"j|{q.id}"))
        elif q.kind is QKind.REVIEW:
            entries.append(Button("检查和确认", "j|review"))
        else:
            title = next(s.title for s in fmt.sections if s.key == q.section)
            entries.append(
                Button(title.split("、")[0] + "、" + title.split("、")[1][:6], f"j|{q.id}")
            )
    return tuple(tuple(entries[i : i + 3]) for i in range(0, len(entries), 3))


# ----------------------------------------------------------------------------- buttons


def _press(state: State, data: str) -> Step:
    parts = data.split("|")
    verb = parts[0]
    qid = parts[1] if len(parts) > 1 else ""
    arg = parts[2] if len(parts) > 2 else ""
    c = _ctx(state)
    if verb == "j":
        if qid == "review":
            new = _go(state, "review")
            return new, [review(new)]
        if c.plan.get(qid) is None:
            return state, [Reply(W.unknown_button()), ask(state)]
        new = _go(state, qid)
        return new, [ask(new)]
    if verb == "y" and qid == state.current == "agency" and state.mode is Mode.ASK:
        return _year(state, arg)
    if qid != state.current or (state.mode is Mode.DONE):
        return state, [Reply(W.stale_button()), ask(state)]
    q = _current(state)
    handlers = {
        "z": _row_zero,
        "gz": _group_zero,
        "bz": _block_zero,
        "tz": _table_zero,
        "ok": _accept,
        "b": lambda s, q, a: _back(s),
        "l": lambda s, q, a: _later(s),
        "d": _text_done,
        "c": _text_clear,
        "s": _skip,
        "n": _skip,
        "nf": _no_fee,
        "a": _ack,
        "f": _finish,
    }
    handler = handlers.get(verb)
    if handler is None:
        return state, [Reply(W.unknown_button()), ask(state)]
    return handler(state, q, arg)


def _year(state: State, arg: str) -> Step:
    years = [state.answers.year - 1, state.answers.year, state.answers.year + 1]
    if not arg:
        buttons = (tuple(Button(f"{y}年", f"y|agency|{y}") for y in years if y >= 2019),)
        return state, [Reply(W.choose_year(state.answers.year), buttons)]
    if not arg.isdigit() or not 2019 <= int(arg) <= 2100:
        return state, [Reply(W.unknown_button()), ask(state)]
    year = int(arg)
    fmt = format_for_year(year)
    old = state.answers
    cells = {k: v for k, v in old.cells.items() if k in fmt.cells}
    answers = Answers(fmt.id, year, old.agency, cells, old.texts, old.contact)
    new = state.evolve(answers=answers)
    return new, [Reply(W.year_changed(year, fmt.document, len(old.cells) - len(cells))), ask(new)]


def _store(state: State, values: Mapping[str, Number]) -> tuple[State, list[str]]:
    """Record cell values; returns the new state and notes (conversions, auto zeros, violations)."""
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
    found = evaluate_touching(fmt, eff, values.keys(), check_context(new, texts=False))
    notes.extend(describe_full(fmt, v) for v in _dedupe(found))
    return new, notes


def _dedupe(found: Sequence[Violation]) -> list[Violation]:
    """Drop a total column's balance violation when a column it sums already shows one."""
    leafs = {v.table for v in found if v.kind is RuleKind.BALANCE and v.scope != "total"}
    return [
        v
        for v in found
        if not (v.kind is RuleKind.BALANCE and v.scope == "total" and v.table in leafs)
    ]


def _after_row(
    state: State,
    q: Question,
    values: Mapping[str, Number],
    extra: Sequence[str],
    summary: str = "",
) -> Step:
    fmt = get_format(state.answers.format)
    new, notes = _store(state, values)
    if summary:
        ack = "\n".join([summary, *extra, *notes])
    else:
        eff = effective(fmt, new.answers.cells)
        parts = [f"{_col_name(fmt, cid)} {num(values[cid])}" for cid in q.cells if cid in values]
        total = ""
        if q.table == "requests" and all(c in eff for c in q.cells):
            total = num(sum((eff[c] for c in q.cells), start=0))
        ack = W.row_saved(parts, total, [*extra, *notes])
    buttons = _violation_buttons(new, values.keys())
    moved = _advance(new)
    return moved, [Reply(ack, buttons), ask(moved)]


def _violation_buttons(
    state: State, changed: Sequence[str] | object
) -> tuple[tuple[Button, ...], ...]:
    """Jump buttons to the rows involved in violations the change caused."""
    fmt = get_format(state.answers.format)
    plan = build_plan(fmt)
    eff = effective(fmt, state.answers.cells)
    keys = list(changed) if not isinstance(changed, str) else [changed]  # type: ignore[call-overload]
    found = _dedupe(evaluate_touching(fmt, eff, keys, check_context(state, texts=False)))
    targets: list[Question] = []
    for v in found:
        for cid in v.cells:
            for qq in plan.questions:
                if cid in qq.cells and qq not in targets:
                    targets.append(qq)
            for leaf in _leaves_of(fmt, cid):
                for qq in plan.questions:
                    if leaf in qq.cells and qq not in targets and len(targets) < 1:
                        targets.append(qq)
    buttons = [Button(W.fix_button(_short_label(fmt, t)), f"j|{t.id}") for t in targets[:6]]
    return tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))


def _leaves_of(fmt: Format, cid: str) -> tuple[str, ...]:
    from ..rules import flat_definitions

    return flat_definitions(fmt).get(cid, ())


def _short_label(fmt: Format, q: Question) -> str:
    cell = fmt.cells[q.cells[0]]
    return cell.row_name if cell.row else q.label


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
    offer = proposals(fmt, state.answers.cells)
    if not asked or any(cid not in offer for cid in asked):
        return state, [Reply(W.no_proposal()), ask(state)]
    return _after_row(state, q, {cid: offer[cid] for cid in asked}, [])


# ----------------------------------------------------------------------------- typed answers


def _text(state: State, text: str) -> Step:
    if state.mode is Mode.DONE:
        return state, [Reply(W.already_done())]
    if state.mode is Mode.REVIEW:
        return _note(state, text)
    q = _current(state)
    if q.kind is QKind.AGENCY:
        return _agency(state, text)
    if q.kind is QKind.CONTACT:
        contact = parse_contact(text)
        new = state.evolve(answers=state.answers.with_meta(contact=contact))
        moved = _advance(new)
        return moved, [Reply(W.contact_saved(contact)), ask(moved)]
    if q.kind is QKind.FEE:
        return _fee(state, q, text)
    if q.kind is QKind.TEXT:
        return _narrative(state, q, text)
    return _row_text(state, q, text)


def _agency(state: State, text: str) -> Step:
    name = " ".join(text.split())
    if not 2 <= len(name) <= 60:
        return state, [Reply(W.agency_invalid()), ask(state)]
    new = state.evolve(answers=state.answers.with_meta(agency=name))
    moved = _advance(new)
    return moved, [Reply(W.agency_saved(name)), ask(moved)]


def _fee(state: State, q: Question, text: str) -> Step:
    try:
        amount = parse_amount(text, "元")
        sentence = W.NO_FEE_TEXT if amount.value == 0 else W.fee_text(num(amount.value))
    except InputError as exc:
        if exc.code in ("not_a_number", "several") and len(text.strip()) >= 6:
            sentence = text.strip()  # a sentence of its own ("收取复印费…")
        else:
            return state, [Reply(describe_input(exc)), ask(state)]
    new = state.evolve(answers=state.answers.with_text(q.text_key, sentence))
    moved = _advance(new)
    return moved, [Reply(W.fee_saved(sentence)), ask(moved)]


def _no_fee(state: State, q: Question, arg: str) -> Step:
    new = state.evolve(answers=state.answers.with_text(q.text_key, W.NO_FEE_TEXT))
    moved = _advance(new)
    return moved, [Reply(W.fee_saved(W.NO_FEE_TEXT)), ask(moved)]


def _narrative(state: State, q: Question, text: str) -> Step:
    text = text.strip()
    if not text:
        return state, [Reply(W.text_empty_done()), ask(state)]
    old = state.answers.texts.get(q.text_key, "")
    joined = f"{old}\n{text}" if old and state.text_open else text if not old else f"{old}\n{text}"
    new = state.evolve(answers=state.answers.with_text(q.text_key, joined), text_open=True)
    buttons = ((_btn(W.BTN_DONE, "d", q.id), _btn(W.BTN_CLEAR, "c", q.id)),)
    return new, [Reply(W.text_saved(len(joined), q.label), buttons)]


def _text_done(state: State, q: Question, arg: str) -> Step:
    text = state.answers.texts.get(q.text_key, "")
    if not text:
        return state, [Reply(W.text_empty_done()), ask(state)]
    notes: list[str] = []
    if len(text) < SHORT_TEXT and q.text_key != "other.matters":
        notes.append(W.text_short(len(text)))
    if state.last and state.last.texts.get(q.text_key, "").strip() == text.strip():
        notes.append(W.text_same_as_last())
    fmt = get_format(state.answers.format)
    found = [
        v
        for v in evaluate(
            fmt, effective(fmt, state.answers.cells), check_context(state, texts=True)
        )
        if v.kind is RuleKind.NARRATIVE and v.rule.split(":")[2] == q.text_key
    ]
    notes.extend(describe_full(fmt, v) for v in found)
    moved = _advance(state)
    replies = [Reply("\n".join(notes))] if notes else []
    return moved, [*replies, ask(moved)]


def _text_clear(state: State, q: Question, arg: str) -> Step:
    new = state.evolve(answers=state.answers.with_text(q.text_key, None), text_open=False)
    return new, [Reply(W.text_cleared(q.label)), ask(new)]


def _skip(state: State, q: Question, arg: str) -> Step:
    if q.kind is QKind.CONTACT:
        new = state.evolve(answers=state.answers.with_meta(contact={"office": ""}))
    elif q.kind is QKind.TEXT and (q.optional or q.text_key == "other.matters"):
        new = state.evolve(answers=state.answers.with_text(q.text_key, ""))
    else:
        return state, [Reply(W.text_required()), ask(state)]
    moved = _advance(new)
    return moved, [ask(moved)]


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


# ----------------------------------------------------------------------------- review


def review_items(state: State) -> tuple[list[Question], list[Violation], list[Violation]]:
    """Unsettled questions, errors and warnings of the whole report."""
    c = _ctx(state)
    missing = [
        q
        for q in c.plan.questions
        if q.kind is not QKind.REVIEW
        and not (q.optional and q.kind is QKind.CONTACT)
        and not settled(q, state.answers, c.eff)
    ]
    found = _dedupe(evaluate(c.fmt, c.eff, check_context(state, texts=True)))
    errors = [v for v in found if v.severity is Severity.ERROR]
    warnings = [v for v in found if v.severity is Severity.WARNING]
    return missing, errors, warnings


def _tag(rule: str) -> str:
    return f"{zlib.crc32(rule.encode()) & 0xFFFFFF:06x}"


def review(state: State) -> Reply:
    """The review: what is missing, every error and warning with where to fix it."""
    c = _ctx(state)
    missing, errors, warnings = review_items(state)
    pending = [w for w in warnings if w.rule not in state.acknowledged]
    lines = [W.review_head(len(errors), len(pending), len(missing))]
    buttons: list[tuple[Button, ...]] = []
    if missing:
        lines.append(W.review_missing([_question_label(c.fmt, q) for q in missing]))
        buttons.append(
            (Button(W.fix_button(_question_label(c.fmt, missing[0])), f"j|{missing[0].id}"),)
        )
    for v in errors[:10]:
        lines.append(describe_full(c.fmt, v))
    if errors:
        jump = _violation_targets(c, errors[0])
        buttons.extend(
            (Button(W.fix_button(_short_label(c.fmt, t)), f"j|{t.id}"),) for t in jump[:3]
        )
    for i, v in enumerate(warnings, 1):
        lines.append(W.warning_line(i, describe_full(c.fmt, v), state.acknowledged.get(v.rule)))
        if v.rule not in state.acknowledged:
            buttons.append((Button(f"{W.BTN_CONFIRM}（第{i}条）", f"a|review|{i}:{_tag(v.rule)}"),))
    if not missing and not errors and not pending:
        buttons.append((Button(W.BTN_FINISH, "f|review"),))
    text = "\n".join(lines)
    if len(text) > 3800:
        text = text[:3790] + "…"
    return Reply(text, tuple(buttons))


def _violation_targets(c: _Ctx, v: Violation) -> list[Question]:
    out: list[Question] = []
    for cid in v.cells:
        leaves = _leaves_of(c.fmt, cid) or (cid,)
        for q in c.plan.questions:
            if q not in out and any(leaf in q.cells for leaf in leaves):
                out.append(q)
                break
    return out


def _ack(state: State, q: Question, arg: str) -> Step:
    _, _, warnings = review_items(state)
    index, _, tag = arg.partition(":")
    if not index.isdigit() or not 1 <= int(index) <= len(warnings):
        return state, [Reply(W.stale_button()), review(state)]
    v = warnings[int(index) - 1]
    if _tag(v.rule) != tag:
        return state, [Reply(W.stale_button()), review(state)]
    new = state.evolve(acknowledged={**state.acknowledged, v.rule: ""})
    return new, [Reply(W.ack_saved(int(index))), review(new)]


NOTE = re.compile(r"^\s*(?:第\s*)?(\d{1,2})\s*(?:条)?\s*[：:、.．\s]\s*(.+)$", re.S)


def _note(state: State, text: str) -> Step:
    _, _, warnings = review_items(state)
    pending = [i for i, w in enumerate(warnings, 1) if w.rule not in state.acknowledged]
    m = NOTE.match(text)
    if m:
        index, note = int(m.group(1)), m.group(2).strip()
    elif len(pending) == 1:
        index, note = pending[0], text.strip()
    elif not pending:
        return state, [Reply(W.press_buttons_hint()), review(state)]
    else:
        return state, [Reply(W.note_which()), review(state)]
    if not 1 <= index <= len(warnings) or not note:
        return state, [Reply(W.note_bad_index(len(warnings))), review(state)]
    rule = warnings[index - 1].rule
    new = state.evolve(acknowledged={**state.acknowledged, rule: note[:500]})
    return new, [Reply(W.note_saved(index)), review(new)]


def _finish(state: State, q: Question, arg: str) -> Step:
    missing, errors, warnings = review_items(state)
    if missing or errors or any(w.rule not in state.acknowledged for w in warnings):
        return state, [Reply(W.finish_blocked()), review(state)]
    new = state.evolve(mode=Mode.DONE)
    return new, [Reply(W.finished(state.answers.agency, state.answers.year))]


def complete_answers(state: State) -> Answers:
    """The answers with implied zeros filled in: what a finished report states."""
    fmt = get_format(state.answers.format)
    return state.answers.with_cells(implied_zeros(fmt, state.answers.cells))


__all__ = [
    "ask",
    "complete_answers",
    "edit_menu",
    "find_questions",
    "review",
    "section_text",
    "start",
    "status",
    "step",
]
