"""The bot on a phone, end to end: the real Application against the local Bot API server.

Every request the bot makes is checked against the official api.json by the server; a breach
fails the test (see tests/botapi_fixtures.py).
"""

from __future__ import annotations

import asyncio
import io
from datetime import datetime
from pathlib import Path

import docx
import openpyxl
import pytest
from pydantic import SecretStr

from bot.localapi import LocalBotApi
from bot.run import StartupError, serve
from bot.service import CHINA
from core.formats import GOV_2021
from core.interview import build_plan, report_year
from core.interview.derive import asked_cells
from tests.data import APPEALS_001, COLUMNS, REQUESTS_001, REQUESTS_TEXT_001
from tests.e2e.phone import Phone, running_bot, settings_for


async def zero_report(phone: Phone) -> None:
    await phone.send("/start")
    assert "请发送本单位全称" in phone.text
    await phone.send("某某县民政局")
    await phone.press("跳过")
    for _ in range(5):
        await phone.press("跳过")
    for _ in range(3):
        await phone.press("本表全部为0")
    await phone.send(
        "存在的主要问题是公开意识有待加强，下一步将加强培训，完善制度，持续提升公开质量。"
    )
    await phone.press("完成")
    await phone.press("本年度未收取")
    await phone.press("无")
    assert "某某县民政局" in phone.text and "完成填报" in [
        b.get("text") for m in phone.batch for b in m.buttons
    ]
    await phone.press("完成填报")


async def test_all_zero_report_over_telegram(bot_api: LocalBotApi, tmp_path: Path) -> None:
    async with running_bot(settings_for(bot_api, tmp_path / "nb.db")):
        phone = Phone(bot_api.user(1001, "张三"))
        await zero_report(phone)
        docs = await phone.wait_documents(2)
    names = [d.document["file_name"] for d in docs if d.document]
    year = report_year(datetime.now(CHINA).date())
    assert names == [
        f"某某县民政局{year}年政府信息公开工作年度报告.docx",
        f"某某县民政局{year}年政府信息公开工作年度报告.xlsx",
    ]
    report = docx.Document(io.BytesIO(phone.user.download(docs[0])))
    table3 = report.tables[1]
    assert table3.rows[3].cells[3].text == "0"  # 一、本年新收 · 自然人: an explicit 0
    book = openpyxl.load_workbook(io.BytesIO(phone.user.download(docs[1])))
    assert "表三" in book.sheetnames


async def test_example_001_over_telegram(bot_api: LocalBotApi, tmp_path: Path) -> None:
    rows = dict(REQUESTS_001)
    rows["other_other"] = rows.pop("other")
    rows["other_no_correction"] = rows["other_unpaid_fee"] = (0,) * 6
    plan = build_plan(GOV_2021)
    async with running_bot(settings_for(bot_api, tmp_path / "nb.db")):
        phone = Phone(bot_api.user(1002, "李四"))
        await phone.send("/start")
        await phone.send("呼伦贝尔市人民政府")
        await phone.send("地址：呼伦贝尔市海拉尔区友好六街1号\n网址：www.hlbe.gov.cn")
        for area in [
            "全市坚持以公开为常态、不公开为例外，持续提高政府工作透明度。",
            REQUESTS_TEXT_001,
        ]:
            await phone.send(area)
            await phone.press("完成")
        for _ in range(3):
            await phone.press("跳过")
        for entry in ["1 0 1", "14 0 606", "512366", "69775", "4660", "0"]:
            await phone.send(entry)
        await phone.send("193 19 0 0 0 12")
        await phone.send("自然人1")
        assert "表三 · 第 3/24 行" in phone.text
        cells: dict[str, int] = {}
        for key, values in rows.items():
            for col, v in zip(COLUMNS, values, strict=True):
                cells[f"requests.{key}.{col}"] = v
        entered = {k: v for k, v in cells.items() if ".new." in k or ".carried_in." in k}
        for _ in range(25):
            current = phone.text.split("表三 · 第 ")[-1]
            if "四、结转下年度继续办理" in current:
                break
            label = next(
                q for q in plan.questions if q.table == "requests" and q.path[-1] in current
            )
            asked = asked_cells(label, GOV_2021, entered)
            values = [cells[c] for c in asked]
            if not any(values):
                await phone.press("全部为0")
            else:
                await phone.send(" ".join(str(v) for v in values))
            entered.update({c: cells[c] for c in label.cells})
        assert "建议填：自然人 2。" in phone.text
        await phone.press("确认建议值")
        await phone.send(" ".join(str(v) for vals in APPEALS_001.values() for v in vals))
        await phone.send(
            "一是公开理念有待加强。二是平台建设需要加快。下一步将深入贯彻《条例》，持续改进。"
        )
        await phone.press("完成")
        await phone.press("本年度未收取")
        await phone.press("无")
        assert "222" in phone.text and "223" in phone.text  # the narrative against table 3
        await phone.press("确认无误（第1条）")
        await phone.press("确认无误")
        await phone.press("完成填报")
        docs = await phone.wait_documents(2)
    report = docx.Document(io.BytesIO(phone.user.download(docs[0])))
    table3 = report.tables[1]
    texts = [[c.text for c in row.cells] for row in table3.rows]
    new_row = next(r for r in texts if r[0].startswith("一、本年新收"))
    assert new_row[3:] == ["193", "19", "0", "0", "0", "12", "224"]
    total_row = next(r for r in texts if "（七）总计" in r)
    assert total_row[-1] == "223"


