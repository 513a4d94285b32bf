"""Sending claimed reminders through the Bot API at a steady rate, with every 429 handled.

Telegram allows a bot about 30 messages per second in bulk; a ``Pacer`` spaces sends at the
configured rate and, on ``429 Too Many Requests``, holds every sender for ``retry_after``. A
reminder is never sent twice: only a definite refusal (429, connection refused) is retried; a
reminder whose fate is unknown (the connection broke after sending) is marked failed.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from telegram import Bot
from telegram.error import (
    BadRequest,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from storage.reminders import ClaimedReminder, Delivery, Outcome

from .http import AiohttpRequest, never_sent

log = logging.getLogger(__name__)

SendFn = Callable[[int, str], Awaitable[int]]
MAX_WORKERS = 64
MAX_FLOOD_WAITS = 10  # 429s for one reminder before it goes back to the queue for a later pass
UNREACHABLE_PAUSE = 5.0  # seconds to hold every sender when the Bot API refuses connections


class Pacer:
    """Spaces calls ``1 / rate`` seconds apart; ``pause`` holds everyone (a 429's retry_after)."""

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        if rate <= 0:
            raise ValueError("the sending rate must be positive")
        self.rate = rate
        self.floods = 0
        self.paused = 0.0
        self._interval = 1.0 / rate
        self._clock = clock
        self._next = 0.0
        self._until = 0.0

    async def wait(self) -> None:
        """Return when this caller may send."""
        while True:
            now = self._clock()
            at = max(now, self._next, self._until)
            self._next = at + self._interval
            if at > now:
                await asyncio.sleep(at - now)
            # A pause that began while this caller slept moves it behind the pause.
            if self._clock() >= self._until:
                return

    def pause(self, seconds: float) -> None:
        """Hold every caller for ``seconds`` from now."""
        until = self._clock() + seconds
        if until > self._until:
            self.paused += until - max(self._until, self._clock())
            self._until = until


def reminder_bot(token: str, base_url: str, base_file_url: str) -> Bot:
    """A ``Bot`` for a reminder pass outside the running bot (``nianbao remind``), on the same
    HTTP transport as the bot (``bot/http.py``), with a connection for every sender."""
    return Bot(
        token,
        base_url=base_url,
        base_file_url=base_file_url,
        request=AiohttpRequest(connection_pool_size=MAX_WORKERS),
    )


def bot_sender(bot: Bot) -> SendFn:
    """Send a plain-text message (nothing in a reminder is markup); returns its message id."""

    async def send(chat_id: int, text: str) -> int:
        message = await bot.send_message(chat_id, text)
        return message.message_id

    return send


@dataclass
class _Run:
    pacer: Pacer
    send: SendFn
    stopped: bool = False


async def deliver(claimed: Sequence[ClaimedReminder], send: SendFn, pacer: Pacer) -> list[Delivery]:
    """Send each claimed reminder once; returns every outcome, in the order given."""
    run = _Run(pacer, send)
    outcomes: dict[int, Delivery] = {}
    queue = list(reversed(claimed))
    workers = max(1, min(len(claimed), MAX_WORKERS, math.ceil(pacer.rate)))

    async def worker() -> None:
        while queue:
            item = queue.pop()
            outcomes[item.id] = await _send_one(run, item)

    await asyncio.gather(*(worker() for _ in range(workers)))
    return [outcomes[c.id] for c in claimed]


async def _send_one(run: _Run, item: ClaimedReminder) -> Delivery:
    floods = 0
    while True:
        if run.stopped:
            return Delivery(item, Outcome.RETRY, error="not sent: sending stopped")
        await run.pacer.wait()
        try:
            message_id = await run.send(item.chat_id, item.text)
        except RetryAfter as exc:
            floods += 1
            run.pacer.floods += 1
            run.pacer.pause(_seconds(exc))
            if floods >= MAX_FLOOD_WAITS:
                return Delivery(item, Outcome.RETRY, error=f"429 {floods} times")
            continue
        except InvalidToken as exc:
            run.stopped = True
            log.error("reminders stopped: the Bot API refused the token (%s)", exc)
            return Delivery(item, Outcome.RETRY, error=f"not sent: {exc}")
        except BadRequest as exc:  # "chat not found": PTB makes it a NetworkError, but it is final
            return Delivery(item, Outcome.FAILED, error=str(exc))
        except NetworkError as exc:
            if never_sent(exc):
                run.pacer.pause(UNREACHABLE_PAUSE)
                return Delivery(item, Outcome.RETRY, error=f"not sent: {exc}")
            # The request may have reached Telegram: sending again could deliver it twice.
            return Delivery(item, Outcome.FAILED, error=f"unknown whether sent: {exc}")
        except TelegramError as exc:  # Forbidden: the user blocked the bot
            return Delivery(item, Outcome.FAILED, error=str(exc))
        return Delivery(item, Outcome.SENT, message_id=message_id)


def _seconds(exc: RetryAfter) -> float:
    # PTB 22 gives an int, or a timedelta with PTB_TIMEDELTA set (the coming default).
    value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
