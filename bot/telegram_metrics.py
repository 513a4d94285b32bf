"""The python-telegram-bot side of ``bot/metrics.py``: update kinds and failed Bot API calls."""

from __future__ import annotations

import re

from telegram import Update
from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, RequestData

from . import metrics
from .http import AiohttpRequest

_METHOD = re.compile(r"[A-Za-z]{1,40}")


def update_kind(update: object) -> str:
    """``command``, ``text``, ``button``, ``document`` or ``other``."""
    if not isinstance(update, Update):
        return "other"
    if update.callback_query is not None:
        return "button"
    message = update.message
    if message is None:
        return "other"
    if message.document is not None:
        return "document"
    if message.text is not None:
        return "command" if message.text.startswith("/") else "text"
    return "other"


def update_handled(update: object, seconds: float) -> None:
    """One update processed (all its replies sent) in ``seconds``."""
    metrics.update_handled(update_kind(update), seconds)


def _method(url: str) -> str:
    # The URL holds the token (…/bot<token>/sendMessage): only the last part is kept.
    name = url.rsplit("/", 1)[-1]
    return name if _METHOD.fullmatch(name) else "unknown"


class CountingRequest(AiohttpRequest):
    """The bot's HTTP transport (``bot/http.py``), counting every Bot API answer that is not a
    success."""

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
        try:
            code, payload = await super().do_request(
                url,
                method,
                request_data,
                read_timeout=read_timeout,
                write_timeout=write_timeout,
                connect_timeout=connect_timeout,
                pool_timeout=pool_timeout,
            )
        except Exception:
            metrics.API_ERRORS.labels(_method(url), "network").inc()
            raise
        if not 200 <= code < 300:
            metrics.API_ERRORS.labels(_method(url), str(code)).inc()
        return code, payload
