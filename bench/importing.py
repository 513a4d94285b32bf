"""Importing a typical published report: the rendered full gov-2021 fixture as .docx (and others).

Run: ``python -m bench.importing``. Target: one .docx read, recognised and checked under 100 ms.
"""

from __future__ import annotations

import statistics
from datetime import date
from pathlib import Path

from bench._timing import measure, summary
from bench.render import doubled
from core.answers import from_json
from core.importers import read_document
from core.importers.checking import check_document
from core.render_docx import render_docx
from core.render_html import render_html
from core.render_text import render_text
from core.render_xlsx import render_xlsx

FULL = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "answers" / "full-2021.json"
RUNS = 30


def main() -> None:
    answers = from_json(FULL.read_bytes())
    when = date(2026, 1, 20)
    files = {
        "docx": render_docx(answers, report_date=when),
        "xlsx": render_xlsx(answers, report_date=when),
        "html": render_html(answers, report_date=when).encode(),
        "txt": render_text(answers, report_date=when).encode(),
    }
    docx = files["docx"]
    print(
        summary(
            "import .docx (full gov-2021 report)",
            measure(lambda: read_document(docx, "report.docx"), runs=RUNS, warmup=3),
        )
    )
    print(
        summary(
            "import + check .docx",
            measure(lambda: check_document(read_document(docx, "r.docx")), runs=RUNS, warmup=3),
        )
    )
    longer = render_docx(doubled(answers), report_date=when)
    one = statistics.median(measure(lambda: read_document(docx, "r.docx"), runs=RUNS, warmup=3))
    two = statistics.median(measure(lambda: read_document(longer, "r.docx"), runs=RUNS, warmup=3))
    print(
        f"doubling the narrative text: import .docx median {one:.1f} → {two:.1f} ms (×{two / one:.2f})"
    )
    for kind in ("xlsx", "html", "txt"):
        data = files[kind]
        print(
            summary(
                f"import .{kind}",
                measure(
                    lambda data=data, kind=kind: read_document(data, f"r.{kind}"),
                    runs=RUNS,
                    warmup=3,
                ),
            )
        )


if __name__ == "__main__":
    main()
