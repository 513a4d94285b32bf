"""The interview as a pure state machine: ``step(state, action) -> (state, replies)``."""

from __future__ import annotations

from ..answers import Answers, section_text, too_long
from ..check import evaluate
from ..formats import format_for_year, get_format
from ..formats.model import Format
from ..rules import Severity
from ..wording import interview as W
from .asking import ask
from .contact import parse_contact
from .derive import implied_zeros, progress, settled
from .nav import Step, _advance, _ctx, _current, _go, _next_question, _question_label
from .plan import QKind, Question, build_plan
from .review import _ack, _finish, _note, review
from .rows import _accept, _block_zero, _group_zero, _row_text, _row_zero, _table_zero
from .state import Action, Button, Command, Mode, Press, Reply, State
from .texts import _agency, _fee, _narrative, _no_fee, _skip, _text_clear, _text_done

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
    answers = state.answers
    return W.status_text(
        answers.agency, answers.year, done * 100 // total, done, total, lines, errors
    )


def _part_name(fmt: Format, q: Question) -> str:
    if q.kind in (QKind.AGENCY, QKind.CONTACT):
        return "基本信息"
    if q.table:
        return fmt.table(q.table).short
    return next(s.title for s in fmt.sections if s.key == q.section)


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
        # "cl", not "c": buttons "c|…" belong to offices and review (bot/coordination.py).
        "cl": _text_clear,
        "s": _skip,
        "n": _skip,
        "nf": _no_fee,
        "a": _ack,
        "f": _finish,
    }
    handler = handlers.get(verb)
    kinds = VERB_KINDS.get(verb)
    if handler is None or (kinds is not None and q.kind not in kinds):
        # Unknown, or forged for a question of another kind (callback data comes from the
        # client): 本表全部为0 on a narrative would find no table.
        return state, [Reply(W.unknown_button()), ask(state)]
    return handler(state, q, arg)


_ROW = frozenset({QKind.ROW})
# The kinds of question a button's verb belongs to; verbs not listed work on any question.
VERB_KINDS: dict[str, frozenset[QKind]] = {
    "z": _ROW,
    "gz": _ROW,
    "bz": _ROW,
    "tz": _ROW,
    "ok": _ROW,
    "d": frozenset({QKind.TEXT}),
    "cl": frozenset({QKind.TEXT}),
    "nf": frozenset({QKind.FEE}),
    "a": frozenset({QKind.REVIEW}),
    "f": frozenset({QKind.REVIEW}),
}


def _year(state: State, arg: str) -> Step:
    years = [state.answers.year - 1, state.answers.year, state.answers.year + 1]
    if not arg:
        buttons = (tuple(Button(f"{y}年", f"y|agency|{y}") for y in years if y >= 2019),)
        return state, [Reply(W.choose_year(state.answers.year), buttons)]
    if not arg.isdecimal() or not 2019 <= int(arg) <= 2100:
        return state, [Reply(W.unknown_button()), ask(state)]
    year = int(arg)
    fmt = format_for_year(year)
    old = state.answers
    cells = {k: v for k, v in old.cells.items() if k in fmt.cells}
    answers = Answers(fmt.id, year, old.agency, cells, old.texts, old.contact)
    new = state.evolve(answers=answers)
    return new, [Reply(W.year_changed(year, fmt.document, len(old.cells) - len(cells))), ask(new)]


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
        if problems := too_long(contact):
            return state, [Reply(W.contact_too_long(problems)), ask(state)]
        new = state.evolve(answers=state.answers.with_meta(contact=contact))
        moved = _advance(new)
        return moved, [Reply(W.contact_saved(contact)), ask(moved)]
    if q.kind is QKind.FEE:
        return _fee(state, q, text)
    if q.kind is QKind.TEXT:
        return _narrative(state, q, text)
    return _row_text(state, q, text)


def resume(state: State) -> State:
    """Position a state rebuilt from an answers file at its first unanswered question."""
    if not state.answers.agency:
        return state.evolve(current="agency", mode=Mode.ASK)
    return _go(state.evolve(current="agency"), _next_question(state, "agency"), remember=False)


def complete_answers(state: State) -> Answers:
    """The answers with implied zeros filled in: what a finished report states."""
    fmt = get_format(state.answers.format)
    return state.answers.with_cells(implied_zeros(fmt, state.answers.cells))


__all__ = [
    "ask",
    "complete_answers",
    "edit_menu",
    "find_questions",
    "resume",
    "review",
    "section_text",
    "start",
    "status",
    "step",
]
