"""Deadlines, reminder settings, mutes and the reminders themselves: the store's methods.

``Store`` inherits ``ReminderStore``; the SQL is in ``reminder_rows``. A reminder goes through
``pending`` (planned by a pass; unique per member, report year, kind and day, so planning twice,
in two processes, adds nothing) → ``sending`` (claimed by one process) → ``sent`` or
``failed``; a pending one whose day is over becomes ``expired``. Only pending reminders are ever
claimed, so none is sent twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from core.answers import Answers
from core.deadlines import (
    DEFAULT_POLICY,
    DeadlineKind,
    Policy,
    check_deadline,
    statutory_deadline,
)

from . import directory, rows
from . import reminder_rows as Q
from . import texts as T
from .base import StorePart
from .models import deadlines, members, offices, reminder_settings, reminders
from .values import Member, ReportStatus, Role

R = TypeVar("R")
MAX_ATTEMPTS = 5  # tries of a reminder refused for certain (429s exhausted, connection refused)
LEASE = timedelta(minutes=15)  # a claim older than this belongs to a process that died


class ReminderStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    EXPIRED = "expired"


class Outcome(StrEnum):
    """What happened to a claimed reminder."""

    SENT = "sent"
    FAILED = "failed"  # refused for good, or unknown whether it went out: never resent
    RETRY = "retry"  # certainly not sent (e.g. 429s exhausted): pending again, if tries remain


@dataclass(frozen=True)
class Deadline:
    """The deadline that applies: the office's own (``internal``) or the statute's."""

    year: int
    kind: DeadlineKind
    due: date
    internal: bool


@dataclass(frozen=True)
class ReminderSettings:
    """Every office's deadlines for some years and reminder settings, for one pass."""

    deadlines: Mapping[tuple[int, int, str], date] = field(default_factory=dict)
    policies: Mapping[int, Policy] = field(default_factory=dict)

    def deadline(self, office_id: int | None, year: int, kind: DeadlineKind) -> Deadline:
        own = None if office_id is None else self.deadlines.get((office_id, year, kind))
        if own is None:
            return Deadline(year, kind, statutory_deadline(year, kind), False)
        return Deadline(year, kind, own, True)

    def policy(self, office_id: int | None) -> Policy:
        found = None if office_id is None else self.policies.get(office_id)
        return found or DEFAULT_POLICY


@dataclass(frozen=True)
class Recipient:
    """An agency member, the agency's report for the year in question, and its activity."""

    member_id: int
    telegram_user_id: int
    name: str
    role: Role
    agency_id: int
    agency_name: str
    office_id: int | None
    report_id: int | None
    status: ReportStatus | None
    last_activity: datetime | None
    muted: bool


@dataclass(frozen=True)
class PlannedReminder:
    """A reminder a pass decided to send (the text is fixed when it is planned)."""

    member_id: int
    agency_id: int
    report_id: int | None
    year: int
    kind: DeadlineKind
    slot: str
    day: date
    chat_id: int
    text: str
    due_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class ClaimedReminder:
    """A reminder this process claimed and must now send (``attempts`` counts this one)."""

    id: int
    member_id: int
    chat_id: int
    text: str
    attempts: int


@dataclass(frozen=True)
class Delivery:
    """The outcome of sending a claimed reminder."""

    claimed: ClaimedReminder
    outcome: Outcome
    message_id: int | None = None
    error: str | None = None


@dataclass(frozen=True)
class ReminderRecord:
    """A stored reminder, as operators and tests see it."""

    id: int
    member_id: int
    agency_id: int
    report_id: int | None
    year: int
    kind: DeadlineKind
    slot: str
    day: date
    chat_id: int
    text: str
    status: ReminderStatus
    attempts: int
    error: str | None
    planned_at: datetime
    sent_at: datetime | None
    message_id: int | None


