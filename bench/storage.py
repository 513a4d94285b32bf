"""Storage under 100 concurrent writers: each records answers on its own report.

Run: ``python -m bench.storage [--writers 100] [--steps 20] [--think-ms 1000] [--burst] …``.
Every writer repeats the bot's step: load the report, change some answers, ``apply()``; it then
"thinks" for a random 0..2×think-ms before its next answer (a fast typist on a phone needs a
second or more per answer). Writers start at random moments within the first pause, or with
``--burst`` all at the same instant. PostgreSQL is a throwaway local server
(``tests/pgserver.py``) when its binaries are installed. Target: p99 under 20 ms on SQLite.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from core.interview import State, new_state
from storage import Store
from tests.pgserver import SKIP_REASON, throwaway_postgres

COLUMNS = ("natural", "business", "research", "nonprofit", "legal", "other_org")
ROWS = (
    "new",
    "carried_in",
    "granted",
    "partial",
    "denied_secret",
    "unavailable_not_held",
    "rejected_repeat",
    "other_other",
    "carried_out",
)
TEXT = "本年度，我局严格落实《中华人民共和国政府信息公开条例》，主动公开政府信息。\n" * 8


@dataclass
class Timings:
    """Milliseconds per operation."""

    load: list[float] = field(default_factory=list)
    apply: list[float] = field(default_factory=list)
    step: list[float] = field(default_factory=list)


def answer(state: State, n: int, rng: random.Random) -> State:
    """The n-th answer of a writer: a table row, an amount in 万元 or a narrative text."""
    answers = state.answers
    if n % 5 == 3:
        answers = answers.with_text("overview", TEXT + str(n))
        current = "overview"
    elif n % 5 == 4:
        amount = Decimal(rng.randrange(0, 10**6)) / 10**4
        answers = answers.with_cells({"proactive.fees.amount": amount})
        current = "proactive.fees"
    else:
        row = ROWS[n % len(ROWS)]
        values = {f"requests.{row}.{c}": rng.randrange(0, 300) for c in COLUMNS}
        answers = answers.with_cells(values)
        current = f"requests.{row}"
    return state.evolve(answers=answers, current=current, trail=(*state.trail, state.current))


async def writer(
    store: Store,
    report_id: int,
    steps: int,
    think_ms: float,
    start: asyncio.Event,
    out: Timings,
    seed: int,
    burst: bool,
) -> None:
    rng = random.Random(seed)
    await start.wait()
    if not burst:
        await asyncio.sleep(rng.uniform(0, 2 * think_ms) / 1000)
    for n in range(steps):
        t0 = time.perf_counter()
        report = await store.load_report(report_id)
        t1 = time.perf_counter()
        new = answer(report.state, n, rng)
        t2 = time.perf_counter()
        update_id = seed * 10_000 + n
        await store.apply(
            report_id, report.version, new, now=datetime.now(UTC), update_id=update_id
        )
        t3 = time.perf_counter()
        out.load.append((t1 - t0) * 1000)
        out.apply.append((t3 - t2) * 1000)
        out.step.append((t3 - t0) * 1000)
        await asyncio.sleep(rng.uniform(0, 2 * think_ms) / 1000)


async def run(
    url: str, writers: int, steps: int, think_ms: float, burst: bool
) -> tuple[Timings, float]:
    """Timings of every step and the wall time of the whole run in seconds."""
    store = await Store.open(url, auto_migrate=True)
    try:
        now = datetime.now(UTC)
        office = await store.create_office("基准测试协调办", now=now)
        reports = []
        for i in range(writers):
            agency = await store.create_agency(f"基准单位{i:03d}", now=now, office_id=office.id)
            state = new_state(now.date(), year=2026, agency=agency.name)
            reports.append((await store.create_report(agency.id, state, now=now)).report_id)
        timings = Timings()
        start = asyncio.Event()
        tasks = [
            asyncio.create_task(
                writer(store, rid, steps, think_ms, start, timings, seed=i + 1, burst=burst)
            )
            for i, rid in enumerate(reports)
        ]
        t0 = time.perf_counter()
        start.set()
        await asyncio.gather(*tasks)
        return timings, time.perf_counter() - t0
    finally:
        await store.close()


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def report(name: str, timings: Timings, seconds: float) -> None:
    n = len(timings.apply)
    print(f"{name}: {n} steps in {seconds:.1f} s ({n / seconds:.0f} answers/s)")
    for op in ("load", "apply", "step"):
        ms: list[float] = getattr(timings, op)
        print(
            f"  {op:<5} p50 {statistics.median(ms):6.2f} ms   p99 {percentile(ms, 0.99):6.2f} ms"
            f"   max {max(ms):6.2f} ms"
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.storage")
    parser.add_argument("--writers", type=int, default=100)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--think-ms", type=float, default=1000.0, help="mean pause per writer")
    parser.add_argument("--burst", action="store_true", help="all writers start at once")
    parser.add_argument(
        "--backend", choices=["sqlite", "postgresql"], action="append", help="default: both"
    )
    args = parser.parse_args(argv if argv is not None else [])
    backends = args.backend or ["sqlite", "postgresql"]
    start = "all at once" if args.burst else "staggered"
    scenario = (
        f"{args.writers} writers × {args.steps} answers, think 0–{2 * args.think_ms:g} ms, "
        f"start {start}"
    )
    print(f"storage benchmark: {scenario}")
    if "sqlite" in backends:
        with tempfile.TemporaryDirectory(prefix="nianbao-bench-") as tmp:
            url = f"sqlite:///{tmp}/bench.db"
            timings, seconds = asyncio.run(
                run(url, args.writers, args.steps, args.think_ms, args.burst)
            )
            report("SQLite (WAL, synchronous=FULL, group commit)", timings, seconds)
    if "postgresql" in backends:
        with throwaway_postgres() as server:
            if server is None:
                print(f"PostgreSQL: skipped ({SKIP_REASON})")
                return
            url = server.create_database("bench")
            timings, seconds = asyncio.run(
                run(url, args.writers, args.steps, args.think_ms, args.burst)
            )
            report(f"PostgreSQL ({server.version()}, local, fsync on)", timings, seconds)


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
