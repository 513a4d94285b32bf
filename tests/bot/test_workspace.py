"""Users who could work on more than one report: several agencies, or an office and an agency.

The county government office's coordinator usually also files the office's own agency report;
a township officer may fill in for two agencies. /report lists what they may work on, the choice
holds until changed (and survives a restart: it is stored), and /compile moves the coordinator
to the own report whose next question it asks.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot import texts as T
from bot import texts_coordination as C
from bot.service import Service, User
from bot.uploads import DRAFT, Upload, button_data
from core.interview import Command, Press
from storage import ReportState, Store
from tests.bot.test_coordination import COORD, code_in, fill_zero, new_office, to
from tests.bot.test_service import Player, buttons, text

NOW = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
EXAMPLE = Path(__file__).parents[1] / "fixtures" / "examples"


@pytest.fixture
def service(store: Store) -> Service:
    return Service(store, clock=lambda: NOW, bot_username="nianbao_test_bot")


async def reports(store: Store, telegram_user_id: int) -> dict[int, ReportState]:
    """Every report of every agency the user belongs to, by id."""
    found: dict[int, ReportState] = {}
    for m in await store.memberships(telegram_user_id):
        if m.agency_id is not None:
            found.update({r.report_id: r for r in await store.reports_of(m.agency_id)})
    return found


async def own_report(store: Store) -> ReportState:
    (office,) = [m for m in await store.memberships(COORD.id) if m.office_id is not None]
    assert office.office_id is not None
    agency = await store.find_own_agency(office.office_id)
    assert agency is not None
    (report,) = await store.reports_of(agency.id)
    return report


async def test_a_coordinator_with_an_agency_of_their_own_works_on_both(
    service: Service, store: Store
) -> None:
    coord, code = await new_office(service)
    # An agency of the office, submitted.
    a = Player(service, User(10, "民政局"), 100)
    await a.do(Command("start", code))
    a.outs = to(await fill_zero(a, "某某县民政局"), a.user)
    await a.press(C.SUBMIT)
    # The coordinator registers the office's own department as an agency, by the same link.
    outs = await coord.do(Command("start", code))
    assert "请发送本单位全称" in text(outs)
    await coord.say("某某县人民政府办公室机关")
    (mine,) = (await reports(store, COORD.id)).values()
    assert mine.state.answers.agency == "某某县人民政府办公室机关"

    # Approved and compiled: the next message answers the office's own report.
    await coord.do(Command("board"))
    await coord.press("某某县民政局")
    await coord.press(C.APPROVE)
    await coord.do(Command("compile"))
    outs = await coord.press("汇总全部")
    assert C.OWN_NEXT in text(outs) and C.OWN_SWITCH_BACK in text(outs)
    own = await own_report(store)
    await coord.say("联系电话：0471-1234567")
    assert (await own_report(store)).version == own.version + 1
    assert (await reports(store, COORD.id))[mine.report_id].version == mine.version

    # /report lists both; the agency's report again, then the own one.
    outs = await coord.do(Command("report"))
    assert text(outs) == T.BOT_CHOOSE_REPORT
    year = own.year
    assert set(buttons(outs)) == {
        f"✓ 本级汇总报告 · {year}年度",
        f"某某县人民政府办公室机关 · {year}年度报告",
    }
    outs = await coord.press(f"某某县人民政府办公室机关 · {year}年度报告")
    assert f"已切换到「某某县人民政府办公室机关」{year} 年度报告" in text(outs)
    await coord.say("电话：0471-7654321")
    mine_now = (await reports(store, COORD.id))[mine.report_id]
    assert mine_now.state.answers.contact == {"phone": "0471-7654321"}
    # The board, invitations and the like still see the agency the coordinator works in.
    outs = await coord.do(Command("invite"))
    assert C.INVITE_CHOOSE in text(outs)

    await coord.do(Command("report"))
    outs = await coord.press(f"本级汇总报告 · {year}年度")
    assert C.OWN_HEAD.format(agency="某某县人民政府办公室", year=year) in text(outs)
    # A file sent now is checked, never turned into an agency or into the own report.
    before = await store.memberships(COORD.id)
    content = next(EXAMPLE.glob("001_*.txt")).read_bytes()
    outs = await service.upload(COORD, 5000, Upload("001.txt", content))
    assert text(outs).endswith(T.BOT_UPLOAD_OWN) and "检查结果" in text(outs)
    assert await store.memberships(COORD.id) == before
    # On the own report, /invite gives the link for agencies again.
    outs = await coord.do(Command("invite"))
    assert "邀请链接" in text(outs) and code_in(outs)


async def test_a_coordinator_without_an_agency_sending_a_file_stays_a_coordinator(
    service: Service, store: Store
) -> None:
    await new_office(service)
    content = next(EXAMPLE.glob("000_*.txt")).read_bytes()
    outs = await service.upload(COORD, 7000, Upload("000.txt", content))
    assert text(outs).endswith(T.BOT_UPLOAD_OWN) and "已读取文本" in text(outs)
    (only,) = await store.memberships(COORD.id)
    assert only.agency_id is None and only.office_id is not None
    data = button_data(DRAFT, content)  # a button of another chat's upload, say
    outs = await service.upload_choice(COORD, 7001, data, Upload("000.txt", content))
    assert text(outs) == T.BOT_UPLOAD_OWN_CHOICE


async def test_someone_in_two_agencies_chooses_where_to_work(
    service: Service, store: Store
) -> None:
    _coord, code = await new_office(service)
    a = Player(service, User(10, "张三"), 100)
    await a.do(Command("start", code))
    await a.say("某某县民政局")
    # A colleague of another agency invites 张三 too: 张三 now answers there.
    b = Player(service, User(20, "李四"), 200)
    await b.do(Command("start", code))
    await b.say("某某县财政局")
    await b.do(Command("invite"))
    await b.press(C.INVITE_FILLER)
    outs = await a.do(Command("start", code_in(b.outs)))
    assert "某某县财政局" in text(outs)
    by_agency = {r.state.answers.agency: r for r in (await reports(store, 10)).values()}
    await a.say("电话：0471-2222222")
    assert (await reports(store, 10))[by_agency["某某县财政局"].report_id].state.answers.contact
    assert not (await reports(store, 10))[by_agency["某某县民政局"].report_id].state.answers.contact

    outs = await a.do(Command("report"))
    year = by_agency["某某县民政局"].year
    assert set(buttons(outs)) == {
        f"某某县民政局 · {year}年度报告",
        f"✓ 某某县财政局 · {year}年度报告",
    }
    await a.press(f"某某县民政局 · {year}年度报告")
    await a.say("电话：0471-1111111")
    stored = await reports(store, 10)
    assert stored[by_agency["某某县民政局"].report_id].state.answers.contact == {
        "phone": "0471-1111111"
    }
    # The choice is stored: a new service (a restart) keeps it.
    again = Player(Service(store, clock=lambda: NOW), User(10, "张三"), 300)
    outs = await again.do(Command("report"))
    assert f"✓ 某某县民政局 · {year}年度报告" in buttons(outs)

    # Someone of neither agency cannot choose them, with forged buttons either.
    c = Player(service, User(30, "王五"), 400)
    await c.do(Command("start"))
    for agency in by_agency.values():
        for data in (f"w|{agency.agency_id}", f"r|{agency.report_id}"):
            outs = await c.do(Press(data))
            assert "请发送本单位全称" in text(outs), data
    assert (await store.whereabouts(30))[1] is None
