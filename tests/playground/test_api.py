"""The page's HTTP API over the local Bot API server, with the test playing the bot.

The test sends, edits and deletes messages and answers callback queries by calling the Bot API
over HTTP as a bot would; the personas act through the page's API as the page does.
"""

from __future__ import annotations

import asyncio
import io
from typing import Any

import aiohttp
import pytest

from bot.localapi import LocalBotApi
from bot.playground import PERSONAS, Chats
from bot.playground.web import HEADER
from tests.playground.conftest import bot_call
from tests.playground.tabs import Tab

REVIEWER = next(p for p in PERSONAS if p.key == "reviewer")


async def updates(server: LocalBotApi) -> list[dict[str, Any]]:
    """What the bot receives (and confirms) with getUpdates."""
    found: list[dict[str, Any]] = await bot_call(server, "getUpdates", timeout=0)
    if found:
        await bot_call(server, "getUpdates", offset=found[-1]["update_id"] + 1, timeout=0)
    return found


async def test_the_page_and_its_assets(page: tuple[Chats, str]) -> None:
    _, base = page
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{base}/") as r:
            html = await r.text()
            assert r.status == 200
            assert "本地试用模式" in html and 'lang="zh-CN"' in html
            assert "script-src 'self'" in r.headers["Content-Security-Policy"]
        for asset in ("app.js", "app.css", "icon.svg"):
            async with http.get(f"{base}/static/{asset}") as r:
                assert r.status == 200, asset
        async with http.get(f"{base}/api/info") as r:
            info = await r.json()
    assert info["bot"]["username"] == "nianbao_local_bot"
    assert [(p["key"], p["label"]) for p in info["personas"]] == [
        ("filler", "填报人 张三"),
        ("reviewer", "审核人 李四"),
        ("coordinator", "协调人 王五"),
    ]
    assert info["commands"] == []  # no bot has registered any yet


async def test_messages_edits_deletions_and_toasts(
    bot_api: LocalBotApi, page: tuple[Chats, str]
) -> None:
    _, base = page
    chat = REVIEWER.user_id
    async with aiohttp.ClientSession() as http:
        tab = Tab(http, base, "reviewer")
        status, _ = await tab.post("/api/send", {"persona": "reviewer", "text": "/start"})
        assert status == 200
        [update] = await updates(bot_api)
        message = update["message"]
        assert message["from"]["id"] == chat and message["from"]["first_name"] == "李四"
        assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]

        keyboard = {"inline_keyboard": [[{"text": "好", "callback_data": "ok"}]]}
        sent = await bot_call(
            bot_api,
            "sendMessage",
            chat_id=chat,
            text="<b>粗体</b> &lt;script&gt;alert(1)&lt;/script&gt;",
            parse_mode="HTML",
            reply_markup=keyboard,
        )
        await tab.poll()
        view = tab.views[sent["message_id"]]
        # Text and entities, as Telegram delivers them: the page draws tags from entities only.
        assert view["text"] == "粗体 <script>alert(1)</script>"
        assert view["entities"] == [{"type": "bold", "offset": 0, "length": 2}]
        assert view["buttons"] == [[{"text": "好", "kind": "callback", "data": "ok"}]]
        assert [v["from"] for v in tab.views.values()] == ["user", "bot"]

        tab.mark = len(tab.log)
        status, body = await tab.post(
            "/api/press", {"persona": "reviewer", "message_id": sent["message_id"], "data": "ok"}
        )
        assert status == 200, body
        [press] = await updates(bot_api)
        query = press["callback_query"]
        assert query["data"] == "ok" and query["message"]["message_id"] == sent["message_id"]
        await bot_call(bot_api, "answerCallbackQuery", callback_query_id=query["id"], text="已记录")
        await bot_call(
            bot_api,
            "editMessageText",
            chat_id=chat,
            message_id=sent["message_id"],
            text="改过的文字",
        )
        async with asyncio.timeout(20):
            while not any(e["type"] == "toast" for e in tab.log[tab.mark :]):
                await tab.poll()
        assert next(e for e in tab.log[tab.mark :] if e["type"] == "toast") == {
            "type": "toast",
            "text": "已记录",
            "alert": False,
        }
        edited = await tab.until("改过的文字")
        assert edited["id"] == sent["message_id"] and edited["edited"] is True
        assert edited["buttons"] == []  # an edit without reply_markup removes the keyboard

        # A button no longer on the message is refused in plain words.
        status, body = await tab.post(
            "/api/press", {"persona": "reviewer", "message_id": sent["message_id"], "data": "ok"}
        )
        assert status == 409 and "按钮已经不在消息上了" in body["error"]

        await bot_call(bot_api, "deleteMessage", chat_id=chat, message_id=sent["message_id"])
        await tab.poll()
        assert sent["message_id"] not in tab.views and tab.log[-1]["type"] == "delete"


async def test_a_long_poll_wakes_when_the_bot_sends(
    bot_api: LocalBotApi, page: tuple[Chats, str]
) -> None:
    _, base = page
    async with aiohttp.ClientSession() as http:
        tab = Tab(http, base, "coordinator")
        await tab.poll(wait=0)
        waiting = asyncio.create_task(tab.poll(wait=20))
        await asyncio.sleep(0.1)
        assert not waiting.done()  # nothing to say yet: the request waits
        await bot_call(bot_api, "sendMessage", chat_id=900_000_000_003, text="您好")
        events = await waiting
    assert [e["message"]["text"] for e in events] == ["您好"]


