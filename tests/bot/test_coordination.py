"""Offices, invitations, review, the board and the consolidated report, on a real SQLite store."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot import texts_coordination as C
from bot.service import Out, Service, User
from core.interview import Command, Mode, Press
from storage import ReportStatus, Role, Store
from storage.invitations import InviteKind
from tests.bot.test_service import Player, buttons, text

NOW = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
BOT = "nianbao_test_bot"
COORD = User(1, "王主任")
LINK = re.compile(r"https://t\.me/" + BOT + r"\?start=([A-Za-z0-9_-]+)")


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    """The service's clock, at NOW."""
    return Clock()


@pytest.fixture
def service(store: Store, clock: Clock) -> Service:
    """The service with a test clock and a bot username for links."""
    return Service(store, clock=clock, bot_username=BOT)


def code_in(outs: list[Out]) -> str:
    found = LINK.search(text(outs))
    assert found, text(outs)
    return found.group(1)


def to(outs: list[Out], user: User) -> list[Out]:
    return [o for o in outs if o.chat == user.id]


async def new_office(service: Service, name: str = "某某县人民政府办公室") -> tuple[Player, str]:
    p = Player(service, COORD, 1000)
    await p.do(Command("new_office"))
    outs = await p.say(name)
    assert "您是协调人" in text(outs)
    return p, code_in(outs)


async def fill_zero(p: Player, name: str) -> list[Out]:
    """From the agency question to 完成填报: an all-zero report."""
    await p.say(name)
    for _ in range(6):
        await p.press("跳过")
    for _ in range(3):
        await p.press("本表全部为0")
    await p.say("存在的主要问题是公开意识有待加强，下一步将加强培训，完善制度，持续提升公开质量。")
    await p.press("完成")
    await p.press("本年度未收取")
    await p.press("无")
    return await p.press("完成填报")


async def agency_of(store: Store, user: User) -> int:
    (member,) = [m for m in await store.memberships(user.id) if m.agency_id is not None]
    assert member.agency_id is not None
    return member.agency_id


async def report_of(store: Store, user: User) -> tuple[int, ReportStatus, Mode]:
    (report,) = await store.reports_of(await agency_of(store, user))
    return report.report_id, report.status, report.state.mode


async def test_office_agencies_review_return_resubmit_approve_board(
    service: Service, store: Store
) -> None:
    coord, code = await new_office(service)
    a, b, c = (Player(service, User(10 + i, f"单位{i}"), 100 * i) for i in range(1, 4))
    for p in (a, b, c):
        outs = await p.do(Command("start", code))
        assert "身份为审核人" in text(outs) and "请发送本单位全称" in text(outs)
        (m,) = await store.memberships(p.user.id)
        assert m.role is Role.REVIEWER
    again = await a.do(Command("start", code))  # a repeated link registers nothing new
    assert text(again) == C.ALREADY_MEMBER and len(await store.memberships(a.user.id)) == 1
    done = await fill_zero(a, "某某县民政局")
    _rid, status, _ = await report_of(store, a.user)
    assert status is ReportStatus.IN_REVIEW
    assert any(o.document for o in done)  # the files, as for an agency alone
    review = to(done, a.user)  # the registrant is the reviewer: the review comes to them
    assert C.SUBMIT in buttons(review) and "某某县民政局2025年" in text(review)
    locked = await a.do(Command("edit", "表三"))
    assert "暂不能修改" in text(locked)
    a.outs = review
    outs = await a.press(C.SUBMIT)
    assert (await report_of(store, a.user))[1] is ReportStatus.SUBMITTED
    assert "等待您审核" in text(to(outs, COORD))
    await b.say("某某县财政局")  # B started, C did not

    board = await coord.do(Command("board"))
    lines = board[0].text.splitlines()
    assert "某某县民政局 — 已提交" in lines[2]
    assert "未开始" in lines[3] and "某某县财政局 — 填写中" in lines[4]

    outs = await coord.press("某某县民政局")
    assert [o.document.filename[-5:] for o in outs if o.document] == [".docx", ".xlsx"]
    assert "没有勾稽错误" in text(outs)
    await coord.press(C.RETURN)
    outs = await coord.say("请补充第五部分的具体问题。")
    assert "已退回" in text(outs)
    assert "退回意见：请补充第五部分的具体问题。" in text(to(outs, a.user))
    assert (await report_of(store, a.user))[1:] == (ReportStatus.RETURNED, Mode.REVIEW)

    a.outs = to(outs, a.user)
    outs = await a.press("完成填报")
    assert (await report_of(store, a.user))[1] is ReportStatus.IN_REVIEW
    a.outs = to(outs, a.user)
    await a.press(C.SUBMIT)
    await coord.do(Command("board"))
    await coord.press("某某县民政局")
    outs = await coord.press(C.APPROVE)
    assert "已通过「某某县人民政府办公室」审核" in text(to(outs, a.user))
    assert (await report_of(store, a.user))[1] is ReportStatus.APPROVED
    board = await coord.do(Command("board"))
    assert "某某县民政局 — 已通过" in board[0].text.splitlines()[-1]

    # The consolidated report, from the approved report.
    await coord.do(Command("compile"))
    outs = await coord.press("汇总全部")
    assert C.OWN_SWITCH_BACK not in text(outs)  # no agency report of their own to go back to
    names = [o.document.filename for o in outs if o.document]
    assert names == [
        "某某县人民政府办公室2025年政府信息公开工作年度报告.docx",
        "某某县人民政府办公室2025年政府信息公开工作年度报告（汇总表）.xlsx",
    ]
    office_id = (await store.memberships(COORD.id))[0].office_id
    assert office_id is not None
    own = await store.own_agency(office_id, "", now=NOW)
    (compiled,) = await store.reports_of(own.id)
    assert compiled.state.answers.agency == "某某县人民政府办公室"
    assert len(await store.list_agencies(office_id)) == 3  # the own agency is not on the board


