"""One replica's share of the cross-process store test (``python -m tests.deploy.store_worker``).

Arguments: the database URL, the report id, this worker's number, how many own updates to apply
and how many shared ones (every worker tries each of those). Each update adds 1 to one cell,
retrying on a version conflict the way the service does: reload, apply again. Prints
``{"applied": n, "duplicates": n, "conflicts": n}``.
"""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import UTC, datetime

from storage import Store, VersionConflict

CELL = "requests.new.natural"
SHARED_BASE = 1_000_000


async def add_one(store: Store, report_id: int, update_id: int) -> tuple[bool, int]:
    """(applied, conflicts met) for one update."""
    conflicts = 0
    while True:
        report = await store.load_report(report_id)
        answers = report.state.answers
        state = report.state.evolve(answers=answers.with_cells({CELL: answers.cells[CELL] + 1}))
        try:
            applied = await store.apply(
                report_id, report.version, state, now=datetime.now(UTC), update_id=update_id
            )
        except VersionConflict:
            conflicts += 1
            continue
        return not applied.duplicate, conflicts


async def main(url: str, report_id: int, worker: int, own: int, shared: int) -> None:
    # The shared updates first: every worker races for the same update ids at the same time.
    ids = [SHARED_BASE + n for n in range(shared)] + [worker * 10_000 + n for n in range(own)]
    counts = {"applied": 0, "duplicates": 0, "conflicts": 0}
    async with await Store.open(url) as store:
        for update_id in ids:
            applied, conflicts = await add_one(store, report_id, update_id)
            counts["applied" if applied else "duplicates"] += 1
            counts["conflicts"] += conflicts
    print(json.dumps(counts))


if __name__ == "__main__":
    url, report_id, worker, own, shared = sys.argv[1:6]
    asyncio.run(main(url, int(report_id), int(worker), int(own), int(shared)))
