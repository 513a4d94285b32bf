"""The /metrics counters fed from the bot: violations shown, update kinds, Bot API errors."""

from __future__ import annotations

import pytest
from telegram import Bot, Update
from telegram.error import BadRequest

from bot import metrics
from bot.http import AiohttpRequest
from bot.localapi import LocalBotApi
from bot.telegram_metrics import update_kind
from core.check import evaluate
from core.formats import GOV_2021
from core.rules import Severity
from core.wording.rules import describe_full
from tests.data import cells_001_gov2021


def sample(name: str, **labels: str) -> float:
    return metrics.REGISTRY.get_sample_value(name, labels) or 0.0


def test_each_violation_in_a_message_is_counted_by_severity_and_rule() -> None:
    cells = cells_001_gov2021()
    cells["requests.new.natural"] = int(cells["requests.new.natural"]) + 1000  # breaks rule 1
    found = evaluate(GOV_2021, cells)
    assert found
    text = "\n".join(["已记录。", *(describe_full(GOV_2021, v) for v in found)])
    wanted: dict[tuple[str, str], int] = {}
    for v in found:
        key = (str(v.severity), str(v.number))
        wanted[key] = wanted.get(key, 0) + 1
    before = {k: sample("nianbao_violations_shown_total", severity=k[0], rule=k[1]) for k in wanted}
    metrics.message_sent(text)
    metrics.message_sent("没有违反任何规则的消息。")
    for (severity, rule), count in wanted.items():
        after = sample("nianbao_violations_shown_total", severity=severity, rule=rule)
        assert after == before[(severity, rule)] + count
    assert any(v.severity is Severity.ERROR and v.number == 1 for v in found)


@pytest.mark.parametrize(
    ("update", "kind"),
    [
        ({"message": {"text": "/start"}}, "command"),
        ({"message": {"text": "193 19 0"}}, "text"),
        ({"message": {"document": {"file_id": "f", "file_unique_id": "u"}}}, "document"),
        ({"message": {"sticker": None}}, "other"),
        ({"callback_query": {"id": "1", "chat_instance": "c", "data": "x"}}, "button"),
    ],
)
def test_update_kinds(update: dict[str, object], kind: str) -> None:
    sender = {"id": 1, "is_bot": False, "first_name": "甲"}
    payload = dict(update)
    body = dict(next(iter(payload.values())))  # type: ignore[call-overload]
    body.setdefault("from", sender)
    if "callback_query" not in payload:
        body.update(message_id=1, date=0, chat={"id": 1, "type": "private"})
    name = next(iter(payload))
    parsed = Update.de_json({"update_id": 1, name: body}, None)
    assert update_kind(parsed) == kind


async def test_failed_bot_api_calls_are_counted_by_method_and_code(bot_api: LocalBotApi) -> None:
    before = sample("nianbao_bot_api_errors_total", method="sendMessage", code="400")
    bot = Bot(bot_api.token, base_url=bot_api.base_url, request=AiohttpRequest())
    async with bot:
        await bot.send_message(bot_api.user(8001, "钱七").user["id"], "你好")  # fine
        with pytest.raises(BadRequest, match=r"(?i)chat not found"):
            await bot.send_message(424242, "没有这个人")
    after = sample("nianbao_bot_api_errors_total", method="sendMessage", code="400")
    assert after == before + 1
