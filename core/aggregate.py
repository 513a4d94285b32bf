"""The consolidated report: the tables of many agencies' reports summed into one.

A county or city government's own report is compiled from its agencies' reports (example 001:
"由市政务服务局综合各旗市区人民政府和各委、办、局……的政府信息公开工作年度报告编制而成").
``aggregate`` sums them; ``compare`` sets a county's own figures against that sum.

Which cells are summed: every input cell, of every kind. Each is an extensive quantity of one
agency - a count of documents, decisions, applications or appeals, an amount of money, or a
signed change in a number of items - so the region's figure is the sum over its agencies. That
includes the stocks (现行有效件数, gov-2019 对外公开总数量 and 上一年项目数量) and table 3's
carried-over applications: compiled reports sum them, and the carry-over and stock identities
are linear, so they survive summing. No cell is a ratio, an average or a shared figure that
summing would distort. Computed cells (every 总计 and （七）) are never summed: they are derived
again from the summed inputs, so a wrong total stated by one agency cannot leak into the sum
(that agency is listed in ``Aggregate.invalid`` instead).

Why the result passes every hard rule whenever each input does: rules 1-4 are linear equalities
between input cells, so sums of solutions are solutions; rule 5 holds because sums of
non-negative integers are non-negative integers and sums of non-negative amounts are
non-negative. Partial inputs keep the property too: the known part of a rule's side in the sum
is at most the sum of the agencies' known parts, so no rule can fail in the sum that does not
fail in some input (``tests/core/test_aggregate.py`` checks both with random reports).

A blank cell is never read as 0: an agency that leaves a cell blank makes that sum incomplete,
the result leaves the cell blank, and ``Aggregate.gaps`` says who is missing what. Only
``blank_as_zero=True`` (an explicit choice of the caller) counts blanks as 0; the gaps are still
listed so the choice stays visible.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, Inexact, localcontext

from .answers import Answers
from .check import Violation, evaluate
from .figures import draft_requests_paragraph
from .formats.model import Format
from .report import cell_values
from .rules import Number, Severity
from .wording import aggregate as W


@dataclass(frozen=True)
class AggregateProblem:
    """Why reports cannot be summed; worded by ``core.wording.aggregate``.

    Attributes:
        code: ``no_reports``, ``mixed_format``, ``mixed_year``, ``wrong_year``, ``no_agency``,
            ``duplicate_agency``, ``own_format`` or ``own_year``.
        report: Index of the offending report in the input; -1 for the own report in ``compare``.
        agency: Its agency name.
        detail: The offending value (a format id, a year) or, for ``duplicate_agency``, the index
            of the first report with that name.
    """

    code: str
    report: int = -1
    agency: str = ""
    detail: str = ""


class AggregateError(ValueError):
    """The reports cannot be summed: mixed formats or years, unnamed or repeated agencies."""

    def __init__(self, problems: Sequence[AggregateProblem]) -> None:
        super().__init__("; ".join(f"{p.code}:{p.report}" for p in problems))
        self.problems = tuple(problems)


@dataclass(frozen=True)
class Gap:
    """An input cell some reports leave blank, so that its sum is incomplete."""

    cell: str
    reports: tuple[int, ...]  # indexes of the reports leaving it blank


@dataclass(frozen=True)
class InputErrors:
    """An input report with hard errors: its figures cannot go into a sum as they stand."""

    report: int
    errors: tuple[Violation, ...]


@dataclass(frozen=True)
class Aggregate:
    """The summed report and everything needed to check it.

    Attributes:
        answers: The consolidated report: summed input cells (blank where the sum is incomplete,
            unless ``blank_as_zero``), the generated 一、总体情况 sentence, no contact details.
        reports: The inputs, in the order given.
        gaps: Input cells that some reports leave blank, in printed order.
        invalid: Inputs with hard errors (checked as they are summed: blanks as 0 when
            ``blank_as_zero``).
        blank_as_zero: Whether blanks were counted as 0.
    """

    answers: Answers
    reports: tuple[Answers, ...]
    gaps: tuple[Gap, ...] = ()
    invalid: tuple[InputErrors, ...] = ()
    blank_as_zero: bool = False

    @property
    def fmt(self) -> Format:
        return self.answers.fmt

    @property
    def complete(self) -> bool:
        """Whether every input cell of the result has a value."""
        return self.blank_as_zero or not self.gaps

    @property
    def agencies(self) -> tuple[str, ...]:
        return tuple(r.agency for r in self.reports)

    def missing_by_report(self) -> dict[int, tuple[str, ...]]:
        """For each report with blank cells, those cells in printed order."""
        out: dict[int, list[str]] = {}
        for gap in self.gaps:
            for index in gap.reports:
                out.setdefault(index, []).append(gap.cell)
        return {index: tuple(out[index]) for index in sorted(out)}


@dataclass(frozen=True)
class Difference:
    """One cell where a county's own figure and the sum of its agencies differ.

    ``own`` or ``sum`` is None when that side is blank; ``difference`` is then None too.
    """

    cell: str
    own: Number | None
    sum: Number | None

    @property
    def difference(self) -> Number | None:
        if self.own is None or self.sum is None:
            return None
        return self.own - self.sum


def aggregate(
    reports: Sequence[Answers],
    *,
    agency: str,
    year: int | None = None,
    office: str = "",
    blank_as_zero: bool = False,
) -> Aggregate:
    """Sum the tables of ``reports`` into the consolidated report of ``agency``.

    Args:
        reports: The agencies' reports; all of one format and one year, each agency once.
        agency: Whose report the sum is (the county's or city's government).
        year: The year every report must be on; taken from the reports when None.
        office: Who compiled it, for the generated sentence; defaults to ``agency``.
        blank_as_zero: Count blank cells as 0 (the gaps are listed all the same).

    Raises:
        AggregateError: Every reason the reports cannot be summed.
    """
    _require_compatible(reports, year)
    fmt = reports[0].fmt
    inputs = fmt.input_cells
    totals: dict[str, Number] = {}
    gaps: list[Gap] = []
    with localcontext() as ctx:
        # Exact: amounts with many decimals must not be rounded to 28 digits.
        ctx.prec = 1000
        ctx.traps[Inexact] = True
        for cid in inputs:
            total: Number = 0
            blank: list[int] = []
            for index, report in enumerate(reports):
                value = report.cells.get(cid)
                if value is None:
                    blank.append(index)
                else:
                    total += value
            if blank:
                gaps.append(Gap(cid, tuple(blank)))
            if not blank or blank_as_zero:
                totals[cid] = _tidy(total)
    invalid = tuple(
        InputErrors(index, errors)
        for index, report in enumerate(reports)
        if (errors := _errors(fmt, report.cells, blank_as_zero))
    )
    names = [r.agency for r in reports]
    texts = {"overview": W.compiled_from(office.strip() or agency.strip(), names)}
    result = Answers(fmt.id, reports[0].year, agency.strip(), totals, texts)
    figures = draft_requests_paragraph(result)
    if figures:
        result = result.with_text("overview.requests", figures)
    return Aggregate(result, tuple(reports), tuple(gaps), invalid, blank_as_zero)


def _require_compatible(reports: Sequence[Answers], year: int | None) -> None:
    if not reports:
        raise AggregateError([AggregateProblem("no_reports")])
    problems: list[AggregateProblem] = []
    first = reports[0]
    expected_year = first.year if year is None else year
    seen: dict[str, int] = {}
    for index, report in enumerate(reports):
        name = report.agency.strip()
        if report.format != first.format:
            problems.append(AggregateProblem("mixed_format", index, name, report.format))
        if report.year != expected_year:
            code = "mixed_year" if year is None else "wrong_year"
            problems.append(AggregateProblem(code, index, name, str(report.year)))
        if not name:
            problems.append(AggregateProblem("no_agency", index))
        elif name in seen:
            # The same agency twice would count its figures twice.
            problems.append(AggregateProblem("duplicate_agency", index, name, str(seen[name])))
        else:
            seen[name] = index
    if problems:
        raise AggregateError(problems)


def _tidy(value: Number) -> Number:
    """Whole amounts as ints, others without trailing zeros, as answers files are read."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value.normalize()
    return value


