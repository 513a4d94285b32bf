"""What the store raises. Every message is Chinese and safe to show to a user.

```
StorageError
 ├── UnsupportedDatabase   DATABASE_URL names something other than SQLite or PostgreSQL
 ├── DatabaseUnavailable   the database cannot be reached or opened
 ├── MigrationRequired     the database is behind the code: run `nianbao migrate`
 ├── DatabaseTooNew        the database was migrated by a newer nianbao
 ├── NotFound              no such report, agency, office or member
 ├── AlreadyExists         a report for that agency and year, a member twice, …
 ├── VersionConflict       someone else saved first; carries the report as it is now
 └── DatabaseError         anything else the database refused; the transaction was rolled back
```
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError, IntegrityError

from . import texts as T

if TYPE_CHECKING:
    from .values import ReportState


class StorageError(Exception):
    """Base of every storage failure."""


class UnsupportedDatabase(StorageError):
    """DATABASE_URL is not SQLite or PostgreSQL."""


class DatabaseUnavailable(StorageError):
    """The database cannot be reached or opened."""


class MigrationRequired(StorageError):
    """The database schema is older than the code."""

    def __init__(self, current: str | None, head: str) -> None:
        super().__init__(T.MIGRATION_REQUIRED.format(current=current or "空", head=head))
        self.current = current
        self.head = head


class DatabaseTooNew(StorageError):
    """The database schema is newer than the code."""

    def __init__(self, current: str, head: str) -> None:
        super().__init__(T.DATABASE_TOO_NEW.format(current=current, head=head))
        self.current = current
        self.head = head


class NotFound(StorageError):
    """A looked-up row does not exist."""


class AlreadyExists(StorageError):
    """A row that must be unique exists already."""


class VersionConflict(StorageError):
    """The report changed since it was loaded. ``current`` is the report as stored now."""

    def __init__(self, expected: int, current: ReportState) -> None:
        super().__init__(T.VERSION_CONFLICT.format(version=current.version))
        self.expected = expected
        self.current = current


class DatabaseError(StorageError):
    """The database refused an operation; nothing of it was saved."""


class MemberGone(DatabaseError):
    """The member acting was removed from their agency before the change was saved."""

    def __init__(self, member_id: int) -> None:
        super().__init__(T.MEMBER_GONE.format(id=member_id))
        self.member_id = member_id


# Translating the driver's failures into the tree above.


def integrity_kind(exc: IntegrityError) -> str:
    """``unique``, ``foreign_key`` or ``other``, for SQLite and PostgreSQL alike."""
    orig = exc.orig
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    text = str(orig)
    if code == "23505" or "UNIQUE constraint failed" in text:
        return "unique"
    if code == "23503" or "FOREIGN KEY constraint failed" in text:
        return "foreign_key"
    return "other"


def report_exists(exc: IntegrityError, agency_id: int, year: int) -> StorageError:
    """AlreadyExists for a second report of one agency and year; DatabaseError otherwise."""
    if integrity_kind(exc) == "unique":
        return AlreadyExists(T.REPORT_EXISTS.format(agency_id=agency_id, year=year))
    return database_error(exc)


def database_error(exc: DBAPIError) -> DatabaseError:
    """The database refused: a Chinese message with the database's own first line."""
    return DatabaseError(T.DATABASE_ERROR.format(detail=_first_line(exc.orig or exc)))


def unavailable(shown_url: str, exc: BaseException) -> DatabaseUnavailable:
    """The database named by ``shown_url`` (password hidden) cannot be reached."""
    cause = getattr(exc, "orig", None) or exc
    return DatabaseUnavailable(
        T.DATABASE_UNAVAILABLE.format(url=shown_url, detail=_first_line(cause))
    )


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:200] if lines else type(exc).__name__
