"""What each simulated Bot API method does, once its call has passed validation.

Handlers take the bot's state, the file store and the typed parameters, and return the
``result`` Telegram would. Refusals that depend on state (a message that is gone, a callback
query answered twice) raise ``ApiError`` with ``violation=False``: a correct bot can meet them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from bot.localapi.limits import MAX_DOWNLOAD_BYTES, ParsedText, parse_text
from bot.localapi.state import (
    BotMessage,
    BotState,
    ChatState,
    FileStore,
    JsonDict,
    StoredFile,
    Webhook,
    now,
)
from bot.localapi.wire import ApiError, Upload

Handler = Callable[[BotState, FileStore, JsonDict], Awaitable[Any]]
HANDLERS: dict[str, Handler] = {}
MAX_POLL_TIMEOUT = 50  # seconds; Telegram caps long polling similarly


def handles(name: str) -> Callable[[Handler], Handler]:
    """Registers a handler for a method name (matched case-insensitively)."""

    def register(handler: Handler) -> Handler:
        HANDLERS[name.lower()] = handler
        return handler

    return register


def _conflict(detail: str) -> ApiError:
    return ApiError(409, f"Conflict: {detail}", rule="conflict", violation=False)


def _refused(detail: str, path: str = "") -> ApiError:
    return ApiError.bad_request("state", detail, path, violation=False)


@handles("getMe")
async def get_me(bot: BotState, files: FileStore, p: JsonDict) -> Any:
    """The bot's own ``User``."""
    return bot.user


@handles("getUpdates")
async def get_updates(bot: BotState, files: FileStore, p: JsonDict) -> Any:
    """Long polling: waits up to ``timeout`` seconds for updates at or after ``offset``."""
    if bot.webhook.url:
        raise _conflict(
            "can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first"
        )
    if "allowed_updates" in p:
        bot.allowed_updates = p["allowed_updates"]
    limit = min(max(p.get("limit", 100), 1), 100)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + min(max(p.get("timeout", 0), 0), MAX_POLL_TIMEOUT)
    bot.poll_generation += 1
    generation = bot.poll_generation
    bot.queue.changed.fire()  # an older poll still waiting learns it was superseded
    bot.queue.confirm(p.get("offset", 0))
    while True:
        if generation != bot.poll_generation:
            raise _conflict(
                "terminated by other getUpdates request; "
                "make sure that only one bot instance is running"
            )
        updates = bot.queue.take(limit, bot.allowed_updates)
        remaining = deadline - loop.time()
        if updates or remaining <= 0 or bot.queue.closed:
            return updates
        await bot.queue.changed.wait(remaining)


@handles("setWebhook")
async def set_webhook(bot: BotState, files: FileStore, p: JsonDict) -> Any:
    """Switches the bot to webhook delivery (the server starts posting updates)."""
    if not p["url"]:
        return await delete_webhook(bot, files, p)
    bot.webhook = Webhook(
        url=p["url"],
        secret_token=p.get("secret_token"),
        max_connections=p.get("max_connections", 40),
        ip_address=p.get("ip_address"),
    )
    if "allowed_updates" in p:
        bot.allowed_updates = p["allowed_updates"]
    if p.get("drop_pending_updates"):
        bot.queue.clear()
    return True


@handles("deleteWebhook")
async def delete_webhook(bot: BotState, files: FileStore, p: JsonDict) -> Any:
    """Back to getUpdates."""
    bot.webhook = Webhook()
    if p.get("drop_pending_updates"):
        bot.queue.clear()
    return True


@handles("getWebhookInfo")
async def get_webhook_info(bot: BotState, files: FileStore, p: JsonDict) -> Any:
    """The ``WebhookInfo`` object."""
    return bot.webhook.info(bot.queue.pending_count, bot.allowed_updates)


def _target(bot: BotState, p: JsonDict) -> ChatState:
    chat = bot.chat(p["chat_id"])
    if chat.blocked:
        raise ApiError(
            403, "Forbidden: bot was blocked by the user", rule="blocked", violation=False
        )
    return chat


def _parsed(text: str, mode: str | None, entities: list[JsonDict] | None) -> ParsedText:
    if entities:
        return ParsedText(text, tuple(entities))
    return parse_text(text, mode or None)  # validation already refused unparseable text


def _inline(markup: JsonDict | None) -> JsonDict | None:
    """Only an inline keyboard is part of the ``Message``; other markups act on the client."""
    return markup if markup is not None and "inline_keyboard" in markup else None


