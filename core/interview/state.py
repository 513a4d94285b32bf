"""Interview state, user actions and replies: plain values the bot stores and sends."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any

from ..answers import Answers, from_data, to_json
from ..formats import format_for_year
from ..rules import Number


class Mode(StrEnum):
    ASK = "ask"
    REVIEW = "review"
    DONE = "done"


@dataclass(frozen=True)
class Text:
    """A typed message."""

    text: str


@dataclass(frozen=True)
class Press:
    """A button press; ``data`` is the button's callback data."""

    data: str


@dataclass(frozen=True)
class Command:
    """A command: back, skip, status, edit, review, start."""

    name: str
    arg: str = ""


Action = Text | Press | Command


@dataclass(frozen=True)
class Button:
    label: str
    data: str


@dataclass(frozen=True)
class Reply:
    """One message to send; ``buttons`` are rows of inline buttons."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()


@dataclass(frozen=True)
class State:
    """Everything about one report's interview. Survives as JSON (``to_data``/``from_data``).

    Attributes:
        answers: What has been entered (never implied or computed values).
        current: Id of the question being asked.
        trail: Questions visited, for 返回上一题.
        deferred: Questions put off with 稍后再填.
        acknowledged: Warnings confirmed (rule id -> the user's note, "" for a plain confirmation).
        last: Last year's answers, for the cross-year warnings and prefill.
        text_open: A narrative answer has started and waits for more text or 完成.
    """

    answers: Answers
    current: str = "agency"
    mode: Mode = Mode.ASK
    trail: tuple[str, ...] = ()
    deferred: frozenset[str] = frozenset()
    acknowledged: Mapping[str, str] = field(default_factory=dict)
    last: Answers | None = None
    text_open: bool = False

    def evolve(self, **changes: Any) -> State:
        return replace(self, **changes)

    def to_data(self) -> dict[str, Any]:
        import json

        return {
            "answers": json.loads(to_json(self.answers, with_totals=False)),
            "current": self.current,
            "mode": str(self.mode),
            "trail": list(self.trail[-50:]),
            "deferred": sorted(self.deferred),
            "acknowledged": dict(self.acknowledged),
            "last": json.loads(to_json(self.last, with_totals=False)) if self.last else None,
            "text_open": self.text_open,
        }

    @staticmethod
    def from_data(data: Mapping[str, Any]) -> State:
        last = data.get("last")
        return State(
            answers=from_data(data["answers"]),
            current=str(data.get("current", "agency")),
            mode=Mode(data.get("mode", "ask")),
            trail=tuple(data.get("trail", ())),
            deferred=frozenset(data.get("deferred", ())),
            acknowledged=dict(data.get("acknowledged", {})),
            last=from_data(last) if last else None,
            text_open=bool(data.get("text_open", False)),
        )


def report_year(today: date) -> int:
    """The year being reported on: last year from January to March, else this year."""
    return today.year - 1 if today.month <= 3 else today.year


def new_state(
    today: date,
    *,
    year: int | None = None,
    agency: str = "",
    contact: Mapping[str, str] | None = None,
    last: Answers | None = None,
    cells: Mapping[str, Number] | None = None,
) -> State:
    """A fresh interview for the report year of ``today`` (or ``year``)."""
    y = year if year is not None else report_year(today)
    fmt = format_for_year(y)
    answers = Answers(fmt.id, y, agency, dict(cells or {}), {}, dict(contact or {}))
    return State(answers=answers, last=last)
