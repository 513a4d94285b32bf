"""The finished report as a .docx, laid out as agencies publish it (GB/T 9704 conventions).

A4 with margins 37/35/28/26 mm; title 方正小标宋简体 二号 centred; body 仿宋_GB2312 三号 at a
fixed 28 pt line with a two-character first-line indent; headings 黑体 (一、), 楷体_GB2312
(（一）) and bold 仿宋 (1.); tables in 宋体 sized to fit the 156 mm text width; "— 1 —" page
numbers; the agency and date closing the report, right-aligned. Pure: the report's date comes in
as a parameter.
"""

from __future__ import annotations

import io
from datetime import date, datetime

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph

from . import docx_style as S
from .answers import Answers
from .docx_tables import TABLE_STYLE, add_table
from .paragraphs import BODY, H1, H2, H3, Para
from .report import (
    Readiness,
    agency,
    cell_values,
    missing_rows,
    opening,
    require_ready,
    section_paras,
    title,
)
from .wording import report as W
from .wording.rules import describe_full

TITLE_STYLE = "ReportTitle"
HEADING_STYLES = {H1: "Heading 1", H2: "Heading 2", H3: "Heading 3"}
HEADING_IDS = {H1: "Heading1", H2: "Heading2", H3: "Heading3"}
HEADING_FONTS = {H1: S.HEADING_1, H2: S.HEADING_2, H3: S.HEADING_3}
TITLE_LINE = 36.0  # pt: two-line titles stay apart without gaping
TITLE_CHARS = 20  # 二号 characters on a 156 mm line
INDENT = 2 * S.SANHAO  # two characters of body text


