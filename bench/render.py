"""Rendering the finished report: the full gov-2021 fixture as .docx, as .xlsx, and both.

Run: ``python -m bench.render``. Target: both files under 300 ms median.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bench._timing import measure, summary
from core.answers import from_json
from core.preview import preview
from core.render_docx import render_docx
from core.render_xlsx import render_xlsx

FULL = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "answers" / "full-2021.json"
RUNS = 30


def main() -> None:
    answers = from_json(FULL.read_bytes())
    when = date(2026, 1, 20)

    def both() -> None:
        render_docx(answers, report_date=when)
        render_xlsx(answers, report_date=when)

    print(summary("docx + xlsx (full gov-2021 report)", measure(both, runs=RUNS, warmup=3)))
    print(
        summary(
            "docx only",
            measure(lambda: render_docx(answers, report_date=when), runs=RUNS, warmup=3),
        )
    )
    print(summary("xlsx only", measure(lambda: render_xlsx(answers), runs=RUNS, warmup=3)))
    print(summary("chat preview", measure(lambda: preview(answers), runs=RUNS, warmup=3)))


if __name__ == "__main__":
    main()
