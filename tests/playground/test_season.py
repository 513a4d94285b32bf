"""A whole season played through the playground's page API by three personas, with the real bot."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import aiohttp
import docx
import pytest

from bot.playground import Playground
from bot.run import StartupError
from bot.service import CHINA
from core.interview import report_year
from tests.playground.conftest import playground_settings
from tests.playground.tabs import Tab, View

CODE = re.compile(r"https://t\.me/nianbao_local_bot\?start=([A-Za-z0-9_-]+)")


def is_document(suffix: str) -> Callable[[View], bool]:
    def check(view: View) -> bool:
        return bool(view["document"]) and view["document"]["name"].endswith(suffix)

    return check


def has_button(label: str) -> Callable[[View], bool]:
    def check(view: View) -> bool:
        return any(b["text"].startswith(label) for row in view["buttons"] for b in row)

    return check


async def test_invitation_entry_approval_board_and_consolidated_report(
    playground: Playground,
) -> None:
    year = report_year(datetime.now(CHINA).date())
    async with aiohttp.ClientSession() as http:
        coord = Tab(http, playground.url, "coordinator")
        reviewer = Tab(http, playground.url, "reviewer")
        filler = Tab(http, playground.url, "filler")

        # The coordinator's office and its invitation for agencies.
        await coord.send("/new_office", "请发送协调机构的名称")
        created = await coord.send("某某县人民政府办公室", "已创建协调机构")
        found = CODE.search(created["text"])
        assert found, created["text"]

        # The agency registers through the link (the page sends it as /start CODE).
        joined = await reviewer.send(f"/start {found.group(1)}", "身份为审核人")
        assert joined["from"] == "bot"
        await reviewer.send("某某县民政局", "联系方式")
        await reviewer.send("/invite", "要邀请哪种同事")
        link = await reviewer.press("邀请填报人", "邀请填报人的链接")
        colleague = CODE.search(link["text"])
        assert colleague, link["text"]

        # The filler joins and enters an all-zero report.
        await filler.send(f"/start {colleague.group(1)}", "您已作为填报人加入「某某县民政局」")
        await filler.press("跳过", "【主动公开】")
        for _ in range(5):
            await filler.press("跳过", "·")
        for table in ("表二", "表三", "表四"):
            await filler.press("本表全部为0", f"已将「{table}」全部记为 0")
        await filler.send("存在的主要问题是公开意识有待加强，下一步将加强培训。", "目前共")
        await filler.press("完成", "【信息处理费】")
        await filler.press("本年度未收取", "【其他事项】")
        await filler.press("无", has_button("完成填报"))
        await filler.press("完成填报", "审核人")

        # The reviewer confirms, the coordinator approves from the board.
        await reviewer.until("请审核人确认")
        await reviewer.press("确认提交", "已提交给「某某县人民政府办公室」")
        await coord.until("等待您审核")
        await coord.send("/board", "某某县民政局 — 已提交")
        await coord.press("某某县民政局", has_button("通过"))
        await coord.until(is_document(".docx"))
        await coord.press("通过", "已通过")
        await filler.until("已通过「某某县人民政府办公室」审核")

        # The consolidated report.
        await coord.send("/compile", has_button("汇总全部已通过报告"))
        consolidated = await coord.press("汇总全部已通过报告", is_document(".docx"))
        await coord.until(is_document(".xlsx"))
        data, disposition = await coord.download(consolidated)
        assert "filename*=UTF-8''" in disposition
        document = docx.Document(io.BytesIO(data))
        title = "".join(p.text for p in document.paragraphs[:3])
        assert "某某县人民政府办公室" in title and str(year) in title
        assert "已汇总 1 个单位的报告" in coord.text


async def test_an_upload_reaches_the_bot_as_a_document(playground: Playground) -> None:
    async with aiohttp.ClientSession() as http:
        tab = Tab(http, playground.url, "filler")
        await tab.send("/start", "请发送本单位全称")
        tab.mark = len(tab.log)
        form = aiohttp.FormData(quote_fields=False)  # names as browsers send them: UTF-8
        form.add_field("persona", "filler")
        form.add_field(
            "file", io.BytesIO(b"not a report at all"), filename="C:\\桌面\\去年的报告.txt"
        )
        async with http.post(
            f"{playground.url}/api/upload", data=form, headers={"X-Nianbao-Playground": "1"}
        ) as r:
            assert r.status == 200, await r.text()
        reply = await tab.until(lambda v: v["reply_to"] is not None)
        sent = tab.views[reply["reply_to"]["id"]]
        assert sent["from"] == "user" and sent["document"]["name"] == "去年的报告.txt"
        assert reply["reply_to"]["text"] == "去年的报告.txt"


async def test_a_second_start_on_a_busy_port_is_refused(
    playground: Playground, tmp_path: Path
) -> None:
    second = Playground(playground_settings(tmp_path / "other.db"), port=playground.port)
    with pytest.raises(StartupError, match="端口可能已被占用"):
        await second.start()


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.org"])
async def test_only_this_machine(tmp_path: Path, host: str) -> None:
    with pytest.raises(StartupError, match="只在本机运行"):
        await Playground(playground_settings(tmp_path / "nb.db"), host=host).start()


async def test_a_bot_that_cannot_start_stops_everything(tmp_path: Path) -> None:
    settings = playground_settings(tmp_path / "nb.db").model_copy(
        update={"database_url": "postgresql://nianbao@127.0.0.1:9/nianbao"}
    )
    playground = Playground(settings, port=0)
    with pytest.raises(StartupError, match="无法连接数据库"):
        await playground.start()
    # The page is gone with it: its port can be taken again.
    again = Playground(playground_settings(tmp_path / "nb.db"), port=playground.port)
    await again.start()
    await again.stop()
