"""The server judges what arrives on the wire, not what python-telegram-bot would allow."""

from __future__ import annotations

import aiohttp
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, InvalidToken

from bot.localapi import LocalBotApi, make_token
from tests.botapi_fixtures import raw_call

CHAT = 4001


def local_bot(server: LocalBotApi, token: str | None = None) -> Bot:
    return Bot(token or server.token, base_url=server.base_url, base_file_url=server.base_file_url)


async def test_ptb_passes_on_what_telegram_refuses(bot_api: LocalBotApi) -> None:
    bot_api.user(CHAT, "孙八")
    too_long_data = InlineKeyboardMarkup([[InlineKeyboardButton("a", callback_data="x" * 65)]])
    async with local_bot(bot_api) as bot:
        # PTB drops "Bad Request: " and capitalizes the rest, hence (?i).
        with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
            await bot.send_message(CHAT, "选择", reply_markup=too_long_data)
        with pytest.raises(BadRequest, match=r"(?i)can.t find end tag"):
            await bot.send_message(CHAT, "<b>粗", parse_mode="HTML")
        with pytest.raises(BadRequest, match=r"(?i)message is too long"):
            await bot.send_message(CHAT, "长" * 4097)
        with pytest.raises(BadRequest, match=r"(?i)one of its optional fields"):
            two_actions = InlineKeyboardButton("a", callback_data="x", url="https://example.org")
            await bot.send_message(CHAT, "选择", reply_markup=InlineKeyboardMarkup([[two_actions]]))
    assert [v.rule for v in bot_api.take_violations()] == ["length", "entities", "length", "one_of"]


async def test_a_raw_form_request_is_parsed_by_declared_type(bot_api: LocalBotApi) -> None:
    bot_api.user(CHAT, "孙八")
    form = {"chat_id": str(CHAT), "text": "好", "reply_markup": "{not json"}
    status, body = await raw_call(bot_api, "sendMessage", form=form)
    assert (status, body["description"]) == (
        400,
        "Bad Request: can't parse reply_markup JSON object",
    )
    form = {"chat_id": str(CHAT), "text": "好", "disable_notification": "perhaps"}
    assert (await raw_call(bot_api, "sendMessage", form=form))[0] == 400
    assert [v.rule for v in bot_api.take_violations()] == ["json", "type"]


async def test_a_raw_get_with_a_query_string_is_checked_too(bot_api: LocalBotApi) -> None:
    bot_api.user(CHAT, "孙八")
    url = f"{bot_api.base_url}{bot_api.token}/sendMessage"
    async with aiohttp.ClientSession() as session:
        async with session.get(url, params={"chat_id": str(CHAT), "text": "好"}) as response:
            assert response.status == 200
        async with session.get(url, params={"chat_id": str(CHAT)}) as response:
            assert (await response.json())["description"] == "Bad Request: message text is empty"
    assert [v.rule for v in bot_api.take_violations()] == ["missing"]


async def test_a_wrong_token_is_refused_like_telegram(bot_api: LocalBotApi) -> None:
    status, body = await raw_call(bot_api, "getMe", token=make_token(42))
    assert (status, body["description"]) == (401, "Unauthorized")
    status, body = await raw_call(bot_api, "getMe", token="not-a-token")
    assert (status, body["description"]) == (404, "Not Found")
    with pytest.raises(InvalidToken):
        async with local_bot(bot_api, make_token(43)):
            pass
    assert bot_api.violations == [] and len(bot_api.errors) == 3
