"""The consolidated report: exact sums, refusals, gaps, the rules kept, and the differences."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from core.aggregate import Aggregate, AggregateError, aggregate, compare, with_own_narrative
from core.answers import Answers, from_json, to_json
from core.check import Context, evaluate
from core.formats import GOV_2019, GOV_2021, Format
from core.render_compilation import cell_label, render_compilation
from core.render_docx import render_docx
from core.report import readiness
from core.rules import Number, Severity
from core.wording.aggregate import compiled_from, describe_problem, is_compiled_from
from tests.core.test_rules import consistent_report

ANSWERS = Path(__file__).parents[1] / "fixtures" / "answers"
THREE = ("a-hrss.json", "b-civil.json", "c-education.json")
COUNTY = "青山县人民政府"


def load(name: str) -> Answers:
    """An answers fixture by file name (under ``aggregate/`` for the three agencies)."""
    path = ANSWERS / "aggregate" / name if name in THREE else ANSWERS / name
    return from_json(path.read_bytes())


@pytest.fixture
def three() -> list[Answers]:
    """Three consistent gov-2021 agency reports of 青山县 for 2025."""
    return [load(n) for n in THREE]


def errors(fmt: Format, cells: dict[str, Number] | Answers) -> list[str]:
    values = cells.cells if isinstance(cells, Answers) else cells
    return [v.rule for v in evaluate(fmt, values) if v.severity is Severity.ERROR]


# ---------------------------------------------------------------- exact sums


def test_three_reports_sum_cell_by_cell(three: list[Answers]) -> None:
    agg = aggregate(three, agency=COUNTY)
    cells = agg.answers.cells
    assert agg.complete and agg.gaps == () and agg.invalid == ()
    assert (agg.answers.format, agg.answers.year, agg.answers.agency) == ("gov-2021", 2025, COUNTY)
    for cid in GOV_2021.input_cells:
        assert cells[cid] == sum(r.cells[cid] for r in three), cid
    # Only inputs are summed; totals are derived again from them.
    assert not any(GOV_2021.cells[c].computed for c in cells)
    assert cells["requests.new.natural"] == 41 + 10 + 0
    assert cells["proactive.licensing.decisions"] == 1386 + 530
    # Stocks are summed like flows.
    assert cells["proactive.normative.in_force"] == 12 + 8 + 5
    assert errors(GOV_2021, agg.answers) == []


def test_decimal_amounts_sum_exactly(three: list[Answers]) -> None:
    fee = "proactive.fees.amount"
    assert [r.cells[fee] for r in three] == [Decimal("12.35"), Decimal("0.65"), Decimal("3.125")]
    assert aggregate(three, agency=COUNTY).answers.cells[fee] == Decimal("16.125")
    # 12.35 + 0.65 is whole: stored as an int, as an answers file reading "13" would be.
    two = aggregate(three[:2], agency=COUNTY).answers.cells[fee]
    assert two == 13 and isinstance(two, int)
    # Floats would give 0.30000000000000004; many digits would round at 28 significant digits.
    tiny = [
        three[0].with_cells({fee: Decimal("0.1")}),
        three[1].with_cells({fee: Decimal("0.2")}),
        three[2].with_cells({fee: Decimal("999999999999999.1234567890123456789")}),
    ]
    assert aggregate(tiny, agency=COUNTY).answers.cells[fee] == Decimal(
        "999999999999999.4234567890123456789"
    )


def test_counts_stay_ints(three: list[Answers]) -> None:
    cells = aggregate(three, agency=COUNTY).answers.cells
    kinds = {GOV_2021.cells[c].kind.value for c, v in cells.items() if not isinstance(v, int)}
    assert kinds <= {"amount"}


def test_signed_changes_sum_and_stay_signed() -> None:
    city = load("example-001-2020.json")
    other = city.with_meta(agency="呼伦贝尔市某局").with_cells(
        {"proactive.other_services.change": 5, "proactive.licensing.change": -20}
    )
    agg = aggregate([city, other], agency="某市人民政府")
    assert agg.answers.cells["proactive.other_services.change"] == -13 + 5
    assert agg.answers.cells["proactive.licensing.change"] == 12 - 20
    assert agg.answers.cells["proactive.procurement.amount"] == 2 * 3117000000
    assert errors(GOV_2019, agg.answers) == []


def test_the_result_round_trips_as_an_answers_file(three: list[Answers]) -> None:
    result = aggregate(three, agency=COUNTY).answers
    again = from_json(to_json(result))
    assert dict(again.cells) == {**again.cells, **result.cells}
    assert again.texts == result.texts


# ---------------------------------------------------------------- refusals


def problems(exc: pytest.ExceptionInfo[AggregateError]) -> list[tuple[str, int, str]]:
    return [(p.code, p.report, p.detail) for p in exc.value.problems]


def test_mixed_formats_are_refused_naming_the_report(three: list[Answers]) -> None:
    with pytest.raises(AggregateError) as exc:
        aggregate([*three, load("example-001-2020.json")], agency=COUNTY)
    assert ("mixed_format", 3, "gov-2019") in problems(exc)
    assert exc.value.problems[0].agency == "呼伦贝尔市人民政府"


def test_mixed_years_are_refused() -> None:
    reports = [load("example-001-2020.json"), load("example-000-2019.json")]
    with pytest.raises(AggregateError) as exc:
        aggregate(reports, agency="x")
    assert problems(exc) == [("mixed_year", 1, "2019")]
    with pytest.raises(AggregateError) as exc:
        aggregate(reports, agency="x", year=2019)
    assert problems(exc) == [("wrong_year", 0, "2020")]


def test_unnamed_repeated_and_no_reports_are_refused(three: list[Answers]) -> None:
    with pytest.raises(AggregateError) as exc:
        aggregate([*three, three[1], three[2].with_meta(agency=" ")], agency=COUNTY)
    assert problems(exc) == [("duplicate_agency", 3, "1"), ("no_agency", 4, "")]
    with pytest.raises(AggregateError) as exc:
        aggregate([], agency=COUNTY)
    assert problems(exc) == [("no_reports", -1, "")]


def test_problems_are_worded_with_the_file() -> None:
    with pytest.raises(AggregateError) as exc:
        aggregate([load("example-001-2020.json"), load("example-000-2019.json")], agency="x")
    text = describe_problem(exc.value.problems[0], "b.json（鄂伦春自治旗民政局）")
    assert text.startswith("b.json（鄂伦春自治旗民政局）是 2019 年度的报告")


def test_inputs_with_errors_are_listed(three: list[Answers]) -> None:
    wrong = three[1].with_cells({"requests.carried_out.natural": 3})
    agg = aggregate([three[0], wrong, three[2]], agency=COUNTY)
    assert [i.report for i in agg.invalid] == [1]
    assert "balance:requests:natural" in {v.rule for v in agg.invalid[0].errors}
    # A wrong total stated by an agency is its error; the sum derives totals afresh.
    stated = three[0].with_cells({"requests.new.total": 99})
    agg = aggregate([stated, three[1]], agency=COUNTY)
    assert [i.report for i in agg.invalid] == [0]
    assert "requests.new.total" not in agg.answers.cells


# ---------------------------------------------------------------- blanks


def test_blank_cells_leave_the_sum_blank_and_say_who() -> None:
    city, street = load("example-001-2020.json"), load("example-002-2020.json")
    agg = aggregate([city, street], agency="x")
    blank = {g.cell for g in agg.gaps}
    assert blank and not agg.complete
    assert all(g.reports == (1,) for g in agg.gaps)
    assert blank == set(GOV_2019.input_cells) - set(street.cells)
    assert blank.isdisjoint(agg.answers.cells)
    assert agg.missing_by_report() == {1: tuple(c for c in GOV_2019.input_cells if c in blank)}
    assert agg.invalid == ()
    assert errors(GOV_2019, agg.answers) == []


def test_blank_as_zero_is_explicit_and_still_listed() -> None:
    city, street = load("example-001-2020.json"), load("example-002-2020.json")
    agg = aggregate([city, street], agency="x", blank_as_zero=True)
    assert agg.complete and agg.gaps
    cid = agg.gaps[0].cell
    assert agg.answers.cells[cid] == city.cells[cid]
    assert errors(GOV_2019, agg.answers) == []


def test_blank_as_zero_checks_the_inputs_as_summed(three: list[Answers]) -> None:
    # Blank results beside 10 new applications pass while blank; as zeros they cannot balance.
    partial = three[1].with_cells({"requests.granted.natural": None})
    assert aggregate([three[0], partial], agency=COUNTY).invalid == ()
    agg = aggregate([three[0], partial], agency=COUNTY, blank_as_zero=True)
    assert [i.report for i in agg.invalid] == [1]


# ---------------------------------------------------------------- the rules survive summing


def reports_of(fmt: Format, data: st.DataObject, partial: bool) -> list[Answers]:
    count = data.draw(st.integers(1, 5), label="reports")
    out = []
    for index in range(count):
        cells = data.draw(consistent_report(fmt))
        if partial:
            keep = data.draw(st.sets(st.sampled_from(sorted(cells))))
            cells = {k: cells[k] for k in keep}
        out.append(Answers(fmt.id, fmt.first_year, f"单位{index}", cells))
    return out


@pytest.mark.parametrize("fmt", [GOV_2021, GOV_2019], ids=lambda f: f.id)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_sum_of_consistent_reports_passes_every_hard_rule(fmt: Format, data: st.DataObject) -> None:
    reports = reports_of(fmt, data, partial=False)
    agg = aggregate(reports, agency="汇总")
    assert agg.invalid == () and agg.complete
    assert errors(fmt, agg.answers) == []
    for cid in fmt.input_cells:
        assert agg.answers.cells[cid] == sum(r.cells[cid] for r in reports)


@pytest.mark.parametrize("fmt", [GOV_2021, GOV_2019], ids=lambda f: f.id)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_sum_of_partial_consistent_reports_raises_nothing(fmt: Format, data: st.DataObject) -> None:
    """Nothing fails in the sum that fails in no input, blanks and all."""
    reports = reports_of(fmt, data, partial=True)
    agg = aggregate(reports, agency="汇总")
    assert agg.invalid == ()
    assert errors(fmt, agg.answers) == []
    missing = agg.missing_by_report()
    for index, report in enumerate(reports):
        expected = tuple(c for c in fmt.input_cells if c not in report.cells)
        assert missing.get(index, ()) == expected


# ---------------------------------------------------------------- narrative and .docx


def test_generated_sentence_in_the_register_of_example_001(three: list[Answers]) -> None:
    agg = aggregate(three, agency=COUNTY, office="青山县人民政府办公室")
    assert agg.answers.texts["overview"] == (
        "本年度报告根据《条例》规定，由青山县人民政府办公室综合青山县人力资源和社会保障局、"
        "青山县民政局和青山县教育局共3个单位的政府信息公开工作年度报告编制而成。"
    )
    many = compiled_from("某市政务服务局", [f"第{i}局" for i in range(12)])
    assert "综合第0局、第1局、第2局等12个单位的" in many
    assert compiled_from("", ["甲局"]) == (
        "本年度报告根据《条例》规定，综合甲局的政府信息公开工作年度报告编制而成。"
    )


def test_consolidated_report_renders_and_its_narrative_matches_its_tables(
    three: list[Answers],
) -> None:
    agg = aggregate(three, agency=COUNTY)
    assert "本年度共收到政府信息公开申请65件" in agg.answers.texts["overview.requests"]
    state = readiness(agg.answers)
    assert state.ready and state.warnings == ()
    texts = dict(agg.answers.texts)
    assert not [v for v in evaluate(GOV_2021, agg.answers.cells, Context(texts=texts))]
    from datetime import date

    assert render_docx(agg.answers, report_date=date(2026, 3, 20))[:2] == b"PK"


# ---------------------------------------------------------------- differences


def test_compare_shows_every_difference(three: list[Answers]) -> None:
    agg = aggregate(three, agency=COUNTY)
    assert compare(agg.answers.with_meta(agency=COUNTY), agg) == []
    own = agg.answers.with_cells(
        {
            "requests.new.natural": 52,
            "requests.carried_out.natural": 7,
            "proactive.fees.amount": Decimal("16"),
            "appeals.review.pending": None,
        }
    )
    found = {d.cell: (d.own, d.sum, d.difference) for d in compare(own, agg)}
    assert found == {
        "proactive.fees.amount": (16, Decimal("16.125"), Decimal("-0.125")),
        "requests.new.natural": (52, 51, 1),
        "requests.new.total": (66, 65, 1),
        "requests.carried_out.natural": (7, 3, 4),
        "requests.carried_out.total": (8, 4, 4),
        "appeals.review.pending": (None, 1, None),
        "appeals.review.total": (None, 5, None),
    }
    # Printed order, as the report runs.
    order = list(GOV_2021.cells)
    cells = [d.cell for d in compare(own, agg)]
    assert cells == sorted(cells, key=order.index)


def test_compiling_again_keeps_the_own_narrative(three: list[Answers]) -> None:
    first = aggregate(three[::2], agency=COUNTY)
    # The coordinator wrote the narrative and the contact details, and changed one figure.
    own = (
        first.answers.with_text("overview.proactive", "本级主动公开情况。")
        .with_text("problems", "存在的问题和改进措施。")
        .with_text("overview.platforms", "")  # skipped: stays skipped
        .with_meta(contact={"phone": "0471-1234567"})
        .with_cells({"proactive.licensing.decisions": 1})
    )
    again = aggregate(three, agency=COUNTY)
    kept = with_own_narrative(again, own)
    assert kept.cells == again.answers.cells  # the tables are the new sum
    assert dict(kept.contact) == {"phone": "0471-1234567"}
    assert kept.texts["overview.proactive"] == "本级主动公开情况。"
    assert kept.texts["problems"] == "存在的问题和改进措施。"
    assert kept.texts["overview.platforms"] == ""
    # What the first compilation generated follows the new sum.
    assert kept.texts["overview"] == again.answers.texts["overview"] != own.texts["overview"]
    assert kept.texts["overview.requests"] == again.answers.texts["overview.requests"]
    assert kept.texts["overview.requests"] != own.texts["overview.requests"]
    # Generated texts the coordinator rewrote are theirs.
    edited = own.with_text("overview", own.texts["overview"] + "本级还补充了以下情况。")
    edited = edited.with_text("overview.requests", "本级依申请公开情况。")
    mine = with_own_narrative(again, edited)
    assert mine.texts["overview"] == edited.texts["overview"]
    assert mine.texts["overview.requests"] == "本级依申请公开情况。"
    # Nothing to keep the first time, or from a report of another year.
    assert with_own_narrative(again, None) == again.answers
    assert with_own_narrative(again, load("example-001-2020.json")) == again.answers
    assert is_compiled_from(again.answers.texts["overview"])
    assert not is_compiled_from("本年度报告根据《条例》规定编制。")


def test_compare_refuses_another_year(three: list[Answers]) -> None:
    agg = aggregate(three, agency=COUNTY)
    with pytest.raises(AggregateError) as exc:
        compare(load("example-001-2020.json"), agg)
    assert [p.code for p in exc.value.problems] == ["own_format", "own_year"]


# ---------------------------------------------------------------- the compilation workbook


def workbook(agg: Aggregate, own: Answers | None = None):  # type: ignore[no-untyped-def]
    return load_workbook(io.BytesIO(render_compilation(agg, own=own)))


def test_compilation_lists_every_agency_and_the_sum(three: list[Answers]) -> None:
    agg = aggregate(three, agency=COUNTY)
    wb = workbook(agg)
    assert wb.sheetnames == ["表二", "表三", "表四"]
    ws = wb["表三"]
    assert ws["A1"].value == "三、收到和处理政府信息公开申请情况（汇总）"
    assert "共 3 个单位" in ws["A2"].value
    assert [ws.cell(3, c).value for c in range(1, 5)] == [
        "序号",
        "单位",
        "一、本年新收·自然人",
        "一、本年新收·商业企业",
    ]
    assert ws.cell(3, 8).value == "一、本年新收·其他法人或其他组织"
    assert ws.freeze_panes == "C4"
    cells = [c for c in GOV_2021.cells.values() if c.table == "requests" and not c.computed]
    assert ws.max_column == 2 + len(cells) == 2 + 24 * 6
    assert [ws.cell(3, 3 + i).value for i in range(len(cells))] == [cell_label(c) for c in cells]
    for row, report in enumerate(three, start=4):
        assert [ws.cell(row, 1).value, ws.cell(row, 2).value] == [row - 3, report.agency]
        assert [ws.cell(row, 3 + i).value for i in range(len(cells))] == [
            report.cells[c.id] for c in cells
        ]
    assert ws.cell(7, 2).value == "合计"
    assert ws.cell(7, 3).value == 51
    assert ws.max_row == 7
    fees = wb["表二"]
    assert fees.cell(3, 12).value == "行政事业性收费·本年收费金额（单位：万元）"
    assert [fees.cell(r, 12).value for r in range(4, 8)] == [12.35, 0.65, 3.125, 16.125]
    assert isinstance(fees.cell(7, 11).value, int)
    assert wb["表四"].cell(3, 3).value == "行政复议·结果维持"


def test_compilation_shows_the_own_report_and_its_differences(three: list[Answers]) -> None:
    agg = aggregate(three, agency=COUNTY)
    own = agg.answers.with_cells({"requests.new.natural": 52, "requests.carried_out.natural": 7})
    wb = workbook(agg, own)
    assert wb.sheetnames == ["表二", "表三", "表四", "差异"]
    ws = wb["表三"]
    assert ws.cell(8, 2).value == f"本级报告（{COUNTY}）"
    assert ws.cell(9, 2).value == "差额（本级−合计）"
    assert (ws.cell(8, 3).value, ws.cell(9, 3).value, ws.cell(9, 4).value) == (52, 1, 0)
    diff = wb["差异"]
    assert [c.value for c in diff[1]] == [
        "序号",
        "表格",
        "单元格",
        "单元格编号",
        "本级报告",
        "各单位合计",
        "差额（本级−合计）",
    ]
    rows = [[c.value for c in row] for row in diff.iter_rows(min_row=2)]
    assert rows[0] == [
        1,
        "表三",
        "表三「一、本年新收政府信息公开申请数量」行「自然人」列",
        "requests.new.natural",
        52,
        51,
        1,
    ]
    assert [r[3] for r in rows] == [
        "requests.new.natural",
        "requests.new.total",
        "requests.carried_out.natural",
        "requests.carried_out.total",
    ]
    same = workbook(agg, agg.answers)["差异"]
    assert same["A2"].value == "本级报告与各单位合计完全一致。"


def test_compilation_marks_gaps() -> None:
    city, street = load("example-001-2020.json"), load("example-002-2020.json")
    agg = aggregate([city, street], agency="x")
    wb = workbook(agg)
    assert wb.sheetnames[-1] == "缺项"
    gaps = list(wb["缺项"].iter_rows(min_row=2, values_only=True))
    assert len(gaps) == sum(len(c) for c in agg.missing_by_report().values())
    assert gaps[0][1] == "梁山县水泊街道办事处"
    cid = agg.gaps[0].cell
    ws = wb[{"requests": "表三", "appeals": "表四", "proactive": "表二"}[cid.split(".")[0]]]
    column = next(
        c
        for c in range(3, ws.max_column + 1)
        if ws.cell(3, c).value == cell_label(GOV_2019.cells[cid])
    )
    assert ws.cell(4, column).value == city.cells[cid]
    assert ws.cell(5, column).value is None and ws.cell(6, column).value is None
    assert ws.cell(5, column).fill.fgColor.rgb.endswith("FFF2CC")
