"""``nianbao render``: an answers file to the finished .docx, an .xlsx of the tables, a preview.

Exit codes: 0 written; 1 refused because the report has errors or blank cells (``--draft``
renders it anyway); 2 the answers file cannot be read or an output cannot be written.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import TextIO

from core.answers import Answers, AnswersFileError
from core.preview import preview_text
from core.render_docx import render_docx
from core.render_xlsx import render_xlsx
from core.report import ReportNotReady, missing_rows, readiness, require_ready
from core.wording.files import describe_problem
from core.wording.report import missing_row
from core.wording.rules import describe_full

from . import texts as T
from .check_cmd import read_answers

EXIT_OK, EXIT_REFUSED, EXIT_UNREADABLE = 0, 1, 2
MAX_LISTED = 30  # errors and blank rows listed before "……"


def run_render(
    path: str,
    output: str | None,
    xlsx: str | None,
    text: bool,
    draft: bool,
    report_date: date | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Render ``path``; returns the exit code. ``report_date`` defaults to today."""
    out = out or sys.stdout
    err = err or sys.stderr
    if not (output or xlsx or text):
        err.write(T.RENDER_NOTHING + "\n")
        return EXIT_UNREADABLE
    try:
        answers = read_answers(Path(path))
    except AnswersFileError as exc:
        lines = [T.RENDER_UNREADABLE.format(path=path)]
        lines.extend(f"  - {describe_problem(p)}" for p in exc.problems)
        err.write("\n".join(lines) + "\n")
        return EXIT_UNREADABLE
    when = report_date or date.today()
    files: list[tuple[str, bytes]] = []
    try:
        if output:
            files.append((output, render_docx(answers, report_date=when, draft=draft)))
        else:
            # No .docx asked for: still refuse a final .xlsx or preview of a report with errors.
            require_ready(answers, draft)
    except ReportNotReady as exc:
        err.write(refusal(answers, exc) + "\n")
        return EXIT_REFUSED
    if xlsx:
        files.append((xlsx, render_xlsx(answers, report_date=when)))
    # Status lines go to stderr when stdout carries the preview.
    status = err if text else out
    for target, data in files:
        try:
            write_atomic(Path(target), data)
        except OSError as exc:
            err.write(T.RENDER_WRITE_FAILED.format(path=target, detail=exc.strerror or exc) + "\n")
            return EXIT_UNREADABLE
        status.write(T.RENDER_WROTE.format(path=target) + "\n")
    if draft:
        state = readiness(answers)
        if not state.ready:
            note = T.RENDER_DRAFT_NOTE.format(errors=len(state.errors), missing=len(state.missing))
            status.write(note + "\n")
    if text:
        out.write(preview_text(answers, draft) + "\n")
    return EXIT_OK


def refusal(answers: Answers, exc: ReportNotReady) -> str:
    """Why the report was refused: every error, the blank rows, and how to draft it anyway."""
    fmt = answers.fmt
    agency = answers.agency or T.RENDER_NO_AGENCY
    lines = [
        T.RENDER_REFUSED.format(
            agency=agency, year=answers.year, errors=len(exc.errors), missing=len(exc.missing)
        )
    ]
    lines.extend(f"  {describe_full(fmt, v)}" for v in exc.errors[:MAX_LISTED])
    if len(exc.errors) > MAX_LISTED:
        lines.append(T.RENDER_MORE.format(count=len(exc.errors) - MAX_LISTED))
    rows = missing_rows(fmt, exc.missing)
    if rows:
        lines.append(T.RENDER_MISSING_HEAD)
        lines.extend(f"  {missing_row(r.place, r.columns, r.whole)}" for r in rows[:MAX_LISTED])
        if len(rows) > MAX_LISTED:
            lines.append(T.RENDER_MORE.format(count=len(rows) - MAX_LISTED))
    lines.append(T.RENDER_HINT_DRAFT)
    return "\n".join(lines)


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file and rename: a failed render never leaves half a document."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