async def test_garbage_stale_buttons_and_corrections(bot_api: LocalBotApi, tmp_path: Path) -> None:
    async with running_bot(settings_for(bot_api, tmp_path / "nb.db")):
        phone = Phone(bot_api.user(1003, "王五"))
        await phone.send("/start")
        await phone.send("某某县财政局")
        contact_question = phone.batch[-1]
        await phone.press("跳过")
        await phone.send("/edit 表三")
        for junk in ["abc", "-3", "3.5", "1e9", "😀" * 30, "<b>1</b>", "自然人1 自然人2"]:
            await phone.send(junk)
            assert "一、本年新收政府信息公开申请数量" in phone.text
        await phone.send("3 0 0 0 0 0")
        await phone.send("0")
        await phone.send("5")  # more results than applications
        assert "【错误·规则1】自然人列" in phone.text
        await phone.press("改「本年新收」")
        assert "当前已填：自然人 3" in phone.text
        await phone.send("5 0 0 0 0 0")
        # An old button: out of date, changes nothing, shows the current question.
        await phone.press_on(contact_question, "跳过")
        assert "按钮已过期" in phone.text
        await phone.send("/back")
        assert "已返回上一题" in phone.text
        await phone.send("/status")
        assert "总进度" in phone.text
        await phone.send("/preview")
        assert "草稿" in phone.batch[0].text
        await phone.send("/download")
        assert any("草稿" in (m.document or {}).get("file_name", "") for m in phone.batch)
        await phone.send("/help")
        assert "使用说明" in phone.text
        await phone.user.upload("去年的报告.docx", b"PK\x03\x04 not really")
        await phone.user.wait_reply()


async def test_restart_continues_where_the_user_was(bot_api: LocalBotApi, tmp_path: Path) -> None:
    settings = settings_for(bot_api, tmp_path / "nb.db")
    phone = Phone(bot_api.user(1004, "赵六"))
    async with running_bot(settings):
        await phone.send("/start")
        await phone.send("某某县教育局")
        await phone.press("跳过")
        await phone.send("/edit 表三")
        await phone.send("2 0 0 0 0 0")
    async with running_bot(settings):
        await phone.send("/report")
        assert "二、上年结转政府信息公开申请数量" in phone.text
        await phone.send("0")
        assert "（一）予以公开" in phone.text


async def test_many_users_at_once(bot_api: LocalBotApi, tmp_path: Path) -> None:
    async with running_bot(settings_for(bot_api, tmp_path / "nb.db")):
        phones = [Phone(bot_api.user(2000 + i, f"用户{i}"), quiet=1.0) for i in range(12)]
        await asyncio.gather(*(zero_report(p) for p in phones))
        await asyncio.gather(*(p.wait_documents(2) for p in phones))
    assert all(len(p.documents()) == 2 for p in phones)


# The client's aborted 2 MB upload may leave a transport for the garbage collector to report.
@pytest.mark.filterwarnings("ignore::ResourceWarning")
async def test_webhook_mode(bot_api: LocalBotApi, tmp_path: Path, unused_tcp_port: int) -> None:
    url = f"http://127.0.0.1:{unused_tcp_port}/telegram"
    settings = settings_for(
        bot_api,
        tmp_path / "nb.db",
        webhook_url=url,
        webhook_secret=SecretStr("s3cret-token"),
        host="127.0.0.1",
        port=unused_tcp_port,
    )
    import aiohttp

    async with running_bot(settings):
        phone = Phone(bot_api.user(3001, "钱七"))
        await phone.send("/start")
        assert "请发送本单位全称" in phone.text
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{unused_tcp_port}/healthz") as r:
                assert r.status == 200 and (await r.json())["database"] == "ok"
            async with http.post(url, json={"update_id": 1}) as r:
                assert r.status == 403  # no secret
            headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}
            async with http.post(url, data="x", headers=headers) as r:
                assert r.status == 415  # JSON only
            big = io.BytesIO(b'{"update_id": 2, "pad": "' + b"x" * 2_000_000 + b'"}')
            json_headers = {**headers, "Content-Type": "application/json"}
            async with http.post(url, data=big, headers=json_headers) as r:
                assert r.status == 413


@pytest.mark.parametrize(
    ("token", "message"),
    [("", "没有设置 TELEGRAM_BOT_TOKEN"), ("abc", "格式不对")],
)
async def test_startup_refuses_bad_settings(
    bot_api: LocalBotApi, tmp_path: Path, token: str, message: str
) -> None:
    settings = settings_for(bot_api, tmp_path / "nb.db").model_copy(
        update={"telegram_bot_token": SecretStr(token)}
    )
    with pytest.raises(StartupError, match=message):
        await serve(settings, asyncio.Event(), io.StringIO())


async def test_startup_refuses_an_unreachable_database(
    bot_api: LocalBotApi, tmp_path: Path
) -> None:
    settings = settings_for(bot_api, tmp_path / "nb.db").model_copy(
        update={"database_url": "postgresql://nianbao@127.0.0.1:9/nianbao"}
    )
    with pytest.raises(StartupError, match="无法连接数据库"):
        await serve(settings, asyncio.Event(), io.StringIO())


async def test_startup_refuses_an_unreachable_bot_api(bot_api: LocalBotApi, tmp_path: Path) -> None:
    settings = settings_for(bot_api, tmp_path / "nb.db").model_copy(
        update={"telegram_base_url": "http://127.0.0.1:9/bot"}
    )
    with pytest.raises(StartupError, match="无法连接 Telegram Bot API"):
        await serve(settings, asyncio.Event(), io.StringIO())
