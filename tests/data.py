"""Report data shared by tests: example report 001's tables, carried into both layouts."""

from __future__ import annotations

from decimal import Decimal

from core.formats import GOV_2019, GOV_2021, Format
from core.rules import Number

COLUMNS = ("natural", "business", "research", "nonprofit", "legal", "other_org")

# Table 3 of example 001 (呼伦贝尔市 2020), gov-2019 rows; （六）其他处理 is one row there.
REQUESTS_001: dict[str, tuple[int, ...]] = {
    "new": (193, 19, 0, 0, 0, 12),
    "carried_in": (1, 0, 0, 0, 0, 0),
    "granted": (50, 4, 0, 0, 0, 1),
    "partial": (94, 1, 0, 0, 0, 1),
    "denied_secret": (1, 0, 0, 0, 0, 1),
    "denied_law": (0, 0, 0, 0, 0, 0),
    "denied_safety": (0, 0, 0, 0, 0, 0),
    "denied_third_party": (0, 0, 0, 0, 0, 0),
    "denied_internal": (2, 3, 0, 0, 0, 0),
    "denied_process": (0, 3, 0, 0, 0, 0),
    "denied_enforcement": (0, 0, 0, 0, 0, 0),
    "denied_inquiry": (0, 0, 0, 0, 0, 0),
    "unavailable_not_held": (30, 3, 0, 0, 0, 7),
    "unavailable_needs_creation": (3, 3, 0, 0, 0, 0),
    "unavailable_unclear": (1, 0, 0, 0, 0, 2),
    "rejected_complaint": (0, 0, 0, 0, 0, 0),
    "rejected_repeat": (0, 0, 0, 0, 0, 0),
    "rejected_publication": (0, 0, 0, 0, 0, 0),
    "rejected_excessive": (0, 0, 0, 0, 0, 0),
    "rejected_confirmation": (0, 0, 0, 0, 0, 0),
    "other": (11, 2, 0, 0, 0, 0),
    "carried_out": (2, 0, 0, 0, 0, 0),
}
APPEALS_001 = {
    "review": (8, 0, 1, 3),
    "suit_direct": (0, 0, 0, 0),
    "suit_after_review": (3, 0, 1, 0),
}
RESULTS = ("upheld", "corrected", "other", "pending")


def _requests(fmt: Format) -> dict[str, Number]:
    rows = dict(REQUESTS_001)
    if fmt is GOV_2021:
        rows["other_other"] = rows.pop("other")
        rows["other_no_correction"] = (0,) * 6
        rows["other_unpaid_fee"] = (0,) * 6
    return {
        f"requests.{row}.{col}": v
        for row, values in rows.items()
        for col, v in zip(COLUMNS, values, strict=True)
    }


def _appeals() -> dict[str, Number]:
    return {
        f"appeals.{block}.{col}": v
        for block, values in APPEALS_001.items()
        for col, v in zip(RESULTS, values, strict=True)
    }


def cells_001_gov2021() -> dict[str, Number]:
    """Example 001's figures in the gov-2021 layout (table 2 carried over by meaning)."""
    cells: dict[str, Number] = {
        "proactive.rules.issued": 1,
        "proactive.rules.repealed": 0,
        "proactive.rules.in_force": 1,
        "proactive.normative.issued": 14,
        "proactive.normative.repealed": 0,
        "proactive.normative.in_force": 606,
        "proactive.licensing.decisions": 512366,
        "proactive.penalty.decisions": 69775,
        "proactive.coercion.decisions": 4660,
        "proactive.fees.amount": 0,
    }
    cells.update(_requests(GOV_2021))
    cells.update(_appeals())
    return cells


def cells_001_gov2019() -> dict[str, Number]:
    """Example 001's figures exactly as published, in its own gov-2019 layout."""
    cells: dict[str, Number] = {
        "proactive.rules.made": 1,
        "proactive.rules.published": 1,
        "proactive.rules.total": 1,
        "proactive.normative.made": 14,
        "proactive.normative.published": 338,
        "proactive.normative.total": 606,
        "proactive.licensing.previous": 209,
        "proactive.licensing.change": 12,
        "proactive.licensing.decisions": 512366,
        "proactive.other_services.previous": 257,
        "proactive.other_services.change": -13,
        "proactive.other_services.decisions": 5031,
        "proactive.penalty.previous": 4848,
        "proactive.penalty.change": 821,
        "proactive.penalty.decisions": 69775,
        "proactive.coercion.previous": 177,
        "proactive.coercion.change": 8,
        "proactive.coercion.decisions": 4660,
        "proactive.fees.previous": 17,
        "proactive.fees.change": 7,
        "proactive.procurement.projects": 1796,
        "proactive.procurement.amount": Decimal("3117000000"),
    }
    cells.update(_requests(GOV_2019))
    cells.update(_appeals())
    return cells


# The figures paragraph of example 001's 一、总体情况 (it says 222 answered; the table says 223).
REQUESTS_TEXT_001 = (
    "全市各级行政机关共收到政府信息公开申请224件，较去年增长103.64%。已答复222件（含上年结转申请1件），"
    "2件结转下年继续办理，均在法定期限内予以答复。办理信息公开行政复议12件，行政诉讼立案4件"
    "（均为行政复议后起诉），无结果纠正案件。"
)


def zero_cells(fmt: Format) -> dict[str, Number]:
    return {cid: 0 for cid in fmt.input_cells}


__all__ = ["GOV_2019", "GOV_2021", "cells_001_gov2019", "cells_001_gov2021", "zero_cells"]
