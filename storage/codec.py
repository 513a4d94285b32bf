"""Between core values and rows: answers as items, their differences, the interview as JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from core.answers import Answers
from core.interview import State
from core.rules import Number

CELL, TEXT, CONTACT, META = "cell", "text", "contact", "meta"
AGENCY_KEY = "agency"
# Report-level facts whose changes are history too (they live on the reports row).
YEAR_KEY, FORMAT_KEY, STATUS_KEY = "year", "format", "status"


@dataclass(frozen=True)
class ItemChange:
    """One answer item that differs: ``None`` means absent (blank) on that side."""

    kind: str
    key: str
    old: Number | str | None
    new: Number | str | None


def number_text(value: Number) -> str:
    """The exact decimal text of a cell value (history keeps values as text)."""
    return str(value)


def read_number(value: Decimal) -> Number:
    """A stored decimal as core has it: integral values are ints."""
    return int(value) if value == value.to_integral_value() else value.normalize()


def value_text(value: Number | str | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return number_text(value)


def text_items(answers: Answers) -> dict[tuple[str, str], str]:
    """Every non-cell answer as ``(kind, key) -> text``."""
    items = {(TEXT, k): v for k, v in answers.texts.items()}
    items.update({(CONTACT, k): v for k, v in answers.contact.items()})
    if answers.agency:
        items[(META, AGENCY_KEY)] = answers.agency
    return items


def answers_from_rows(
    fmt: str,
    year: int,
    cells: Iterable[tuple[str, Decimal]],
    items: Iterable[Sequence[str]],
) -> Answers:
    """Rebuild Answers from cell rows and (kind, key, value) text rows."""
    texts: dict[str, str] = {}
    contact: dict[str, str] = {}
    agency = ""
    for kind, key, value in items:
        if kind == TEXT:
            texts[key] = value
        elif kind == CONTACT:
            contact[key] = value
        elif kind == META and key == AGENCY_KEY:
            agency = value
    numbers = {cid: read_number(v) for cid, v in cells}
    return Answers(fmt, year, agency, numbers, texts, contact)


def diff(old: Answers, new: Answers) -> list[ItemChange]:
    """Every cell and item that differs between ``old`` and ``new``, cells first."""
    changes: list[ItemChange] = []
    for cid in sorted(old.cells.keys() | new.cells.keys()):
        a, b = old.cells.get(cid), new.cells.get(cid)
        if a != b:  # by value: 5 and Decimal('5.0') are the same answer
            changes.append(ItemChange(CELL, cid, a, b))
    before, after = text_items(old), text_items(new)
    for kind, key in sorted(before.keys() | after.keys()):
        a_text, b_text = before.get((kind, key)), after.get((kind, key))
        if a_text != b_text:
            changes.append(ItemChange(kind, key, a_text, b_text))
    if old.year != new.year:
        changes.append(ItemChange(META, YEAR_KEY, str(old.year), str(new.year)))
    if old.format != new.format:
        changes.append(ItemChange(META, FORMAT_KEY, old.format, new.format))
    return changes


def interview_json(state: State) -> str:
    """The interview state as JSON, minus the answers (stored as rows of their own)."""
    # Serialize the state without its answers: they are rows, and writing them is the cost.
    bare = Answers(state.answers.format, state.answers.year)
    data = state.evolve(answers=bare).to_data()
    data["answers"] = {"format": bare.format, "year": bare.year}
    if state.last is not None:
        # to_data writes decimals as floats; keep last year's values exact as strings.
        cells = data["last"]["cells"]
        data["last"]["cells"] = {k: number_text(state.last.cells[k]) for k in cells}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def state_from(interview: str, answers: Answers) -> State:
    """The interview state from its JSON and the answers read from rows."""
    data: dict[str, Any] = json.loads(interview, parse_float=Decimal)
    data["answers"] = {"format": answers.format, "year": answers.year}
    last = data.get("last")
    if last:
        last["cells"] = {k: _exact(v) for k, v in last.get("cells", {}).items()}
    return State.from_data(data).evolve(answers=answers)


def _exact(value: Any) -> Any:
    return Decimal(value) if isinstance(value, str) else value


def result_json(result: Any) -> str | None:
    return None if result is None else json.dumps(result, ensure_ascii=False)


def result_from(text: str | None) -> Any:
    return None if text is None else json.loads(text)
