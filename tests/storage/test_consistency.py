"""No silent overwrite, no double processing, nothing half-written: on both backends."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

import storage.rows
from core.interview import State
from storage import DatabaseError, ReportState, Store, VersionConflict

from .samples import NOW, rich_2021


async def _report(store: Store, name: str = "某某县民政局") -> ReportState:
    agency = await store.create_agency(name, now=NOW)
    return await store.create_report(agency.id, rich_2021(), now=NOW)


def _with(state: State, cid: str, value: int | Decimal) -> State:
    return state.evolve(answers=state.answers.with_cells({cid: value}))


async def test_the_second_colleague_gets_a_conflict_and_nothing_is_lost(store: Store) -> None:
    report = await _report(store)
    # Both colleagues opened version 1.
    mine = await store.load_report(report.report_id)
    theirs = await store.load_report(report.report_id)
    first = await store.apply(
        mine.report_id, mine.version, _with(mine.state, "requests.new.natural", 500), now=NOW
    )
    late = _with(theirs.state, "requests.new.business", 77)
    with pytest.raises(VersionConflict) as caught:
        await store.apply(theirs.report_id, theirs.version, late, now=NOW, update_id=2)
    conflict = caught.value
    assert conflict.expected == 1
    assert conflict.current == first.report
    assert conflict.current.version == 2
    assert "其他同事修改过" in str(conflict) and "第 2 版" in str(conflict)
    stored = await store.load_report(report.report_id)
    assert stored.state.answers.cells["requests.new.natural"] == 500  # the winner's answer kept
    assert stored.state.answers.cells["requests.new.business"] == 19  # the loser's not written
    # The loser retries on the current state and both answers are kept.
    retried = await store.apply(
        stored.report_id, stored.version, _with(stored.state, "requests.new.business", 77), now=NOW
    )
    cells = retried.report.state.answers.cells
    assert (cells["requests.new.natural"], cells["requests.new.business"]) == (500, 77)


async def test_simultaneous_colleagues_exactly_one_wins(store: Store) -> None:
    report = await _report(store)
    states = [_with(report.state, "requests.new.natural", n) for n in range(10)]
    outcomes = await asyncio.gather(
        *(store.apply(report.report_id, 1, s, now=NOW) for s in states), return_exceptions=True
    )
    winners = [o for o in outcomes if not isinstance(o, BaseException)]
    losers = [o for o in outcomes if isinstance(o, VersionConflict)]
    assert len(winners) == 1 and len(losers) == 9
    stored = await store.load_report(report.report_id)
    assert stored.version == 2 and stored.state == winners[0].report.state
    assert all(c.current == stored for c in losers)


async def test_a_redelivered_update_changes_nothing(store: Store) -> None:
    report = await _report(store)
    new = _with(report.state, "proactive.fees.amount", Decimal("1.5"))
    result = {"replies": ["已记录：1.5 万元"]}
    first = await store.apply(report.report_id, 1, new, now=NOW, update_id=555, result=result)
    history = await store.history(report.report_id)
    # Telegram sends the same update again, after a timeout: same version it was built on.
    again = await store.apply(report.report_id, 1, new, now=NOW, update_id=555)
    assert again.duplicate and again.version == first.version == 2
    assert again.result == result and again.report == first.report
    # Even a different state under the same update id is ignored.
    other = _with(report.state, "proactive.fees.amount", Decimal("9"))
    third = await store.apply(report.report_id, 2, other, now=NOW, update_id=555)
    assert third.duplicate
    assert await store.history(report.report_id) == history
    assert (await store.load_report(report.report_id)).version == 2


async def test_the_same_update_twice_at_once_is_applied_once(store: Store) -> None:
    report = await _report(store)
    new = _with(report.state, "requests.new.natural", 1)
    both = await asyncio.gather(
        store.apply(report.report_id, 1, new, now=NOW, update_id=77),
        store.apply(report.report_id, 1, new, now=NOW, update_id=77),
    )
    assert sorted(a.duplicate for a in both) == [False, True]
    assert {a.version for a in both} == {2}
    assert (await store.load_report(report.report_id)).version == 2


async def test_a_failure_halfway_leaves_nothing_behind(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = await _report(store)
    history = await store.history(report.report_id)
    new = _with(_with(report.state, "requests.new.natural", 999), "proactive.fees.amount", 7)

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("power cut between the answers and the update record")

    # Cells, texts, history and the version are written by then; the update record is last.
    monkeypatch.setattr(storage.rows, "record_update", crash)
    with pytest.raises(RuntimeError, match="power cut"):
        await store.apply(report.report_id, 1, new, now=NOW, update_id=31)
    monkeypatch.undo()
    stored = await store.load_report(report.report_id)
    assert stored == report
    assert await store.history(report.report_id) == history
    # The update was not recorded as processed, so its redelivery is applied normally.
    applied = await store.apply(report.report_id, 1, new, now=NOW, update_id=31)
    assert not applied.duplicate and applied.version == 2


async def test_a_database_error_halfway_leaves_nothing_behind(store: Store) -> None:
    report = await _report(store)
    history = await store.history(report.report_id)
    new = _with(report.state, "requests.new.natural", 999)
    # The cells are updated before the history rows, whose member does not exist.
    with pytest.raises(DatabaseError, match="没有保存任何内容"):
        await store.apply(report.report_id, 1, new, now=NOW, actor=424242, update_id=8)
    assert await store.load_report(report.report_id) == report
    assert await store.history(report.report_id) == history


async def test_one_failing_writer_does_not_disturb_the_others(store: Store) -> None:
    reports = [await _report(store, f"单位{i}") for i in range(20)]

    async def answer(i: int, r: ReportState) -> object:
        # Writer 5 fails halfway (its member does not exist), writer 6 is stale.
        actor = 424242 if i == 5 else None
        version = 7 if i == 6 else 1
        new = _with(r.state, "requests.new.natural", i)
        return await store.apply(r.report_id, version, new, now=NOW, actor=actor)

    # Submitted at once, these share SQLite's group commit: each must still stand alone.
    outcomes = await asyncio.gather(
        *(answer(i, r) for i, r in enumerate(reports)), return_exceptions=True
    )
    assert isinstance(outcomes[5], DatabaseError)
    assert isinstance(outcomes[6], VersionConflict)
    for i, r in enumerate(reports):
        stored = await store.load_report(r.report_id)
        failed = i in (5, 6)
        assert stored.state.answers.cells["requests.new.natural"] == (193 if failed else i)
        assert stored.version == (1 if failed else 2)
