"""What coordinators type after /deadline."""

from __future__ import annotations

from datetime import date, time

import pytest

from core.deadline_input import Change, DeadlineInput, parse_deadline_input
from core.deadlines import DeadlineKind

TODAY = date(2026, 11, 21)  # reporting on 2026
GOV = DeadlineKind.GOVERNMENT


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("", DeadlineInput(Change.SHOW, 2026)),
        ("2027-01-20", DeadlineInput(Change.DEADLINE, 2026, due=date(2027, 1, 20))),
        ("2027年1月20日", DeadlineInput(Change.DEADLINE, 2026, due=date(2027, 1, 20))),
        ("1月20日", DeadlineInput(Change.DEADLINE, 2026, due=date(2027, 1, 20))),
        ("本级 2027/3/20", DeadlineInput(Change.DEADLINE, 2026, GOV, due=date(2027, 3, 20))),
        ("2025年度 2026-01-26", DeadlineInput(Change.DEADLINE, 2025, due=date(2026, 1, 26))),
        ("2025年度", DeadlineInput(Change.SHOW, 2025)),
        ("恢复", DeadlineInput(Change.RESET, 2026)),
        ("本级 默认", DeadlineInput(Change.RESET, 2026, GOV)),
        ("提醒 10、5、0", DeadlineInput(Change.OFFSETS, 2026, offsets=(10, 5, 0))),
        ("时间 10：30", DeadlineInput(Change.SEND_AT, 2026, send_at=time(10, 30))),
        ("逾期 30", DeadlineInput(Change.OVERDUE, 2026, overdue_days=30)),
    ],
)
def test_parse(text: str, parsed: DeadlineInput) -> None:
    assert parse_deadline_input(text, TODAY) == parsed


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("明天", "用法：/deadline"),
        ("2027-02-30", "用法：/deadline"),
        ("2026-12-31", "2026年度报告的截止日期应在2027年内"),
        ("提醒 七", "提醒时间应为截止日期前的天数"),
        ("时间 25:00", "提醒时间请写成"),
        ("逾期 很久", "逾期后每日提醒的天数"),
        ("逾期 ²", "逾期后每日提醒的天数"),  # a digit to isdigit(), not to int()
    ],
)
def test_refusals(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_deadline_input(text, TODAY)


def test_in_spring_the_year_being_reported_is_last_year() -> None:
    parsed = parse_deadline_input("1月26日", date(2026, 1, 5))
    assert (parsed.year, parsed.due) == (2025, date(2026, 1, 26))
