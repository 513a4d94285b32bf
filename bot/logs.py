"""Logging for ``nianbao run``: plain lines or one JSON object per line, secrets never written.

What the code logs is ids, counts, kinds and exception types, never what people typed. On top
of that a filter on the handler replaces the bot token and the webhook secret wherever they
would appear (a Bot API URL in an exception, say) before anything is formatted.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, TextIO

from .config import Settings

REDACTED = "[redacted]"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
# Never below these levels, whatever LOG_LEVEL says: httpx would print request URLs (the token
# is part of every Bot API URL), python-telegram-bot at DEBUG prints whole updates (what people
# typed), aiohttp's access log a line per webhook request (the reverse proxy keeps those).
QUIET_LOGGERS = {
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "alembic": logging.WARNING,
    "telegram": logging.INFO,
    "aiohttp.access": logging.WARNING,
}
_RESERVED = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class Redact(logging.Filter):
    """Replaces each secret in a record's message and traceback by ``[redacted]``."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        # Longest first, so that a secret containing another is replaced whole.
        self.secrets = sorted({s for s in secrets if len(s) >= 8}, key=len, reverse=True)

    def scrub(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        record.msg = self.scrub(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = self.scrub(record.stack_info)
        return True


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message"}``, plus ``exception`` and any ``extra=`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _RESERVED and not key.startswith("_"):
                entry[key] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(settings: Settings, stream: TextIO | None = None) -> logging.Handler:
    """Route every log record to ``stream`` (stderr) in the configured format; returns the handler.

    Replaces the root logger's handlers, so calling it twice does not print lines twice.
    """
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(
        JsonFormatter() if settings.log_format == "json" else logging.Formatter(TEXT_FORMAT)
    )
    handler.addFilter(Redact([settings.token, settings.webhook_secret.get_secret_value()]))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    for name, level in QUIET_LOGGERS.items():
        logging.getLogger(name).setLevel(max(level, root.level))
    return handler
