"""An update delivered twice is handled once.

Telegram delivers an update again when it is not sure the bot received it (a long poll whose
answer was lost, a webhook that timed out), and so does the local Bot API server's fault
injection. Answers that change a report are idempotent in the store (``processed_updates``), but
everything else (a refused input, /status, /mute, an upload's check) would be answered twice.
A handler in the first group drops an update whose id this process has already seen; after a
restart the store still recognises the answers it applied (``Service`` asks it).
"""

from __future__ import annotations

import logging
from collections import deque
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes, TypeHandler

log = logging.getLogger(__name__)
GROUP = -100  # before every other handler, /mute and /deadline (group -1) included
KEEP = 20_000  # update ids remembered: minutes of traffic; Telegram redelivers within seconds


class SeenUpdates:
    """The most recent ``keep`` update ids, in arrival order."""

    def __init__(self, keep: int = KEEP) -> None:
        self._order: deque[int] = deque()
        self._ids: set[int] = set()
        self._keep = keep

    def first_time(self, update_id: int) -> bool:
        """Records ``update_id``; False when it was recorded before."""
        if update_id in self._ids:
            return False
        self._ids.add(update_id)
        self._order.append(update_id)
        if len(self._order) > self._keep:
            self._ids.discard(self._order.popleft())
        return True


def add_dedup(app: Application[Any, Any, Any, Any, Any, Any]) -> SeenUpdates:
    """Registers the handler that stops a repeated update before any other handler sees it."""
    seen = SeenUpdates()

    async def drop_repeated(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not seen.first_time(update.update_id):
            log.info("update %s delivered again; already handled", update.update_id)
            raise ApplicationHandlerStop

    app.add_handler(TypeHandler(Update, drop_repeated), group=GROUP)
    return seen
