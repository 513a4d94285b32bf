"""Deadlines and reminders as rules: which reminder is due for a report, and whether to send it.

Pure: no clock, no calendar data, no I/O. The caller passes the instant, the deadline, the
office's reminder settings (``Policy``), a working-day predicate (the holiday calendar is a data
source, ``bot/holidays.py``) and the report's last activity.

The rules:

- A report year's deadline is the office's internal date, else the statute's: 1月31日 of the
  next year for an agency's report, 3月31日 for the office's own government's report.
- Reminders go out at ``Policy.offsets`` days before the deadline (default 14, 7, 3, 1 and on
  the day) at ``Policy.send_at`` (09:00), and every working day once overdue (for
  ``Policy.overdue_days`` days). A reminder falling on a weekend or public holiday moves to the
  previous working day; two landing on one day make one (the more urgent). So a member gets at
  most one reminder per report per day, and ``Slot.day`` identifies it.
- A slot may go out from its time until 21:00 that day, never between 21:00 and 08:00, and not
  while someone is entering (the report changed in the last 10 minutes). A slot not sent that
  day is not sent later: the next one supersedes it, so a bot that was down sends no backlog.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from enum import StrEnum

from core.answers import Answers
from core.interview.derive import progress
from core.interview.plan import build_plan

from .wording import reminders as W

# China has kept UTC+8 without daylight saving since 1991: a fixed offset is exact here.
CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")
DEFAULT_OFFSETS = (14, 7, 3, 1, 0)
DEFAULT_SEND_AT = time(9, 0)
QUIET_FROM = time(21, 0)
QUIET_UNTIL = time(8, 0)
IDLE = timedelta(minutes=10)
OVERDUE_DAYS = 60
MAX_OFFSET = 90
# At most this many reminders before a deadline (besides the daily overdue notice).
MAX_OFFSETS = 10
# How far back a reminder may move to find a working day (the longest holiday is 8-9 days).
MAX_MOVE = 31

IsWorkday = Callable[[date], bool]


class DeadlineKind(StrEnum):
    """Whose report: an agency's (to its office) or the office's own government's."""

    AGENCY = "agency"
    GOVERNMENT = "government"


_STATUTORY = {DeadlineKind.AGENCY: (1, 31), DeadlineKind.GOVERNMENT: (3, 31)}


def statutory_deadline(year: int, kind: DeadlineKind = DeadlineKind.AGENCY) -> date:
    """The statute's deadline for the report on ``year``: 1月31日 or 3月31日 of the next year."""
    month, day = _STATUTORY[kind]
    return date(year + 1, month, day)


def check_deadline(year: int, due: date) -> None:
    """Raise ValueError (Chinese) unless ``due`` can be a deadline for the report on ``year``.

    A report covers the whole year, so its deadline lies in the following year.
    """
    if due.year != year + 1:
        raise ValueError(W.bad_deadline(year, due))


@dataclass(frozen=True)
class Policy:
    """An office's reminder settings.

    Attributes:
        offsets: Days before the deadline (0: on the day), distinct, most distant first.
        send_at: Time of day (Beijing time) reminders go out, within 08:00-21:00.
        overdue_days: For how many days after the deadline the daily notice continues.
    """

    offsets: tuple[int, ...] = DEFAULT_OFFSETS
    send_at: time = DEFAULT_SEND_AT
    overdue_days: int = OVERDUE_DAYS

    def __post_init__(self) -> None:
        offsets = tuple(sorted(set(self.offsets), reverse=True))
        if any(not 0 <= o <= MAX_OFFSET for o in offsets):
            raise ValueError(W.bad_offsets(MAX_OFFSET))
        if len(offsets) > MAX_OFFSETS:
            raise ValueError(W.too_many_offsets(len(offsets), MAX_OFFSETS))
        if not QUIET_UNTIL <= self.send_at < QUIET_FROM:
            raise ValueError(W.bad_send_at(QUIET_UNTIL, QUIET_FROM))
        if not 0 <= self.overdue_days <= 366:
            raise ValueError(W.bad_overdue_days())
        object.__setattr__(self, "offsets", offsets)


DEFAULT_POLICY = Policy()


def parse_offsets(text: str) -> tuple[int, ...]:
    """Offsets as people type them: "14 7 3 1 0", "14,7,3,1,0", "14、7、3、1、0" (ValueError)."""
    parts = text.replace("，", " ").replace(",", " ").replace("、", " ").split()
    if not parts or not all(p.isdecimal() for p in parts):
        raise ValueError(W.bad_offsets(MAX_OFFSET))
    return Policy(offsets=tuple(int(p) for p in parts)).offsets


@dataclass(frozen=True)
class Slot:
    """One reminder of a report's schedule.

    Attributes:
        key: What it is: ``before-3`` (three days before), ``before-0`` (the day itself),
            ``overdue-2`` (two days late).
        nominal: The day it belongs to before moving off weekends and holidays.
        day: The day it goes out (a working day).
        at: When it may go out (Beijing time).
        until: When it may no longer go out (21:00 that day).
    """

    key: str
    nominal: date
    day: date
    at: datetime
    until: datetime


def previous_workday(day: date, is_workday: IsWorkday) -> date:
    """``day`` itself if it is a working day, else the working day before it."""
    for back in range(MAX_MOVE):
        candidate = day - timedelta(days=back)
        if is_workday(candidate):
            return candidate
    return day  # a calendar with no working day for a month is broken: keep the reminder