def _new_message(bot: BotState, chat: ChatState, p: JsonDict) -> JsonDict:
    message: JsonDict = {"message_id": chat.new_message_id(), "from": bot.user}
    message.update(chat=chat.chat, date=now())
    reply_to = (p.get("reply_parameters") or {}).get("message_id")
    if reply_to is not None:
        original = chat.messages.get(reply_to)
        if original is not None:
            message["reply_to_message"] = {
                k: v for k, v in original.items() if k != "reply_to_message"
            }
        elif not p["reply_parameters"].get("allow_sending_without_reply"):
            raise _refused("message to be replied not found", "reply_parameters")
    return message


def _entry(
    message: JsonDict,
    p: JsonDict,
    *,
    edited: bool,
    text_key: str,
    markup: JsonDict | None,
    document: JsonDict | None = None,
) -> BotMessage:
    return BotMessage(
        message_id=message["message_id"],
        edited=edited,
        text=message.get("text", message.get("caption")),
        source=p.get(text_key),
        parse_mode=p.get("parse_mode"),
        reply_markup=markup,
        document=document,
        message=message,
    )


def _set_text(message: JsonDict, key: str, parsed: ParsedText) -> None:
    entities_key = "entities" if key == "text" else "caption_entities"
    message[key] = parsed.text
    message.pop(entities_key, None)
    if parsed.entities:
        message[entities_key] = list(parsed.entities)


def _set_markup(message: JsonDict, markup: JsonDict | None) -> None:
    message.pop("reply_markup", None)
    if _inline(markup):
        message["reply_markup"] = markup


@handles("sendMessage")
async def send_message(bot: BotState, files: FileStore, p: JsonDict) -> Any:
    """A text message to a user's chat."""
    chat = _target(bot, p)
    message = _new_message(bot, chat, p)
    _set_text(message, "text", _parsed(p["text"], p.get("parse_mode"), p.get("entities")))
    _set_markup(message, p.get("reply_markup"))
    chat.record(_entry(message, p, edited=False, text_key="text", markup=p.get("reply_markup")))
    return message


@handles("sendDocument")
async def send_document(bot: BotState, files: FileStore, p: JsonDict) -> Any:
    """A document, uploaded now or re-sent by ``file_id``."""
    chat = _target(bot, p)
    document = p["document"]
    stored: StoredFile | None
    if isinstance(document, Upload):
        stored = files.add(document.data, document.filename, document.content_type)
    elif document.startswith(("http://", "https://")):
        raise _refused("failed to get HTTP URL content", "document")  # no Internet here
    else:
        stored = files.get(document)
        if stored is None:
            raise _refused("wrong file identifier/HTTP URL specified", "document")
    message = _new_message(bot, chat, p)
    message["document"] = stored.document()
    if p.get("caption"):
        parsed = _parsed(p["caption"], p.get("parse_mode"), p.get("caption_entities"))
        _set_text(message, "caption", parsed)
    _set_markup(message, p.get("reply_markup"))
    chat.record(
        _entry(
            message,
            p,
            edited=False,
            text_key="caption",
            markup=p.get("reply_markup"),
            document=message["document"],
        )
    )
    return message


def _editable(bot: BotState, p: JsonDict) -> tuple[ChatState, BotMessage]:
    if "inline_message_id" in p:
        raise ApiError(
            501, "Not Implemented: inline messages are not simulated", rule="not_simulated"
        )
    if "chat_id" not in p or "message_id" not in p:
        raise ApiError.bad_request("missing", "message identifier is not specified", "message_id")
    chat = bot.chat(p["chat_id"])
    current = chat.bot_messages.get(p["message_id"])
    if current is None:
        detail = "message can't be edited" if p["message_id"] in chat.messages else None
        raise _refused(detail or "message to edit not found", "message_id")
    return chat, current


_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


@handles("editMessageText")
async def edit_message_text(bot: BotState, files: FileStore, p: JsonDict) -> Any:
    """New text (and inline keyboard: omitted means removed) for a message the bot sent."""
    if "text" not in p:
        if "rich_message" in p:
            raise ApiError(501, "Not Implemented: rich messages", rule="not_simulated")
        raise ApiError.bad_request("missing", "message text is empty", "text")
    chat, current = _editable(bot, p)
    if current.document is not None:
        raise _refused("there is no text in the message to edit")
    parsed = _parsed(p["text"], p.get("parse_mode"), p.get("entities"))
    message = dict(current.message)
    _set_text(message, "text", parsed)
    _set_markup(message, p.get("reply_markup"))
    if message == current.message:
        raise _refused(_NOT_MODIFIED)
    message["edit_date"] = now()
    chat.record(_entry(message, p, edited=True, text_key="text", markup=p.get("reply_markup")))
    return message


