"""The office's own report in the bot: its narrative written by the coordinator after /compile,
and its figures set against the sum of the approved agencies on /board and /compile."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from bot import texts_coordination as C
from bot.service import Service, User
from core.interview import Command, Mode, Press
from storage import ReportState, Store
from tests.bot.test_coordination import BOT, Clock, new_office, to
from tests.bot.test_service import Player, buttons, text

PROBLEMS = "存在的主要问题是公开意识有待加强，下一步将加强培训，完善制度，持续提升公开质量。"


@pytest.fixture
def service(store: Store) -> Service:
    """The service at the coordination tests' clock."""
    return Service(store, clock=Clock(), bot_username=BOT)


async def submitted(p: Player, name: str, table2: Sequence[str]) -> None:
    """An agency's report with ``table2``'s rows and zeros elsewhere, confirmed by its reviewer."""
    await p.say(name)
    for _ in range(6):  # contact details and the five areas of 一、总体情况
        await p.press("跳过")
    for row in table2:
        await p.say(row)
    for _ in range(2):
        await p.press("本表全部为0")
    await p.say(PROBLEMS)
    await p.press("完成")
    await p.press("本年度未收取")
    await p.press("无")
    done = await p.press("完成填报")
    p.outs = to(done, p.user)
    await p.press(C.SUBMIT)


async def own_report(store: Store, coordinator: User) -> ReportState:
    (office,) = await store.memberships(coordinator.id)
    assert office.office_id is not None
    own = await store.find_own_agency(office.office_id)
    assert own is not None
    (report,) = await store.reports_of(own.id)
    return report


