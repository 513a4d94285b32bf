"""Telegram's documented limits, and the entity parsing that lengths are measured after.

Most length limits are read from the spec's own field descriptions ("1-4096 characters after
entities parsing", "1-64 bytes"; see ``LengthLimit``). This module holds the rest: limits stated
elsewhere in Telegram's documentation (upload and download sizes, command syntax, chat actions)
and the HTML parse mode, ported from tdlib's ``parse_html`` so that what Telegram refuses, the
local server refuses in the same words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

MB = 1024 * 1024
MAX_UPLOAD_BYTES = 50 * MB  # "Sending files": other files up to 50 MB.
MAX_DOWNLOAD_BYTES = 20 * MB  # getFile: bots can download files of up to 20 MB.
MAX_COMMANDS = 100  # setMyCommands: "At most 100 commands can be specified."
COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")  # "lowercase English letters, digits and underscores"
SECRET_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")  # setWebhook secret_token
PARSE_MODES = frozenset({"html", "markdown", "markdownv2"})  # Telegram compares lowercased
CHAT_ACTIONS = frozenset(
    [
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    ]
)
# Each tag of Telegram's HTML parse mode and the entity it makes (refined in ``_entity``).
_ENTITY_TYPES = {
    **dict.fromkeys(["b", "strong"], "bold"),
    **dict.fromkeys(["i", "em"], "italic"),
    **dict.fromkeys(["u", "ins"], "underline"),
    **dict.fromkeys(["s", "strike", "del"], "strikethrough"),
    **dict.fromkeys(["span", "tg-spoiler"], "spoiler"),
    **{"code": "code", "pre": "pre", "blockquote": "blockquote", "a": "text_link"},
    **{"tg-emoji": "custom_emoji", "tg-time": "date_time"},
}
HTML_TAGS = frozenset(_ENTITY_TYPES)
_LIMIT_RE = re.compile(r"\b(\d+)-(\d+) (characters|bytes)\b")
# Telegram's own wording for the limits a bot meets most, by (field, measured after parsing);
# the others get a generic sentence.
_TOO_LONG = {
    ("text", True): "message is too long",
    ("caption", True): "message caption is too long",
    ("callback_data", False): "BUTTON_DATA_INVALID",
}
_TOO_SHORT = {
    ("text", True): "message text is empty",
    ("callback_data", False): "BUTTON_DATA_INVALID",
}


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's "characters" and entity offsets."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class LengthLimit:
    """A length range read from a field's description in the spec."""

    low: int
    high: int
    unit: Literal["characters", "bytes"]
    after_parsing: bool

    @classmethod
    def from_description(cls, description: str) -> LengthLimit | None:
        """Reads "N-M characters" or "N-M bytes" from a field description, if it states one."""
        match = _LIMIT_RE.search(description)
        if match is None:
            return None
        unit: Literal["characters", "bytes"] = (
            "bytes" if match.group(3) == "bytes" else "characters"
        )
        return cls(int(match.group(1)), int(match.group(2)), unit, "after entit" in description)

    def measure(self, text: str) -> int:
        """The length of ``text`` in this limit's unit."""
        return len(text.encode()) if self.unit == "bytes" else utf16_len(text)

    def breach(self, name: str, text: str) -> str | None:
        """Telegram's description of the breach, or None when ``text`` is within the limit."""
        size = self.measure(text.strip() if self.after_parsing else text)
        if size > self.high:
            wording = _TOO_LONG.get((name, self.after_parsing))
            return wording or f"{name} must be at most {self.high} {self.unit} long"
        if size < self.low:
            wording = _TOO_SHORT.get((name, self.after_parsing))
            return wording or f"{name} must be at least {self.low} {self.unit} long"
        return None


class EntityParseError(ValueError):
    """Text Telegram cannot parse in the requested parse mode; the message is Telegram's."""


@dataclass(frozen=True)
class ParsedText:
    """Text as the user sees it, with the entities the markup produced."""

    text: str
    entities: tuple[dict[str, Any], ...] = ()


def parse_text(text: str, parse_mode: str | None) -> ParsedText:
    """Applies a parse mode as Telegram does before measuring and storing a text.

    Markdown modes are not parsed: their text is measured as sent, which can only overstate it.
    """
    if parse_mode is not None and parse_mode.lower() == "html":
        return parse_html(text)
    return ParsedText(text)


@dataclass
class _Open:
    tag: str
    attrs: dict[str, str]
    offset: int  # UTF-16 offset in the output
    start: int  # byte offset in the output, for <a> without href


_SPACES = frozenset(b" \t\r\n\v\0")  # tdlib's is_space counts NUL, our end sentinel


