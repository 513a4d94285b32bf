"""The aiohttp transport (bot/http.py) against a real HTTP server on localhost."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest
from aiohttp import BodyPartReader, web
from telegram import InputFile
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.http import AiohttpRequest, never_sent

Seen = dict[str, object]


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, list[Seen]]]:
    seen: list[Seen] = []

    async def form(request: web.Request) -> web.Response:
        if request.content_type.startswith("multipart/"):
            parts: dict[str, object] = {}
            reader = await request.multipart()
            while (part := await reader.next()) is not None:
                assert isinstance(part, BodyPartReader)
                body = await part.read()
                parts[part.name or ""] = (part.filename, bytes(body))
            seen.append({"multipart": parts})
        else:
            form = dict(await request.post())
            seen.append({"form": form, "ua": request.headers["User-Agent"], "peer": request.remote})
            assert request.transport is not None
            seen[-1]["port"] = request.transport.get_extra_info("peername")[1]
            if "pause" in form:
                await asyncio.sleep(0.05)  # long enough for requests to queue for a connection
        return web.json_response({"ok": True, "result": True})

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(2)
        return web.json_response({"ok": True, "result": True})

    async def missing(request: web.Request) -> web.Response:
        return web.json_response({"ok": False, "error_code": 404}, status=404)

    app = web.Application()
    app.router.add_post("/form", form)
    app.router.add_post("/slow", slow)
    app.router.add_post("/missing", missing)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}", seen
    finally:
        await runner.cleanup()


def _data(**values: object) -> RequestData:
    return RequestData([RequestParameter.from_input(k, v) for k, v in values.items()])


async def test_fields_are_sent_as_a_form(server: tuple[str, list[Seen]]) -> None:
    url, seen = server
    async with AiohttpRequest() as request:
        code, body = await request.do_request(
            f"{url}/form", "POST", _data(chat_id=42, text="已记录：5", reply_markup={"a": [1]})
        )
    assert code == 200 and b'"ok": true' in body
    assert seen[0]["form"] == {"chat_id": "42", "text": "已记录：5", "reply_markup": '{"a": [1]}'}
    assert "python-telegram-bot" in str(seen[0]["ua"])


async def test_files_go_as_multipart_with_their_chinese_names(
    server: tuple[str, list[Seen]],
) -> None:
    url, seen = server
    name = "某某县民政局2026年政府信息公开工作年度报告.docx"
    doc = InputFile(b"PK\x03\x04 docx bytes", filename=name)
    async with AiohttpRequest() as request:
        code, _ = await request.do_request(f"{url}/form", "POST", _data(chat_id=7, document=doc))
    assert code == 200
    parts = seen[0]["multipart"]
    assert isinstance(parts, dict)
    assert parts["chat_id"] == (None, b"7")
    (attached,) = [v for k, v in parts.items() if k != "chat_id" and v[0] is not None]
    assert attached == (name, b"PK\x03\x04 docx bytes")


async def test_an_error_status_is_returned_with_its_body(server: tuple[str, list[Seen]]) -> None:
    url, _ = server
    async with AiohttpRequest() as request:
        code, body = await request.do_request(f"{url}/missing", "POST")
    assert code == 404 and b"404" in body


async def test_a_slow_answer_times_out(server: tuple[str, list[Seen]]) -> None:
    url, _ = server
    async with AiohttpRequest() as request:
        with pytest.raises(TimedOut) as late:
            await request.do_request(f"{url}/slow", "POST", read_timeout=0.2)
    assert not never_sent(late.value)  # it reached the server: it may have been delivered


async def test_a_closed_port_is_a_network_error() -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    async with AiohttpRequest() as request:
        with pytest.raises(NetworkError) as refused:
            await request.do_request(f"http://127.0.0.1:{port}/x", "POST")
    assert never_sent(refused.value)  # so a reminder may be sent again later


async def test_the_pool_limits_connections_and_requests_wait(
    server: tuple[str, list[Seen]],
) -> None:
    url, seen = server
    async with AiohttpRequest(connection_pool_size=2) as request:
        answers = await asyncio.gather(
            *(request.do_request(f"{url}/form", "POST", _data(n=i, pause=1)) for i in range(20))
        )
    assert [code for code, _ in answers] == [200] * 20
    assert sorted(int(str(s["form"]["n"])) for s in seen) == list(range(20))  # type: ignore[index]
    assert len({s["port"] for s in seen}) <= 2  # two connections served all twenty, in turn


async def test_using_it_before_initialize_is_refused() -> None:
    with pytest.raises(RuntimeError):
        await AiohttpRequest().do_request("http://127.0.0.1:1/x", "POST")
