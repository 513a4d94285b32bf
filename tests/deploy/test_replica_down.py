"""Webhook replicas die while users answer: the others carry on, and nothing is lost.

Three ``nianbao run`` processes in webhook mode share one PostgreSQL database behind the local
Bot API server's round-robin (``balance_webhooks``). While thirty users fill in their reports,
one replica at a time is killed with SIGKILL at a random moment and started again a little later,
six times. The "load balancer" keeps giving a dead replica its turn; an update it cannot post
there is posted again to the next replica, as Telegram retries an update that was not accepted.
An update a killed replica had saved but not answered comes back through another replica: the
database recognises it, and the user, who saw no reply, sends /report as a person would
(``tests/faults/harness.py``).

Afterwards the database holds exactly what each user saw acknowledged (each answer applied
once), every user resumes at the right question, and no reply was sent twice for one update.
"""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

import pytest

from bot.localapi import LocalBotApi
from tests.faults.botprocess import BotProcess, bot_env, left_behind
from tests.faults.harness import (
    Filler,
    applied_counts,
    check_stored,
    duplicate_sends,
    finish,
    seed_from_env,
)
from tests.pgserver import PgServer

from .conftest import free_port, run_nianbao

REPLICAS = 3
USERS = 30
KILLS = 6
SECRET = "replica-down-secret_0123456789"


# aiohttp's multipart reader in the local server (a document from another process).
@pytest.mark.filterwarnings("ignore:unread_data:DeprecationWarning")
async def test_replicas_killed_midway_lose_and_repeat_nothing(
    pg_server: PgServer | None, pg_url: str, tmp_path: Path
) -> None:
    seed = seed_from_env()
    print(f"replica test seed: {seed} (NIANBAO_FAULT_SEED={seed} to repeat it)")
    rng = random.Random(seed)
    server = LocalBotApi(balance_webhooks=True, webhook_timeout=10.0)
    await server.start()
    base = bot_env(server, pg_url, WEBHOOK_SECRET=SECRET, HOST="127.0.0.1")
    code, _, err = await run_nianbao(["migrate"], base, tmp_path)
    assert code == 0, err
    replicas = []
    for i in range(REPLICAS):
        port = free_port()
        webhook = {"PORT": str(port), "WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram"}
        replicas.append(BotProcess({**base, **webhook}, tmp_path, tmp_path / f"r{i}.log"))
    users = [
        Filler(server.user(8000 + i, f"用户{i}"), random.Random(rng.random()), 10**6)
        for i in range(USERS)
    ]
    stopping = False
    tasks: list[asyncio.Task[None]] = []
    try:
        for replica in replicas:
            await replica.start()
        await asyncio.gather(*(r.wait_started() for r in replicas))
        tasks = [asyncio.create_task(u.run(lambda: stopping, patience=10)) for u in users]
        for _ in range(KILLS):
            victim = rng.choice(replicas)
            await asyncio.sleep(rng.uniform(0.5, 2.0))
            await victim.kill()  # SIGKILL: whatever it was doing, mid-update or not
            await asyncio.sleep(rng.uniform(0.2, 1.5))  # the others carry the load meanwhile
            await victim.start()
            await victim.wait_started()
        await asyncio.sleep(2.0)
        stopping = True
        await finish(users, tasks, 120)
        for user in users:  # /report shows the question each user's copy is at
            user.needs_probe = True
        await finish(users, [asyncio.create_task(u.run(lambda: True)) for u in users], 60)
        assert [await r.stop() for r in replicas] == [0] * REPLICAS
        accepted = server.webhook_accepted()
    finally:
        for task in tasks:
            task.cancel()
        for replica in replicas:
            if replica.proc is not None:
                await replica.kill()
        await server.stop()
    server.assert_no_violations()

    # The killed replicas' render workers noticed and left: nothing of them keeps running.
    assert await left_behind("DATABASE_URL", pg_url) == []
    assert len({url for url, _ in accepted}) == REPLICAS  # the round-robin reached all three
    assert duplicate_sends(users) == []
    await check_stored(pg_url, users)
    applied, in_doubt = applied_counts(users)
    print(
        f"{len(accepted)} updates accepted by {len({u for u, _ in accepted})} replicas; "
        f"{KILLS} kills; {applied} answers applied, {in_doubt} of them settled by /report; "
        f"{sum(len(u.timeouts) for u in users)} replies waited for in vain"
    )
    assert applied >= 3 * USERS  # real work was done between the kills (a floor, not a speed)
