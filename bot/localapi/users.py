"""Simulated Telegram users: they send, press and upload, and read what the bot answered."""

from __future__ import annotations

import asyncio
import re

from bot.localapi.limits import utf16_len
from bot.localapi.state import (
    BotMessage,
    BotState,
    CallbackRecord,
    ChatState,
    FileStore,
    JsonDict,
    now,
)

MAX_USER_TEXT = 4096  # Telegram clients split longer texts before sending
_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/<>])")


class SimulationError(Exception):
    """A test asked a user to do what a real user could not (press a missing button, ...)."""


class SimUser:
    """One user in a private chat with one bot.

    ``messages`` is everything the bot sent or edited in the chat, oldest first;
    ``wait_reply`` returns those entries one by one, each once.
    """

    def __init__(self, bot: BotState, files: FileStore, user: JsonDict) -> None:
        self._bot = bot
        self._files = files
        self.user = user
        self.id: int = user["id"]
        self.chat: ChatState = bot.chats[self.id]
        self._read = 0
        self._queries = 0

    @property
    def messages(self) -> list[BotMessage]:
        """Every message the bot sent or edited in this chat, oldest first."""
        return list(self.chat.log)

    @property
    def last(self) -> BotMessage | None:
        """The bot's latest send or edit."""
        return self.chat.log[-1] if self.chat.log else None

    def current(self, message_id: int) -> BotMessage | None:
        """A bot message as it is now (after edits), or None if it was deleted."""
        return self.chat.bot_messages.get(message_id)

    def unread(self) -> list[BotMessage]:
        """Sends and edits not yet returned by ``wait_reply``; marks them read."""
        entries = self.chat.log[self._read :]
        self._read = len(self.chat.log)
        return entries

    async def send(self, text: str) -> JsonDict:
        """Sends a text message (a leading ``/command`` gets its ``bot_command`` entity).

        Returns:
            The update the bot receives.
        """
        if not text.strip() or utf16_len(text) > MAX_USER_TEXT:
            raise SimulationError("a Telegram user sends 1-4096 characters per message")
        message = self._message()
        message["text"] = text
        command = _COMMAND.match(text)
        if command:
            length = utf16_len(command.group())
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return await self._push("message", message)

    async def upload(
        self,
        filename: str,
        data: bytes,
        caption: str | None = None,
        mime_type: str | None = None,
    ) -> JsonDict:
        """Sends a file as a document; the bot can fetch it with getFile.

        Returns:
            The update the bot receives.
        """
        stored = self._files.add(data, filename, mime_type)
        message = self._message()
        message["document"] = stored.document()
        if caption:
            message["caption"] = caption
        return await self._push("message", message)

    async def press(self, message: BotMessage | int, button: str) -> JsonDict:
        """Presses a button, by label or callback data, on a message as it is now.

        An inline button sends a callback query; a reply-keyboard button sends its label.

        Returns:
            The update the bot receives (``update["callback_query"]["id"]`` for an answer).

        Raises:
            SimulationError: The message is gone or has no such button now.
        """
        message_id = message if isinstance(message, int) else message.message_id
        current = self.chat.bot_messages.get(message_id)
        if current is None:
            raise SimulationError(f"message {message_id} is not in the chat")
        found = current.button(button)
        if found is None:
            labels = [b.get("text") for b in current.buttons]
            raise SimulationError(f"message {message_id} has no button {button!r}: {labels}")
        if "keyboard" in (current.reply_markup or {}):
            return await self.send(found["text"])
        if "callback_data" not in found:
            raise SimulationError(f"button {button!r} has no callback_data: {found}")
        self._queries += 1
        query = {
            "id": f"{self.id}{self._queries:06d}",
            "from": self.user,
            "message": current.message,
            "chat_instance": str(-self.id),
            "data": found["callback_data"],
        }
        self._bot.callback_queries[query["id"]] = CallbackRecord(query, self.id)
        return await self._push("callback_query", query)

    async def wait_reply(self, timeout: float = 5.0) -> BotMessage:
        """The bot's next send or edit in this chat (each returned once).

        Raises:
            TimeoutError: Nothing came within ``timeout`` seconds.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self._read >= len(self.chat.log):
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"the bot sent user {self.id} nothing within {timeout} s")
            await self.chat.changed.wait(remaining)
        self._read += 1
        return self.chat.log[self._read - 1]

    async def wait_answer(self, press: JsonDict | str, timeout: float = 5.0) -> JsonDict:
        """The bot's answerCallbackQuery for a press (its update or query id).

        Raises:
            TimeoutError: The bot did not answer within ``timeout`` seconds.
        """
        query_id: str = press["callback_query"]["id"] if isinstance(press, dict) else press
        record = self._bot.callback_queries[query_id]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while record.answer is None:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"callback query {query_id} was not answered in {timeout} s")
            await self.chat.changed.wait(remaining)
        return record.answer

    def download(self, message: BotMessage | str) -> bytes:
        """The bytes of a document the bot sent (its message or ``file_id``)."""
        file_id = message
        if isinstance(message, BotMessage):
            if message.document is None:
                raise SimulationError(f"message {message.message_id} has no document")
            file_id = message.document["file_id"]
        stored = self._files.get(str(file_id))
        if stored is None:
            raise SimulationError(f"no file {file_id}")
        return stored.data

    def block(self, blocked: bool = True) -> None:
        """Blocks the bot: its sends then fail with 403, as on Telegram."""
        self.chat.blocked = blocked

    def _message(self) -> JsonDict:
        return {
            "message_id": self.chat.new_message_id(),
            "from": self.user,
            "chat": self.chat.chat,
            "date": now(),
        }

    async def _push(self, kind: str, payload: JsonDict) -> JsonDict:
        if kind == "message":
            self.chat.messages[payload["message_id"]] = payload
        update = self._bot.queue.push(kind, payload)
        await asyncio.sleep(0)  # let pollers and the webhook sender see it
        return update
