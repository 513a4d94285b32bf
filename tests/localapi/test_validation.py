"""Every request is checked against api.json and Telegram's limits, and a breach is recorded."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.localapi import LocalBotApi
from bot.localapi.limits import MB
from tests.botapi_fixtures import raw_call

CHAT = 2001


def button(**fields: Any) -> dict[str, Any]:
    return {"chat_id": CHAT, "text": "选择", "reply_markup": {"inline_keyboard": [[fields]]}}


async def refused(
    server: LocalBotApi, method: str, payload: dict[str, Any], *, code: int = 400
) -> tuple[str, str]:
    """Sends a bad call; returns Telegram's description and the recorded rule."""
    status, body = await raw_call(server, method, json=payload)
    assert (status, body["ok"], body["error_code"]) == (code, False, code)
    [violation] = server.take_violations()
    assert violation.description == body["description"]
    return body["description"], violation.rule


@pytest.fixture
async def api(bot_api: LocalBotApi) -> LocalBotApi:
    """The server with one user, so that chat 2001 exists."""
    bot_api.user(CHAT, "赵六")
    return bot_api


async def test_a_good_send_message_passes_as_json_and_as_form(api: LocalBotApi) -> None:
    markup = {"inline_keyboard": [[{"text": "是", "callback_data": "yes"}]]}
    status, body = await raw_call(
        api, "sendMessage", json={"chat_id": CHAT, "text": "<b>好</b>", "parse_mode": "HTML"}
    )
    assert status == 200 and body["result"]["text"] == "好"
    form = {"chat_id": str(CHAT), "text": "好", "reply_markup": json.dumps(markup)}
    status, body = await raw_call(api, "SENDMESSAGE", form=form)  # case-insensitive, like Telegram
    assert status == 200 and body["result"]["reply_markup"] == markup
    assert api.violations == []


async def test_an_unknown_method_is_not_found(api: LocalBotApi) -> None:
    assert await refused(api, "sendMesage", {"chat_id": CHAT}, code=404) == (
        "Not Found",
        "unknown_method",
    )


async def test_an_unknown_parameter(api: LocalBotApi) -> None:
    payload = {"chat_id": CHAT, "text": "好", "parse_mod": "HTML"}
    assert await refused(api, "sendMessage", payload) == (
        'Bad Request: unknown parameter "parse_mod"',
        "unknown_parameter",
    )


async def test_a_missing_chat_id(api: LocalBotApi) -> None:
    assert await refused(api, "sendMessage", {"text": "好"}) == (
        "Bad Request: chat_id is empty",
        "missing",
    )


@pytest.mark.parametrize(
    "payload",
    [
        {"chat_id": CHAT, "text": "好", "disable_notification": "yes"},
        {"chat_id": CHAT, "text": 5},
        {"chat_id": 1.5, "text": "好"},
        {"chat_id": CHAT, "text": "好", "reply_markup": {"inline_keyboard": "[]"}},
    ],
)
async def test_a_wrong_type(api: LocalBotApi, payload: dict[str, Any]) -> None:
    description, rule = await refused(api, "sendMessage", payload)
    assert rule == "type" and "must be of type" in description


async def test_text_is_1_to_4096_utf16_units(api: LocalBotApi) -> None:
    assert await refused(api, "sendMessage", {"chat_id": CHAT, "text": "字" * 4097}) == (
        "Bad Request: message is too long",
        "length",
    )
    # 😀 is two UTF-16 code units: 2048 of them fill the message, one more letter overflows.
    assert (await raw_call(api, "sendMessage", json={"chat_id": CHAT, "text": "😀" * 2048}))[
        0
    ] == 200
    description, _ = await refused(api, "sendMessage", {"chat_id": CHAT, "text": "😀" * 2048 + "a"})
    assert description == "Bad Request: message is too long"
    assert await refused(api, "sendMessage", {"chat_id": CHAT, "text": " \n "}) == (
        "Bad Request: message text is empty",
        "length",
    )