async def test_documents_both_ways(bot_api: LocalBotApi, page: tuple[Chats, str]) -> None:
    _, base = page
    async with aiohttp.ClientSession() as http:
        tab = Tab(http, base, "filler")
        form = aiohttp.FormData(quote_fields=False)
        form.add_field("persona", "filler")
        form.add_field("file", b"\x00\x01 data", filename="报表.xlsx")
        async with http.post(f"{base}/api/upload", data=form, headers={HEADER: "1"}) as r:
            assert r.status == 200, await r.text()
        [update] = await updates(bot_api)
        document = update["message"]["document"]
        assert document["file_name"] == "报表.xlsx" and document["file_size"] == 7
        got = await bot_call(bot_api, "getFile", file_id=document["file_id"])
        url = f"{bot_api.base_file_url}{bot_api.token}/{got['file_path']}"
        async with http.get(url) as r:
            assert await r.read() == b"\x00\x01 data"

        form = aiohttp.FormData()
        form.add_field("chat_id", str(900_000_000_001))
        form.add_field("document", b"PK report", filename="report.docx")
        async with http.post(f"{bot_api.base_url}{bot_api.token}/sendDocument", data=form) as r:
            assert r.status == 200, await r.text()
        await tab.poll()
        mine, bots = (
            [v for v in tab.views.values() if v["from"] == who] for who in ("user", "bot")
        )
        assert mine[0]["document"]["name"] == "报表.xlsx"
        data, disposition = await tab.download(bots[0])
    assert data == b"PK report"
    assert disposition == "attachment; filename=\"download.docx\"; filename*=UTF-8''report.docx"


async def test_counts_for_unread_badges(bot_api: LocalBotApi, page: tuple[Chats, str]) -> None:
    _, base = page
    await bot_call(bot_api, "sendMessage", chat_id=900_000_000_002, text="一")
    await bot_call(bot_api, "sendMessage", chat_id=900_000_000_002, text="二")
    async with aiohttp.ClientSession() as http, http.get(f"{base}/api/counts") as r:
        counts = (await r.json())["counts"]
    assert counts == {"filler": 0, "reviewer": 2, "coordinator": 0}


async def test_a_page_from_an_earlier_run_starts_again(page: tuple[Chats, str]) -> None:
    chats, base = page
    async with aiohttp.ClientSession() as http:
        query = {"persona": "filler", "after": "7", "instance": "old", "wait": "0"}
        async with http.get(f"{base}/api/events", params=query) as r:
            data = await r.json()
    assert data == {"instance": chats.instance, "reset": True, "cursor": 0, "events": []}


@pytest.mark.parametrize(
    ("path", "body", "status", "message"),
    [
        ("/api/send", {"persona": "boss", "text": "hi"}, 404, "没有这个角色：boss"),
        ("/api/send", {"persona": "filler", "text": "  \n"}, 400, "消息不能为空"),
        ("/api/send", {"persona": "filler", "text": "字" * 4097}, 400, "最多 4096 个字"),
        ("/api/send", {"persona": "filler", "text": 12}, 400, "请求格式不对"),
        ("/api/send", ["filler"], 400, "请求格式不对"),
        ("/api/press", {"persona": "filler", "message_id": 99, "data": "x"}, 409, "按钮"),
        ("/api/press", {"persona": "filler", "message_id": "1", "data": "x"}, 400, "请求格式"),
    ],
)
async def test_bad_requests_get_a_chinese_answer(
    page: tuple[Chats, str], path: str, body: Any, status: int, message: str
) -> None:
    _, base = page
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{base}{path}", json=body, headers={HEADER: "1"}) as r,
    ):
        assert r.status == status
        assert message in (await r.json())["error"]


async def test_refusals_outside_the_json_bodies(page: tuple[Chats, str]) -> None:
    _, base = page
    async with aiohttp.ClientSession() as http:
        # No header: a form posted by a page of another site.
        async with http.post(f"{base}/api/send", json={"persona": "filler", "text": "x"}) as r:
            assert r.status == 403 and "本机" in (await r.json())["error"]
        # A name that is not this machine (DNS rebinding).
        async with http.get(f"{base}/api/info", headers={"Host": "evil.example:80"}) as r:
            assert r.status == 403
        async with http.post(f"{base}/api/send", data=b"{not json", headers={HEADER: "1"}) as r:
            assert r.status == 400 and "请求格式不对" in (await r.json())["error"]
        for name, filename, message in [
            ("note", None, "请选择要发送的文件"),
            ("file", "empty.txt", "文件是空的"),
        ]:
            form = aiohttp.FormData(default_to_multipart=True)
            form.add_field("persona", "filler")
            if filename is None:
                form.add_field(name, "no file here")
            else:
                form.add_field(name, io.BytesIO(b""), filename=filename)
            async with http.post(f"{base}/api/upload", data=form, headers={HEADER: "1"}) as r:
                assert r.status == 400 and message in (await r.json())["error"]
        async with http.get(f"{base}/api/files/nope") as r:
            assert r.status == 404 and "找不到这个文件" in (await r.json())["error"]
        bad = {"persona": "filler", "after": "-1"}
        async with http.get(f"{base}/api/events", params=bad) as r:
            assert r.status == 400
