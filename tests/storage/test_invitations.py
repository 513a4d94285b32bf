"""Invitations in the database: only the code's hash is kept; redemption is one transaction."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage import Role, Store
from storage.invitations import InviteKind, Redeemed

NOW = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
async def sqlite(tmp_path: Path) -> AsyncIterator[tuple[Store, Path]]:
    """A migrated SQLite store and its file."""
    path = tmp_path / "nb.db"
    opened = await Store.open(f"sqlite:///{path}", auto_migrate=True)
    try:
        yield opened, path
    finally:
        await opened.close()


async def test_the_code_itself_is_never_stored(sqlite: tuple[Store, Path]) -> None:
    store, path = sqlite
    member = await store.start_office("某某县政府办", 1, "王", now=NOW)
    invite, code = await store.create_invite(
        InviteKind.AGENCY, Role.REVIEWER, now=NOW, office_id=member.office_id
    )
    await store.close()
    assert code.encode() not in path.read_bytes()
    reopened = await Store.open(f"sqlite:///{path}")
    try:
        done = await reopened.redeem(code, 2, "李", now=NOW)
        assert done.outcome is Redeemed.OK and done.member is not None
        assert done.member.role is Role.REVIEWER
        agency = await reopened.get_agency(done.member.agency_id or 0)
        assert agency.office_id == member.office_id
        assert (await reopened.get_invite(invite.id)) is not None
    finally:
        await reopened.close()