class ReminderStore(StorePart):
    """The reminder half of ``Store`` (which provides ``_read`` and ``_write``)."""

    # ------------------------------------------------------------------ deadlines

    async def set_deadline(
        self,
        office_id: int,
        year: int,
        due: date,
        *,
        now: datetime,
        kind: DeadlineKind = DeadlineKind.AGENCY,
    ) -> Deadline:
        """Set the office's internal deadline for the report on ``year`` (ValueError if absurd)."""
        check_deadline(year, due)

        def work(conn: Connection) -> None:
            directory.need(conn, offices, office_id, T.WHAT_OFFICE)
            values = {"office_id": office_id, "year": year, "kind": str(kind), "due": due}
            Q.upsert(conn, deadlines, {**values, "updated_at": now}, ("office_id", "year", "kind"))

        await self._write(work)
        return Deadline(year, kind, due, True)

    async def clear_deadline(
        self, office_id: int, year: int, *, kind: DeadlineKind = DeadlineKind.AGENCY
    ) -> Deadline:
        """Back to the statutory deadline."""
        await self._write(
            lambda conn: conn.execute(
                sa.delete(deadlines).where(
                    deadlines.c.office_id == office_id,
                    deadlines.c.year == year,
                    deadlines.c.kind == str(kind),
                )
            )
        )
        return Deadline(year, kind, statutory_deadline(year, kind), False)

    async def deadline(
        self, office_id: int | None, year: int, *, kind: DeadlineKind = DeadlineKind.AGENCY
    ) -> Deadline:
        """The deadline that applies to an office's agencies (None: an agency without office)."""
        settings = await self.reminder_settings([year]) if office_id is not None else None
        return (settings or ReminderSettings()).deadline(office_id, year, kind)

    async def set_reminder_policy(self, office_id: int, policy: Policy, *, now: datetime) -> None:
        """Set the office's reminder offsets, send time and overdue days."""

        def work(conn: Connection) -> None:
            directory.need(conn, offices, office_id, T.WHAT_OFFICE)
            values = Q.policy_values(office_id, policy, now)
            Q.upsert(conn, reminder_settings, values, ("office_id",))

        await self._write(work)

    async def reminder_policy(self, office_id: int | None) -> Policy:
        if office_id is None:
            return DEFAULT_POLICY
        found = await self._read(lambda conn: Q.policies(conn, office_id))
        return found.get(office_id, DEFAULT_POLICY)

    async def reminder_settings(self, years: Sequence[int]) -> ReminderSettings:
        """Every office's deadlines for ``years`` and every office's reminder settings."""

        def work(conn: Connection) -> ReminderSettings:
            return ReminderSettings(Q.office_deadlines(conn, years), Q.policies(conn))

        return await self._read(work)

    # ------------------------------------------------------------------ members and mutes

    async def members_of(self, agency_id: int) -> list[Member]:
        """The agency's members, in the order they joined."""
        query = sa.select(members).where(members.c.agency_id == agency_id).order_by(members.c.id)
        found = await self._read(lambda conn: conn.execute(query).all())
        return [directory.member_of(r) for r in found]

    async def set_muted(self, telegram_user_id: int, muted: bool, *, now: datetime) -> int:
        """Turn reminders off (or on) for every agency membership of a user; returns how many."""

        def work(conn: Connection) -> int:
            ids = Q.agency_member_ids(conn, telegram_user_id)
            Q.set_muted(conn, ids, muted, now)
            return len(ids)

        return await self._write(work)

    async def is_muted(self, telegram_user_id: int) -> bool:
        """Whether any agency membership of the user has reminders turned off."""

        def work(conn: Connection) -> bool:
            return bool(Q.muted_ids(conn, Q.agency_member_ids(conn, telegram_user_id)))

        return await self._read(work)

    # ------------------------------------------------------------------ a reminder pass

    async def reminder_recipients(self, year: int) -> list[Recipient]:
        """Every agency member, with the agency's report on ``year`` and whether it is busy."""
        found = await self._read(lambda conn: Q.recipients(conn, year))
        return [
            Recipient(
                member_id=r.id,
                telegram_user_id=r.telegram_user_id,
                name=r.name,
                role=Role(r.role),
                agency_id=r.agency_id,
                agency_name=r.agency_name,
                office_id=r.office_id,
                report_id=r.report_id,
                status=None if r.status is None else ReportStatus(r.status),
                last_activity=r.last_activity,
                muted=bool(r.muted),
            )
            for r in found
        ]

    async def report_answers(self, report_ids: Sequence[int]) -> dict[int, Answers]:
        """The answers of some reports (for what a reminder says is missing)."""

        def work(conn: Connection) -> dict[int, Answers]:
            loaded = (rows.load(conn, rid) for rid in report_ids)
            return {r.report_id: r.state.answers for r in loaded if r is not None}

        return await self._read(work)

    async def reminders_on(self, day: date) -> dict[tuple[int, int, str], ReminderStatus]:
        """(member, year, kind) → status of each reminder planned for ``day``."""
        found = await self._read(lambda conn: Q.keys_on(conn, day))
        return {(r.member_id, r.year, r.kind): ReminderStatus(r.status) for r in found}

    async def plan_reminders(self, planned: Sequence[PlannedReminder], *, now: datetime) -> int:
        """Record reminders as pending; those already planned (anywhere) are left alone.

        Returns:
            How many were new.
        """
        values = [
            {
                "member_id": p.member_id,
                "agency_id": p.agency_id,
                "report_id": p.report_id,
                "year": p.year,
                "kind": str(p.kind),
                "slot": p.slot,
                "day": p.day,
                "chat_id": p.chat_id,
                "text": p.text,
                "status": str(ReminderStatus.PENDING),
                "attempts": 0,
                "due_at": p.due_at,
                "expires_at": p.expires_at,
                "planned_at": now,
            }
            for p in planned
        ]
        if not values:
            return 0
        return await self._write(lambda conn: Q.insert_new(conn, reminders, values, Q.REMINDER_KEY))

    async def expire_reminders(self, now: datetime, *, lease: timedelta = LEASE) -> tuple[int, int]:
        """Expire pending reminders whose day is over; fail claims abandoned for ``lease``.

        Returns:
            (expired, interrupted).
        """
        return await self._write(lambda conn: Q.expire(conn, now, lease))

    async def claim_reminders(self, now: datetime, *, limit: int) -> list[ClaimedReminder]:
        """Claim up to ``limit`` pending reminders for this process to send."""
        taken = await self._write(lambda conn: Q.claim(conn, now, limit))
        return [ClaimedReminder(r.id, r.member_id, r.chat_id, r.text, r.attempts) for r in taken]

    async def finish_reminders(self, deliveries: Sequence[Delivery], *, now: datetime) -> None:
        """Record what happened to claimed reminders."""
        values: list[dict[str, Any]] = []
        for d in deliveries:
            status = {Outcome.SENT: ReminderStatus.SENT, Outcome.FAILED: ReminderStatus.FAILED}.get(
                d.outcome, ReminderStatus.PENDING
            )
            if d.outcome is Outcome.RETRY and d.claimed.attempts >= MAX_ATTEMPTS:
                status = ReminderStatus.FAILED
            values.append(
                {
                    "rid": d.claimed.id,
                    "new_status": str(status),
                    "new_sent_at": now if d.outcome is Outcome.SENT else None,
                    "new_message_id": d.message_id,
                    "new_error": d.error[:500] if d.error else None,
                }
            )
        await self._write(lambda conn: Q.finish(conn, values))

    async def reminder_records(
        self, *, day: date | None = None, member_id: int | None = None
    ) -> list[ReminderRecord]:
        """Stored reminders, oldest first (of one day, one member, or all)."""
        found = await self._read(lambda conn: Q.records(conn, day, member_id))
        return [_record(r) for r in found]


def _record(r: Any) -> ReminderRecord:
    return ReminderRecord(
        id=r.id,
        member_id=r.member_id,
        agency_id=r.agency_id,
        report_id=r.report_id,
        year=r.year,
        kind=DeadlineKind(r.kind),
        slot=r.slot,
        day=r.day,
        chat_id=r.chat_id,
        text=r.text,
        status=ReminderStatus(r.status),
        attempts=r.attempts,
        error=r.error,
        planned_at=r.planned_at,
        sent_at=r.sent_at,
        message_id=r.message_id,
    )
