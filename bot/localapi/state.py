"""What the local Bot API server remembers: bots, chats, messages, files and pending updates."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import mimetypes
import time
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from bot.localapi.wire import ApiError

JsonDict = dict[str, Any]
# getUpdates and setWebhook: an empty or absent allowed_updates means all but these.
DEFAULT_EXCLUDED = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


def now() -> int:
    """Unix time, as Telegram dates everything."""
    return int(time.time())


class Pulse:
    """Wakes everyone waiting for a change; cheaper than a Condition and never holds a lock."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def fire(self) -> None:
        """Wakes the current waiters."""
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, timeout: float | None) -> None:
        """Returns at the next change, or after ``timeout`` seconds."""
        event = self._event
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout)


@dataclass(frozen=True)
class StoredFile:
    """A file the server holds, uploaded by a user or by a bot."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    file_name: str | None
    mime_type: str | None

    def document(self) -> JsonDict:
        """The ``Document`` object describing this file."""
        doc: JsonDict = {"file_id": self.file_id, "file_unique_id": self.file_unique_id}
        if self.file_name:
            doc["file_name"] = self.file_name
        if self.mime_type:
            doc["mime_type"] = self.mime_type
        doc["file_size"] = len(self.data)
        return doc


class FileStore:
    """Files by ``file_id`` and by download path, shared by every bot on the server."""

    def __init__(self) -> None:
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}

    def add(self, data: bytes, file_name: str | None, mime_type: str | None = None) -> StoredFile:
        """Stores bytes and returns the new file's identifiers."""
        number = len(self._by_id) + 1
        digest = hashlib.sha256(data).hexdigest()
        if mime_type in (None, "", "application/octet-stream") and file_name:
            mime_type = mimetypes.guess_type(file_name)[0] or mime_type
        suffix = PurePosixPath(file_name).suffix if file_name else ""
        stored = StoredFile(
            file_id=f"BQACAgUAAxkBAAI{number:06d}{digest[:20]}",
            file_unique_id=f"AgAD{number:06d}",
            file_path=f"documents/file_{number}{suffix}",
            data=data,
            file_name=file_name,
            mime_type=mime_type or None,
        )
        self._by_id[stored.file_id] = stored
        self._by_path[stored.file_path] = stored
        return stored

    def get(self, file_id: str) -> StoredFile | None:
        """A file by its ``file_id``."""
        return self._by_id.get(file_id)

    def at(self, file_path: str) -> StoredFile | None:
        """A file by its download path."""
        return self._by_path.get(file_path)


@dataclass
class _Pending:
    update: JsonDict
    forced: bool = False  # redelivered: returned once more whatever the offset


def update_kind(update: JsonDict) -> str:
    """``message``, ``callback_query``, ...: the one field besides ``update_id``."""
    return next(key for key in update if key != "update_id")


class UpdateQueue:
    """One bot's updates: ids increase by one; each stays pending until the bot confirms it."""

    def __init__(self, first_id: int = 1, keep: int = 50_000) -> None:
        self._next_id = first_id
        self._pending: list[_Pending] = []
        self._keep = keep
        self.history: dict[int, JsonDict] = {}  # the latest ``keep`` updates, for redelivery
        self.changed = Pulse()
        self.closed = False

    def push(self, kind: str, payload: JsonDict) -> JsonDict:
        """Adds a new update and wakes pollers and the webhook sender."""
        update_id = self._next_id
        self._next_id += 1
        update: JsonDict = {"update_id": update_id, kind: payload}
        self.history[update_id] = update
        if len(self.history) > self._keep:  # a benchmark sends hundreds of thousands
            del self.history[next(iter(self.history))]
        self._pending.append(_Pending(update))
        self.changed.fire()
        return update

    def redeliver(self, update_id: int) -> JsonDict:
        """Queues an earlier update again, as Telegram does when it is unsure it arrived."""
        try:
            update = self.history[update_id]
        except KeyError:
            raise LookupError(f"no update {update_id} was ever sent") from None
        self._pending.insert(0, _Pending(update, forced=True))
        self.changed.fire()
        return update

    def confirm(self, offset: int) -> None:
        """getUpdates' ``offset``: forgets updates below it (negative: keeps the last -offset)."""
        if offset < 0:
            self._pending = self._pending[offset:]
        elif offset > 0:
            self._pending = [
                p for p in self._pending if p.forced or p.update["update_id"] >= offset
            ]

    def take(self, limit: int, allowed: list[str] | None) -> list[JsonDict]:
        """Up to ``limit`` pending updates of allowed kinds; others are dropped, as by Telegram."""
        kept = [p for p in self._pending if is_allowed(update_kind(p.update), allowed)]
        self._pending = kept
        taken = kept[:limit]
        for pending in taken:
            pending.forced = False  # confirmed by the next offset like any other
        return [p.update for p in taken]

    def waiting(self, allowed: list[str] | None) -> list[_Pending]:
        """The pending updates of allowed kinds, oldest first (others are dropped, as by Telegram).

        Webhook delivery reads them in place and ``discard``s each once a webhook accepted it.
        """
        if any(not is_allowed(update_kind(p.update), allowed) for p in self._pending):
            self._pending = [p for p in self._pending if is_allowed(update_kind(p.update), allowed)]
        return list(self._pending)

    def discard(self, pending: _Pending) -> None:
        """Forgets this very entry (a redelivered copy of the same update stays)."""
        for index, entry in enumerate(self._pending):
            if entry is pending:
                del self._pending[index]
                return

    def remove(self, update_id: int) -> None:
        """Forgets one update (delivered to a webhook)."""
        for index, pending in enumerate(self._pending):
            if pending.update["update_id"] == update_id:
                del self._pending[index]
                return

    def clear(self) -> None:
        """``drop_pending_updates``."""
        self._pending.clear()

    @property
    def pending_count(self) -> int:
        """Updates not yet confirmed."""
        return len(self._pending)

    def close(self) -> None:
        """Ends every long poll at once (server shutdown)."""
        self.closed = True
        self.changed.fire()


