"""Scripted users who know what the bot must answer, and the checks run on what it stored.

A ``Filler`` keeps its own copy of the interview (``core.interview.step`` on the answers it saw
acknowledged) and so knows, for every action, the exact messages the bot must send back. It
only takes actions that change the report, so that every answer applied leaves a trace
(``processed_updates``) and applying one twice would show.

When an answer's reply does not come (the bot was killed, a message was lost on the network),
the user does what a person would: sends /report and reads the question. Its action was applied
if and only if the question shown is the one after it. Any message that is neither the expected
one, nor a repeat of one already seen, nor the bot's notice of a lost reply, is recorded as
unexpected and fails the test.

``check_stored`` then compares the database with every user's copy: the same state, exactly the
updates the user saw applied (each once), every acknowledged answer stored, and history rows that
replay to the stored answers.
"""

from __future__ import annotations

import asyncio
import os
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from bot import texts as T
from bot.localapi import SimUser
from bot.localapi.state import BotMessage
from bot.service import CHINA, Out, merge
from core.formats import get_format
from core.interview import (
    Action,
    Command,
    Mode,
    Press,
    QKind,
    Reply,
    State,
    Text,
    ask,
    build_plan,
    new_state,
    step,
)
from core.interview.derive import asked_cells
from storage import Store
from storage.codec import number_text

TRAIL = 50  # steps of 返回上一题 the store keeps (State.to_data)
NOTICE = T.BOT_REPLY_INCOMPLETE
PROBE = Command("report")


def seed_from_env() -> int:
    """``NIANBAO_FAULT_SEED`` if set (to repeat a run), else a fresh random seed."""
    given = os.environ.get("NIANBAO_FAULT_SEED")
    return int(given) if given else random.SystemRandom().randrange(2**31)


def today() -> date:
    return datetime.now(CHINA).date()


@dataclass(frozen=True)
class Shown:
    """A message as the user sees it: its text and its buttons' data."""

    text: str
    data: tuple[str, ...] = ()


def shown(message: BotMessage) -> Shown:
    return Shown(
        message.text or "", tuple(str(b.get("callback_data", "")) for b in message.buttons)
    )


def expected(replies: list[Reply]) -> tuple[Shown, ...]:
    """What the bot sends for the interview's replies (``Service`` merges texts)."""
    outs = merge([Out(r.text, r.buttons) for r in replies])
    return tuple(Shown(o.text, tuple(b.data for row in o.buttons for b in row)) for o in outs)


@dataclass
class Pending:
    """An action sent, and what the user expects back (one of ``outcomes``)."""

    update_id: int
    action: Action
    before: State
    outcomes: list[tuple[State, tuple[Shown, ...]]]
    got: int = 0
    skipped: int = 0
    done: bool = False

    def fits(self, message: Shown) -> bool:
        """Whether ``message`` is a next expected one of some outcome (narrowing them).

        Messages before it may be skipped: the bot sends the rest of a reply when one of its
        messages is lost on the network (and then says so).
        """
        for ahead in range(max((len(o[1]) for o in self.outcomes), default=0) - self.got):
            at = self.got + ahead
            fitting = [o for o in self.outcomes if at < len(o[1]) and o[1][at] == message]
            if fitting:
                self.outcomes = fitting
                self.got = at + 1
                self.skipped += ahead
                return True
        return False

    @property
    def complete(self) -> bool:
        return len(self.outcomes) == 1 and self.got == len(self.outcomes[0][1])