async def test_two_colleagues_enter_one_report(service: Service, store: Store) -> None:
    _, code = await new_office(service)
    boss = Player(service, User(20, "李科长"), 100)
    await boss.do(Command("start", code))
    await boss.do(Command("invite"))
    outs = await boss.press(C.INVITE_FILLER)
    colleague = Player(service, User(21, "赵科员"), 200)
    outs = await colleague.do(Command("start", code_in(outs)))
    assert "作为填报人加入" in text(outs)
    await colleague.say("某某县教育局")
    await colleague.press("跳过")
    await boss.do(Command("report"))
    assert (await agency_of(store, colleague.user)) == (await agency_of(store, boss.user))
    (report,) = await store.reports_of(await agency_of(store, boss.user))
    assert report.state.answers.agency == "某某县教育局"
    (m,) = await store.memberships(21)
    assert m.role is Role.FILLER
    # A filler may not invite a reviewer, even with a forged button.
    outs = await colleague.do(Press("c|inv|reviewer"))
    assert text(outs) == C.NOT_ALLOWED


async def test_invitations_expire_are_revoked_used_once_and_guessing_is_limited(
    service: Service, store: Store, clock: Clock
) -> None:
    coord, code = await new_office(service)
    boss = Player(service, User(30, "甲"), 100)
    await boss.do(Command("start", code))
    await boss.do(Command("invite"))
    once = code_in(await boss.press(C.INVITE_FILLER))
    assert len(once) >= 32  # 24 random bytes
    await Player(service, User(31, "乙"), 200).do(Command("start", once))
    outs = await Player(service, User(32, "丙"), 300).do(Command("start", once))
    assert text(outs) == C.REDEEM_FAILED["used"]
    assert await store.memberships(32) == []  # refused, and not registered alone either

    await coord.do(Command("revoke"))
    await coord.press("作废")
    outs = await Player(service, User(33, "丁"), 400).do(Command("start", code))
    assert text(outs) == C.REDEEM_FAILED["revoked"]

    outs = await coord.do(Command("invite"))
    fresh = code_in(outs)
    clock.now = NOW + timedelta(days=15)
    outs = await Player(service, User(34, "戊"), 500).do(Command("start", fresh))
    assert text(outs) == C.REDEEM_FAILED["expired"]
    clock.now = NOW

    guesser = Player(service, User(35, "猜"), 600)
    for n in range(5):
        outs = await guesser.do(Command("start", f"guess{n}"))
        assert text(outs) == C.REDEEM_FAILED["unknown"]
    valid = code_in(await coord.do(Command("invite")))
    outs = await guesser.do(Command("start", valid))
    assert text(outs) == C.REDEEM_FAILED["limited"]  # even a valid code, until the hour is over
    clock.now = NOW + timedelta(hours=1, minutes=1)
    outs = await guesser.do(Command("start", valid))
    assert "身份为审核人" in text(outs)


