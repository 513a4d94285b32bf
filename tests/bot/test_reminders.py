"""Reminder passes through the local Bot API server, ``nianbao remind``, /mute and /unmute."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from telegram import Bot

from bot.cli import main
from bot.holidays import WorkingDays, covered_years
from bot.localapi import LocalBotApi
from bot.reminder_commands import deadline_reply
from bot.reminder_send import bot_sender
from bot.reminders import ReminderJob, run_pass
from core.deadlines import CHINA
from core.interview import new_state
from core.wording import reminders as W
from storage import ReportStatus, Role, Store
from storage.reminders import Outcome, ReminderStatus
from tests.core.test_deadlines import HOLIDAYS_2026, workday
from tests.e2e.phone import running_bot, settings_for

SETUP = datetime(2025, 12, 1, 10, 0, tzinfo=CHINA)
MUTE = "\n不想再收到提醒，可发送 /mute。"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CHINA)


@dataclass
class World:
    """An office (internal deadline 15 January 2026) with three agencies, and one alone."""

    store: Store
    report_a: int
    users: dict[str, int]


async def build(store: Store) -> World:
    office = await store.create_office("某某县人民政府办公室", now=SETUP)
    await store.set_deadline(office.id, 2025, date(2026, 1, 15), now=SETUP)
    a = await store.create_agency("某某县民政局", now=SETUP, office_id=office.id)
    b = await store.create_agency("某某县财政局", now=SETUP, office_id=office.id)
    c = await store.create_agency("某某县教育局", now=SETUP, office_id=office.id)
    alone = await store.create_agency("某某镇人民政府", now=SETUP)
    users = {"张三": 101, "李四": 102, "王五": 103, "赵六": 104, "钱七": 105, "孙八": 106}
    where = {"张三": a, "李四": a, "王五": b, "赵六": c, "钱七": c, "孙八": alone}
    for name, uid in users.items():
        role = Role.REVIEWER if name == "李四" else Role.FILLER
        await store.create_member(uid, name, role, now=SETUP, agency_id=where[name].id)
    await store.create_member(107, "周九", Role.COORDINATOR, now=SETUP, office_id=office.id)
    state = new_state(SETUP.date(), year=2025, agency="某某县民政局")
    report = await store.create_report(a.id, state, now=SETUP)
    await store.create_report(
        b.id, new_state(SETUP.date(), year=2025), now=SETUP, status=ReportStatus.SUBMITTED
    )
    await store.set_muted(105, True, now=SETUP)
    return World(store, report.report_id, users)


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    async with await Store.open(f"sqlite:///{tmp_path}/r.db") as store:
        yield await build(store)


def chats(server: LocalBotApi, world: World) -> None:
    """The world's users have started the bot (so that it can write to them)."""
    for name, uid in world.users.items():
        server.user(uid, name)


def local_bot(server: LocalBotApi) -> Bot:
    return Bot(server.token, base_url=server.base_url, base_file_url=server.base_file_url)


async def received(server: LocalBotApi, world: World, now: str) -> dict[str, list[str]]:
    """Run a pass at ``now``; the texts each user got from it."""
    before = {n: len(server.user(uid, n).messages) for n, uid in world.users.items()}
    async with local_bot(server) as bot:
        report = await run_pass(world.store, at(now), send=bot_sender(bot), is_workday=workday)
    assert report.count(Outcome.FAILED) == 0
    got = {}
    for name, uid in world.users.items():
        texts = [m.text or "" for m in server.user(uid, name).messages[before[name] :]]
        if texts:
            got[name] = texts
    return got


