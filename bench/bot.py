"""The bot over the Bot API: reply latency under an open-loop load, and saturated throughput.

Run: ``python -m bench.bot`` (options: ``--users 1000 --rate 50 --duration 120 --sat-users 100
--sat-duration 15 --echo-duration 30``; ``--rate-limit N`` and ``--profile`` to diagnose).

The local Bot API server (``bot.localapi``) and the simulated users run in this process; the
bot runs in its own process (``nianbao run``, SQLite in a temporary directory), and so does a
bare python-telegram-bot echo bot (``bench/_echo_bot.py``), measured the same way against the
same server. Latency runs from the moment the server holds a user's update to the moment it
receives the bot's first message in that chat (both stamped by the server, in this process).

1. Open loop: ``--users`` users, each acting at exponential intervals (``users / rate`` s on
   average: 20 s, ≈50 updates/s in all), each walking a report script: half of them a full
   report (example 001's figures: contact, narratives, table 2, table 3 row by row with
   全部为0, table 4, the review and the two documents), half an all-zero one. A user acts
   only once the bot answered its previous action, and otherwise keeps its own schedule.
   Reports start part-filled at random points (stored before the bot runs), as in a province
   mid-season; a user seated before a button first asks for the current question (/report,
   not measured). A user who finishes comes back as a new one with /start.
2. Saturated: ``--sat-users`` users acting as soon as the bot answered (closed loop).

The echo bot gets the same loads (its users type the same texts and button labels), with a
shorter open-loop window: its latency does not drift, and the whole run stays near 4 minutes.
Targets (issue 5): p95 under 100 ms under the open-loop load, and saturated throughput at
least a third of the echo bot's.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bot.localapi import LocalBotApi, SimUser
from bot.localapi.state import BotMessage, BotState
from bot.service import CHINA, Out, Service, User
from core.formats import GOV_2021
from core.interview import Action, Command, Press, State, Text, build_plan
from core.interview.derive import asked_cells
from storage import Store
from tests.data import APPEALS_001, COLUMNS, REQUESTS_001, REQUESTS_TEXT_001

ROOT = Path(__file__).resolve().parent.parent
AGENCY_FULL = "呼伦贝尔市人民政府"
AGENCY_ZERO = "某某县民政局"
# User ids: the seated users of each load, then those who come back after finishing a report.
FIRST_USER = {"open": 100_000, "saturated": 500_000}
NEW_USER = {"open": 3_000_000, "saturated": 4_000_000}
LEARNER, PROBE_USER = 90_000, 99_999

# ------------------------------------------------------------------ the report scripts


@dataclass(frozen=True)
class Step:
    """One user action and the number of messages the bot answers it with."""

    kind: str  # "send" (text or command) or "press" (a button, by its label)
    text: str
    replies: int


def action_for(text: str) -> Action:
    """The interview action the bot's handlers make of a typed text (``on_command``)."""
    if text.startswith("/"):
        name, _, arg = text[1:].partition(" ")
        return Command(name.split("@", 1)[0].lower(), arg.strip())
    return Text(text)


def sent_messages(outs: list[Out]) -> int:
    """How many messages ``bot.telegram_app.send`` makes of a service answer."""
    return sum(1 for out in outs if out.document is not None or out.text)


class Learner:
    """Walks a report through ``Service`` (no Telegram), recording each action and its answer.

    Same interface as the end-to-end tests' ``Phone``, so the scripts read like those tests.
    """

    def __init__(self, service: Service, user_id: int) -> None:
        self.service = service
        self.user = User(user_id, "基准")
        self.steps: list[Step] = []
        self.batch: list[Out] = []
        self.states: list[State | None] = [None]  # the stored report after each step
        self.asked: list[list[Out]] = [[]]  # what /report answers after each step

    async def _act(self, kind: str, text: str, action: Action) -> None:
        self.batch = await self.service.handle(self.user, None, action)
        self.steps.append(Step(kind, text, sent_messages(self.batch)))
        store = self.service.store
        agency = (await store.memberships(self.user.id))[0].agency_id
        assert agency is not None
        self.states.append((await store.reports_of(agency))[0].state)
        # /report changes nothing; it shows the current question again, with its buttons.
        self.asked.append(await self.service.handle(self.user, None, Command("report")))

    async def send(self, text: str) -> None:
        await self._act("send", text, action_for(text))

    async def press(self, label: str) -> None:
        """Presses the first button starting with ``label`` on the newest answer that has one."""
        for out in reversed(self.batch):
            for row in out.buttons:
                for button in row:
                    if button.label.startswith(label):
                        await self._act("press", button.label, Press(button.data))
                        return
        raise RuntimeError(f"no button {label!r} in the bot's answer: {self.text[-200:]}")

    @property
    def text(self) -> str:
        return "\n".join(out.text for out in self.batch)


