"""Persistence of agencies, reports, answers and their history (SQLite or PostgreSQL).

The public interface is ``Store`` and the values and errors re-exported here; SQLModel rows
never leave this package.
"""

from __future__ import annotations

from .engine import DEFAULT_URL, normalize_url
from .errors import (
    AlreadyExists,
    DatabaseError,
    DatabaseTooNew,
    DatabaseUnavailable,
    MemberGone,
    MigrationRequired,
    NotFound,
    StorageError,
    UnsupportedDatabase,
    VersionConflict,
)
from .repo import Store
from .values import Agency, Applied, Change, Member, Office, ReportState, ReportStatus, Role

__all__ = [
    "DEFAULT_URL",
    "Agency",
    "AlreadyExists",
    "Applied",
    "Change",
    "DatabaseError",
    "DatabaseTooNew",
    "DatabaseUnavailable",
    "Member",
    "MemberGone",
    "MigrationRequired",
    "NotFound",
    "Office",
    "ReportState",
    "ReportStatus",
    "Role",
    "StorageError",
    "Store",
    "UnsupportedDatabase",
    "VersionConflict",
    "normalize_url",
]
