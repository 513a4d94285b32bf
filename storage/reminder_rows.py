"""SQL for deadlines and reminders inside a caller's transaction (see ``storage.reminders``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from core.deadlines import Policy

from .models import (
    agencies,
    deadlines,
    members,
    reminder_mutes,
    reminder_settings,
    reminders,
    reports,
)

# Rows per INSERT: 500 rows of 13 values stay under SQLite's and asyncpg's parameter limits.
CHUNK = 500
REMINDER_KEY = ("member_id", "year", "kind", "day")


def upsert(conn: Connection, table: sa.Table, values: dict[str, Any], keys: Sequence[str]) -> None:
    """Insert ``values``, or update the row with the same ``keys``."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table).values(**values)
    changed = {k: v for k, v in values.items() if k not in keys}
    conn.execute(stmt.on_conflict_do_update(index_elements=list(keys), set_=changed))


def insert_new(
    conn: Connection, table: sa.Table, rows: list[dict[str, Any]], keys: Sequence[str]
) -> int:
    """Insert the rows whose ``keys`` are not taken yet; returns how many went in."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    inserted = 0
    for start in range(0, len(rows), CHUNK):
        stmt = (
            dialect.insert(table)
            .values(rows[start : start + CHUNK])
            .on_conflict_do_nothing(index_elements=list(keys))
            .returning(table.c[keys[0]])
        )
        inserted += len(conn.execute(stmt).all())
    return inserted


# ------------------------------------------------------------------ office settings


def office_deadlines(conn: Connection, years: Iterable[int]) -> dict[tuple[int, int, str], date]:
    """(office, year, kind) → the office's own deadline, for ``years``."""
    query = sa.select(deadlines.c.office_id, deadlines.c.year, deadlines.c.kind, deadlines.c.due)
    found = conn.execute(query.where(deadlines.c.year.in_(list(years)))).all()
    return {(r.office_id, r.year, r.kind): r.due for r in found}


def policy_of(row: Any) -> Policy:
    return Policy(
        offsets=tuple(int(o) for o in row.offsets.split(",") if o),
        send_at=row.send_at,
        overdue_days=row.overdue_days,
    )


def policies(conn: Connection, office_id: int | None = None) -> dict[int, Policy]:
    """Office → its reminder settings (offices not listed use the defaults)."""
    query = sa.select(reminder_settings)
    if office_id is not None:
        query = query.where(reminder_settings.c.office_id == office_id)
    return {r.office_id: policy_of(r) for r in conn.execute(query).all()}


def policy_values(office_id: int, policy: Policy, now: datetime) -> dict[str, Any]:
    return {
        "office_id": office_id,
        "offsets": ",".join(str(o) for o in policy.offsets),
        "send_at": policy.send_at,
        "overdue_days": policy.overdue_days,
        "updated_at": now,
    }


# ------------------------------------------------------------------ members and mutes


def agency_member_ids(conn: Connection, telegram_user_id: int) -> list[int]:
    query = sa.select(members.c.id).where(
        members.c.telegram_user_id == telegram_user_id, members.c.agency_id.is_not(None)
    )
    return list(conn.execute(query.order_by(members.c.id)).scalars())


def set_muted(conn: Connection, member_ids: list[int], muted: bool, now: datetime) -> None:
    if not member_ids:
        return
    if muted:
        rows = [{"member_id": m, "muted_at": now} for m in member_ids]
        insert_new(conn, reminder_mutes, rows, ("member_id",))
    else:
        conn.execute(sa.delete(reminder_mutes).where(reminder_mutes.c.member_id.in_(member_ids)))


def muted_ids(conn: Connection, member_ids: list[int]) -> set[int]:
    query = sa.select(reminder_mutes.c.member_id).where(reminder_mutes.c.member_id.in_(member_ids))
    return set(conn.execute(query).scalars())


