"""Every kind of answer survives the database exactly, on both backends."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from core.answers import Answers
from core.interview import Mode, State, complete_answers
from core.rules import Number
from storage import AlreadyExists, NotFound, ReportStatus, Role, Store

from .samples import CONTACT, NOW, TEXTS, rich_2019, rich_2021


async def _agency(store: Store, name: str = "某某县民政局") -> int:
    return (await store.create_agency(name, now=NOW)).id


@pytest.mark.parametrize("make", [rich_2021, rich_2019], ids=["gov-2021", "gov-2019"])
async def test_created_report_loads_back_equal(store: Store, make: Callable[[], State]) -> None:
    state = make()
    created = await store.create_report(await _agency(store), state, now=NOW)
    loaded = await store.load_report(created.report_id)
    assert loaded.state == state
    assert loaded.version == 1 and loaded.status is ReportStatus.FILLING
    assert loaded == created


async def test_values_keep_their_exact_type_and_digits(store: Store) -> None:
    state = rich_2021()
    report = await store.create_report(await _agency(store), state, now=NOW)
    answers = (await store.load_report(report.report_id)).state.answers
    amount = answers.cells["proactive.fees.amount"]
    assert isinstance(amount, Decimal) and str(amount) == "103.3879"
    count = answers.cells["requests.new.natural"]
    assert type(count) is int and count == 193
    assert answers.texts == TEXTS and answers.texts["other.matters"] == ""
    assert answers.contact == CONTACT
    assert answers.agency == "某某县民政局"
    last = (await store.load_report(report.report_id)).state.last
    assert last is not None and str(last.cells["proactive.fees.amount"]) == "0.0001"


async def test_signed_changes_and_large_amounts(store: Store) -> None:
    state = rich_2019()
    cells: dict[str, Number] = {
        "proactive.other_services.change": -13,
        "proactive.licensing.change": Decimal("-0.5"),
        "proactive.procurement.amount": Decimal("999999999999999.9"),
        "proactive.penalty.decisions": 10**15,
    }
    state = state.evolve(answers=state.answers.with_cells(cells))
    report = await store.create_report(await _agency(store), state, now=NOW)
    loaded = (await store.load_report(report.report_id)).state.answers.cells
    for cid, value in cells.items():
        assert loaded[cid] == value and str(loaded[cid]) == str(value)


async def test_apply_round_trips_every_change_and_clearing(store: Store) -> None:
    report = await store.create_report(await _agency(store), rich_2021(), now=NOW)
    answers = report.state.answers.with_cells(
        {"requests.new.natural": 200, "proactive.fees.amount": None}
    )
    answers = answers.with_text("problems", "新问题：\n第一，……🚀").with_text("other.fee", None)
    answers = answers.with_meta(agency="某某县民政局（改名）", contact={"phone": "12345"})
    new = report.state.evolve(answers=answers, current="review", mode=Mode.REVIEW, text_open=False)
    applied = await store.apply(report.report_id, 1, new, now=NOW, update_id=7001)
    assert applied.version == 2 and not applied.duplicate
    loaded = await store.load_report(report.report_id)
    assert loaded.state == new and loaded.version == 2
    assert "proactive.fees.amount" not in loaded.state.answers.cells
    assert "other.fee" not in loaded.state.answers.texts
    assert loaded.state.answers.contact == {"phone": "12345"}


async def test_history_records_who_when_old_new_and_update(store: Store) -> None:
    agency = await _agency(store)
    member = await store.create_member(42, "张三", Role.FILLER, now=NOW, agency_id=agency)
    report = await store.create_report(agency, rich_2021(), now=NOW, actor=member.id)
    before = len(await store.history(report.report_id))
    answers = report.state.answers.with_cells(
        {"proactive.fees.amount": Decimal("12.5"), "requests.new.business": None}
    ).with_text("other", "本年度无其他事项。")
    new = report.state.evolve(answers=answers)
    applied = await store.apply(report.report_id, 1, new, now=NOW, actor=member.id, update_id=9)
    assert applied.changed == 3
    changes = (await store.history(report.report_id))[before:]
    assert {(c.kind, c.key, c.old, c.new) for c in changes} == {
        ("cell", "proactive.fees.amount", "103.3879", "12.5"),
        ("cell", "requests.new.business", "19", None),
        ("text", "other", "无。", "本年度无其他事项。"),
    }
    assert all(c.member_id == member.id and c.update_id == 9 and c.at == NOW for c in changes)


async def test_status_change_is_saved_and_logged(store: Store) -> None:
    report = await store.create_report(await _agency(store), rich_2021(), now=NOW)
    done = report.state.evolve(mode=Mode.DONE)
    applied = await store.apply(report.report_id, 1, done, now=NOW, status=ReportStatus.IN_REVIEW)
    assert applied.report.status is ReportStatus.IN_REVIEW
    assert (await store.load_report(report.report_id)).status is ReportStatus.IN_REVIEW
    last = (await store.history(report.report_id))[-1]
    assert (last.kind, last.key, last.old, last.new) == ("meta", "status", "filling", "in_review")


async def test_year_change_moves_the_report(store: Store) -> None:
    agency = await _agency(store)
    report = await store.create_report(agency, rich_2021(), now=NOW)
    old = report.state.answers
    moved = Answers("gov-2021", 2025, old.agency, old.cells, old.texts, old.contact)
    await store.apply(report.report_id, 1, report.state.evolve(answers=moved), now=NOW)
    assert await store.find_report(agency, 2026) is None
    found = await store.find_report(agency, 2025)
    assert found is not None and found.state.answers == moved


async def test_one_report_per_agency_and_year(store: Store) -> None:
    agency = await _agency(store)
    report = await store.create_report(agency, rich_2021(), now=NOW)
    with pytest.raises(AlreadyExists, match="已有 2026 年的报告"):
        await store.create_report(agency, rich_2021(), now=NOW)
    # Moving another report onto 2026 is refused the same way, and writes nothing.
    old = rich_2021().answers
    earlier = Answers("gov-2021", 2025, old.agency, old.cells, old.texts, old.contact)
    other = await store.create_report(agency, rich_2021().evolve(answers=earlier), now=NOW)
    moved = other.state.evolve(answers=old)
    with pytest.raises(AlreadyExists, match="已有 2026 年的报告"):
        await store.apply(other.report_id, 1, moved, now=NOW, update_id=3)
    assert await store.load_report(other.report_id) == other
    assert await store.load_report(report.report_id) == report


async def test_missing_things_are_not_found(store: Store) -> None:
    with pytest.raises(NotFound, match="找不到报告"):
        await store.load_report(12345)
    with pytest.raises(NotFound, match="找不到单位"):
        await store.create_report(999, rich_2021(), now=NOW)
    with pytest.raises(NotFound):
        await store.apply(12345, 1, rich_2021(), now=NOW)
    with pytest.raises(NotFound):
        await store.export_answers(1, 2026)


async def test_export_and_import_answers(store: Store) -> None:
    agency = await _agency(store)
    state = rich_2021()
    await store.create_report(agency, state, now=NOW)
    exported = await store.export_answers(agency, 2026)
    assert exported == state.answers
    other = await _agency(store, "某某县财政局")
    imported = await store.import_answers(other, exported, now=NOW)
    assert imported.state.answers == exported and imported.version == 1
    # Importing again replaces the answers in place, keeping history.
    changed = exported.with_cells({"requests.new.natural": 1})
    again = await store.import_answers(other, changed, now=NOW)
    assert again.report_id == imported.report_id and again.version == 2
    assert (await store.export_answers(other, 2026)).cells["requests.new.natural"] == 1
    assert (await store.history(again.report_id))[-1].key == "requests.new.natural"


async def test_finished_report_exports_implied_zeros(store: Store) -> None:
    agency = await _agency(store)
    columns = ("natural", "business", "research", "nonprofit", "legal", "other_org")
    none = {f"requests.{row}.{col}": 0 for row in ("new", "carried_in") for col in columns}
    state = rich_2021()
    answers = Answers("gov-2021", 2026, "某某县民政局", none, state.answers.texts)
    done = state.evolve(answers=answers, mode=Mode.DONE)
    await store.create_report(agency, done, now=NOW)
    exported = await store.export_answers(agency, 2026)
    # No applications: the whole results block follows as zeros, as the finished report says.
    assert exported == complete_answers(done)
    assert exported.cells["requests.granted.natural"] == 0
    assert "requests.granted.natural" not in answers.cells
