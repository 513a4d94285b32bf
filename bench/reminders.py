"""10,000 reminders through the local Bot API server with 429s injected: none lost, none twice.

Run: ``python -m bench.reminders [--count 10000] [--rate 25] [--p429 0.01] [--retry-after 1]
[--passes 2] [--backend sqlite|postgresql]``. The database holds ``count`` agency members
(five per agency, no office: the statutory deadline, 31 January 2026, a Saturday, so the "on the
day" reminder moves to Friday 30 January). ``passes`` reminder passes run at once at
2026-01-30 09:00, each with its own store (connection pool, and on SQLite its own writer
thread), as separate bot processes would, each sending at ``rate / passes`` per second, so
together at ``rate``. ``sendMessage`` answers 429 (``retry_after``) with probability ``p429``.
Afterwards every simulated user must hold exactly one message and every stored reminder must be
``sent`` with its message id. At the default 25 per second the run takes about seven minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.engine import Connection
from telegram import Bot

from bot.localapi import LocalBotApi
from bot.reminder_send import bot_sender, reminder_bot
from bot.reminders import PassReport, run_pass
from core.deadlines import CHINA
from storage import Role, Store
from storage import directory as D
from storage.reminders import Outcome, ReminderStatus
from tests.pgserver import SKIP_REASON, throwaway_postgres

AT = datetime(2026, 1, 30, 9, 0, tzinfo=CHINA)
SEEDED = datetime(2025, 12, 1, 2, 0, tzinfo=UTC)
PER_AGENCY = 5
FIRST_USER = 10**9


async def seed(store: Store, count: int) -> None:
    """``count`` members, five per agency, in one transaction."""

    def work(conn: Connection) -> None:
        agency_id = 0
        for n in range(count):
            if n % PER_AGENCY == 0:
                agency_id = D.insert_agency(conn, f"单位{n // PER_AGENCY}", "", None, {}, SEEDED).id
            D.insert_member(conn, FIRST_USER + n, f"成员{n}", Role.FILLER, agency_id, None, SEEDED)

    await store._write(work)


async def run(
    url: str, count: int, rate: float, p429: float, retry_after: int, passes: int
) -> float:
    """One broadcast; the seconds it took to send everything."""
    server = LocalBotApi(seed=1)
    await server.start()
    stores = [await Store.open(url, auto_migrate=True) for _ in range(passes)]
    try:
        t0 = time.perf_counter()
        await seed(stores[0], count)
        for n in range(count):
            server.user(FIRST_USER + n, f"成员{n}")
        print(f"  seeded {count} members in {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        dry = await run_pass(stores[0], AT, dry_run=True)
        decided = time.perf_counter() - t0
        print(f"  dry run: {len(dry.due)} due, decided in {decided:.2f} s")
        server.faults.add("429", p429, methods=["sendMessage"], retry_after=retry_after)
        bot = reminder_bot(server.token, server.base_url, server.base_file_url)
        async with bot:
            t0 = time.perf_counter()
            timed = await asyncio.gather(
                *(timed_pass(store, bot, rate / passes) for store in stores)
            )
            seconds = time.perf_counter() - t0
        reports = [r for r, _ in timed]
        # Each pass's own rate outside its 429 pauses; together they share the configured rate.
        steady = sum(r.count(Outcome.SENT) / (took - r.paused - decided) for r, took in timed)
        check(server, count, reports, seconds, steady, rate)
        records = await stores[0].reminder_records()
        statuses = {r.status for r in records}
        assert len(records) == count and statuses == {ReminderStatus.SENT}, statuses
        assert all(r.message_id is not None and r.attempts == 1 for r in records)
        print("  database: every reminder sent at the first claim, with its message id")
    finally:
        for store in stores:
            await store.close()
        await server.stop()
    assert not server.violations, server.violations[:3]
    return seconds


async def timed_pass(store: Store, bot: Bot, rate: float) -> tuple[PassReport, float]:
    t0 = time.perf_counter()
    report = await run_pass(store, AT, send=bot_sender(bot), rate=rate)
    return report, time.perf_counter() - t0


def check(
    server: LocalBotApi,
    count: int,
    reports: list[PassReport],
    seconds: float,
    steady: float,
    rate: float,
) -> None:
    """Every user got exactly one message; print the rates."""
    got = [len(server.user(FIRST_USER + n, "").messages) for n in range(count)]
    lost, twice = got.count(0), sum(1 for g in got if g > 1)
    sent = sum(r.count(Outcome.SENT) for r in reports)
    floods = sum(r.floods for r in reports)
    injected = len(server.faults.injected)
    paused = " + ".join(f"{r.paused:.0f}" for r in reports)
    print(
        f"  {passes_text(reports)}: {sent} sent in {seconds:.1f} s ({sent / seconds:.1f}/s; "
        f"{steady:.1f}/s outside 429 pauses; configured {rate:g}/s)"
    )
    print(f"  429s injected: {injected}, waited out: {floods} (pauses {paused} s per pass)")
    print(f"  lost: {lost}, sent twice: {twice}")
    assert lost == 0 and twice == 0 and sent == count
    assert floods == injected, (floods, injected)


def passes_text(reports: list[PassReport]) -> str:
    return " + ".join(str(r.count(Outcome.SENT)) for r in reports) + " per pass"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.reminders")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=25.0, help="messages per second, in all")
    parser.add_argument("--p429", type=float, default=0.01)
    parser.add_argument("--retry-after", type=int, default=1)
    parser.add_argument("--passes", type=int, default=2, help="concurrent passes (processes)")
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument(
        "--doubling-rate",
        type=float,
        default=200.0,
        help="then count/2 and count reminders at this faster rate (0: skip)",
    )
    args = parser.parse_args(argv if argv is not None else [])
    # PTB 22 warns on every RetryAfter unless it may use timedelta (its coming default).
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    print(
        f"reminders benchmark: {args.count} reminders, {args.passes} passes, "
        f"{args.rate:g}/s, 429 with p={args.p429:g} (retry_after {args.retry_after} s), "
        f"{args.backend}"
    )
    rest = (args.p429, args.retry_after, args.passes)
    scenarios = [(args.count, args.rate)]
    if args.doubling_rate:
        scenarios += [(args.count // 2, args.doubling_rate), (args.count, args.doubling_rate)]
    took = [broadcast(args.backend, count, rate, rest) for count, rate in scenarios]
    if args.doubling_rate and None not in took:
        small, large = took[1], took[2]
        assert small is not None and large is not None
        print(
            f"doubling {args.count // 2} → {args.count} reminders at {args.doubling_rate:g}/s: "
            f"{small:.1f} → {large:.1f} s (×{large / small:.2f})"
        )


def broadcast(backend: str, count: int, rate: float, rest: tuple[float, int, int]) -> float | None:
    """One run on a fresh database; its seconds (None when PostgreSQL is not installed)."""
    print(f"- {count} reminders at {rate:g}/s")
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="nianbao-bench-") as tmp:
            return asyncio.run(run(f"sqlite:///{tmp}/bench.db", count, rate, *rest))
    with throwaway_postgres() as server:
        if server is None:
            print(f"PostgreSQL: skipped ({SKIP_REASON})")
            return None
        return asyncio.run(run(server.create_database("bench"), count, rate, *rest))


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
