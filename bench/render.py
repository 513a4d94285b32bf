"""Rendering the finished report: the full gov-2021 fixture as .docx, as .xlsx, and both.

Run: ``python -m bench.render``. Target: both files under 300 ms median.
"""

from __future__ import annotations

import statistics
from datetime import date
from pathlib import Path

from bench._timing import measure, summary
from core.answers import Answers, from_json
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
    # Doubling: every narrative part twice as long (tables unchanged; they are fixed in size).
    longer = doubled(answers)
    one = statistics.median(measure(both, runs=RUNS, warmup=3))

    def both_longer() -> None:
        render_docx(longer, report_date=when)
        render_xlsx(longer, report_date=when)

    two = statistics.median(measure(both_longer, runs=RUNS, warmup=3))
    print(
        f"doubling the narrative text: docx + xlsx median {one:.1f} → {two:.1f} ms (×{two / one:.2f})"
    )


def doubled(answers: Answers) -> Answers:
    """The same report with every narrative text written out twice."""
    texts = {k: f"{v}\n{v}" if v else v for k, v in answers.texts.items()}
    return Answers(
        answers.format, answers.year, answers.agency, answers.cells, texts, answers.contact
    )


if __name__ == "__main__":
    main()
