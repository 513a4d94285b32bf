"""Rules 1-10: generation from structure, certainty on partial answers, and wording."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.answers import computed_values
from core.check import Context, evaluate, evaluate_touching
from core.formats import GOV_2019, GOV_2021, Format
from core.rules import Number, RuleKind, Severity, structural_rules
from core.wording.rules import describe
from tests.data import REQUESTS_TEXT_001, cells_001_gov2019, cells_001_gov2021, zero_cells

FORMATS = [GOV_2021, GOV_2019]


def rules_of(found: list, kind: RuleKind | None = None) -> set[str]:
    return {v.rule for v in found if kind is None or v.kind is kind}


def test_structural_rules_are_generated_not_listed() -> None:
    rules = structural_rules(GOV_2021)
    by_kind: dict[RuleKind, int] = {}
    for r in rules:
        by_kind[r.kind] = by_kind.get(r.kind, 0) + 1
    # 7 columns x balance, 7 columns x （七）总计, 25 rows x 总计 + 3 appeal blocks.
    assert by_kind == {RuleKind.BALANCE: 7, RuleKind.COLUMN_TOTAL: 7, RuleKind.ROW_TOTAL: 28}
    assert {r.number for r in rules} == {1, 2, 3, 4}
    gov2019 = structural_rules(GOV_2019)
    assert sum(1 for r in gov2019 if r.kind is RuleKind.ROW_TOTAL) == 26


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.id)
def test_zero_report_is_consistent(fmt: Format) -> None:
    assert evaluate(fmt, zero_cells(fmt)) == []


@pytest.mark.parametrize(
    "cells",
    [cells_001_gov2021(), cells_001_gov2019()],
    ids=["001-gov2021", "001-gov2019"],
)
def test_example_001_tables_are_consistent(cells: dict[str, Number]) -> None:
    fmt = GOV_2021 if "proactive.fees.amount" in cells else GOV_2019
    found = evaluate(fmt, cells)
    assert [v for v in found if v.severity is Severity.ERROR] == []


def with_totals(fmt: Format, cells: dict[str, Number]) -> dict[str, Number]:
    return {**cells, **computed_values(fmt, cells)}


# (description, changes to the consistent 001 report with totals, the rule ids that must fail)
CASES = [
    (
        "rule 1: carried out one too many",
        {"requests.carried_out.natural": 3, "requests.carried_out.total": 3},
        {"balance:requests:natural", "balance:requests:total"},
    ),
    (
        "rule 2: stated results total wrong",
        {"requests.results_total.natural": 191},
        {
            "column_total:requests:natural",
            "row_total:requests:results_total",
            "balance:requests:natural",
        },
    ),
    (
        "rule 3: a row total wrong",
        {"requests.new.total": 225},
        {"row_total:requests:new", "balance:requests:total"},
    ),
    (
        "rule 4: appeal block total wrong",
        {"appeals.review.total": 13},
        {"row_total:appeals:review"},
    ),
    (
        "rule 5: negative count",
        {"proactive.penalty.decisions": -1},
        {"value:proactive.penalty.decisions"},
    ),
    (
        "rule 5: decimal count",
        {"proactive.penalty.decisions": Decimal("2.5")},
        {"value:proactive.penalty.decisions"},
    ),
    (
        "rule 5: negative fee",
        {"proactive.fees.amount": Decimal("-0.5")},
        {"value:proactive.fees.amount"},
    ),
]


@pytest.mark.parametrize(("name", "changes", "expected"), CASES, ids=[c[0] for c in CASES])
def test_hard_rules(name: str, changes: dict[str, Number], expected: set[str]) -> None:
    cells = with_totals(GOV_2021, cells_001_gov2021())
    cells.update(changes)
    found = evaluate(GOV_2021, cells)
    assert expected <= rules_of(found)
    assert all(v.severity is Severity.ERROR for v in found if v.rule in expected)
    # Nothing else is wrong.
    extra = rules_of(found) - expected - {"rule_making:proactive.rules"}
    assert extra == set()


def test_fee_amount_may_be_decimal() -> None:
    cells = cells_001_gov2021() | {"proactive.fees.amount": Decimal("103.3879")}
    assert rules_of(evaluate(GOV_2021, cells), RuleKind.VALUE) == set()


def test_signed_change_may_be_negative() -> None:
    assert rules_of(evaluate(GOV_2019, cells_001_gov2019()), RuleKind.VALUE) == set()


def test_violation_carries_both_sides_and_difference() -> None:
    cells = cells_001_gov2021() | {"requests.carried_out.natural": 3}
    (v,) = [x for x in evaluate(GOV_2021, cells) if x.rule == "balance:requests:natural"]
    assert (v.left, v.right, v.difference) == (194, 195, -1)
    assert v.cells == (
        "requests.new.natural",
        "requests.carried_in.natural",
        "requests.results_total.natural",
        "requests.carried_out.natural",
    )
    assert describe(GOV_2021, v) == (
        "自然人列：本年新收 193 + 上年结转 1 = 194，但办理结果总计 192 + 结转下年度 3 = 195，多了 1"
    )


# ---------------------------------------------------------------- incremental certainty


def test_partial_results_exceeding_received_is_already_wrong() -> None:
    cells = {
        "requests.new.natural": 3,
        "requests.carried_in.natural": 1,
        "requests.granted.natural": 3,
        "requests.partial.natural": 2,
    }
    found = evaluate(GOV_2021, cells)
    assert rules_of(found) == {"balance:requests:natural"}
    (v,) = found
    assert not v.right_complete and v.left == 4 and v.right == 5
    assert "已填的" in describe(GOV_2021, v) and "多了 1" in describe(GOV_2021, v)


def test_partial_results_below_received_is_not_reported() -> None:
    cells = {"requests.new.natural": 3, "requests.granted.natural": 2}
    assert evaluate(GOV_2021, cells) == []


def test_left_side_unknown_is_never_flagged() -> None:
    # 一 known, 二 unknown: results may legitimately exceed 一.
    cells = {"requests.new.natural": 3, "requests.granted.natural": 5}
    assert evaluate(GOV_2021, cells) == []


def test_stated_total_below_known_parts_is_already_wrong() -> None:
    cells = {"appeals.review.total": 3, "appeals.review.upheld": 2, "appeals.review.other": 2}
    assert rules_of(evaluate(GOV_2021, cells)) == {"row_total:appeals:review"}


def test_negative_term_stops_early_inference() -> None:
    cells = {
        "requests.new.natural": 3,
        "requests.carried_in.natural": 0,
        "requests.granted.natural": 5,
        "requests.partial.natural": -4,
    }
    assert rules_of(evaluate(GOV_2021, cells)) == {"value:requests.partial.natural"}


def test_evaluate_touching_sees_only_what_changed() -> None:
    cells = {**cells_001_gov2021(), "requests.granted.business": 5}
    found = evaluate_touching(GOV_2021, cells, ["requests.granted.business"])
    assert rules_of(found) == {"balance:requests:business", "balance:requests:total"}
    assert evaluate_touching(GOV_2021, cells, ["appeals.review.upheld"]) == []


# ---------------------------------------------------------------- warnings 6-10


def test_rule_6_carried_in_against_last_year() -> None:
    last = cells_001_gov2021() | {"requests.carried_out.natural": 5}
    context = Context(last_format="gov-2021", last_cells=last)
    found = evaluate(GOV_2021, cells_001_gov2021(), context)
    carry = [v for v in found if v.kind is RuleKind.CARRY]
    assert [v.rule for v in carry] == ["carry:requests:natural"]
    assert carry[0].severity is Severity.WARNING and carry[0].number == 6
    assert describe(GOV_2021, carry[0]).startswith(
        "自然人列：本年上年结转 1，但上年报告的结转下年度"
    )


def test_rule_6_and_7_not_across_format_change() -> None:
    context = Context(last_format="gov-2019", last_cells={"requests.carried_out.natural": 9})
    found = evaluate(GOV_2021, cells_001_gov2021(), context)
    assert not [v for v in found if v.number in (6, 7, 10)]


@pytest.mark.parametrize(
    ("last_in_force", "expected"),
    [(592, set()), (600, {"stock:proactive:normative"})],
)
def test_rule_7_stock_of_normative_documents(last_in_force: int, expected: set[str]) -> None:
    last = cells_001_gov2021() | {
        "proactive.normative.in_force": last_in_force,
        "proactive.rules.in_force": 0,
    }
    context = Context(last_format="gov-2021", last_cells=last)
    found = evaluate(GOV_2021, cells_001_gov2021(), context)
    assert rules_of(found, RuleKind.STOCK) == expected


def test_rule_8_narrative_mismatch_found_with_quote() -> None:
    context = Context(texts={"overview.requests": REQUESTS_TEXT_001})
    found = [v for v in evaluate(GOV_2021, cells_001_gov2021(), context) if v.number == 8]
    assert [(v.topic, v.left, v.right) for v in found] == [("answered", 222, 223)]
    assert "已答复222件" in found[0].quote
    assert "222" in describe(GOV_2021, found[0]) and "223" in describe(GOV_2021, found[0])


def test_rule_8_waits_for_the_table() -> None:
    context = Context(texts={"overview.requests": REQUESTS_TEXT_001})
    cells = {"requests.new.natural": 193}
    assert [v for v in evaluate(GOV_2021, cells, context) if v.number == 8] == []


@pytest.mark.parametrize(("rule_making", "count"), [(None, 1), (False, 1), (True, 0)])
def test_rule_9_rules_need_rule_making_power(rule_making: bool | None, count: int) -> None:
    found = evaluate(GOV_2021, cells_001_gov2021(), Context(rule_making=rule_making))
    assert len([v for v in found if v.number == 9]) == count


def test_rule_9_silent_when_no_rules() -> None:
    assert [v for v in evaluate(GOV_2021, zero_cells(GOV_2021)) if v.number == 9] == []


@pytest.mark.parametrize(
    ("this", "last", "flagged"),
    [
        (Decimal("125000"), Decimal("12.5"), True),  # 元 typed where 万元 was asked
        (Decimal("12.5"), Decimal("11"), False),
        (120, 12, True),
        (9, 1, False),  # small numbers swing easily
        (12, 130, True),
        (0, 50, False),
    ],
)
def test_rule_10_swings(this: Number, last: Number, flagged: bool) -> None:
    cid = "proactive.fees.amount" if isinstance(this, Decimal) else "proactive.penalty.decisions"
    context = Context(last_format="gov-2021", last_cells={cid: last})
    found = [v for v in evaluate(GOV_2021, {cid: this}, context) if v.number == 10]
    assert bool(found) is flagged


# ---------------------------------------------------------------- properties


@st.composite
def consistent_report(draw: st.DrawFn, fmt: Format) -> dict[str, Number]:
    """A random report that satisfies every hard rule, totals included."""
    cells: dict[str, Number] = {}
    counts = st.integers(0, 60)
    for cid, cell in fmt.cells.items():
        if cell.computed or cell.table == "requests":
            continue
        if cell.kind.value == "amount":
            cells[cid] = Decimal(draw(st.integers(0, 10**6))) / 100
        elif cell.kind.value == "signed":
            cells[cid] = draw(st.integers(-50, 50))
        else:
            cells[cid] = draw(counts)
    table = fmt.table("requests")
    rows = [r.key for r in table.blocks[0].row_leaves() if not r.total]
    results = [r for r in rows if r not in ("new", "carried_in", "carried_out")]
    for col in ("natural", "business", "research", "nonprofit", "legal", "other_org"):
        done = {r: draw(st.integers(0, 20)) for r in results}
        carried_out = draw(st.integers(0, 10))
        out_total = sum(done.values()) + carried_out
        carried_in = draw(st.integers(0, out_total))
        for r, v in done.items():
            cells[f"requests.{r}.{col}"] = v
        cells[f"requests.carried_out.{col}"] = carried_out
        cells[f"requests.carried_in.{col}"] = carried_in
        cells[f"requests.new.{col}"] = out_total - carried_in
    return {**cells, **computed_values(fmt, cells)}


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.id)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_consistent_reports_pass(fmt: Format, data: st.DataObject) -> None:
    cells = data.draw(consistent_report(fmt))
    assert [v for v in evaluate(fmt, cells) if v.severity is Severity.ERROR] == []


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.id)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_any_single_change_in_tables_3_and_4_is_caught(fmt: Format, data: st.DataObject) -> None:
    cells = data.draw(consistent_report(fmt))
    targets = sorted(c for c in cells if fmt.cells[c].table in ("requests", "appeals"))
    cid = data.draw(st.sampled_from(targets))
    delta = data.draw(st.integers(1, 30))
    value = cells[cid]
    changed = value - delta if value >= delta and data.draw(st.booleans()) else value + delta
    cells[cid] = changed
    assert [v for v in evaluate(fmt, cells) if v.severity is Severity.ERROR]


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.id)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_partial_consistent_reports_raise_nothing(fmt: Format, data: st.DataObject) -> None:
    """Nothing is reported that is not yet certain: any subset of a consistent report passes."""
    cells = data.draw(consistent_report(fmt))
    keep = data.draw(st.sets(st.sampled_from(sorted(cells))))
    partial = {k: cells[k] for k in keep}
    assert [v for v in evaluate(fmt, partial) if v.severity is Severity.ERROR] == []


def test_rule_8_per_area_answer_needs_no_heading() -> None:
    context = Context(texts={"overview.requests": "共收到申请15件，办结14件。"})
    found = [v for v in evaluate(GOV_2021, cells_001_gov2021(), context) if v.number == 8]
    assert {(v.topic, v.left, v.right) for v in found} == {
        ("received", 15, 224),
        ("answered", 14, 223),
    }
