"""The fixes the fault tests led to, each pinned by a small, fast test of its own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest

from bot import texts_coordination as C
from bot.dedup import SeenUpdates
from bot.service import Out, Service, User, fit
from core.answers import Answers
from core.cleantext import clean_text
from core.importers import read_document
from core.interview import Command, Press, Text, new_state, step
from core.preview import LIMIT, preview, utf16_len
from core.wording.importing import fatal_message
from storage import Store
from tests.core.rendered import load
from tests.faults.hostile import huge_spreadsheet


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    """A migrated SQLite store."""
    opened = await Store.open(f"sqlite:///{tmp_path}/nb.db", auto_migrate=True)
    try:
        yield opened
    finally:
        await opened.close()


def test_clean_text_keeps_what_can_be_stored_and_printed() -> None:
    assert clean_text("a\x00b\x1b[31mc\x7f\x85d") == "ab[31mcd"
    assert clean_text("某某\u202e县\u2066局\u200b\ufeff") == "某某县局"
    assert clean_text("行一\r\n行二\r行三\t完") == "行一\n行二\n行三\t完"
    assert clean_text("坏\ud800字\udfff") == "坏字"
    assert clean_text("👨‍👩‍👧 🇨🇳 e\u0301") == "👨‍👩‍👧 🇨🇳 e\u0301"  # joiners and marks stay


def test_an_update_id_is_seen_once_and_forgotten_after_the_window() -> None:
    seen = SeenUpdates(keep=3)
    assert [seen.first_time(u) for u in (1, 2, 1, 3, 4, 2, 1)] == [
        True, True, False, True, True, False, True,  # 1 fell out of the window when 4 came
    ]  # fmt: skip


async def test_an_answer_applied_before_a_restart_is_not_answered_again(store: Store) -> None:
    user = User(7, "张三")
    await Service(store).handle(user, 1, Command("start"))
    assert await Service(store).handle(user, 2, Text("某某县民政局"))
    # Delivered again to a new process: on the contact question the same words would be taken
    # as an address; the store knows update 2 was applied, so nothing is sent.
    assert await Service(store).handle(user, 2, Text("某某县民政局")) == []
    assert await store.update_seen(2) and not await store.update_seen(3)


def test_a_button_forged_for_a_question_of_another_kind_is_refused() -> None:
    state = new_state(date(2026, 5, 1)).evolve(current="x.overview.proactive")
    for data in ("tz|x.overview.proactive", "z|x.overview.proactive", "nf|x.overview.proactive"):
        after, replies = step(state, Press(data))
        assert after == state and "无法识别这个按钮" in replies[0].text


async def test_forged_ids_beyond_the_database_range_are_refused(store: Store) -> None:
    service = Service(store)
    user = User(8, "李四")
    for data in ("c|ag|99999999999999999999", "c|ok|2147483648", "c|rmy|²", "c|sub|٣"):
        assert (await service.handle(user, None, Press(data)))[0].text == C.NOT_ALLOWED


def test_replies_over_telegrams_limit_are_split_with_the_buttons_last() -> None:
    from core.interview import Button

    buttons = ((Button("好", "x"),),)
    outs = fit([Out("短"), Out("长" * 5000 + "\n\n" + "尾" * 10, buttons)])
    assert [utf16_len(o.text) <= LIMIT for o in outs] == [True] * 3
    assert outs[0].text == "短" and outs[-1].buttons == buttons and not outs[1].buttons


def test_the_preview_never_sends_a_message_of_line_breaks_only() -> None:
    a = load("full-2021")
    long = {k: ("字" * 4090 + "\n\n") * 3 for k in a.texts}
    pieces = preview(Answers(a.format, a.year, a.agency, a.cells, long, a.contact))
    assert len(pieces) > 10 and all(p.strip() for p in pieces)


def test_a_workbook_far_beyond_a_report_is_refused_before_loading() -> None:
    imported = read_document(huge_spreadsheet(20_000), "表.xlsx")
    assert not imported.readable and "远大于年度报告" in fatal_message(imported)
    assert read_document(huge_spreadsheet(200), "表.xlsx").readable


async def test_echoed_input_is_cut_in_the_reply(store: Store) -> None:
    outs = await Service(store).handle(User(9, "王五"), None, Command("edit", "表" * 5000))
    assert all(utf16_len(o.text) <= LIMIT for o in outs)
    assert "没有找到「" + "表" * 29 + "…」" in outs[0].text
