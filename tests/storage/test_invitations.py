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


async def test_a_removed_member_is_remembered(store: Store) -> None:
    office = await store.start_office("某某县政府办公室", 1, "王", now=NOW)
    assert office.office_id is not None
    agency = await store.create_agency("某某县民政局", now=NOW, office_id=office.office_id)
    boss = await store.create_member(2, "李", Role.REVIEWER, now=NOW, agency_id=agency.id)
    filler = await store.create_member(3, "赵", Role.FILLER, now=NOW, agency_id=agency.id)
    assert await store.get_member(filler.id) == filler
    assert await store.removed_from(3) == []

    gone = await store.remove_member(filler.id, now=NOW, by=boss.id)
    assert gone == filler
    assert await store.get_member(filler.id) is None and await store.memberships(3) == []
    (where,) = await store.removed_from(3)
    assert where.id == agency.id and where.name == "某某县民政局"
    assert await store.remove_member(filler.id, now=NOW, by=boss.id) is None  # already gone
    assert len(await store.removed_from(3)) == 1
    # Coordinators leave no removal behind (they belong to no agency).
    assert await store.remove_member(office.id, now=NOW) == office
    assert await store.removed_from(1) == []
    # The remover's own removal later leaves the record without them.
    await store.remove_member(boss.id, now=NOW)
    assert [a.id for a in await store.removed_from(3)] == [agency.id]


async def test_an_offices_own_agency_is_found_once_created(store: Store) -> None:
    office = await store.start_office("某某县政府办公室", 1, "王", now=NOW)
    assert office.office_id is not None
    assert await store.find_own_agency(office.office_id) is None
    own = await store.own_agency(office.office_id, "某某县人民政府办公室", now=NOW)
    assert await store.find_own_agency(office.office_id) == own
    assert await store.list_agencies(office.office_id) == []