async def test_board_pages_fit_a_phone(service: Service, store: Store) -> None:
    coord, code = await new_office(service)
    for i in range(19):
        p = Player(service, User(100 + i, f"用户{i}"), 1000 * (i + 1))
        await p.do(Command("start", code))
        await p.say("某某县" + "很长的单位名称" * 25 + str(i))
    outs = await coord.do(Command("board"))
    seen = set()
    for page in range(3):
        (out,) = outs
        assert len(out.text.encode("utf-16-le")) // 2 <= 4096
        assert all(len(b.data.encode()) <= 64 for row in out.buttons for b in row)
        assert f"第 {page + 1}/3 页" in out.text
        seen |= {b.data for row in out.buttons for b in row if b.data.startswith("c|ag|")}
        if page < 2:
            outs = await coord.press(C.NEXT)
    assert len(seen) == 19


@dataclass
class World:
    rid: int  # office 1's agency A's report, submitted
    agency: int
    member_invite: int
    agency_invite: int
    reviewer: int  # agency A's reviewer's membership
    outsiders: dict[str, User]


async def world(service: Service, store: Store) -> World:
    _coord, code = await new_office(service)
    a = Player(service, User(40, "甲单位"), 100)
    await a.do(Command("start", code))
    await a.do(Command("invite"))
    await a.press(C.INVITE_FILLER)
    filler = Player(service, User(41, "甲填报人"), 200)
    await filler.do(Command("start", code_in(a.outs)))
    await a.do(Command("invite"))
    await a.press(C.INVITE_FILLER)  # a live colleague invitation to try revoking
    await a.do(Command("report"))
    done = await fill_zero(a, "甲县保密局")
    a.outs = to(done, a.user)
    await a.press(C.SUBMIT)
    rid, status, _ = await report_of(store, a.user)
    assert status is ReportStatus.SUBMITTED
    agency = await agency_of(store, a.user)
    # The reviewer removes the filler with /remove (the removed member hears of it).
    await a.do(Command("remove"))
    await a.press(C.REMOVE_BUTTON.format(name="甲填报人", role="填报人"))
    outs = await a.press(C.REMOVE_YES)
    assert text(to(outs, User(41, ""))) == C.REMOVED_NOTICE.format(agency="甲县保密局")
    assert await store.memberships(41) == []
    (reviewer,) = await store.memberships(40)
    other = Player(service, User(50, "乙协调人"), 300)
    await other.do(Command("new_office"))
    code2 = code_in(await other.say("另一个县政府办公室"))
    await Player(service, User(51, "乙单位"), 400).do(Command("start", code2))
    office = (await store.memberships(1))[0].office_id
    agency_inv = (await store.live_invites(NOW, office_id=office))[0].id
    member_inv = next(
        i for i in await store.live_invites(NOW, agency_id=agency) if i.kind is InviteKind.MEMBER
    ).id
    outsiders = {
        "other agency": User(51, "乙单位"),
        "other coordinator": User(50, "乙协调人"),
        "no agency": User(60, "路人"),
        "removed member": User(41, "甲填报人"),
    }
    return World(rid, agency, member_inv, agency_inv, reviewer.id, outsiders)


async def snapshot(store: Store, w: World) -> tuple[object, ...]:
    report = await store.load_report(w.rid)
    office = (await store.memberships(1))[0].office_id
    return (
        report.version,
        report.status,
        report.state,
        await store.live_invites(NOW, agency_id=w.agency),
        await store.live_invites(NOW, office_id=office),
        len(await store.history(w.rid)),
        await store.members_of(w.agency),
    )


