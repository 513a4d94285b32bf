"""Sending claimed reminders: pacing, 429s, and which failures may be retried."""

from __future__ import annotations

import socket
import time

import aiohttp
import pytest
from aiohttp.client_reqrep import ConnectionKey
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TimedOut

from bot.http import AiohttpRequest
from bot.reminder_send import Pacer, deliver
from storage.reminders import ClaimedReminder, Outcome

KEY = ConnectionKey("127.0.0.1", 1, False, True, None, None, None)


def claimed(n: int) -> list[ClaimedReminder]:
    return [ClaimedReminder(i, i, 1000 + i, f"提醒{i}", 1) for i in range(1, n + 1)]


def wrapped(cause: Exception, error: NetworkError) -> NetworkError:
    error.__cause__ = cause
    return error


async def test_the_pacer_keeps_the_rate() -> None:
    pacer = Pacer(50)
    started = time.monotonic()
    for _ in range(11):
        await pacer.wait()
    assert time.monotonic() - started >= 0.2  # ten intervals of 20 ms


async def test_a_pause_holds_everyone() -> None:
    pacer = Pacer(1000)
    await pacer.wait()
    pacer.pause(0.2)
    started = time.monotonic()
    await pacer.wait()
    assert time.monotonic() - started >= 0.19 and pacer.paused == pytest.approx(0.2, abs=0.05)


async def test_429s_are_waited_out_then_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    calls: list[int] = []

    async def send(chat: int, text: str) -> int:
        calls.append(chat)
        if len(calls) == 2:
            raise RetryAfter(1)
        return len(calls)

    pacer = Pacer(1000)
    started = time.monotonic()
    outcomes = await deliver(claimed(3), send, pacer)
    assert [o.outcome for o in outcomes] == [Outcome.SENT] * 3
    assert sorted(calls) == [1001, 1002, 1002, 1003] and pacer.floods == 1
    assert time.monotonic() - started >= 0.9


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (Forbidden("Forbidden: bot was blocked by the user"), Outcome.FAILED),
        (BadRequest("Chat not found"), Outcome.FAILED),
        # The request may have reached Telegram: never again (at most once).
        (NetworkError("Bad Gateway"), Outcome.FAILED),
        (wrapped(aiohttp.SocketTimeoutError("read"), TimedOut()), Outcome.FAILED),
        (
            wrapped(aiohttp.ServerDisconnectedError(), NetworkError("aiohttp.ServerDisconnected")),
            Outcome.FAILED,
        ),
        # It never left this machine: certainly not sent, so it may be tried again.
        (
            wrapped(
                aiohttp.ClientConnectorError(KEY, OSError(111, "refused")),
                NetworkError("aiohttp.ClientConnectorError"),
            ),
            Outcome.RETRY,
        ),
        (wrapped(aiohttp.ConnectionTimeoutError("pool"), TimedOut("timed out")), Outcome.RETRY),
    ],
)
async def test_failures(
    error: Exception, outcome: Outcome, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.reminder_send.UNREACHABLE_PAUSE", 0.0)

    async def send(chat: int, text: str) -> int:
        raise error

    (found,) = await deliver(claimed(1), send, Pacer(1000))
    assert found.outcome is outcome and found.error


async def test_a_refused_token_stops_everything() -> None:
    sent: list[int] = []

    async def send(chat: int, text: str) -> int:
        if chat == 1001:
            raise InvalidToken("Unauthorized")
        sent.append(chat)
        return 1

    pacer = Pacer(1)  # one at a time: the others are still waiting when the token is refused
    outcomes = await deliver(claimed(3), send, pacer)
    assert [o.outcome for o in outcomes] == [Outcome.RETRY] * 3 and sent == []


async def test_a_refused_connection_is_known_not_sent_over_the_real_transport(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The bot's own transport (bot/http.py) says when a request never left this machine."""
    monkeypatch.setattr("bot.reminder_send.UNREACHABLE_PAUSE", 0.0)
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    request = AiohttpRequest()
    await request.initialize()

    async def send(chat: int, text: str) -> int:
        await request.post(f"http://127.0.0.1:{port}/bot123:abc/sendMessage")
        return 1

    try:
        (found,) = await deliver(claimed(1), send, Pacer(1000))
    finally:
        await request.shutdown()
    assert found.outcome is Outcome.RETRY and found.error and "not sent" in found.error
