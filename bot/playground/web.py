"""The chat page and its small JSON API, served by aiohttp on 127.0.0.1.

``GET /`` is the page (``static/``: plain HTML, CSS and JavaScript, no build step). The API:

- ``GET /api/info``: the bot, the personas and the bot's command menu.
- ``GET /api/events?persona=&after=&instance=``: the chat's events after number ``after``;
  waits up to 25 s for one (long polling). ``reset`` tells a page from an earlier run of the
  playground to start again from the first event.
- ``GET /api/counts``: how many messages the bot sent each persona (unread badges).
- ``POST /api/send`` ``{"persona", "text"}``, ``POST /api/press`` ``{"persona", "message_id",
  "data"}``, ``POST /api/upload`` (multipart: ``persona``, ``file``): what the persona does; it
  reaches the bot as a Telegram update through the local Bot API server.
- ``GET /api/files/<file_id>``: a document from the chat, as a download.

Requests must name 127.0.0.1, localhost or ::1 as their host (no DNS rebinding), and every
POST carries the header ``X-Nianbao-Playground: 1``, which a page of another site cannot send
without the browser asking first (no cross-site requests). Errors are JSON ``{"error": "..."}``
in Chinese, for the page to show.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

import aiohttp
from aiohttp import web

from bot.localapi import LocalBotApi, SimulationError
from bot.localapi.limits import MB, utf16_len

from . import texts as P
from .personas import PERSONAS, Persona
from .transcript import Transcript

STATIC = Path(__file__).parent / "static"
HEADER = "X-Nianbao-Playground"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
MAX_UPLOAD_MB = 50
MAX_TEXT = 4096
POLL_SECONDS = 25  # seconds a long poll waits for an event
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Refused(Exception):
    """A request the page made wrongly: its HTTP status and the Chinese sentence to show."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class Chats:
    """The personas' private chats with the bot of one local Bot API server."""

    def __init__(self, api: LocalBotApi, personas: Iterable[Persona] = PERSONAS) -> None:
        self.api = api
        # A new value each run: a page left open across a restart starts its chat afresh.
        self.instance = secrets.token_hex(8)
        self.closed = False
        self.transcripts = {
            p.key: Transcript(p, api.user(p.user_id, p.name), api.bot) for p in personas
        }

    def get(self, key: object) -> Transcript:
        """The chat of a persona named by the page; ``Refused`` when there is none."""
        found = self.transcripts.get(key) if isinstance(key, str) else None
        if found is None:
            known = "、".join(t.persona.key for t in self.transcripts.values())
            raise Refused(404, P.NO_PERSONA.format(key=key, known=known))
        return found

    def close(self) -> None:
        """Ends every long poll at once (the playground is stopping)."""
        self.closed = True
        for transcript in self.transcripts.values():
            transcript.chat.changed.fire()


def make_app(chats: Chats) -> web.Application:
    """The page and its API over ``chats``."""
    app = web.Application(middlewares=[_guard], client_max_size=(MAX_UPLOAD_MB + 1) * MB)
    routes = Routes(chats)
    app.router.add_get("/", routes.index)
    app.router.add_get("/api/info", routes.info)
    app.router.add_get("/api/events", routes.events)
    app.router.add_get("/api/counts", routes.counts)
    app.router.add_post("/api/send", routes.send)
    app.router.add_post("/api/press", routes.press)
    app.router.add_post("/api/upload", routes.upload)
    app.router.add_get("/api/files/{file_id}", routes.download)
    app.router.add_static("/static", STATIC)
    return app