async def test_every_command_and_button_refuses_outsiders(service: Service, store: Store) -> None:
    w = await world(service, store)
    r, a = w.rid, w.agency
    presses = [
        f"c|ag|{a}",
        f"c|ok|{r}",
        f"c|rt|{r}",
        f"c|sub|{r}",
        f"c|back|{r}",
        f"c|rv|{w.member_invite}",
        f"c|rv|{w.agency_invite}",
        f"c|cs|{a}",
        "c|cp|all",
        "c|cp|sel",
        "c|pg|0",
        "c|inv|reviewer",
        f"r|{r}",
        f"w|{a}",
        "f|review",
        f"c|mb|{a}",
        f"c|rm|{w.reviewer}",
        f"c|rmy|{w.reviewer}",
        f"c|ir|{a}",
        f"c|kr|{r}",
        "c|df|0",
    ]
    commands = [
        "board",
        "compile",
        "revoke",
        "invite",
        "remove",
        "report",
        "preview",
        "download",
        "edit",
        "status",
    ]
    removed_reply = C.REMOVED_REFUSAL.format(agency="甲县保密局")
    polite = {removed_reply, C.NOT_ALLOWED, C.NOT_COORDINATOR}
    before = await snapshot(store, w)
    for who, user in w.outsiders.items():
        p = Player(service, user, 10_000 + user.id * 100)
        actions: list[Command | Press] = [Command(c) for c in commands]
        actions += [Press(d) for d in presses]
        for action in actions:
            outs = await p.do(action)
            shown = text(outs)
            assert all(o.chat in (None, user.id) for o in outs), (who, action)
            if who == "removed member":
                # Told why, politely, and not registered as an agency of their own instead.
                assert shown in polite, (action, shown)
                assert await store.memberships(user.id) == [], action
                shown = shown.replace(removed_reply, "")
            assert "甲县保密局" not in shown, (who, action, shown)
            docs = [o.document.filename for o in outs if o.document]
            assert all("甲县保密局" not in d for d in docs), (who, action)
            assert await snapshot(store, w) == before, (who, action)
        # A forged comment after a refused 退回修改 changes nothing either.
        await p.do(Press(f"c|rt|{r}"))
        outs = await p.say("随便退回")
        assert await snapshot(store, w) == before, who
        if who == "removed member":
            assert text(outs) == removed_reply


async def test_another_command_or_button_drops_a_pending_input(
    service: Service, store: Store
) -> None:
    coord, code = await new_office(service)
    a = Player(service, User(15, "甲"), 100)
    await a.do(Command("start", code))
    done = await fill_zero(a, "某某县民政局")
    # The reviewer presses 退回, then goes back to the report instead of writing a comment.
    a.outs = to(done, a.user)
    review = a.outs
    assert "请发送退回意见" in text(await a.press(C.SEND_BACK))
    await a.do(Command("report"))
    await a.say("不是退回意见")
    assert (await report_of(store, a.user))[1] is ReportStatus.IN_REVIEW
    a.outs = review
    await a.press(C.SUBMIT)
    assert (await report_of(store, a.user))[1] is ReportStatus.SUBMITTED

    # The coordinator presses 退回修改, then opens the board: the next text is not a comment.
    await coord.do(Command("board"))
    await coord.press("某某县民政局")
    assert "请发送退回意见" in text(await coord.press(C.RETURN))
    await coord.do(Command("board"))
    outs = await coord.say("随手打的字")
    assert (await report_of(store, a.user))[1] is ReportStatus.SUBMITTED
    assert to(outs, a.user) == [] and "您是「某某县人民政府办公室」的协调人" in text(outs)
    # Pressing another button drops it too (here: the board's, still on screen).
    board = await coord.do(Command("board"))
    detail = await coord.press("某某县民政局")
    await coord.press(C.RETURN)
    assert await store.pending(COORD.id) is not None
    coord.outs = board
    await coord.press("某某县民政局")
    assert await store.pending(COORD.id) is None
    # /cancel drops it and says so, and never makes the coordinator an agency by accident.
    coord.outs = detail
    await coord.press(C.RETURN)
    assert text(await coord.do(Command("cancel"))) == C.CANCELLED
    assert await store.pending(COORD.id) is None
    assert [m.agency_id for m in await store.memberships(COORD.id)] == [None]
    # The compile selection survives its own toggles, not another command.
    coord.outs = detail
    await coord.press(C.APPROVE)
    await coord.do(Command("compile"))
    await coord.press("☐ 某某县民政局")
    assert (await store.pending(COORD.id)) is not None
    outs = await coord.press("☑ 某某县民政局")  # toggled off again: still the compile's input
    assert "已选 0/1" in text(outs)
    await coord.do(Command("board"))
    assert await store.pending(COORD.id) is None

    # A new office's name is no longer awaited once the user turns to something else.
    newcomer = Player(service, User(16, "丙"), 300)
    assert text(await newcomer.do(Command("new_office"))) == C.ASK_OFFICE_NAME
    await newcomer.do(Command("start"))
    await newcomer.say("某某镇人民政府")  # the interview's answer, not an office
    assert [m.office_id for m in await store.memberships(16)] == [None]


