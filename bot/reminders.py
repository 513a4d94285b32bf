"""Reminder passes: decide who is due (``core.deadlines``), record it, claim it, send it.

A pass at instant ``now``: for the report years whose reminders may fall today, every agency
member is checked against the rules; the due ones are planned in the database (unique per
member, year, kind and day), then claimed in batches and sent at the configured rate. Several
processes may run passes at once: planning twice adds nothing and a claim takes each reminder
for one process only. ``reminder_loop`` runs a pass every few minutes inside ``nianbao run``;
``nianbao remind`` runs one (``bot/remind_cmd.py``).
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from core.deadlines import (
    CHINA,
    DeadlineKind,
    Notice,
    Policy,
    Skip,
    Slot,
    Stage,
    decide,
    in_season,
    progress_of,
    quiet,
    reminder_text,
    schedule,
    slot_at,
)
from storage import ReportStatus, StorageError, Store
from storage.reminders import Delivery, Outcome, PlannedReminder, Recipient, ReminderSettings

from . import metrics
from .holidays import WorkingDays
from .reminder_send import Pacer, SendFn, deliver

log = logging.getLogger(__name__)

KIND = DeadlineKind.AGENCY  # the office's own report is not reminded of (yet)
DONE = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
STAGES = {
    ReportStatus.FILLING: Stage.FILLING,
    ReportStatus.RETURNED: Stage.RETURNED,
    ReportStatus.IN_REVIEW: Stage.IN_REVIEW,
}
_Slots = Callable[[int | None, int], tuple[Slot, ...]]
BATCH_SECONDS = 2.0  # a claim holds about this many seconds of sending


@dataclass(frozen=True)
class Due:
    """A reminder this pass decided on, with whom it is for."""

    reminder: PlannedReminder
    name: str
    agency: str


@dataclass
class PassReport:
    """What a pass did (or, dry, would do)."""

    at: datetime
    dry_run: bool
    quiet: bool = False
    due: list[Due] = field(default_factory=list)
    skipped: Counter[Skip] = field(default_factory=Counter)
    already: int = 0
    planned: int = 0
    outcomes: dict[tuple[int, str], Outcome] = field(default_factory=dict)
    expired: int = 0
    interrupted: int = 0
    floods: int = 0
    paused: float = 0.0  # seconds every sender waited out 429s
    guessed_years: list[int] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for o in self.outcomes.values() if o is outcome)


async def run_pass(
    store: Store,
    now: datetime,
    *,
    send: SendFn | None = None,
    rate: float = 25.0,
    is_workday: Callable[[date], bool] | None = None,
    dry_run: bool = False,
    stop: asyncio.Event | None = None,
) -> PassReport:
    """One reminder pass as if it were ``now``.

    Args:
        store: The database.
        now: The instant (timezone-aware).
        send: Sends one message (``reminder_send.bot_sender``); required unless ``dry_run``.
        rate: Messages per second.
        is_workday: The working-day predicate (default: the holiday calendar).
        dry_run: Decide and report only; nothing is written or sent.
        stop: When set, no further batch is claimed (a graceful shutdown).
    """
    if send is None and not dry_run:
        raise ValueError("run_pass needs send= unless dry_run")
    workdays = is_workday or WorkingDays()
    report = PassReport(now, dry_run, quiet=quiet(now))
    if report.quiet:
        return report
    local = now.astimezone(CHINA)
    years = [local.year - 1, local.year]
    settings = await store.reminder_settings(years)
    schedules: dict[tuple[date, Policy], tuple[Slot, ...]] = {}

    def slots(office_id: int | None, year: int) -> tuple[Slot, ...]:
        deadline = settings.deadline(office_id, year, KIND).due
        policy = settings.policy(office_id)
        if not in_season(deadline, policy, local.date()):
            return ()  # the holiday calendar is asked only about days that matter
        if (deadline, policy) not in schedules:
            schedules[(deadline, policy)] = schedule(deadline, policy, workdays)
        return schedules[(deadline, policy)]

    existing = None
    decided: list[_Decided] = []
    for year in years:
        if not _any_slot_today(settings, year, slots, now):
            continue
        if existing is None:
            existing = await store.reminders_on(local.date())
        for r in await store.reminder_recipients(year):
            decision = decide(
                slots(r.office_id, year),
                now,
                done=r.status in DONE,
                muted=r.muted,
                last_activity=r.last_activity,
            )
            if decision.skip is not None:
                report.skipped[decision.skip] += 1
            elif (r.member_id, year, str(KIND)) in existing:
                report.already += 1
            else:
                assert decision.slot is not None
                decided.append(_Decided(r, year, decision.slot))
    if isinstance(workdays, WorkingDays):
        report.guessed_years = sorted(workdays.guessed)
    report.due = await _with_texts(store, settings, decided, now)
    if dry_run:
        return report
    report.planned = await store.plan_reminders([d.reminder for d in report.due], now=now)
    report.expired, report.interrupted = await store.expire_reminders(now)
    assert send is not None
    await _send_claimed(store, now, send, rate, report, stop)
    return report


def _any_slot_today(settings: ReminderSettings, year: int, slots: _Slots, now: datetime) -> bool:
    """Whether any office (or the statutory default) has a reminder today for ``year``."""
    offices = {o for o, y, _ in settings.deadlines if y == year} | set(settings.policies)
    return any(slot_at(slots(o, year), now) for o in (None, *offices))


@dataclass(frozen=True)
class _Decided:
    recipient: Recipient
    year: int
    slot: Slot


async def _with_texts(
    store: Store, settings: ReminderSettings, decided: list[_Decided], now: datetime
) -> list[Due]:
    """The reminders with their texts (the reports are loaded once, for what is missing)."""
    ids = sorted({d.recipient.report_id for d in decided if d.recipient.report_id is not None})
    answers = await store.report_answers(ids) if ids else {}
    out = []
    for d in decided:
        r = d.recipient
        deadline = settings.deadline(r.office_id, d.year, KIND)
        stage = Stage.NOT_STARTED if r.status is None else STAGES.get(r.status, Stage.FILLING)
        found = answers.get(r.report_id) if r.report_id is not None else None
        notice = Notice(
            r.agency_name, d.year, deadline.due, deadline.internal, progress_of(stage, found)
        )
        reminder = PlannedReminder(
            member_id=r.member_id,
            agency_id=r.agency_id,
            report_id=r.report_id,
            year=d.year,
            kind=KIND,
            slot=d.slot.key,
            day=d.slot.day,
            chat_id=r.telegram_user_id,
            text=reminder_text(notice, now),
            due_at=d.slot.at,
            expires_at=d.slot.until,
        )
        out.append(Due(reminder, r.name, r.agency_name))
    return out


async def _send_claimed(
    store: Store,
    now: datetime,
    send: SendFn,
    rate: float,
    report: PassReport,
    stop: asyncio.Event | None,
) -> None:
    pacer = Pacer(rate)
    batch = max(10, math.ceil(rate * BATCH_SECONDS))
    started = time.monotonic()

    def current() -> datetime:
        # The pass's instant plus the time spent sending: 10,000 reminders take minutes, and a
        # pass begun at 20:55 must claim nothing after 21:00 (claims need an unexpired day).
        return now + timedelta(seconds=time.monotonic() - started)

    while stop is None or not stop.is_set():
        claimed = await store.claim_reminders(current(), limit=batch)
        if not claimed:
            break
        deliveries: list[Delivery] = await deliver(claimed, send, pacer)
        await store.finish_reminders(deliveries, now=current())
        for d in deliveries:
            report.outcomes[(d.claimed.member_id, d.claimed.text)] = d.outcome
            metrics.reminder_outcome(d.outcome)
            if d.outcome is Outcome.FAILED:
                log.warning(
                    "reminder %s to chat %s failed: %s", d.claimed.id, d.claimed.chat_id, d.error
                )
        if any(d.outcome is Outcome.RETRY for d in deliveries):
            break  # refused for now (flood control, no connection): the next pass retries
    report.floods, report.paused = pacer.floods, pacer.paused


async def reminder_loop(
    store: Store,
    send: SendFn,
    *,
    interval: float,
    rate: float,
    clock: Callable[[], datetime],
    stop: asyncio.Event,
) -> None:
    """A pass every ``interval`` seconds until ``stop`` is set (a failed pass is logged)."""
    workdays = WorkingDays()
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), interval)
            return
        except TimeoutError:
            pass
        try:
            done = await run_pass(
                store, clock(), send=send, rate=rate, is_workday=workdays, stop=stop
            )
        except StorageError:
            log.exception("reminder pass failed")
            continue
        if done.outcomes or done.planned:
            log.info(
                "reminders: %d planned, %d sent, %d failed, %d to retry, %d 429s",
                done.planned,
                done.count(Outcome.SENT),
                done.count(Outcome.FAILED),
                done.count(Outcome.RETRY),
                done.floods,
            )


class ReminderJob:
    """The reminder loop of ``nianbao run``: started with the bot, stopped before it."""

    def __init__(
        self,
        store: Store,
        send: SendFn,
        *,
        interval: float,
        rate: float,
        clock: Callable[[], datetime] = lambda: datetime.now(CHINA),
    ) -> None:
        self._run = (store, send, interval, rate, clock)
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start the loop (nothing when the interval is 0: reminders off)."""
        store, send, interval, rate, clock = self._run
        if interval <= 0 or self._task is not None:
            return
        self._task = asyncio.create_task(
            reminder_loop(store, send, interval=interval, rate=rate, clock=clock, stop=self._stop),
            name="nianbao reminders",
        )

    async def stop(self, timeout: float = 10.0) -> None:
        """Let a running pass finish its batch (claimed reminders get their outcome), then end."""
        self._stop.set()
        if self._task is None:
            return
        try:
            await asyncio.wait_for(self._task, timeout)
        except TimeoutError:
            log.warning("reminder pass did not stop within %s s; cancelled", timeout)
        except Exception:
            log.exception("reminder loop failed")
        self._task = None
