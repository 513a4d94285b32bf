"""Offices, agencies and members inside a caller's transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from core.answers import CONTACT_KEYS

from . import texts as T
from .errors import NotFound
from .models import agencies, members, offices
from .values import Agency, Member, Office, Role


def office_of(row: Any) -> Office:
    return Office(id=row.id, name=row.name, region=row.region)


def agency_of(row: Any) -> Agency:
    contact = {k: getattr(row, f"contact_{k}") for k in CONTACT_KEYS}
    return Agency(
        id=row.id,
        name=row.name,
        region=row.region,
        office_id=row.office_id,
        contact={k: v for k, v in contact.items() if v},
    )


def member_of(row: Any) -> Member:
    return Member(
        id=row.id,
        telegram_user_id=row.telegram_user_id,
        name=row.name,
        role=Role(row.role),
        agency_id=row.agency_id,
        office_id=row.office_id,
    )


def insert_office(conn: Connection, name: str, region: str, now: datetime) -> Office:
    done = conn.execute(
        sa.insert(offices).values(name=name, region=region, created_at=now).returning(offices)
    )
    return office_of(done.one())


def insert_agency(
    conn: Connection,
    name: str,
    region: str,
    office_id: int | None,
    contact: Mapping[str, str],
    now: datetime,
) -> Agency:
    unknown = set(contact) - set(CONTACT_KEYS)
    if unknown:
        raise ValueError(f"unknown contact keys: {sorted(unknown)}")
    if office_id is not None:
        need(conn, offices, office_id, T.WHAT_OFFICE)
    values: dict[str, Any] = {f"contact_{k}": contact.get(k, "") for k in CONTACT_KEYS}
    done = conn.execute(
        sa.insert(agencies)
        .values(name=name, region=region, office_id=office_id, created_at=now, **values)
        .returning(agencies)
    )
    return agency_of(done.one())


def update_agency(
    conn: Connection,
    agency_id: int,
    name: str | None,
    contact: Mapping[str, str] | None,
) -> Agency:
    need(conn, agencies, agency_id, T.WHAT_AGENCY)
    values: dict[str, Any] = {}
    if name is not None:
        values["name"] = name
    if contact is not None:
        unknown = set(contact) - set(CONTACT_KEYS)
        if unknown:
            raise ValueError(f"unknown contact keys: {sorted(unknown)}")
        values.update({f"contact_{k}": contact.get(k, "") for k in CONTACT_KEYS})
    if values:
        conn.execute(sa.update(agencies).where(agencies.c.id == agency_id).values(**values))
    return agency_of(need(conn, agencies, agency_id, T.WHAT_AGENCY))


def insert_member(
    conn: Connection,
    telegram_user_id: int,
    name: str,
    role: Role,
    agency_id: int | None,
    office_id: int | None,
    now: datetime,
) -> Member:
    if (agency_id is None) == (office_id is None):
        raise ValueError("a member belongs to exactly one agency or one office")
    if agency_id is not None:
        need(conn, agencies, agency_id, T.WHAT_AGENCY)
    if office_id is not None:
        need(conn, offices, office_id, T.WHAT_OFFICE)
    done = conn.execute(
        sa.insert(members)
        .values(
            telegram_user_id=telegram_user_id,
            name=name,
            role=str(role),
            agency_id=agency_id,
            office_id=office_id,
            created_at=now,
        )
        .returning(members)
    )
    return member_of(done.one())


def need(conn: Connection, table: sa.Table, row_id: int, what: str) -> Any:
    """The row with ``row_id`` or NotFound."""
    row = conn.execute(sa.select(table).where(table.c.id == row_id)).first()
    if row is None:
        raise NotFound(T.NOT_FOUND.format(what=what, id=row_id))
    return row
