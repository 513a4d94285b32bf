"""Aggregating 1,000 agency reports: the sum, the compilation .xlsx, and the whole command.

Run: ``python -m bench.aggregate [--reports N]``. The reports are random but consistent gov-2021
reports (every hard rule holds, a fee amount with two decimals), generated from a fixed seed.
Target: a county's or a city's season (up to 1,000 agencies) summed, checked and compiled in
well under a minute on the project's two cores, in a few hundred MB at most.
"""

from __future__ import annotations

import argparse
import io
import random
import resource
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from bot.aggregate_cmd import run_aggregate
from core.aggregate import aggregate
from core.answers import Answers, to_json
from core.formats import GOV_2021
from core.render_compilation import render_compilation
from core.rules import Number

COLUMNS = ("natural", "business", "research", "nonprofit", "legal", "other_org")
RUNS = 5


def consistent_report(rng: random.Random, index: int) -> Answers:
    """A random gov-2021 report that satisfies every hard rule (as tests/core/test_rules.py)."""
    fmt = GOV_2021
    cells: dict[str, Number] = {}
    for cid, cell in fmt.cells.items():
        if cell.computed or cell.table == "requests":
            continue
        if cell.kind.value == "amount":
            cells[cid] = Decimal(rng.randint(0, 10**6)) / 100
        else:
            cells[cid] = rng.randint(0, 60)
    rows = [r.key for r in fmt.table("requests").blocks[0].row_leaves() if not r.total]
    results = [r for r in rows if r not in ("new", "carried_in", "carried_out")]
    for col in COLUMNS:
        done = {r: rng.randint(0, 20) for r in results}
        carried_out = rng.randint(0, 10)
        out_total = sum(done.values()) + carried_out
        carried_in = rng.randint(0, out_total)
        for r, v in done.items():
            cells[f"requests.{r}.{col}"] = v
        cells[f"requests.carried_out.{col}"] = carried_out
        cells[f"requests.carried_in.{col}"] = carried_in
        cells[f"requests.new.{col}"] = out_total - carried_in
    return Answers(fmt.id, 2025, f"青山县第{index + 1:04d}号单位", cells)


def timed(fn: Callable[[], object], runs: int = RUNS) -> tuple[float, float]:
    """Median and best of ``runs`` calls after one warm-up, in seconds."""
    fn()
    seconds = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - t0)
    return statistics.median(seconds), min(seconds)


def peak_mib(fn: Callable[[], object]) -> float:
    """Peak Python allocation of one call, in MiB (tracemalloc; slows the call, not timed)."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.aggregate")
    parser.add_argument("--reports", type=int, default=1000)
    args = parser.parse_args(argv if argv is not None else [])
    rng = random.Random(2026)
    tracemalloc.start()
    reports = [consistent_report(rng, i) for i in range(args.reports)]
    held = tracemalloc.get_traced_memory()[0] / 2**20
    tracemalloc.stop()
    n = len(reports)

    def summed() -> object:
        return aggregate(reports, agency="青山县人民政府")

    agg = aggregate(reports, agency="青山县人民政府")
    assert agg.complete and not agg.invalid
    xlsx = render_compilation(agg)
    load = openpyxl_reopen(xlsx)
    print(f"{n} reports ({held:.1f} MiB in memory), compilation {len(xlsx) / 2**20:.2f} MiB")
    print(f"re-opened with openpyxl: {load}")
    for name, fn in (
        ("aggregate (sum + check every input)", summed),
        ("compilation .xlsx", lambda: render_compilation(agg)),
        ("answers file of the sum", lambda: to_json(agg.answers)),
    ):
        median, best = timed(fn)
        print(f"{name}: median {median * 1000:.0f} ms, best {best * 1000:.0f} ms")
    half = reports[: n // 2]
    half_agg = aggregate(half, agency="青山县人民政府")
    for name, small, large in (
        ("aggregate", lambda: aggregate(half, agency="青山县人民政府"), summed),
        (
            "compilation .xlsx",
            lambda: render_compilation(half_agg),
            lambda: render_compilation(agg),
        ),
    ):
        one, two = timed(small)[0], timed(large)[0]
        print(
            f"doubling {len(half)} → {n} reports, {name}: median {one * 1000:.0f} → "
            f"{two * 1000:.0f} ms (×{two / one:.2f})"
        )
    print(f"peak memory, aggregate: {peak_mib(summed):.1f} MiB")
    print(f"peak memory, compilation .xlsx: {peak_mib(lambda: render_compilation(agg)):.1f} MiB")
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, report in enumerate(reports):
            path = Path(tmp) / f"{i:04d}.json"
            path.write_text(to_json(report), encoding="utf-8")
            paths.append(str(path))
        out = io.StringIO()

        def command() -> object:
            code = run_aggregate(
                paths, f"{tmp}/sum.json", agency="青山县人民政府", xlsx=f"{tmp}/c.xlsx", out=out
            )
            assert code == 0
            return code

        median, best = timed(command, runs=3)
        print(
            f"nianbao aggregate ({n} files -o sum.json --xlsx): "
            f"median {median:.2f} s, best {best:.2f} s"
        )
        print(f"peak memory, whole command: {peak_mib(command):.1f} MiB")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS: {rss:.0f} MiB")


def openpyxl_reopen(data: bytes) -> str:
    """Re-open the workbook to prove it is sound; its sheets and their sizes."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    return ", ".join(f"{ws.title} {ws.max_row}×{ws.max_column}" for ws in wb.worksheets)


if __name__ == "__main__":
    main()
