"""``nianbao run``: start the bot in long-polling or webhook mode and stop it gracefully."""

from __future__ import annotations

import asyncio
import logging
import re
import signal
import sys
from typing import Any, TextIO
from urllib.parse import urlsplit

from aiohttp import web
from telegram.error import InvalidToken, NetworkError, TelegramError

from storage import StorageError, Store

from . import logs, rendering
from . import texts as T
from .config import TOKEN, Settings
from .reminder_send import bot_sender
from .reminders import ReminderJob
from .service import Service
from .telegram_app import build_application, close_http, register_commands
from .webhook import make_status_app, make_web_app

log = logging.getLogger(__name__)
SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
ALLOWED_UPDATES = ["message", "callback_query"]


class StartupError(Exception):
    """A reason not to start, as one Chinese sentence."""


def check_settings(settings: Settings) -> None:
    """Refuse obviously wrong settings before touching anything."""
    if not settings.token:
        raise StartupError(T.RUN_NO_TOKEN)
    if not TOKEN.match(settings.token):
        raise StartupError(T.RUN_BAD_TOKEN)
    if settings.webhook_mode:
        url = urlsplit(settings.webhook_url)
        local = url.hostname in ("127.0.0.1", "localhost", "::1")
        if url.scheme != "https" and not (url.scheme == "http" and local):
            raise StartupError(T.RUN_BAD_WEBHOOK.format(url=settings.webhook_url))
        if not SECRET.match(settings.webhook_secret.get_secret_value()):
            raise StartupError(T.RUN_NO_SECRET)


async def open_store(settings: Settings) -> Store:
    try:
        return await Store.open(settings.database_url)
    except StorageError as exc:
        raise StartupError(T.RUN_DATABASE.format(detail=exc)) from None


async def serve(settings: Settings, stop: asyncio.Event, out: TextIO) -> None:
    """Run until ``stop`` is set; everything started is stopped again, in reverse order."""
    check_settings(settings)
    store = await open_store(settings)
    try:
        application = build_application(settings, Service(store), webhook=settings.webhook_mode)
        try:
            await application.initialize()
        except (InvalidToken, NetworkError, TelegramError) as exc:
            await close_http(application)
            raise StartupError(
                T.RUN_TELEGRAM.format(url=settings.telegram_base_url, detail=exc)
            ) from None
        rendering.warm()  # the report files' worker processes start while the bot does
        reminders = ReminderJob(
            store,
            bot_sender(application.bot),
            interval=settings.reminder_interval,
            rate=settings.reminder_rate,
        )
        try:
            await register_commands(application)
            await application.start()
            reminders.start()
            if settings.webhook_mode:
                await _webhook(settings, application, store, stop, out)
            else:
                await _polling(application, stop, out, settings, store)
        finally:
            await reminders.stop()
            if application.running:
                await application.stop()
            await application.shutdown()
    finally:
        await store.close()
    out.write(T.RUN_STOPPED + "\n")


async def _polling(
    application: Any, stop: asyncio.Event, out: TextIO, settings: Settings, store: Store
) -> None:
    updater = application.updater
    assert updater is not None
    status: web.AppRunner | None = None
    if settings.metrics_port:  # /healthz and /metrics for a health check and Prometheus
        status = web.AppRunner(make_status_app(store), access_log=None)
        await status.setup()
        try:
            await web.TCPSite(status, settings.host, settings.metrics_port).start()
        except OSError as exc:
            await status.cleanup()
            raise StartupError(
                T.RUN_LISTEN.format(host=settings.host, port=settings.metrics_port, detail=exc)
            ) from None
    await updater.start_polling(allowed_updates=ALLOWED_UPDATES)
    out.write(T.RUN_STARTED_POLLING + "\n")
    out.flush()
    try:
        await stop.wait()
    finally:
        await updater.stop()
        if status is not None:
            await status.cleanup()


async def _webhook(
    settings: Settings, application: Any, store: Store, stop: asyncio.Event, out: TextIO
) -> None:
    secret = settings.webhook_secret.get_secret_value()
    path = urlsplit(settings.webhook_url).path or "/"
    runner = web.AppRunner(make_web_app(application, store, secret, path))
    await runner.setup()
    try:
        site = web.TCPSite(runner, settings.host, settings.port)
        try:
            await site.start()
        except OSError as exc:
            raise StartupError(
                T.RUN_LISTEN.format(host=settings.host, port=settings.port, detail=exc)
            ) from None
        await application.bot.set_webhook(
            settings.webhook_url, secret_token=secret, allowed_updates=ALLOWED_UPDATES
        )
        out.write(
            T.RUN_STARTED_WEBHOOK.format(
                url=settings.webhook_url, host=settings.host, port=settings.port
            )
            + "\n"
        )
        out.flush()
        await stop.wait()
    finally:
        # The webhook stays registered: Telegram keeps updates until the bot is back.
        await runner.cleanup()


def run_bot(settings: Settings, out: TextIO | None = None) -> int:
    """Entry point of ``nianbao run``; returns the exit code."""
    out = out or sys.stdout
    # JSON lines when LOG_FORMAT=json; the token and the webhook secret never reach the log.
    logs.configure(settings)

    async def main() -> int:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        try:
            await serve(settings, stop, out)
        except StartupError as exc:
            sys.stderr.write(f"{exc}\n")
            return 2
        return 0

    return asyncio.run(main())