def _errors(fmt: Format, cells: Mapping[str, Number], blank_as_zero: bool) -> tuple[Violation, ...]:
    if blank_as_zero:
        cells = {**dict.fromkeys(fmt.input_cells, 0), **cells}
    return tuple(v for v in evaluate(fmt, cells) if v.severity is Severity.ERROR)


def with_own_narrative(agg: Aggregate, own: Answers | None) -> Answers:
    """The consolidated report to keep: the new sums, with what the office wrote itself kept.

    Compiling again replaces the tables; the contact details and every narrative text of the
    office's own report (``own``, complete answers) stay. Texts that an earlier compilation
    generated and nobody changed since - the 编制而成 sentence, the 依申请公开 figures
    paragraph - are generated again from the new sums, so they never state stale figures.
    An ``own`` of another format or year keeps nothing.
    """
    result = agg.answers
    if own is None or own.format != result.format or own.year != result.year:
        return result
    generated = {"overview.requests": draft_requests_paragraph(own)}
    texts = dict(result.texts)
    for key, text in own.texts.items():
        if key == "overview" and W.is_compiled_from(text):
            continue
        if key in generated and text == generated[key]:
            continue
        texts[key] = text
    return Answers(result.format, result.year, result.agency, result.cells, texts, own.contact)


def compare(own: Answers, agg: Aggregate) -> list[Difference]:
    """Every cell, totals included, where ``own`` and the sum differ or only one is known.

    Raises:
        AggregateError: ``own`` is of another format or year than the sum.
    """
    problems = []
    if own.format != agg.answers.format:
        problems.append(AggregateProblem("own_format", -1, own.agency, own.format))
    if own.year != agg.answers.year:
        problems.append(AggregateProblem("own_year", -1, own.agency, str(own.year)))
    if problems:
        raise AggregateError(problems)
    mine, summed = cell_values(own), cell_values(agg.answers)
    out = []
    for cid in agg.fmt.cells:
        a, b = mine.get(cid), summed.get(cid)
        if a is None and b is None:
            continue
        if a is None or b is None or a != b:
            out.append(Difference(cid, a, b))
    return out
