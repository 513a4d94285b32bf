"""The playground in a real browser: headless Chromium (Debian's package) driven by Playwright.

The season test plays an agency's all-zero report through the page, with a deliberately wrong
number caught by the bot and corrected, downloads the .docx the bot sends and reads it back, and
takes a screenshot of the chat (kept in docs/playground.png for the README; a run writes it there
only with NIANBAO_UPDATE_SCREENSHOT=1, so tests leave the working tree clean). The other test checks how
the page draws what a bot sends (HTML entities, links, toasts) with the test acting as the bot.

Without /usr/bin/chromium these tests are skipped, except in CI (CI=true), where they fail.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import docx
import pytest

from bot.localapi import LocalBotApi
from bot.playground import Chats, Playground
from bot.service import CHINA
from core.interview import report_year
from tests.playground.conftest import bot_call

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "playground.png"
TIMEOUT_MS = 30_000

try:
    from playwright.async_api import BrowserContext, Page, async_playwright
except ImportError:  # pragma: no cover - the dev extras install it
    async_playwright = None  # type: ignore[assignment]


def _unavailable() -> str | None:
    if async_playwright is None:
        return "Playwright for Python is not installed (pip install -e '.[dev]')"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium chromium-driver)"
    return None


@pytest.fixture
async def browser(tmp_path: Path) -> AsyncIterator[BrowserContext]:
    """Headless Chromium with a fresh profile; JavaScript errors of any page fail the test."""
    missing = _unavailable()
    if missing is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the browser test cannot run in CI: {missing}", pytrace=False)
        pytest.skip(missing)
    errors: list[str] = []
    async with async_playwright() as playwright:
        context = await playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=str(CHROMIUM),
            headless=True,
            args=ARGS,
            viewport={"width": 412, "height": 860},
            device_scale_factor=2,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            accept_downloads=True,
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.on("weberror", lambda e: errors.append(str(e.error)))
        try:
            yield context
        finally:
            await context.close()
    assert not errors, errors


class Chat:
    """One tab of the page: type, press, and wait for what the bot answers."""

    def __init__(self, page: Page) -> None:
        self.page = page

    async def seq(self) -> int:
        """The number of the latest event the page has drawn."""
        return int(
            await self.page.evaluate(
                "Math.max(0, ...[...document.querySelectorAll('.msg')].map(m => +m.dataset.seq))"
            )
        )

    async def wait_text(self, text: str, after: int = 0) -> None:
        """Until a bot message drawn after event ``after`` contains ``text``."""
        await self.page.wait_for_function(
            """([after, text]) => [...document.querySelectorAll('.msg.bot')].some(
                m => +m.dataset.seq > after && m.textContent.includes(text))""",
            arg=[after, text],
            timeout=TIMEOUT_MS,
        )

    async def wait_button(self, label: str, after: int = 0) -> None:
        """Until a bot message drawn after event ``after`` has the button ``label``."""
        await self.page.wait_for_function(
            """([after, label]) => [...document.querySelectorAll('.msg.bot')].some(
                m => +m.dataset.seq > after && [...m.querySelectorAll('.keyboard button')]
                    .some(b => b.textContent === label))""",
            arg=[after, label],
            timeout=TIMEOUT_MS,
        )

    async def type(self, text: str, expect: str) -> None:
        """Types a message, sends it with Enter, waits for ``expect``."""
        before = await self.seq()
        await self.page.fill("#text", text)
        await self.page.press("#text", "Enter")
        await self.wait_text(expect, before)

    async def press(
        self, label: str, expect: str = "", button: str = "", *, prefix: bool = False
    ) -> None:
        """Presses the newest button ``label`` (or starting with it, with ``prefix``), then
        waits for text ``expect`` or button ``button``."""
        before = await self.seq()
        name = re.compile("^" + re.escape(label) + ("" if prefix else "$"))
        buttons = self.page.locator(".keyboard button", has_text=name)
        await (
            self.page.locator(".msg.bot")
            .filter(has=buttons)
            .last.locator(".keyboard button", has_text=name)
            .first.click()
        )
        if button:
            await self.wait_button(button, before)
        else:
            await self.wait_text(expect, before)

    async def text(self) -> str:
        return await self.page.locator("#messages").inner_text()


async def test_an_all_zero_report_with_a_correction_in_the_browser(
    playground: Playground, browser: BrowserContext, tmp_path: Path
) -> None:
    update = os.environ.get("NIANBAO_UPDATE_SCREENSHOT") == "1"
    screenshot = SCREENSHOT if update else tmp_path / "playground.png"
    year = report_year(datetime.now(CHINA).date())
    page = await browser.new_page()
    await page.goto(playground.persona_url("coordinator"))
    coord = Chat(page)
    banner = page.locator("#banner")
    assert "本地试用模式" in await banner.inner_text()

    # The coordinator opens an office; its invitation is opened as the reviewer, in a new tab.
    await page.get_by_role("button", name="开始").wait_for()
    await coord.type("/new_office", "请发送协调机构的名称")
    await coord.type("某某县人民政府办公室", "已创建协调机构")
    async with browser.expect_page() as opened:
        await page.get_by_role("button", name="用审核人 李四打开").click()
    reviewer_page = await opened.value
    reviewer = Chat(reviewer_page)
    await reviewer.wait_text("身份为审核人")
    assert "审核人 李四" in await reviewer_page.locator("#subtitle").inner_text()

    # A file sent with the paperclip reaches the bot, which answers quoting it.
    before = await reviewer.seq()
    async with reviewer_page.expect_file_chooser() as chooser:
        await reviewer_page.get_by_role("button", name="发送文件").click()
    await (await chooser.value).set_files(
        files=[{"name": "去年的报告.txt", "mimeType": "text/plain", "buffer": "随便写的".encode()}]
    )
    await reviewer.wait_text("去年的报告.txt", before)  # the quote of the bot's answer
    await reviewer_page.locator(".msg.user .doc-name", has_text="去年的报告.txt").wait_for()

    # The all-zero report, by buttons, with one wrong number typed and corrected.
    await reviewer.type("某某县民政局", "请发送报告开头公布的联系方式")
    await reviewer.press("跳过", "【主动公开】")
    for area in ("【依申请公开】", "【政府信息管理】", "【政府信息公开平台建设】", "【监督保障】"):
        await reviewer.press("跳过", area)
    await reviewer.press("跳过", "表二 · 第 1/6 行")
    for table in ("表二", "表三", "表四"):
        await reviewer.press("本表全部为0", f"已将「{table}」全部记为 0")
    await reviewer.type("/edit 予以公开", "三、本年度办理结果 › （一）予以公开")
    await reviewer.type("自然人5", "表三 · 第 4/24 行")  # after 【错误·规则1】 and its buttons
    assert "【错误·规则1】自然人列" in await reviewer.text()
    # The README's picture: the wrong number, the bot's objection, the ways to correct it.
    screenshot.parent.mkdir(exist_ok=True)
    await reviewer_page.screenshot(path=str(screenshot))
    assert screenshot.read_bytes().startswith(b"\x89PNG")
    await reviewer.press("改「（一）予以公开」", "当前已填：自然人 5")
    await reviewer.press("全部为0", "五、存在的主要问题及改进情况")
    await reviewer.type("存在的主要问题是公开意识有待加强，下一步将加强培训。", "目前共")
    await reviewer.press("完成", "【信息处理费】")
    await reviewer.press("本年度未收取", "【其他事项】")
    await reviewer.press("无", button="完成填报")
    await reviewer.press("完成填报", button="确认提交")

    # The .docx the bot sent, downloaded from the chat.
    name = f"某某县民政局{year}年政府信息公开工作年度报告.docx"
    link = reviewer_page.locator(".msg.bot .doc-name", has_text=name).last
    async with reviewer_page.expect_download() as downloading:
        await link.click()
    download = await downloading.value
    assert download.suggested_filename == name
    report = docx.Document(io.BytesIO(Path(await download.path()).read_bytes()))
    title = report.paragraphs[0].text.replace("\n", "")  # the title breaks after the agency
    assert title == f"某某县民政局{year}年政府信息公开工作年度报告"
    rows = [[c.text for c in row.cells] for row in report.tables[1].rows]
    granted = next(r for r in rows if "（一）予以公开" in r[2])
    assert granted[3:] == ["0"] * 7  # 自然人 5 corrected to 0; every column and the total
    new = next(r for r in rows if r[0].startswith("一、本年新收"))
    assert new[3:] == ["0"] * 7

    # Submitted, approved on the coordinator's board, and the news reaches the reviewer's tab.
    await reviewer.press("确认提交", "已提交给「某某县人民政府办公室」")
    await coord.wait_text("等待您审核")
    await coord.type("/board", "某某县民政局 — 已提交")
    await coord.press("某某县民政局", button="通过", prefix=True)
    await coord.press("通过", "已通过")
    await reviewer.wait_text("已通过「某某县人民政府办公室」审核")
    assert "本地试用模式" in await reviewer_page.locator("#banner").inner_text()


async def test_how_the_page_draws_what_a_bot_sends(
    bot_api: LocalBotApi, page: tuple[Chats, str], browser: BrowserContext
) -> None:
    _, base = page
    chat_id = 900_000_000_001
    page = await browser.new_page()
    await page.goto(f"{base}/?persona=filler")
    await page.get_by_role("button", name="开始").click()
    [update] = await bot_call(bot_api, "getUpdates", timeout=5)
    assert update["message"]["text"] == "/start"
    await bot_call(bot_api, "getUpdates", offset=update["update_id"] + 1, timeout=0)

    html = (
        "<b>粗体</b> &lt;img src=x onerror=alert(1)&gt; "
        '<a href="javascript:alert(1)">坏链接</a> '
        "邀请：https://t.me/nianbao_local_bot?start=CODE123 发送 /board 查看"
    )
    keyboard = {"inline_keyboard": [[{"text": "好", "callback_data": "ok"}]]}
    sent = await bot_call(
        bot_api, "sendMessage", chat_id=chat_id, text=html, parse_mode="HTML", reply_markup=keyboard
    )
    bubble = page.locator(f'.msg.bot[data-id="{sent["message_id"]}"]')
    await bubble.locator("strong", has_text="粗体").wait_for()
    assert await bubble.locator("img").count() == 0
    assert "<img src=x onerror=alert(1)>" in await bubble.inner_text()
    assert await bubble.locator("a", has_text="坏链接").count() == 0  # javascript: is no link
    # Other personas can open the invitation; a plain click opens it as the current one.
    others = bubble.locator(".deeplink button")
    assert await others.all_inner_texts() == ["用审核人 李四打开", "用协调人 王五打开"]
    await bubble.locator("a", has_text="https://t.me/nianbao_local_bot?start=CODE123").click()
    [update] = await bot_call(bot_api, "getUpdates", timeout=5)
    assert update["message"]["text"] == "/start CODE123"
    assert update["message"]["from"]["id"] == chat_id
    await bubble.locator("a.command", has_text="/board").click()
    [update] = await bot_call(bot_api, "getUpdates", offset=update["update_id"] + 1, timeout=5)
    assert update["message"]["text"] == "/board"

    # A button press, the bot's toast, and an edit drawn in place.
    await bubble.get_by_role("button", name="好").click()
    [update] = await bot_call(bot_api, "getUpdates", offset=update["update_id"] + 1, timeout=5)
    query = update["callback_query"]
    assert query["data"] == "ok"
    await bot_call(bot_api, "answerCallbackQuery", callback_query_id=query["id"], text="已收到")
    await page.locator("#toast", has_text="已收到").wait_for()
    await bot_call(
        bot_api,
        "editMessageText",
        chat_id=chat_id,
        message_id=sent["message_id"],
        text="改过了",
    )
    await bubble.locator(".text", has_text="改过了").wait_for()
    assert "已编辑" in await bubble.locator(".meta").inner_text()
    assert await bubble.locator(".keyboard").count() == 0
    await bot_call(bot_api, "getUpdates", offset=update["update_id"] + 1, timeout=0)
