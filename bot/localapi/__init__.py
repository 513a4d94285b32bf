"""A local Telegram Bot API server that checks every request against the published spec.

The end-to-end tests, the benchmarks and the local playground run the real python-telegram-bot
``Application`` against it. A test starts it, points the bot at ``base_url`` and
``base_file_url``, and plays users::

    server = LocalBotApi()
    await server.start()
    application = (
        ApplicationBuilder()
        .token(server.token)
        .base_url(server.base_url)
        .base_file_url(server.base_file_url)
        .build()
    )
    ...  # initialize, start, updater.start_polling()
    user = server.user(1001, "张三")
    await user.send("/start")
    reply = await user.wait_reply()
    await user.press(reply, "开始填报")
    ...
    await server.stop()
    server.assert_no_violations()

Modules: ``spec`` (api.json and validation), ``limits`` (Telegram's limits and HTML parsing),
``wire`` (request parsing, ``ApiError``), ``state`` (bots, chats, files, updates), ``methods``
(what each method does), ``users`` (simulated users), ``faults`` (fault injection) and
``server`` (the aiohttp app).
"""

from __future__ import annotations

from bot.localapi.faults import FaultKind, FaultPlan, FaultRule
from bot.localapi.server import LocalBotApi, Record, make_token
from bot.localapi.spec import ApiSpec, default_spec
from bot.localapi.state import BotMessage, BotState
from bot.localapi.users import SimulationError, SimUser
from bot.localapi.wire import ApiError, Upload

__all__ = [
    "ApiError",
    "ApiSpec",
    "BotMessage",
    "BotState",
    "FaultKind",
    "FaultPlan",
    "FaultRule",
    "LocalBotApi",
    "Record",
    "SimUser",
    "SimulationError",
    "Upload",
    "default_spec",
    "make_token",
]
