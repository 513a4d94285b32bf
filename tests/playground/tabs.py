"""A persona's tab, driven through the playground's HTTP API as the page drives it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import aiohttp

from bot.playground.web import HEADER

HEADERS = {HEADER: "1"}
View = dict[str, Any]


class Tab:
    """One persona's chat page: sends, presses, uploads, and follows the events as the page does.

    ``views`` is the chat as the page shows it now (message id → newest view); ``since(mark)``
    are the messages received or changed after ``mark`` (an index into ``log``).
    """

    def __init__(self, http: aiohttp.ClientSession, base: str, persona: str) -> None:
        self.http = http
        self.base = base
        self.persona = persona
        self.instance = ""
        self.cursor = 0
        self.log: list[dict[str, Any]] = []  # every event received, in order
        self.views: dict[int, View] = {}
        self.mark = 0

    async def post(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        async with self.http.post(f"{self.base}{path}", json=body, headers=HEADERS) as r:
            return r.status, await r.json()

    async def poll(self, wait: int = 5) -> list[dict[str, Any]]:
        """One request for the events after the cursor (a long poll up to ``wait`` seconds)."""
        query = {
            "persona": self.persona,
            "after": str(self.cursor),
            "instance": self.instance,
            "wait": str(wait),
        }
        async with self.http.get(f"{self.base}/api/events", params=query) as r:
            assert r.status == 200, await r.text()
            data = await r.json()
        if data["reset"]:
            self.views.clear()
        self.instance = data["instance"]
        self.cursor = data["cursor"]
        for event in data["events"]:
            self.log.append(event)
            if event["type"] == "message":
                self.views[event["message"]["id"]] = event["message"]
            elif event["type"] == "delete":
                self.views.pop(event["id"], None)
        events: list[dict[str, Any]] = data["events"]
        return events

    def since(self, mark: int) -> list[View]:
        return [e["message"] for e in self.log[mark:] if e["type"] == "message"]

    async def until(self, match: str | Callable[[View], bool], timeout: float = 20.0) -> View:
        """The first bot message since the last action that contains ``match`` (or satisfies it)."""

        def fits(view: View) -> bool:
            if view["from"] != "bot":
                return False
            if isinstance(match, str):
                return match in (view["text"] or "")
            return match(view)

        async with asyncio.timeout(timeout):
            while True:
                found = [v for v in self.since(self.mark) if fits(v)]
                if found:
                    return found[0]
                await self.poll()

    async def send(self, text: str, expect: str | Callable[[View], bool]) -> View:
        await self.poll(wait=0)
        self.mark = len(self.log)
        status, body = await self.post("/api/send", {"persona": self.persona, "text": text})
        assert status == 200, body
        return await self.until(expect)

    def button(self, label: str) -> tuple[int, str]:
        """The newest message with a button whose label starts with ``label``: (id, data)."""
        for message_id in sorted(self.views, reverse=True):
            for row in self.views[message_id]["buttons"]:
                for b in row:
                    if b["text"].startswith(label) and b["kind"] == "callback":
                        return message_id, b["data"]
        texts = [v["text"] for v in self.views.values()][-3:]
        raise AssertionError(f"{self.persona}: no button {label!r}; last messages: {texts}")

    async def press(self, label: str, expect: str | Callable[[View], bool]) -> View:
        await self.poll(wait=0)
        message_id, data = self.button(label)
        self.mark = len(self.log)
        body = {"persona": self.persona, "message_id": message_id, "data": data}
        status, answer = await self.post("/api/press", body)
        assert status == 200, answer
        return await self.until(expect)

    async def download(self, view: View) -> tuple[bytes, str]:
        """A document's bytes and its Content-Disposition header."""
        url = f"{self.base}/api/files/{view['document']['file_id']}"
        async with self.http.get(url) as r:
            assert r.status == 200
            return await r.read(), r.headers["Content-Disposition"]

    @property
    def text(self) -> str:
        """Everything the bot has said since the last action."""
        return "\n".join(v["text"] or "" for v in self.since(self.mark) if v["from"] == "bot")
