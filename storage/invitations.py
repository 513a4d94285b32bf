"""Invitations, redemption with a guessing limit, pending inputs, offices' own agencies, and
the removal of members (remembered, so that a removed member's later actions are refused).

``Store`` inherits ``InvitationStore``. A code is shown once, to its creator; the database
keeps only its SHA-256, so reading the database never yields a working link. Agency links
(an office inviting its agencies) serve many agencies until they expire or are revoked; a
colleague link is personal and works once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from . import directory
from . import texts as T
from .base import StorePart
from .models import (
    agencies,
    focus,
    invites,
    member_removals,
    members,
    office_agencies,
    offices,
    pending_inputs,
    redeem_failures,
)
from .values import Agency, Member, Office, Role

R = TypeVar("R")
TTL = timedelta(days=14)
MAX_FAILURES = 5  # wrong codes per user and WINDOW before every attempt is refused
WINDOW = timedelta(hours=1)


class InviteKind(StrEnum):
    AGENCY = "agency"  # an agency registers under an office
    MEMBER = "member"  # a colleague joins an agency


class Redeemed(StrEnum):
    OK = "ok"
    LIMITED = "limited"  # too many wrong codes lately: not even looked up
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    REVOKED = "revoked"
    USED = "used"
    ALREADY = "already"  # the user is already a member there


@dataclass(frozen=True)
class Invite:
    """An invitation as stored (never its code)."""

    id: int
    kind: InviteKind
    office_id: int | None
    agency_id: int | None
    role: Role
    created_by: int | None
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    uses: int


@dataclass(frozen=True)
class Redemption:
    """The outcome of ``redeem``: for OK the new membership (and, for an agency link, agency)."""

    outcome: Redeemed
    member: Member | None = None
    invite: Invite | None = None


@dataclass(frozen=True)
class Focus:
    """The report a user chose: an agency's, and which (None: its most recent open one)."""

    agency_id: int
    report_id: int | None


@dataclass(frozen=True)
class Pending:
    """What the user's next typed message answers."""

    kind: str
    arg: str


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _invite_of(row: Any) -> Invite:
    return Invite(
        row.id,
        InviteKind(row.kind),
        row.office_id,
        row.agency_id,
        Role(row.role),
        row.created_by,
        row.created_at,
        row.expires_at,
        row.revoked_at,
        row.uses,
    )


def _dead(invite: Invite, now: datetime) -> Redeemed | None:
    if invite.revoked_at is not None:
        return Redeemed.REVOKED
    if invite.expires_at <= now:
        return Redeemed.EXPIRED
    if invite.kind is InviteKind.MEMBER and invite.uses > 0:
        return Redeemed.USED
    return None


