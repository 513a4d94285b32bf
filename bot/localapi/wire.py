"""What crosses the wire: request parameters in, Telegram's error answers out.

Telegram accepts parameters in the query string and in a JSON, form-urlencoded or multipart
body. Text values (query, form, multipart fields) are parsed later by their declared type; JSON
values keep their JSON types; multipart file parts become ``Upload``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web

from bot.localapi.limits import MAX_UPLOAD_BYTES, MB


class ApiError(Exception):
    """A request Telegram would refuse: its HTTP code and Telegram's description.

    Attributes:
        code: ``error_code`` and HTTP status (400, 404, 409, 413, ...).
        description: Telegram's sentence, e.g. ``Bad Request: message is too long``.
        rule: A short stable name for tests (``length``, ``unknown_parameter``, ...).
        path: Where in the request, e.g. ``reply_markup.inline_keyboard[0][1].callback_data``.
        violation: True when the request broke the API's contract (a bug in the bot), False
            for refusals that depend on state (``message to edit not found``).
    """

    def __init__(
        self,
        code: int,
        description: str,
        *,
        rule: str,
        path: str = "",
        violation: bool = True,
        parameters: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.rule = rule
        self.path = path
        self.violation = violation
        self.parameters = dict(parameters) if parameters else None

    @classmethod
    def bad_request(
        cls, rule: str, detail: str, path: str = "", *, violation: bool = True
    ) -> ApiError:
        """A 400 ``Bad Request: <detail>``."""
        return cls(400, f"Bad Request: {detail}", rule=rule, path=path, violation=violation)

    def payload(self) -> dict[str, Any]:
        """The JSON body Telegram answers with."""
        body: dict[str, Any] = {"ok": False, "error_code": self.code}
        body["description"] = self.description
        if self.parameters:
            body["parameters"] = self.parameters
        return body


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request. ``size`` counts every byte sent, even unkept ones."""

    filename: str | None
    content_type: str
    data: bytes
    size: int


async def read_params(request: web.Request) -> tuple[dict[str, Any], set[str]]:
    """Parameters from the query string and a JSON, form or multipart body.

    Returns:
        The parameters, and the names of those that arrived as text (to parse by type).
    """
    params: dict[str, Any] = dict(request.query)
    text = set(params)
    if not request.body_exists:
        return params, text
    kind = request.content_type
    if kind == "application/json":
        try:
            body = json.loads(await request.read())
        except ValueError:
            raise ApiError.bad_request("json", "can't parse JSON request body") from None
        if not isinstance(body, dict):
            raise ApiError.bad_request("json", "the JSON request body must be an object")
        params.update(body)
        text -= body.keys()
    elif kind == "application/x-www-form-urlencoded":
        form = await request.post()
        for key in form:
            params[key] = str(form[key])
            text.add(key)
    elif kind == "multipart/form-data":
        async for part in await request.multipart():
            if not isinstance(part, aiohttp.BodyPartReader) or not part.name:
                raise ApiError.bad_request("multipart", "can't parse multipart request body")
            if part.filename is None:
                params[part.name] = await part.text()
                text.add(part.name)
            else:
                params[part.name] = await _read_upload(part)
    else:
        raise ApiError.bad_request("content_type", f"unsupported Content-Type {kind}")
    return params, text


async def _read_upload(part: aiohttp.BodyPartReader) -> Upload:
    """A file part, read whole; beyond the upload limit only its size is kept."""
    kept = bytearray()
    size = 0
    while chunk := await part.read_chunk(MB):
        size += len(chunk)
        if size <= MAX_UPLOAD_BYTES:
            kept += chunk
    content_type = part.headers.get(aiohttp.hdrs.CONTENT_TYPE, "application/octet-stream")
    data = bytes(kept) if size <= MAX_UPLOAD_BYTES else b""
    return Upload(part.filename, content_type, data, size)
