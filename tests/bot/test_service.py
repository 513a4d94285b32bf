"""The bot's use cases on a real SQLite store, without Telegram."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import docx
import pytest

from bot import texts as T
from bot.service import Out, Service, User
from core.interview import Command, Mode, Press, Text, new_state
from storage import ReportState, Role, Store

NOW = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
ZHANG = User(1001, "张三")


@pytest.fixture
def service(store: Store) -> Service:
    """The service with a fixed clock."""
    return Service(store, clock=lambda: NOW)


def buttons(outs: list[Out]) -> dict[str, str]:
    return {b.label: b.data for o in outs for row in o.buttons for b in row}


def text(outs: list[Out]) -> str:
    return "\n".join(o.text for o in outs)


class Player:
    """One user talking to the service, with increasing update ids."""

    def __init__(self, service: Service, user: User, first_update: int = 1) -> None:
        self.service, self.user, self.update = service, user, first_update
        self.outs: list[Out] = []

    async def do(self, action: Text | Press | Command) -> list[Out]:
        self.update += 1
        self.outs = await self.service.handle(self.user, self.update, action)
        return self.outs

    async def say(self, words: str) -> list[Out]:
        return await self.do(Text(words))

    async def press(self, label: str) -> list[Out]:
        found = buttons(self.outs)
        match = next((d for lbl, d in found.items() if lbl.startswith(label)), None)
        assert match is not None, f"{label} not in {list(found)}"
        return await self.do(Press(match))


async def finish_zero_report(p: Player) -> None:
    await p.do(Command("start"))
    await p.say("某某县民政局")
    await p.press("跳过")
    for _ in range(5):
        await p.press("跳过")
    for _ in range(3):
        await p.press("本表全部为0")
    await p.say("存在的主要问题是公开意识有待加强，下一步将加强培训，完善制度，持续提升公开质量。")
    await p.press("完成")
    await p.press("本年度未收取")
    await p.press("无")
    assert "某某县民政局2025年政府信息公开工作年度报告" in p.outs[0].text  # the preview first
    await p.press("完成填报")


async def test_first_contact_registers_and_asks_the_agency(service: Service, store: Store) -> None:
    outs = await Player(service, ZHANG).do(Command("start"))
    assert "您好，张三" in text(outs) and "请发送本单位全称" in text(outs)
    (member,) = await store.memberships(ZHANG.id)
    assert member.role is Role.FILLER and member.agency_id is not None
    (report,) = await store.reports_of(member.agency_id)
    assert report.year == 2025 and report.format == "gov-2021"


async def test_whole_report_ends_with_the_documents(service: Service, store: Store) -> None:
    p = Player(service, ZHANG)
    await finish_zero_report(p)
    docs = [o.document for o in p.outs if o.document is not None]
    assert [d.filename for d in docs] == [
        "某某县民政局2025年政府信息公开工作年度报告.docx",
        "某某县民政局2025年政府信息公开工作年度报告.xlsx",
    ]
    paragraphs = [para.text for para in docx.Document(io.BytesIO(await docs[0].data())).paragraphs]
    assert any("某某县民政局" in t and "年度报告" in t for t in paragraphs)
    (member,) = await store.memberships(ZHANG.id)
    assert member.agency_id is not None
    assert (await store.get_agency(member.agency_id)).name == "某某县民政局"
    again = await p.do(Command("download"))
    assert len([o for o in again if o.document]) == 2


async def test_download_before_finishing_is_a_draft(service: Service) -> None:
    p = Player(service, ZHANG)
    await p.do(Command("start"))
    await p.say("某某县民政局")
    outs = await p.do(Command("download"))
    docs = [o.document for o in outs if o.document]
    assert len(docs) == 1 and "草稿" in docs[0].filename
    assert "还没有完成" in text(outs)


async def test_every_answer_is_saved_before_the_reply(service: Service, store: Store) -> None:
    p = Player(service, ZHANG)
    await p.do(Command("start"))
    await p.say("某某县民政局")
    await p.do(Command("edit", "表三"))
    await p.say("3 0 0 0 0 0")
    (member,) = await store.memberships(ZHANG.id)
    assert member.agency_id is not None
    (report,) = await store.reports_of(member.agency_id)
    assert report.state.answers.cells["requests.new.natural"] == 3
    assert report.state.current == "t3.carried_in"


async def test_a_repeated_update_changes_nothing(service: Service, store: Store) -> None:
    p = Player(service, ZHANG)
    await p.do(Command("start"))
    first = await service.handle(ZHANG, 500, Text("某某县民政局"))
    assert first
    second = await service.handle(ZHANG, 500, Text("某某县民政局"))
    assert second == []
    (member,) = await store.memberships(ZHANG.id)
    assert member.agency_id is not None
    history = await store.history((await store.reports_of(member.agency_id))[0].report_id)
    assert sum(1 for h in history if h.update_id == 500) == 1


async def test_a_colleague_who_saved_first_wins(service: Service, store: Store) -> None:
    p = Player(service, ZHANG)
    await p.do(Command("start"))
    await p.say("某某县民政局")
    (member,) = await store.memberships(ZHANG.id)
    assert member.agency_id is not None
    li = User(1002, "李四")
    await store.create_member(li.id, li.name, Role.FILLER, now=NOW, agency_id=member.agency_id)
    stale: ReportState = (await store.reports_of(member.agency_id))[0]
    await Player(service, li, 100).say("地址：某某县人民路1号")

    class Stale(Service):
        async def _report(self, member: object, now: datetime, *_: object) -> ReportState:  # type: ignore[override]
            return stale

    outs = await Stale(store, clock=lambda: NOW).handle(ZHANG, 900, Text("电话：0471-1"))
    assert "同事刚刚修改了这份报告" in text(outs)
    latest = (await store.reports_of(member.agency_id))[0]
    assert latest.state.answers.contact == {"address": "某某县人民路1号"}


async def test_choosing_between_open_reports(service: Service, store: Store) -> None:
    p = Player(service, ZHANG)
    await p.do(Command("start"))
    (member,) = await store.memberships(ZHANG.id)
    assert member.agency_id is not None
    from datetime import date

    await store.create_report(member.agency_id, new_state(date(2025, 2, 1)), now=NOW)
    current = (await store.reports_of(member.agency_id))[0]
    other = next(r for r in await store.reports_of(member.agency_id) if r != current)
    outs = await p.do(Command("report"))
    assert text(outs) == T.BOT_CHOOSE_YEAR  # one agency: its years
    assert set(buttons(outs)) == {f"✓ {current.year}年度报告", f"{other.year}年度报告"}
    outs = await p.press(f"{other.year}年度报告")
    assert f"已切换到「本单位」{other.year} 年度报告" in text(outs)
    await p.say("某某县民政局")  # answers the chosen report
    stored = {r.report_id: r for r in await store.reports_of(member.agency_id)}
    assert stored[other.report_id].state.answers.agency == "某某县民政局"
    assert stored[current.report_id].state.answers.agency == ""

    # A colleague working on the other year does not move the choice.
    li = User(1002, "李四")
    await store.create_member(li.id, li.name, Role.FILLER, now=NOW, agency_id=member.agency_id)
    colleague = Player(service, li, 500)
    outs = await colleague.do(Command("report"))
    assert f"✓ {current.year}年度报告" in buttons(outs)  # theirs: the most recently changed
    await colleague.say("某某县财政局")
    outs = await p.do(Command("report"))
    assert set(buttons(outs)) == {f"{current.year}年度报告", f"✓ {other.year}年度报告"}


async def test_forged_report_button_switches_nothing(service: Service, store: Store) -> None:
    other = Player(service, User(2002, "王五"), 300)
    await other.do(Command("start"))
    (theirs,) = await store.memberships(2002)
    assert theirs.agency_id is not None
    their_report = (await store.reports_of(theirs.agency_id))[0]
    p = Player(service, ZHANG)
    await p.do(Command("start"))
    outs = await p.do(Press(f"r|{their_report.report_id}"))
    assert "请发送本单位全称" in text(outs)
    assert (await store.reports_of(theirs.agency_id))[0].version == their_report.version


async def test_preview_and_help(service: Service) -> None:
    p = Player(service, ZHANG)
    await finish_zero_report(p)
    outs = await p.do(Command("preview"))
    assert "某某县民政局2025年政府信息公开工作年度报告" in outs[0].text
    assert all(len(o.text) <= 4096 for o in outs)
    assert "使用说明" in text(await p.do(Command("help")))
    assert "已暂停" in text(await p.do(Command("cancel")))


async def test_finished_report_stays_done(service: Service, store: Store) -> None:
    p = Player(service, ZHANG)
    await finish_zero_report(p)
    (member,) = await store.memberships(ZHANG.id)
    assert member.agency_id is not None
    assert (await store.reports_of(member.agency_id))[0].state.mode is Mode.DONE
    outs = await p.say("随便说点什么")
    assert "报告已完成" in text(outs)


async def test_a_new_year_starts_from_last_years_report(service: Service, store: Store) -> None:
    from storage import ReportStatus

    p = Player(service, ZHANG)
    await p.do(Command("start"))
    (member,) = await store.memberships(ZHANG.id)
    assert member.agency_id is not None
    (first,) = await store.reports_of(member.agency_id)
    # Last season's report, submitted with 2 applications carried forward (the rest implied 0).
    cells = {f"requests.new.{c}": 0 for c in ("business", "research", "nonprofit", "legal")}
    cells |= {"requests.new.natural": 2, "requests.new.other_org": 0}
    cells |= {f"requests.carried_in.{c}": 0 for c in ("natural", "business", "research")}
    cells |= {f"requests.carried_in.{c}": 0 for c in ("nonprofit", "legal", "other_org")}
    cells |= {"requests.carried_out.natural": 2}
    done = first.state.evolve(answers=first.state.answers.with_cells(cells))
    await store.apply(first.report_id, first.version, done, now=NOW, status=ReportStatus.SUBMITTED)
    later = Service(store, clock=lambda: NOW.replace(year=2027))
    q = Player(later, ZHANG, 700)
    await q.do(Command("start"))
    await q.say("某某县民政局")
    outs = await q.do(Command("edit", "上年结转"))
    assert "按上年报告的「结转下年度继续办理」，建议填：自然人 2、商业企业 0" in text(outs)