def recipients(conn: Connection, year: int) -> list[Any]:
    """Every agency member with the agency's report for ``year`` (if any) and its activity.

    ``last_activity`` is the latest change of any of the agency's reports: history rows name
    their member but navigation writes none, so the report's ``updated_at`` is what shows that
    someone is in the middle of an entry.
    """
    recent = reports.alias("recent")
    last = (
        sa.select(sa.func.max(recent.c.updated_at))
        .where(recent.c.agency_id == agencies.c.id)
        .scalar_subquery()
    )
    muted = sa.exists().where(reminder_mutes.c.member_id == members.c.id)
    joined = members.join(agencies, members.c.agency_id == agencies.c.id).outerjoin(
        reports, sa.and_(reports.c.agency_id == agencies.c.id, reports.c.year == year)
    )
    query = (
        sa.select(
            members.c.id,
            members.c.telegram_user_id,
            members.c.name,
            members.c.role,
            members.c.agency_id,
            agencies.c.name.label("agency_name"),
            agencies.c.office_id,
            reports.c.id.label("report_id"),
            reports.c.status,
            last.label("last_activity"),
            muted.label("muted"),
        )
        .select_from(joined)
        .order_by(members.c.id)
    )
    return list(conn.execute(query).all())


# ------------------------------------------------------------------ reminders


def keys_on(conn: Connection, day: date) -> list[Any]:
    """(member, year, kind, status) of every reminder planned for ``day``."""
    query = sa.select(
        reminders.c.member_id, reminders.c.year, reminders.c.kind, reminders.c.status
    ).where(reminders.c.day == day)
    return list(conn.execute(query).all())


def claim(conn: Connection, now: datetime, limit: int) -> list[Any]:
    """Take up to ``limit`` pending reminders for this process: they become ``sending``.

    On PostgreSQL ``FOR UPDATE SKIP LOCKED`` lets several processes claim side by side, each
    getting other rows; SQLite runs every write on one thread in one transaction at a time.
    """
    muted = sa.exists().where(reminder_mutes.c.member_id == reminders.c.member_id)
    pick = (
        sa.select(reminders.c.id)
        .where(reminders.c.status == "pending", reminders.c.expires_at > now, ~muted)
        .order_by(reminders.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    ids = list(conn.execute(pick).scalars())
    if not ids:
        return []
    taken = conn.execute(
        sa.update(reminders)
        .where(reminders.c.id.in_(ids), reminders.c.status == "pending")
        .values(status="sending", claimed_at=now, attempts=reminders.c.attempts + 1)
        .returning(
            reminders.c.id,
            reminders.c.member_id,
            reminders.c.chat_id,
            reminders.c.text,
            reminders.c.attempts,
        )
    ).all()
    return sorted(taken, key=lambda r: r.id)


_FINISH = (
    sa.update(reminders)
    .where(reminders.c.id == sa.bindparam("rid"), reminders.c.status == "sending")
    .values(
        status=sa.bindparam("new_status"),
        sent_at=sa.bindparam("new_sent_at"),
        message_id=sa.bindparam("new_message_id"),
        error=sa.bindparam("new_error"),
    )
)


def finish(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Record outcomes: ``rid``, ``new_status``, ``new_sent_at``, ``new_message_id``, ``new_error``."""
    if rows:
        conn.execute(_FINISH, rows)


def expire(conn: Connection, now: datetime, lease: timedelta) -> tuple[int, int]:
    """Pending reminders past their day expire; claims older than ``lease`` become failed.

    A claimed reminder whose process died may or may not have gone out; it is never sent
    again (at most once), only marked so that operators see it.
    """
    expired = conn.execute(
        sa.update(reminders)
        .where(reminders.c.status == "pending", reminders.c.expires_at <= now)
        .values(status="expired")
    ).rowcount
    interrupted = conn.execute(
        sa.update(reminders)
        .where(reminders.c.status == "sending", reminders.c.claimed_at < now - lease)
        .values(status="failed", error="interrupted while sending")
    ).rowcount
    return expired, interrupted


def records(conn: Connection, day: date | None, member_id: int | None) -> list[Any]:
    query = sa.select(reminders).order_by(reminders.c.id)
    if day is not None:
        query = query.where(reminders.c.day == day)
    if member_id is not None:
        query = query.where(reminders.c.member_id == member_id)
    return list(conn.execute(query).all())
