"""Uploaded reports in the bot, on a real SQLite store: check, keep as last year's, continue."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.service import Out, Service, User
from bot.uploads import Upload
from core.answers import Answers
from core.importers import MAX_BYTES
from core.interview import Command, Press, Text
from storage import Store
from tests.core.rendered import load
from tests.importers.corpus import RENDERERS

NOW = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)  # the report being filled is 2025's
ZHANG = User(1001, "张三")
EXAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "examples"


@pytest.fixture
def service(store: Store) -> Service:
    """The service with a fixed clock."""
    return Service(store, clock=lambda: NOW)


def doc(answers: Answers, kind: str = "docx") -> Upload:
    name, render = RENDERERS[kind]
    return Upload(name, render(answers, True))


def buttons(outs: list[Out]) -> dict[str, str]:
    return {b.label: b.data for o in outs for row in o.buttons for b in row}


def text(outs: list[Out]) -> str:
    return "\n".join(o.text for o in outs)


def last_year() -> Answers:
    """full-2021 as if it were the 2024 report, carrying 5 applications into 2025."""
    full = load("full-2021")
    return Answers("gov-2021", 2024, full.agency, dict(full.cells), dict(full.texts))


async def current(store: Store) -> tuple[int, object]:
    (member,) = await store.memberships(ZHANG.id)
    assert member.agency_id is not None
    report = (await store.reports_of(member.agency_id))[0]
    return member.agency_id, report


async def test_upload_replies_with_the_check_and_two_buttons(service: Service) -> None:
    outs = await service.upload(ZHANG, 1, doc(load("full-2021")))
    assert "已读取Word 文件（.docx）：青山县人力资源和社会保障局2025年度报告" in text(outs)
    assert "检查结果：0 个错误" in text(outs)
    choices = buttons(outs)
    assert set(choices) == {"作为上年报告保存（用于预填和跨年核对）", "作为本年度草稿继续填写"}
    assert all(len(d.encode()) <= 64 for d in choices.values())
    assert all(len(o.text) <= 4096 for o in outs)


async def test_example_001_reply_quotes_the_mismatch(service: Service) -> None:
    (path,) = EXAMPLES.glob("001_*.txt")
    outs = await service.upload(ZHANG, 1, Upload(path.name, path.read_bytes()))
    assert "已答复222件" in text(outs) and "223" in text(outs)


async def test_keep_as_last_year_saves_it_and_prefills_carried_in(
    service: Service, store: Store
) -> None:
    await service.handle(ZHANG, 1, Command("start"))
    upload = doc(last_year())
    outs = await service.upload(ZHANG, 2, upload)
    outs = await service.upload_choice(
        ZHANG, 3, buttons(outs)["作为上年报告保存（用于预填和跨年核对）"], upload
    )
    assert "已保存为上年（2024 年度）报告" in text(outs) and "预填" in text(outs)
    _, report = await current(store)
    state = report.state  # type: ignore[attr-defined]
    assert state.last is not None and (state.last.format, state.last.year) == ("gov-2021", 2024)
    assert (
        state.last.cells["requests.carried_out.natural"]
        == last_year().cells["requests.carried_out.natural"]
    )
    assert (
        state.answers.cells["requests.carried_in.natural"]
        == state.last.cells["requests.carried_out.natural"]
    )
    # The same update again changes nothing.
    assert (
        await service.upload_choice(
            ZHANG,
            3,
            buttons(await service.upload(ZHANG, 4, upload))[
                "作为上年报告保存（用于预填和跨年核对）"
            ],
            upload,
        )
        == []
    )


async def test_keep_as_last_year_refuses_another_year(service: Service) -> None:
    upload = doc(load("full-2021"))  # 2025, the year being filled
    outs = await service.upload(ZHANG, 1, upload)
    outs = await service.upload_choice(
        ZHANG, 2, buttons(outs)["作为上年报告保存（用于预填和跨年核对）"], upload
    )
    assert "不是上一年度（2024 年度）的" in text(outs)


async def test_continue_as_draft_fills_the_current_report(service: Service, store: Store) -> None:
    await service.handle(ZHANG, 1, Command("start"))
    upload = doc(load("full-2021"))
    outs = await service.upload(ZHANG, 2, upload)
    outs = await service.upload_choice(ZHANG, 3, buttons(outs)["作为本年度草稿继续填写"], upload)
    assert "导入 2025 年度报告" in text(outs)
    _, report = await current(store)
    answers = report.state.answers  # type: ignore[attr-defined]
    assert answers.year == 2025 and answers.agency == "青山县人力资源和社会保障局"
    assert answers.cells["requests.new.natural"] == load("full-2021").cells["requests.new.natural"]
    assert "requests.new.total" not in answers.cells  # totals are computed, never stored
    assert answers.texts["problems"].startswith("一是主动公开")


async def test_overwriting_entered_answers_asks_first(service: Service, store: Store) -> None:
    await service.handle(ZHANG, 1, Command("start"))
    await service.handle(ZHANG, 2, Text("某某县民政局"))
    await service.handle(ZHANG, 3, Command("edit", "表三"))
    await service.handle(ZHANG, 4, Text("3 0 0 0 0 0"))
    upload = doc(load("full-2021"))
    outs = await service.upload(ZHANG, 5, upload)
    outs = await service.upload_choice(ZHANG, 6, buttons(outs)["作为本年度草稿继续填写"], upload)
    assert "导入会覆盖它们" in text(outs)
    _, report = await current(store)
    assert report.state.answers.cells["requests.new.natural"] == 3  # type: ignore[attr-defined]
    cancel = await service.upload_choice(ZHANG, 7, buttons(outs)["取消，保留已填内容"], None)
    assert "没有做任何改动" in text(cancel)
    outs = await service.upload_choice(ZHANG, 8, buttons(outs)["覆盖，用文件中的内容"], upload)
    assert "导入 2025 年度报告" in text(outs)
    _, report = await current(store)
    answers = report.state.answers  # type: ignore[attr-defined]
    assert answers.cells["requests.new.natural"] == load("full-2021").cells["requests.new.natural"]
    assert answers.agency == "某某县民政局"  # what the user typed stays


async def test_a_draft_of_another_year_becomes_its_own_report(
    service: Service, store: Store
) -> None:
    await service.handle(ZHANG, 1, Command("start"))
    (path,) = EXAMPLES.glob("000_*.txt")
    upload = Upload(path.name, path.read_bytes())
    outs = await service.upload(ZHANG, 2, upload)
    outs = await service.upload_choice(ZHANG, 3, buttons(outs)["作为本年度草稿继续填写"], upload)
    assert "导入 2019 年度报告" in text(outs)
    agency_id, _ = await current(store)
    years = sorted(r.year for r in await store.reports_of(agency_id))
    assert years == [2019, 2025]


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"%PDF-1.4 ...", "PDF"), (b"PK\x03\x04broken", "已损坏"), (b"x" * (MAX_BYTES + 1), "20 MB")],
)
async def test_unreadable_uploads_are_refused_in_chinese(
    service: Service, content: bytes, words: str
) -> None:
    outs = await service.upload(ZHANG, 1, Upload("report.docx", content))
    assert words in text(outs) and not buttons(outs)


async def test_a_report_without_tables_offers_nothing(service: Service) -> None:
    (path,) = EXAMPLES.glob("004_*.txt")
    outs = await service.upload(ZHANG, 1, Upload(path.name, path.read_bytes()))
    assert "没有可用的表格数据" in text(outs) and not buttons(outs)


async def test_a_button_whose_file_is_gone_or_changed(service: Service) -> None:
    upload = doc(load("full-2021"))
    data = buttons(await service.upload(ZHANG, 1, upload))["作为本年度草稿继续填写"]
    assert "请重新发送文件" in text(await service.upload_choice(ZHANG, 2, data, None))
    other = doc(load("example-000-2019"))
    assert "请重新发送文件" in text(await service.upload_choice(ZHANG, 3, data, other))
    assert "请重新发送文件" in text(await service.handle(ZHANG, 4, Press(data)))