def render_docx(answers: Answers, *, report_date: date, draft: bool = False) -> bytes:
    """The report as .docx bytes.

    Args:
        answers: The report's answers.
        report_date: The date printed under the agency's name at the end.
        draft: Render even with errors or blank cells; the title then says 草稿 and a last page
            lists what remains to be done.

    Raises:
        ReportNotReady: The report has errors or blank cells and ``draft`` is false.
    """
    state = require_ready(answers, draft)
    fmt = answers.fmt
    doc = docx.Document()
    _set_up(doc, answers, report_date)
    _add_title(doc, answers, draft)
    _add_para(doc, Para(opening(answers)))
    values = cell_values(answers)
    for section in fmt.sections:
        _add_para(doc, Para(section.title, H1))
        if section.table:
            add_table(doc, fmt, fmt.table(section.table), values)
            continue
        for para in section_paras(answers, section, draft):
            _add_para(doc, para)
    _add_signature(doc, agency(answers) or W.BLANK_AGENCY, report_date)
    if draft:
        _add_draft_page(doc, answers, state)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _set_up(doc: Document, answers: Answers, report_date: date) -> None:
    S.set_defaults(doc, S.BODY)
    S.set_page(doc)
    styles = doc.styles
    normal = styles["Normal"]
    assert isinstance(normal, ParagraphStyle)
    S.reset_style(normal, S.BODY)
    S.set_paragraph(normal, first_line=INDENT)
    for level, name in HEADING_STYLES.items():
        style = styles[name]
        assert isinstance(style, ParagraphStyle)
        S.reset_style(style, HEADING_FONTS[level])
        S.set_paragraph(style, first_line=INDENT)
        style.paragraph_format.keep_with_next = True
        style.element.get_or_add_pPr().append(S.element("w:outlineLvl", val=str(level - 1)))
    heading_title = styles.add_style(TITLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    S.reset_style(heading_title, S.TITLE)
    S.set_paragraph(heading_title, align=WD_ALIGN_PARAGRAPH.CENTER, exact=TITLE_LINE, after=S.LINE)
    table_text = styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    S.reset_style(table_text, S.Font("宋体", S.WUHAO))
    S.set_paragraph(table_text, align=WD_ALIGN_PARAGRAPH.CENTER, exact=None)
    footer = styles["Footer"]
    assert isinstance(footer, ParagraphStyle)
    S.reset_style(footer, S.PAGE_NUMBER)
    S.add_page_number(doc)
    # python-docx's template carries a thumbnail of its own blank page; file browsers would show it.
    rels = doc.part.package.rels
    for rid in [k for k, rel in rels.items() if rel.reltype.endswith("/thumbnail")]:
        rels.pop(rid)
    props = doc.core_properties
    stamp = datetime(report_date.year, report_date.month, report_date.day)
    props.title = title(answers, draft=False)
    props.author = agency(answers)
    props.last_modified_by = agency(answers)
    props.created = stamp
    props.modified = stamp
    props.revision = 1
    props.comments = ""
    props.language = "zh-CN"


def _width(text: str) -> float:
    """Printed width in full-width characters: Latin letters and digits are half as wide."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def _add_title(doc: Document, answers: Answers, draft: bool) -> None:
    paragraph = _styled(doc, TITLE_STYLE)
    name = agency(answers) or W.BLANK_AGENCY
    text = title(answers, draft)
    # Officers break a long title after the agency's name rather than mid-word.
    if _width(text) > TITLE_CHARS and _width(name) <= TITLE_CHARS:
        S.add_run(paragraph, name, S.TITLE).add_break()
        S.add_run(paragraph, text[len(name) :], S.TITLE)
    else:
        S.add_run(paragraph, text, S.TITLE)


def _styled(doc: Document, style_id: str) -> Paragraph:
    """A new paragraph in a style given by id (python-docx's lookup by name is slow)."""
    paragraph = doc.add_paragraph()
    paragraph._p.get_or_add_pPr().style = style_id
    return paragraph


def _add_para(doc: Document, para: Para) -> Paragraph:
    if para.level != BODY:
        paragraph = _styled(doc, HEADING_IDS[para.level])
        S.add_run(paragraph, para.text, HEADING_FONTS[para.level])
        return paragraph
    paragraph = doc.add_paragraph()
    if para.lead:
        S.add_run(paragraph, para.text[: para.lead], HEADING_FONTS[para.lead_level])
    S.add_run(paragraph, para.text[para.lead :], S.BODY)
    return paragraph


def _add_signature(doc: Document, name: str, report_date: date) -> None:
    """Agency and date right-aligned; the date starts two characters right of the name.

    GB/T 9704 7.3.5.2: the name stands two characters from the right margin and the date begins
    two characters further right than the name; a longer date pushes the name left instead.
    """
    when = f"{report_date.year}年{report_date.month}月{report_date.day}日"
    name_right = 2.0
    date_right = name_right + _width(name) - _width(when) - 2
    if date_right < 2:
        name_right += 2 - date_right
        date_right = 2.0
    doc.add_paragraph()
    for text, right in ((name, name_right), (when, date_right)):
        paragraph = doc.add_paragraph()
        S.set_paragraph(paragraph, align=WD_ALIGN_PARAGRAPH.RIGHT, right=right * S.SANHAO)
        S.add_run(paragraph, text, S.BODY)


def _add_draft_page(doc: Document, answers: Answers, state: Readiness) -> None:
    fmt = answers.fmt
    S.add_page_break(doc.add_paragraph())
    heading = _styled(doc, HEADING_IDS[H1])
    heading.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.paragraph_format.first_line_indent = 0
    S.add_run(heading, W.DRAFT_PAGE_TITLE, S.HEADING_1)
    summary = W.draft_summary(len(state.errors), len(state.missing), len(state.warnings))
    _add_para(doc, Para(summary))
    groups = (
        (W.DRAFT_ERRORS, [describe_full(fmt, v) for v in state.errors]),
        (
            W.DRAFT_MISSING,
            [W.missing_row(r.place, r.columns, r.whole) for r in missing_rows(fmt, state.missing)],
        ),
        (W.DRAFT_WARNINGS, [describe_full(fmt, v) for v in state.warnings]),
        (W.DRAFT_TEXTS, [W.missing_text(t) for t in state.empty_sections]),
    )
    index = 0
    for head, lines in groups:
        if not lines:
            continue
        index += 1
        _add_para(doc, Para(W.draft_heading(index, head), H2))
        for line in lines:
            _add_para(doc, Para(line))