@dataclass
class Filler:
    """One user filling in a report with a copy of the interview in hand."""

    sim: SimUser
    rng: random.Random
    max_actions: int
    model: State | None = None
    pending: Pending | None = None
    unknown: Pending | None = None  # an answer whose fate the next /report tells
    needs_probe: bool = False
    applied: list[int] = field(default_factory=list)
    acked: set[int] = field(default_factory=set)
    unexpected: list[str] = field(default_factory=list)
    sent: Counter[Shown] = field(default_factory=Counter)  # expected sends, per message
    seen: set[Shown] = field(default_factory=set)
    notices: int = 0
    lost: int = 0  # messages of a reply that never came while later ones did
    actions: int = 0
    probes: int = 0
    timeouts: list[str] = field(default_factory=list)  # where the user gave up waiting
    finished: bool = False
    events: list[str] = field(default_factory=list)  # what the user did and read, for failures
    _read: int = 0

    def describe(self) -> str:
        """Where the user is, for a failure message."""
        p, u = self.pending, self.unknown
        last = [m.text[:60] for m in self.sim.messages[-6:]]
        return (
            f"user {self.sim.id}: pending {p and (p.update_id, p.action, p.got, p.done)} "
            f"unknown {u and (u.update_id, u.action)} probe={self.needs_probe} "
            f"model at {self.model and self.model.current}; last messages {last}; "
            f"last events {self.events[-14:]}"
        )

    # ------------------------------------------------------------------ choosing

    def choose(self) -> Action | None:
        """A random action that changes the report and stays before the final review."""
        assert self.model is not None
        state = self.model
        if self.actions >= self.max_actions:
            return None
        candidates: list[Action] = [
            Press(b.data) for row in ask(state).buttons for b in row if not b.data.startswith("y|")
        ]
        typed = self._typed(state)
        # Typing is what people mostly do; buttons (跳过, 全部为0, 稍后再填, 返回) now and then.
        pool = typed * 3 + candidates
        self.rng.shuffle(pool)
        for action in pool:
            after, _ = step(state, action)
            if after == state or after.mode is not Mode.ASK or after.current == "review":
                continue
            if ask(after).text == ask(state).text:
                continue  # /report could not tell whether it was applied
            return action
        return None

    def _typed(self, state: State) -> list[Action]:
        fmt = get_format(state.answers.format)
        q = build_plan(fmt).get(state.current)
        n = self.rng.randrange(1_000_000)
        if q is None:
            return []
        if q.kind is QKind.AGENCY:
            return [Text(f"测试县第{self.sim.id}局")]
        if q.kind is QKind.CONTACT:
            return [Text(f"电话：0471-{n:07d}")]
        if q.kind is QKind.TEXT:
            return [Text(f"第{n}条：本年度持续推进政务公开，完善制度，加强培训。")]
        if q.kind is QKind.FEE:
            return [Text(f"{self.rng.randrange(0, 500)}元")]
        if q.kind is QKind.ROW:
            cells = asked_cells(q, fmt, dict(state.answers.cells))
            values = [str(self.rng.choice((0, 0, 1, 2, 3, 7, 12))) for _ in cells]
            return [Text(" ".join(values))] if values else []
        return []

    # ------------------------------------------------------------------ acting

    async def start(self) -> None:
        """/start: registers the user with an agency of their own and asks the first question."""
        first = new_state(today())
        welcome = Reply(T.BOT_WELCOME.format(name=self.sim.user["first_name"]))
        await self._send(Command("start"), first, [(first, expected([welcome, ask(first)]))])

    async def probe(self) -> None:
        """/report: the current question, which tells whether the unknown answer was applied."""
        if self.model is None:
            await self.start()
            return
        states = [self.model]
        if self.unknown is not None:
            states = [self.unknown.outcomes[0][0], self.unknown.before]
        self.probes += 1
        await self._send(PROBE, self.model, [(s, expected([ask(s)])) for s in states])

    async def next_action(self) -> bool:
        """Sends the next action; False when the script is over."""
        if self.model is None or self.needs_probe or self.unknown is not None:
            self.needs_probe = False
            await self.probe()
            return True
        action = self.choose()
        if action is None:
            return False
        after, replies = step(self.model, action)
        after = after.evolve(trail=after.trail[-TRAIL:])
        self.actions += 1
        await self._send(action, self.model, [(after, expected(replies))])
        return True

    async def _send(
        self, action: Action, before: State, outcomes: list[tuple[State, tuple[Shown, ...]]]
    ) -> None:
        # Each outcome is possible, and only one of them happens: each message once.
        self.sent.update({m for _, messages in outcomes for m in messages})
        if isinstance(action, Text):
            update = await self.sim.send(action.text)
        elif isinstance(action, Command):
            update = await self.sim.send(f"/{action.name}")
        else:
            update = await self.sim.press(self._message_with(action.data), action.data)
        self.pending = Pending(update["update_id"], action, before, outcomes)
        self.events.append(f"sent {update['update_id']} {action}")

    def _message_with(self, data: str) -> int:
        for message in reversed(self.sim.messages):
            current = self.sim.current(message.message_id)
            if current is not None and current.button(data) is not None:
                return current.message_id
        raise AssertionError(f"user {self.sim.id}: no message has the button {data}")

    # ------------------------------------------------------------------ reading

    def read(self) -> None:
        """Takes the bot's new messages in order, matching them to what was expected."""
        log = self.sim.chat.log
        while self._read < len(log):
            message = shown(log[self._read])
            self._read += 1
            self.events.append(f"read {message.text[:30]!r}")
            self._take(message)
            self.seen.add(message)

    def _take(self, message: Shown) -> None:
        if message.text == NOTICE:
            self.notices += 1
            return
        pending, unknown = self.pending, self.unknown
        # The awaited reply first: when the answer in doubt was applied and its reply is exactly
        # the question after it, the /report answer looks the same; a second copy is a repeat.
        if pending is not None and not pending.done and pending.fits(message):
            if pending.complete:
                if pending.action == PROBE and self.unknown is not None:
                    applied = pending.outcomes[0][0] != self.unknown.before
                    if applied:
                        self._settle(self.unknown)
                    self.unknown = None
                self._settle(pending)
            return
        if unknown is not None and unknown.fits(message):
            # A late reply to the answer in doubt: it was applied after all.
            self._settle(unknown)
            self.unknown = None
            if pending is not None and pending.action == PROBE:
                pending.outcomes = [o for o in pending.outcomes if o[0] == self.model]
            return
        if message in self.seen:
            return  # a repeat of an earlier reply (an update handled again after a crash)
        self.unexpected.append(
            f"user {self.sim.id}: unexpected {message.text[:200]!r} "
            f"(waiting for {pending.action if pending else None}); {self.describe()}"
        )

    def _settle(self, pending: Pending) -> None:
        """The action's outcome is known: the user's copy moves on."""
        pending.done = True
        self.lost += pending.skipped
        state = pending.outcomes[0][0]
        if pending.action != PROBE and state != pending.before:
            self.applied.append(pending.update_id)
            if pending.got:
                self.acked.add(pending.update_id)
        self.model = state

    def interrupt(self) -> None:
        """The reply will not come (the bot died, or the wait is over): decide what is known."""
        pending = self.pending
        if pending is None or pending.done:
            return
        self.events.append(f"gave up on {pending.update_id} after {pending.got} messages")
        pending.done = True
        if pending.got:  # part of the answer arrived: it was applied
            pending.outcomes = pending.outcomes[:1]
            self._settle(pending)
            self.needs_probe = True
        elif pending.action != PROBE and pending.outcomes[0][0] != pending.before:
            self.unknown = pending
        else:
            self.needs_probe = True

    async def run(self, stop: Callable[[], bool], patience: float | None = None) -> None:
        """Acts until the script is over or ``stop()``; ``patience``: seconds to wait a reply."""
        loop = asyncio.get_running_loop()
        waited_since = loop.time()
        while True:
            self.read()
            idle = self.pending is None or self.pending.done
            if idle and self.model is not None and self.unknown is None and not self.needs_probe:
                if stop() or not await self.next_action():
                    break
                waited_since = loop.time()
                continue
            if idle:
                await self.next_action()
                waited_since = loop.time()
                continue
            if patience is not None and loop.time() - waited_since > patience:
                self.timeouts.append(self.describe())
                self.interrupt()
                continue
            await self.sim.chat.changed.wait(0.5)
        self.finished = True


