"""Memory per active user: the bot's resident memory with 1,000, then 2,000, people mid-interview.

Run: ``python -m bench.memory [--users 1000] [--steps 2]``. ``nianbao run`` as shipped (SQLite in
a temporary directory, reminders off) polls the local Bot API server (``bot/localapi``) in this
process. Users arrive in two equal waves; each sends /start, the agency's name, skips the contact
details and types a narrative paragraph (``--steps`` more answers of the report's overview), so
that every one of them holds a report in the middle of its interview. The bot's resident memory
(``VmRSS``; its render worker processes separately) is read when it starts, after each wave,
and once more after a pause, after which memory that is only a cache should not have grown.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import sys
import tempfile
import time
from pathlib import Path

from bot.localapi import LocalBotApi, SimUser

RUN = "import sys; from bot.cli import main; sys.exit(main(['run']))"
CONCURRENT = 100  # users acting at the same moment
NARRATIVE = "本年度持续推进政务公开，完善制度建设，加强平台管理，主动回应社会关切。" * 3


def rss_mib(pid: int) -> float:
    """Resident memory of a process, in MiB (Linux: /proc/<pid>/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def children(pid: int) -> list[int]:
    """The bot's child processes (its render workers and their resource tracker)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


async def reply(user: SimUser, timeout: float = 60.0) -> None:
    """Waits for the bot's answer to the last action (one message: answers are merged)."""
    await user.wait_reply(timeout)
    while True:  # and anything sent right after it (a document's note, say)
        try:
            await user.wait_reply(0.05)
        except TimeoutError:
            return


async def fill(user: SimUser, steps: int) -> None:
    """From /start to the middle of the report's overview."""
    await user.send("/start")
    await reply(user)
    await user.send(f"测试县第{user.id}局")
    await reply(user)
    last = user.last
    assert last is not None and last.button("跳过") is not None, last
    await user.press(last, "跳过")
    await reply(user)
    for n in range(steps):
        await user.send(f"{NARRATIVE}（第{n + 1}段）")
        await reply(user)


async def wave(server: LocalBotApi, first: int, count: int, steps: int) -> float:
    """``count`` users fill in part of their report, ``CONCURRENT`` at a time; seconds taken."""
    t0 = time.perf_counter()
    users = [server.user(first + n, f"用户{n}") for n in range(count)]
    for start in range(0, count, CONCURRENT):
        await asyncio.gather(*(fill(u, steps) for u in users[start : start + CONCURRENT]))
    return time.perf_counter() - t0


async def measure(users: int, steps: int) -> None:
    server = LocalBotApi()
    await server.start()
    with tempfile.TemporaryDirectory(prefix="nianbao-memory-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
        env.update(
            TELEGRAM_BOT_TOKEN=server.token,
            TELEGRAM_BASE_URL=server.base_url,
            TELEGRAM_BASE_FILE_URL=server.base_file_url,
            DATABASE_URL=f"sqlite:///{tmp}/bench.db",
            REMINDER_INTERVAL="0",
            LOG_LEVEL="WARNING",
        )
        log = Path(tmp) / "bot.log"
        with log.open("wb") as err:
            bot = await asyncio.create_subprocess_exec(
                sys.executable, "-c", RUN, env=env, cwd=tmp, stdout=asyncio.subprocess.PIPE,
                stderr=err,
            )  # fmt: skip
            try:
                await started(bot)
                await asyncio.sleep(2)  # the render workers finish starting
                rows = [("started, no users", 0, rss_mib(bot.pid), 0.0)]
                half = users // 2
                for n, first in enumerate((1_000_000, 2_000_000), start=1):
                    took = await wave(server, first, half, steps)
                    rows.append((f"after wave {n}", n * half, rss_mib(bot.pid), took))
                await asyncio.sleep(5)
                gc.collect()
                rows.append(("5 s later", users, rss_mib(bot.pid), 0.0))
                workers = sum(rss_mib(p) for p in children(bot.pid))
                report(rows, workers, len(children(bot.pid)), steps)
            finally:
                bot.terminate()
                await bot.wait()
    await server.stop()
    server.assert_no_violations()


async def started(bot: asyncio.subprocess.Process) -> None:
    assert bot.stdout is not None
    while line := await asyncio.wait_for(bot.stdout.readline(), 60):
        if "已启动".encode() in line:
            return
    raise RuntimeError("the bot did not start")


def report(
    rows: list[tuple[str, int, float, float]], workers: float, count: int, steps: int
) -> None:
    print(f"bot process resident memory ({3 + steps} actions per user, SQLite):")
    for name, active, rss, took in rows:
        extra = f" ({took:.0f} s to get there)" if took else ""
        print(f"  {name}: {active} users mid-interview, {rss:.1f} MiB{extra}")
    base = rows[0][2]
    (_, one, at_one, _), (_, two, at_two, _) = rows[1], rows[2]
    per_1000 = (at_one - base) / one * 1000
    second = (at_two - at_one) / (two - one) * 1000
    print(f"  per 1,000 active users: {per_1000:.1f} MiB (first wave), {second:.1f} MiB (second)")
    print(
        f"  doubling {one} → {two} users: {at_one:.1f} → {at_two:.1f} MiB (×{at_two / at_one:.2f})"
    )
    print(f"  render workers: {count} processes, {workers:.1f} MiB together, whatever the users")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.memory")
    parser.add_argument("--users", type=int, default=2000, help="in two equal waves")
    parser.add_argument("--steps", type=int, default=2, help="narrative answers per user")
    args = parser.parse_args(argv if argv is not None else [])
    asyncio.run(measure(args.users, args.steps))


if __name__ == "__main__":
    main(sys.argv[1:])
