"""Running the real bot against the local Bot API server, and a phone to talk to it."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from pydantic import SecretStr

from bot.config import Settings
from bot.localapi import LocalBotApi
from bot.localapi.state import BotMessage
from bot.localapi.users import SimUser
from bot.run import serve

# Seconds without a new message after which the bot has finished answering an action. The bot
# computes every reply of an action before sending the first, so its messages come back to back.
QUIET = 0.3


def settings_for(server: LocalBotApi, db: Path, **extra: object) -> Settings:
    """Settings pointing the bot at the local server and a SQLite file."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=f"sqlite:///{db}",
        telegram_bot_token=SecretStr(server.token),
        telegram_base_url=server.base_url,
        telegram_base_file_url=server.base_file_url,
        **extra,  # type: ignore[arg-type]
    )


@asynccontextmanager
async def running_bot(settings: Settings) -> AsyncIterator[io.StringIO]:
    """``nianbao run`` in this event loop until the block ends (then a graceful stop)."""
    stop = asyncio.Event()
    out = io.StringIO()
    task = asyncio.create_task(serve(settings, stop, out))
    for _ in range(200):
        if "已启动" in out.getvalue() or task.done():
            break
        await asyncio.sleep(0.05)
    if task.done():
        task.result()  # raise what stopped it
    try:
        yield out
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)


class Phone:
    """One user's phone: send, press, and read what the bot answered to that action."""

    def __init__(self, user: SimUser, quiet: float = QUIET) -> None:
        self.user = user
        self.quiet = quiet
        self.batch: list[BotMessage] = []

    async def _collect(self, timeout: float = 10.0) -> list[BotMessage]:
        batch = [await self.user.wait_reply(timeout)]
        while True:
            try:
                batch.append(await self.user.wait_reply(self.quiet))
            except TimeoutError:
                break
        self.batch = batch
        return batch

    async def send(self, text: str) -> list[BotMessage]:
        await self.user.send(text)
        return await self._collect()

    async def press(self, label: str) -> list[BotMessage]:
        """Press a button (by label, or a label's beginning) on the newest message that has it."""
        for message in reversed(self.user.messages):
            current = self.user.current(message.message_id)
            if current is None:
                continue
            for button in current.buttons:
                if str(button.get("text", "")).startswith(label):
                    await self.user.press(current, button["text"])
                    return await self._collect()
        raise AssertionError(f"no button {label!r}; last: {self.text}")

    async def press_on(self, message: BotMessage, label: str) -> list[BotMessage]:
        """Press a button on a particular (possibly old) message."""
        await self.user.press(message, label)
        return await self._collect()

    @property
    def text(self) -> str:
        return "\n".join(m.text or "" for m in self.batch)

    def documents(self) -> list[BotMessage]:
        return [m for m in self.user.messages if m.document is not None]

    async def wait_documents(self, count: int, timeout: float = 30.0) -> list[BotMessage]:
        """The chat's documents once there are ``count`` of them (files render in the background,
        so they may arrive after the text that announces them)."""
        async with asyncio.timeout(timeout):
            while len(docs := self.documents()) < count:
                await asyncio.sleep(0.05)
        return docs
