"""``nianbao playground``: the local Bot API server, the real bot on it, and the chat page.

Nothing here reaches Telegram. The bot is ``nianbao run`` itself (``bot.run.serve``, long
polling) with a fixed made-up token, pointed at the local server by ``TELEGRAM_BASE_URL`` and
``TELEGRAM_BASE_FILE_URL``; its database is the one ``DATABASE_URL`` names (SQLite by default),
so a season played here is kept like any other. The page and the Bot API server listen on the
loopback interface only: the page has no login, since every persona is the person at the
keyboard.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import signal
import sys
from typing import TextIO

from aiohttp import web
from pydantic import SecretStr

from bot import texts as T
from bot.config import Settings
from bot.localapi import LocalBotApi
from bot.run import StartupError, serve

from . import texts as P
from .web import LOCAL_HOSTS, Chats, make_app

log = logging.getLogger(__name__)
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
STOP_SECONDS = 30.0


class _BotOutput(io.StringIO):
    """What ``serve`` prints, with a flag raised once it says the bot is polling."""

    def __init__(self) -> None:
        super().__init__()
        self.started = asyncio.Event()

    def write(self, text: str) -> int:
        if T.RUN_STARTED_POLLING in text:
            self.started.set()
        return super().write(text)


class Playground:
    """Everything the playground runs, started and stopped together (``async with``).

    Attributes:
        api: The local Bot API server the bot and the personas talk through.
        chats: The personas' chats, as the page sees them.
        url: The page's address, once started.
    """

    def __init__(
        self, settings: Settings, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT
    ) -> None:
        self.settings = settings
        self.host = host
        self.port = port
        self.api = LocalBotApi()
        self.chats = Chats(self.api)
        self._runner: web.AppRunner | None = None
        self._bot: asyncio.Task[None] | None = None
        self._bot_stop = asyncio.Event()
        self._bot_output = _BotOutput()

    @property
    def url(self) -> str:
        """``http://127.0.0.1:8080``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def persona_url(self, key: str) -> str:
        """The page of one persona, for a tab of its own."""
        return f"{self.url}/?persona={key}"

    async def start(self) -> None:
        """Starts the Bot API server, the page and the bot; ``StartupError`` says why not."""
        if self.host not in LOCAL_HOSTS:
            raise StartupError(P.NOT_LOCAL.format(host=self.host))
        await self.api.start(DEFAULT_HOST, 0)
        try:
            await self._start_page()
            await self._start_bot()
        except BaseException:
            await self.stop()
            raise

    async def _start_page(self) -> None:
        # handler_cancellation: a long poll ends when its tab is closed.
        runner = web.AppRunner(
            make_app(self.chats), handler_cancellation=True, access_log=None, shutdown_timeout=1
        )
        await runner.setup()
        self._runner = runner
        try:
            await web.TCPSite(runner, self.host, self.port).start()
        except OSError as exc:
            detail = exc.strerror or str(exc)
            raise StartupError(
                P.PORT_BUSY.format(host=self.host, port=self.port, detail=detail)
            ) from None
        self.port = runner.addresses[0][1]

    async def _start_bot(self) -> None:
        settings = self.settings.model_copy(
            update={
                "telegram_bot_token": SecretStr(self.api.token),
                "telegram_base_url": self.api.base_url,
                "telegram_base_file_url": self.api.base_file_url,
                "webhook_url": "",  # long polling: the local server is the only Telegram here
                "host": DEFAULT_HOST,  # anything else the bot listens on stays on this machine
            }
        )
        self._bot = asyncio.create_task(
            serve(settings, self._bot_stop, self._bot_output), name="playground bot"
        )
        started = asyncio.create_task(self._bot_output.started.wait())
        try:
            await asyncio.wait({self._bot, started}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            started.cancel()
        if self._bot.done():
            self._bot.result()  # raises what stopped it (a StartupError)

    async def stop(self) -> None:
        """Stops the bot, the page and the Bot API server, in that order."""
        self._bot_stop.set()
        if self._bot is not None:
            bot, self._bot = self._bot, None
            try:
                await asyncio.wait_for(asyncio.shield(bot), STOP_SECONDS)
            except TimeoutError:
                bot.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await bot
            except StartupError:
                pass  # already reported by start()
        self.chats.close()
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()
        await self.api.stop()

    async def __aenter__(self) -> Playground:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def banner(self) -> str:
        """What the terminal shows once everything runs."""
        lines = [P.STARTED.format(url=self.url), P.PERSONAS_HEAD]
        for transcript in self.chats.transcripts.values():
            persona = transcript.persona
            lines.append(
                P.PERSONA_LINE.format(label=persona.label, url=self.persona_url(persona.key))
            )
        url = self.settings.database_url
        where = url if url.startswith("sqlite") else P.DATABASE_OTHER  # no password on screen
        lines.append(P.DATABASE.format(where=where))
        return "\n".join(lines)


def run_playground(
    settings: Settings,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    out: TextIO | None = None,
) -> int:
    """Entry point of ``nianbao playground``: runs until Ctrl+C; returns the exit code."""
    out = out or sys.stdout
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)  # URLs carry the (made-up) token

    async def main() -> int:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        playground = Playground(settings, host=host, port=port)
        try:
            await playground.start()
        except StartupError as exc:
            sys.stderr.write(f"{exc}\n")
            return 2
        try:
            out.write(playground.banner() + "\n")
            out.flush()
            await stop.wait()
        finally:
            await playground.stop()
        if playground.api.violations:
            for record in playground.api.violations:
                log.warning("Bot API violation: %s", record)
            out.write(P.VIOLATIONS.format(count=len(playground.api.violations)) + "\n")
        out.write(P.STOPPED + "\n")
        return 0

    return asyncio.run(main())
