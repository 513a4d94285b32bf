"""Offices, agencies and members."""

from __future__ import annotations

import pytest

from core.answers import CONTACT_LIMITS
from core.deadlines import MAX_OFFSET, MAX_OFFSETS, Policy
from storage import AlreadyExists, NotFound, Role, Store

from .samples import CONTACT, NOW


async def test_an_office_lists_its_agencies(store: Store) -> None:
    office = await store.create_office("某某县人民政府办公室", now=NOW, region="某某县")
    other = await store.create_office("另一县政府办公室", now=NOW)
    b = await store.create_agency("某某县财政局", now=NOW, office_id=office.id, contact=CONTACT)
    a = await store.create_agency("某某县民政局", now=NOW, office_id=office.id, region="某某县")
    await store.create_agency("另一县民政局", now=NOW, office_id=other.id)
    await store.create_agency("无归属单位", now=NOW)
    listed = await store.list_agencies(office.id)
    assert {x.id for x in listed} == {a.id, b.id}
    assert [x.name for x in listed] == sorted(x.name for x in listed)
    assert (await store.get_agency(b.id)).contact == CONTACT
    assert await store.list_agencies(999) == []


async def test_members_and_their_roles(store: Store) -> None:
    office = await store.create_office("某某县人民政府办公室", now=NOW)
    agency = await store.create_agency("某某县民政局", now=NOW, office_id=office.id)
    filler = await store.create_member(
        10**12, "张三", Role.FILLER, now=NOW, agency_id=agency.id
    )  # Telegram ids exceed 32 bits
    coordinator = await store.create_member(
        10**12, "张三", Role.COORDINATOR, now=NOW, office_id=office.id
    )
    assert await store.memberships(10**12) == [filler, coordinator]
    assert filler.telegram_user_id == 10**12 and coordinator.agency_id is None
    with pytest.raises(AlreadyExists):
        await store.create_member(10**12, "张三", Role.REVIEWER, now=NOW, agency_id=agency.id)
    with pytest.raises(NotFound, match="找不到单位"):
        await store.create_member(1, "李四", Role.FILLER, now=NOW, agency_id=999)
    with pytest.raises(ValueError, match="exactly one"):
        await store.create_member(1, "李四", Role.FILLER, now=NOW)


async def test_agencies_need_an_existing_office(store: Store) -> None:
    with pytest.raises(NotFound, match="找不到协调机构"):
        await store.create_agency("某某县民政局", now=NOW, office_id=5)
    with pytest.raises(ValueError, match="unknown contact"):
        await store.create_agency("某某县民政局", now=NOW, contact={"fax": "1"})


async def test_a_user_alone_gets_an_agency_of_their_own(store: Store) -> None:
    member = await store.register_alone(42, "王五", now=NOW)
    assert member.role is Role.FILLER and member.agency_id is not None
    agency = await store.get_agency(member.agency_id)
    assert agency.name == "" and agency.office_id is None
    renamed = await store.update_agency(agency.id, name="某某镇人民政府", contact=CONTACT)
    assert renamed.name == "某某镇人民政府" and renamed.contact == CONTACT
    assert (await store.update_agency(agency.id)).name == "某某镇人民政府"
    with pytest.raises(NotFound):
        await store.update_agency(999, name="x")


async def test_reports_of_an_agency_most_recent_first(store: Store) -> None:
    from datetime import date, timedelta

    from core.interview import new_state

    agency = await store.create_agency("某某县民政局", now=NOW)
    older = await store.create_report(agency.id, new_state(date(2025, 1, 5)), now=NOW)
    newer = await store.create_report(
        agency.id, new_state(date(2026, 1, 5)), now=NOW + timedelta(seconds=1)
    )
    assert [r.report_id for r in await store.reports_of(agency.id)] == [
        newer.report_id,
        older.report_id,
    ]
    # Saving to the older report makes it the most recent.
    await store.apply(older.report_id, older.version, older.state, now=NOW + timedelta(seconds=5))
    assert (await store.reports_of(agency.id))[0].report_id == older.report_id
    assert await store.reports_of(999) == []


async def test_the_longest_values_the_product_accepts_are_stored_whole(store: Store) -> None:
    """Every limit the interview, the answers file and the settings enforce fits its column.

    SQLite ignores declared lengths; PostgreSQL refuses anything longer, so this runs on both.
    """
    longest = {key: "某" * limit for key, limit in CONTACT_LIMITS.items()}
    office = await store.create_office("办" * 200, now=NOW)
    agency = await store.create_agency("局" * 200, now=NOW, office_id=office.id)
    assert (await store.update_agency(agency.id, contact=longest)).contact == longest
    offsets = tuple(range(MAX_OFFSET, MAX_OFFSET - MAX_OFFSETS, -1))
    await store.set_reminder_policy(office.id, Policy(offsets=offsets), now=NOW)
    assert (await store.reminder_policy(office.id)).offsets == offsets
    member = await store.create_member(1, "张" * 200, Role.FILLER, now=NOW, agency_id=agency.id)
    assert member.name == "张" * 200


async def test_a_saved_step_carries_the_reports_name_and_contact_to_the_agency(
    store: Store,
) -> None:
    from datetime import date

    from core.interview import new_state

    agency = await store.create_agency("", now=NOW)
    report = await store.create_report(agency.id, new_state(date(2026, 1, 5)), now=NOW)
    named = report.state.evolve(
        answers=report.state.answers.with_meta(agency="某某县民政局", contact=CONTACT)
    )
    applied = await store.apply(report.report_id, report.version, named, now=NOW)
    stored = await store.get_agency(agency.id)
    assert (stored.name, stored.contact) == ("某某县民政局", CONTACT)
    # A step that leaves both alone leaves the agency alone (a name set elsewhere stays).
    await store.update_agency(agency.id, name="某某县民政局（改）")
    same = applied.report.state.evolve(current=applied.report.state.current)
    await store.apply(report.report_id, applied.version, same, now=NOW)
    assert (await store.get_agency(agency.id)).name == "某某县民政局（改）"


async def test_focus_is_one_choice_per_user(store: Store) -> None:
    from datetime import date

    from core.interview import new_state
    from storage.invitations import Focus

    a = await store.create_agency("某某县民政局", now=NOW)
    b = await store.create_agency("某某县财政局", now=NOW)
    report = await store.create_report(b.id, new_state(date(2026, 1, 5)), now=NOW)
    assert (await store.whereabouts(7))[1] is None
    await store.set_focus(7, a.id, now=NOW)
    await store.set_focus(7, b.id, report.report_id, now=NOW)  # chosen again: replaced
    await store.set_focus(8, a.id, now=NOW)
    assert (await store.whereabouts(7))[1] == Focus(b.id, report.report_id)
    assert (await store.whereabouts(8))[1] == Focus(a.id, None)
