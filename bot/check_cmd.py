"""``nianbao check``: validate an answers file and report in Chinese or JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

from core.answers import Answers, AnswersFileError, Problem, computed_values, from_json
from core.check import Context, Violation, evaluate, missing_cells
from core.formats import Format
from core.rules import Severity
from core.wording.cells import num
from core.wording.files import describe_problem
from core.wording.rules import describe, describe_full

from . import texts as T

EXIT_VALID, EXIT_VIOLATIONS, EXIT_UNREADABLE = 0, 1, 2
MAX_FILE = 20 * 1024 * 1024


def read_answers(path: Path) -> Answers:
    """Read an answers file; raises AnswersFileError for anything unreadable."""
    try:
        if path.stat().st_size > MAX_FILE:
            raise AnswersFileError([Problem("unreadable", str(path), "文件超过 20 MB")])
        data = path.read_bytes()
    except FileNotFoundError:
        raise AnswersFileError([Problem("not_found", str(path))]) from None
    except OSError as exc:
        raise AnswersFileError([Problem("unreadable", str(path), exc.strerror or "")]) from None
    return from_json(data)


def check_result(answers: Answers, last: Answers | None) -> dict[str, Any]:
    """The JSON shape of a check."""
    fmt = answers.fmt
    context = Context(
        last_format=last.format if last else "",
        last_cells=dict(last.cells) if last else None,
        texts={k: v for k, v in answers.texts.items() if v},
    )
    found = evaluate(fmt, answers.cells, context)
    missing = missing_cells(fmt, answers.cells)
    cells = {**computed_values(fmt, answers.cells), **answers.cells}
    errors = [v for v in found if v.severity is Severity.ERROR]
    return {
        "format": answers.format,
        "agency": answers.agency,
        "year": answers.year,
        "valid": not errors and not missing,
        "cells": {cid: json_number(cells[cid]) for cid in fmt.cells if cid in cells},
        "violations": [violation_json(fmt, v) for v in found],
        "missing": missing,
    }


def violation_json(fmt: Format, v: Violation) -> dict[str, Any]:
    """One violation in the ``--json`` output (answers files and documents alike)."""
    return {
        "rule": v.rule,
        "severity": str(v.severity),
        "cells": list(v.cells),
        "left": json_number(v.left),
        "right": json_number(v.right),
        "message": describe(fmt, v),
    }


def json_number(value: object) -> Any:
    """A figure as a JSON number: an integer when it is whole."""
    text = num(value)  # type: ignore[arg-type]
    return int(text) if "." not in text else float(text)


def run_check(path: str, as_json: bool, last_year: str | None, out: TextIO = sys.stdout) -> int:
    """Run the check; returns the exit code."""
    from .check_document import is_document, read_last, run_document_check

    if is_document(path):  # a published report (.docx, .html, .txt, .xlsx)
        return run_document_check(path, as_json, last_year, out)
    try:
        answers = read_answers(Path(path))
    except AnswersFileError as exc:
        return _unreadable(T.CHECK_UNREADABLE.format(path=path), exc.problems, as_json, out)
    last = None
    if last_year:
        try:
            if is_document(last_year):
                last_format, last_cells = read_last(last_year)
                last = Answers(last_format, answers.year - 1, "", last_cells)
            else:
                last = read_answers(Path(last_year))
        except AnswersFileError as exc:
            head = T.LAST_YEAR_UNREADABLE.format(path=last_year)
            return _unreadable(head, exc.problems, as_json, out)
    result = check_result(answers, last)
    if as_json:
        out.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(_readable(answers, last, result) + "\n")
    return EXIT_VALID if result["valid"] else EXIT_VIOLATIONS


def _unreadable(head: str, problems: list[Problem], as_json: bool, out: TextIO) -> int:
    messages = [describe_problem(p) for p in problems]
    if as_json:
        payload = {"error": head.rstrip("："), "problems": messages}
        out.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stderr.write(head + "\n" + "\n".join(f"  - {m}" for m in messages) + "\n")
    return EXIT_UNREADABLE


def _readable(answers: Answers, last: Answers | None, result: dict[str, Any]) -> str:
    fmt = answers.fmt
    context = Context(
        last_format=last.format if last else "",
        last_cells=dict(last.cells) if last else None,
        texts={k: v for k, v in answers.texts.items() if v},
    )
    found = evaluate(fmt, answers.cells, context)
    agency = answers.agency or "（未填单位名称）"
    if result["valid"] and not found:
        return T.CHECK_VALID.format(agency=agency, year=answers.year, format=answers.format)
    errors = sum(1 for v in found if v.severity is Severity.ERROR)
    lines = [
        T.CHECK_HEAD.format(
            agency=agency,
            year=answers.year,
            format=answers.format,
            errors=errors,
            warnings=len(found) - errors,
            missing=len(result["missing"]),
        )
    ]
    lines.extend(f"  {describe_full(fmt, v)}" for v in found)
    if result["missing"]:
        shown = "、".join(result["missing"][:20]) + ("……" if len(result["missing"]) > 20 else "")
        lines.append(T.CHECK_MISSING.format(count=len(result["missing"]), cells=shown))
    return "\n".join(lines)