# ---------------------------------------------------------------------- what was stored


async def check_stored(database_url: str, users: list[Filler]) -> None:
    """Every user's report as stored equals the user's copy; each answer applied exactly once."""
    store = await Store.open(database_url)
    try:
        processed = await processed_updates(store)
        problems: list[str] = []
        for user in users:
            problems.extend(user.unexpected)
            problems.extend(await _check_one(store, user, processed))
    finally:
        await store.close()
    assert not problems, "\n".join(problems[:40])


def applied_counts(users: list[Filler]) -> tuple[int, int]:
    """Answers applied in all, and how many of them only a /report could settle."""
    applied = sum(len(u.applied) for u in users)
    return applied, applied - sum(len(u.acked) for u in users)


async def _check_one(store: Store, user: Filler, processed: dict[int, set[int]]) -> list[str]:
    who = f"user {user.sim.id}"
    members = await store.memberships(user.sim.id)
    if len(members) != 1 or members[0].agency_id is None:
        return [f"{who}: {len(members)} memberships"]
    reports = await store.reports_of(members[0].agency_id)
    if len(reports) != 1:
        return [f"{who}: {len(reports)} reports"]
    (report,) = reports
    out: list[str] = []
    assert user.model is not None
    if report.state != user.model:
        out.append(f"{who}: stored {_brief(report.state)} != the user's {_brief(user.model)}")
    ids = processed.get(report.report_id, set())
    if len(user.applied) != len(set(user.applied)):
        out.append(f"{who}: an update counted twice by the user: {user.applied}")
    if ids != set(user.applied):
        out.append(
            f"{who}: applied {sorted(ids)} but the user saw {sorted(user.applied)} "
            f"(missing {sorted(set(user.applied) - ids)}, extra {sorted(ids - set(user.applied))})"
        )
    if not user.acked <= ids:
        out.append(f"{who}: acknowledged but not stored: {sorted(user.acked - ids)}")
    if report.version != len(ids) + 1:
        out.append(f"{who}: version {report.version} after {len(ids)} applied updates")
    out.extend(await _history_replays(store, report.report_id, report.state, ids, who))
    return out