async def zero_report(p: Learner) -> None:
    """An agency with nothing to report: every table all zero (tests/e2e: ``zero_report``)."""
    await p.send("/start")
    await p.send(AGENCY_ZERO)
    for _ in range(6):
        await p.press("跳过")
    for _ in range(3):
        await p.press("本表全部为0")
    await p.send("存在的主要问题是公开意识有待加强，下一步将加强培训，完善制度，持续提升公开质量。")
    await p.press("完成")
    await p.press("本年度未收取")
    await p.press("无")
    await p.press("完成填报")


async def full_report(p: Learner) -> None:
    """Example report 001, typed in row by row (tests/e2e: ``test_example_001_over_telegram``)."""
    rows = dict(REQUESTS_001)
    rows["other_other"] = rows.pop("other")
    rows["other_no_correction"] = rows["other_unpaid_fee"] = (0,) * 6
    cells = {
        f"requests.{key}.{col}": v
        for key, values in rows.items()
        for col, v in zip(COLUMNS, values, strict=True)
    }
    plan = build_plan(GOV_2021)
    await p.send("/start")
    await p.send(AGENCY_FULL)
    await p.send("地址：呼伦贝尔市海拉尔区友好六街1号\n网址：www.hlbe.gov.cn")
    for area in ["全市坚持以公开为常态、不公开为例外，持续提高政府工作透明度。", REQUESTS_TEXT_001]:
        await p.send(area)
        await p.press("完成")
    for _ in range(3):
        await p.press("跳过")
    for entry in ["1 0 1", "14 0 606", "512366", "69775", "4660", "0"]:
        await p.send(entry)
    await p.send("193 19 0 0 0 12")
    await p.send("自然人1")
    entered = {k: v for k, v in cells.items() if ".new." in k or ".carried_in." in k}
    for _ in range(25):  # the remaining rows of table 3; the bot skips rows it can derive
        current = p.text.split("表三 · 第 ")[-1]
        if "四、结转下年度继续办理" in current:
            break
        row = next(q for q in plan.questions if q.table == "requests" and q.path[-1] in current)
        values = [cells[c] for c in asked_cells(row, GOV_2021, entered)]
        if any(values):
            await p.send(" ".join(str(v) for v in values))
        else:
            await p.press("全部为0")
        entered.update({c: cells[c] for c in row.cells})
    await p.press("确认建议值")
    await p.send(" ".join(str(v) for vals in APPEALS_001.values() for v in vals))
    await p.send("一是公开理念有待加强。二是平台建设需要加快。下一步将深入贯彻《条例》，持续改进。")
    for label in ["完成", "本年度未收取", "无", "确认无误（第1条）", "确认无误", "完成填报"]:
        await p.press(label)


SCRIPTS: dict[str, Callable[[Learner], Awaitable[None]]] = {
    "full": full_report,
    "zero": zero_report,
}


@dataclass(frozen=True)
class Script:
    """A report script as the bot answers it, and where in it a user can be found.

    Attributes:
        steps: The actions, each with the number of messages answering it.
        states: ``states[r]``: the report as stored after ``r`` steps (``states[0]``: none).
        starts: Positions a user can be at, each with the number of messages answering
            /report there: 0 where the user types next (nothing to ask), else the user asks
            for the current question again to see the button of the next step.
    """

    steps: list[Step]
    states: list[State | None]
    starts: dict[int, int]


