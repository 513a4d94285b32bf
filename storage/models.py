"""The tables (SQLModel). Rows never leave ``storage/``; see ``docs/architecture.md``.

Later tables hang off these keys: invitations and members off ``agencies``/``offices``,
deadlines off ``offices``, sent reminders off ``reports`` and ``members``, files off ``reports``
(with the report ``version`` they were rendered from).
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .types import ExactDecimal, UTCDateTime

# Named constraints keep Alembic's SQLite batch mode and future migrations deterministic.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = SQLModel.metadata

NAME = sa.String(200)
SHORT = sa.String(100)
KEY = sa.String(64)
CODE = sa.String(16)

STATUSES = ("filling", "in_review", "submitted", "returned", "approved")
ROLES = ("filler", "reviewer", "coordinator")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class OfficeRow(SQLModel, table=True):
    """A coordinating office; agencies report to it."""

    __tablename__ = "offices"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=NAME)
    region: str = Field(default="", sa_type=SHORT)
    created_at: datetime = Field(sa_type=UTCDateTime)


class AgencyRow(SQLModel, table=True):
    """An agency; the contact columns prefill the report's opening paragraph."""

    __tablename__ = "agencies"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=NAME)
    region: str = Field(default="", sa_type=SHORT)
    office_id: int | None = Field(
        default=None, foreign_key="offices.id", ondelete="RESTRICT", index=True
    )
    contact_office: str = Field(default="", sa_type=NAME)
    contact_address: str = Field(default="", sa_type=NAME)
    contact_postcode: str = Field(default="", sa_type=CODE)
    contact_phone: str = Field(default="", sa_type=SHORT)
    contact_email: str = Field(default="", sa_type=SHORT)
    contact_website: str = Field(default="", sa_type=NAME)
    created_at: datetime = Field(sa_type=UTCDateTime)


class MemberRow(SQLModel, table=True):
    """A Telegram user in an agency (filler, reviewer) or an office (coordinator)."""

    __tablename__ = "members"
    __table_args__ = (
        sa.UniqueConstraint("telegram_user_id", "agency_id"),
        sa.UniqueConstraint("telegram_user_id", "office_id"),
        sa.CheckConstraint(_in("role", ROLES), name="role"),
        # Exactly one of the two: a member belongs to an agency or, as coordinator, an office.
        sa.CheckConstraint("(agency_id IS NULL) <> (office_id IS NULL)", name="belongs"),
    )

    id: int | None = Field(default=None, primary_key=True)
    telegram_user_id: int = Field(sa_type=sa.BigInteger, index=True)
    name: str = Field(sa_type=NAME)
    role: str = Field(sa_type=CODE)
    agency_id: int | None = Field(default=None, foreign_key="agencies.id", ondelete="CASCADE")
    office_id: int | None = Field(default=None, foreign_key="offices.id", ondelete="CASCADE")
    created_at: datetime = Field(sa_type=UTCDateTime)


