"""The report engine: one interview step (parse + incremental check) and a full report check.

Run: ``python -m bench.engine``. Target: a step under 1 ms median.
"""

from __future__ import annotations

import statistics
from datetime import date

from bench._timing import measure, summary
from core.answers import Answers, computed_values
from core.check import Context, evaluate
from core.formats import GOV_2021
from core.interview import Text, new_state, step
from core.rules import Number
from tests.data import REQUESTS_TEXT_001, cells_001_gov2021


def _state_at_table3_row() -> object:
    """A state half-way through table 3 of example 001, about to answer a results row."""
    state = new_state(date(2026, 1, 10), agency="呼伦贝尔市人民政府")
    cells = {k: v for k, v in cells_001_gov2021().items() if not k.startswith("requests.")}
    for key in ("new", "carried_in", "granted"):
        cells.update({k: v for k, v in cells_001_gov2021().items() if f".{key}." in k})
    answers = Answers("gov-2021", 2025, "呼伦贝尔市人民政府", cells)
    return state.evolve(answers=answers, current="t3.partial")


def main() -> None:
    state = _state_at_table3_row()
    action = Text("94 1 1")
    print(
        summary(
            "interview step (row entry, parse + incremental check)",
            measure(lambda: step(state, action), runs=2000),
        )
    )  # type: ignore[arg-type]
    bad = Text("94 1 x")
    print(summary("interview step (rejected input)", measure(lambda: step(state, bad), runs=2000)))  # type: ignore[arg-type]
    full = cells_001_gov2021()
    full.update(computed_values(GOV_2021, full))
    context = Context(texts={"overview.requests": REQUESTS_TEXT_001})
    print(
        summary(
            "full report check (200 cells, totals stated, narrative)",
            measure(lambda: evaluate(GOV_2021, full, context), runs=1000),
        )
    )
    doubling(full)


def doubling(full: dict[str, Number]) -> None:
    """How the check's cost grows when the work doubles: answers checked, narrative checked."""
    keys = sorted(full)
    half = {k: full[k] for k in keys[: len(keys) // 2]}
    half_ms = statistics.median(measure(lambda: evaluate(GOV_2021, half), runs=500))
    whole_ms = statistics.median(measure(lambda: evaluate(GOV_2021, full), runs=500))
    print(
        f"doubling the answers checked (half the cells → all, no narrative): "
        f"median {half_ms:.3f} → {whole_ms:.3f} ms (×{whole_ms / half_ms:.2f})"
    )
    times = []
    for copies in (1, 2):
        context = Context(texts={"overview.requests": "\n".join([REQUESTS_TEXT_001] * copies)})
        times.append(
            statistics.median(measure(lambda c=context: evaluate(GOV_2021, full, c), runs=500))
        )
    print(
        f"doubling the narrative checked against the tables (rule 8): median "
        f"{times[0]:.3f} → {times[1]:.3f} ms (×{times[1] / times[0]:.2f})"
    )


if __name__ == "__main__":
    main()
