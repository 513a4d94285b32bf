"""One persona's chat as the page sees it: a numbered list of events.

The local Bot API server keeps what the bot sent (``ChatState.log``: sends and edits in order,
``deleted``, answered callback queries); what the user sent is kept here as it is sent. The page
asks for the events after the last one it has and applies them in order: ``message`` (a new or
changed message, shown in message-id order), ``delete`` and ``toast`` (an answerCallbackQuery
with text).
"""

from __future__ import annotations

from bot.localapi import BotMessage, SimUser
from bot.localapi.state import BotState, ChatState, JsonDict

from .personas import Persona


class Transcript:
    """The events of one persona's chat, gathered from the server's state on ``sync``."""

    def __init__(self, persona: Persona, user: SimUser, bot: BotState) -> None:
        self.persona = persona
        self.user = user
        self._bot = bot
        self.events: list[JsonDict] = []
        self._logged = 0  # entries of chat.log already turned into events
        self._deleted = 0
        self._queries: list[str] = []  # callback queries whose answer is still to come

    @property
    def chat(self) -> ChatState:
        """The server's ``ChatState`` of this private chat."""
        return self.user.chat

    def sync(self) -> None:
        """Turns whatever the bot did since the last call into events."""
        chat = self.chat
        for entry in chat.log[self._logged :]:
            self.events.append({"type": "message", "message": bot_view(entry)})
        self._logged = len(chat.log)
        for message_id in chat.deleted[self._deleted :]:
            self.events.append({"type": "delete", "id": message_id})
        self._deleted = len(chat.deleted)
        waiting = []
        for query_id in self._queries:
            record = self._bot.callback_queries.get(query_id)
            if record is None or record.answer is None:
                waiting.append(query_id)
            elif record.answer.get("text"):
                alert = bool(record.answer.get("show_alert"))
                self.events.append({"type": "toast", "text": record.answer["text"], "alert": alert})
        self._queries = waiting

    def after(self, cursor: int) -> list[JsonDict]:
        """The events from number ``cursor`` on (after a sync)."""
        self.sync()
        return self.events[cursor:]

    def sent(self, update: JsonDict) -> None:
        """Records what the user just sent (a message) or pressed (a callback query)."""
        self.sync()  # the bot's earlier replies come first
        if "callback_query" in update:
            self._queries.append(update["callback_query"]["id"])
        else:
            self.events.append({"type": "message", "message": user_view(update["message"])})
        self.chat.changed.fire()  # wake the page's long poll

    @property
    def bot_messages(self) -> int:
        """How many messages the bot has sent here (edits not counted), for unread badges."""
        return sum(1 for entry in self.chat.log if not entry.edited)


def bot_view(entry: BotMessage) -> JsonDict:
    """A bot message (after a send or an edit) as the page draws it."""
    message = entry.message
    view = _common(message, "bot")
    view["edited"] = entry.edited
    view["buttons"] = _inline_buttons(message.get("reply_markup"))
    if not view["buttons"] and entry.reply_markup and "keyboard" in entry.reply_markup:
        # A reply keyboard: each button sends its label as a message.
        rows = entry.reply_markup["keyboard"]
        view["buttons"] = [
            [{"text": b if isinstance(b, str) else b["text"], "kind": "text"} for b in row]
            for row in rows
        ]
    return view


def user_view(message: JsonDict) -> JsonDict:
    """A message the persona sent, as the page draws it."""
    view = _common(message, "user")
    view["edited"] = False
    view["buttons"] = []
    return view


def _common(message: JsonDict, sender: str) -> JsonDict:
    text = message.get("text", message.get("caption"))
    entities = message.get("entities", message.get("caption_entities", []))
    view: JsonDict = {"id": message["message_id"], "from": sender, "date": message["date"]}
    view["text"] = text
    view["entities"] = entities
    document = message.get("document")
    view["document"] = (
        {
            "file_id": document["file_id"],
            "name": document.get("file_name") or "文件",
            "size": document.get("file_size", 0),
            "mime": document.get("mime_type", ""),
        }
        if document
        else None
    )
    quoted = message.get("reply_to_message")
    view["reply_to"] = (
        {
            "id": quoted["message_id"],
            "text": quoted.get("text")
            or quoted.get("caption")
            or (quoted.get("document") or {}).get("file_name", ""),
        }
        if quoted
        else None
    )
    return view


def _inline_buttons(markup: JsonDict | None) -> list[list[JsonDict]]:
    rows = (markup or {}).get("inline_keyboard") or []
    drawn = []
    for row in rows:
        buttons = []
        for button in row:
            if "callback_data" in button:
                buttons.append(
                    {"text": button["text"], "kind": "callback", "data": button["callback_data"]}
                )
            elif "url" in button:
                buttons.append({"text": button["text"], "kind": "url", "url": button["url"]})
            else:  # switch_inline_query, web_app, …: Telegram features the playground lacks
                buttons.append({"text": button["text"], "kind": "none"})
        drawn.append(buttons)
    return drawn