class ReportRow(SQLModel, table=True):
    """One agency's report for one year; ``version`` grows by one per saved user action."""

    __tablename__ = "reports"
    __table_args__ = (
        sa.UniqueConstraint("agency_id", "year"),
        sa.CheckConstraint(_in("status", STATUSES), name="status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agencies.id", ondelete="RESTRICT")
    year: int
    format: str = Field(sa_type=CODE)
    status: str = Field(sa_type=CODE)
    # The interview state as JSON, without the answers (those are rows below).
    interview: str = Field(sa_type=sa.Text)
    version: int
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class CellRow(SQLModel, table=True):
    """The current value of one table cell of a report."""

    __tablename__ = "answer_cells"

    report_id: int = Field(foreign_key="reports.id", ondelete="CASCADE", primary_key=True)
    cell_id: str = Field(sa_type=KEY, primary_key=True)
    value: Decimal = Field(sa_type=ExactDecimal)


class TextRow(SQLModel, table=True):
    """A report's current narrative text (kind ``text``), contact item or agency name (``meta``)."""

    __tablename__ = "answer_texts"

    report_id: int = Field(foreign_key="reports.id", ondelete="CASCADE", primary_key=True)
    kind: str = Field(sa_type=CODE, primary_key=True)
    key: str = Field(sa_type=KEY, primary_key=True)
    value: str = Field(sa_type=sa.Text)


class HistoryRow(SQLModel, table=True):
    """One change of one answer: who, when, from what to what, by which Telegram update."""

    __tablename__ = "answer_history"
    __table_args__ = (sa.Index(None, "report_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="reports.id", ondelete="CASCADE")
    kind: str = Field(sa_type=CODE)
    key: str = Field(sa_type=KEY)
    old_value: str | None = Field(default=None, sa_type=sa.Text)
    new_value: str | None = Field(default=None, sa_type=sa.Text)
    member_id: int | None = Field(default=None, foreign_key="members.id", ondelete="SET NULL")
    update_id: int | None = Field(default=None, sa_type=sa.BigInteger)
    changed_at: datetime = Field(sa_type=UTCDateTime)


class ProcessedUpdateRow(SQLModel, table=True):
    """A Telegram update already applied, with what it produced, so a redelivery changes nothing."""

    __tablename__ = "processed_updates"

    update_id: int = Field(
        sa_type=sa.BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    report_id: int | None = Field(default=None, foreign_key="reports.id", ondelete="CASCADE")
    version: int
    result: str | None = Field(default=None, sa_type=sa.Text)
    processed_at: datetime = Field(sa_type=UTCDateTime)


def table(row: type[SQLModel]) -> sa.Table:
    """The Core table of a row class (queries use Core for speed and precise typing)."""
    t = row.__table__  # type: ignore[attr-defined]
    assert isinstance(t, sa.Table)
    return t


offices = table(OfficeRow)
agencies = table(AgencyRow)
members = table(MemberRow)
reports = table(ReportRow)
cells = table(CellRow)
texts = table(TextRow)
history = table(HistoryRow)
processed = table(ProcessedUpdateRow)


# ------------------------------------------------------------------ deadlines and reminders

DEADLINE_KINDS = ("agency", "government")
REMINDER_STATUSES = ("pending", "sending", "sent", "failed", "expired")


class DeadlineRow(SQLModel, table=True):
    """An office's internal deadline for one report year and kind; the statute's otherwise."""

    __tablename__ = "deadlines"
    __table_args__ = (
        sa.UniqueConstraint("office_id", "year", "kind"),
        sa.CheckConstraint(_in("kind", DEADLINE_KINDS), name="kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="offices.id", ondelete="CASCADE")
    year: int
    kind: str = Field(sa_type=CODE)
    due: date = Field(sa_type=sa.Date)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class ReminderSettingsRow(SQLModel, table=True):
    """An office's reminder offsets (days before the deadline, "14,7,3,1,0") and send time."""

    __tablename__ = "reminder_settings"

    office_id: int = Field(
        foreign_key="offices.id",
        ondelete="CASCADE",
        primary_key=True,
        sa_column_kwargs={"autoincrement": False},
    )
    offsets: str = Field(sa_type=SHORT)
    send_at: time = Field(sa_type=sa.Time)
    overdue_days: int
    updated_at: datetime = Field(sa_type=UTCDateTime)


class ReminderMuteRow(SQLModel, table=True):
    """A member who turned reminders off (/mute); deleted again by /unmute."""

    __tablename__ = "reminder_mutes"

    member_id: int = Field(
        foreign_key="members.id",
        ondelete="CASCADE",
        primary_key=True,
        sa_column_kwargs={"autoincrement": False},
    )
    muted_at: datetime = Field(sa_type=UTCDateTime)


class ReminderRow(SQLModel, table=True):
    """One reminder to one member: planned (pending), claimed (sending), then sent or failed.

    Unique per member, report year, kind and day: the final guard against sending one twice,
    whichever process planned it.
    """

    __tablename__ = "reminders"
    __table_args__ = (
        sa.UniqueConstraint("member_id", "year", "kind", "day"),
        sa.CheckConstraint(_in("kind", DEADLINE_KINDS), name="kind"),
        sa.CheckConstraint(_in("status", REMINDER_STATUSES), name="status"),
        # Claims look for pending rows that have not expired.
        sa.Index(None, "status", "expires_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="members.id", ondelete="CASCADE")
    agency_id: int = Field(foreign_key="agencies.id", ondelete="CASCADE", index=True)
    report_id: int | None = Field(default=None, foreign_key="reports.id", ondelete="SET NULL")
    year: int
    kind: str = Field(sa_type=CODE)
    # before-14 ... before-0, overdue-1 ...: which reminder of the schedule this is.
    slot: str = Field(sa_type=CODE)
    # The day (Beijing time) it goes out; a pass plans the rows of its day.
    day: date = Field(sa_type=sa.Date, index=True)
    chat_id: int = Field(sa_type=sa.BigInteger)
    text: str = Field(sa_type=sa.Text)
    status: str = Field(sa_type=CODE)
    attempts: int
    error: str | None = Field(default=None, sa_type=sa.Text)
    due_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    planned_at: datetime = Field(sa_type=UTCDateTime)
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    message_id: int | None = Field(default=None, sa_type=sa.BigInteger)


deadlines = table(DeadlineRow)
reminder_settings = table(ReminderSettingsRow)
reminder_mutes = table(ReminderMuteRow)
reminders = table(ReminderRow)


# ------------------------------------------------------------------ invitations (storage/invitations.py)

INVITE_KINDS = ("agency", "member")


class InviteRow(SQLModel, table=True):
    """An invitation link: only the code's SHA-256 is kept, so a leaked database grants nothing.

    ``agency``: an agency registers under ``office_id``; ``member``: a colleague joins
    ``agency_id`` with ``role``.
    """

    __tablename__ = "invites"
    __table_args__ = (
        sa.CheckConstraint(_in("kind", INVITE_KINDS), name="kind"),
        sa.CheckConstraint("(office_id IS NULL) <> (agency_id IS NULL)", name="target"),
    )

    id: int | None = Field(default=None, primary_key=True)
    code_sha256: str = Field(sa_type=KEY, unique=True)
    kind: str = Field(sa_type=CODE)
    office_id: int | None = Field(default=None, foreign_key="offices.id", ondelete="CASCADE")
    agency_id: int | None = Field(default=None, foreign_key="agencies.id", ondelete="CASCADE")
    role: str = Field(sa_type=CODE)
    created_by: int | None = Field(default=None, foreign_key="members.id", ondelete="SET NULL")
    created_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    uses: int


class RedeemFailureRow(SQLModel, table=True):
    """A wrong or dead code tried by a Telegram user: guessing is limited per user and hour."""

    __tablename__ = "redeem_failures"
    __table_args__ = (sa.Index(None, "telegram_user_id", "failed_at"),)

    id: int | None = Field(default=None, primary_key=True)
    telegram_user_id: int = Field(sa_type=sa.BigInteger)
    failed_at: datetime = Field(sa_type=UTCDateTime)


class PendingInputRow(SQLModel, table=True):
    """What a user's next typed message is for (an office's name, a return comment)."""

    __tablename__ = "pending_inputs"

    telegram_user_id: int = Field(
        sa_type=sa.BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    kind: str = Field(sa_type=CODE)
    arg: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = Field(sa_type=UTCDateTime)


class OfficeAgencyRow(SQLModel, table=True):
    """The agency that holds an office's own (consolidated) government report."""

    __tablename__ = "office_agencies"

    office_id: int = Field(
        foreign_key="offices.id",
        ondelete="CASCADE",
        primary_key=True,
        sa_column_kwargs={"autoincrement": False},
    )
    agency_id: int = Field(foreign_key="agencies.id", ondelete="CASCADE", unique=True)


class MemberRemovalRow(SQLModel, table=True):
    """A member removed from an agency: their later actions are refused with a polite reason.

    The membership itself is deleted (history keeps the changes, without the member); this row
    remembers whom the Telegram user was removed from.
    """

    __tablename__ = "member_removals"

    id: int | None = Field(default=None, primary_key=True)
    telegram_user_id: int = Field(sa_type=sa.BigInteger, index=True)
    agency_id: int = Field(foreign_key="agencies.id", ondelete="CASCADE")
    removed_by: int | None = Field(default=None, foreign_key="members.id", ondelete="SET NULL")
    removed_at: datetime = Field(sa_type=UTCDateTime)


class FocusRow(SQLModel, table=True):
    """Which report a Telegram user works on when they could work on several.

    A user may be a member of more than one agency, and a coordinator may also belong to an
    agency while the office's own report (an agency too, ``OfficeAgencyRow``) is theirs to
    write; and an agency may have reports of several years open. /report lets them choose, and
    the choice is kept here: the agency, and the report (None: the agency's most recently
    changed open one). Without a row, or when it names an agency they no longer belong to, the
    latest membership counts.
    """

    __tablename__ = "focus"

    telegram_user_id: int = Field(
        sa_type=sa.BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    agency_id: int = Field(foreign_key="agencies.id", ondelete="CASCADE")
    report_id: int | None = Field(default=None, foreign_key="reports.id", ondelete="SET NULL")
    chosen_at: datetime = Field(sa_type=UTCDateTime)


invites = table(InviteRow)
redeem_failures = table(RedeemFailureRow)
pending_inputs = table(PendingInputRow)
office_agencies = table(OfficeAgencyRow)
member_removals = table(MemberRemovalRow)
focus = table(FocusRow)
