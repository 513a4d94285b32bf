"""The python-telegram-bot side: handlers that turn updates into actions and send the answers.

Handlers are thin: read the update, call ``Service.handle`` with plain values, send what it
returns. Updates of different chats run concurrently; one chat's updates run in order.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable
from dataclasses import replace
from typing import Any

from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    ReplyParameters,
    Update,
)
from telegram.error import BadRequest, NetworkError, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from core.importers import MAX_BYTES
from core.interview import Action, Command, Press, Text
from storage import StorageError

from . import metrics
from . import telegram_metrics as M
from . import texts as T
from .config import Settings
from .dedup import add_dedup
from .http import AiohttpRequest
from .reminder_commands import add_reminder_handlers
from .service import Out, Service, User, merge
from .uploads import PREFIX, Upload

log = logging.getLogger(__name__)
COMMANDS = tuple(name for name, _ in T.BOT_COMMANDS)
MAX_CONCURRENT = 256
# HTTP connections to the Bot API (bot/http.py). Not one per concurrent update (PTB's default,
# 256): a request waits for a free connection only a few milliseconds.
CONNECTIONS = 32


class PerChatProcessor(BaseUpdateProcessor):
    """Concurrent across chats, in order within a chat: a user's answers never overtake."""

    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        started = time.perf_counter()
        chat = update.effective_chat if isinstance(update, Update) else None
        key = chat.id if chat is not None else 0
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                await coroutine
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)
            M.update_handled(update, time.perf_counter() - started)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None


def build_application(
    settings: Settings, service: Service, *, webhook: bool
) -> Application[Any, Any, Any, Any, Any, Any]:
    """The Application with every handler; the caller starts and stops it."""
    # Answers, and getUpdates; kept in bot_data so a failed start can close them (close_http).
    requests = (
        AiohttpRequest(connection_pool_size=CONNECTIONS),
        AiohttpRequest(connection_pool_size=1),
    )
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .rate_limiter(
            # Telegram's retry_after is always honoured; a bot-wide cap only when configured
            # (``TELEGRAM_RATE_LIMIT``): answers to people should not queue behind each other.
            AIORateLimiter(
                overall_max_rate=settings.telegram_rate_limit, overall_time_period=1, max_retries=5
            )
        )
        # The aiohttp transport (bot/http.py), counting failed Bot API calls for /metrics.
        .request(requests[0])
        .get_updates_request(requests[1])
        .concurrent_updates(PerChatProcessor())
    )
    if webhook:
        builder = builder.updater(None)
    app = builder.build()
    app.bot_data["service"] = service
    app.bot_data["http"] = requests
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler(list(COMMANDS), on_command, filters=private))
    app.add_handler(MessageHandler(private & filters.TEXT & ~filters.COMMAND, on_text))
    app.add_handler(CallbackQueryHandler(on_press))
    app.add_handler(MessageHandler(private & filters.Document.ALL, on_document))
    app.add_handler(MessageHandler(private & ~filters.COMMAND, on_other))
    add_reminder_handlers(app)  # /mute, /unmute (bot/reminder_commands.py)
    add_dedup(app)  # an update delivered twice is answered once (bot/dedup.py)
    # Last in group 0: a command the menu does not have (/foo, /startx) is answered too.
    app.add_handler(MessageHandler(private & filters.COMMAND, on_unknown_command))
    app.add_error_handler(on_error)
    return app