async def learn(service: Service) -> dict[str, Script]:
    """Walks each script once through ``Service``, as the bot would answer it."""
    learned = {}
    for n, (name, walk) in enumerate(SCRIPTS.items()):
        learner = Learner(service, LEARNER + n)
        await walk(learner)
        steps = learner.steps
        if "完成填报" not in steps[-1].text:
            raise RuntimeError(f"the {name} script did not finish its report")
        starts = {0: 0}
        for r in range(1, len(steps)):
            asked = learner.asked[r]
            labels = {b.label for out in asked[-1:] for row in out.buttons for b in row}
            if steps[r].kind == "send":
                starts[r] = 0
            elif steps[r].text in labels:
                starts[r] = sent_messages(asked)
        learned[name] = Script(steps, learner.states, starts)
    return learned


async def seat_report(store: Store, user_id: int, state: State) -> None:
    """Stores what the bot would have after the user's first steps, in three writes.

    As ``Service`` does: the user registered alone, the agency's name and contact details
    kept in step with the answers, and the report (one write instead of one per step).
    """
    now = datetime.now(CHINA)
    member = await store.register_alone(user_id, f"用户{user_id}", now=now)
    assert member.agency_id is not None
    answers = state.answers
    contact = {k: v for k, v in answers.contact.items() if v}
    if answers.agency or contact:
        await store.update_agency(
            member.agency_id, name=answers.agency or None, contact=contact or None
        )
    await store.create_report(member.agency_id, state, now=now, actor=member.id)


# ------------------------------------------------------------------ users over Telegram


@dataclass
class Sample:
    """One action: when the server held the update, when the bot's first and last reply came."""

    step: str
    sent: float
    first: float | None = None
    last: float | None = None


class Player:
    """A simulated user replaying a script over the local Bot API server from a position.

    Against the echo bot every step is typed (a button's label is sent as text) and answered
    by one message.
    """

    def __init__(
        self,
        server: LocalBotApi,
        bot: BotState,
        ids: Callable[[], int],
        steps: Sequence[Step],
        seat: Seat,
        echo: bool,
        asks: int = 0,
    ) -> None:
        self.server, self.bot, self.ids = server, bot, ids
        self.steps, self.echo = steps, echo
        self.asks = asks  # messages answering /report where the user was seated, if it must ask
        self.received: list[float] = []  # every message of the bot, whichever identity
        self._join(seat.user_id, seat.position)

    def _join(self, user_id: int, position: int) -> None:
        self.user: SimUser = self.server.user(user_id, f"用户{user_id}", bot=self.bot)
        self.position = position
        self.stamps: list[float] = []
        # The server records each message of the bot synchronously in its request handler;
        # stamping there times the reply's arrival, not when this user's task got to run.
        record, stamps, received = self.user.chat.record, self.stamps, self.received

        def timed(entry: BotMessage) -> None:
            now = time.perf_counter()
            stamps.append(now)
            received.append(now)
            record(entry)

        self.user.chat.record = timed  # type: ignore[method-assign]

    async def resume(self, timeout: float) -> None:
        """Sends /report to see the current question again (seated before a button)."""
        if self.echo or not self.asks:
            return
        expected = len(self.stamps) + self.asks
        await self.user.send("/report")
        await self._wait(expected, time.perf_counter() + timeout)
        if len(self.stamps) < expected:
            raise TimeoutError(f"user {self.user.id}: no answer to /report")
        self._with_button(self.steps[self.position].text)

    async def _wait(self, count: int, deadline: float) -> None:
        """Until the chat holds ``count`` messages of the bot, or the deadline."""
        while len(self.stamps) < count:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                return
            await self.user.chat.changed.wait(remaining)

    async def act(self, timeout: float) -> Sample:
        """Takes the next step and waits up to ``timeout`` seconds for the whole answer.

        A finished report makes the user a new one, starting again with /start.
        """
        if self.position >= len(self.steps):
            self._join(self.ids(), 0)
        step = self.steps[self.position]
        self.position += 1
        before = len(self.stamps)
        expected = before + (1 if self.echo else step.replies)
        if step.kind == "press" and not self.echo:
            message = self._with_button(step.text)
            sample = Sample(step.text, time.perf_counter())
            await self.user.press(message, step.text)
        else:
            sample = Sample(label_of(step), time.perf_counter())
            await self.user.send(step.text)
        await self._wait(expected, sample.sent + timeout)
        if len(self.stamps) > before:
            sample.first = self.stamps[before]
        if len(self.stamps) >= expected:
            sample.last = self.stamps[expected - 1]
        return sample

    def _with_button(self, label: str) -> int:
        """The newest message of the bot that has the button now (as a person would look)."""
        for entry in reversed(self.user.chat.log):
            current = self.user.current(entry.message_id)
            if current is not None and current.button(label) is not None:
                return entry.message_id
        raise RuntimeError(f"user {self.user.id}: no button {label!r} in the chat")


