"""``nianbao migrate | export | import | backup``: the database from the command line."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from core.answers import Answers, AnswersFileError, to_json
from core.check import Context, evaluate
from core.rules import RuleKind, Severity
from core.wording.files import describe_problem
from core.wording.rules import describe_full
from storage import NotFound, StorageError, Store
from storage.backup import BackupError, backup_sqlite
from storage.engine import normalize_url, safe_url, sqlite_path
from storage.migrate import upgrade
from storage.runner import open_runner

from . import texts as T
from .check_cmd import read_answers
from .config import Settings
from .console import write_atomic

EXIT_OK, EXIT_REJECTED, EXIT_UNREADABLE = 0, 1, 2
# Problems that mean "could not read the file" rather than "read it and it is wrong".
UNREADABLE = {"not_found", "unreadable", "not_json"}


def run_migrate(settings: Settings, out: TextIO | None = None) -> int:
    """Upgrade the database to the newest schema."""
    out = out or sys.stdout
    url = settings.database_url

    async def go() -> tuple[str | None, str]:
        runner = open_runner(normalize_url(url))
        try:
            return await upgrade(runner)
        finally:
            await runner.close()

    try:
        before, after = asyncio.run(go())
    except StorageError as exc:
        return _fail(T.STORAGE_FAILED.format(detail=exc))
    except Exception as exc:  # a driver's connection error: say it plainly, no traceback
        return _fail(T.STORAGE_FAILED.format(detail=_first_line(exc)))
    if before == after:
        out.write(T.MIGRATE_CURRENT.format(revision=after, url=safe_url(url)) + "\n")
    else:
        shown = before or T.MIGRATE_EMPTY
        out.write(T.MIGRATE_DONE.format(before=shown, after=after, url=safe_url(url)) + "\n")
    return EXIT_OK


def run_export(
    settings: Settings, agency_id: int, year: int, output: str, out: TextIO | None = None
) -> int:
    """Write the stored report's answers file."""
    out = out or sys.stdout

    async def go() -> tuple[Answers, str, int]:
        async with await Store.open(settings.database_url) as store:
            report = await store.find_report(agency_id, year)
            answers = await store.export_answers(agency_id, year)
            assert report is not None
            return answers, report.status, report.version

    try:
        answers, status, version = asyncio.run(go())
    except NotFound as exc:
        return _fail(T.EXPORT_NOT_FOUND.format(detail=exc), EXIT_REJECTED)
    except StorageError as exc:
        return _fail(T.STORAGE_FAILED.format(detail=exc))
    try:
        write_atomic(Path(output), to_json(answers))
    except OSError as exc:
        return _fail(T.EXPORT_WRITE_FAILED.format(path=output, detail=exc.strerror or exc))
    out.write(
        T.EXPORT_DONE.format(
            agency_id=agency_id,
            year=year,
            status=T.STATUS_LABELS.get(status, status),
            version=version,
            cells=len(answers.cells),
            texts=len(answers.texts),
            path=output,
        )
        + "\n"
    )
    return EXIT_OK


def run_import(settings: Settings, path: str, agency_id: int, out: TextIO | None = None) -> int:
    """Validate an answers file, then create or replace the agency's report, all or nothing."""
    out = out or sys.stdout
    try:
        answers = read_answers(Path(path))
    except AnswersFileError as exc:
        unreadable = any(p.code in UNREADABLE for p in exc.problems)
        head = (T.IMPORT_UNREADABLE if unreadable else T.IMPORT_REJECTED).format(path=path)
        lines = [describe_problem(p) for p in exc.problems]
        return _fail_lines(head, lines, EXIT_UNREADABLE if unreadable else EXIT_REJECTED)
    lost = contradictions(answers)
    if lost:
        return _fail_lines(T.IMPORT_REJECTED.format(path=path), lost, EXIT_REJECTED)

    async def go() -> tuple[bool, int]:
        async with await Store.open(settings.database_url) as store:
            existed = await store.find_report(agency_id, answers.year) is not None
            stored = await store.import_answers(agency_id, answers, now=datetime.now(UTC))
            return existed, stored.version

    try:
        existed, version = asyncio.run(go())
    except NotFound as exc:
        return _fail(T.IMPORT_FAILED.format(detail=exc), EXIT_REJECTED)
    except StorageError as exc:
        return _fail(T.IMPORT_FAILED.format(detail=exc))
    entered = [k for k in answers.cells if not answers.fmt.cells[k].computed]
    out.write(
        T.IMPORT_DONE.format(
            path=path,
            agency_id=agency_id,
            year=answers.year,
            action=T.IMPORT_REPLACED if existed else T.IMPORT_CREATED,
            version=version,
            cells=len(entered),
            texts=len(answers.texts),
        )
        + "\n"
    )
    return EXIT_OK


def contradictions(answers: Answers) -> list[str]:
    """Errors an import cannot keep: impossible values, and stated totals that disagree.

    The store keeps only entered cells (totals are computed), so a stated total that differs
    from its terms would be silently lost; an impossible value (a negative count) could never
    have been entered. Other errors, like an unbalanced table, are the user's to fix later.
    """
    fmt = answers.fmt
    stated = {k for k in answers.cells if fmt.cells[k].computed}
    found = evaluate(fmt, answers.cells, Context())
    totals = (RuleKind.ROW_TOTAL, RuleKind.COLUMN_TOTAL)
    return [
        describe_full(fmt, v)
        for v in found
        if v.severity is Severity.ERROR
        and (v.kind is RuleKind.VALUE or (v.kind in totals and bool(stated & set(v.cells))))
    ]


def run_backup(settings: Settings, output: str, out: TextIO | None = None) -> int:
    """Copy the SQLite database, consistently, while the bot may be running."""
    out = out or sys.stdout
    url = settings.database_url
    try:
        source = sqlite_path(url)
    except StorageError as exc:
        return _fail(T.STORAGE_FAILED.format(detail=exc))
    if source is None:
        return _fail(T.BACKUP_POSTGRES.format(url=safe_url(url)), EXIT_REJECTED)
    try:
        size = backup_sqlite(source, Path(output))
    except BackupError as exc:
        if exc.code == "no_database":
            return _fail(T.BACKUP_NO_DATABASE.format(path=source), EXIT_REJECTED)
        if exc.code == "same_file":
            return _fail(T.BACKUP_SAME_FILE.format(path=output), EXIT_REJECTED)
        return _fail(T.BACKUP_FAILED.format(detail=exc.detail))
    except Exception as exc:  # sqlite3.Error or OSError: nothing was written
        return _fail(T.BACKUP_FAILED.format(detail=_first_line(exc)))
    out.write(T.BACKUP_DONE.format(source=source, path=output, size=size) + "\n")
    return EXIT_OK


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:200] if lines else type(exc).__name__


def _fail(message: str, code: int = EXIT_UNREADABLE) -> int:
    sys.stderr.write(message + "\n")
    return code


def _fail_lines(head: str, lines: list[str], code: int) -> int:
    sys.stderr.write(head + "\n" + "\n".join(f"  - {line}" for line in lines) + "\n")
    return code