async def test_a_season_of_reminders(bot_api: LocalBotApi, world: World) -> None:
    # 14 days before 15 January is 1 January, a holiday: it went out on 31 December.
    assert await received(bot_api, world, "2026-01-01 09:00") == {}
    early = await received(bot_api, world, "2025-12-31 09:00")
    assert set(early) == {"张三", "李四", "赵六"}  # 王五 submitted, 钱七 muted, 孙八 has no office
    assert early["张三"] == [
        "距离某某县民政局2025年度报告内部截止日期（2026年1月15日）还有15天，报告已完成 2%"
        "（还有 42 项未填），请抓紧填写。发送 /report 继续。" + MUTE
    ]
    assert early["赵六"][0].startswith(
        "距离某某县教育局2025年度报告内部截止日期（2026年1月15日）还有15天，报告还没有开始填写"
    )
    # Later the same day: each reminder went once.
    assert await received(bot_api, world, "2025-12-31 15:00") == {}
    # Quiet hours, then a day without a reminder.
    assert await received(bot_api, world, "2026-01-07 22:00") == {}
    assert await received(bot_api, world, "2026-01-07 09:00") == {}
    # Overdue: a daily notice on working days.
    late = await received(bot_api, world, "2026-01-19 09:00")
    assert set(late) == {"张三", "李四", "赵六"}
    assert late["李四"][0].startswith(
        "某某县民政局2025年度报告已超过内部截止日期（2026年1月15日）4天"
    )
    # The agency without an office keeps the statutory 31 January (a Saturday: moved to Friday).
    statutory = await received(bot_api, world, "2026-01-30 09:00")
    assert statutory["孙八"] == [
        "距离某某镇人民政府2025年度报告截止日期（2026年1月31日）还有1天，报告还没有开始填写，"
        "请抓紧填写。发送 /report 开始填写。" + MUTE
    ]
    assert await received(bot_api, world, "2026-01-31 09:00") == {}  # Saturday
    records = await world.store.reminder_records()
    assert all(r.status is ReminderStatus.SENT and r.message_id for r in records)
    assert len(records) == 3 + 3 + 4  # 31 Dec, 19 Jan, 30 Jan (3 overdue + 孙八)


async def test_nobody_is_reminded_in_the_middle_of_an_entry(
    bot_api: LocalBotApi, world: World
) -> None:
    report = await world.store.load_report(world.report_a)
    await world.store.apply(
        report.report_id, report.version, report.state, now=at("2026-01-08 08:55")
    )
    first = await received(bot_api, world, "2026-01-08 09:02")
    assert set(first) == {"赵六"}  # 张三 and 李四's report changed 7 minutes ago
    assert set(await received(bot_api, world, "2026-01-08 09:04")) == set()
    assert set(await received(bot_api, world, "2026-01-08 09:05")) == {"张三", "李四"}


async def test_unmuting_brings_reminders_back(bot_api: LocalBotApi, world: World) -> None:
    await world.store.set_muted(105, False, now=SETUP)
    assert set(await received(bot_api, world, "2026-01-08 09:00")) == {
        "张三",
        "李四",
        "赵六",
        "钱七",
    }


async def test_a_member_who_never_opened_the_chat_fails_once(
    bot_api: LocalBotApi, world: World
) -> None:
    chats(bot_api, world)
    agency = await world.store.create_agency("某某县林业局", now=SETUP)
    ghost = await world.store.create_member(
        999, "吴十", Role.FILLER, now=SETUP, agency_id=agency.id
    )
    async with local_bot(bot_api) as bot:
        report = await run_pass(
            world.store, at("2026-01-16 09:00"), send=bot_sender(bot), is_workday=workday
        )
    # Overdue for the office's three, and 孙八's statutory 14-day reminder moved from Saturday.
    assert report.count(Outcome.FAILED) == 1 and report.count(Outcome.SENT) == 4
    (record,) = await world.store.reminder_records(member_id=ghost.id)
    assert record.status is ReminderStatus.FAILED and record.error == "Chat not found"


