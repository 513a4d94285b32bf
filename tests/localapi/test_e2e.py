"""A real python-telegram-bot Application talking to the local Bot API server."""

from __future__ import annotations

import html
from typing import Any

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.localapi import LocalBotApi
from tests.botapi_fixtures import application_builder, polling

AGAIN = InlineKeyboardMarkup([[InlineKeyboardButton("再来一次", callback_data="again")]])


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start: a greeting with one inline button."""
    assert update.message is not None
    await update.message.reply_text("你好！发送任意文字。", reply_markup=AGAIN)


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any text comes back in bold, HTML-escaped, with the button."""
    assert update.message is not None and update.message.text is not None
    text = f"<b>回声</b>：{html.escape(update.message.text)}"
    await update.message.reply_text(text, parse_mode=ParseMode.HTML, reply_markup=AGAIN)


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The button: answer the query, then edit the message it sits on."""
    query = update.callback_query
    assert query is not None
    await query.answer("收到")
    await query.edit_message_text(f"已按下：{query.data}")


async def document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A document comes back reversed, under a new name."""
    assert update.message is not None and update.message.document is not None
    file = await update.message.document.get_file()
    data = bytes(await file.download_as_bytearray())
    await update.message.reply_document(
        data[::-1],
        filename=f"反转-{update.message.document.file_name}",
        caption="<i>好了</i>",
        parse_mode=ParseMode.HTML,
    )


async def post_init(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Registers the command list, as the product does at start-up."""
    await application.bot.set_my_commands([BotCommand("start", "开始")])


def echo_bot(server: LocalBotApi) -> Application[Any, Any, Any, Any, Any, Any]:
    application: Application[Any, Any, Any, Any, Any, Any] = (
        application_builder(server).post_init(post_init).build()
    )
    application.add_handler(CommandHandler("start", start))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    application.add_handler(MessageHandler(filters.Document.ALL, document))
    application.add_handler(CallbackQueryHandler(pressed))
    return application


async def test_a_user_chats_presses_and_sees_the_edit(bot_api: LocalBotApi) -> None:
    user = bot_api.user(1001, "张三")
    async with polling(echo_bot(bot_api)):
        await user.send("/start")
        greeting = await user.wait_reply()
        assert greeting.text == "你好！发送任意文字。"
        assert [b["text"] for b in greeting.buttons] == ["再来一次"]

        await user.send("1 < 2 & <b>")
        reply = await user.wait_reply()
        assert reply.text == "回声：1 < 2 & <b>"
        assert reply.parse_mode == "HTML"
        assert reply.message["entities"] == [{"type": "bold", "offset": 0, "length": 2}]

        press = await user.press(reply, "再来一次")
        assert (await user.wait_answer(press))["text"] == "收到"
        edited = await user.wait_reply()
        assert (edited.message_id, edited.edited, edited.text) == (
            reply.message_id,
            True,
            "已按下：again",
        )
        assert edited.buttons == []  # editing the text without a keyboard removes it
        assert user.current(reply.message_id) == edited

    commands = next(iter(bot_api.bot.commands.values()))
    assert commands == [{"command": "start", "description": "开始"}]


async def test_a_document_goes_round_trip(bot_api: LocalBotApi) -> None:
    user = bot_api.user(1002, "李四")
    async with polling(echo_bot(bot_api)):
        await user.upload("年报.docx", b"PK\x03\x04 report")
        reply = await user.wait_reply()
    assert reply.document is not None
    assert reply.document["file_name"] == "反转-年报.docx"
    assert reply.document["file_size"] == len(b"PK\x03\x04 report")
    assert reply.text == "好了"
    assert user.download(reply) == b"PK\x03\x04 report"[::-1]


async def test_what_the_server_sends_conforms_to_the_spec(bot_api: LocalBotApi) -> None:
    user = bot_api.user(1003, "王五", username="wangwu")
    async with polling(echo_bot(bot_api)):
        await user.send("/start")
        await user.press(await user.wait_reply(), "again")
        await user.wait_reply()
        await user.upload("a.txt", b"abc", caption="看看")
        await user.wait_reply()
    for update in bot_api.bot.queue.history.values():
        bot_api.spec.validate_object("Update", update)
    for entry in user.messages:
        bot_api.spec.validate_object("Message", entry.message)
    bot_api.spec.validate_object("User", bot_api.bot.user)
