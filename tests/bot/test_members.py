"""Removing members with /remove and from the board: who may remove whom, and what follows."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import texts_coordination as C
from bot.service import Service, User
from bot.uploads import DRAFT, Upload, button_data
from core.interview import Command, Press
from storage import Role, Store
from tests.bot.test_coordination import BOT, Clock, code_in, new_office, to
from tests.bot.test_service import Player, buttons, text


@pytest.fixture
def service(store: Store) -> Service:
    """The service at the coordination tests' clock."""
    return Service(store, clock=Clock(), bot_username=BOT)


async def member_id(store: Store, user: User) -> int:
    (m,) = await store.memberships(user.id)
    return m.id


async def test_reviewers_and_coordinators_remove_members(service: Service, store: Store) -> None:
    coord, code = await new_office(service)
    boss = Player(service, User(70, "甲审核人"), 100)
    await boss.do(Command("start", code))
    await boss.say("某某县民政局")
    fillers = []
    for uid, name in ((71, "乙填报人"), (72, "丙填报人")):
        await boss.do(Command("invite"))
        link = code_in(await boss.press(C.INVITE_FILLER))
        p = Player(service, User(uid, name), 100 * uid)
        assert "作为填报人加入" in text(await p.do(Command("start", link)))
        fillers.append(p)
    yi, bing = fillers
    other = Player(service, User(80, "丁审核人"), 8000)
    await other.do(Command("start", code))
    await other.say("某某县财政局")
    boss_id, _, bing_id = [await member_id(store, p.user) for p in (boss, yi, bing)]

    # A filler may not remove anyone, not even with a forged button.
    assert text(await yi.do(Command("remove"))) == C.REMOVE_ONLY_REVIEWER
    assert text(await yi.do(Press(f"c|rmy|{bing_id}"))) == C.NOT_ALLOWED
    # Nor may another agency's reviewer; and nobody removes themselves.
    assert text(await other.do(Press(f"c|rmy|{bing_id}"))) == C.NOT_ALLOWED
    assert text(await boss.do(Press(f"c|rmy|{boss_id}"))) == C.REMOVE_SELF
    assert len(await store.members_of((await store.memberships(70))[0].agency_id or 0)) == 3

    # The reviewer: the list of colleagues, a confirmation, a change of mind, then the removal.
    outs = await boss.do(Command("remove"))
    assert set(buttons(outs)) == {"移出：乙填报人（填报人）", "移出：丙填报人（填报人）"}
    outs = await boss.press("移出：乙填报人")
    assert "确定把「乙填报人」（填报人）移出「某某县民政局」吗？" in text(outs)
    assert text(await boss.press(C.REMOVE_NO)) == C.REMOVE_CANCELLED
    assert len(await store.memberships(71)) == 1
    await boss.do(Command("remove"))
    await boss.press("移出：乙填报人")
    confirm = boss.outs
    outs = await boss.press(C.REMOVE_YES)
    assert text([o for o in outs if o.chat is None]) == C.REMOVED_DONE.format(
        name="乙填报人", agency="某某县民政局"
    )
    assert text(to(outs, yi.user)) == C.REMOVED_NOTICE.format(agency="某某县民政局")
    assert await store.memberships(71) == []
    boss.outs = confirm  # the same button again: the member is gone already
    assert text(await boss.press(C.REMOVE_YES)) == C.REMOVE_GONE

    # The removed filler's commands, answers and old buttons are refused, with the reason.
    refusal = C.REMOVED_REFUSAL.format(agency="某某县民政局")
    for action in (Command("report"), Command("status"), Press("f|review"), Press("s|contact")):
        assert text(await yi.do(action)) == refusal, action
    assert text(await yi.say("3 0 1")) == refusal
    # Nor does sending a file (or pressing a button under one) register them anew.
    content = next((Path(__file__).parents[1] / "fixtures" / "examples").glob("000_*.txt"))
    upload = Upload("000.txt", content.read_bytes())
    assert text(await service.upload(yi.user, 9001, upload)) == refusal
    data = button_data(DRAFT, upload.content)
    assert text(await service.upload_choice(yi.user, 9002, data, upload)) == refusal
    assert await store.memberships(71) == []
    (report,) = await store.reports_of((await store.memberships(70))[0].agency_id or 0)
    assert report.state.answers.agency == "某某县民政局"

    # The coordinator: /remove points to the board; an agency's 成员 lists everyone.
    assert text(await coord.do(Command("remove"))) == C.REMOVE_COORDINATOR_HINT
    await coord.do(Command("board"))
    await coord.press("某某县民政局")
    outs = await coord.press(C.MEMBERS)
    assert set(buttons(outs)) == {
        "移出：甲审核人（审核人）",
        "移出：丙填报人（填报人）",
        C.INVITE_FOR_AGENCY,
    }
    # The agency's only reviewer stays: nobody else could confirm its submission.
    outs = await coord.press("移出：甲审核人")
    assert text(outs) == C.REMOVE_LAST_REVIEWER.format(name="甲审核人", agency="某某县民政局")
    assert text(await coord.do(Press(f"c|rmy|{boss_id}"))) == outs[0].text
    await coord.do(Command("board"))
    await coord.press("某某县民政局")
    await coord.press(C.MEMBERS)
    await coord.press("移出：丙填报人")
    outs = await coord.press(C.REMOVE_YES)
    assert C.REMOVED_NOTICE.format(agency="某某县民政局") == text(to(outs, bing.user))
    assert await store.memberships(72) == []
    # Another office's coordinator cannot open the list or remove.
    outsider = Player(service, User(90, "戊协调人"), 9000)
    await outsider.do(Command("new_office"))
    await outsider.say("另一个县政府办公室")
    agency_id = (await store.memberships(70))[0].agency_id
    assert text(await outsider.do(Press(f"c|mb|{agency_id}"))) == C.NOT_ALLOWED
    assert text(await outsider.do(Press(f"c|rmy|{boss_id}"))) == C.NOT_ALLOWED

    # Removal is not a ban: a new link brings a member back; /start alone registers anew.
    await boss.do(Command("invite"))
    link = code_in(await boss.press(C.INVITE_FILLER))
    assert "作为填报人加入「某某县民政局」" in text(await bing.do(Command("start", link)))
    (back,) = await store.memberships(72)
    assert back.role is Role.FILLER and back.agency_id == agency_id
    assert "请发送本单位全称" in text(await yi.do(Command("start")))
    (alone,) = await store.memberships(71)
    assert alone.agency_id != agency_id


async def test_a_second_reviewer_may_remove_the_first(service: Service, store: Store) -> None:
    _coord, code = await new_office(service)
    boss = Player(service, User(70, "甲审核人"), 100)
    await boss.do(Command("start", code))
    await boss.do(Command("invite"))
    link = code_in(await boss.press(C.INVITE_REVIEWER))
    second = Player(service, User(73, "二审核人"), 7300)
    await second.do(Command("start", link))
    # The second reviewer removes the first, who is not the agency's only reviewer.
    await second.do(Command("remove"))
    await second.press("移出：甲审核人")
    outs = await second.press(C.REMOVE_YES)
    assert "已把「甲审核人」移出" in text(outs)
    (kept,) = await store.memberships(73)
    unnamed = C.UNNAMED.format(id=kept.agency_id)  # the agency has not given its name yet
    assert text(await boss.do(Command("invite"))) == C.REMOVED_REFUSAL.format(agency=unnamed)