@web.middleware
async def _guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Local pages only; refusals as JSON; no caching and no sniffing."""
    try:
        if request.url.host not in LOCAL_HOSTS:
            raise Refused(403, P.FORBIDDEN)
        if request.method == "POST" and request.headers.get(HEADER) != "1":
            raise Refused(403, P.FORBIDDEN)
        response = await handler(request)
    except Refused as refused:
        response = _error(refused.status, refused.message)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status, dumps=_dumps)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _ok(value: Any) -> web.Response:
    return web.json_response(value, dumps=_dumps)


class Routes:
    """The request handlers, over one set of chats."""

    def __init__(self, chats: Chats) -> None:
        self.chats = chats

    async def index(self, request: web.Request) -> web.StreamResponse:
        """The chat page; which persona it shows is in its address (``?persona=``)."""
        response = web.FileResponse(STATIC / "index.html")
        response.headers["Content-Security-Policy"] = CSP
        return response

    async def info(self, request: web.Request) -> web.StreamResponse:
        """The bot, the personas and the command menu."""
        bot = self.chats.api.bot
        commands = bot.commands.get(bot.commands_key(None, None), [])
        personas = [
            {
                "key": t.persona.key,
                "name": t.persona.name,
                "role": t.persona.role,
                "label": t.persona.label,
                "hint": t.persona.hint,
                "user_id": t.persona.user_id,
            }
            for t in self.chats.transcripts.values()
        ]
        return _ok(
            {
                "instance": self.chats.instance,
                "bot": {"name": bot.user["first_name"], "username": bot.user["username"]},
                "personas": personas,
                "commands": commands,
                "max_upload_mb": MAX_UPLOAD_MB,
            }
        )

    async def events(self, request: web.Request) -> web.StreamResponse:
        """The events after ``after``, waiting for one when there is none yet."""
        transcript = self.chats.get(request.query.get("persona"))
        after = _number(request.query.get("after", "0"))
        wait = min(max(_number(request.query.get("wait", str(POLL_SECONDS))), 0), POLL_SECONDS)
        reset = request.query.get("instance") != self.chats.instance or after > len(
            transcript.events
        )
        if reset:
            after = 0
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        while True:
            found = transcript.after(after)
            remaining = deadline - loop.time()
            if found or reset or remaining <= 0 or self.chats.closed:
                break
            await transcript.chat.changed.wait(remaining)
        return _ok(
            {
                "instance": self.chats.instance,
                "reset": reset,
                "cursor": after + len(found),
                "events": found,
            }
        )

    async def counts(self, request: web.Request) -> web.StreamResponse:
        """Messages the bot has sent each persona so far."""
        counts = {key: t.bot_messages for key, t in self.chats.transcripts.items()}
        return _ok({"instance": self.chats.instance, "counts": counts})

    async def send(self, request: web.Request) -> web.StreamResponse:
        """A typed message (or a command) from a persona."""
        body = await _body(request)
        transcript = self.chats.get(body.get("persona"))
        text = body.get("text")
        if not isinstance(text, str):
            raise Refused(400, P.BAD_REQUEST)
        if not text.strip():
            raise Refused(400, P.EMPTY_TEXT)
        if utf16_len(text) > MAX_TEXT:
            raise Refused(400, P.TEXT_TOO_LONG)
        transcript.sent(await transcript.user.send(text))
        return _ok({"ok": True})

    async def press(self, request: web.Request) -> web.StreamResponse:
        """An inline button pressed: a callback query with the button's data."""
        body = await _body(request)
        transcript = self.chats.get(body.get("persona"))
        message_id, data = body.get("message_id"), body.get("data")
        if not isinstance(message_id, int) or not isinstance(data, str):
            raise Refused(400, P.BAD_REQUEST)
        current = transcript.user.current(message_id)
        if current is None or not any(b.get("callback_data") == data for b in current.buttons):
            raise Refused(409, P.BUTTON_GONE)
        try:
            update = await transcript.user.press(message_id, data)
        except SimulationError:
            raise Refused(409, P.BUTTON_GONE) from None
        transcript.sent(update)
        return _ok({"ok": True})

    async def upload(self, request: web.Request) -> web.StreamResponse:
        """A file from a persona: it reaches the bot as a document message."""
        if request.content_type != "multipart/form-data":
            raise Refused(400, P.BAD_REQUEST)
        persona: str | None = None
        name, data, mime, found = "", b"", "", False
        try:
            reader = await request.multipart()
            async for part in reader:
                if not isinstance(part, aiohttp.BodyPartReader):
                    raise Refused(400, P.BAD_REQUEST)
                if part.name == "persona":
                    persona = await part.text()
                elif part.name == "file" and part.filename is not None:
                    found = True
                    name = _file_name(part.filename)
                    mime = part.headers.get(aiohttp.hdrs.CONTENT_TYPE, "")
                    data = await _read_limited(part)
        except (ValueError, AssertionError, aiohttp.ClientError):
            raise Refused(400, P.BAD_REQUEST) from None
        transcript = self.chats.get(persona)
        if not found:
            raise Refused(400, P.NO_FILE)
        if not data:
            raise Refused(400, P.EMPTY_FILE)
        update = await transcript.user.upload(name, data, mime_type=mime or None)
        transcript.sent(update)
        return _ok({"ok": True})

    async def download(self, request: web.Request) -> web.StreamResponse:
        """A document of the chat, with its own file name."""
        stored = self.chats.api.files.get(request.match_info["file_id"])
        if stored is None:
            raise Refused(404, P.FILE_NOT_FOUND)
        name = stored.file_name or "文件"
        fallback = "download" + PurePosixPath(name).suffix.encode("ascii", "ignore").decode()
        disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
        return web.Response(
            body=stored.data,
            content_type=stored.mime_type or "application/octet-stream",
            headers={"Content-Disposition": disposition},
        )


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise Refused(400, P.BAD_REQUEST) from None
    if not isinstance(body, dict):
        raise Refused(400, P.BAD_REQUEST)
    return body


def _number(text: str) -> int:
    if not text.isdecimal() or len(text) > 9:
        raise Refused(400, P.BAD_REQUEST)
    return int(text)


def _file_name(raw: str) -> str:
    """The file's own name: no folders (browsers on Windows may send them), at most 200 chars."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[:200] or "文件"


async def _read_limited(part: aiohttp.BodyPartReader) -> bytes:
    kept = bytearray()
    while chunk := await part.read_chunk(MB):
        kept += chunk
        if len(kept) > MAX_UPLOAD_MB * MB:
            raise Refused(413, P.FILE_TOO_LARGE.format(mb=MAX_UPLOAD_MB))
    return bytes(kept)