async def test_429s_are_waited_out_and_nothing_goes_twice(
    bot_api: LocalBotApi, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    chats(bot_api, world)
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # PTB 22 warns when it builds RetryAfter otherwise
    agency = await world.store.create_agency("某某县水利局", now=SETUP)
    many = {f"成员{i}": 2000 + i for i in range(40)}
    for name, uid in many.items():
        await world.store.create_member(uid, name, Role.FILLER, now=SETUP, agency_id=agency.id)
        bot_api.user(uid, name)
    bot_api.faults.add("429", 0.1, methods=["sendMessage"], retry_after=1)
    async with local_bot(bot_api) as bot:
        report = await run_pass(
            world.store, at("2026-01-16 09:00"), send=bot_sender(bot), rate=200, is_workday=workday
        )
    assert report.floods > 0 and report.floods == len(bot_api.faults.injected)
    assert report.count(Outcome.SENT) == 44
    assert all(len(bot_api.user(uid, n).messages) == 1 for n, uid in many.items())


async def test_two_bot_processes_share_the_work(
    bot_api: LocalBotApi, world: World, tmp_path: Path
) -> None:
    chats(bot_api, world)
    agency = await world.store.create_agency("某某县水利局", now=SETUP)
    for i in range(60):
        await world.store.create_member(
            3000 + i, "成员", Role.FILLER, now=SETUP, agency_id=agency.id
        )
        bot_api.user(3000 + i, "成员")
    async with await Store.open(f"sqlite:///{tmp_path}/r.db") as second, local_bot(bot_api) as bot:
        now = at("2026-01-16 09:00")
        one, two = await asyncio.gather(
            run_pass(world.store, now, send=bot_sender(bot), rate=10, is_workday=workday),
            run_pass(second, now, send=bot_sender(bot), rate=10, is_workday=workday),
        )
    # Claims of 20 (two seconds of sending): while one process sends, the other claims more.
    assert one.count(Outcome.SENT) > 0 and two.count(Outcome.SENT) > 0
    assert one.count(Outcome.SENT) + two.count(Outcome.SENT) == 64
    assert all(len(bot_api.user(3000 + i, "成员").messages) == 1 for i in range(60))


async def test_the_loop_runs_passes_until_stopped(bot_api: LocalBotApi, world: World) -> None:
    clock = iter([at("2026-01-08 09:00")] + [at("2026-01-08 09:30")] * 100)
    async with local_bot(bot_api) as bot:
        job = ReminderJob(
            world.store, bot_sender(bot), interval=0.05, rate=50, clock=lambda: next(clock)
        )
        job.start()
        user = bot_api.user(101, "张三")
        reply = await user.wait_reply(5)
        await asyncio.sleep(0.3)  # more passes: nothing new that day
        await job.stop()
    assert reply.text and reply.text.startswith(
        "距离某某县民政局2025年度报告内部截止日期（2026年1月15日）还有7天"
    )
    assert len(user.messages) == 1


def test_the_holiday_calendar_matches_the_rules_tested_in_core(
    caplog: pytest.LogCaptureFixture,
) -> None:
    days = WorkingDays()
    year = [date(2026, 1, 1) + timedelta(days=n) for n in range(365)]
    assert [d for d in year if days(d) != workday(d)] == []
    assert {d for d in year if not days(d)} >= HOLIDAYS_2026
    with caplog.at_level(logging.WARNING):
        assert days(date(2027, 1, 22)) and not days(date(2027, 1, 24))  # weekends only
        assert days(date(2027, 10, 1))  # 国庆 2027 is not known yet
    assert days.guessed == {2027}
    (warning,) = [r.getMessage() for r in caplog.records if "has no data" in r.getMessage()]
    assert warning.startswith("holiday calendar (chinesecalendar 2004-2026) has no data for 2027")


# ------------------------------------------------------------------ nianbao remind


@pytest.fixture
def cli_world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path}/cli.db"
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    monkeypatch.setenv("DATABASE_URL", url)

    async def seed() -> None:
        async with await Store.open(url) as store:
            await build(store)
            # The 2026 reports are due on 31 January 2027 (statutory) or 27 January (the office).
            office = (await store.memberships(107))[0].office_id
            assert office is not None
            await store.set_deadline(office, 2026, date(2027, 1, 27), now=SETUP)

    asyncio.run(seed())
    return url


def test_remind_dry_run_prints_what_it_would_send(
    cli_world: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["remind", "--at", "2027-01-22T09:00+08:00", "--dry-run"]) == 0
    out = capsys.readouterr().out.splitlines()
    # The office's 27 January: 3 days before is Sunday the 24th, moved to Friday the 22nd.
    assert out[0] == (
        "将发送 → 张三（某某县民政局）：距离某某县民政局2026年度报告内部截止日期（2027年1月27日）"
        "还有5天，报告还没有开始填写，请抓紧填写。发送 /report 开始填写。 不想再收到提醒，可发送 /mute。"
    )
    assert len([line for line in out if line.startswith("将发送 →")]) == 5  # 钱七 muted
    assert "将发送 5 条提醒" in out[-2] and "已关闭提醒 1 人" in out[-2]
    assert out[-1] == W.calendar_fallback([2027])

    async def records() -> int:
        async with await Store.open(cli_world) as store:
            return len(await store.reminder_records())

    assert asyncio.run(records()) == 0  # a dry run writes nothing


