"""A whole reporting season in one story, through the real bot and the local Bot API server.

An office invites three agencies and sets its internal deadline; two colleagues of one agency
enter one report and its reviewer confirms it; another agency's report is returned with a
comment, corrected, resubmitted and approved; the board shows every step; the office compiles
its report (the downloaded .docx and .xlsx hold the sums of what the agencies typed) and writes
its own narrative; reminder passes run (``nianbao remind --at``) before the deadline and after
it, reaching exactly the agencies that have not submitted, never a member who muted them.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

import docx
import openpyxl
import pytest

from bot.cli import main
from bot.holidays import WorkingDays
from bot.localapi import LocalBotApi
from bot.localapi.state import BotMessage
from bot.service import CHINA
from core.deadlines import DEFAULT_POLICY, Slot, schedule
from core.interview import report_year
from core.wording.reminders import MUTED, cn_date
from tests.e2e.phone import Phone, running_bot, settings_for

LINK = re.compile(r"https://t\.me/nianbao_local_bot\?start=([A-Za-z0-9_-]+)")
BOARD_LINE = re.compile(r"^\d+\. (.+) — (.+)$", re.MULTILINE)
OFFICE = "某某县人民政府办公室"
A, B, C = "某某县民政局", "某某县财政局", "某某县教育局"
# Table 2 as each agency types it, row by row: 规章, 行政规范性文件, 行政许可, 行政处罚,
# 行政强制, 行政事业性收费 (县级 agencies have no 规章).
TABLE2 = {A: ["0 0 0", "1 0 5", "10", "3", "0", "0"], B: ["0 0 0", "2 1 3", "5", "0", "1", "0"]}
PROBLEMS = "存在的主要问题是公开意识有待加强，下一步将加强培训，完善制度，持续提升公开质量。"


def link(phone: Phone) -> str:
    found = LINK.search(phone.text)
    assert found, phone.text
    return found.group(1)


async def board(coord: Phone) -> dict[str, str]:
    """Each agency's status on the coordinator's board."""
    await coord.send("/board")
    return dict(BOARD_LINE.findall(coord.text))


async def registered(phone: Phone, code: str, name: str) -> None:
    await phone.send(f"/start {code}")
    assert "身份为审核人" in phone.text and "请发送本单位全称" in phone.text
    await phone.send(name)


async def tables(phone: Phone, table2: Sequence[str]) -> None:
    """From the contact question through 表四: the overview skipped, table 2 typed, 0 elsewhere."""
    for _ in range(6):  # contact details, the five areas of 一、总体情况
        await phone.press("跳过")
    for row in table2:
        await phone.send(row)
    for _ in range(2):
        await phone.press("本表全部为0")
    assert "存在的主要问题及改进情况" in phone.text


async def finish(phone: Phone) -> None:
    """The fee and 其他事项 questions, then 完成填报."""
    await phone.press("本年度未收取")
    await phone.press("无")
    await phone.press("完成填报")


async def arrived(phone: Phone, fragment: str, since: int, timeout: float = 20.0) -> str:
    """The first message after the first ``since`` with ``fragment``, waiting for it to come.

    Documents take a while to render, so what follows them in one answer may come after the
    phone thought the answer was over; this looks at the whole chat from ``since`` on.
    """
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while True:
        for m in phone.user.messages[since:]:
            if fragment in (m.text or ""):
                phone.user.unread()
                return m.text or ""
        if loop.time() >= end:
            raise AssertionError(f"no {fragment!r} for {phone.user.id}: {phone.text}")
        with contextlib.suppress(TimeoutError):
            await phone.user.wait_reply(end - loop.time())


def files(phone: Phone, suffix: str) -> list[BotMessage]:
    return [m for m in phone.documents() if m.document and m.document["file_name"].endswith(suffix)]


async def remind(at: Slot, phones: Sequence[Phone]) -> dict[str, list[str]]:
    """``nianbao remind --at`` the slot's instant; the texts each phone received from it."""
    for p in phones:
        p.user.unread()
    args = ["remind", "--at", at.at.isoformat()]
    assert await asyncio.to_thread(main, args) == 0
    got = {}
    for p in phones:
        texts = [m.text or "" for m in p.user.unread()]
        if texts:
            got[p.user.user["first_name"]] = texts
    return got