def schedule(deadline: date, policy: Policy, is_workday: IsWorkday) -> tuple[Slot, ...]:
    """Every reminder slot for a deadline, in order, at most one per day."""
    wanted: list[tuple[str, date, date]] = []
    for offset in policy.offsets:
        nominal = deadline - timedelta(days=offset)
        wanted.append((f"before-{offset}", nominal, previous_workday(nominal, is_workday)))
    for late in range(1, policy.overdue_days + 1):
        nominal = deadline + timedelta(days=late)
        # Moving a weekend's notice back would land on a day with its own notice (or on the
        # deadline itself), so late notices simply skip days off.
        if is_workday(nominal):
            wanted.append((f"overdue-{late}", nominal, nominal))
    by_day: dict[date, tuple[str, date]] = {}
    for key, nominal, day in wanted:
        kept = by_day.get(day)
        if kept is None or nominal > kept[1]:  # the more urgent one speaks for the day
            by_day[day] = (key, nominal)
    return tuple(
        Slot(
            key,
            nominal,
            day,
            datetime.combine(day, policy.send_at, CHINA),
            datetime.combine(day, QUIET_FROM, CHINA),
        )
        for day, (key, nominal) in sorted(by_day.items())
    )


def in_season(deadline: date, policy: Policy, day: date) -> bool:
    """Whether ``day`` can hold a reminder for ``deadline`` (cheap: no calendar needed)."""
    first = deadline - timedelta(days=max(policy.offsets, default=0) + MAX_MOVE)
    return first <= day <= deadline + timedelta(days=policy.overdue_days)


def quiet(now: datetime) -> bool:
    """Whether ``now`` is between 21:00 and 08:00 Beijing time."""
    local = now.astimezone(CHINA).time()
    return local >= QUIET_FROM or local < QUIET_UNTIL


def slot_at(slots: Iterable[Slot], now: datetime) -> Slot | None:
    """The slot that may go out at ``now``: today's, once its time has come, before 21:00."""
    local = now.astimezone(CHINA)
    for slot in slots:
        if slot.day == local.date() and slot.at <= local < slot.until:
            return slot
    return None


class Skip(StrEnum):
    """Why nothing goes out to a member now."""

    NOT_DUE = "not_due"  # no reminder today, or not yet its time
    QUIET = "quiet"  # 21:00-08:00
    DONE = "done"  # the report has been submitted
    MUTED = "muted"  # the member turned reminders off
    BUSY = "busy"  # someone is entering: changed within the last 10 minutes


@dataclass(frozen=True)
class Decision:
    """What to do for one member now: send ``slot``, or not because of ``skip``.

    ``retry_at`` says, for a busy report, when the slot may go out if nobody types meanwhile.
    """

    slot: Slot | None
    skip: Skip | None = None
    retry_at: datetime | None = None

    @property
    def send(self) -> bool:
        return self.skip is None and self.slot is not None


def decide(
    slots: Sequence[Slot],
    now: datetime,
    *,
    done: bool,
    muted: bool,
    last_activity: datetime | None,
) -> Decision:
    """Whether a member gets a reminder at ``now``.

    Args:
        slots: The report's ``schedule``.
        now: The instant (timezone-aware).
        done: The report has been submitted (or approved).
        muted: The member turned reminders off.
        last_activity: When the report last changed (None: never started).
    """
    if quiet(now):
        return Decision(None, Skip.QUIET)
    slot = slot_at(slots, now)
    if slot is None:
        return Decision(None, Skip.NOT_DUE)
    if done:
        return Decision(slot, Skip.DONE)
    if muted:
        return Decision(slot, Skip.MUTED)
    if last_activity is not None and now - last_activity < IDLE:
        ready = last_activity + IDLE
        return Decision(slot, Skip.BUSY, ready if ready < slot.until else None)
    return Decision(slot)


class Stage(StrEnum):
    """Where an unsubmitted report stands, as a reminder describes it."""

    NOT_STARTED = "not_started"
    FILLING = "filling"
    RETURNED = "returned"
    IN_REVIEW = "in_review"


@dataclass(frozen=True)
class Progress:
    """What is missing: the stage, the share of questions settled and how many remain."""

    stage: Stage
    percent: int = 0
    missing: int = 0


def progress_of(stage: Stage, answers: Answers | None) -> Progress:
    """The report's progress as the interview counts it (/status shows the same percentage)."""
    if answers is None:
        return Progress(Stage.NOT_STARTED)
    done, total = progress(build_plan(answers.fmt), answers)
    return Progress(stage, done * 100 // total if total else 100, total - done)


@dataclass(frozen=True)
class Notice:
    """The facts a reminder states."""

    agency: str
    year: int
    deadline: date
    internal: bool
    progress: Progress


def reminder_text(notice: Notice, now: datetime) -> str:
    """The reminder's Chinese text at ``now`` (days left or overdue counted from today)."""
    today = now.astimezone(CHINA).date()
    return W.reminder(
        agency=notice.agency,
        year=notice.year,
        deadline=notice.deadline,
        internal=notice.internal,
        days_left=(notice.deadline - today).days,
        stage=str(notice.progress.stage),
        percent=notice.progress.percent,
        missing=notice.progress.missing,
    )