async def test_html_text_is_measured_after_parsing(api: LocalBotApi) -> None:
    text = "<b>" + "x" * 4096 + "</b>"
    payload = {"chat_id": CHAT, "text": text, "parse_mode": "HTML"}
    assert (await raw_call(api, "sendMessage", json=payload))[0] == 200
    payload["text"] = "&lt;" * 4097
    assert (await refused(api, "sendMessage", payload))[1] == "length"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("<p>段落</p>", 'Unsupported start tag "p" at byte offset 0'),
        (
            "<b>粗<i>斜</b></i>",
            'Unmatched end tag at byte offset 12, expected "</i>", found "</b>"',
        ),
        ("<b>没关", 'Can\'t find end tag corresponding to start tag "b"'),
        ('<span class="x">s</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
    ],
)
async def test_invalid_html_cannot_be_parsed(api: LocalBotApi, text: str, problem: str) -> None:
    payload = {"chat_id": CHAT, "text": text, "parse_mode": "HTML"}
    assert await refused(api, "sendMessage", payload) == (
        f"Bad Request: can't parse entities: {problem}",
        "entities",
    )


async def test_callback_data_is_1_to_64_bytes(api: LocalBotApi) -> None:
    ok = await raw_call(api, "sendMessage", json=button(text="年", callback_data="年" * 21))
    assert ok[0] == 200  # 63 bytes of UTF-8
    description, rule = await refused(api, "sendMessage", button(text="a", callback_data="x" * 65))
    assert (description, rule) == ("Bad Request: BUTTON_DATA_INVALID", "length")
    [violation] = [v for v in api.errors if v.rule == "length"][-1:]
    assert violation.path == "reply_markup.inline_keyboard[0][0].callback_data"


async def test_an_inline_button_has_exactly_one_action(api: LocalBotApi) -> None:
    two = button(text="a", callback_data="x", url="https://example.org")
    description, rule = await refused(api, "sendMessage", two)
    assert rule == "one_of" and "got callback_data, url" in description
    assert (await refused(api, "sendMessage", button(text="a")))[1] == "one_of"


async def test_keyboard_rows_are_not_empty(api: LocalBotApi) -> None:
    payload = {"chat_id": CHAT, "text": "好", "reply_markup": {"inline_keyboard": [[]]}}
    assert (await refused(api, "sendMessage", payload))[1] == "keyboard"


async def test_commands_follow_telegrams_syntax(api: LocalBotApi) -> None:
    good = {"command": "report", "description": "填报"}
    assert (await raw_call(api, "setMyCommands", json={"commands": [good]}))[0] == 200
    bad_name = {"commands": [{"command": "Report", "description": "填报"}]}
    assert await refused(api, "setMyCommands", bad_name) == (
        "Bad Request: BOT_COMMAND_INVALID",
        "command",
    )
    long_text = {"commands": [{"command": "report", "description": "长" * 257}]}
    assert (await refused(api, "setMyCommands", long_text))[1] == "length"
    assert (await refused(api, "setMyCommands", {"commands": [good] * 101}))[1] == "commands"


async def test_answer_callback_query_text_is_at_most_200(api: LocalBotApi) -> None:
    payload = {"callback_query_id": "1", "text": "字" * 201}
    assert (await refused(api, "answerCallbackQuery", payload))[1] == "length"


async def test_a_document_over_50_mb_is_too_large(api: LocalBotApi) -> None:
    status, body = await raw_call(
        api,
        "sendDocument",
        form={"chat_id": str(CHAT)},
        files={"document": ("大.bin", b"\0" * (51 * MB))},
    )
    assert (status, body["description"]) == (413, "Request Entity Too Large")
    [violation] = api.take_violations()
    assert (violation.rule, violation.path) == ("file_size", "document")


async def test_a_document_needs_a_file_name(api: LocalBotApi) -> None:
    status, _ = await raw_call(
        api, "sendDocument", form={"chat_id": str(CHAT)}, files={"document": ("", b"x")}
    )
    assert status == 400
    assert [v.rule for v in api.take_violations()] == ["file_name"]