async def _history_replays(
    store: Store, report_id: int, state: State, ids: set[int], who: str
) -> list[str]:
    """Each history row starts from the value the previous one left; the last is stored now."""
    values: dict[tuple[str, str], str | None] = {}
    out: list[str] = []
    for change in await store.history(report_id):
        key = (change.kind, change.key)
        if key[0] == "meta" and key != ("meta", "agency"):
            continue  # year, format, status: facts of the report row, not answers
        if values.get(key) != change.old:
            out.append(f"{who}: history of {key} says {change.old!r}, was {values.get(key)!r}")
        values[key] = change.new
        if change.update_id is not None and change.update_id not in ids:
            out.append(f"{who}: history names update {change.update_id}, never applied")
    answers = state.answers
    now: dict[tuple[str, str], str | None] = {
        ("cell", k): number_text(v) for k, v in answers.cells.items()
    }
    now.update({("text", k): v for k, v in answers.texts.items()})
    now.update({("contact", k): v for k, v in answers.contact.items()})
    if answers.agency:
        now[("meta", "agency")] = answers.agency
    replayed = {
        k: v
        for k, v in values.items()
        if v is not None and (k[0] != "meta" or k == ("meta", "agency"))
    }
    if replayed != now:
        diff = {k for k in replayed.keys() | now.keys() if replayed.get(k) != now.get(k)}
        out.append(f"{who}: history does not replay to the answers: {sorted(diff)[:5]}")
    fmt = get_format(answers.format)
    bad = [c for c in answers.cells if c not in fmt.cells or fmt.cells[c].computed]
    if bad:
        out.append(f"{who}: cells that are not input cells: {bad}")
    if state.current != "review" and build_plan(fmt).get(state.current) is None:
        out.append(f"{who}: current question {state.current!r} does not exist")
    return out


def _brief(state: State) -> str:
    a = state.answers
    return (
        f"<{state.current} {state.mode} cells={len(a.cells)} texts={sorted(a.texts)} "
        f"contact={dict(a.contact)} agency={a.agency!r} deferred={sorted(state.deferred)}>"
    )


def duplicate_sends(users: list[Filler]) -> list[str]:
    """Messages the bot sent more often than the users' actions asked for them.

    Every action the user took expects its messages once; a message sent more often than the
    actions that expect it is a reply sent twice for one update (the notice of a lost reply
    may come once per update at most).
    """
    out: list[str] = []
    for user in users:
        got = Counter(shown(m) for m in user.sim.messages)
        notices = got.pop(Shown(NOTICE), 0)
        for message, count in got.items():
            if count > user.sent[message]:
                out.append(f"user {user.sim.id}: {count} × {message.text[:80]!r}")
        updates = user.actions + user.probes + 1
        if notices > updates:
            out.append(f"user {user.sim.id}: {notices} notices for {updates} updates")
    return out


async def processed_updates(store: Store) -> dict[int, set[int]]:
    """Report id -> the update ids the store recorded as applied to it."""
    import sqlalchemy as sa

    from storage.models import processed

    query = sa.select(processed.c.report_id, processed.c.update_id)
    found = await store._read(lambda conn: conn.execute(query).all())
    out: dict[int, set[int]] = {}
    for report_id, update_id in found:
        out.setdefault(report_id, set()).add(update_id)
    return out


async def finish(users: list[Filler], runs: list[asyncio.Task[None]], timeout: float) -> None:
    """Waits for the users' runs; on timeout fails saying where each stuck user is."""
    done, stuck = await asyncio.wait(runs, timeout=timeout)
    for task in done:
        task.result()
    if stuck:
        for task in stuck:
            task.cancel()
        lines = [u.describe() for u, t in zip(users, runs, strict=True) if t in stuck]
        raise AssertionError(f"{len(stuck)} users still waiting:\n" + "\n".join(lines[:10]))
