"""Text answers: agency name, contact details, narratives and the 信息处理费."""

from __future__ import annotations

from ..check import evaluate
from ..formats import get_format
from ..numbers import InputError, parse_amount
from ..rules import RuleKind
from ..wording import interview as W
from ..wording.cells import num
from ..wording.input_errors import describe as describe_input
from ..wording.rules import describe_full
from .asking import ask
from .derive import effective
from .nav import Step, _advance, _btn, check_context
from .plan import QKind, Question
from .state import Reply, State

SHORT_TEXT = 50  # characters below which a narrative part is unusually short


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
    buttons = ((_btn(W.BTN_DONE, "d", q.id), _btn(W.BTN_CLEAR, "cl", q.id)),)
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
