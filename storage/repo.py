"""The store: a small async interface over the database, one atomic unit per user action.

Everything it takes and returns is a core value or a frozen dataclass from ``storage.values``;
the SQL lives in ``rows`` and ``directory`` as plain functions of a connection, run by a
``runner`` (see there for how SQLite writes are queued and committed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError

from core.answers import Answers
from core.interview import Mode, State, complete_answers, resume

from . import codec, directory, migrate, rows
from . import texts as T
from .engine import DEFAULT_URL, normalize_url, safe_url
from .errors import (
    AlreadyExists,
    DatabaseError,
    MemberGone,
    NotFound,
    VersionConflict,
    database_error,
    integrity_kind,
    report_exists,
    unavailable,
)
from .invitations import Focus, InvitationStore
from .models import agencies, focus, history, members, reports
from .reminders import ReminderStore
from .runner import Runner, open_runner
from .values import Agency, Applied, Change, Member, Office, ReportState, ReportStatus, Role

R = TypeVar("R")


class _Clash(Exception):
    """A unique constraint refused an ``apply``; the caller looks at why."""

    def __init__(self, error: IntegrityError) -> None:
        super().__init__(str(error))
        self.error = error

    @staticmethod
    def of(exc: IntegrityError) -> Exception:
        return _Clash(exc) if integrity_kind(exc) == "unique" else database_error(exc)


@dataclass(frozen=True)
class _Seen:
    """An update processed before: the version it produced and the result kept with it."""

    version: int
    result: Any


class Store(ReminderStore, InvitationStore):
    """Reports, their answers and history, agencies, offices and members."""

    def __init__(self, runner: Runner) -> None:
        self._runner = runner
        self.backend = runner.backend

    @classmethod
    async def open(cls, url: str = DEFAULT_URL, *, auto_migrate: bool | None = None) -> Store:
        """Connect and make sure the schema is current.

        Args:
            url: A DATABASE_URL (plain ``sqlite://``/``postgresql://`` URLs are accepted).
            auto_migrate: Upgrade an outdated schema instead of refusing. By default SQLite
                databases are created and upgraded on first use; PostgreSQL ones must be
                upgraded with ``nianbao migrate`` (MigrationRequired otherwise).
        """
        runner = open_runner(normalize_url(url))
        migrate_now = runner.backend == "sqlite" if auto_migrate is None else auto_migrate
        try:
            if migrate_now:
                await migrate.upgrade(runner)
            else:
                await migrate.ensure_current(runner)
        except BaseException as exc:
            await runner.close()
            if isinstance(exc, OSError | SQLAlchemyError):
                raise unavailable(safe_url(url), exc) from exc
            raise
        return cls(runner)

    async def close(self) -> None:
        await self._runner.close()

    async def __aenter__(self) -> Store:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def _read(self, work: Callable[[Connection], R]) -> R:
        try:
            return await self._runner.read(work)
        except DBAPIError as exc:
            raise database_error(exc) from exc

    async def _write(
        self,
        work: Callable[[Connection], R],
        on_conflict: Callable[[IntegrityError], Exception] = database_error,
    ) -> R:
        """Run ``work`` atomically: all of it is durable when this returns, or none of it."""
        try:
            return await self._runner.write(work)
        except IntegrityError as exc:
            raise on_conflict(exc) from exc
        except DBAPIError as exc:
            raise database_error(exc) from exc

    async def ping(self) -> None:
        """Round trip to the database (for health checks); raises StorageError when it fails."""
        await self._read(lambda conn: conn.execute(sa.text("SELECT 1")).scalar())

    # ------------------------------------------------------------------ reports

    async def load_report(self, report_id: int) -> ReportState:
        """The report as stored now."""
        found = await self._read(lambda conn: rows.load(conn, report_id))
        if found is None:
            raise NotFound(T.NOT_FOUND.format(what=T.WHAT_REPORT, id=report_id))
        return found

    async def find_report(self, agency_id: int, year: int) -> ReportState | None:
        """An agency's report for a year, if there is one."""

        def work(conn: Connection) -> ReportState | None:
            report_id = rows.report_id_for(conn, agency_id, year)
            return None if report_id is None else rows.load(conn, report_id)

        return await self._read(work)

    async def create_report(
        self,
        agency_id: int,
        state: State,
        *,
        now: datetime,
        actor: int | None = None,
        status: ReportStatus = ReportStatus.FILLING,
    ) -> ReportState:
        """A new report for the agency and the state's year (AlreadyExists if there is one)."""

        def work(conn: Connection) -> ReportState:
            directory.need(conn, agencies, agency_id, T.WHAT_AGENCY)
            report_id = _insert(conn, agency_id, state, status, actor, now)
            created = rows.load(conn, report_id)
            assert created is not None
            return created

        year = state.answers.year
        return await self._write(work, lambda exc: report_exists(exc, agency_id, year))

    async def apply(
        self,
        report_id: int,
        expected_version: int,
        new_state: State,
        *,
        now: datetime,
        actor: int | None = None,
        update_id: int | None = None,
        status: ReportStatus | None = None,
        result: Any = None,
    ) -> Applied:
        """Save one user action: the new interview state and every answer it changed.

        The changed answers are found by comparing ``new_state`` with the stored answers, so
        the rows can never disagree with the state; each change gets a history row. A changed
        agency name or contact is copied to the agency in the same transaction.

        Args:
            report_id: The report.
            expected_version: The version the state was loaded at. If the report has moved on,
                nothing is written and VersionConflict carries the report as it is now.
            new_state: The interview state after the action.
            now: When the action happened (timezone-aware).
            actor: The member who acted, if known.
            update_id: The Telegram update. Seen before: nothing is written and the first
                outcome is returned with ``duplicate=True``.
            status: A new status, if the action changes it.
            result: JSON-able data to keep with the update (e.g. the replies sent), given back
                when the same update arrives again.
        """

        def work(conn: Connection) -> Applied | _Seen | None:
            if update_id is not None:
                seen = _seen(conn, update_id)
                if seen is not None:
                    return seen
            found = rows.fetch(conn, report_id, lock=True)
            if found is None or found[0].version != expected_version:
                return None
            row, old = found
            old_status = ReportStatus(row.status)
            new_status = status or old_status
            if not rows.bump(conn, report_id, expected_version, new_state, new_status, now):
                return None
            changes = codec.diff(old, new_state.answers)
            if new_status is not old_status:
                changes.append(
                    codec.ItemChange(codec.META, codec.STATUS_KEY, old_status, new_status)
                )
            rows.write_changes(
                conn, report_id, changes, member_id=actor, update_id=update_id, now=now
            )
            _follow_agency(conn, row.agency_id, old, new_state.answers)
            version = expected_version + 1
            if update_id is not None:
                rows.record_update(conn, update_id, report_id, version, result, now)
            stored = ReportState(report_id, row.agency_id, new_state, version, new_status)
            return Applied(stored, version, result=result, changed=len(changes))

        clash: IntegrityError | None = None
        try:
            outcome = await self._write(work, _Clash.of)
        except _Clash as caught:
            # The same update saved on another connection a moment ago, or a year changed to
            # one the agency already has a report for.
            clash, outcome = caught.error, None
        except DatabaseError:
            # The history row names the member acting: removed from the agency a moment ago,
            # they are gone, and the change with them.
            if actor is not None and not await self._read(lambda c: rows.has_member(c, actor)):
                raise MemberGone(actor) from None
            raise
        if isinstance(outcome, Applied):
            return outcome

        def look(conn: Connection) -> tuple[_Seen | None, ReportState | None]:
            seen = _seen(conn, update_id) if update_id is not None else None
            return seen, rows.load(conn, report_id)

        # A duplicate, or stale: a colleague (or this very update, elsewhere) saved first.
        seen, latest = await self._read(look)
        if latest is None:
            raise NotFound(T.NOT_FOUND.format(what=T.WHAT_REPORT, id=report_id))
        if seen is not None:
            return Applied(latest, seen.version, duplicate=True, result=seen.result)
        if clash is not None:
            raise report_exists(clash, latest.agency_id, new_state.answers.year) from clash
        raise VersionConflict(expected_version, latest)

    async def update_seen(self, update_id: int) -> bool:
        """Whether a Telegram update was already applied (a redelivery after a restart)."""
        return await self._read(lambda conn: rows.processed_update(conn, update_id) is not None)

    async def history(self, report_id: int) -> list[Change]:
        """Every recorded change of the report, oldest first."""
        query = sa.select(history).where(history.c.report_id == report_id).order_by(history.c.id)
        found = await self._read(lambda conn: conn.execute(query).all())
        return [
            Change(r.kind, r.key, r.old_value, r.new_value, r.member_id, r.update_id, r.changed_at)
            for r in found
        ]

    # ------------------------------------------------------------------ answers files

    async def export_answers(self, agency_id: int, year: int) -> Answers:
        """The report's answers as an answers file states them (implied zeros once finished)."""
        report = await self.find_report(agency_id, year)
        if report is None:
            raise NotFound(T.REPORT_NOT_FOUND.format(agency_id=agency_id, year=year))
        state = report.state
        return complete_answers(state) if state.mode is Mode.DONE else state.answers

    async def import_answers(
        self, agency_id: int, answers: Answers, *, now: datetime, actor: int | None = None
    ) -> ReportState:
        """Create or replace the agency's report for the answers' year, all or nothing."""
        entered = _entered(answers)

        def work(conn: Connection) -> ReportState:
            directory.need(conn, agencies, agency_id, T.WHAT_AGENCY)
            report_id = rows.report_id_for(conn, agency_id, answers.year)
            if report_id is None:
                state = resume(State(answers=entered))
                report_id = _insert(conn, agency_id, state, ReportStatus.FILLING, actor, now)
            else:
                found = rows.fetch(conn, report_id, lock=True)
                assert found is not None
                row, old = found
                state = codec.state_from(row.interview, old).evolve(answers=entered)
                rows.bump(conn, report_id, row.version, state, ReportStatus(row.status), now)
                changes = codec.diff(old, entered)
                rows.write_changes(
                    conn, report_id, changes, member_id=actor, update_id=None, now=now
                )
            stored = rows.load(conn, report_id)
            assert stored is not None
            return stored

        return await self._write(work, lambda exc: report_exists(exc, agency_id, answers.year))

    # ------------------------------------------------------------------ directory

    async def create_office(self, name: str, *, now: datetime, region: str = "") -> Office:
        return await self._write(lambda conn: directory.insert_office(conn, name, region, now))

    async def create_agency(
        self,
        name: str,
        *,
        now: datetime,
        region: str = "",
        office_id: int | None = None,
        contact: Mapping[str, str] | None = None,
    ) -> Agency:
        """An agency; ``contact`` uses ``core.answers.CONTACT_KEYS``."""
        return await self._write(
            lambda conn: directory.insert_agency(conn, name, region, office_id, contact or {}, now)
        )

    async def get_agency(self, agency_id: int) -> Agency:
        row = await self._read(
            lambda conn: directory.need(conn, agencies, agency_id, T.WHAT_AGENCY)
        )
        return directory.agency_of(row)

    async def list_agencies(self, office_id: int) -> list[Agency]:
        """The agencies reporting to an office, by name."""
        query = (
            sa.select(agencies)
            .where(agencies.c.office_id == office_id)
            .order_by(agencies.c.name, agencies.c.id)
        )
        found = await self._read(lambda conn: conn.execute(query).all())
        return [directory.agency_of(r) for r in found]

    async def create_member(
        self,
        telegram_user_id: int,
        name: str,
        role: Role,
        *,
        now: datetime,
        agency_id: int | None = None,
        office_id: int | None = None,
    ) -> Member:
        """A membership of one agency, or for a coordinator of one office."""

        def twice(exc: IntegrityError) -> Exception:
            unique = integrity_kind(exc) == "unique"
            return AlreadyExists(T.MEMBER_EXISTS) if unique else database_error(exc)

        return await self._write(
            lambda conn: directory.insert_member(
                conn, telegram_user_id, name, role, agency_id, office_id, now
            ),
            twice,
        )

    async def update_agency(
        self,
        agency_id: int,
        *,
        name: str | None = None,
        contact: Mapping[str, str] | None = None,
    ) -> Agency:
        """Change an agency's name or contact details (only what is given)."""
        return await self._write(
            lambda conn: directory.update_agency(conn, agency_id, name, contact)
        )

    async def register_alone(self, telegram_user_id: int, name: str, *, now: datetime) -> Member:
        """A new agency with this user as its 填报人, in one transaction (no office, no name yet).

        The agency's name and contact details come from the interview's first questions.
        """

        def work(conn: Connection) -> Member:
            agency = directory.insert_agency(conn, "", "", None, {}, now)
            return directory.insert_member(
                conn, telegram_user_id, name, Role.FILLER, agency.id, None, now
            )

        return await self._write(work)

    async def reports_of(self, agency_id: int) -> list[ReportState]:
        """An agency's reports, the most recently changed first."""

        def work(conn: Connection) -> list[ReportState]:
            query = (
                sa.select(reports.c.id)
                .where(reports.c.agency_id == agency_id)
                .order_by(reports.c.updated_at.desc(), reports.c.id.desc())
            )
            found = [rows.load(conn, rid) for rid in conn.execute(query).scalars()]
            return [r for r in found if r is not None]

        return await self._read(work)

    async def memberships(self, telegram_user_id: int) -> list[Member]:
        """Every membership of a Telegram user, oldest first."""
        query = _memberships(telegram_user_id)
        found = await self._read(lambda conn: conn.execute(query).all())
        return [directory.member_of(r) for r in found]

    async def whereabouts(self, telegram_user_id: int) -> tuple[list[Member], Focus | None]:
        """``memberships`` and the report the user chose (``FocusRow``) in one read, asked on
        every update."""
        query = _memberships(telegram_user_id)
        chosen = sa.select(focus.c.agency_id, focus.c.report_id).where(
            focus.c.telegram_user_id == telegram_user_id
        )

        def read(conn: Connection) -> tuple[list[Member], Focus | None]:
            found = [directory.member_of(r) for r in conn.execute(query).all()]
            row = conn.execute(chosen).first()
            return found, None if row is None else Focus(row.agency_id, row.report_id)

        return await self._read(read)


def _memberships(telegram_user_id: int) -> sa.Select[Any]:
    return (
        sa.select(members)
        .where(members.c.telegram_user_id == telegram_user_id)
        .order_by(members.c.id)
    )


def _insert(
    conn: Connection,
    agency_id: int,
    state: State,
    status: ReportStatus,
    actor: int | None,
    now: datetime,
) -> int:
    report_id = rows.insert_report(conn, agency_id, state, status, now)
    empty = Answers(state.answers.format, state.answers.year)
    changes = codec.diff(empty, state.answers)
    rows.write_changes(conn, report_id, changes, member_id=actor, update_id=None, now=now)
    return report_id


def _seen(conn: Connection, update_id: int) -> _Seen | None:
    row = rows.processed_update(conn, update_id)
    return None if row is None else _Seen(row.version, codec.result_from(row.result))


def _entered(answers: Answers) -> Answers:
    """Answers without computed cells: the interview keeps only what people enter."""
    fmt = answers.fmt
    entered = {k: v for k, v in answers.cells.items() if not fmt.cells[k].computed}
    return Answers(
        answers.format, answers.year, answers.agency, entered, answers.texts, answers.contact
    )


def _follow_agency(conn: Connection, agency_id: int, old: Answers, new: Answers) -> None:
    """Keep the agency's name and contact details in step with what its report states."""
    if (old.agency, dict(old.contact)) == (new.agency, dict(new.contact)):
        return
    contact = {k: v for k, v in new.contact.items() if v}
    directory.update_agency(conn, agency_id, new.agency or None, contact or None)
