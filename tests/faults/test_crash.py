"""Crash recovery: ``nianbao run`` killed with SIGKILL at random moments while 100 people type.

The local Bot API server and the users live in the test process; the bot is a child process
polling it, started again after every kill (the server keeps the updates it has not confirmed,
as Telegram does). Each user keeps a copy of its interview and knows what the bot must answer;
an answer whose reply never came is settled by /report. After 20 kills and a last run the
database must hold exactly what the users saw: every acknowledged answer, each applied once,
and every user at the question their copy says.

The seed is printed; ``NIANBAO_FAULT_SEED=<seed>`` replays the same choices (the kills land on
different work each time: the machine's timing decides what is in flight).
"""

from __future__ import annotations

import asyncio
import os
import random
import re
from pathlib import Path

from bot.localapi import LocalBotApi
from storage import Store
from tests.faults.botprocess import BotProcess, bot_env, left_behind
from tests.faults.harness import Filler, applied_counts, check_stored, finish, seed_from_env

USERS = int(os.environ.get("NIANBAO_CRASH_USERS", "100"))
CRASHES = int(os.environ.get("NIANBAO_CRASHES", "20"))
FINAL = 4.0  # seconds of undisturbed work after the last restart


# The traceback of a worker process whose parent died while spawning it.
ORPHANED_SPAWN = re.compile(
    r"Traceback \(most recent call last\):\n"
    r"(?:  .*\n)*?"  # the frames, indented
    r"  File \"[^\"]*multiprocessing/spawn\.py\", line \d+, in _main\n"
    r"(?:  .*\n)*?"
    r"EOFError: Ran out of input\n"
)


async def test_sigkill_at_random_moments_loses_and_repeats_nothing(
    bot_api: LocalBotApi, database_url: str, tmp_path: Path
) -> None:
    seed = seed_from_env()
    print(f"crash test seed: {seed} (NIANBAO_FAULT_SEED={seed} to repeat it)")
    rng = random.Random(seed)
    store = await Store.open(database_url, auto_migrate=True)  # PostgreSQL needs `migrate`
    await store.close()
    bot = BotProcess(bot_env(bot_api, database_url), tmp_path, tmp_path / "bot.log")
    users = [
        Filler(bot_api.user(800_000 + i, f"填报人{i}"), random.Random(rng.random()), 10**6)
        for i in range(USERS)
    ]
    stopping = False
    await bot.start()
    await bot.wait_started()
    tasks = [asyncio.create_task(u.run(lambda: stopping, patience=60)) for u in users]
    killed_starting = 0
    try:
        for crash in range(CRASHES):
            if crash:
                await bot.start()
            if rng.random() < 0.2:  # during start-up: migrations, getMe, the first poll
                await asyncio.sleep(rng.uniform(0.1, 1.5))
                killed_starting += not bot.started.is_set()
            else:
                await bot.wait_started()
                await asyncio.sleep(rng.uniform(0.1, 2.0))
            await bot.kill()
            for user in users:
                user.interrupt()  # what was in flight may or may not have been applied
                user.sim.chat.changed.fire()
        await bot.start()
        await bot.wait_started()
        await asyncio.sleep(FINAL)
        stopping = True
        await finish(users, tasks, 120)
        for user in users:  # once more: /report shows the question the user's copy is at
            user.needs_probe = True
        await finish(users, [asyncio.create_task(u.run(lambda: True)) for u in users], 60)
        assert await bot.stop() == 0
    finally:
        for task in tasks:
            task.cancel()
        if bot.proc is not None:
            await bot.kill()

    # The killed bots' render workers noticed and left: nothing of them keeps running.
    assert await left_behind("DATABASE_URL", database_url) == []
    await check_stored(database_url, users)
    applied, in_doubt = applied_counts(users)
    print(
        f"{bot.starts} starts, {CRASHES} kills ({killed_starting} during start-up); "
        f"{applied} answers applied, {in_doubt} of them settled by /report; "
        f"{sum(u.probes for u in users)} probes"
    )
    gave_up = [t for u in users for t in u.timeouts]
    assert gave_up == [], gave_up[:5]  # every reply that could come, came
    # The bot did real work between the kills. A floor against a vacuous run, not a speed
    # target (speed is benchmarked): after each kill every user first asks /report, so how much
    # more gets done depends on the machine (about 500-900 answers on two busy cores).
    assert applied >= 3 * USERS
    log = bot.log_text()
    assert bot_api.token not in log and bot_api.token.split(":")[1] not in log
    # A render worker being spawned at the moment its bot is killed cannot read its start-up
    # data from the dead parent and says so on the shared stderr; nothing of the bot's own.
    bot_log = ORPHANED_SPAWN.sub("", log)
    assert "Traceback" not in bot_log, bot_log[-3000:]
