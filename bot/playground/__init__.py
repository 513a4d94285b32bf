"""The local playground: the real bot behind the local Bot API server, played in a web page.

``nianbao playground`` (and ``./dev run`` without a bot token) starts ``bot.localapi``'s server,
the bot of ``nianbao run`` pointed at it, and a chat page at ``http://127.0.0.1:8080`` that looks
like Telegram on a phone. Each persona (``personas``: 填报人, 审核人, 协调人) is a Telegram user of
its own, in a tab of its own, so a whole season can be played on one machine without Telegram.

Modules: ``personas``, ``transcript`` (a chat as numbered events for the page), ``web`` (the
page's aiohttp app and JSON API), ``run`` (starting and stopping everything), ``texts`` (its
Chinese sentences) and ``static/`` (the page).
"""

from __future__ import annotations

from .personas import PERSONAS, Persona
from .run import Playground, run_playground
from .web import Chats, make_app

__all__ = ["PERSONAS", "Chats", "Persona", "Playground", "make_app", "run_playground"]
