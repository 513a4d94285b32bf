"""Three ``nianbao run`` processes in webhook mode behind one "load balancer", one PostgreSQL.

The local Bot API server posts updates to the three webhooks in turn (``balance_webhooks``), each
chat's in order and different chats' at once, as Telegram does; some updates are delivered a
second time (to whichever replica is next). Many users fill in their reports at once, then
reminders planted for other members are sent by three reminder passes running at the same
time. Nothing typed may be lost or applied twice, no reminder may go out twice, the logs may
not hold the token, the webhook secret or anything typed, and ``/metrics`` must add up.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.localapi import LocalBotApi
from bot.localapi.users import SimUser
from bot.service import CHINA
from bot.texts import BOT_CONFLICT, BOT_ERROR
from core.deadlines import DeadlineKind
from storage import Store
from storage.reminders import PlannedReminder, ReminderStatus
from tests.e2e.phone import Phone
from tests.pgserver import PgServer

from .conftest import clean_env, free_port, nianbao_process, run_nianbao

REPLICAS = 3
USERS = 15
SILENT = 45  # members who only receive a reminder
SECRET = "replica-secret_0123456789"


def agency_name(i: int) -> str:
    return f"甲乙县第{i:02d}档案馆"


def problems_text(i: int) -> str:
    return f"第{i:02d}号单位存在的主要问题是公开意识有待加强，下一步将加强培训，完善制度，持续提升公开质量。"


def reminder_text(i: int) -> str:
    return f"【测试提醒{i:02d}】请尽快完成年度报告的填报。"


async def accepted(server: LocalBotApi, update_id: int, times: int) -> None:
    """Waits until a webhook accepted the update ``times`` times (it answers once it replied)."""
    for _ in range(600):
        if [u for _, u in server.webhook_accepted()].count(update_id) >= times:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"update {update_id} was not accepted {times} times")


async def redeliver_silently(server: LocalBotApi, user: SimUser, update_id: int) -> None:
    """Delivers an update once more; the bot must not answer it again."""
    await accepted(server, update_id, 1)  # every reply to it has been sent
    before = len(user.messages)
    await server.redeliver(update_id)
    await accepted(server, update_id, 2)
    assert len(user.messages) == before, [m.text for m in user.messages[before:]]


async def fill_in(server: LocalBotApi, phone: Phone, i: int) -> None:
    """An all-zero report, two answers of which are delivered twice."""
    await phone.send("/start")
    assert "请发送本单位全称" in phone.text
    update = await phone.user.send(agency_name(i))
    await phone._collect(30)
    await redeliver_silently(server, phone.user, update["update_id"])
    for _ in range(6):
        await phone.press("跳过")
    for _ in range(3):
        await phone.press("本表全部为0")
    update = await phone.user.send(problems_text(i))
    await phone._collect(30)
    await redeliver_silently(server, phone.user, update["update_id"])
    await phone.press("完成")
    await phone.press("本年度未收取")
    await phone.press("无")
    assert agency_name(i) in phone.text
    await phone.press("完成填报")
    await phone.wait_documents(2)  # rendered after the text reply


def scrape(text: str) -> dict[str, float]:
    """``name{label="value",…}`` → value, for every sample of a /metrics page."""
    samples: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            labels = ",".join(f'{k}="{v}"' for k, v in sorted(s.labels.items()))
            samples[f"{s.name}{{{labels}}}"] = s.value
    return samples


# aiohttp's multipart reader (the local server reading a sendDocument from another process,
# whose body arrives in pieces) calls its own deprecated StreamReader.unread_data.
@pytest.mark.filterwarnings("ignore:unread_data:DeprecationWarning")
async def test_three_webhook_replicas_share_one_database(
    pg_server: PgServer | None, pg_url: str, tmp_path: Path
) -> None:
    server = LocalBotApi(balance_webhooks=True, webhook_timeout=60.0)
    await server.start()
    ports = [free_port() for _ in range(REPLICAS)]
    base = clean_env(
        TELEGRAM_BOT_TOKEN=server.token,
        TELEGRAM_BASE_URL=server.base_url,
        TELEGRAM_BASE_FILE_URL=server.base_file_url,
        DATABASE_URL=pg_url,
        WEBHOOK_SECRET=SECRET,
        HOST="127.0.0.1",
        REMINDER_INTERVAL="1",
        REMINDER_RATE="10",
        LOG_FORMAT="json",
        LOG_LEVEL="DEBUG",
    )
    code, _, err = await run_nianbao(["migrate"], base, tmp_path)
    assert code == 0, err
    store = await Store.open(pg_url)
    try:
        async with (
            nianbao_process(["run"], _replica(base, ports[0]), tmp_path, "r0") as r0,
            nianbao_process(["run"], _replica(base, ports[1]), tmp_path, "r1") as r1,
            nianbao_process(["run"], _replica(base, ports[2]), tmp_path, "r2") as r2,
        ):
            replicas = [r0, r1, r2]
            await asyncio.gather(*(r.wait_for_output("已启动") for r in replicas))

            # Many users at once, over three replicas.
            phones = [Phone(server.user(7000 + i, f"用户{i}"), quiet=1.0) for i in range(USERS)]
            await asyncio.gather(*(fill_in(server, p, i) for i, p in enumerate(phones)))

            # Reminders claimed by three passes at once (and by the replicas' own passes).
            at = datetime(datetime.now(CHINA).year + 1, 7, 1, 10, 0, tzinfo=CHINA)
            silent = [server.user(9000 + i, f"成员{i}") for i in range(SILENT)]
            await _plant_reminders(store, silent, at)
            passes = await asyncio.gather(
                *(run_nianbao(["remind", "--at", at.isoformat()], base, tmp_path) for _ in range(3))
            )
            assert [code for code, _, _ in passes] == [0, 0, 0], passes

            pages = await asyncio.gather(*(_get(f"http://127.0.0.1:{p}/metrics") for p in ports))
        outputs = [(r.output(), r.log()) for r in replicas]
        accepted = server.webhook_accepted()
        await _check_answers(store, phones)
        await _check_reminders(store, server, silent, at)
    finally:
        await store.close()
        await server.stop()
    server.assert_no_violations()

    # Updates went round-robin to all three; every one is counted where it was handled.
    by_url = Counter(url for url, _ in accepted)
    assert sorted(by_url) == sorted(_replica(base, p)["WEBHOOK_URL"] for p in ports)
    metrics = [scrape(page) for page in pages]
    handled = [
        sum(v for k, v in m.items() if k.startswith("nianbao_updates_total")) for m in metrics
    ]
    assert all(h > 0 for h in handled) and sum(handled) == len(accepted)
    assert sum(m["nianbao_update_seconds_count{}"] for m in metrics) == len(accepted)
    assert (
        sum(m.get('nianbao_reports_submitted_total{route="direct"}', 0) for m in metrics) == USERS
    )
    # A redelivery that reached another replica was recognised by the database (one that came
    # back to the same replica was dropped there before reaching the service).
    urls: dict[int, list[str]] = {}
    for url, update_id in accepted:
        urls.setdefault(update_id, []).append(url)
    elsewhere = sum(1 for u in urls.values() if len(u) == 2 and u[0] != u[1])
    assert sum(len(u) == 2 for u in urls.values()) == 2 * USERS
    assert sum(m["nianbao_duplicate_updates_total{}"] for m in metrics) == elsewhere > 0

    # Logs: JSON lines, with no token, no secret and nothing anybody typed.
    typed = [agency_name(i) for i in range(USERS)] + [problems_text(i)[:12] for i in range(USERS)]
    for stdout, log in outputs:
        lines = [json.loads(line) for line in log.splitlines() if line.strip()]
        assert lines and all({"time", "level", "logger", "message"} <= set(x) for x in lines)
        for text in (stdout, log):
            assert server.token not in text and server.token.split(":")[1] not in text
            assert SECRET not in text
            assert not [t for t in typed if t in text]


def _replica(base: dict[str, str], port: int) -> dict[str, str]:
    return {**base, "PORT": str(port), "WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram"}


async def _get(url: str) -> str:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        return await response.text()


async def _plant_reminders(store: Store, silent: list[SimUser], at: datetime) -> None:
    """One pending reminder for each silent member, due at ``at`` (as a pass plans them)."""
    planned = []
    for i, user in enumerate(silent):
        member = await store.register_alone(user.user["id"], f"成员{i}", now=at)
        assert member.agency_id is not None
        planned.append(
            PlannedReminder(
                member_id=member.id,
                agency_id=member.agency_id,
                report_id=None,
                year=at.year - 1,
                kind=DeadlineKind.AGENCY,
                slot="test",
                day=at.date(),
                chat_id=user.user["id"],
                text=reminder_text(i),
                due_at=at - timedelta(hours=1),
                expires_at=at.replace(hour=21),
            )
        )
    assert await store.plan_reminders(planned, now=at) == len(planned)


async def _check_answers(store: Store, phones: list[Phone]) -> None:
    """Every answer stored once; every report's history the same apart from what was typed."""
    histories = []
    for i, phone in enumerate(phones):
        texts = "\n".join(m.text or "" for m in phone.user.messages)
        assert BOT_CONFLICT not in texts and BOT_ERROR not in texts
        [member] = await store.memberships(phone.user.user["id"])
        assert member.agency_id is not None
        [report] = await store.reports_of(member.agency_id)
        assert report.state.mode.value == "done" and report.version > 10
        assert report.state.answers.agency == agency_name(i)
        assert problems_text(i) in "".join(report.state.answers.texts.values())
        history = await store.history(report.report_id)
        keyed = Counter((c.update_id, c.kind, c.key) for c in history if c.update_id is not None)
        assert max(keyed.values()) == 1  # no update wrote the same item twice
        histories.append(
            [(c.kind, c.key) for c in history if c.new not in (agency_name(i), problems_text(i))]
        )
    assert all(h == histories[0] for h in histories)


async def _check_reminders(
    store: Store, server: LocalBotApi, silent: list[SimUser], at: datetime
) -> None:
    """Each planted reminder sent exactly once, whichever process claimed it."""
    records = [r for r in await store.reminder_records(day=at.date()) if r.slot == "test"]
    assert len(records) == SILENT
    assert {r.status for r in records} == {ReminderStatus.SENT}
    for i, user in enumerate(silent):
        got = [m for m in user.messages if m.text == reminder_text(i)]
        assert len(got) == 1, (i, len(got))
    everywhere = [
        m.text
        for chat in server.bot.chats.values()
        for m in chat.log
        if m.text and m.text.startswith("【测试提醒")
    ]
    assert len(everywhere) == SILENT
