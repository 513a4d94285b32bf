"""The accuracy corpus: renderings of answers in every kind the importer reads, and what to expect.

``RENDERERS`` turn answers into the bytes of a .docx, an .xlsx, a text page (tables flattened
with ``|``) and an HTML page (tables with rowspan/colspan); ``expected_cells`` is what any of them
must give back: every printed value, computed totals included.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal

from hypothesis import strategies as st

from core.answers import Answers
from core.formats import FORMATS, Format
from core.formats.model import Kind
from core.render_docx import render_docx
from core.render_html import render_html
from core.render_text import render_text
from core.render_xlsx import render_xlsx
from core.report import cell_values, section_paras
from core.rules import Number

REPORT_DATE = date(2026, 1, 20)
Renderer = Callable[[Answers, bool], bytes]

RENDERERS: dict[str, tuple[str, Renderer]] = {
    "docx": ("report.docx", lambda a, d: render_docx(a, report_date=REPORT_DATE, draft=d)),
    "xlsx": ("tables.xlsx", lambda a, d: render_xlsx(a, report_date=REPORT_DATE)),
    "text": ("report.txt", lambda a, d: render_text(a, report_date=REPORT_DATE, draft=d).encode()),
    "html": ("report.html", lambda a, d: render_html(a, report_date=REPORT_DATE, draft=d).encode()),
}


def expected_cells(answers: Answers) -> dict[str, Number]:
    """Every value the tables print."""
    return cell_values(answers)


def expected_texts(answers: Answers, draft: bool) -> dict[str, str]:
    """The narrative sections as the renderings print them, by answers-file key."""
    fmt = answers.fmt
    return {
        s.key: "\n".join(p.text for p in section_paras(answers, s, draft))
        for s in fmt.sections
        if not s.table
    }


def cell_diff(
    want: Mapping[str, Number], got: Mapping[str, Number]
) -> dict[str, tuple[object, object]]:
    return {k: (want.get(k), got.get(k)) for k in set(want) | set(got) if want.get(k) != got.get(k)}


AGENCIES = (
    "某某县民政局",
    "青山县人力资源和社会保障局",
    "呼伦贝尔市人民政府",
    "梁山县水泊街道办事处",
    "省民政厅",
)
PARAGRAPHS = (
    "本年度共收到政府信息公开申请12件，均已按时答复。",
    "严格落实信息发布审查制度，及时更新公开目录。",
    "一是公开的深度还不够；二是解读形式较为单一。",
    "本年度未收取信息处理费。",
    "无。",
)


def _value(fmt: Format, cid: str) -> st.SearchStrategy[Number]:
    cell = fmt.cells[cid]
    if cell.kind is Kind.SIGNED:
        return st.integers(-500, 500)
    if cell.kind is Kind.AMOUNT:
        places = 2 if cell.unit == "元" else 4
        return st.decimals(
            min_value=0, max_value=Decimal(10**8), places=places, allow_nan=False
        ).map(lambda d: int(d) if d == d.to_integral_value() else d.normalize())
    return st.integers(0, 100_000)


@st.composite
def reports(draw: st.DrawFn) -> tuple[Answers, bool]:
    """A random report, complete or with blank cells (then rendered as a draft)."""
    fmt = FORMATS[draw(st.sampled_from(sorted(FORMATS)))]
    year = draw(st.integers(fmt.first_year, fmt.last_year or 2030))
    complete = draw(st.booleans())
    cells: dict[str, Number] = {}
    for cid in fmt.input_cells:
        if complete or draw(st.integers(0, 3)):
            cells[cid] = draw(_value(fmt, cid))
    texts = {
        key: draw(st.sampled_from(PARAGRAPHS))
        for key in ("overview", "problems", "other")
        if draw(st.booleans())
    }
    answers = Answers(fmt.id, year, draw(st.sampled_from(AGENCIES)), cells, texts)
    return answers, not complete or len(texts) < 3
