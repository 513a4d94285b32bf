"""Fault injection: off by default, deterministic with a seed, and felt by a real client."""

from __future__ import annotations

import asyncio
import time

import pytest
from telegram import Bot
from telegram.error import NetworkError, RetryAfter

from bot.localapi import FaultKind, LocalBotApi
from tests.botapi_fixtures import raw_call


def local_bot(server: LocalBotApi) -> Bot:
    return Bot(server.token, base_url=server.base_url, base_file_url=server.base_file_url)


async def statuses(seed: int, count: int) -> list[int]:
    async with LocalBotApi(seed=seed) as server:
        server.faults.add("500", 0.5)
        return [(await raw_call(server, "getMe"))[0] for _ in range(count)]


async def test_the_same_seed_injects_the_same_faults() -> None:
    first = await statuses(7, 30)
    assert first == await statuses(7, 30)
    assert set(first) == {200, 500}
    assert first != await statuses(8, 30)


async def test_no_faults_unless_asked(bot_api: LocalBotApi) -> None:
    assert [(await raw_call(bot_api, "getMe"))[0] for _ in range(20)] == [200] * 20
    assert bot_api.faults.injected == []


async def test_429_carries_retry_after_for_the_chosen_method(
    bot_api: LocalBotApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PTB 22 warns about RetryAfter.retry_after's coming type unless opted in to timedelta.
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    bot_api.user(5001, "郑一")
    bot_api.faults.add("429", 1.0, methods=["sendMessage"], retry_after=3)
    status, body = await raw_call(bot_api, "sendMessage", json={"chat_id": 5001, "text": "好"})
    assert (status, body["parameters"]) == (429, {"retry_after": 3})
    assert body["description"] == "Too Many Requests: retry after 3"
    async with local_bot(bot_api) as bot:  # getMe is not affected
        with pytest.raises(RetryAfter):
            await bot.send_message(5001, "好")
    assert bot_api.faults.injected == [("sendMessage", "429")] * 2
    assert bot_api.errors == []  # injected faults are not the bot's doing


@pytest.mark.parametrize("kind", ["500", "502", "drop"])
async def test_server_errors_and_dropped_connections(bot_api: LocalBotApi, kind: FaultKind) -> None:
    bot_api.user(5002, "王二")
    async with local_bot(bot_api) as bot:
        bot_api.faults.add(kind, 1.0)
        with pytest.raises(NetworkError):
            await bot.send_message(5002, "好")
        bot_api.faults.clear()
    assert bot_api.user(5002, "王二").messages == []


async def test_a_lost_answer_still_sent_the_message(bot_api: LocalBotApi) -> None:
    user = bot_api.user(5003, "冯三")
    async with local_bot(bot_api) as bot:
        bot_api.faults.add("drop_after", 1.0, methods=["sendMessage"])
        with pytest.raises(NetworkError):
            await bot.send_message(5003, "到了吗")
    assert [m.text for m in user.messages] == ["到了吗"]


async def test_slow_answers(bot_api: LocalBotApi) -> None:
    bot_api.faults.add("slow", 1.0, methods=["getMe"], delay=0.2)
    started = time.monotonic()
    status, _ = await raw_call(bot_api, "getMe")
    assert status == 200 and time.monotonic() - started >= 0.2


async def test_updates_can_be_redelivered(bot_api: LocalBotApi) -> None:
    user = bot_api.user(5004, "陈四")
    first = await user.send("一")
    bot_api.faults.add("redeliver", 1.0)
    assert (await raw_call(bot_api, "getUpdates", json={"offset": 0}))[1]["result"] == [first]
    again = await raw_call(bot_api, "getUpdates", json={"offset": first["update_id"] + 1})
    assert again[1]["result"] == [first]
    bot_api.faults.clear()
    second = await user.send("二")
    after = await raw_call(bot_api, "getUpdates", json={"offset": first["update_id"] + 1})
    assert after[1]["result"] == [first, second]  # the one redelivered last time, then new
    assert second["update_id"] == first["update_id"] + 1


async def test_redeliver_by_hand_resends_the_same_update(bot_api: LocalBotApi) -> None:
    user = bot_api.user(5005, "褚五")
    update = await user.send("一")
    await raw_call(bot_api, "getUpdates", json={"offset": 0})
    await raw_call(bot_api, "getUpdates", json={"offset": update["update_id"] + 1, "timeout": 0})
    assert await bot_api.redeliver(update["update_id"]) == update
    poll = asyncio.create_task(
        raw_call(bot_api, "getUpdates", json={"offset": update["update_id"] + 1})
    )
    assert (await poll)[1]["result"] == [update]