def parse_html(source: str) -> ParsedText:
    """Telegram's HTML parse mode: the plain text and its entities, or ``EntityParseError``.

    A port of tdlib's ``do_parse_html``, byte by byte, so that byte offsets and wording match.
    """
    data = source.encode() + b"\0"
    end = len(data) - 1
    out = bytearray()
    utf16 = 0
    stack: list[_Open] = []
    entities: list[dict[str, Any]] = []
    i = 0
    while i < end:
        c = data[i]
        if c == 0x26:  # '&'
            char, after = _decode_entity(data, i)
            if char:
                if 0xD800 <= char <= 0xDFFF:
                    raise EntityParseError(
                        "Text contains invalid Unicode characters after decoding HTML entities, "
                        "check for unmatched surrogate code units"
                    )
                out += chr(char).encode()
                utf16 += 2 if char > 0xFFFF else 1
                i = after
                continue
        if c != 0x3C:  # not '<'
            if c & 0xC0 != 0x80:
                utf16 += 2 if c >= 0xF0 else 1
            out.append(c)
            i += 1
            continue
        begin = i
        i += 1
        if data[i] != 0x2F:  # start tag
            i, opened = _start_tag(data, begin, i)
            opened.offset, opened.start = utf16, len(out)
            stack.append(opened)
            continue
        if not stack:
            raise EntityParseError(f"Unexpected end tag at byte offset {begin}")
        while data[i] not in _SPACES and data[i] != 0x3E:
            i += 1
        name = data[begin + 2 : i].decode(errors="replace")
        while data[i] in _SPACES and data[i] != 0:
            i += 1
        if data[i] != 0x3E:
            raise EntityParseError(f"Unclosed end tag at byte offset {begin}")
        i += 1
        top = stack.pop()
        if name and name != top.tag:
            raise EntityParseError(
                f'Unmatched end tag at byte offset {begin}, expected "</{top.tag}>", '
                f'found "</{name}>"'
            )
        if utf16 > top.offset:
            entity = _entity(top, utf16 - top.offset, out)
            last = entities[-1] if entities else None
            if (  # <pre><code class="language-x"> is one "pre" entity with a language
                entity is not None
                and entity["type"] == "pre"
                and last is not None
                and last["type"] == "code"
                and "language" in last
                and (last["offset"], last["length"]) == (entity["offset"], entity["length"])
            ):
                last["type"] = "pre"
            elif entity is not None:
                entities.append(entity)
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"')
    for entity in entities:
        if entity["type"] == "code":
            entity.pop("language", None)
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return ParsedText(out.decode(), tuple(entities))


def _start_tag(data: bytes, begin: int, i: int) -> tuple[int, _Open]:
    while data[i] not in _SPACES and data[i] != 0x3E:
        i += 1
    if data[i] == 0:
        raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
    tag = data[begin + 1 : i].decode(errors="replace").lower()
    if tag not in HTML_TAGS:
        raise EntityParseError(f'Unsupported start tag "{tag}" at byte offset {begin}')
    attrs: dict[str, str] = {}
    while data[i] != 0x3E:
        while data[i] != 0 and data[i] in _SPACES:
            i += 1
        if data[i] == 0x3E:
            break
        name_begin = i
        while data[i] not in _SPACES and data[i] not in b"=>":
            i += 1
        name = data[name_begin:i].decode(errors="replace")
        if not name:
            raise EntityParseError(
                f'Empty attribute name in the tag "{tag}" at byte offset {begin}'
            )
        while data[i] != 0 and data[i] in _SPACES:
            i += 1
        if data[i] != 0x3D:  # '='
            if tag == "blockquote" and name == "expandable":  # the one valueless attribute
                attrs[name] = ""
                continue
            if data[i] == 0:
                raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
            raise EntityParseError(
                "Expected equal sign in declaration of an attribute of the tag "
                f'"{tag}" at byte offset {begin}'
            )
        i += 1
        while data[i] != 0 and data[i] in _SPACES:
            i += 1
        if data[i] == 0:
            raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
        i, attrs[name] = _attribute_value(data, i)
        if data[i] == 0:
            raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
    if tag == "span" and attrs.get("class") != "tg-spoiler":
        raise EntityParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
    return i + 1, _Open(tag, attrs, 0, 0)


def _attribute_value(data: bytes, i: int) -> tuple[int, str]:
    quote = data[i]
    if quote not in b"'\"":
        # A name token: letters, digits, periods or hyphens; case-insensitive.
        token_begin = i
        while (data[i] < 0x80 and chr(data[i]).isalnum()) or data[i] in b".-":
            i += 1
        if data[i] not in _SPACES and data[i] != 0x3E:
            raise EntityParseError(f"Unexpected end of name token at byte offset {token_begin}")
        return i, data[token_begin:i].decode().lower()
    i += 1
    value = bytearray()
    while data[i] != quote and data[i] != 0:
        if data[i] == 0x26:
            char, after = _decode_entity(data, i)
            if char:
                value += chr(char).encode(errors="replace")
                i = after
                continue
        value.append(data[i])
        i += 1
    if data[i] == quote:
        i += 1
    return i, value.decode(errors="replace")


