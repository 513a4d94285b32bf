"""Deadlines, reminder settings, mutes and reminders on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from core.deadlines import CHINA, DeadlineKind, Policy
from core.interview import new_state
from storage import NotFound, Role, Store
from storage.reminders import (
    MAX_ATTEMPTS,
    Delivery,
    Outcome,
    PlannedReminder,
    ReminderStatus,
)

from .samples import NOW

DAY = date(2026, 1, 23)
AT = datetime(2026, 1, 23, 9, 0, tzinfo=CHINA)
UNTIL = datetime(2026, 1, 23, 21, 0, tzinfo=CHINA)


def planned(member_id: int, agency_id: int, chat_id: int, *, day: date = DAY) -> PlannedReminder:
    return PlannedReminder(
        member_id=member_id,
        agency_id=agency_id,
        report_id=None,
        year=2025,
        kind=DeadlineKind.AGENCY,
        slot="before-3",
        day=day,
        chat_id=chat_id,
        text=f"提醒 {member_id}",
        due_at=AT,
        expires_at=UNTIL,
    )


async def test_deadlines_default_to_the_statute_and_can_be_set(store: Store) -> None:
    office = await store.create_office("某某县人民政府办公室", now=NOW)
    assert (await store.deadline(office.id, 2025)).due == date(2026, 1, 31)
    assert (await store.deadline(None, 2025, kind=DeadlineKind.GOVERNMENT)).due == date(2026, 3, 31)
    await store.set_deadline(office.id, 2025, date(2026, 1, 26), now=NOW)
    await store.set_deadline(office.id, 2025, date(2026, 1, 20), now=NOW)  # changed again
    found = await store.deadline(office.id, 2025)
    assert (found.due, found.internal) == (date(2026, 1, 20), True)
    # The other kind and other years keep the statute's.
    assert not (await store.deadline(office.id, 2025, kind=DeadlineKind.GOVERNMENT)).internal
    assert (await store.deadline(office.id, 2026)).due == date(2027, 1, 31)
    await store.clear_deadline(office.id, 2025)
    assert (await store.deadline(office.id, 2025)).due == date(2026, 1, 31)
    with pytest.raises(ValueError, match="应在2026年内"):
        await store.set_deadline(office.id, 2025, date(2025, 12, 1), now=NOW)
    with pytest.raises(NotFound):
        await store.set_deadline(999, 2025, date(2026, 1, 26), now=NOW)


async def test_reminder_policy_per_office(store: Store) -> None:
    office = await store.create_office("某某县人民政府办公室", now=NOW)
    assert (await store.reminder_policy(office.id)).offsets == (14, 7, 3, 1, 0)
    policy = Policy(offsets=(0, 10, 5), send_at=time(10, 30), overdue_days=5)
    await store.set_reminder_policy(office.id, policy, now=NOW)
    assert await store.reminder_policy(office.id) == policy
    assert (await store.reminder_policy(office.id)).offsets == (10, 5, 0)
    settings = await store.reminder_settings([2025])
    assert settings.policy(office.id) == policy and settings.policy(None).offsets[0] == 14


async def test_mute_every_membership_of_a_user(store: Store) -> None:
    a = await store.create_agency("某某县民政局", now=NOW)
    b = await store.create_agency("某某县财政局", now=NOW)
    first = await store.create_member(42, "张三", Role.FILLER, now=NOW, agency_id=a.id)
    await store.create_member(42, "张三", Role.REVIEWER, now=NOW, agency_id=b.id)
    await store.create_member(43, "李四", Role.FILLER, now=NOW, agency_id=a.id)
    assert [m.name for m in await store.members_of(a.id)] == ["张三", "李四"]
    assert (await store.members_of(a.id))[0] == first
    assert await store.set_muted(42, True, now=NOW) == 2
    assert await store.set_muted(42, True, now=NOW) == 2  # twice is fine
    assert await store.is_muted(42) and not await store.is_muted(43)
    assert await store.set_muted(42, False, now=NOW) == 2
    assert not await store.is_muted(42)
    assert await store.set_muted(7, True, now=NOW) == 0  # no agency


async def test_recipients_carry_the_report_and_its_activity(store: Store) -> None:
    office = await store.create_office("某某县人民政府办公室", now=NOW)
    busy = await store.create_agency("某某县民政局", now=NOW, office_id=office.id)
    idle = await store.create_agency("某某县财政局", now=NOW)
    m1 = await store.create_member(1, "张三", Role.FILLER, now=NOW, agency_id=busy.id)
    m2 = await store.create_member(2, "李四", Role.FILLER, now=NOW, agency_id=idle.id)
    await store.create_member(3, "王五", Role.COORDINATOR, now=NOW, office_id=office.id)
    later = NOW + timedelta(hours=3)
    report = await store.create_report(busy.id, new_state(DAY, year=2025), now=NOW)
    await store.create_report(busy.id, new_state(DAY, year=2026), now=later)
    await store.set_muted(2, True, now=NOW)
    found = {r.member_id: r for r in await store.reminder_recipients(2025)}
    assert set(found) == {m1.id, m2.id}  # the coordinator belongs to no agency
    one, two = found[m1.id], found[m2.id]
    assert (one.report_id, one.status, one.office_id) == (report.report_id, "filling", office.id)
    # Any report of the agency changing counts: someone is entering.
    assert one.last_activity == later and one.last_activity.tzinfo is not None
    assert (two.report_id, two.status, two.last_activity, two.muted) == (None, None, None, True)
    answers = await store.report_answers([report.report_id])
    assert answers[report.report_id].year == 2025


async def _three(store: Store) -> list[PlannedReminder]:
    agency = await store.create_agency("某某县民政局", now=NOW)
    out = []
    for uid in (11, 12, 13):
        m = await store.create_member(uid, f"成员{uid}", Role.FILLER, now=NOW, agency_id=agency.id)
        out.append(planned(m.id, agency.id, uid))
    return out


async def test_planning_twice_adds_nothing(store: Store) -> None:
    three = await _three(store)
    assert await store.plan_reminders(three, now=NOW) == 3
    assert await store.plan_reminders(three, now=NOW) == 0
    assert await store.plan_reminders([], now=NOW) == 0
    on_day = await store.reminders_on(DAY)
    assert set(on_day.values()) == {ReminderStatus.PENDING} and len(on_day) == 3
    assert await store.reminders_on(DAY + timedelta(days=1)) == {}


async def test_claim_send_finish(store: Store) -> None:
    three = await _three(store)
    await store.plan_reminders(three, now=NOW)
    first = await store.claim_reminders(AT, limit=2)
    assert [c.text for c in first] == ["提醒 " + str(p.member_id) for p in three[:2]]
    rest = await store.claim_reminders(AT, limit=10)
    assert len(rest) == 1 and await store.claim_reminders(AT, limit=10) == []
    a, b = first
    await store.finish_reminders(
        [
            Delivery(a, Outcome.SENT, message_id=77),
            Delivery(b, Outcome.RETRY, error="429"),
            Delivery(rest[0], Outcome.FAILED, error="Forbidden: bot was blocked by the user"),
        ],
        now=AT,
    )
    records = {r.member_id: r for r in await store.reminder_records(day=DAY)}
    assert records[a.member_id].status is ReminderStatus.SENT
    assert records[a.member_id].message_id == 77 and records[a.member_id].sent_at == AT
    assert records[b.member_id].status is ReminderStatus.PENDING  # certainly not sent: again
    assert records[rest[0].member_id].status is ReminderStatus.FAILED
    again = await store.claim_reminders(AT, limit=10)
    assert [c.id for c in again] == [b.id] and again[0].attempts == 2


async def test_retries_end_and_mutes_hold_back(store: Store) -> None:
    one, two, _ = await _three(store)
    await store.plan_reminders([one, two], now=NOW)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        claimed = await store.claim_reminders(AT, limit=1)
        assert claimed[0].attempts == attempt
        await store.finish_reminders([Delivery(claimed[0], Outcome.RETRY)], now=AT)
    status = {r.member_id: r.status for r in await store.reminder_records()}
    assert status[one.member_id] is ReminderStatus.FAILED
    await store.set_muted(12, True, now=NOW)  # two's member
    assert await store.claim_reminders(AT, limit=10) == []


async def test_expiry_and_abandoned_claims(store: Store) -> None:
    one, two, _ = await _three(store)
    await store.plan_reminders([one, two], now=NOW)
    late = UNTIL - timedelta(minutes=5)
    await store.claim_reminders(late, limit=1)  # its process dies
    assert await store.expire_reminders(late + timedelta(minutes=1)) == (0, 0)
    assert await store.expire_reminders(UNTIL) == (1, 0)  # the pending one's day is over
    assert await store.expire_reminders(UNTIL + timedelta(hours=1)) == (0, 1)
    records = {r.member_id: r for r in await store.reminder_records(member_id=one.member_id)}
    assert records[one.member_id].status is ReminderStatus.FAILED
    assert records[one.member_id].error == "interrupted while sending"  # never sent again
    assert await store.claim_reminders(UNTIL - timedelta(minutes=1), limit=10) == []


async def _pass(store: Store, todo: list[PlannedReminder], sent: Counter[int]) -> None:
    """What a process does: plan everything due, then claim and 'send' until none is left."""
    await store.plan_reminders(todo, now=NOW)
    while claimed := await store.claim_reminders(AT, limit=7):
        for c in claimed:
            sent[c.id] += 1
            await asyncio.sleep(0)
        await store.finish_reminders([Delivery(c, Outcome.SENT, 1) for c in claimed], now=AT)


async def test_two_processes_send_each_reminder_once(db_url: str) -> None:
    async with await Store.open(db_url, auto_migrate=True) as first:
        agency = await first.create_agency("某某县民政局", now=NOW)
        todo = []
        for uid in range(1000, 1200):
            m = await first.create_member(uid, "成员", Role.FILLER, now=NOW, agency_id=agency.id)
            todo.append(planned(m.id, agency.id, uid))
        # Two stores are two connection pools (on SQLite, two writer threads): two processes.
        async with await Store.open(db_url) as second:
            sent: Counter[int] = Counter()
            await asyncio.gather(_pass(first, todo, sent), _pass(second, todo[::-1], sent))
        records = await first.reminder_records()
    assert len(records) == 200 and all(r.status is ReminderStatus.SENT for r in records)
    assert set(sent) == {r.id for r in records} and set(sent.values()) == {1}


async def test_the_unique_key_is_the_last_guard(store: Store) -> None:
    (one, *_) = await _three(store)
    await store.plan_reminders([one], now=NOW)
    # The same member, year, kind and day under another slot name is the same reminder.
    other = PlannedReminder(**{**one.__dict__, "slot": "before-1", "text": "另一条"})
    assert await store.plan_reminders([other], now=NOW) == 0
    at_utc = datetime(2026, 1, 24, 1, 0, tzinfo=UTC)
    assert (
        await store.plan_reminders(
            [planned(one.member_id, one.agency_id, 11, day=at_utc.date())], now=NOW
        )
        == 1
    )


async def test_postgresql_claims_skip_rows_another_process_holds(pg_url: str) -> None:
    async with await Store.open(pg_url, auto_migrate=True) as store:
        three = await _three(store)
        await store.plan_reminders(three, now=NOW)
        engine = store._runner.engine  # type: ignore[attr-defined]
        # Another process is in the middle of claiming the first reminder: its row is locked.
        async with engine.connect() as other, other.begin():
            held = await other.execute(
                sa.text("SELECT id FROM reminders ORDER BY id LIMIT 1 FOR UPDATE")
            )
            held_id = held.scalar_one()
            claimed = await asyncio.wait_for(store.claim_reminders(AT, limit=10), 5)
        assert held_id not in {c.id for c in claimed} and len(claimed) == 2
