"""``nianbao check`` for published reports: .docx, .html/.htm, .txt and .xlsx files.

The same exit codes and ``--json`` shape as for answers files, plus ``source``: what only an
imported document has (the file kind, blank and "/" cells, unrecognised rows and columns, the
tables and sections found, and every finding in Chinese).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

from core.answers import AnswersFileError, Problem, computed_values, from_json
from core.formats import FORMATS
from core.importers import Status, read_document
from core.importers.checking import DocumentCheck, check_document
from core.rules import Number
from core.wording.importing import (
    describe_finding,
    fatal_message,
    report_lines,
    slash_line,
)

from . import texts as T
from .check_cmd import json_number, violation_json

EXIT_VALID, EXIT_VIOLATIONS, EXIT_UNREADABLE = 0, 1, 2
MAX_FILE = 20 * 1024 * 1024
DOCUMENT_SUFFIXES = frozenset({".docx", ".html", ".htm", ".txt", ".xlsx"})
_UNRECOGNISED = ("unrecognised_row", "unrecognised_column", "extra_values", "duplicate_row")


def is_document(path: str) -> bool:
    """Whether ``path`` names a published report rather than an answers file."""
    return Path(path).suffix.lower() in DOCUMENT_SUFFIXES


def read_bytes(path: Path) -> bytes:
    """The file's bytes; raises AnswersFileError (not found, unreadable, over 20 MB)."""
    try:
        if path.stat().st_size > MAX_FILE:
            raise AnswersFileError([Problem("unreadable", str(path), "文件超过 20 MB")])
        return path.read_bytes()
    except FileNotFoundError:
        raise AnswersFileError([Problem("not_found", str(path))]) from None
    except OSError as exc:
        raise AnswersFileError([Problem("unreadable", str(path), exc.strerror or "")]) from None


def read_last(path: str) -> tuple[str, dict[str, Number]]:
    """Last year's format and cells, from an answers file or any supported document."""
    data = read_bytes(Path(path))
    if not is_document(path):
        last = from_json(data)
        return last.format, dict(last.cells)
    imported = read_document(data, Path(path).name)
    if not imported.readable:
        raise AnswersFileError([Problem("unreadable", path, fatal_message(imported))])
    if imported.format is None:
        raise AnswersFileError([Problem("unreadable", path, "没有找到表二至表四")])
    return imported.format, dict(imported.cells)


def run_document_check(
    path: str, as_json: bool, last_year: str | None, out: TextIO = sys.stdout
) -> int:
    """Check a published report; returns the exit code."""
    try:
        data = read_bytes(Path(path))
    except AnswersFileError as exc:
        return _unreadable(T.CHECK_UNREADABLE.format(path=path), exc.problems, as_json, out)
    imported = read_document(data, Path(path).name)
    if not imported.readable:
        problem = Problem("unreadable", path, fatal_message(imported))
        return _unreadable(T.CHECK_UNREADABLE.format(path=path), [problem], as_json, out)
    last_format, last_cells = "", None
    if last_year:
        try:
            last_format, cells = read_last(last_year)
            last_cells = cells
        except AnswersFileError as exc:
            head = T.LAST_YEAR_UNREADABLE.format(path=last_year)
            return _unreadable(head, exc.problems, as_json, out)
    check = check_document(imported, last_format, last_cells)
    if as_json:
        out.write(json.dumps(document_result(check), ensure_ascii=False, indent=2) + "\n")
    else:
        out.write("\n".join(report_lines(check)) + "\n")
    return EXIT_VALID if check.valid else EXIT_VIOLATIONS


def document_result(check: DocumentCheck) -> dict[str, Any]:
    """The JSON shape: the answers-file check's keys, plus ``source``."""
    imp = check.imported
    fmt = FORMATS[imp.format] if imp.format else None
    cells: dict[str, Number] = {}
    if fmt is not None:
        inputs = {k: v for k, v in imp.cells.items() if not fmt.cells[k].computed}
        cells = {**computed_values(fmt, inputs), **imp.cells}
    return {
        "format": imp.format,
        "agency": imp.agency,
        "year": imp.year,
        "valid": check.valid,
        "cells": {
            cid: json_number(cells[cid]) for cid in (fmt.cells if fmt else ()) if cid in cells
        },
        "violations": [violation_json(fmt, v) for v in check.violations if fmt is not None],
        "missing": list(check.missing),
        "source": source(check),
    }


def source(check: DocumentCheck) -> dict[str, Any]:
    """What the document itself held, beyond the cells."""
    imp = check.imported
    fmt = FORMATS[imp.format] if imp.format else None
    return {
        "kind": str(imp.kind),
        "tables_found": list(imp.tables_found),
        "sections_found": list(imp.sections_found),
        "blank_cells": imp.cells_with(Status.BLANK),
        "slash_cells": imp.cells_with(Status.SLASH),
        "slash_groups": [
            {
                "scope": g.scope,
                "legitimate": g.legitimate,
                "cells": list(g.cells),
                "message": slash_line(fmt, g) if fmt else "",
            }
            for g in check.slashes
        ],
        "unreadable_cells": {c: imp.sources[c].text for c in imp.cells_with(Status.UNREADABLE)},
        "missing_cells": imp.cells_with(Status.MISSING),
        "converted": {
            c: {"text": s.text, "unit": s.converted_from}
            for c, s in imp.sources.items()
            if s.converted_from
        },
        "unrecognised": [
            {"code": f.code, "table": f.where, "text": f.text, "message": describe_finding(f)}
            for f in imp.findings
            if f.code in _UNRECOGNISED
        ],
        "findings": [
            {"code": f.code, "where": f.where, "text": f.text, "message": describe_finding(f)}
            for f in imp.findings
        ],
        "texts": {k: len(v) for k, v in imp.texts.items()},
    }


def _unreadable(head: str, problems: list[Problem], as_json: bool, out: TextIO) -> int:
    from core.wording.files import describe_problem

    messages = [describe_problem(p) for p in problems]
    if as_json:
        payload = {"error": head.rstrip("："), "problems": messages}
        out.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stderr.write(head + "\n" + "\n".join(f"  - {m}" for m in messages) + "\n")
    return EXIT_UNREADABLE