@handles("editMessageReplyMarkup")
async def edit_message_reply_markup(bot: BotState, files: FileStore, p: JsonDict) -> Any:
    """A new inline keyboard (none: removed) for a message the bot sent."""
    chat, current = _editable(bot, p)
    message = dict(current.message)
    _set_markup(message, p.get("reply_markup"))
    if message.get("reply_markup") == current.message.get("reply_markup"):
        raise _refused(_NOT_MODIFIED)
    message["edit_date"] = now()
    entry = BotMessage(
        message_id=current.message_id,
        edited=True,
        text=current.text,
        source=current.source,
        parse_mode=current.parse_mode,
        reply_markup=p.get("reply_markup"),
        document=current.document,
        message=message,
    )
    chat.record(entry)
    return message


@handles("deleteMessage")
async def delete_message(bot: BotState, files: FileStore, p: JsonDict) -> Any:
    """Removes a message (the bot's, or the user's in a private chat)."""
    chat = bot.chat(p["chat_id"])
    if chat.messages.pop(p["message_id"], None) is None:
        raise _refused("message to delete not found", "message_id")
    chat.bot_messages.pop(p["message_id"], None)
    chat.deleted.append(p["message_id"])
    chat.changed.fire()
    return True


@handles("answerCallbackQuery")
async def answer_callback_query(bot: BotState, files: FileStore, p: JsonDict) -> Any:
    """Records the answer for the user who pressed the button; a query is answered once."""
    record = bot.callback_queries.get(p["callback_query_id"])
    if record is None or record.answer is not None:
        raise _refused(
            "query is too old and response timeout expired or query ID is invalid",
            "callback_query_id",
        )
    record.answer = {k: v for k, v in p.items() if k != "callback_query_id"}
    bot.chats[record.chat_id].changed.fire()
    return True


@handles("getFile")
async def get_file(bot: BotState, files: FileStore, p: JsonDict) -> Any:
    """A ``File`` whose ``file_path`` downloads at ``/file/bot<token>/<file_path>``."""
    stored = files.get(p["file_id"])
    if stored is None:
        raise _refused("invalid file_id", "file_id")
    if len(stored.data) > MAX_DOWNLOAD_BYTES:
        raise _refused("file is too big", "file_id")
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.data),
        "file_path": stored.file_path,
    }


@handles("setMyCommands")
async def set_my_commands(bot: BotState, files: FileStore, p: JsonDict) -> Any:
    """Stores a command list for a scope and language."""
    bot.commands[bot.commands_key(p.get("scope"), p.get("language_code"))] = p["commands"]
    return True


@handles("getMyCommands")
async def get_my_commands(bot: BotState, files: FileStore, p: JsonDict) -> Any:
    """The command list for a scope and language (empty if none was set)."""
    return bot.commands.get(bot.commands_key(p.get("scope"), p.get("language_code")), [])


@handles("deleteMyCommands")
async def delete_my_commands(bot: BotState, files: FileStore, p: JsonDict) -> Any:
    """Forgets the command list for a scope and language."""
    bot.commands.pop(bot.commands_key(p.get("scope"), p.get("language_code")), None)
    return True


@handles("sendChatAction")
async def send_chat_action(bot: BotState, files: FileStore, p: JsonDict) -> Any:
    """Records "typing…" and friends in the chat."""
    _target(bot, p).actions.append(p["action"])
    return True


@handles("setChatMenuButton")
async def set_chat_menu_button(bot: BotState, files: FileStore, p: JsonDict) -> Any:
    """The menu button of one chat, or the default one."""
    bot.menu_buttons[p.get("chat_id")] = p.get("menu_button") or {"type": "default"}
    return True


@handles("getChatMenuButton")
async def get_chat_menu_button(bot: BotState, files: FileStore, p: JsonDict) -> Any:
    """The menu button of one chat, or the default one."""
    chat_id = p.get("chat_id")
    return bot.menu_buttons.get(chat_id) or bot.menu_buttons.get(None) or {"type": "default"}
