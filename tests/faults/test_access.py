"""Access: who may do what, guessing invitations, the webhook's secret, secrets in logs, uploads.

The authorization matrix is generated, not listed: every command of the bot's menu
(``T.BOT_COMMANDS``, so a new command is covered the day it is added) and every button the bot
showed to the members of agency 甲 and to its office's coordinator while they registered,
invited, filled in, submitted, reviewed, compiled and removed a member, pressed by each kind of
outsider: a member of another agency of the same office, a member of an agency of another
office, the coordinator of another office, someone with no agency, and a member who was removed.
None of them may change anything of agency 甲 or see anything of it; its own members may do
what their role allows.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import aiohttp
import pytest
from pydantic import SecretStr

from bot import texts as T
from bot import texts_coordination as C
from bot.localapi import LocalBotApi
from bot.reminder_commands import deadline_reply
from bot.service import CHINA, Out, Service, User
from core.importers import MAX_BYTES
from core.interview import Command, Press, Text, report_year
from storage import Store
from tests.e2e.phone import Phone, running_bot, settings_for
from tests.faults.botprocess import BotProcess, bot_env

SECRET_AGENCY = "甲县保密局"
LINK = re.compile(r"start=([A-Za-z0-9_-]+)")
NOW = datetime.now(CHINA)


@dataclass
class Person:
    """A user of the service; every button data they were ever shown is kept in ``shown``."""

    service: Service
    user: User
    shown: set[str]
    update: int = 0
    outs: list[Out] = field(default_factory=list)

    async def do(self, action: Text | Press | Command) -> list[Out]:
        self.update += 1
        update_id = self.user.id * 100_000 + self.update
        self.outs = await self.service.handle(self.user, update_id, action)
        self.shown.update(b.data for o in self.outs for row in o.buttons for b in row)
        return self.outs

    async def press(self, label: str) -> list[Out]:
        found = [
            b for o in self.outs for row in o.buttons for b in row if b.label.startswith(label)
        ]
        assert found, (
            f"no button {label!r} in {[b.label for o in self.outs for r in o.buttons for b in r]}"
        )
        return await self.do(Press(found[0].data))

    def text(self) -> str:
        return "\n".join(o.text for o in self.outs)

    def code(self) -> str:
        found = LINK.search(self.text())
        assert found, self.text()
        return found.group(1)


@dataclass
class World:
    store: Store
    report_id: int
    agency_id: int
    office_id: int
    reviewer: Person
    filler: Person
    coordinator: Person
    outsiders: dict[str, Person]
    buttons: set[str]


@pytest.fixture
async def any_store(database_url: str) -> AsyncIterator[Store]:
    """A migrated store on each backend."""
    opened = await Store.open(database_url, auto_migrate=True)
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    """A migrated SQLite store."""
    opened = await Store.open(f"sqlite:///{tmp_path}/nb.db", auto_migrate=True)
    try:
        yield opened
    finally:
        await opened.close()


async def build(store: Store) -> World:
    """Office 1 with agencies 甲 (submitted) and 丙, office 2 with agency 乙, and the outsiders."""
    service = Service(store, bot_username="nianbao_test_bot")
    shown: set[str] = set()
    coordinator = Person(service, User(1, "王主任"), shown)
    await coordinator.do(Command("new_office"))
    await coordinator.do(Text("某某县人民政府办公室"))
    office_code = coordinator.code()
    reviewer = Person(service, User(40, "甲审核人"), shown)
    await reviewer.do(Command("start", office_code))
    filler = Person(service, User(41, "甲填报人"), shown)
    removed = Person(service, User(42, "甲前同事"), shown)
    for colleague in (filler, removed):
        await reviewer.do(Command("invite"))
        await reviewer.press(C.INVITE_FILLER)
        await colleague.do(Command("start", reviewer.code()))
    await reviewer.do(Command("invite"))
    await reviewer.press(C.INVITE_REVIEWER)  # left open, for /revoke to list
    await filler.do(Command("report"))
    await fill_zero(filler, SECRET_AGENCY)
    # Agency 丁 of office 1, approved: /compile then offers its buttons.
    ding = Person(service, User(45, "丁审核人"), shown)
    await ding.do(Command("start", office_code))
    await fill_zero(ding, "丁县审计局")
    (ding_report,) = await store.reports_of((await store.memberships(45))[0].agency_id or 0)
    await ding.do(Press(f"c|sub|{ding_report.report_id}"))
    await coordinator.do(Press(f"c|ok|{ding_report.report_id}"))
    assert f"c|back|{_rid(shown)}" in shown  # the review came to the reviewer
    (report,) = await store.reports_of((await store.memberships(40))[0].agency_id or 0)
    await reviewer.do(Press(f"c|sub|{report.report_id}"))
    for command in ("revoke", "remove", "preview", "download", "status"):
        await reviewer.do(Command(command))
    await reviewer.do(Command("remove"))
    await reviewer.press(C.REMOVE_BUTTON.split("：")[0])
    shown.update(("c|rmn|0",))
    await coordinator.do(Command("board"))
    await coordinator.press(SECRET_AGENCY)
    for command in ("compile", "revoke", "invite", "board"):
        await coordinator.do(Command(command))
    await coordinator.do(Command("compile"))
    agency_id = report.agency_id
    office_id = (await store.memberships(1))[0].office_id
    assert office_id is not None
    member = next(m for m in await store.memberships(42) if m.agency_id == agency_id)
    await store.remove_member(member.id, now=NOW, by=None)
    # The outsiders: another agency of office 1, office 2's coordinator and its agency.
    same_office = Person(service, User(60, "丙审核人"), set())
    await same_office.do(Command("start", office_code))
    await same_office.do(Text("丙县财政局"))
    other_coordinator = Person(service, User(50, "乙协调人"), set())
    await other_coordinator.do(Command("new_office"))
    await other_coordinator.do(Text("另一个县政府办公室"))
    other_office = Person(service, User(51, "乙审核人"), set())
    await other_office.do(Command("start", other_coordinator.code()))
    await other_office.do(Text("乙县教育局"))
    outsiders = {
        "other agency, same office": same_office,
        "other agency, other office": other_office,
        "coordinator of another office": other_coordinator,
        "no agency": Person(service, User(70, "路人"), set()),
        "removed member": Person(service, User(42, "甲前同事"), set()),
    }
    return World(
        store,
        report.report_id,
        agency_id,
        office_id,
        reviewer,
        filler,
        coordinator,
        outsiders,
        set(shown),
    )


async def fill_zero(person: Person, name: str) -> None:
    """From the agency question to 完成填报: an all-zero report."""
    await person.do(Text(name))
    for label in ["跳过"] * 6 + ["本表全部为0"] * 3:
        await person.press(label)
    await person.do(Text("存在的主要问题是公开意识有待加强，下一步将加强培训，持续提升公开质量。"))
    for label in ("完成", "本年度未收取", "无", "完成填报"):
        await person.press(label)


def _rid(shown: set[str]) -> str:
    return next(d.split("|")[2] for d in shown if d.startswith("c|sub|"))


async def snapshot(w: World) -> tuple[object, ...]:
    """Everything of agency 甲 and office 1 an outsider could try to change."""
    report = await w.store.load_report(w.report_id)
    year = report_year(NOW.date())
    return (
        report.version,
        report.status,
        report.state,
        len(await w.store.history(w.report_id)),
        await w.store.live_invites(NOW, agency_id=w.agency_id),
        await w.store.live_invites(NOW, office_id=w.office_id),
        sorted(m.id for m in await w.store.members_of(w.agency_id)),
        [a.id for a in await w.store.list_agencies(w.office_id)],
        await w.store.deadline(w.office_id, year),
        await w.store.reminder_policy(w.office_id),
    )


def leaks(outs: list[Out], who: Person) -> list[str]:
    found = []
    for out in outs:
        if out.chat not in (None, who.user.id):
            found.append(f"a message to chat {out.chat}")
        # A removed member is told which agency they left: that they knew already.
        told = out.text == C.REMOVED_REFUSAL.format(agency=SECRET_AGENCY)
        if SECRET_AGENCY in out.text and not told:
            found.append(f"甲's name shown: {out.text[:80]!r}")
        if out.document is not None and (
            SECRET_AGENCY in out.document.filename or "人民政府办公室" in out.document.filename
        ):
            found.append(f"a file of 甲 or of office 1 sent: {out.document.filename}")
    return found


async def test_every_command_and_button_against_every_kind_of_outsider(store: Store) -> None:
    w = await build(store)
    commands = [name for name, _ in T.BOT_COMMANDS]
    assert {"invite", "revoke", "board", "compile", "remove"} <= set(commands)
    kinds = {d.split("|")[0] + "|" + d.split("|")[1] for d in w.buttons if d.startswith("c|")}
    # Every coordination button kind was shown (and so is pressed below).
    assert {"c|sub", "c|back", "c|ag", "c|ok", "c|rt", "c|cp", "c|rv", "c|inv", "c|rm"} <= kinds
    assert any(d.startswith("c|rmy|") for d in w.buttons) and f"r|{w.report_id}" not in w.buttons
    presses = sorted(
        w.buttons
        | {f"r|{w.report_id}", f"w|{w.agency_id}", f"c|mb|{w.agency_id}", f"c|kr|{w.report_id}"}
        | {"f|review"}
    )
    before = await snapshot(w)
    problems: list[str] = []
    for kind, person in w.outsiders.items():
        # Buttons first: "no agency" presses them with no agency at all (any interview command
        # registers an agency of one's own), then every command.
        actions: list[Text | Press | Command] = [Press(d) for d in presses]
        actions += [Command(c) for c in commands]
        actions += [Command("edit", "表三"), Command("start", "not-a-code")]
        actions += [Press(d) for d in presses]  # and the buttons again, now with an agency
        for action in actions:
            outs = await person.do(action)
            follow = await person.do(Text("随便写的退回意见"))  # an answer a button may await
            problems.extend(f"{kind}: {action}: {p}" for p in leaks(outs + follow, person))
            if isinstance(action, Command) and action.name == "deadline":
                await deadline_reply(store, person.user.id, "2027-01-15", NOW)
            if await snapshot(w) != before:
                problems.append(f"{kind}: {action} changed agency 甲 or office 1")
                before = await snapshot(w)
    assert not problems, "\n".join(problems[:30])


async def test_own_agency_members_may_do_what_their_role_allows(store: Store) -> None:
    w = await build(store)
    reviewer, filler, coordinator = w.reviewer, w.filler, w.coordinator
    refusals = (C.NOT_ALLOWED, C.NOT_COORDINATOR, C.REMOVE_ONLY_REVIEWER)
    for person, action in [
        (reviewer, Command("invite")),
        (reviewer, Command("revoke")),
        (reviewer, Command("remove")),
        (filler, Command("preview")),
        (filler, Command("download")),
        (coordinator, Command("board")),
        (coordinator, Press(f"c|ag|{w.agency_id}")),
        (coordinator, Command("compile")),
    ]:
        text = "\n".join(o.text for o in await person.do(action))
        assert not any(r in text for r in refusals), (person.user.name, action, text)
    # A filler may not invite a reviewer nor remove anyone, even with forged buttons.
    assert (await filler.do(Press("c|inv|reviewer")))[0].text == C.NOT_ALLOWED
    member = next(m for m in await store.members_of(w.agency_id) if m.role.value == "reviewer")
    outs = await filler.do(Press(f"c|rmy|{member.id}"))
    assert outs[0].text in (C.NOT_ALLOWED, C.REMOVE_ONLY_REVIEWER)
    # The coordinator approves the submitted report: the status moves on.
    await coordinator.do(Press(f"c|ok|{w.report_id}"))
    assert (await store.load_report(w.report_id)).status.value == "approved"


async def test_guessing_invitations_is_limited_per_user_and_survives_a_restart(
    store: Store,
) -> None:
    service = Service(store, bot_username="nianbao_test_bot")
    shown: set[str] = set()
    coordinator = Person(service, User(1, "王主任"), shown)
    await coordinator.do(Command("new_office"))
    await coordinator.do(Text("某某县人民政府办公室"))
    valid = coordinator.code()
    guesser = Person(service, User(90, "猜码的人"), shown)
    answers = [
        (await guesser.do(Command("start", f"{valid[:-4]}{n:04d}")))[0].text for n in range(7)
    ]
    assert answers[:5] == [C.REDEEM_FAILED["unknown"]] * 5
    assert answers[5:] == [C.REDEEM_FAILED["limited"]] * 2
    again = Person(Service(store, bot_username="nianbao_test_bot"), User(90, "猜码的人"), shown)
    assert (await again.do(Command("start", valid)))[0].text == C.REDEEM_FAILED["limited"]
    honest = Person(service, User(91, "另一个人"), shown)  # someone else is not held back
    assert "审核人" in "".join(o.text for o in await honest.do(Command("start", valid)))


# ---------------------------------------------------------------------- the real bot


@pytest.mark.filterwarnings("ignore::ResourceWarning")
async def test_the_webhook_refuses_a_wrong_secret(
    bot_api: LocalBotApi, tmp_path: Path, unused_tcp_port: int
) -> None:
    url = f"http://127.0.0.1:{unused_tcp_port}/telegram"
    secret = "Right-Secret_123"
    settings = settings_for(
        bot_api,
        tmp_path / "nb.db",
        webhook_url=url,
        webhook_secret=SecretStr(secret),
        host="127.0.0.1",
        port=unused_tcp_port,
        reminder_interval=0,
    )
    user = bot_api.user(3100, "冒充者")
    forged = {
        "update_id": 999_999,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 3100, "type": "private", "first_name": "冒充者"},
            "from": {"id": 3100, "is_bot": False, "first_name": "冒充者"},
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }
    async with running_bot(settings), aiohttp.ClientSession() as http:
        for wrong in ("", "wrong", secret.lower(), secret + "x", secret[:-1], "Right-Secret_124"):
            headers = {"X-Telegram-Bot-Api-Secret-Token": wrong}
            async with http.post(url, json=forged, headers=headers) as response:
                assert response.status == 403, wrong
        await asyncio.sleep(0.5)
        assert user.messages == []  # none of them was handled
        phone = Phone(user)
        await phone.send("/start")  # delivered by the server with the right secret
        assert "请发送本单位全称" in phone.text


@pytest.mark.filterwarnings("ignore::ResourceWarning")
async def test_no_token_or_secret_in_any_log_line(bot_api: LocalBotApi, tmp_path: Path) -> None:
    """A bot logging at DEBUG through failures, in both modes: neither secret is ever written."""
    secret = "Log-Secret_9876543210"
    logs: list[str] = []
    bot_api.faults.add("500", 0.3, methods=["sendMessage", "getUpdates"])
    bot_api.faults.add("drop", 0.3, methods=["sendMessage", "getUpdates"])
    for mode in ("polling", "webhook"):
        extra = {"LOG_LEVEL": "DEBUG"}
        if mode == "webhook":
            port = _free_port()
            extra.update(
                WEBHOOK_URL=f"http://127.0.0.1:{port}/hook",
                WEBHOOK_SECRET=secret,
                HOST="127.0.0.1",
                PORT=str(port),
            )
        db = f"sqlite:///{tmp_path}/{mode}.db"
        bot = BotProcess(bot_env(bot_api, db, **extra), tmp_path, tmp_path / f"{mode}.log")
        saved = list(bot_api.faults.rules)
        bot_api.faults.clear()  # start-up itself is not under test
        await bot.start()
        await bot.wait_started()
        bot_api.faults.rules[:] = saved
        user = bot_api.user(3200 + len(logs), "记录")
        for text in ("/start", "某某县民政局", "/status", "/help", "/preview", "/report") * 2:
            await user.send(text)
            await asyncio.sleep(0.3)
        if mode == "webhook":
            async with aiohttp.ClientSession() as http:
                headers = {"X-Telegram-Bot-Api-Secret-Token": "wrong"}
                async with http.post(extra["WEBHOOK_URL"], json={}, headers=headers) as r:
                    assert r.status == 403
        bot_api.faults.clear()
        assert await bot.stop() == 0
        logs.append(bot.log_text())
    text = "\n".join(logs)
    # Failures were logged, with their exceptions: there was something to leak into.
    assert "DEBUG" in text and ("WARNING" in text or "ERROR" in text), text[-2000:]
    token_secret = bot_api.token.split(":", 1)[1]
    for needle in (bot_api.token, token_secret, secret):
        lines = [line for line in text.splitlines() if needle in line]
        assert lines == [], f"{needle[:6]}… is in the log: {lines[:3]}"


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.mark.filterwarnings("ignore::ResourceWarning")
async def test_uploads_are_limited_in_size_and_type(bot_api: LocalBotApi, tmp_path: Path) -> None:
    async with running_bot(settings_for(bot_api, tmp_path / "nb.db", reminder_interval=0)):
        phone = Phone(bot_api.user(3300, "传文件的人"))
        await phone.send("/start")
        cases = [
            ("太大.docx", b"PK\x03\x04" + b"\0" * MAX_BYTES, T.BOT_UPLOAD_TOO_LARGE),
            ("程序.exe", b"MZ\x90\x00" + bytes(range(256)) * 40, "无法识别"),
            ("照片.docx", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "图片"),
            ("旧版.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧版 Word"),
            ("扫描件.pdf", b"%PDF-1.7\n" + b"0" * 100, "PDF"),
            ("压缩包.zip", _zip({"a.txt": b"x"}), "压缩"),
        ]
        for name, data, words in cases:
            calls = sum(1 for r in bot_api.calls if r.method == "getFile")
            await phone.user.upload(name, data)
            await phone._collect(20)
            assert words in phone.text, (name, phone.text)
            fetched = sum(1 for r in bot_api.calls if r.method == "getFile") - calls
            assert fetched == (0 if len(data) > MAX_BYTES else 1), name


def _zip(members: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


# ---------------------------------------------------------------------- a race found here
# Removing a member while their answer is being saved: the answer is refused (MemberGone).


async def test_removed_while_typing(any_store: Store) -> None:
    store = any_store
    service = Service(store, bot_username="nianbao_test_bot")
    w = await build(store)
    filler = next(m for m in await store.members_of(w.agency_id) if m.telegram_user_id == 41)
    real_apply = store.apply

    async def removed_first(*args: object, **kwargs: object) -> object:
        await store.remove_member(filler.id, now=NOW, by=None)  # the reviewer, a moment before
        return await real_apply(*args, **kwargs)  # type: ignore[arg-type]

    await w.coordinator.do(Press(f"c|rt|{w.report_id}"))
    await w.coordinator.do(Text("请补充。"))  # returned: the interview is open again
    await service.handle(User(41, "甲填报人"), 1, Command("back"))  # to 六、其他事项
    store.apply = removed_first  # type: ignore[method-assign]
    outs = await service.handle(User(41, "甲填报人"), 2, Text("本年度没有其他需要报告的事项。"))
    # Refused like every later action of a removed member, and nothing of it saved.
    assert len(outs) == 1 and "不是「" in outs[0].text and "的成员" in outs[0].text
    report = next(r for r in await store.reports_of(w.agency_id) if r.report_id == w.report_id)
    assert "本年度没有其他需要报告的事项" not in str(report.state.answers.texts)
