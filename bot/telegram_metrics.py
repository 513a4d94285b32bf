"""The python-telegram-bot side of ``bot/metrics.py``: update kinds (failed Bot API calls are
counted by the transport, ``bot/http.py``)."""

from __future__ import annotations

from telegram import Update

from . import metrics


def update_kind(update: object) -> str:
    """``command``, ``text``, ``button``, ``document`` or ``other``."""
    if not isinstance(update, Update):
        return "other"
    if update.callback_query is not None:
        return "button"
    message = update.message
    if message is None:
        return "other"
    if message.document is not None:
        return "document"
    if message.text is not None:
        return "command" if message.text.startswith("/") else "text"
    return "other"


def update_handled(update: object, seconds: float) -> None:
    """One update processed (all its replies sent) in ``seconds``."""
    metrics.update_handled(update_kind(update), seconds)