class InvitationStore(StorePart):
    """The invitation half of ``Store`` (which provides ``_read`` and ``_write``)."""

    async def create_invite(
        self,
        kind: InviteKind,
        role: Role,
        *,
        now: datetime,
        office_id: int | None = None,
        agency_id: int | None = None,
        created_by: int | None = None,
        ttl: timedelta = TTL,
    ) -> tuple[Invite, str]:
        """A new invitation and its code (token_urlsafe(24): 192 random bits)."""
        code = secrets.token_urlsafe(24)

        def work(conn: Connection) -> Invite:
            if office_id is not None:
                directory.need(conn, offices, office_id, T.WHAT_OFFICE)
            if agency_id is not None:
                directory.need(conn, agencies, agency_id, T.WHAT_AGENCY)
            done = conn.execute(
                sa.insert(invites)
                .values(
                    code_sha256=code_hash(code),
                    kind=str(kind),
                    office_id=office_id,
                    agency_id=agency_id,
                    role=str(role),
                    created_by=created_by,
                    created_at=now,
                    expires_at=now + ttl,
                    uses=0,
                )
                .returning(invites)
            )
            return _invite_of(done.one())

        return await self._write(work), code

    async def get_invite(self, invite_id: int) -> Invite | None:
        query = sa.select(invites).where(invites.c.id == invite_id)
        row = await self._read(lambda conn: conn.execute(query).first())
        return None if row is None else _invite_of(row)

    async def live_invites(
        self,
        now: datetime,
        *,
        office_id: int | None = None,
        agency_id: int | None = None,
        created_by: int | None = None,
    ) -> list[Invite]:
        """The office's or agency's invitations that still work (or those a member created),
        oldest first."""
        if created_by is not None:
            where = invites.c.created_by == created_by
        elif office_id is not None:
            where = invites.c.office_id == office_id
        else:
            where = invites.c.agency_id == agency_id
        query = sa.select(invites).where(where)
        found = await self._read(lambda conn: conn.execute(query.order_by(invites.c.id)).all())
        return [i for i in map(_invite_of, found) if _dead(i, now) is None]

    async def revoke_invite(self, invite_id: int, *, now: datetime) -> None:
        query = (
            sa.update(invites)
            .where(invites.c.id == invite_id, invites.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        await self._write(lambda conn: conn.execute(query))

    async def redeem(
        self, code: str, telegram_user_id: int, name: str, *, now: datetime
    ) -> Redemption:
        """Use an invitation, all in one transaction; a failure is recorded for the limit."""

        def work(conn: Connection) -> Redemption:
            recent = conn.execute(
                sa.select(sa.func.count())
                .select_from(redeem_failures)
                .where(
                    redeem_failures.c.telegram_user_id == telegram_user_id,
                    redeem_failures.c.failed_at > now - WINDOW,
                )
            ).scalar_one()
            if recent >= MAX_FAILURES:
                return Redemption(Redeemed.LIMITED)
            row = conn.execute(
                sa.select(invites).where(invites.c.code_sha256 == code_hash(code))
            ).first()
            invite = None if row is None else _invite_of(row)
            dead = Redeemed.UNKNOWN if invite is None else _dead(invite, now)
            if dead is not None:
                conn.execute(
                    sa.insert(redeem_failures).values(
                        telegram_user_id=telegram_user_id, failed_at=now
                    )
                )
                return Redemption(dead, invite=invite)
            assert invite is not None
            if invite.kind is InviteKind.AGENCY:
                # A redelivered or repeated /start must not register a second agency.
                twice = conn.execute(
                    sa.select(members.c.id)
                    .join(agencies, agencies.c.id == members.c.agency_id)
                    .where(
                        members.c.telegram_user_id == telegram_user_id,
                        agencies.c.office_id == invite.office_id,
                    )
                ).first()
                if twice is not None:
                    return Redemption(Redeemed.ALREADY, invite=invite)
                agency = directory.insert_agency(conn, "", "", invite.office_id, {}, now)
                agency_id = agency.id
            else:
                assert invite.agency_id is not None
                agency_id = invite.agency_id
                mine = conn.execute(
                    sa.select(members.c.id).where(
                        members.c.telegram_user_id == telegram_user_id,
                        members.c.agency_id == agency_id,
                    )
                ).first()
                if mine is not None:
                    return Redemption(Redeemed.ALREADY, invite=invite)
            member = directory.insert_member(
                conn, telegram_user_id, name, invite.role, agency_id, None, now
            )
            conn.execute(
                sa.update(invites).where(invites.c.id == invite.id).values(uses=invites.c.uses + 1)
            )
            return Redemption(Redeemed.OK, member, invite)

        return await self._write(work)

    # ------------------------------------------------------------------ offices and members

    async def get_office(self, office_id: int) -> Office:
        row = await self._read(lambda conn: directory.need(conn, offices, office_id, T.WHAT_OFFICE))
        return directory.office_of(row)

    async def start_office(
        self, name: str, telegram_user_id: int, member_name: str, *, now: datetime
    ) -> Member:
        """A new office with this user as its 协调人, in one transaction."""

        def work(conn: Connection) -> Member:
            office = directory.insert_office(conn, name, "", now)
            return directory.insert_member(
                conn, telegram_user_id, member_name, Role.COORDINATOR, None, office.id, now
            )

        return await self._write(work)

    async def coordinators_of(self, office_id: int) -> list[Member]:
        query = sa.select(members).where(members.c.office_id == office_id).order_by(members.c.id)
        found = await self._read(lambda conn: conn.execute(query).all())
        return [directory.member_of(r) for r in found]

    async def get_member(self, member_id: int) -> Member | None:
        query = sa.select(members).where(members.c.id == member_id)
        row = await self._read(lambda conn: conn.execute(query).first())
        return None if row is None else directory.member_of(row)

    async def remove_member(
        self, member_id: int, *, now: datetime, by: int | None = None
    ) -> Member | None:
        """End a membership, remembering whom an agency member was removed from.

        History keeps the changes, without the member. Returns the membership as it was, or
        None when it was already gone (removing twice changes nothing).
        """

        def work(conn: Connection) -> Member | None:
            row = conn.execute(sa.select(members).where(members.c.id == member_id)).first()
            if row is None:
                return None
            gone = directory.member_of(row)
            conn.execute(sa.delete(members).where(members.c.id == member_id))
            if gone.agency_id is not None:
                conn.execute(
                    sa.insert(member_removals).values(
                        telegram_user_id=gone.telegram_user_id,
                        agency_id=gone.agency_id,
                        removed_by=None if by == member_id else by,
                        removed_at=now,
                    )
                )
            return gone

        return await self._write(work)

    async def removed_from(self, telegram_user_id: int) -> list[Agency]:
        """The agencies this Telegram user was removed from, the most recent first."""
        query = (
            sa.select(agencies)
            .join(member_removals, member_removals.c.agency_id == agencies.c.id)
            .where(member_removals.c.telegram_user_id == telegram_user_id)
            .order_by(member_removals.c.removed_at.desc(), member_removals.c.id.desc())
        )
        found = await self._read(lambda conn: conn.execute(query).all())
        return [directory.agency_of(r) for r in found]

    async def find_own_agency(self, office_id: int) -> Agency | None:
        """The agency holding the office's own report, if a compilation has created it."""
        query = sa.select(agencies).join(
            office_agencies, office_agencies.c.agency_id == agencies.c.id
        )
        query = query.where(office_agencies.c.office_id == office_id)
        row = await self._read(lambda conn: conn.execute(query).first())
        return None if row is None else directory.agency_of(row)

    async def own_agency(self, office_id: int, name: str, *, now: datetime) -> Agency:
        """The agency holding the office's own government report, created on first use.

        It reports to no office, so it never appears among the office's agencies.
        """

        def work(conn: Connection) -> Agency:
            found = conn.execute(
                sa.select(office_agencies.c.agency_id).where(
                    office_agencies.c.office_id == office_id
                )
            ).scalar()
            if found is not None:
                return directory.agency_of(directory.need(conn, agencies, found, T.WHAT_AGENCY))
            agency = directory.insert_agency(conn, name, "", None, {}, now)
            conn.execute(
                sa.insert(office_agencies).values(office_id=office_id, agency_id=agency.id)
            )
            return agency

        return await self._write(work)

    # ------------------------------------------------------------------ pending input

    async def set_pending(
        self, telegram_user_id: int, kind: str, arg: str, *, now: datetime
    ) -> None:
        """Remember what the user's next message answers (replacing what was pending)."""

        def work(conn: Connection) -> None:
            key = pending_inputs.c.telegram_user_id == telegram_user_id
            conn.execute(sa.delete(pending_inputs).where(key))
            conn.execute(
                sa.insert(pending_inputs).values(
                    telegram_user_id=telegram_user_id, kind=kind, arg=arg, created_at=now
                )
            )

        await self._write(work)

    async def pending(self, telegram_user_id: int) -> Pending | None:
        query = sa.select(pending_inputs).where(
            pending_inputs.c.telegram_user_id == telegram_user_id
        )
        row = await self._read(lambda conn: conn.execute(query).first())
        return None if row is None else Pending(row.kind, row.arg)

    async def clear_pending(self, telegram_user_id: int) -> None:
        query = sa.delete(pending_inputs).where(
            pending_inputs.c.telegram_user_id == telegram_user_id
        )
        await self._write(lambda conn: conn.execute(query))

    # ------------------------------------------------------------------ focus

    async def set_focus(
        self, telegram_user_id: int, agency_id: int, report_id: int | None = None, *, now: datetime
    ) -> None:
        """Remember which agency's report (``None``: its current one) the user works on."""
        chosen = {"agency_id": agency_id, "report_id": report_id, "chosen_at": now}

        def work(conn: Connection) -> None:
            insert: Any
            if conn.dialect.name == "postgresql":
                from sqlalchemy.dialects.postgresql import insert
            else:
                from sqlalchemy.dialects.sqlite import insert
            statement = insert(focus).values(telegram_user_id=telegram_user_id, **chosen)
            conn.execute(
                statement.on_conflict_do_update(
                    index_elements=[focus.c.telegram_user_id], set_=chosen
                )
            )

        await self._write(work)
