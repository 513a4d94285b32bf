"""Working days in China: the official holiday calendar, or weekends where it has no data.

The State Council publishes each year's holidays and make-up working days (调休) in November or
December, and the ``chinesecalendar`` package carries them; a year it does not cover yet falls
back to Monday-Friday, and the log says so once per year.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

import chinese_calendar

log = logging.getLogger(__name__)


class WorkingDays:
    """A working-day predicate (``__call__``) that remembers the years it had to guess."""

    def __init__(self, warn: Callable[[int], None] | None = None) -> None:
        self.guessed: set[int] = set()
        self._warn = warn or _log_fallback

    def __call__(self, day: date) -> bool:
        if day.year not in self.guessed:
            try:
                return bool(chinese_calendar.is_workday(day))
            except NotImplementedError:  # the package has no data for that year
                self.guessed.add(day.year)
                self._warn(day.year)
        return day.weekday() < 5


def covered_years() -> tuple[int, int]:
    """The first and last year the installed holiday calendar covers."""
    from chinese_calendar.constants import holidays

    return min(holidays).year, max(holidays).year


def uncovered_years(first: int, last: int) -> list[int]:
    """The years from ``first`` to ``last`` whose holidays the calendar does not know yet."""
    start, end = covered_years()
    return [y for y in range(first, last + 1) if not start <= y <= end]


def _log_fallback(year: int) -> None:
    first, last = covered_years()
    log.warning(
        "holiday calendar (chinesecalendar %s-%s) has no data for %s: reminders that year "
        "move off weekends only, not off public holidays; upgrade chinesecalendar once the "
        "State Council has published %s's holidays",
        first,
        last,
        year,
        year,
    )
