"""Several replicas on one PostgreSQL: no answer lost or applied twice, conflicts retried.

Each replica is a process with its own connection pool; the store's version check and its
record of processed update ids must hold between processes, not only between tasks.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot import metrics
from bot.service import Service, User
from bot.texts import BOT_CONFLICT
from core.interview import Command, Text, step
from storage import Store
from tests.storage.samples import NOW, rich_2021

from .conftest import ROOT, clean_env
from .store_worker import CELL, SHARED_BASE

WORKERS, OWN, SHARED = 3, 15, 10


async def test_three_processes_apply_to_one_report_without_losing_or_repeating(
    pg_url: str,
) -> None:
    async with await Store.open(pg_url, auto_migrate=True) as store:
        agency = await store.create_agency("某某县民政局", now=NOW)
        report = await store.create_report(agency.id, rich_2021(), now=NOW)
        start = report.state.answers.cells[CELL]
        env = clean_env()
        workers = [
            await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "tests.deploy.store_worker",
                pg_url,
                str(report.report_id),
                str(w + 1),
                str(OWN),
                str(SHARED),
                stdout=asyncio.subprocess.PIPE,
                env=env,
                cwd=ROOT,
            )
            for w in range(WORKERS)
        ]
        outputs = [await asyncio.wait_for(w.communicate(), 120) for w in workers]
        assert [w.returncode for w in workers] == [0] * WORKERS
        counts = [json.loads(out) for out, _ in outputs]
        final = await store.load_report(report.report_id)
        history = await store.history(report.report_id)
    total = WORKERS * OWN + SHARED
    # Every update applied exactly once, whichever process got there first.
    assert sum(c["applied"] for c in counts) == total
    assert sum(c["duplicates"] for c in counts) == (WORKERS - 1) * SHARED
    assert final.state.answers.cells[CELL] == start + total
    assert final.version == report.version + total
    steps = [c for c in history if c.key == CELL and c.update_id is not None]
    assert len(steps) == total == len({c.update_id for c in steps})
    assert {c.update_id for c in steps} >= {SHARED_BASE + n for n in range(SHARED)}
    # Consecutive values: no increment was computed from a stale state and kept.
    assert sorted(int(c.new or 0) for c in steps) == list(range(start + 1, start + total + 1))


@pytest.fixture(params=["sqlite", "postgresql"])
async def service_store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    """A migrated store on each backend."""
    url = f"sqlite:///{tmp_path}/nb.db"
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_url")
    async with await Store.open(url, auto_migrate=True) as store:
        yield store


def _conflicts(outcome: str) -> float:
    value = metrics.REGISTRY.get_sample_value(
        "nianbao_update_conflicts_total", {"outcome": outcome}
    )
    return value or 0.0


async def test_an_answer_to_the_question_still_asked_is_retried_on_the_latest_state(
    service_store: Store,
) -> None:
    service = Service(service_store)
    user = User(4001, "张三")
    await service.handle(user, 1, Command("start"))
    [member] = await service_store.memberships(user.id)
    assert member.agency_id is not None
    [stale] = await service_store.reports_of(member.agency_id)
    # Another replica saves in between without moving the interview (as choosing a year does).
    await service_store.apply(stale.report_id, stale.version, stale.state, now=datetime.now(UTC))
    before = _conflicts("retried")
    outs = await service._step(member, stale, Text("某某县档案局"), 2, datetime.now(UTC))
    assert _conflicts("retried") == before + 1
    assert BOT_CONFLICT not in "".join(o.text for o in outs)
    [stored] = await service_store.reports_of(member.agency_id)
    assert stored.state.answers.agency == "某某县档案局"
    assert stored.version == stale.version + 2


async def test_an_answer_to_a_question_no_longer_asked_is_refused(service_store: Store) -> None:
    service = Service(service_store)
    user = User(4002, "李四")
    await service.handle(user, 1, Command("start"))
    [member] = await service_store.memberships(user.id)
    assert member.agency_id is not None
    [stale] = await service_store.reports_of(member.agency_id)
    # A colleague answered the same question first: the interview has moved on.
    moved, _ = step(stale.state, Text("某某县民政局"))
    await service_store.apply(stale.report_id, stale.version, moved, now=datetime.now(UTC))
    before = _conflicts("refused")
    outs = await service._step(member, stale, Text("某某县档案局"), 2, datetime.now(UTC))
    assert _conflicts("refused") == before + 1
    assert outs[0].text == BOT_CONFLICT
    [stored] = await service_store.reports_of(member.agency_id)
    assert stored.state.answers.agency == "某某县民政局"  # the colleague's answer is kept
