"""The figures paragraph: the register of published reports, and never at odds with the tables."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from core.answers import Answers
from core.check import Context, evaluate, side_terms
from core.figures import draft_requests_paragraph
from core.formats import GOV_2019, GOV_2021, Format
from core.narrative import find_figures
from core.narrative_check import narrative_violations
from core.rules import Number
from tests.data import COLUMNS, cells_001_gov2019, zero_cells

from .rendered import load


def answers_of(fmt: Format, cells: dict[str, Number]) -> Answers:
    year = 2020 if fmt is GOV_2019 else 2025
    return Answers(fmt.id, year, "某某县民政局", cells)


def test_example_001_reads_as_published_reports_do() -> None:
    paragraph = draft_requests_paragraph(answers_of(GOV_2019, cells_001_gov2019()))
    assert paragraph == (
        "本年度共收到政府信息公开申请224件，上年结转1件。已办结223件，其中予以公开55件，"
        "部分公开96件，不予公开10件，无法提供49件，不予处理0件，其他处理13件；"
        "结转下年度继续办理2件。全年发生政府信息公开行政复议12件、行政诉讼4件。"
    )


def test_nothing_to_report_is_phrased_naturally() -> None:
    paragraph = draft_requests_paragraph(answers_of(GOV_2021, zero_cells(GOV_2021)))
    assert paragraph == (
        "本年度未收到政府信息公开申请，无上年结转申请。全年未发生政府信息公开行政复议和行政诉讼。"
    )


def test_one_kind_of_appeal_only() -> None:
    cells = zero_cells(GOV_2021)
    cells["appeals.review.upheld"] = 3
    assert draft_requests_paragraph(answers_of(GOV_2021, cells)).endswith(
        "全年发生政府信息公开行政复议3件，未发生行政诉讼。"
    )
    cells = zero_cells(GOV_2021)
    cells["appeals.suit_direct.pending"] = 2
    assert draft_requests_paragraph(answers_of(GOV_2021, cells)).endswith(
        "全年未发生政府信息公开行政复议，发生行政诉讼2件。"
    )


def test_unknown_figures_are_left_out() -> None:
    cells = zero_cells(GOV_2021)
    del cells["requests.granted.natural"]
    del cells["appeals.review.upheld"]
    paragraph = draft_requests_paragraph(answers_of(GOV_2021, cells))
    assert paragraph == "本年度未收到政府信息公开申请，无上年结转申请。"
    assert draft_requests_paragraph(answers_of(GOV_2021, {})) == ""


def test_full_fixture_states_its_tables() -> None:
    answers = load("full-2021")
    paragraph = draft_requests_paragraph(answers)
    assert paragraph in answers.texts["overview.requests"]
    assert "已办结54件" in paragraph


def expected_figures(fmt: Format, cells: dict[str, Number]) -> dict[str, Number]:
    out = {}
    for topic, ids in fmt.figures:
        terms, complete, _ = side_terms(fmt, cells, ids)
        assert complete
        out[topic] = sum((t.value for t in terms), start=0)
    return out


counts = st.integers(min_value=0, max_value=3) | st.integers(min_value=0, max_value=500)


@st.composite
def consistent_tables(draw: st.DrawFn) -> tuple[Format, dict[str, Number]]:
    """Tables 3 and 4 that satisfy every rule: results and carry-over balance each column."""
    fmt = draw(st.sampled_from([GOV_2021, GOV_2019]))
    cells = zero_cells(fmt)
    sparse = draw(st.booleans())
    for cid in fmt.input_cells:
        if cid.startswith(("requests.", "appeals.")) and ".new." not in cid:
            cells[cid] = 0 if sparse and draw(st.booleans()) else draw(counts)
    for col in COLUMNS:
        results = sum(
            v
            for k, v in cells.items()
            if k.startswith("requests.") and k.endswith(f".{col}") and ".carried_in." not in k
        )
        carried_in = cells[f"requests.carried_in.{col}"]
        if carried_in > results:
            cells[f"requests.carried_in.{col}"] = carried_in = draw(
                st.integers(min_value=0, max_value=results)
            )
        cells[f"requests.new.{col}"] = results - carried_in
    return fmt, cells


@settings(max_examples=150, deadline=None)
@given(consistent_tables())
def test_the_paragraph_always_agrees_with_the_tables(
    case: tuple[Format, dict[str, Number]],
) -> None:
    fmt, cells = case
    assert not evaluate(fmt, cells)  # the generator's tables are consistent
    paragraph = draft_requests_paragraph(answers_of(fmt, cells))
    expected = expected_figures(fmt, cells)
    found = find_figures(paragraph)
    for figure in found:
        assert figure.value == expected[str(figure.topic)], (paragraph, figure)
    # Every figure the paragraph is about is found, so rule 8 really checked it.
    stated = {str(f.topic) for f in found}
    assert {"received", "carried_in", "review", "suit"} <= stated
    if expected["answered"]:
        assert {"answered", "carried_out"} <= stated
    assert not narrative_violations(fmt, cells, {"overview.requests": paragraph})
    context = Context(texts={"overview.requests": paragraph})
    assert not [v for v in evaluate(fmt, cells, context) if v.number == 8]
