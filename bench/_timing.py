"""Small timing helpers shared by the benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def measure(fn: Callable[[], object], *, runs: int, warmup: int = 20) -> list[float]:
    """Durations of ``runs`` calls in milliseconds, after ``warmup`` calls."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def summary(name: str, ms: list[float]) -> str:
    ms = sorted(ms)
    p95 = ms[int(len(ms) * 0.95) - 1]
    p99 = ms[int(len(ms) * 0.99) - 1]
    return (
        f"{name}: n={len(ms)} median={statistics.median(ms):.3f} ms "
        f"p95={p95:.3f} ms p99={p99:.3f} ms"
    )
