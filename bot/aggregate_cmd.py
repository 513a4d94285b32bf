"""``nianbao aggregate``: sum agencies' answers files into the consolidated report.

Exit codes: 0 written; 1 refused - the reports cannot be summed (mixed formats or years, an
unnamed or repeated agency), a report has errors, or a sum is incomplete without
``--blank-as-zero`` - and nothing is written; 2 an input cannot be read or an output cannot be
written.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from core.aggregate import Aggregate, AggregateError, Difference, aggregate, compare
from core.answers import Answers, AnswersFileError, to_json
from core.check import evaluate
from core.render_compilation import render_compilation
from core.report import missing_rows
from core.rules import Number, Severity
from core.wording import aggregate as WA
from core.wording.cells import cell_place, num
from core.wording.files import describe_problem
from core.wording.report import missing_row
from core.wording.rules import describe_full

from . import texts as T
from .check_cmd import read_answers
from .render_cmd import write_atomic

EXIT_OK, EXIT_REFUSED, EXIT_UNREADABLE = 0, 1, 2
MAX_LISTED = 30  # lines listed per report or per list before "……"
MAX_ERRORS = 5  # errors quoted per report: the count says the rest


def run_aggregate(
    paths: Sequence[str],
    output: str,
    *,
    agency: str = "",
    office: str = "",
    xlsx: str | None = None,
    own_path: str | None = None,
    blank_as_zero: bool = False,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Sum ``paths`` into ``output`` (and the compilation ``xlsx``); returns the exit code."""
    out = out or sys.stdout
    err = err or sys.stderr
    reports: list[Answers] = []
    unreadable: list[str] = []
    for path in paths:
        try:
            reports.append(read_answers(Path(path)))
        except AnswersFileError as exc:
            unreadable.append(T.AGGREGATE_UNREADABLE.format(path=path))
            unreadable.extend(f"  - {describe_problem(p)}" for p in exc.problems)
    own = None
    if own_path:
        try:
            own = read_answers(Path(own_path))
        except AnswersFileError as exc:
            unreadable.append(T.AGGREGATE_OWN_UNREADABLE.format(path=own_path))
            unreadable.extend(f"  - {describe_problem(p)}" for p in exc.problems)
    if unreadable:
        err.write("\n".join(unreadable) + "\n")
        return EXIT_UNREADABLE
    names = [_name(path, report) for path, report in zip(paths, reports, strict=True)]
    name = agency.strip() or (own.agency if own else "")
    try:
        agg = aggregate(reports, agency=name, office=office, blank_as_zero=blank_as_zero)
        differences = compare(own, agg) if own is not None else None
    except AggregateError as exc:
        lines = [T.AGGREGATE_REFUSED]
        for p in exc.problems:
            who = names[p.report] if p.report >= 0 else str(own_path)
            other = names[int(p.detail)] if p.code == "duplicate_agency" else ""
            lines.append(f"  - {WA.describe_problem(p, who, other)}")
        err.write("\n".join(lines) + "\n")
        return EXIT_REFUSED
    refusal = _refusal(agg, names)
    if refusal:
        err.write("\n".join([T.AGGREGATE_REFUSED, *refusal]) + "\n")
        return EXIT_REFUSED
    files = [(output, to_json(agg.answers).encode("utf-8"))]
    if xlsx:
        files.append((xlsx, render_compilation(agg, own=own)))
    for target, data in files:
        try:
            write_atomic(Path(target), data)
        except OSError as exc:
            detail = exc.strerror or exc
            err.write(T.AGGREGATE_WRITE_FAILED.format(path=target, detail=detail) + "\n")
            return EXIT_UNREADABLE
    result = agg.answers
    out.write(
        T.AGGREGATE_WROTE.format(
            count=len(reports), year=result.year, format=result.format, path=output
        )
        + "\n"
    )
    if xlsx:
        out.write(T.AGGREGATE_WROTE_XLSX.format(path=xlsx) + "\n")
    if agg.gaps:
        missing = agg.missing_by_report()
        cells = sum(len(c) for c in missing.values())
        out.write(T.AGGREGATE_ZEROED.format(reports=len(missing), cells=cells) + "\n")
    if own is not None and differences is not None:
        out.write(_differences(agg, own, differences) + "\n")
    return EXIT_OK


def _name(path: str, report: Answers) -> str:
    """A report as messages name it: its file, and its agency when it has one."""
    return f"{path}（{report.agency}）" if report.agency.strip() else path


def _refusal(agg: Aggregate, names: Sequence[str]) -> list[str]:
    """Why the sum must not be written: inputs with errors, incomplete sums."""
    fmt = agg.fmt
    lines: list[str] = []
    for item in agg.invalid:
        lines.append(
            T.AGGREGATE_INPUT_ERRORS.format(name=names[item.report], count=len(item.errors))
        )
        lines.extend(f"    {describe_full(fmt, v)}" for v in item.errors[:MAX_ERRORS])
        if len(item.errors) > MAX_ERRORS:
            lines.append(T.AGGREGATE_MORE.format(count=len(item.errors) - MAX_ERRORS))
    if not agg.complete:
        for index, cids in agg.missing_by_report().items():
            lines.append(T.AGGREGATE_INPUT_GAPS.format(name=names[index], count=len(cids)))
            rows = missing_rows(fmt, cids)
            lines.extend(
                f"    {missing_row(r.place, r.columns, r.whole)}" for r in rows[:MAX_LISTED]
            )
            if len(rows) > MAX_LISTED:
                lines.append(T.AGGREGATE_MORE.format(count=len(rows) - MAX_LISTED))
        lines.append(T.AGGREGATE_HINT_BLANK)
    if not lines:
        # Cannot happen when every input passes (see core.aggregate); checked all the same,
        # because a wrong consolidated report would be published under the government's name.
        errors = [v for v in evaluate(fmt, agg.answers.cells) if v.severity is Severity.ERROR]
        if errors:
            lines.append(T.AGGREGATE_RESULT_ERRORS.format(count=len(errors)))
            lines.extend(f"    {describe_full(fmt, v)}" for v in errors[:MAX_LISTED])
    return lines


def _differences(agg: Aggregate, own: Answers, differences: Sequence[Difference]) -> str:
    who = own.agency or T.RENDER_NO_AGENCY
    if not differences:
        return T.AGGREGATE_SAME.format(agency=who)
    lines = [T.AGGREGATE_DIFFERENCES.format(agency=who, count=len(differences))]
    return "\n".join(lines + difference_lines(agg, differences))


def difference_lines(
    agg: Aggregate, differences: Sequence[Difference], limit: int = MAX_LISTED
) -> list[str]:
    """Each difference on a line (the first ``limit``, then how many more): place, own, sum."""
    lines = []
    for d in differences[:limit]:
        place = cell_place(agg.fmt, d.cell)
        if d.difference is None:
            line = T.AGGREGATE_DIFFERENCE_BLANK.format(
                place=place, own=_value(d.own), sum=_value(d.sum)
            )
        else:
            line = T.AGGREGATE_DIFFERENCE.format(
                place=place, own=_value(d.own), sum=_value(d.sum), diff=_signed(d.difference)
            )
        lines.append(line)
    if len(differences) > limit:
        lines.append(T.AGGREGATE_MORE.format(count=len(differences) - limit))
    return lines


def _value(value: Number | None) -> str:
    return WA.BLANK if value is None else num(value)


def _signed(value: Number) -> str:
    return f"+{num(value)}" if value > 0 else num(value)