def test_remind_at_the_briefs_instant(cli_world: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["remind", "--at", "2027-01-24T09:00+08:00", "--dry-run"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("提醒检查（2027-01-24 09:00，北京时间）：将发送 0 条提醒")  # a Sunday
    assert main(["remind", "--at", "2027-01-24T22:00+08:00", "--dry-run"]) == 0
    assert "21:00 至次日 8:00 不发送提醒" in capsys.readouterr().out


def test_remind_refuses_a_bad_instant_or_a_missing_token(
    cli_world: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["remind", "--at", "明天", "--dry-run"]) == 2
    assert "--at 的时间格式不对" in capsys.readouterr().err
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "")
    assert main(["remind", "--at", "2027-01-22T09:00"]) == 2
    assert "--dry-run" in capsys.readouterr().err


async def test_remind_sends_through_the_bot_api(
    bot_api: LocalBotApi,
    cli_world: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", bot_api.token)
    monkeypatch.setenv("TELEGRAM_BASE_URL", bot_api.base_url)
    monkeypatch.setenv("TELEGRAM_BASE_FILE_URL", bot_api.base_file_url)
    for name, uid in (("张三", 101), ("李四", 102), ("王五", 103), ("赵六", 104), ("孙八", 106)):
        bot_api.user(uid, name)
    args = ["remind", "--at", "2027-01-22T09:00+08:00"]
    assert await asyncio.to_thread(main, args) == 0
    out = capsys.readouterr().out.splitlines()
    assert len([line for line in out if line.startswith("已发送 →")]) == 5
    assert "已发送 5 条提醒" in out[-2]
    assert await asyncio.to_thread(main, args) == 0  # again: nothing twice
    again = capsys.readouterr().out
    assert "已发送 0 条提醒" in again and "今天已提醒过 5 人" in again
    assert len(bot_api.user(101, "张三").messages) == 1


# ------------------------------------------------------------------ /mute in the running bot


async def test_mute_and_unmute_in_the_bot(bot_api: LocalBotApi, tmp_path: Path) -> None:
    settings = settings_for(bot_api, tmp_path / "bot.db", reminder_interval=0)
    user = bot_api.user(5001, "郑一")
    async with running_bot(settings):
        await user.send("/mute")
        assert (await user.wait_reply()).text == W.MUTE_NO_AGENCY
        await user.send("/start")  # registers an agency of one
        await user.wait_reply()
        while True:
            try:
                await user.wait_reply(0.5)
            except TimeoutError:
                break
        await user.send("/mute")
        assert (await user.wait_reply()).text == W.MUTED
        with pytest.raises(TimeoutError):
            await user.wait_reply(0.5)  # the interview did not answer /mute as well
        async with await Store.open(settings.database_url) as store:
            assert await store.is_muted(5001)
        await user.send("/unmute@nianbao_local_bot")
        assert (await user.wait_reply()).text == W.UNMUTED
        async with await Store.open(settings.database_url) as store:
            assert not await store.is_muted(5001)
    commands = [c["command"] for c in bot_api.bot.commands[bot_api.bot.commands_key(None, None)]]
    assert {"mute", "unmute"} <= set(commands) and len(commands) <= 100


# ------------------------------------------------------------------ /deadline for coordinators


async def test_a_coordinator_sets_deadlines_and_reminders(world: World) -> None:
    now = at("2025-12-02 10:00")
    shown = await deadline_reply(world.store, 107, "", now)
    assert shown.startswith(
        "2025年度报告的截止日期：\n· 各单位报告：2026年1月15日（本办内部截止日期）\n"
        "· 本级政府报告：2026年3月31日（法定截止日期）\n"
        "提醒未提交的单位：截止日期前 14、7、3、1 天和当天 09:00；逾期后每个工作日提醒，持续 60 天；"
    )
    await deadline_reply(world.store, 107, "2026-01-20", now)
    await deadline_reply(world.store, 107, "本级 3月20日", now)
    await deadline_reply(world.store, 107, "提醒 10 3", now)
    changed = await deadline_reply(world.store, 107, "时间 10:30", now)
    assert "· 各单位报告：2026年1月20日（本办内部截止日期）" in changed
    assert "· 本级政府报告：2026年3月20日（本办内部截止日期）" in changed
    assert "截止日期前 10、3 天 10:30" in changed
    refused = await deadline_reply(world.store, 107, "时间 22:00", now)
    assert refused.startswith("提醒发送时间应在 08:00 到 21:00 之间。\n用法：")
    reset = await deadline_reply(world.store, 107, "恢复", now)
    assert "· 各单位报告：2026年1月31日（法定截止日期）" in reset
    # Only a coordinator may: a filler of an agency of that office may not.
    assert await deadline_reply(world.store, 101, "2026-01-02", now) == W.DEADLINE_NOT_COORDINATOR
    assert (await world.store.deadline(None, 2025)).due == date(2026, 1, 31)


async def test_deadline_in_the_running_bot(bot_api: LocalBotApi, tmp_path: Path) -> None:
    settings = settings_for(bot_api, tmp_path / "bot.db", reminder_interval=0)
    async with await Store.open(settings.database_url) as store:
        office = await store.create_office("某某县人民政府办公室", now=SETUP)
        await store.create_member(5002, "周九", Role.COORDINATOR, now=SETUP, office_id=office.id)
    user = bot_api.user(5002, "周九")
    async with running_bot(settings):
        await user.send("/deadline 2025年度 2026-01-26")
        reply = await user.wait_reply()
        assert reply.text and "· 各单位报告：2026年1月26日（本办内部截止日期）" in reply.text
        with pytest.raises(TimeoutError):
            await user.wait_reply(0.5)


async def test_a_restarted_bot_sends_nothing_twice(bot_api: LocalBotApi, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/restart.db"
    async with await Store.open(url) as store:
        world = await build(store)
        chats(bot_api, world)
        first = await received(bot_api, world, "2026-01-08 09:00")
    async with await Store.open(url) as store:  # the bot restarted
        again = World(store, world.report_a, world.users)
        assert await received(bot_api, again, "2026-01-08 09:10") == {}
        report = await run_pass(store, at("2026-01-08 09:20"), dry_run=True, is_workday=workday)
    assert set(first) == {"张三", "李四", "赵六"} and report.already == 3 and report.due == []


# ------------------------------------------------------------------ beyond the holiday calendar


async def test_a_year_without_holiday_data_falls_back_to_weekends(
    bot_api: LocalBotApi, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    guessed = covered_years()[1] + 1  # the first year chinesecalendar has no data for
    year = guessed - 1  # the report year whose reminders fall in it
    # An internal deadline whose 3-days-before reminder falls on a Sunday.
    due = next(date(guessed, 1, d) for d in range(10, 32) if date(guessed, 1, d - 3).weekday() == 6)
    friday = due - timedelta(days=5)
    async with await Store.open(f"sqlite:///{tmp_path}/g.db") as store:
        office = await store.create_office("某某县人民政府办公室", now=SETUP)
        await store.set_deadline(office.id, year, due, now=SETUP)
        agency = await store.create_agency("某某县民政局", now=SETUP, office_id=office.id)
        for uid, name in ((201, "张三"), (202, "李四")):
            await store.create_member(uid, name, Role.FILLER, now=SETUP, agency_id=agency.id)
            bot_api.user(uid, name)
        await store.set_muted(202, True, now=SETUP)

        async def pass_at(day: date) -> tuple[list[str], list[int]]:
            user = bot_api.user(201, "张三")
            before = len(user.messages)
            now = datetime.combine(day, time(9, 0), CHINA)
            async with local_bot(bot_api) as bot:
                done = await run_pass(store, now, send=bot_sender(bot))  # the real calendar
            assert len(bot_api.user(202, "李四").messages) == 0  # muted
            return [m.text or "" for m in user.messages[before:]], done.guessed_years

        with caplog.at_level(logging.WARNING, logger="bot.holidays"):
            sunday, years = await pass_at(due - timedelta(days=3))
            assert sunday == [] and years == [guessed]  # moved off the weekend ...
            moved, _ = await pass_at(friday)  # ... to the Friday before
        assert moved == [
            f"距离某某县民政局{year}年度报告内部截止日期（{W.cn_date(due)}）还有5天，"
            "报告还没有开始填写，请抓紧填写。发送 /report 开始填写。" + MUTE
        ]
        warnings = [r.getMessage() for r in caplog.records if "has no data" in r.getMessage()]
        assert warnings and all(f"has no data for {guessed}" in w for w in warnings)
        # Overdue notices skip the weekend and count days from the deadline itself.
        saturday = next(
            due + timedelta(days=n) for n in range(1, 8) if (due + timedelta(n)).weekday() == 5
        )
        assert (await pass_at(saturday))[0] == []
        monday = saturday + timedelta(days=2)
        (late,) = (await pass_at(monday))[0]
        assert late.startswith(
            f"某某县民政局{year}年度报告已超过内部截止日期（{W.cn_date(due)}）"
            f"{(monday - due).days}天"
        )

        # /deadline tells the coordinator that the holidays of that year are not known yet.
        await store.create_member(203, "周九", Role.COORDINATOR, now=SETUP, office_id=office.id)
        shown = await deadline_reply(store, 203, f"{year}年度", SETUP)
        assert f"遇周末提前到前一个工作日（节假日数据尚未包含 {guessed} 年" in shown
        assert "遇周末和法定节假日" not in shown
        known = await deadline_reply(store, 203, f"{year - 1}年度", SETUP)
        assert "遇周末和法定节假日提前到前一个工作日" in known and "尚未包含" not in known
