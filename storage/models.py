"""The tables (SQLModel). Rows never leave ``storage/``; see ``docs/architecture.md``.

Later tables hang off these keys: invitations and members off ``agencies``/``offices``,
deadlines off ``offices``, sent reminders off ``reports`` and ``members``, files off ``reports``
(with the report ``version`` they were rendered from).
"""

from __future__ import annotations

from datetime import datetime
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
