"""What the simulated methods and users do, beyond validation."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest

from bot.localapi import LocalBotApi, SimulationError
from bot.localapi.limits import MB
from tests.botapi_fixtures import raw_call

CHAT = 6001
KEYBOARD = {"inline_keyboard": [[{"text": "是", "callback_data": "yes"}]]}


async def ok(server: LocalBotApi, method: str, **payload: Any) -> Any:
    status, body = await raw_call(server, method, json=payload)
    assert status == 200, body
    return body["result"]


async def refusal(server: LocalBotApi, method: str, **payload: Any) -> str:
    status, body = await raw_call(server, method, json=payload)
    assert status >= 400, body
    description: str = body["description"]
    return description


async def polls_started(server: LocalBotApi, count: int) -> None:
    """Waits until the server has received ``count`` getUpdates calls."""
    while server.bot.poll_generation < count:
        await asyncio.sleep(0.005)


async def test_long_polling_wakes_up_when_a_user_writes(bot_api: LocalBotApi) -> None:
    user = bot_api.user(CHAT, "卫一")
    poll = asyncio.create_task(raw_call(bot_api, "getUpdates", json={"timeout": 5}))
    await polls_started(bot_api, 1)
    sent = await user.send("/report@nianbao_local_bot 2025")
    _, body = await asyncio.wait_for(poll, 1)
    assert body["result"] == [sent]
    assert sent["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 25}]
    assert await ok(bot_api, "getUpdates", offset=sent["update_id"] + 1) == []


async def test_a_newer_poll_ends_the_older_with_409(bot_api: LocalBotApi) -> None:
    older = asyncio.create_task(raw_call(bot_api, "getUpdates", json={"timeout": 5}))
    await polls_started(bot_api, 1)
    assert await ok(bot_api, "getUpdates") == []
    status, body = await asyncio.wait_for(older, 1)
    assert status == 409 and "terminated by other getUpdates request" in body["description"]
    assert bot_api.violations == []


async def test_allowed_updates_filters_kinds(bot_api: LocalBotApi) -> None:
    user = bot_api.user(CHAT, "卫一")
    await user.send("不要")
    message = await ok(bot_api, "sendMessage", chat_id=CHAT, text="选", reply_markup=KEYBOARD)
    press = await user.press(message["message_id"], "是")
    assert await ok(bot_api, "getUpdates", allowed_updates=["callback_query"]) == [press]


async def test_edits_deletes_and_answers(bot_api: LocalBotApi) -> None:
    user = bot_api.user(CHAT, "卫一")
    sent = await ok(bot_api, "sendMessage", chat_id=CHAT, text="问题", reply_markup=KEYBOARD)
    mid = sent["message_id"]
    edit = {"chat_id": CHAT, "message_id": mid, "text": "问题", "reply_markup": KEYBOARD}
    assert (await refusal(bot_api, "editMessageText", **edit)).startswith(
        "Bad Request: message is not modified"
    )
    await ok(bot_api, "editMessageReplyMarkup", chat_id=CHAT, message_id=mid)
    current = user.current(mid)
    assert current is not None and current.edited and current.buttons == []
    with pytest.raises(SimulationError, match="no button"):
        await user.press(mid, "是")
    await ok(bot_api, "deleteMessage", chat_id=CHAT, message_id=mid)
    assert user.current(mid) is None and user.chat.deleted == [mid]
    assert await refusal(bot_api, "deleteMessage", chat_id=CHAT, message_id=mid) == (
        "Bad Request: message to delete not found"
    )
    assert await refusal(bot_api, "editMessageText", **edit) == (
        "Bad Request: message to edit not found"
    )
    assert await refusal(bot_api, "sendMessage", chat_id=999, text="谁") == (
        "Bad Request: chat not found"
    )
    assert bot_api.violations == [] and len(bot_api.errors) == 4


async def test_a_callback_query_is_answered_once(bot_api: LocalBotApi) -> None:
    user = bot_api.user(CHAT, "卫一")
    sent = await ok(bot_api, "sendMessage", chat_id=CHAT, text="选", reply_markup=KEYBOARD)
    press = await user.press(sent["message_id"], "yes")
    query_id = press["callback_query"]["id"]
    assert press["callback_query"]["data"] == "yes"
    assert await ok(bot_api, "answerCallbackQuery", callback_query_id=query_id, text="好")
    assert await user.wait_answer(press) == {"text": "好"}
    description = await refusal(bot_api, "answerCallbackQuery", callback_query_id=query_id)
    assert "query ID is invalid" in description


async def test_a_reply_keyboard_button_sends_its_label(bot_api: LocalBotApi) -> None:
    user = bot_api.user(CHAT, "卫一")
    markup = {"keyboard": [["是", {"text": "否"}]], "one_time_keyboard": True}
    sent = await ok(bot_api, "sendMessage", chat_id=CHAT, text="对吗", reply_markup=markup)
    assert "reply_markup" not in sent  # only inline keyboards belong to the message
    update = await user.press(sent["message_id"], "否")
    assert update["message"]["text"] == "否"


async def test_files_upload_download_and_resend(bot_api: LocalBotApi) -> None:
    user = bot_api.user(CHAT, "卫一")
    upload = await user.upload("表.xlsx", b"sheet", caption="附件")
    document = upload["message"]["document"]
    assert document["mime_type"].endswith("spreadsheetml.sheet")
    file = await ok(bot_api, "getFile", file_id=document["file_id"])
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{bot_api.base_file_url}{bot_api.token}/{file['file_path']}") as response,
    ):
        assert await response.read() == b"sheet"
    again = await ok(bot_api, "sendDocument", chat_id=CHAT, document=document["file_id"])
    assert user.download(user.messages[-1]) == b"sheet"
    assert again["document"]["file_id"] == document["file_id"]
    assert await refusal(bot_api, "sendDocument", chat_id=CHAT, document="nonsense") == (
        "Bad Request: wrong file identifier/HTTP URL specified"
    )
    big = await user.upload("大.zip", b"\0" * (21 * MB))
    description = await refusal(bot_api, "getFile", file_id=big["message"]["document"]["file_id"])
    assert description == "Bad Request: file is too big"


async def test_commands_and_menu_button(bot_api: LocalBotApi) -> None:
    commands = [{"command": "start", "description": "开始"}]
    scope = {"type": "chat", "chat_id": CHAT}
    await ok(bot_api, "setMyCommands", commands=commands, scope=scope, language_code="zh")
    assert await ok(bot_api, "getMyCommands") == []
    assert await ok(bot_api, "getMyCommands", scope=scope, language_code="zh") == commands
    await ok(bot_api, "deleteMyCommands", scope=scope, language_code="zh")
    assert await ok(bot_api, "getMyCommands", scope=scope, language_code="zh") == []
    await ok(bot_api, "setChatMenuButton", menu_button={"type": "commands"})
    assert await ok(bot_api, "getChatMenuButton") == {"type": "commands"}


async def test_unsimulated_methods(bot_api: LocalBotApi) -> None:
    assert await ok(bot_api, "setMyDescription", description="年报") is True
    assert await refusal(bot_api, "getChat", chat_id=CHAT) == (
        "Not Implemented: the local Bot API server does not simulate getChat"
    )
    assert [v.rule for v in bot_api.take_violations()] == ["not_simulated"]


async def test_a_blocked_user_and_realistic_users(bot_api: LocalBotApi) -> None:
    user = bot_api.user(CHAT, "卫一")
    user.block()
    assert await refusal(bot_api, "sendMessage", chat_id=CHAT, text="在吗") == (
        "Forbidden: bot was blocked by the user"
    )
    with pytest.raises(SimulationError):
        await user.send("长" * 4097)
    with pytest.raises(TimeoutError):
        await user.wait_reply(timeout=0.05)


async def test_several_bots_have_their_own_updates(bot_api: LocalBotApi) -> None:
    other = bot_api.add_bot(username="second_bot")
    first = await bot_api.user(CHAT, "卫一").send("一号")
    second = await bot_api.user(CHAT, "卫一", bot=other).send("二号")
    assert await ok(bot_api, "getUpdates") == [first]
    _, body = await raw_call(bot_api, "getUpdates", token=other.token)
    assert body["result"] == [second]
    _, body = await raw_call(bot_api, "getMe", token=other.token)
    assert body["result"]["username"] == "second_bot"