async def test_a_whole_season(
    bot_api: LocalBotApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(bot_api, tmp_path / "nb.db", reminder_interval=0)
    monkeypatch.chdir(tmp_path)  # no .env of the developer's for `nianbao remind`
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", bot_api.token)
    monkeypatch.setenv("TELEGRAM_BASE_URL", bot_api.base_url)
    monkeypatch.setenv("TELEGRAM_BASE_FILE_URL", bot_api.base_file_url)
    today = datetime.now(CHINA).date()
    year = report_year(today)
    # An internal deadline in the future whatever today is (it must fall in the next year).
    due = max(today + timedelta(days=30), date(year + 1, 1, 20))
    coord = Phone(bot_api.user(3001, "王主任"))
    li, zhao = Phone(bot_api.user(3002, "李科长")), Phone(bot_api.user(3003, "赵科员"))
    qian = Phone(bot_api.user(3004, "钱科长"))
    sun, zhou = Phone(bot_api.user(3005, "孙科长")), Phone(bot_api.user(3006, "周科员"))
    everyone = [coord, li, zhao, qian, sun, zhou]

    async with running_bot(settings):
        # The office, its deadline, three agencies by one link.
        await coord.send("/new_office")
        await coord.send(OFFICE)
        code = link(coord)
        await coord.send(f"/deadline {due.isoformat()}")
        assert f"· 各单位报告：{cn_date(due)}（本办内部截止日期）" in coord.text
        for phone, name in ((li, A), (qian, B), (sun, C)):
            await registered(phone, code, name)
        assert await board(coord) == {A: "填写中 2%", B: "填写中 2%", C: "填写中 2%"}

        # Colleagues: a filler for A, and one for C who turns reminders off.
        await li.send("/invite")
        await li.press("邀请填报人")
        await zhao.send(f"/start {link(li)}")
        assert f"作为填报人加入「{A}」" in zhao.text and "联系方式" in zhao.text
        await sun.send("/invite")
        await sun.press("邀请填报人")
        await zhou.send(f"/start {link(sun)}")
        await zhou.send("/mute")
        assert zhou.text == MUTED

        # A: the filler enters the tables, the reviewer writes section 五, the filler finishes;
        # the reviewer then reads the preview and confirms.
        await tables(zhao, TABLE2[A])
        await li.send("/report")
        assert "存在的主要问题及改进情况" in li.text
        await li.send(PROBLEMS)
        await li.press("完成")
        await zhao.send("/report")
        assert "信息处理费" in zhao.text
        mark, li_mark = len(zhao.user.messages), len(li.user.messages)
        await finish(zhao)
        await arrived(zhao, "已交本单位审核人确认", mark)
        await arrived(li, f"「{A}」的{year}年报告已完成，请审核人确认", li_mark)
        assert (await board(coord))[A] == "待审核"
        await li.press("确认提交")
        assert f"已提交给「{OFFICE}」" in li.text
        await coord._collect()
        assert f"「{A}」的{year}年报告已报送，等待您审核" in coord.text

        # B alone: entered, confirmed by its reviewer, then returned with a comment.
        await tables(qian, TABLE2[B])
        await qian.send("存在的主要问题是培训不足。")
        await qian.press("完成")
        mark = len(qian.user.messages)
        await finish(qian)
        await arrived(qian, "请审核人确认", mark)
        await qian.press("确认提交")
        await coord._collect()
        assert await board(coord) == {A: "已提交", B: "已提交", C: "填写中 2%"}
        await coord.press(B)
        assert [d.document["file_name"][-5:] for d in coord.batch if d.document] == [
            ".docx",
            ".xlsx",
        ]
        await coord.press("退回修改")
        assert f"请发送退回意见（将转给「{B}」的全部成员）" in coord.text
        await coord.send("请补充第五部分的改进措施。")
        assert f"已退回「{B}」" in coord.text
        await qian._collect()
        assert "退回意见：请补充第五部分的改进措施。" in qian.text
        assert (await board(coord))[B] == "已退回"

        # Before the deadline: C (filling) and B (returned) are reminded; A (submitted) and
        # the member who muted are not.
        slots = schedule(due, DEFAULT_POLICY, WorkingDays())
        before = next(s for s in slots if s.key.startswith("before-") and s.nominal < due)
        got = await remind(before, everyone)
        assert set(got) == {"孙科长", "钱科长"}, got
        days = (due - before.day).days
        assert got["孙科长"][0].startswith(
            f"距离{C}{year}年度报告内部截止日期（{cn_date(due)}）还有{days}天，报告已完成"
        )
        assert "报告已退回修改" in got["钱科长"][0]

        # B corrects section 五 and resubmits; the coordinator approves A and B.
        await qian.send("/edit 存在的主要问题")
        await qian.send("下一步将建立考核机制，定期通报。")
        await qian.press("完成")
        mark = len(qian.user.messages)
        await qian.press("完成填报")
        await arrived(qian, "请审核人确认", mark)
        assert (await board(coord))[B] == "待审核"
        await qian.press("确认提交")
        await coord._collect()
        for name in (A, B):
            await board(coord)
            await coord.press(name)
            await coord.press("通过")
            assert f"已通过「{name}」" in coord.text
        await li._collect()
        assert f"已通过「{OFFICE}」审核" in li.text
        assert await board(coord) == {A: "已通过", B: "已通过", C: "填写中 2%"}

        # The consolidated report: the sums of what A and B typed, in the .docx and the .xlsx.
        await coord.send("/compile")
        mark = len(coord.user.messages)
        await coord.press("汇总全部已通过报告")
        await arrived(coord, f"已汇总 2 个单位的报告，生成「{OFFICE}」{year}年度报告和汇总表", mark)
        await arrived(coord, "请发送报告开头公布的联系方式", mark)  # the own narrative next
        base = f"{OFFICE}{year}年政府信息公开工作年度报告"
        (sheet,) = files(coord, f"{base}（汇总表）.xlsx")
        book = openpyxl.load_workbook(io.BytesIO(coord.user.download(sheet)))
        rows = list(book["表二"].iter_rows(min_row=4, values_only=True))
        typed = {A: [int(v) for r in TABLE2[A] for v in r.split()]}
        typed[B] = [int(v) for r in TABLE2[B] for v in r.split()]
        by_agency = {r[1]: list(r[2:12]) for r in rows if r[1] in (A, B)}
        assert by_agency == typed
        (total,) = [list(r[2:12]) for r in rows if r[1] == "合计"]
        assert total == [a + b for a, b in zip(typed[A], typed[B], strict=True)]
        (draft,) = files(coord, f"{base}.docx")
        table2 = docx.Document(io.BytesIO(coord.user.download(draft))).tables[0]
        cells = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in table2.rows}
        assert cells["行政规范性文件"] == ["3", "1", "8"]
        assert cells["行政许可"][0] == "15" and cells["行政处罚"][0] == "3"
        assert cells["行政强制"][0] == "1"

        # The office writes its own narrative in the bot and gets the final report.
        await coord.press("跳过")
        await coord.send("全县坚持以公开为常态、不公开为例外，统筹推进各单位政务公开工作。")
        await coord.press("完成")
        for _ in range(3):
            await coord.press("跳过")
        await coord.send(PROBLEMS)
        await coord.press("完成")
        mark = len(coord.user.messages)
        await finish(coord)
        await arrived(coord, "报告已生成", mark)
        for _ in range(100):  # the files follow their heading
            if files(coord, f"{base}.xlsx"):
                break
            await asyncio.sleep(0.1)
        final = files(coord, f"{base}.docx")
        assert len(final) == 2  # the compilation's draft, then the finished report
        report = docx.Document(io.BytesIO(coord.user.download(final[-1])))
        body = "\n".join(p.text for p in report.paragraphs)
        assert "草稿" not in body and "统筹推进各单位政务公开工作" in body
        assert f"由{OFFICE}综合{A}和{B}共2个单位的政府信息公开工作年度报告编制而成" in body
        table2 = report.tables[0]
        cells = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in table2.rows}
        assert cells["行政规范性文件"] == ["3", "1", "8"]
        await board(coord)
        assert "本级报告与已通过的 2 个单位合计一致" in coord.text

        # The season over, A's reviewer removes the filler, who is then refused politely.
        await li.send("/remove")
        await li.press("移出：赵科员（填报人）")
        await li.press("确定移出")
        assert f"已把「赵科员」移出「{A}」" in li.text
        await zhao._collect()
        assert f"您已被移出「{A}」" in zhao.text
        await zhao.send("/report")
        assert zhao.text.startswith(f"您已不是「{A}」的成员")

        # Overdue: only C, the late agency, is reminded; never the muted member.
        late = next(s for s in slots if s.key.startswith("overdue-"))
        got = await remind(late, everyone)
        assert set(got) == {"孙科长"}, got
        assert got["孙科长"][0].startswith(
            f"{C}{year}年度报告已超过内部截止日期（{cn_date(due)}）{(late.day - due).days}天"
        )
    menu = bot_api.bot.commands[bot_api.bot.commands_key(None, None)]
    assert {"invite", "revoke", "remove", "board", "compile", "deadline"} <= {
        c["command"] for c in menu
    }
