"""Report states with every kind of answer, for storage tests and the benchmark."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from core.answers import CONTACT_KEYS, Answers
from core.interview import Mode, State, new_state
from tests.data import cells_001_gov2019, cells_001_gov2021

NOW = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)
TODAY = date(2026, 11, 21)

TEXTS = {
    "overview": "一、总体情况\n本年度，我局坚持以公开为常态。😀👍\n\t第二段：“引号”与（括号）。",
    "overview.requests": "共收到政府信息公开申请224件。",
    "problems": "存在问题：宣传不够。\r\n改进措施：加强培训……",
    "other": "无。",
    "other.fee": "本年度未收取信息处理费。",
    "other.matters": "",  # an explicit empty text is kept apart from a missing one
}
CONTACT = {
    "office": "某某县民政局办公室",
    "address": "内蒙古自治区呼伦贝尔市海拉尔区胜利大街1号",
    "postcode": "021000",
    "phone": "0470-8888888",
    "email": "gongkai@example.gov.cn",
    "website": "http://www.example.gov.cn",
}
assert set(CONTACT) == set(CONTACT_KEYS)


def rich_2021() -> State:
    """A gov-2021 report with counts, a 万元 amount, texts, contact and interview position."""
    cells = cells_001_gov2021()
    cells["proactive.fees.amount"] = Decimal("103.3879")
    last = Answers("gov-2021", 2025, "某某县民政局", {"proactive.fees.amount": Decimal("0.0001")})
    state = new_state(TODAY, year=2026, agency="某某县民政局", contact=CONTACT, cells=cells)
    answers = state.answers
    for key, text in TEXTS.items():
        answers = answers.with_text(key, text)
    return state.evolve(
        answers=answers,
        current="requests.carried_out",
        mode=Mode.ASK,
        trail=("agency", "proactive.rules", "requests.new"),
        deferred=frozenset({"overview", "appeals.review"}),
        acknowledged={"swing:proactive.fees.amount": "单位换算后确认无误", "rule_making": ""},
        last=last,
        text_open=True,
    )


def rich_2019() -> State:
    """A gov-2019 report: signed changes (增/减) and a procurement amount in 元."""
    cells = cells_001_gov2019()
    cells["proactive.other_services.change"] = -13
    cells["proactive.procurement.amount"] = Decimal("176000.5")
    return new_state(TODAY, year=2020, agency="某某市人民政府办公室", cells=cells)
