"""The review: what is missing, errors and warnings; confirmations and completion."""

from __future__ import annotations

import re
import zlib

from ..check import Violation, evaluate
from ..rules import Severity
from ..wording import interview as W
from ..wording.rules import describe_full
from .derive import settled
from .nav import Step, _ctx, _dedupe, _fix_buttons, _question_label, check_context
from .plan import QKind, Question
from .state import Button, Mode, Reply, State


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
        buttons.extend(_fix_buttons(c, errors[:3]))
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


def _ack(state: State, q: Question, arg: str) -> Step:
    _, _, warnings = review_items(state)
    index, _, tag = arg.partition(":")
    if not (index.isascii() and index.isdigit()) or not 1 <= int(index) <= len(warnings):
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
