"""Chinese wording for deadlines and reminders: the reminder itself, /mute, and the command line."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time


def cn_date(day: date) -> str:
    """2026年1月26日."""
    return f"{day.year}年{day.month}月{day.day}日"


def reminder(
    *,
    agency: str,
    year: int,
    deadline: date,
    internal: bool,
    days_left: int,
    stage: str,
    percent: int,
    missing: int,
) -> str:
    """A reminder: the deadline, the days left (or overdue), what is missing, what to do.

    ``stage`` is a ``core.deadlines.Stage`` value.
    """
    who = agency or "本单位"
    label = "内部截止日期" if internal else "截止日期"
    when = cn_date(deadline)
    if days_left > 0:
        head = f"距离{who}{year}年度报告{label}（{when}）还有{days_left}天"
    elif days_left == 0:
        head = f"今天（{when}）是{who}{year}年度报告的{label}"
    else:
        head = f"{who}{year}年度报告已超过{label}（{when}）{-days_left}天"
    if stage == "not_started":
        state, command = "报告还没有开始填写", "发送 /report 开始填写。"
    elif stage == "in_review":
        state, command = "报告已填写完毕，正等待本单位审核人确认提交", "发送 /report 查看。"
    else:
        done = f"已完成 {percent}%" + (f"（还有 {missing} 项未填）" if missing else "")
        state = ("报告已退回修改，" if stage == "returned" else "报告") + done
        command = "发送 /report 继续。"
    if stage == "in_review":
        urge = "请审核人尽快确认。"
    elif days_left > 0:
        urge = "请抓紧填写。"
    elif days_left == 0:
        urge = "请在今天内完成并提交。"
    else:
        urge = "请尽快完成并提交。"
    return f"{head}，{state}，{urge}{command}\n不想再收到提醒，可发送 /mute。"


def bad_deadline(year: int, due: date) -> str:
    return f"{year}年度报告的截止日期应在{year + 1}年内，{cn_date(due)}不行。"


def bad_offsets(limit: int) -> str:
    return f"提醒时间应为截止日期前的天数（0 表示当天，最多 {limit} 天），例如「14 7 3 1 0」。"


def too_many_offsets(count: int, limit: int) -> str:
    return f"提醒次数太多：写了 {count} 个不同的天数，最多 {limit} 个，例如「14 7 3 1 0」。"


def bad_send_at(earliest: time, latest: time) -> str:
    return f"提醒发送时间应在 {earliest:%H:%M} 到 {latest:%H:%M} 之间。"


def bad_overdue_days() -> str:
    return "逾期后每日提醒的天数应在 0 到 366 之间。"


# /mute and /unmute
MUTED = "已关闭截止日期提醒。需要时发送 /unmute 重新开启。"
UNMUTED = "已重新开启截止日期提醒：报告提交前，会在截止日期前和逾期后提醒您。"
MUTE_NO_AGENCY = "您还没有加入任何单位，没有需要关闭的提醒。"

# nianbao remind (bot/remind_cmd.py)
WOULD_SEND = "将发送"
SENT = "已发送"
FAILED = "发送失败"
RETRY = "暂未发出，稍后重试"
ELSEWHERE = "已安排（由另一进程发送）"


def line(verb: str, name: str, agency: str, text: str) -> str:
    """One reminder on one line of the terminal."""
    flat = text.replace("\n", " ")
    return f"{verb} → {name}（{agency or '未命名单位'}）：{flat}"


def summary(
    *,
    at: str,
    dry_run: bool,
    count: int,
    failed: int,
    already: int,
    done: int,
    muted: int,
    busy: int,
    quiet: bool,
) -> str:
    """The pass in one paragraph: how many went out and why the others did not."""
    verb = "将发送" if dry_run else "已发送"
    head = f"提醒检查（{at}，北京时间）：{verb} {count} 条提醒"
    if failed:
        head += f"，{failed} 条发送失败"
    if quiet:
        return head + "。21:00 至次日 8:00 不发送提醒。"
    skipped = [
        (already, "今天已提醒过"),
        (done, "报告已提交"),
        (muted, "已关闭提醒"),
        (busy, "正在填写（停止输入 10 分钟后再提醒）"),
    ]
    shown = [f"{text} {n} 人" for n, text in skipped if n]
    return head + ("；未提醒：" + "，".join(shown) if shown else "") + "。"


def calendar_fallback(years: list[int]) -> str:
    shown = "、".join(str(y) for y in years)
    return f"注意：节假日数据不包含 {shown} 年，这些年份只按周末顺延提醒。"


REMIND_BAD_AT = "--at 的时间格式不对：应为 2027-01-24T09:00+08:00 这样的 ISO 时间。"
REMIND_NO_TOKEN = "发送提醒需要 TELEGRAM_BOT_TOKEN；只想查看将发送的内容，请加 --dry-run。"


# /deadline (coordinators)
DEADLINE_USAGE = (
    "用法：/deadline 2026-01-26 设置各单位报告的内部截止日期；/deadline 本级 2026-03-20 设置本级"
    "政府报告的；/deadline 提醒 14 7 3 1 0 设置截止前几天提醒；/deadline 时间 10:00 设置提醒时间；"
    "/deadline 逾期 30 设置逾期后每日提醒几天；/deadline 恢复 改回法定日期。"
    "在前面加「2025年度」可指定报告年度。"
)
DEADLINE_BAD_TIME = "提醒时间请写成 10:00 这样的时分。"
DEADLINE_NOT_COORDINATOR = (
    "只有协调人可以设置截止日期和提醒；各单位的截止日期由所属协调办公室设置。"
)


def deadline_summary(
    *,
    year: int,
    agency_due: date,
    agency_internal: bool,
    government_due: date,
    government_internal: bool,
    offsets: tuple[int, ...],
    send_at: time,
    overdue_days: int,
    guessed: Sequence[int] = (),
) -> str:
    """The office's deadlines for one report year and its reminder settings.

    ``guessed``: years of the reminders whose public holidays the calendar does not know yet
    (reminders then move off weekends only, and the summary says so).
    """

    def which(internal: bool) -> str:
        return "本办内部截止日期" if internal else "法定截止日期"

    days = "、".join(str(o) for o in offsets if o > 0)
    parts = []
    if days:
        parts.append(f"截止日期前 {days} 天")
    if 0 in offsets:
        parts.append("当天")
    before = "和".join(parts) or "截止日期前不提醒"
    late = f"逾期后每个工作日提醒，持续 {overdue_days} 天" if overdue_days else "逾期后不再提醒"
    moved = "遇周末和法定节假日提前到前一个工作日"
    if guessed:
        shown = "、".join(str(y) for y in guessed)
        moved = (
            f"遇周末提前到前一个工作日（节假日数据尚未包含 {shown} 年，"
            "这些年份的法定节假日暂不顺延）"
        )
    return (
        f"{year}年度报告的截止日期：\n"
        f"· 各单位报告：{cn_date(agency_due)}（{which(agency_internal)}）\n"
        f"· 本级政府报告：{cn_date(government_due)}（{which(government_internal)}）\n"
        f"提醒未提交的单位：{before} {send_at:%H:%M}；{late}；"
        f"{moved}，21:00 至次日 8:00 不发送。\n"
        "修改：/deadline 2026-01-20、/deadline 本级 2026-03-20、/deadline 提醒 14 7 3 1 0、"
        "/deadline 时间 10:00、/deadline 恢复"
    )
