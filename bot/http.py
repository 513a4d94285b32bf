"""The bot's HTTP transport to the Bot API, on aiohttp.

python-telegram-bot ships an httpx transport. Under load its connection pool (httpcore) checks
every pooled connection with system calls for each request it queues, in nested loops: with the
256 connections the bot may hold, that cost more CPU than answering the update. aiohttp, which
the bot already uses for its webhook server, keeps a pool that does not, so the bot talks to the
Bot API through it. Requests are sent exactly as PTB's own transport sends them (form fields,
multipart with files) and failures become the same ``telegram.error`` exceptions.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from . import metrics

_METHOD = re.compile(r"[A-Za-z]{1,40}")


class AiohttpRequest(BaseRequest):
    """A ``BaseRequest`` for ``ApplicationBuilder.request()`` and ``.get_updates_request()``.

    Args:
        connection_pool_size: Most connections open at once (further requests wait for one).
        read_timeout, write_timeout, connect_timeout, pool_timeout: Defaults in seconds, as in
            ``HTTPXRequest``; ``None`` waits forever. aiohttp has no separate write timeout: a
            request's total time is bounded by the sum of the timeouts instead.
        media_write_timeout: The write timeout of requests that upload files.
    """

    __slots__ = (
        "_connect_timeout",
        "_limit",
        "_media_write_timeout",
        "_pool_timeout",
        "_read_timeout",
        "_session",
        "_write_timeout",
    )

    def __init__(
        self,
        connection_pool_size: int = 32,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._limit = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._limit, limit_per_host=self._limit)
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT}
            )

    async def shutdown(self) -> None:
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data and request_data.contains_files else {}
        read = _value(read_timeout, self._read_timeout)
        write = _value(write_timeout, self._media_write_timeout if files else self._write_timeout)
        connect = _value(connect_timeout, self._connect_timeout)
        pool = _value(pool_timeout, self._pool_timeout)
        timeout = aiohttp.ClientTimeout(
            total=_sum(read, write, connect, pool),
            connect=_sum(pool, connect),  # waiting for a pooled connection, then connecting
            sock_connect=connect,
            sock_read=read,
        )
        data: Any = None
        if request_data is not None:
            data = _body(request_data.json_parameters, files)
        try:
            async with session.request(method, url, data=data, timeout=timeout) as response:
                status, payload = response.status, await response.read()
        except TimeoutError as err:
            metrics.API_ERRORS.labels(_method(url), "network").inc()
            raise TimedOut from err
        except aiohttp.ClientError as err:
            metrics.API_ERRORS.labels(_method(url), "network").inc()
            raise NetworkError(f"aiohttp.{err.__class__.__name__}: {err}") from err
        if not 200 <= status < 300:  # for /metrics (bot/metrics.py)
            metrics.API_ERRORS.labels(_method(url), str(status)).inc()
        return status, payload


def _method(url: str) -> str:
    # The URL holds the token (…/bot<token>/sendMessage): only the last part is kept.
    name = url.rsplit("/", 1)[-1]
    return name if _METHOD.fullmatch(name) else "unknown"


def never_sent(error: BaseException) -> bool:
    """Whether a failed request certainly never reached the server: no connection was made
    (refused, unreachable, no name) or none was free in time. Anything later may have arrived."""
    cause = error.__cause__
    return isinstance(cause, aiohttp.ClientConnectorError | aiohttp.ConnectionTimeoutError)


def _value(given: ODVInput[float], default: float | None) -> float | None:
    return default if isinstance(given, DefaultValue) else given


def _sum(*parts: float | None) -> float | None:
    """The parts' sum; no limit if any part has none."""
    total = 0.0
    for part in parts:
        if part is None:
            return None
        total += part
    return total


def _body(fields: dict[str, str], files: dict[str, Any]) -> Any:
    """Form fields, url-encoded; multipart when files go with them (as PTB's httpx transport).

    The url-encoded body is built here: aiohttp's ``FormData`` prepares a multipart writer
    (with a random boundary from ``os.urandom``) even for a plain form.
    """
    if not files:
        return aiohttp.payload.BytesPayload(
            urlencode(fields).encode(), content_type="application/x-www-form-urlencoded"
        )
    # Raw UTF-8 names, as httpx sends them: Telegram shows a percent-encoded name verbatim.
    form = aiohttp.FormData(quote_fields=False)
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mime) in files.items():
        payload = content if isinstance(content, bytes) else content.read()
        form.add_field(name, payload, filename=filename, content_type=mime)
    return form
