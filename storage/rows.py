"""SQL for one report inside a caller's transaction: read it, write what changed, log history."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from core.answers import Answers
from core.interview import State

from . import codec
from .codec import CELL, ItemChange
from .models import cells, history, members, processed, reports, texts
from .types import ExactDecimal, UTCDateTime
from .values import ReportState, ReportStatus


def report_id_for(conn: Connection, agency_id: int, year: int) -> int | None:
    query = sa.select(reports.c.id).where(reports.c.agency_id == agency_id, reports.c.year == year)
    found: int | None = conn.execute(query).scalar()
    return found


@cache
def _report_query(dialect: str, lock: bool) -> sa.Select[Any]:
    # One row with the answers folded into JSON objects: one round trip, and on SQLite one
    # GIL hand-over instead of one per answer row (which under load costs milliseconds each).
    def fold(key: Any, value: Any) -> Any:
        if dialect == "postgresql":
            return sa.cast(sa.func.json_object_agg(key, value), sa.Text)
        return sa.func.json_group_object(key, value, type_=sa.Text)

    cell_json = (
        sa.select(fold(cells.c.cell_id, cells.c.value))
        .where(cells.c.report_id == reports.c.id)
        .scalar_subquery()
    )
    text_json = (
        sa.select(fold(texts.c.kind + ":" + texts.c.key, texts.c.value))
        .where(texts.c.report_id == reports.c.id)
        .scalar_subquery()
    )
    query = sa.select(reports, cell_json.label("cell_json"), text_json.label("text_json")).where(
        reports.c.id == sa.bindparam("report_id")
    )
    return query.with_for_update(of=reports) if lock else query


def has_member(conn: Connection, member_id: int) -> bool:
    """Whether the member (a membership row) still exists."""
    query = sa.select(members.c.id).where(members.c.id == member_id)
    return conn.execute(query).first() is not None


def fetch(conn: Connection, report_id: int, *, lock: bool = False) -> tuple[Any, Answers] | None:
    """The reports row and its answers; ``lock`` holds the row until commit on PostgreSQL."""
    query = _report_query(conn.dialect.name, lock)
    row = conn.execute(query, {"report_id": report_id}).first()
    if row is None:
        return None
    # Decimals stay decimals: PostgreSQL writes NUMERIC as JSON numbers, SQLite as strings.
    numbers = json.loads(row.cell_json or "{}", parse_float=Decimal)
    items = json.loads(row.text_json or "{}")
    answers = codec.answers_from_rows(
        row.format,
        row.year,
        [(cid, Decimal(str(v))) for cid, v in numbers.items()],
        [(*key.split(":", 1), value) for key, value in items.items()],
    )
    return row, answers


def report_state(row: Any, answers: Answers) -> ReportState:
    return ReportState(
        report_id=row.id,
        agency_id=row.agency_id,
        state=codec.state_from(row.interview, answers),
        version=row.version,
        status=ReportStatus(row.status),
    )


def load(conn: Connection, report_id: int) -> ReportState | None:
    """The report as stored, or None."""
    found = fetch(conn, report_id)
    return None if found is None else report_state(*found)


def insert_report(
    conn: Connection, agency_id: int, state: State, status: ReportStatus, now: datetime
) -> int:
    """A new report at version 1 (its answers are written by ``write_changes``)."""
    answers = state.answers
    inserted = conn.execute(
        sa.insert(reports)
        .values(
            agency_id=agency_id,
            year=answers.year,
            format=answers.format,
            status=str(status),
            interview=codec.interview_json(state),
            version=1,
            created_at=now,
            updated_at=now,
        )
        .returning(reports.c.id)
    )
    report_id: int = inserted.scalar_one()
    return report_id


# Statements of the hot path, built once: building them per call costs more than running them.
_P = sa.bindparam
_BUMP = (
    sa.update(reports)
    .where(reports.c.id == _P("b_id"), reports.c.version == _P("b_expected"))
    .values(
        version=_P("b_version"),
        year=_P("b_year"),
        format=_P("b_format"),
        status=_P("b_status"),
        interview=_P("b_interview"),
        updated_at=_P("b_now", type_=UTCDateTime()),
    )
)
_CELL_DELETE = sa.delete(cells).where(
    cells.c.report_id == _P("b_report"), cells.c.cell_id == _P("b_key")
)
_CELL_UPDATE = (
    sa.update(cells)
    .where(cells.c.report_id == _P("b_report"), cells.c.cell_id == _P("b_key"))
    .values(value=_P("b_value", type_=ExactDecimal()))
)
_TEXT_WHERE = (
    texts.c.report_id == _P("b_report"),
    texts.c.kind == _P("b_kind"),
    texts.c.key == _P("b_key"),
)
_TEXT_DELETE = sa.delete(texts).where(*_TEXT_WHERE)
_TEXT_UPDATE = sa.update(texts).where(*_TEXT_WHERE).values(value=_P("b_value"))
_PROCESSED = sa.select(processed).where(processed.c.update_id == _P("b_update"))
_INSERT = {t.name: sa.insert(t) for t in (cells, texts, history, processed)}


def bump(
    conn: Connection,
    report_id: int,
    expected_version: int,
    state: State,
    status: ReportStatus,
    now: datetime,
) -> bool:
    """Store the new interview state as the next version; False if the version moved on."""
    done = conn.execute(
        _BUMP,
        {
            "b_id": report_id,
            "b_expected": expected_version,
            "b_version": expected_version + 1,
            "b_year": state.answers.year,
            "b_format": state.answers.format,
            "b_status": str(status),
            "b_interview": codec.interview_json(state),
            "b_now": now,
        },
    )
    return done.rowcount == 1


def write_changes(
    conn: Connection,
    report_id: int,
    changes: Sequence[ItemChange],
    *,
    member_id: int | None,
    update_id: int | None,
    now: datetime,
) -> None:
    """Make the answer rows match ``changes`` and append one history row per change."""
    cell_changes = [c for c in changes if c.kind == CELL]
    # Year, format and status live on the reports row; only their history is written here.
    item_changes = [
        c
        for c in changes
        if c.kind in (codec.TEXT, codec.CONTACT)
        or (c.kind, c.key) == (codec.META, codec.AGENCY_KEY)
    ]
    _write(conn, report_id, cell_changes, _INSERT["answer_cells"], _CELL_UPDATE, _CELL_DELETE)
    _write(conn, report_id, item_changes, _INSERT["answer_texts"], _TEXT_UPDATE, _TEXT_DELETE)
    if changes:
        conn.execute(
            _INSERT["answer_history"],
            [
                {
                    "report_id": report_id,
                    "kind": c.kind,
                    "key": c.key,
                    "old_value": codec.value_text(c.old),
                    "new_value": codec.value_text(c.new),
                    "member_id": member_id,
                    "update_id": update_id,
                    "changed_at": now,
                }
                for c in changes
            ],
        )


def _write(
    conn: Connection,
    report_id: int,
    changes: Sequence[ItemChange],
    insert: sa.Insert,
    update: sa.Update,
    delete: sa.Delete,
) -> None:
    added, updated, removed = [], [], []
    for c in changes:
        if c.kind == CELL:
            key: dict[str, Any] = {"b_report": report_id, "b_key": c.key}
            row: dict[str, Any] = {"report_id": report_id, "cell_id": c.key, "value": c.new}
        else:
            key = {"b_report": report_id, "b_kind": c.kind, "b_key": c.key}
            row = {"report_id": report_id, "kind": c.kind, "key": c.key, "value": c.new}
        if c.new is None:
            removed.append(key)
        elif c.old is None:
            added.append(row)
        else:
            updated.append({**key, "b_value": c.new})
    for statement, params in ((delete, removed), (update, updated), (insert, added)):
        if params:
            conn.execute(statement, params)


def processed_update(conn: Connection, update_id: int) -> Any:
    """The record of an already processed update, or None."""
    return conn.execute(_PROCESSED, {"b_update": update_id}).first()


def record_update(
    conn: Connection,
    update_id: int,
    report_id: int,
    version: int,
    result: Any,
    now: datetime,
) -> None:
    conn.execute(
        _INSERT["processed_updates"],
        {
            "update_id": update_id,
            "report_id": report_id,
            "version": version,
            "result": codec.result_json(result),
            "processed_at": now,
        },
    )