def label_of(step: Step) -> str:
    """What a step is, for the breakdown by kind of action."""
    if step.kind == "press" or step.text.startswith("/"):
        return step.text
    return "数字" if step.text.replace(" ", "").isdigit() else "文字"


# ------------------------------------------------------------------ the two loads


@dataclass
class Phase:
    """What one load on one bot gave."""

    name: str
    seconds: float
    samples: list[Sample] = field(default_factory=list)
    answered_in_window: int = 0  # actions whose whole answer came within the window
    messages_in_window: int = 0  # messages the bot sent within the window
    window_start: float = 0.0
    failures: list[str] = field(default_factory=list)
    bot_cpu: float = 0.0  # fraction of one core, over the window
    here_cpu: float = 0.0  # this process: the server and the simulated users

    @property
    def latencies(self) -> list[float]:
        """Milliseconds to the first reply; unanswered actions count as infinitely slow."""
        return [
            (s.first - s.sent) * 1000 if s.first is not None else float("inf") for s in self.samples
        ]

    @property
    def unanswered(self) -> int:
        return sum(1 for s in self.samples if s.last is None)


class CpuMeter:
    """CPU time of the bot's process (from /proc) and of this one, between two readings."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self._tick = os.sysconf("SC_CLK_TCK")

    def read(self) -> tuple[float, float, float]:
        """(wall, bot CPU, this process's CPU) in seconds."""
        bot = 0.0
        with contextlib.suppress(OSError):
            stat = Path(f"/proc/{self.pid}/stat").read_text()
            fields = stat.rsplit(")", 1)[1].split()
            bot = (int(fields[11]) + int(fields[12])) / self._tick  # utime + stime
        return time.perf_counter(), bot, time.process_time()

    @staticmethod
    def share(a: tuple[float, float, float], b: tuple[float, float, float]) -> tuple[float, float]:
        wall = b[0] - a[0]
        return (b[1] - a[1]) / wall, (b[2] - a[2]) / wall


async def _until(moment: float) -> None:
    delay = moment - time.perf_counter()
    if delay > 0:
        await asyncio.sleep(delay)


async def run_load(
    phase: Phase,
    players: list[Player],
    meter: CpuMeter,
    *,
    warmup: float,
    mean_gap: float | None,
    timeout: float,
    seed: int,
) -> Phase:
    """Every player acts until the window ends: open loop with ``mean_gap``, else closed.

    Samples are the actions sent within the window (after ``warmup``); after it, each player
    still waits for the answer to its last action (up to ``timeout``).
    """
    rng = random.Random(seed)
    start = time.perf_counter()
    window = (start + warmup, start + warmup + phase.seconds)
    phase.window_start = window[0]
    readings: list[tuple[float, float, float]] = []

    async def meter_window() -> None:
        await _until(window[0])
        readings.append(meter.read())
        await _until(window[1])
        readings.append(meter.read())

    async def play(player: Player, gaps: random.Random) -> None:
        due = start + gaps.expovariate(1 / mean_gap) if mean_gap else start
        while due < window[1]:
            await _until(due)
            try:
                sample = await player.act(timeout)
            except Exception as exc:  # a desynchronised script: this user stops
                phase.failures.append(f"{type(exc).__name__}: {exc}")
                return
            if window[0] <= sample.sent < window[1]:
                phase.samples.append(sample)
            if sample.last is not None and window[0] <= sample.last < window[1]:
                phase.answered_in_window += 1
            if sample.last is None:
                phase.failures.append(f"user {player.user.id}: no answer to {sample.step!r}")
                return
            # Open loop: the next action keeps the user's own schedule, even if this one was
            # answered late (then it goes out at once). Closed loop: at once.
            due = due + gaps.expovariate(1 / mean_gap) if mean_gap else time.perf_counter()

    tasks = [play(p, random.Random(rng.random())) for p in players]
    await asyncio.gather(meter_window(), *tasks)
    phase.bot_cpu, phase.here_cpu = CpuMeter.share(readings[0], readings[1])
    phase.messages_in_window = sum(
        1 for p in players for t in p.received if window[0] <= t < window[1]
    )
    return phase


# ------------------------------------------------------------------ the bots' processes

# ``nianbao run`` as it ships (a script, so that cProfile can run it); ``--rate-limit`` sets
# its ``TELEGRAM_RATE_LIMIT``.
LAUNCHER = """\
import sys
from bot.cli import main
if __name__ == "__main__":  # the render workers import this file again
    sys.exit(main(["run"]))
"""


def bot_env(
    server: LocalBotApi, bot: BotState, database_url: str, rate_limit: float = 0.0
) -> dict[str, str]:
    """The environment of a bot's process: this server, this bot's token, no webhook."""
    env = dict(os.environ)
    env.update(
        TELEGRAM_BOT_TOKEN=bot.token,
        TELEGRAM_BASE_URL=server.base_url,
        TELEGRAM_BASE_FILE_URL=server.base_file_url,
        DATABASE_URL=database_url,
        WEBHOOK_URL="",
        # Reminder passes would message the simulated users on a schedule of their own.
        REMINDER_INTERVAL="0",
        TELEGRAM_RATE_LIMIT=f"{rate_limit:g}",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
    )
    return env


@contextlib.asynccontextmanager
async def bot_process(
    argv: Sequence[str], env: dict[str, str], workdir: Path, log: Path
) -> AsyncIterator[asyncio.subprocess.Process]:
    """A bot in its own process for the duration of the block; stopped (SIGTERM) after it."""
    with log.open("wb") as out:
        process = await asyncio.create_subprocess_exec(
            *argv, stdout=out, stderr=asyncio.subprocess.STDOUT, env=env, cwd=workdir
        )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.terminate()  # a graceful stop: the bot still talks to the server meanwhile
            try:
                await asyncio.wait_for(process.wait(), 20)
            except TimeoutError:
                process.kill()
                await process.wait()


async def wait_ready(
    server: LocalBotApi, bot: BotState, process: asyncio.subprocess.Process, text: str, log: Path
) -> None:
    """Returns once the bot answered a first message (60 s at most)."""
    probe = server.user(PROBE_USER, "探针", bot=bot)
    await probe.send(text)
    for _ in range(120):
        with contextlib.suppress(TimeoutError):
            await probe.wait_reply(0.5)
            return
        if process.returncode is not None:
            break
    tail = log.read_text(errors="replace")[-3000:]
    raise RuntimeError(f"the bot did not answer (exit code {process.returncode}):\n{tail}")


# ------------------------------------------------------------------ the whole run


@dataclass(frozen=True)
class Options:
    """The command line's options (see ``main``)."""

    users: int
    rate: float
    duration: float
    echo_duration: float
    warmup: float
    sat_users: int
    sat_duration: float
    timeout: float
    seed: int
    profile: bool
    rate_limit: float


@dataclass(frozen=True)
class Seat:
    """Where a simulated user starts: its id, its script and how far its report already is."""

    user_id: int
    script: str
    position: int


def seats(scripts: dict[str, Script], first: int, count: int, rng: random.Random) -> list[Seat]:
    """Users half on each script, each at a random point of it.

    Reports in progress are what a province looks like mid-season; starting everyone at
    /start would measure the first questions first and the documents last.
    """
    out = []
    for i in range(count):
        name = "full" if i % 2 == 0 else "zero"
        out.append(Seat(first + i, name, rng.choice(list(scripts[name].starts))))
    return out


async def prepare(
    database_url: str, opts: Options, rng: random.Random
) -> tuple[dict[str, Script], dict[str, list[Seat]]]:
    """Learns the scripts, seats the users and stores each seat's report, before the bot runs."""
    store = await Store.open(database_url)
    try:
        scripts = await learn(Service(store))
        placed = {
            "open": seats(scripts, FIRST_USER["open"], opts.users, rng),
            "saturated": seats(scripts, FIRST_USER["saturated"], opts.sat_users, rng),
        }
        sem = asyncio.Semaphore(64)  # the store commits concurrent writes together

        async def fill(seat: Seat) -> None:
            state = scripts[seat.script].states[seat.position]
            if state is not None:
                async with sem:
                    await seat_report(store, seat.user_id, state)

        await asyncio.gather(*(fill(s) for group in placed.values() for s in group))
        return scripts, placed
    finally:
        await store.close()


def players_for(
    server: LocalBotApi,
    bot: BotState,
    scripts: dict[str, Script],
    placed: list[Seat],
    next_id: int,
    echo: bool,
) -> list[Player]:
    ids = iter(range(next_id, next_id + 1_000_000)).__next__
    return [
        Player(
            server,
            bot,
            ids,
            scripts[s.script].steps,
            s,
            echo,
            asks=scripts[s.script].starts[s.position],
        )
        for s in placed
    ]


async def resume_all(players: list[Player], timeout: float) -> list[Player]:
    """Users seated before a button ask for their current question (50 at a time).

    Returns the players ready to go on; one whose chat does not show the button is left out.
    """
    sem = asyncio.Semaphore(50)
    failed: list[str] = []
    t0 = time.perf_counter()

    async def one(player: Player) -> Player | None:
        async with sem:
            try:
                await player.resume(timeout)
            except (TimeoutError, RuntimeError) as exc:
                failed.append(str(exc))
                return None
        return player

    ready = [p for p in await asyncio.gather(*(one(p) for p in players)) if p is not None]
    if asked := sum(1 for p in players if p.asks and not p.echo):
        print(f"  {asked} users asked for their question again ({time.perf_counter() - t0:.0f} s)")
    if failed:
        print(f"  {len(failed)} users could not resume, e.g. {failed[0]}")
    return ready


async def settle(bot: BotState, limit: float = 30.0) -> float:
    """Waits until the bot has nothing left to answer: no update pending, 1 s without a message.

    Returns the seconds waited (``limit`` at most).
    """
    start = time.perf_counter()
    seen, quiet_since = -1, start
    while (now := time.perf_counter()) - start < limit:
        count = sum(len(chat.log) for chat in bot.chats.values())
        if count != seen:
            seen, quiet_since = count, now
        elif bot.queue.pending_count == 0 and now - quiet_since >= 1.0:
            break
        await asyncio.sleep(0.2)
    return time.perf_counter() - start


async def measure_bot(
    server: LocalBotApi,
    bot: BotState,
    name: str,
    scripts: dict[str, Script],
    placed: dict[str, list[Seat]],
    process: asyncio.subprocess.Process,
    opts: Options,
    echo: bool,
) -> list[Phase]:
    """The saturated load, then the open-loop one, on one running bot.

    Saturated first: an overloaded open loop leaves a backlog the bot would still be sending
    during the next phase, while a closed loop leaves at most one action per user.
    """
    meter = CpuMeter(process.pid)
    saturated = Phase(f"{name}: saturated", opts.sat_duration)
    new = NEW_USER["saturated"]
    players = players_for(server, bot, scripts, placed["saturated"], new, echo)
    players = await resume_all(players, opts.timeout)
    print(f"  {saturated.name}: 3 s warm-up + {opts.sat_duration:g} s …", flush=True)
    await run_load(
        saturated,
        players,
        meter,
        warmup=3.0,
        mean_gap=None,
        timeout=opts.timeout,
        seed=opts.seed + 1,
    )
    waited = await settle(bot)
    if waited > 5:
        print(f"  (the bot was still answering the saturated load for {waited:.0f} s)")
    duration = opts.echo_duration if echo else opts.duration
    open_phase = Phase(f"{name}: open loop", duration)
    players = players_for(server, bot, scripts, placed["open"], NEW_USER["open"], echo)
    players = await resume_all(players, opts.timeout)
    print(f"  {open_phase.name}: {opts.warmup:g} s warm-up + {duration:g} s …", flush=True)
    await run_load(
        open_phase,
        players,
        meter,
        warmup=opts.warmup,
        mean_gap=opts.users / opts.rate,
        timeout=opts.timeout,
        seed=opts.seed,
    )
    return [open_phase, saturated]


async def run(opts: Options) -> list[Phase]:
    """Every phase on both bots, against one local Bot API server."""
    rng = random.Random(opts.seed)
    with tempfile.TemporaryDirectory(prefix="nianbao-bench-bot-") as tmp:
        workdir = Path(tmp)
        server = LocalBotApi()
        echo_bot = server.add_bot(username="echo_bench_bot", first_name="Echo")
        await server.start()
        try:
            database_url = f"sqlite:///{workdir}/nianbao.db"
            t0 = time.perf_counter()
            scripts, placed = await prepare(database_url, opts, rng)
            filled = sum(1 for group in placed.values() for s in group if s.position)
            print(
                f"  {filled} of {opts.users + opts.sat_users} users have a report in progress "
                f"({time.perf_counter() - t0:.0f} s to store them)",
                flush=True,
            )
            phases: list[Phase] = []
            launcher = workdir / "launch_nianbao.py"
            launcher.write_text(LAUNCHER)
            profile = workdir / "nianbao.prof"
            argv = [sys.executable]
            if opts.profile:
                argv += ["-m", "cProfile", "-o", str(profile)]
            log = workdir / "nianbao.log"
            env = bot_env(server, server.bot, database_url, opts.rate_limit)
            async with bot_process([*argv, str(launcher)], env, workdir, log) as process:
                await wait_ready(server, server.bot, process, "/help", log)
                phases += await measure_bot(
                    server, server.bot, "nianbao", scripts, placed, process, opts, echo=False
                )
            if opts.profile:
                print_profile(profile)
            log = workdir / "echo.log"
            env = bot_env(server, echo_bot, database_url)
            argv = [sys.executable, "-m", "bench._echo_bot"]
            async with bot_process(argv, env, workdir, log) as process:
                await wait_ready(server, echo_bot, process, "ping", log)
                phases += await measure_bot(
                    server, echo_bot, "echo", scripts, placed, process, opts, echo=True
                )
        finally:
            await server.stop()
        if server.violations:
            print(f"  the bots broke the Bot API's rules {len(server.violations)} times:")
            for record in server.violations[:5]:
                print(f"    {record}")
        return phases


# ------------------------------------------------------------------ results


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (``inf`` if the rank falls on an unanswered action)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def ms(value: float) -> str:
    """Milliseconds for the table; unanswered actions read as "unanswered"."""
    if value == float("inf"):
        return "unanswered"
    return f"{value:.1f} ms" if value < 100 else f"{value:,.0f} ms"


def print_profile(path: Path, top: int = 25) -> None:
    """The bot process's busiest functions (cProfile, main thread only)."""
    import pstats

    if not path.exists():
        print("  (no profile: the bot did not exit normally)")
        return
    print("\nnianbao's main thread, by own time (cProfile):")
    pstats.Stats(str(path)).strip_dirs().sort_stats("tottime").print_stats(top)
    print("… by cumulative time:")
    pstats.Stats(str(path)).strip_dirs().sort_stats("cumulative").print_stats(top)
    print("… who calls the ten busiest:")
    pstats.Stats(str(path)).strip_dirs().sort_stats("tottime").print_callers(10)


def report(phases: list[Phase], opts: Options) -> None:
    """The result table, a breakdown of nianbao's answers by action, and the targets."""
    print(
        "\n| load | bot | updates/s | messages/s | first reply p50 | p95 | p99 "
        "| whole answer p95 | unanswered | bot CPU | server + users CPU |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for p in phases:
        load, bot = p.name.split(": ")[1], p.name.split(": ")[0]
        lat = p.latencies or [float("inf")]
        whole = [
            (s.last - s.sent) * 1000 if s.last is not None else float("inf") for s in p.samples
        ] or [float("inf")]
        rate = (len(p.samples) if load == "open loop" else p.answered_in_window) / p.seconds
        print(
            f"| {load} | {bot} | {rate:.1f} | {p.messages_in_window / p.seconds:.1f} "
            f"| {ms(percentile(lat, 0.5))} "
            f"| {ms(percentile(lat, 0.95))} | {ms(percentile(lat, 0.99))} "
            f"| {ms(percentile(whole, 0.95))} | {p.unanswered} of {len(p.samples)} "
            f"| {p.bot_cpu:.0%} | {p.here_cpu:.0%} |"
        )
        for failure in p.failures[:3]:
            print(f"  {p.name}: {failure}")
        if len(p.failures) > 3:
            print(f"  {p.name}: … {len(p.failures) - 3} more users stopped")
    print(
        "updates/s: under the open loop, actions sent within the window (users wait for the "
        "answer before acting again); saturated, actions answered in full within it."
    )
    by_name = {p.name: p for p in phases}
    nianbao_open = by_name.get("nianbao: open loop")
    if nianbao_open and nianbao_open.samples:
        print("\nnianbao under the open loop, by action (first reply):")
        groups: dict[str, list[float]] = {}
        for s, latency in zip(nianbao_open.samples, nianbao_open.latencies, strict=True):
            groups.setdefault(s.step, []).append(latency)
        ranked = sorted(groups.items(), key=lambda kv: -percentile(kv[1], 0.95))
        for step, values in ranked[:10]:
            print(
                f"  {step:<12} n={len(values):<5} p50 {ms(percentile(values, 0.5)):>9}"
                f"  p95 {ms(percentile(values, 0.95)):>9}"
            )
        print("… and by time in the window (is the load steady?):")
        slices: dict[int, list[float]] = {}
        for s, latency in zip(nianbao_open.samples, nianbao_open.latencies, strict=True):
            slices.setdefault(int((s.sent - nianbao_open.window_start) // 30), []).append(latency)
        for n, values in sorted(slices.items()):
            print(
                f"  {30 * n:>3}–{30 * n + 30} s  n={len(values):<5} "
                f"p50 {ms(percentile(values, 0.5)):>9}  p95 {ms(percentile(values, 0.95)):>9}"
            )
    print()
    if nianbao_open and nianbao_open.samples:
        p95 = percentile(nianbao_open.latencies, 0.95)
        verdict = "met" if p95 < 100 else "MISSED"
        print(
            f"target 1, p95 under 100 ms at {opts.rate:g} updates/s offered: {ms(p95)}: {verdict}"
        )
    sat, echo_sat = by_name.get("nianbao: saturated"), by_name.get("echo: saturated")
    if sat and echo_sat and echo_sat.answered_in_window:
        ratio = (
            sat.answered_in_window / sat.seconds / (echo_sat.answered_in_window / echo_sat.seconds)
        )
        verdict = "met" if ratio >= 1 / 3 else "MISSED"
        print(f"target 2, saturated throughput ≥ 1/3 of the echo bot's: {ratio:.2f}: {verdict}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bot")
    parser.add_argument("--users", type=int, default=1000, help="open-loop users")
    parser.add_argument(
        "--rate", type=float, default=50.0, help="open-loop updates/s in all (users / mean gap)"
    )
    parser.add_argument("--duration", type=float, default=120.0, help="open-loop window, s")
    parser.add_argument(
        "--echo-duration", type=float, default=30.0, help="the echo bot's open-loop window, s"
    )
    parser.add_argument("--warmup", type=float, default=10.0, help="before each open loop, s")
    parser.add_argument("--sat-users", type=int, default=100, help="saturated (closed-loop) users")
    parser.add_argument("--sat-duration", type=float, default=15.0, help="saturated window, s")
    parser.add_argument("--timeout", type=float, default=30.0, help="longest wait for an answer")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="cProfile the nianbao process")
    parser.add_argument(
        "--rate-limit",
        type=float,
        default=0.0,
        help="nianbao's TELEGRAM_RATE_LIMIT, messages/s for the whole bot (0: none, as shipped)",
    )
    args = parser.parse_args(argv if argv is not None else [])
    opts = Options(**vars(args))
    limiter = f" (TELEGRAM_RATE_LIMIT={opts.rate_limit:g})" if opts.rate_limit else ""
    print(
        f"bot over the Bot API{limiter}: open loop {opts.users} users, {opts.rate:g} updates/s "
        f"(one per {opts.users / opts.rate:g} s each), {opts.duration:g} s "
        f"(echo {opts.echo_duration:g} s) after {opts.warmup:g} s; saturated {opts.sat_users} "
        f"users, {opts.sat_duration:g} s; {datetime.now(UTC):%Y-%m-%d}, "
        f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, load average {_load()}",
        flush=True,
    )
    started = time.perf_counter()
    phases = asyncio.run(run(opts))
    report(phases, opts)
    print(f"whole run {time.perf_counter() - started:.0f} s; load average at the end {_load()}")


def _load() -> str:
    """Other work on the machine shares its cores with the bots and this process."""
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


if __name__ == "__main__":
    main(sys.argv[1:])
