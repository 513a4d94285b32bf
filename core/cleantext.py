"""What may be kept of a text people send: invisible and unstorable characters removed.

Telegram passes on almost anything a client puts in a message or a profile name. Some of it
cannot be stored (PostgreSQL refuses NUL in text; a lone surrogate cannot be encoded as UTF-8),
and some of it must not reach a published report: control characters, and the bidirectional
overrides and isolates that make a printed name read differently from what it is.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL and C1 controls; surrogates (only ever lone in a str);
# bidirectional marks, embeddings, overrides and isolates; zero-width space, word joiner and
# the byte order mark; and the noncharacters U+FDD0-U+FDEF, U+FFFE and U+FFFF. Zero-width
# (non-)joiners stay: emoji and some scripts need them.
_UNWANTED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff"
    "\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\ufdd0-\ufdef\ufffe\uffff]"
)


def clean_text(text: str) -> str:
    """``text`` with line breaks as ``\\n`` and the characters above removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNWANTED.sub("", text)
