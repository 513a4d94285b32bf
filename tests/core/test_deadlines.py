"""Deadline and reminder rules: offsets, days off, quiet hours, the idle rule, overdue notices."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest

from core.deadlines import (
    CHINA,
    DEFAULT_POLICY,
    DeadlineKind,
    Notice,
    Policy,
    Progress,
    Skip,
    Stage,
    check_deadline,
    decide,
    parse_offsets,
    previous_workday,
    progress_of,
    reminder_text,
    schedule,
    statutory_deadline,
)
from core.interview import new_state

# The State Council's 2026 calendar (as chinesecalendar carries it; tests/bot checks that).
HOLIDAYS_2026 = {
    *(date(2026, 1, d) for d in (1, 2, 3)),
    *(date(2026, 2, d) for d in range(15, 24)),  # 春节
    *(date(2026, 4, d) for d in (4, 5, 6)),
    *(date(2026, 5, d) for d in range(1, 6)),
    *(date(2026, 6, d) for d in (19, 20, 21)),
    *(date(2026, 9, d) for d in (25, 26, 27)),
    *(date(2026, 10, d) for d in range(1, 8)),  # 国庆
}
WORKDAYS_2026 = {date(2026, m, d) for m, d in ((1, 4), (2, 14), (2, 28), (5, 9), (9, 20), (10, 10))}


def workday(day: date) -> bool:
    if day in WORKDAYS_2026:
        return True
    return day not in HOLIDAYS_2026 and day.weekday() < 5


def at(text: str) -> datetime:
    """A Beijing-time instant from "2026-01-12 09:00"."""
    return datetime.fromisoformat(text).replace(tzinfo=CHINA)


def slot_key(deadline: date, now: datetime, policy: Policy = DEFAULT_POLICY) -> str | None:
    found = decide(
        schedule(deadline, policy, workday), now, done=False, muted=False, last_activity=None
    )
    return found.slot.key if found.send and found.slot else None


def test_statutory_deadlines() -> None:
    assert statutory_deadline(2025) == date(2026, 1, 31)
    assert statutory_deadline(2025, DeadlineKind.GOVERNMENT) == date(2026, 3, 31)


MONDAY = date(2026, 1, 26)  # an internal deadline on a Monday


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        ("2026-01-12 09:00", "before-14"),
        ("2026-01-12 08:59", None),  # not yet 09:00
        ("2026-01-12 20:59", "before-14"),  # any time that day before 21:00
        ("2026-01-12 21:00", None),  # quiet hours
        ("2026-01-13 07:30", None),  # quiet hours, and the slot was yesterday's
        ("2026-01-13 09:00", None),  # no reminder on the 13th
        ("2026-01-19 09:00", "before-7"),
        # 1 day before is Sunday the 25th: moved to Friday the 23rd, where it outranks before-3.
        ("2026-01-23 09:00", "before-1"),
        ("2026-01-25 09:00", None),
        ("2026-01-26 09:00", "before-0"),
        ("2026-01-27 09:00", "overdue-1"),
        ("2026-01-31 09:00", None),  # Saturday: no overdue notice
        ("2026-02-02 09:00", "overdue-7"),
    ],
)
def test_default_offsets_weekends_and_overdue(now: str, expected: str | None) -> None:
    assert slot_key(MONDAY, at(now)) == expected


@pytest.mark.parametrize(
    ("deadline", "now", "expected"),
    [
        # 春节 2026: 15-23 February off, Saturday the 14th a working day (调休). Reminders of the
        # 17th, 21st and 23rd all move back to the 14th, which keeps the most urgent one.
        (date(2026, 2, 24), "2026-02-10 09:00", "before-14"),
        (date(2026, 2, 24), "2026-02-14 09:00", "before-1"),
        (date(2026, 2, 24), "2026-02-17 09:00", None),
        (date(2026, 2, 24), "2026-02-23 09:00", None),
        (date(2026, 2, 24), "2026-02-24 09:00", "before-0"),
        # 国庆 2026: 1-7 October off (and 25-27 September, 中秋); Saturday 10 October works.
        (date(2026, 10, 9), "2026-09-24 09:00", "before-14"),  # the 25th is 中秋
        (date(2026, 10, 9), "2026-09-30 09:00", "before-3"),  # the 2nd and the 6th moved here
        (date(2026, 10, 9), "2026-10-02 09:00", None),
        (date(2026, 10, 9), "2026-10-08 09:00", "before-1"),
        (date(2026, 10, 9), "2026-10-10 09:00", "overdue-1"),  # a working Saturday
        (date(2026, 10, 9), "2026-10-11 09:00", None),  # Sunday
        # 元旦 2026: 1-3 January off, Sunday the 4th works: a reminder on the 4th stays there.
        (date(2026, 1, 15), "2025-12-31 09:00", "before-14"),  # the 1st moved to the 31st
        (date(2026, 1, 15), "2026-01-01 09:00", None),
        (date(2026, 1, 18), "2026-01-04 09:00", "before-14"),
    ],
)
def test_holidays_move_reminders_to_the_previous_working_day(
    deadline: date, now: str, expected: str | None
) -> None:
    assert slot_key(deadline, at(now)) == expected


def test_one_reminder_a_day_on_working_days_only() -> None:
    slots = schedule(date(2026, 10, 9), DEFAULT_POLICY, workday)
    days = [s.day for s in slots]
    assert len(days) == len(set(days)) and all(workday(d) for d in days)
    # before-7 (2 October) and before-3 (6 October) both move to 30 September: before-3 stays.
    keys = [s.key for s in slots[:5]]
    assert keys == ["before-14", "before-3", "before-1", "before-0", "overdue-1"]
    assert slots[1].nominal == date(2026, 10, 6) and slots[1].day == date(2026, 9, 30)
    assert all(s.at.time() == time(9) and s.until.time() == time(21) for s in slots)


@pytest.mark.parametrize(
    ("policy", "now", "expected"),
    [
        (Policy(offsets=(30, 10), send_at=time(14, 30)), "2025-12-26 14:30", "before-30"),
        (Policy(offsets=(30, 10), send_at=time(14, 30)), "2025-12-26 14:29", None),
        (Policy(offsets=(30, 10)), "2026-01-26 09:00", None),  # no reminder on the day
        (Policy(overdue_days=3), "2026-01-29 09:00", "overdue-3"),
        (Policy(overdue_days=3), "2026-01-30 09:00", None),  # the daily notice has stopped
        (Policy(overdue_days=0), "2026-01-27 09:00", None),
    ],
)
def test_office_settings(policy: Policy, now: str, expected: str | None) -> None:
    assert slot_key(MONDAY, at(now), policy) == expected


def test_instants_in_any_timezone_mean_beijing_time() -> None:
    utc = datetime(2026, 1, 12, 1, 0, tzinfo=UTC)  # 09:00 in Beijing
    assert slot_key(MONDAY, utc) == "before-14"
    assert slot_key(MONDAY, utc - timedelta(minutes=1)) is None


DUE = at("2026-01-19 09:30")


@pytest.mark.parametrize(
    ("done", "muted", "last", "skip", "retry_at"),
    [
        (False, False, None, None, None),
        (True, False, None, Skip.DONE, None),
        (False, True, None, Skip.MUTED, None),
        (True, True, None, Skip.DONE, None),
        (False, False, DUE - timedelta(minutes=3), Skip.BUSY, DUE + timedelta(minutes=7)),
        (False, False, DUE - timedelta(minutes=10), None, None),  # idle for 10 minutes
        (False, False, DUE - timedelta(days=2), None, None),
        (False, True, DUE - timedelta(minutes=3), Skip.MUTED, None),
    ],
)
def test_done_muted_and_mid_entry(
    done: bool,
    muted: bool,
    last: datetime | None,
    skip: Skip | None,
    retry_at: datetime | None,
) -> None:
    slots = schedule(MONDAY, DEFAULT_POLICY, workday)
    found = decide(slots, DUE, done=done, muted=muted, last_activity=last)
    assert (found.skip, found.retry_at) == (skip, retry_at)
    assert found.slot is not None and found.slot.key == "before-7"
    assert found.send is (skip is None)


def test_typing_until_late_evening_leaves_no_time_that_day() -> None:
    now = at("2026-01-19 20:55")
    slots = schedule(MONDAY, DEFAULT_POLICY, workday)
    found = decide(slots, now, done=False, muted=False, last_activity=now)
    assert found.skip is Skip.BUSY and found.retry_at is None


def test_quiet_and_not_due_come_first() -> None:
    slots = schedule(MONDAY, DEFAULT_POLICY, workday)
    assert (
        decide(slots, at("2026-01-19 22:00"), done=True, muted=True, last_activity=None).skip
        is Skip.QUIET
    )
    assert (
        decide(slots, at("2026-01-20 10:00"), done=True, muted=True, last_activity=None).skip
        is Skip.NOT_DUE
    )


@pytest.mark.parametrize(
    ("text", "offsets"),
    [
        ("14 7 3 1 0", (14, 7, 3, 1, 0)),
        ("0,1,3", (3, 1, 0)),
        ("30、10，5", (30, 10, 5)),
        ("7 7", (7,)),
        ("１４ ７", (14, 7)),  # full-width digits, as a Chinese keyboard types them
    ],
)
def test_parse_offsets(text: str, offsets: tuple[int, ...]) -> None:
    assert parse_offsets(text) == offsets


@pytest.mark.parametrize("text", ["", "七天", "-1", "91", "3.5", "²", "7 ³"])
def test_parse_offsets_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="提醒时间应为截止日期前的天数"):
        parse_offsets(text)


def test_at_most_ten_reminders_before_a_deadline() -> None:
    assert len(parse_offsets(" ".join(str(d) for d in range(81, 91)))) == 10
    with pytest.raises(ValueError, match="提醒次数太多：写了 91 个不同的天数，最多 10 个"):
        parse_offsets(" ".join(str(d) for d in range(91)))


@pytest.mark.parametrize("send_at", [time(7, 59), time(21, 0), time(23, 0)])
def test_send_time_outside_the_day_is_refused(send_at: time) -> None:
    with pytest.raises(ValueError, match="08:00 到 21:00"):
        Policy(send_at=send_at)


def test_deadlines_lie_in_the_following_year() -> None:
    check_deadline(2025, date(2026, 1, 20))
    with pytest.raises(ValueError, match="2025年度报告的截止日期应在2026年内"):
        check_deadline(2025, date(2025, 12, 31))


def test_a_calendar_without_working_days_keeps_the_day() -> None:
    assert previous_workday(date(2026, 1, 1), lambda d: False) == date(2026, 1, 1)


NOTICE = Notice("", 2025, MONDAY, True, Progress(Stage.FILLING, 60, 0))
MUTE = "\n不想再收到提醒，可发送 /mute。"


@pytest.mark.parametrize(
    ("notice", "now", "text"),
    [
        (
            NOTICE,
            "2026-01-23 09:00",
            "距离本单位2025年度报告内部截止日期（2026年1月26日）还有3天，报告已完成 60%，"
            "请抓紧填写。发送 /report 继续。",
        ),
        (
            Notice("某某县民政局", 2025, date(2026, 1, 31), False, Progress(Stage.FILLING, 40, 12)),
            "2026-01-30 09:00",
            "距离某某县民政局2025年度报告截止日期（2026年1月31日）还有1天，报告已完成 40%"
            "（还有 12 项未填），请抓紧填写。发送 /report 继续。",
        ),
        (
            NOTICE,
            "2026-01-26 09:00",
            "今天（2026年1月26日）是本单位2025年度报告的内部截止日期，报告已完成 60%，"
            "请在今天内完成并提交。发送 /report 继续。",
        ),
        (
            Notice("", 2025, MONDAY, True, Progress(Stage.NOT_STARTED)),
            "2026-01-29 09:00",
            "本单位2025年度报告已超过内部截止日期（2026年1月26日）3天，报告还没有开始填写，"
            "请尽快完成并提交。发送 /report 开始填写。",
        ),
        (
            Notice("", 2025, MONDAY, True, Progress(Stage.RETURNED, 95, 2)),
            "2026-01-27 09:00",
            "本单位2025年度报告已超过内部截止日期（2026年1月26日）1天，报告已退回修改，已完成 95%"
            "（还有 2 项未填），请尽快完成并提交。发送 /report 继续。",
        ),
        (
            Notice("", 2025, MONDAY, True, Progress(Stage.IN_REVIEW, 100, 0)),
            "2026-01-19 09:00",
            "距离本单位2025年度报告内部截止日期（2026年1月26日）还有7天，报告已填写完毕，"
            "正等待本单位审核人确认提交，请审核人尽快确认。发送 /report 查看。",
        ),
    ],
)
def test_reminder_text(notice: Notice, now: str, text: str) -> None:
    assert reminder_text(notice, at(now)) == text + MUTE


def test_progress_as_the_interview_counts_it() -> None:
    assert progress_of(Stage.FILLING, None) == Progress(Stage.NOT_STARTED)
    fresh = new_state(date(2026, 1, 5)).answers
    found = progress_of(Stage.FILLING, fresh)
    assert found.stage is Stage.FILLING and found.percent == 0 and found.missing > 20
    named = progress_of(Stage.RETURNED, replace(fresh, agency="某某县民政局"))
    assert (named.stage, named.missing) == (Stage.RETURNED, found.missing - 1)
