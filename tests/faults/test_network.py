"""Network faults: the local Bot API server fails, slows, drops and redelivers, the bot carries on.

Every Bot API call the bot makes (getUpdates, sendMessage, answerCallbackQuery, ...) meets, at
random, a 500, an HTML 502 from a "proxy", a connection closed before or after the server did
the work, a 429 with ``retry_after`` or a slow answer, about 20 % of calls in all; and each update
the bot receives is delivered once more with probability 20 %. Twenty users fill in reports
meanwhile, each knowing what the bot must answer (tests/faults/harness.py); when a reply does
not come they send /report, as a person would.

Afterwards: every user finished, the database holds exactly what each user saw (every answer
acknowledged, each applied once), the bot never sent a message more often than the users'
actions asked for it (an update delivered twice is answered once), and it never broke the Bot
API's rules.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from pathlib import Path

import pytest

from bot.localapi import LocalBotApi
from tests.e2e.phone import running_bot, settings_for
from tests.faults.harness import (
    Filler,
    check_stored,
    duplicate_sends,
    finish,
    seed_from_env,
)

USERS = 20
ACTIONS = 15
# kind -> probability; request faults total about 20 %, each update redelivered with 20 %.
FAULTS = {"500": 0.04, "502": 0.04, "drop": 0.04, "drop_after": 0.04, "429": 0.04}
SLOW, REDELIVER = 0.1, 0.2


async def test_the_bot_recovers_from_network_faults_by_itself(
    bot_api: LocalBotApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # RetryAfter.retry_after as a timedelta
    seed = seed_from_env()
    print(f"network test seed: {seed} (NIANBAO_FAULT_SEED={seed} to repeat it)")
    rng = random.Random(seed)
    bot_api.faults.reseed(seed)
    settings = settings_for(bot_api, tmp_path / "nb.db", reminder_interval=0)
    users = [
        Filler(bot_api.user(900_000 + i, f"用户{i}"), random.Random(rng.random()), ACTIONS)
        for i in range(USERS)
    ]
    async with running_bot(settings):
        for kind, probability in FAULTS.items():
            bot_api.faults.add(kind, probability, retry_after=1)  # type: ignore[arg-type]
        bot_api.faults.add("slow", SLOW, delay=0.3)
        bot_api.faults.add("redeliver", REDELIVER)
        runs = [asyncio.create_task(u.run(lambda: False, patience=6)) for u in users]
        await finish(users, runs, 240)
        bot_api.faults.clear()
        for user in users:  # /report shows the question each user's copy is at
            user.needs_probe = True
        await finish(users, [asyncio.create_task(u.run(lambda: True)) for u in users], 60)

    injected = Counter(kind for _, kind in bot_api.faults.injected)
    print(
        f"faults injected: {dict(injected)}; {sum(len(u.applied) for u in users)} answers "
        f"applied, {sum(u.probes for u in users)} /report, {sum(u.notices for u in users)} "
        f"notices of a reply that may be lost, {sum(u.lost for u in users)} messages lost "
        "before a later one of the same reply"
    )
    assert set(injected) == {*FAULTS, "slow", "redeliver"}
    assert [u.actions for u in users] == [ACTIONS] * USERS  # everyone finished their script
    assert duplicate_sends(users) == []
    await check_stored(settings.database_url, users)