async def test_a_second_decision_at_the_same_moment_is_told_it_came_too_late(
    service: Service, store: Store
) -> None:
    """Two coordinators (or two taps) decide on one report at once: the first one counts."""
    w = await world(service, store)
    coord = Player(service, COORD, 900)
    real_apply = store.apply

    async def returned_meanwhile(*args: Any, **kwargs: Any) -> Any:
        # Another decision on the report saved a moment before this one.
        (report,) = [r for r in await store.reports_of(w.agency) if r.report_id == w.rid]
        await real_apply(report.report_id, report.version, report.state, now=NOW)
        store.apply = real_apply  # type: ignore[method-assign]
        return await real_apply(*args, **kwargs)

    store.apply = returned_meanwhile  # type: ignore[method-assign]
    outs = await coord.do(Press(f"c|ok|{w.rid}"))
    assert text(outs) == C.STALE
    assert (await report_of(store, User(40, "")))[1] is ReportStatus.SUBMITTED
    outs = await coord.do(Press(f"c|ok|{w.rid}"))  # looked at again, it can be approved
    assert (await report_of(store, User(40, "")))[1] is ReportStatus.APPROVED


async def test_the_coordinator_brings_in_a_new_reviewer_when_the_old_one_is_gone(
    service: Service, store: Store
) -> None:
    coord, code = await new_office(service)
    old = Player(service, User(10, "老审核人"), 100)
    await old.do(Command("start", code))
    await old.say("某某县民政局")
    agency = await agency_of(store, old.user)
    # The agency's only reviewer left: the coordinator invites a new one from the board.
    await coord.do(Command("board"))
    await coord.press("某某县民政局")
    outs = await coord.press(C.MEMBERS)
    assert list(buttons(outs)) == ["移出：老审核人（审核人）", C.INVITE_FOR_AGENCY]
    outs = await coord.press("移出：老审核人")  # the last reviewer: not yet
    assert "老审核人" in text(outs) and await store.memberships(10) != []
    await coord.do(Command("board"))
    await coord.press("某某县民政局")
    await coord.press(C.MEMBERS)
    outs = await coord.press(C.INVITE_FOR_AGENCY)
    assert "「某某县民政局」审核人邀请链接" in text(outs)
    # Unused, it can be revoked by the coordinator; a second one is then used.
    outs = await coord.do(Command("revoke"))
    assert "作废：「某某县民政局」审核人链接" in "\n".join(buttons(outs))
    outs = await coord.press("作废：「某某县民政局」审核人链接")
    assert text(outs) == C.REVOKED
    await coord.do(Command("board"))
    await coord.press("某某县民政局")
    await coord.press(C.MEMBERS)
    link = code_in(await coord.press(C.INVITE_FOR_AGENCY))
    new = Player(service, User(11, "新审核人"), 200)
    outs = await new.do(Command("start", link))
    assert "审核人" in text(outs) and "某某县民政局" in text(outs)
    (joined,) = await store.memberships(11)
    assert (joined.agency_id, joined.role) == (agency, Role.REVIEWER)
    # Now the old reviewer is not the last one and the coordinator may remove them.
    await coord.do(Command("board"))
    await coord.press("某某县民政局")
    await coord.press(C.MEMBERS)
    await coord.press("移出：老审核人")
    outs = await coord.press(C.REMOVE_YES)
    assert await store.memberships(10) == []
    # Someone who is not the agency's coordinator gets no link.
    other = Player(service, User(50, "乙协调人"), 300)
    await other.do(Command("new_office"))
    await other.say("另一个县政府办公室")
    outs = await other.do(Press(f"c|ir|{agency}"))
    assert text(outs) == C.NOT_ALLOWED
