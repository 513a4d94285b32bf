"""Low-level WordprocessingML helpers for the official-document layout (GB/T 9704 conventions).

python-docx covers most of the layout; what it does not - the East Asian font of a run, a PAGE
field, fixed table grids, merged-cell markup - is written here as raw XML, in one place.
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass
from functools import cache

from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph
from docx.text.run import Run

LATIN = "Times New Roman"
# Sizes in points: 二号 22, 三号 16, 四号 14, 五号 10.5, 小五 9.
ERHAO, SANHAO, SIHAO, WUHAO, XIAOWU = 22.0, 16.0, 14.0, 10.5, 9.0
LINE = 28.0  # fixed body line spacing: 22 lines on the 225 mm high text block
TWIPS_PER_MM = 1440 / 25.4


@dataclass(frozen=True)
class Font:
    """A run's fonts: the East Asian face, the Latin face for digits and letters, size, weight."""

    east_asia: str
    size: float
    latin: str = LATIN
    bold: bool = False


TITLE = Font("方正小标宋简体", ERHAO, latin="方正小标宋简体")
BODY = Font("仿宋_GB2312", SANHAO)
HEADING_1 = Font("黑体", SANHAO)
HEADING_2 = Font("楷体_GB2312", SANHAO)
HEADING_3 = Font("仿宋_GB2312", SANHAO, bold=True)
PAGE_NUMBER = Font("宋体", SIHAO, latin="宋体")


def set_fonts(rpr: BaseOxmlElement, font: Font) -> None:
    """Set ascii/hAnsi/eastAsia/cs fonts, size and weight on a ``w:rPr``.

    Word picks the East Asian face from ``w:eastAsia`` only; without it Chinese text falls back to
    the theme font whatever ``ascii`` says. Theme attributes are removed because they win over
    explicit names.
    """
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rfonts.attrib.pop(qn(f"w:{attr}"), None)
    rfonts.set(qn("w:ascii"), font.latin)
    rfonts.set(qn("w:hAnsi"), font.latin)
    rfonts.set(qn("w:eastAsia"), font.east_asia)
    rfonts.set(qn("w:cs"), font.latin)
    for tag in ("w:b", "w:bCs", "w:i", "w:iCs", "w:color", "w:sz", "w:szCs"):
        for old in rpr.findall(qn(tag)):
            rpr.remove(old)
    # Schema order: rFonts, b, bCs, i, iCs, …, color, …, sz, szCs, …, lang.
    anchor = rfonts
    for tag, value in (("w:b", font.bold), ("w:bCs", font.bold)):
        if value:
            el = OxmlElement(tag)
            anchor.addnext(el)
            anchor = el
    half_points = str(round(font.size * 2))
    lang = rpr.find(qn("w:lang"))
    for tag in ("w:sz", "w:szCs"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), half_points)
        if lang is not None:
            lang.addprevious(el)
        else:
            rpr.append(el)


@cache
def _run_properties(font: Font) -> BaseOxmlElement:
    rpr = OxmlElement("w:rPr")
    set_fonts(rpr, font)
    return rpr


def add_run(paragraph: Paragraph, text: str, font: Font) -> Run:
    """A run of ``text`` in ``font``; every run the renderer writes goes through here."""
    run = paragraph.add_run()
    # A copy of one prepared w:rPr per font: a report has some 1,500 runs.
    run._r.insert(0, deepcopy(_run_properties(font)))
    if text:
        run.text = text
    return run


def set_paragraph(
    paragraph: Paragraph | ParagraphStyle,
    *,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY,
    exact: float | None = LINE,
    first_line: float = 0.0,
    right: float = 0.0,
    before: float = 0.0,
    after: float = 0.0,
) -> None:
    """Alignment, line spacing (exact points, or single when None), indents and spacing in pt."""
    pf = paragraph.paragraph_format
    pf.alignment = align
    if exact is None:
        pf.line_spacing = 1.0
    else:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(exact)
    pf.first_line_indent = Pt(first_line)
    pf.left_indent = Pt(0)
    pf.right_indent = Pt(right)
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)


def reset_style(style: ParagraphStyle, font: Font) -> None:
    """Replace a template style's formatting (theme fonts, colours, spacing) with ``font``."""
    el = style.element
    for tag in ("w:pPr", "w:rPr"):
        for old in el.findall(qn(tag)):
            el.remove(old)
    set_fonts(el.get_or_add_rPr(), font)


def set_defaults(doc: Document, font: Font) -> None:
    """Document defaults: the body font, Chinese language, no spacing after paragraphs."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        doc.styles.element.insert(0, defaults)
    for old in list(defaults):
        defaults.remove(old)
    defaults.append(element("w:rPrDefault", element("w:rPr")))
    rpr = defaults[0][0]
    set_fonts(rpr, font)
    rpr.append(element("w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"))
    spacing = element("w:spacing", after="0", line="240", lineRule="auto")
    defaults.append(element("w:pPrDefault", element("w:pPr", spacing)))


def set_page(doc: Document) -> None:
    """A4 portrait; margins top 37, bottom 35, left 28, right 26 mm (text block 156 × 225 mm)."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(210)
    section.page_height = Mm(297)
    section.top_margin = Mm(37)
    section.bottom_margin = Mm(35)
    section.left_margin = Mm(28)
    section.right_margin = Mm(26)
    section.header_distance = Mm(15)
    # The page number's dashes sit about 7 mm below the text block.
    section.footer_distance = Mm(23)


def add_page_number(doc: Document) -> None:
    """ "— 1 —" centred in the footer, the number a PAGE field."""
    footer = doc.sections[0].footer
    paragraph = footer.paragraphs[0]
    set_paragraph(paragraph, align=WD_ALIGN_PARAGRAPH.CENTER, exact=None)
    add_run(paragraph, "— ", PAGE_NUMBER)
    for kind, text in (("begin", ""), ("instr", " PAGE "), ("separate", ""), ("text", "1")):
        run = add_run(paragraph, "", PAGE_NUMBER)
        if kind == "instr":
            instr = element("w:instrText", text)
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            run._r.append(instr)
        elif kind == "text":
            run.text = text
        else:
            run._r.append(element("w:fldChar", fldCharType=kind))
    add_run(paragraph, "", PAGE_NUMBER)._r.append(element("w:fldChar", fldCharType="end"))
    add_run(paragraph, " —", PAGE_NUMBER)


def add_page_break(paragraph: Paragraph) -> None:
    """A page break in its own run (the run still carries the body fonts)."""
    run = add_run(paragraph, "", BODY)
    run._r.append(element("w:br", type="page"))


def element(tag: str, *children: BaseOxmlElement | str, **attrs: str) -> BaseOxmlElement:
    """``<tag w:attr=…>children</tag>``; a str child becomes the element's text."""
    el = OxmlElement(tag)
    for name, value in attrs.items():
        el.set(qn(f"w:{name}"), value)
    for child in children:
        if isinstance(child, str):
            el.text = child
        else:
            el.append(child)
    return el


def mm_to_twips(mm: float) -> int:
    return round(mm * TWIPS_PER_MM)