def _decode_entity(data: bytes, pos: int) -> tuple[int, int]:
    """tdlib's ``decode_html_entity``: (code point, next position), or (0, pos) if none."""
    end = pos + 1
    if data[end] == 0x23:  # '#': a numeric character reference
        end += 1
        digits = b"0123456789abcdefABCDEF" if data[end] == 0x78 else b"0123456789"
        base = 16 if data[end] == 0x78 else 10
        if base == 16:
            end += 1
        start = end
        while data[end] in digits and data[end] != 0:
            end += 1
        code = int(data[start:end], base) if end > start else 0
        if code == 0 or code >= 0x10FFFF or end - pos >= 10:
            return 0, pos
    else:
        while data[end] < 0x80 and chr(data[end]).isalpha():
            end += 1
        named = {b"lt": 0x3C, b"gt": 0x3E, b"amp": 0x26, b"quot": 0x22}
        code = named.get(data[pos + 1 : end], 0)
        if code == 0:
            return 0, pos
    return code, end + 1 if data[end] == 0x3B else end


def _entity(opened: _Open, length: int, out: bytearray) -> dict[str, Any] | None:
    kind = _ENTITY_TYPES[opened.tag]
    entity: dict[str, Any] = {"type": kind, "offset": opened.offset, "length": length}
    attrs = opened.attrs
    if kind == "text_link":
        url = attrs.get("href") or out[opened.start :].decode(errors="replace")
        if not url:
            return None
        entity["url"] = url
    elif kind == "code" and attrs.get("class", "").startswith("language-"):
        entity["language"] = attrs["class"][len("language-") :]
    elif kind == "blockquote" and "expandable" in attrs:
        entity["type"] = "expandable_blockquote"
    elif kind == "custom_emoji":
        emoji_id = attrs.get("emoji-id", "")
        if not emoji_id.isdigit() or not 0 < int(emoji_id) < 2**63:
            raise EntityParseError("Invalid custom emoji identifier specified")
        entity["custom_emoji_id"] = emoji_id
    elif kind == "date_time":
        unix = attrs.get("unix", "")
        entity["unix_time"] = int(unix) if unix.isdigit() else 0
    return entity


Problem = tuple[str, str]  # (rule, Telegram's description without "Bad Request: ")
Check = Callable[[Mapping[str, Any]], "Problem | None"]


def check_semantics(name: str, value: Mapping[str, Any]) -> Problem | None:
    """Limits of one object or method call that its field types alone do not express.

    Args:
        name: A type name (``InlineKeyboardMarkup``) or a method name (``setMyCommands``).
        value: The object's or call's already type-checked fields.
    """
    check = _CHECKS.get(name)
    return check(value) if check is not None else None


def _rows(field: str, *, need_rows: bool) -> Check:
    def check(value: Mapping[str, Any]) -> Problem | None:
        rows = value.get(field, [])
        if need_rows and not rows:
            return "keyboard", "keyboard must be non-empty"
        for index, row in enumerate(rows):
            if not row:
                return "keyboard", f"{field}[{index}]: keyboard rows must be non-empty"
        return None

    return check


def _command(value: Mapping[str, Any]) -> Problem | None:
    if not COMMAND_RE.fullmatch(value.get("command", "")):
        return "command", "BOT_COMMAND_INVALID"
    return None


def _commands(value: Mapping[str, Any]) -> Problem | None:
    if len(value.get("commands", [])) > MAX_COMMANDS:
        return "commands", f"too many commands: at most {MAX_COMMANDS} can be set"
    return None


def _chat_action(value: Mapping[str, Any]) -> Problem | None:
    if value.get("action") not in CHAT_ACTIONS:
        return "chat_action", "wrong parameter action in request"
    return None


def _webhook(value: Mapping[str, Any]) -> Problem | None:
    secret = value.get("secret_token")
    if secret is not None and not SECRET_TOKEN_RE.fullmatch(secret):
        return "secret_token", "secret token contains unallowed characters"
    url = value.get("url", "")
    if url and not url.startswith(("https://", "http://")):
        return "webhook_url", "bad webhook: HTTPS url must be provided for webhook"
    return None


_CHECKS: dict[str, Check] = {
    "InlineKeyboardMarkup": _rows("inline_keyboard", need_rows=False),
    "ReplyKeyboardMarkup": _rows("keyboard", need_rows=True),
    "BotCommand": _command,
    "setMyCommands": _commands,
    "sendChatAction": _chat_action,
    "setWebhook": _webhook,
}