async def close_http(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Close the HTTP sessions of an application whose ``initialize()`` failed."""
    for request in app.bot_data.get("http", ()):
        await request.shutdown()


async def register_commands(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Show the commands in Telegram's menu, in Chinese; learn the bot's @username for links."""
    await app.bot.set_my_commands([BotCommand(name, text) for name, text in T.BOT_COMMANDS])
    service = app.bot_data.get("service")
    if isinstance(service, Service):
        service.bot_username = app.bot.username  # known since initialize() called getMe


def _service(context: ContextTypes.DEFAULT_TYPE) -> Service:
    service = context.bot_data["service"]
    assert isinstance(service, Service)
    return service


def _user(update: Update) -> User | None:
    u = update.effective_user
    if u is None or u.is_bot:
        return None
    return User(u.id, u.full_name)


async def _run(update: Update, context: ContextTypes.DEFAULT_TYPE, action: Action) -> None:
    user, chat = _user(update), update.effective_chat
    if user is None or chat is None:
        return
    try:
        outs = await _service(context).handle(user, update.update_id, action)
    except StorageError:
        log.exception("storage failed for update %s", update.update_id)
        outs = [Out(T.BOT_DATABASE_DOWN)]
    await send(context, chat.id, outs)


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start, /report, /status, … as interview commands."""
    message = update.effective_message
    if message is None or not message.text:
        return
    name, _, arg = message.text[1:].partition(" ")
    await _run(update, context, Command(name.split("@", 1)[0].lower(), arg.strip()))


async def on_unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command the bot does not have: say so, then show the current question."""
    user, chat = _user(update), update.effective_chat
    if user is None or chat is None:
        return
    try:
        outs = await _service(context).handle(user, update.update_id, Command("report"))
    except StorageError:
        log.exception("storage failed for update %s", update.update_id)
        outs = [Out(T.BOT_DATABASE_DOWN)]
    await send(context, chat.id, merge([Out(T.BOT_UNKNOWN_COMMAND), *outs]))


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A typed answer."""
    message = update.effective_message
    if message is not None and message.text is not None:
        await _run(update, context, Text(message.text))


async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An inline button: answer the query at once, then act."""
    query = update.callback_query
    if query is None:
        return
    try:
        await query.answer()
    except TelegramError:  # a query too old to answer still gets its action
        log.info("callback query %s could not be answered", query.id)
    chat = update.effective_chat
    if chat is None or chat.type != "private":
        return
    data = query.data or ""
    if data.startswith(PREFIX):
        await _upload_choice(update, context, data)
        return
    await _run(update, context, Press(data))


async def _fetch(message: Message | None) -> Upload | None:
    """The file of a document message, downloaded (None when it is gone or too large)."""
    doc = message.document if message is not None else None
    if doc is None or (doc.file_size or 0) > MAX_BYTES:
        return None
    file = await doc.get_file()
    return Upload(doc.file_name or "", bytes(await file.download_as_bytearray()))


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A file: a published report to check, then keep as last year's or continue."""
    message, user, chat = update.effective_message, _user(update), update.effective_chat
    if message is None or message.document is None or user is None or chat is None:
        return
    if (message.document.file_size or 0) > MAX_BYTES:  # refuse before downloading anything
        await send(context, chat.id, [Out(T.BOT_UPLOAD_TOO_LARGE)], reply_to=message.message_id)
        return
    try:
        upload = await _fetch(message)
    except TelegramError:
        log.warning("could not download a document", exc_info=True)
        upload = None
    if upload is None:
        await send(context, chat.id, [Out(T.BOT_UPLOAD_FAILED)])
        return
    try:
        outs = await _service(context).upload(user, update.update_id, upload)
    except StorageError:
        log.exception("storage failed for update %s", update.update_id)
        outs = [Out(T.BOT_DATABASE_DOWN)]
    # Replies quote the document: a button pressed later finds the file through them.
    await send(context, chat.id, outs, reply_to=message.message_id)


async def _upload_choice(update: Update, context: ContextTypes.DEFAULT_TYPE, data: str) -> None:
    user, chat, query = _user(update), update.effective_chat, update.callback_query
    if user is None or chat is None or query is None:
        return
    original = query.message.reply_to_message if isinstance(query.message, Message) else None
    try:
        upload = await _fetch(original)
    except TelegramError:
        log.warning("could not fetch an uploaded document again", exc_info=True)
        upload = None
    try:
        outs = await _service(context).upload_choice(user, update.update_id, data, upload)
    except StorageError:
        log.exception("storage failed for update %s", update.update_id)
        outs = [Out(T.BOT_DATABASE_DOWN)]
    await send(context, chat.id, outs, reply_to=original.message_id if original else None)


async def on_other(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice …: say what the bot understands."""
    if update.effective_chat is not None:
        await send(context, update.effective_chat.id, [Out(T.BOT_UNSUPPORTED)])


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure; tell the user in plain words, never with a traceback."""
    log.error("update failed", exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await context.bot.send_message(update.effective_chat.id, T.BOT_ERROR)
        except TelegramError:
            log.warning("could not tell chat about the failure")


def keyboard(out: Out) -> InlineKeyboardMarkup | None:
    if not out.buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in out.buttons]
    )


async def send(
    context: ContextTypes.DEFAULT_TYPE, chat_id: int, outs: list[Out], reply_to: int | None = None
) -> None:
    """Send each message in order (plain text: nothing the user typed is parsed as markup).

    With ``reply_to`` every text message quotes that message (an uploaded document). A message
    with ``out.chat`` goes to that chat (a colleague, the coordinator); if that chat cannot be
    reached (the user blocked the bot), the rest is still sent.
    """
    quote = (
        ReplyParameters(message_id=reply_to, allow_sending_without_reply=True)
        if reply_to is not None
        else None
    )
    lost = False
    for out in outs:
        if out.chat is not None and out.chat != chat_id:
            try:
                await send(context, out.chat, [replace(out, chat=None)])
            except TelegramError:
                log.warning("could not reach chat %s", out.chat)
            continue
        try:
            if out.document is not None:
                doc = out.document
                await context.bot.send_document(
                    chat_id,
                    InputFile(await doc.data(), filename=doc.filename),
                    filename=doc.filename,
                )
            elif out.text:
                metrics.message_sent(out.text)
                await context.bot.send_message(
                    chat_id, out.text, reply_markup=keyboard(out), reply_parameters=quote
                )
        except BadRequest:
            raise  # refused as malformed: a bug, for the error handler
        except NetworkError as exc:
            # A 5xx or a dropped connection: the message may have arrived or not. Sent again it
            # could show twice, so the rest still goes out and the user is told once, below.
            log.warning("a reply to chat %s may be lost: %s", chat_id, type(exc).__name__)
            lost = True
    if lost:
        try:
            await context.bot.send_message(chat_id, T.BOT_REPLY_INCOMPLETE)
        except TelegramError:
            log.warning("could not tell chat %s that a reply may be lost", chat_id)
