"""The figures paragraph: 一、总体情况's 依申请公开 part drafted from tables 3 and 4.

Written in the register of published reports ("本年度共收到政府信息公开申请224件，上年结转1件。
已办结223件，其中……"), from the table values themselves, so the narrative and the tables cannot
disagree: ``core.narrative.find_figures`` reads back exactly the tables' figures (rule 8).
A sentence whose figures are not all known yet is left out.
"""

from __future__ import annotations

from collections.abc import Mapping

from .answers import Answers
from .report import cell_values
from .rules import Number
from .wording.cells import num

# The breakdown of （七）总计 that readers look for, as the sub-totals of the leaf rows.
RESULT_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("予以公开", ("granted",)),
    ("部分公开", ("partial",)),
    (
        "不予公开",
        (
            "denied_secret",
            "denied_law",
            "denied_safety",
            "denied_third_party",
            "denied_internal",
            "denied_process",
            "denied_enforcement",
            "denied_inquiry",
        ),
    ),
    ("无法提供", ("unavailable_not_held", "unavailable_needs_creation", "unavailable_unclear")),
    (
        "不予处理",
        (
            "rejected_complaint",
            "rejected_repeat",
            "rejected_publication",
            "rejected_excessive",
            "rejected_confirmation",
        ),
    ),
    ("其他处理", ("other", "other_no_correction", "other_unpaid_fee", "other_other")),
)


def _total(values: Mapping[str, Number], ids: tuple[str, ...]) -> Number | None:
    """The sum of ``ids`` present in the format, or None if any of them is unknown."""
    total: Number = 0
    for cid in ids:
        value = values.get(cid)
        if value is None:
            return None
        total += value
    return total


def draft_requests_paragraph(answers: Answers) -> str:
    """The 依申请公开 figures as a paragraph; empty when nothing is known yet."""
    fmt = answers.fmt
    values = cell_values(answers)

    def row(key: str) -> Number | None:
        return _total(values, (f"requests.{key}.total",))

    received, carried_in = row("new"), row("carried_in")
    answered, carried_out = row("results_total"), row("carried_out")
    sentences: list[str] = []
    if received is not None and carried_in is not None:
        sentences.append(_received(received, carried_in))
    if answered is not None and carried_out is not None:
        groups = []
        for label, rows in RESULT_GROUPS:
            ids = tuple(f"requests.{r}.total" for r in rows if f"requests.{r}.total" in fmt.cells)
            groups.append((label, _total(values, ids)))
        sentences.append(_answered(answered, carried_out, groups))
    review = _total(values, ("appeals.review.total",))
    suit = _total(values, ("appeals.suit_direct.total", "appeals.suit_after_review.total"))
    if review is not None and suit is not None:
        sentences.append(_appeals(review, suit))
    return "".join(s for s in sentences if s)


def _received(received: Number, carried_in: Number) -> str:
    if received == 0 and carried_in == 0:
        return "本年度未收到政府信息公开申请，无上年结转申请。"
    if received == 0:
        return f"本年度未收到新的政府信息公开申请，上年结转{num(carried_in)}件。"
    tail = f"上年结转{num(carried_in)}件" if carried_in else "无上年结转申请"
    return f"本年度共收到政府信息公开申请{num(received)}件，{tail}。"


def _answered(
    answered: Number, carried_out: Number, groups: list[tuple[str, Number | None]]
) -> str:
    if answered == 0 and carried_out == 0:
        return ""
    if answered == 0:
        return f"上述申请均在办理中，结转下年度继续办理{num(carried_out)}件。"
    parts = [f"{label}{num(v)}件" for label, v in groups if v is not None]
    breakdown = f"，其中{'，'.join(parts)}" if parts else ""
    if carried_out:
        tail = f"；结转下年度继续办理{num(carried_out)}件"
    else:
        tail = "；无结转下年度继续办理的申请"
    return f"已办结{num(answered)}件{breakdown}{tail}。"


def _appeals(review: Number, suit: Number) -> str:
    if review == 0 and suit == 0:
        return "全年未发生政府信息公开行政复议和行政诉讼。"
    if suit == 0:
        return f"全年发生政府信息公开行政复议{num(review)}件，未发生行政诉讼。"
    if review == 0:
        return f"全年未发生政府信息公开行政复议，发生行政诉讼{num(suit)}件。"
    return f"全年发生政府信息公开行政复议{num(review)}件、行政诉讼{num(suit)}件。"
