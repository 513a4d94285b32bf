"""Plain values the store returns: nothing here knows about the database."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from core.interview import State


class ReportStatus(StrEnum):
    """Where a report is in its life: 填写中 / 待审核 / 已提交 / 已退回 / 已通过."""

    FILLING = "filling"
    IN_REVIEW = "in_review"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"


class Role(StrEnum):
    """What a member does: 填报人 fills in, 审核人 reviews, 协调人 coordinates an office."""

    FILLER = "filler"
    REVIEWER = "reviewer"
    COORDINATOR = "coordinator"


@dataclass(frozen=True)
class Office:
    """A coordinating office (e.g. a county government's 政务公开办)."""

    id: int
    name: str
    region: str = ""


@dataclass(frozen=True)
class Agency:
    """An agency that files a report; ``contact`` uses ``core.answers.CONTACT_KEYS``."""

    id: int
    name: str
    region: str = ""
    office_id: int | None = None
    contact: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Member:
    """A Telegram user's membership of an agency (or, for a coordinator, of an office)."""

    id: int
    telegram_user_id: int
    name: str
    role: Role
    agency_id: int | None = None
    office_id: int | None = None


@dataclass(frozen=True)
class ReportState:
    """A stored report: the interview state, the version it was read at and its status."""

    report_id: int
    agency_id: int
    state: State
    version: int
    status: ReportStatus

    @property
    def year(self) -> int:
        return self.state.answers.year

    @property
    def format(self) -> str:
        return self.state.answers.format


@dataclass(frozen=True)
class Applied:
    """The outcome of ``Store.apply``.

    Attributes:
        report: The report as stored now.
        version: The version this user action produced (for a duplicate: the one it produced
            the first time).
        duplicate: The update had been processed before; nothing was written this time.
        result: The JSON-able data stored with the action, returned again for a duplicate.
        changed: How many cells, texts and other items the action changed.
    """

    report: ReportState
    version: int
    duplicate: bool = False
    result: Any = None
    changed: int = 0


@dataclass(frozen=True)
class Change:
    """One entry of a report's history. Values are text: a number's exact decimal string."""

    kind: str
    key: str
    old: str | None
    new: str | None
    member_id: int | None
    update_id: int | None
    at: datetime