def is_allowed(kind: str, allowed: list[str] | None) -> bool:
    """Whether an update kind passes a bot's ``allowed_updates``."""
    return kind in allowed if allowed else kind not in DEFAULT_EXCLUDED


@dataclass(frozen=True)
class BotMessage:
    """One message the bot sent, or one edit of it, as the user sees it.

    Attributes:
        message_id: The message's id in its chat.
        edited: False for a new message, True for an edit of an earlier one.
        text: The text or caption as displayed, after entity parsing (``None`` if absent).
        source: The text or caption exactly as the bot sent it (HTML source, say).
        parse_mode: The parse mode the bot asked for.
        reply_markup: The markup the bot sent (inline, reply keyboard, removal or force reply).
        document: The ``Document`` object, for documents.
        message: The ``Message`` object the server returned to the bot.
    """

    message_id: int
    edited: bool
    text: str | None
    source: str | None
    parse_mode: str | None
    reply_markup: JsonDict | None
    document: JsonDict | None
    message: JsonDict

    @property
    def buttons(self) -> list[JsonDict]:
        """Every button of the message's keyboard, row by row (text buttons as ``{"text"}``)."""
        markup = self.reply_markup or {}
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
        return [b if isinstance(b, dict) else {"text": b} for row in rows for b in row]

    def button(self, label_or_data: str) -> JsonDict | None:
        """The first button whose label or callback data is ``label_or_data``."""
        for button in self.buttons:
            if label_or_data in (button.get("text"), button.get("callback_data")):
                return button
        return None


@dataclass
class CallbackRecord:
    """A callback query the server sent, and the bot's answer once it comes."""

    query: JsonDict
    chat_id: int
    answer: JsonDict | None = None


@dataclass
class ChatState:
    """One private chat between a user and a bot."""

    chat: JsonDict
    next_message_id: int = 1
    messages: dict[int, JsonDict] = field(default_factory=dict)  # current, both directions
    bot_messages: dict[int, BotMessage] = field(default_factory=dict)  # current, bot's only
    log: list[BotMessage] = field(default_factory=list)  # every send and edit, in order
    deleted: list[int] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    blocked: bool = False
    changed: Pulse = field(default_factory=Pulse)

    def new_message_id(self) -> int:
        """The next message id in this chat."""
        self.next_message_id += 1
        return self.next_message_id - 1

    def record(self, entry: BotMessage) -> None:
        """Stores what the bot sent or edited and wakes the user waiting for it."""
        self.messages[entry.message_id] = entry.message
        self.bot_messages[entry.message_id] = entry
        self.log.append(entry)
        self.changed.fire()


@dataclass
class Webhook:
    """A bot's webhook settings and delivery state."""

    url: str = ""
    secret_token: str | None = None
    max_connections: int = 40
    ip_address: str | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None

    def info(self, pending: int, allowed: list[str] | None) -> JsonDict:
        """The ``WebhookInfo`` object."""
        info: JsonDict = {"url": self.url, "has_custom_certificate": False}
        info["pending_update_count"] = pending
        if self.url:
            info["max_connections"] = self.max_connections
            if self.ip_address:
                info["ip_address"] = self.ip_address
            if allowed:
                info["allowed_updates"] = allowed
        if self.last_error_date is not None:
            info["last_error_date"] = self.last_error_date
            info["last_error_message"] = self.last_error_message or ""
        return info


class BotState:
    """Everything one bot token owns on the server."""

    def __init__(self, token: str, user: JsonDict) -> None:
        self.token = token
        self.user = user
        self.queue = UpdateQueue()
        self.webhook = Webhook()
        self.allowed_updates: list[str] | None = None
        self.commands: dict[str, list[JsonDict]] = {}
        self.menu_buttons: dict[int | None, JsonDict] = {}
        self.chats: dict[int, ChatState] = {}
        self.users: dict[int, JsonDict] = {}
        self.callback_queries: dict[str, CallbackRecord] = {}
        self.poll_generation = 0

    def chat(self, chat_id: int | str) -> ChatState:
        """A chat by id or ``@username``; Telegram's "chat not found" otherwise."""
        if isinstance(chat_id, str):
            if chat_id.lstrip("-").isdigit():
                chat_id = int(chat_id)
            else:
                name = chat_id.removeprefix("@")
                chat_id = next(
                    (uid for uid, u in self.users.items() if u.get("username") == name), 0
                )
        found = self.chats.get(chat_id)
        if found is None:
            raise ApiError.bad_request("chat", "chat not found", "chat_id", violation=False)
        return found

    def commands_key(self, scope: JsonDict | None, language_code: str | None) -> str:
        """Where setMyCommands stores a list: one per scope and language."""
        return json.dumps(scope or {"type": "default"}, sort_keys=True) + (language_code or "")