async def test_the_coordinator_writes_the_own_report_and_sees_its_differences(
    service: Service,
) -> None:
    store = service.store
    coord, code = await new_office(service)
    # Before any compilation there is no own report to write.
    assert text(await coord.do(Command("report"))) == C.OWN_NONE
    a = Player(service, User(10, "甲"), 100)
    b = Player(service, User(11, "乙"), 200)
    for p in (a, b):
        await p.do(Command("start", code))
    await submitted(a, "某某县民政局", ["0 0 0", "1 0 5", "10", "3", "0", "0"])
    await submitted(b, "某某县财政局", ["0 0 0", "2 1 3", "5", "0", "1", "0"])
    for name in ("某某县民政局", "某某县财政局"):
        await coord.do(Command("board"))
        await coord.press(name)
        await coord.press(C.APPROVE)

    await coord.do(Command("compile"))
    outs = await coord.press("汇总全部")
    assert C.OWN_NEXT in text(outs) and "请发送报告开头公布的联系方式" in outs[-1].text
    report = await own_report(store, coord.user)
    cells = report.state.answers.cells
    assert (cells["proactive.normative.issued"], cells["proactive.normative.in_force"]) == (3, 8)
    assert cells["proactive.licensing.decisions"] == 15

    # The narrative, through the ordinary interview, as an agency writes its own.
    await coord.say("联系部门：县政府办公室\n电话：0471-1234567")
    for area in ("主动公开", "政府信息管理", "平台建设", "监督保障"):
        await coord.say(f"本级{area}方面的工作情况。全县统筹推进，成效明显。")
        await coord.press("完成")
    await coord.say(PROBLEMS)
    await coord.press("完成")
    await coord.press("本年度未收取")
    await coord.press("无")
    outs = await coord.press("完成填报")
    names = [o.document.filename for o in outs if o.document]
    assert names == [
        "某某县人民政府办公室2025年政府信息公开工作年度报告.docx",
        "某某县人民政府办公室2025年政府信息公开工作年度报告.xlsx",
    ]  # final, not （草稿）
    report = await own_report(store, coord.user)
    texts = report.state.answers.texts
    assert report.state.mode is Mode.DONE
    assert texts["overview.proactive"] == "本级主动公开方面的工作情况。全县统筹推进，成效明显。"
    assert report.state.answers.contact["phone"] == "0471-1234567"
    preview = text(await coord.do(Command("preview")))
    assert "草稿" not in preview.splitlines()[0] and "本级监督保障方面" in preview
    assert len(await store.memberships(coord.user.id)) == 1  # still no agency of their own

    # /board says the own report agrees with the sum ...
    board = await coord.do(Command("board"))
    assert C.OWN_SAME.format(count=2) in text(board)
    assert C.OWN_DIFFERENCES not in buttons(board)
    # ... until the coordinator corrects a figure (a document counted by two agencies).
    outs = await coord.do(Command("edit", "行政规范性文件"))
    assert "行政规范性文件" in text(outs)
    await coord.say("2 1 8")
    board = await coord.do(Command("board"))
    assert C.OWN_DIFFERENT.format(count=2, differences=1) in text(board)
    outs = await coord.press(C.OWN_DIFFERENCES)
    assert "行政规范性文件" in text(outs) and "本级 2，各单位合计 3，差额 -1" in text(outs)

    # Compiling again: the sums come back, the overwritten difference is shown, and what the
    # coordinator wrote stays; the interview reopens at the review.
    await coord.do(Command("compile"))
    outs = await coord.press("汇总全部")
    shown = text(outs)
    assert C.COMPILE_REPLACED.format(count=1) in shown
    assert "本级 2，各单位合计 3，差额 -1" in shown
    report = await own_report(store, coord.user)
    assert report.state.answers.cells["proactive.normative.issued"] == 3
    assert report.state.answers.texts["overview.proactive"] == texts["overview.proactive"]
    assert report.state.answers.texts["problems"] == texts["problems"]
    assert report.state.answers.contact["phone"] == "0471-1234567"
    assert report.state.mode is Mode.REVIEW and "完成填报" in buttons(outs)
    board = await coord.do(Command("board"))
    assert C.OWN_SAME.format(count=2) in text(board)

    # The typed correction is offered back, and put back on request.
    assert C.OWN_RESTORE_OFFER.format(count=1) in shown
    assert "行政规范性文件" in shown and "您填的 2，新的合计 3" in shown
    coord.outs = outs
    restored = await coord.press(C.OWN_RESTORE.format(count=1))
    assert C.OWN_RESTORED.format(count=1) in text(restored)
    report = await own_report(store, coord.user)
    assert report.state.answers.cells["proactive.normative.issued"] == 2
    assert report.state.mode is Mode.REVIEW
    board = await coord.do(Command("board"))
    assert C.OWN_DIFFERENT.format(count=2, differences=1) in text(board)
    again = await coord.do(Press(f"c|kr|{report.report_id}"))  # nothing left to put back
    assert text(again) == C.OWN_RESTORE_NONE
    # Compiling once more replaces it again and offers it again (it was typed, then restored).
    await coord.do(Command("compile"))
    outs = await coord.press("汇总全部")
    assert C.OWN_RESTORE_OFFER.format(count=1) in text(outs)
    # Another office's coordinator cannot press it.
    other = Player(service, User(50, "乙协调人"), 900)
    await other.do(Command("new_office"))
    await other.say("另一个县政府办公室")
    assert text(await other.do(Press(f"c|kr|{report.report_id}"))) == C.NOT_ALLOWED
    coord.outs = outs
    await coord.press("完成填报")
    assert (await own_report(store, coord.user)).state.mode is Mode.DONE


def test_typed_and_replaced_reads_the_history() -> None:
    from datetime import UTC, datetime

    from bot.own_report import typed_and_replaced
    from storage import Change

    at = datetime(2026, 1, 10, tzinfo=UTC)

    def change(key: str, new: str | None, update: int | None, kind: str = "cell") -> Change:
        return Change(kind, key, None, new, 1, update, at)

    history = [
        change("a", "3", None),  # compiled
        change("a", "2", 7),  # typed
        change("b", "5", 8),  # typed, then compiled over, then typed again
        change("b", "6", None),
        change("b", "4", 9),
        change("c", "1", 10),  # typed, then cleared by hand
        change("c", None, 11),
        change("c", "2", None),
        change("problems", "文字", 12, kind="text"),  # not a figure
        change("a", "3", None),  # compiled again: the typed 2 replaced
        change("d", "0", 13),  # typed, never compiled over
    ]
    assert typed_and_replaced(history) == {"a": "2"}
