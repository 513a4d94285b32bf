"""What a coordinator types after /deadline: a date, reminder days, a time, or "恢复"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum

from .deadlines import DeadlineKind, check_deadline, parse_offsets
from .interview import report_year
from .wording import reminders as W

_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_CHINESE = re.compile(r"^(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日?$")
_YEAR = re.compile(r"^(\d{4})年度?$")
_TIME = re.compile(r"^(\d{1,2})[:：](\d{2})$")


class Change(StrEnum):
    SHOW = "show"
    DEADLINE = "deadline"
    RESET = "reset"
    OFFSETS = "offsets"
    SEND_AT = "send_at"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class DeadlineInput:
    """A parsed /deadline: what to change, for which report year and kind."""

    change: Change
    year: int
    kind: DeadlineKind = DeadlineKind.AGENCY
    due: date | None = None
    offsets: tuple[int, ...] = ()
    send_at: time | None = None
    overdue_days: int | None = None


def parse_deadline_input(text: str, today: date) -> DeadlineInput:
    """Read /deadline's argument (ValueError with a Chinese explanation).

    "" shows the settings; "2026-01-26", "2026年1月26日" or "1月26日" sets the agencies'
    deadline; a leading "本级" the office's own report's; "2025年度" picks the report year
    (default: the one being reported now); "恢复" goes back to the statute; "提醒 14 7 3 1 0",
    "时间 10:00" and "逾期 30" change the reminders.
    """
    words = text.replace("\u3000", " ").split()
    year, kind = report_year(today), DeadlineKind.AGENCY
    while words and (_YEAR.match(words[0]) or words[0] == "本级"):
        head = words.pop(0)
        if head == "本级":
            kind = DeadlineKind.GOVERNMENT
        else:
            year = int(head[:4])
    if not words:
        return DeadlineInput(Change.SHOW, year, kind)
    verb, rest = words[0], " ".join(words[1:])
    if verb in ("恢复", "默认"):
        return DeadlineInput(Change.RESET, year, kind)
    if verb == "提醒":
        return DeadlineInput(Change.OFFSETS, year, kind, offsets=parse_offsets(rest))
    if verb == "时间":
        found = _TIME.match(rest.strip())
        if not found or int(found[1]) > 23:
            raise ValueError(W.DEADLINE_BAD_TIME)
        return DeadlineInput(Change.SEND_AT, year, kind, send_at=time(int(found[1]), int(found[2])))
    if verb == "逾期":
        if not rest.strip().isdecimal():
            raise ValueError(W.bad_overdue_days())
        return DeadlineInput(Change.OVERDUE, year, kind, overdue_days=int(rest))
    due = _date(verb, year)
    check_deadline(year, due)
    return DeadlineInput(Change.DEADLINE, year, kind, due=due)


def _date(word: str, year: int) -> date:
    iso, chinese = _ISO.match(word), _CHINESE.match(word)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if chinese:
            return date(int(chinese[1] or year + 1), int(chinese[2]), int(chinese[3]))
    except ValueError:
        pass
    raise ValueError(W.DEADLINE_USAGE)
