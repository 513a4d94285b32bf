"""Rules read from api.json, and Telegram's HTML parse mode."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from bot.localapi import ApiError, ApiSpec, Upload, default_spec
from bot.localapi.limits import MAX_COMMANDS, EntityParseError, LengthLimit, parse_html, utf16_len

FIXTURE = Path(__file__).parents[1] / "fixtures" / "telegram-bot-api"


def test_the_shipped_spec_is_the_test_fixture() -> None:
    shipped = resources.files("bot.localapi")
    for name in ("api.json", "LICENSE"):
        assert shipped.joinpath(name).read_bytes() == (FIXTURE / name).read_bytes()


def test_limits_and_rules_come_from_the_descriptions() -> None:
    spec = default_spec()
    assert spec.method("SendMessage") is spec.methods["sendmessage"]
    text = spec.methods["sendmessage"].fields["text"].limit
    assert text == LengthLimit(1, 4096, "characters", after_parsing=True)
    button = spec.types["InlineKeyboardButton"]
    assert button.fields["callback_data"].limit == LengthLimit(1, 64, "bytes", False)
    assert button.one_of is not None and button.one_of.exactly
    assert {"text", "icon_custom_emoji_id", "style"}.isdisjoint(button.one_of.fields)
    assert {"url", "callback_data", "pay"} <= button.one_of.fields
    assert spec.types["KeyboardButton"].string_allowed
    # The spec of this version says 1-256 (older documentation said 3-256).
    assert spec.types["BotCommand"].fields["description"].limit == LengthLimit(
        1, 256, "characters", False
    )
    commands = spec.methods["setmycommands"].fields["commands"].description
    assert f"At most {MAX_COMMANDS} commands" in commands


def test_abstract_types_are_told_apart_by_their_type_field() -> None:
    spec = default_spec()
    scope = spec.validate_object("BotCommandScope", {"type": "chat", "chat_id": 5})
    assert scope == {"type": "chat", "chat_id": 5}
    with pytest.raises(ApiError, match="must be one of"):
        spec.validate_object("MenuButton", {"type": "nonsense"})
    with pytest.raises(ApiError, match="required"):
        spec.validate_object("BotCommandScope", {"type": "chat"})


def test_an_attached_file_is_resolved_and_counted() -> None:
    spec = default_spec()
    media = [{"type": "document", "media": "attach://report"}]
    upload = Upload("年报.docx", "application/octet-stream", b"x", 1)
    _, values = spec.validate_call(
        "sendMediaGroup", {"chat_id": 1, "media": media, "report": upload}
    )
    assert values["report"] is upload
    with pytest.raises(ApiError, match='unknown parameter "stray"'):
        spec.validate_call("sendMediaGroup", {"chat_id": 1, "media": media, "stray": upload})


def test_a_spec_can_be_loaded_from_a_file() -> None:
    assert ApiSpec.load(FIXTURE / "api.json").version == default_spec().version


def test_utf16_length() -> None:
    assert (utf16_len("年报"), utf16_len("😀"), utf16_len("e\u0301")) == (2, 2, 2)


def test_html_becomes_text_and_entities() -> None:
    parsed = parse_html(
        '😀<b>粗</b> &lt;&amp;&gt;&quot; &#20320;&#x597D; &nbsp; <a href="https://x.org/?a=1&amp;b=2">链</a>'
        '<span class="tg-spoiler">隐</span><pre><code class="language-python">x</code></pre>'
        "<blockquote expandable>引</blockquote>"
    )
    assert parsed.text == '😀粗 <&>" 你好 &nbsp; 链隐x引'
    assert parsed.entities == (
        {"type": "bold", "offset": 2, "length": 1},
        {"type": "text_link", "offset": 19, "length": 1, "url": "https://x.org/?a=1&b=2"},
        {"type": "spoiler", "offset": 20, "length": 1},
        {"type": "pre", "offset": 21, "length": 1, "language": "python"},
        {"type": "expandable_blockquote", "offset": 22, "length": 1},
    )


@pytest.mark.parametrize(
    ("html", "message"),
    [  # tdlib's own wording and byte offsets
        ("<br>", 'Unsupported start tag "br" at byte offset 0'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("x <b", "Unclosed start tag at byte offset 2"),
        ("<a href", 'Unclosed start tag "a" at byte offset 0'),
        ('<a href="x"', "Unclosed start tag at byte offset 0"),
        ('<a ="x">y</a>', 'Empty attribute name in the tag "a" at byte offset 0'),
        ("<a href=x/>y</a>", "Unexpected end of name token at byte offset 8"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ('<tg-emoji emoji-id="x">y</tg-emoji>', "Invalid custom emoji identifier specified"),
        ("&#xD800;", "Text contains invalid Unicode characters after decoding HTML entities"),
    ],
)
def test_html_telegram_refuses(html: str, message: str) -> None:
    with pytest.raises(EntityParseError) as refused:
        parse_html(html)
    assert str(refused.value).startswith(message)


@pytest.mark.parametrize("html", ["a > b", "<b>x</>", "&unknown; & &", "<i></i>", "<B>x</b>"])
def test_html_telegram_accepts(html: str) -> None:
    parse_html(html)
