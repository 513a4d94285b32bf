"""The .docx: tables cell for cell, merges, fonts, page setup, narrative, drafts and refusals."""

from __future__ import annotations

import ast
import io
import re
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree

from core.answers import Answers
from core.docx_style import mm_to_twips
from core.docx_tables import column_widths
from core.formats import GOV_2019, GOV_2021
from core.layout import Role, table_grid
from core.paragraphs import BODY, H2, H3, clean_text, parse_narrative, parse_paragraph, typeset
from core.render_docx import render_docx
from core.report import ReportNotReady
from tests.data import cells_001_gov2019

from .expected_tables import EXPECTED
from .rendered import FIXTURES, REPORT_DATE, load, read_tables, xml_parts

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    """Each fixture rendered once (002 as a draft)."""
    return {
        name: render_docx(load(name), report_date=REPORT_DATE, draft=draft)
        for name, draft in FIXTURES.items()
    }


def body_texts(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


# --- The fixtures themselves ----------------------------------------------------------------


def test_example_001_fixture_matches_the_independent_transcription() -> None:
    answers = load("example-001-2020")
    inputs = {k: v for k, v in answers.cells.items() if not GOV_2019.cells[k].computed}
    assert inputs == cells_001_gov2019()


def test_example_fixtures_keep_their_own_format() -> None:
    for name in FIXTURES:
        answers = load(name)
        assert answers.format == ("gov-2021" if name.endswith("2021") else "gov-2019")


# --- Tables -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FIXTURES)
def test_every_printed_cell_is_at_its_place_with_its_merge(
    rendered: dict[str, bytes], name: str
) -> None:
    fmt = load(name).fmt
    tables = read_tables(rendered[name])
    assert len(tables) == 3
    for table, docx_grid in zip(fmt.tables, tables, strict=True):
        grid = table_grid(table)
        starts = {(c.row, c.col) for c in grid.cells}
        continued = set()
        for cell in grid.cells:
            got = docx_grid[(cell.row, cell.col)]
            assert got.colspan == cell.colspan, (table.id, cell)
            assert got.vmerge == ("restart" if cell.rowspan > 1 else ""), (table.id, cell)
            if cell.role is not Role.VALUE:
                assert got.text == cell.text, (table.id, cell)
            for r in range(cell.row + 1, cell.row + cell.rowspan):
                below = docx_grid[(r, cell.col)]
                assert (below.vmerge, below.colspan, below.text) == ("continue", cell.colspan, "")
                continued.add((r, cell.col))
        # Nothing else: every w:tc is a grid cell or the continuation of one.
        assert set(docx_grid) == starts | continued


@pytest.mark.parametrize("name", FIXTURES)
def test_every_value_cell_by_position(rendered: dict[str, bytes], name: str) -> None:
    fmt = load(name).fmt
    for table, docx_grid in zip(fmt.tables, read_tables(rendered[name]), strict=True):
        rows: dict[int, list[str]] = {}
        for cell in table_grid(table).value_cells():
            rows.setdefault(cell.row, []).append(docx_grid[(cell.row, cell.col)].text)
        assert [tuple(v) for _, v in sorted(rows.items())] == EXPECTED[name][table.id]


def test_table_3_2021_labels_and_merges_verbatim(rendered: dict[str, bytes]) -> None:
    t3 = read_tables(rendered["full-2021"])[1]
    corner = t3[(0, 0)]
    assert corner.text == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert (corner.colspan, corner.vmerge) == (3, "restart")
    assert t3[(1, 0)].vmerge == t3[(2, 0)].vmerge == "continue"
    assert (t3[(0, 3)].text, t3[(0, 3)].colspan) == ("申请人情况", 7)
    assert (t3[(1, 3)].text, t3[(1, 3)].vmerge) == ("自然人", "restart")
    assert (t3[(1, 4)].text, t3[(1, 4)].colspan) == ("法人或其他组织", 5)
    assert [t3[(2, c)].text for c in range(4, 9)] == [
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ]
    assert (t3[(1, 9)].text, t3[(1, 9)].vmerge) == ("总计", "restart")
    assert (t3[(3, 0)].text, t3[(3, 0)].colspan) == ("一、本年新收政府信息公开申请数量", 3)
    assert t3[(5, 0)].text == "三、本年度办理结果"
    assert t3[(5, 0)].vmerge == "restart"
    assert all(t3[(r, 0)].vmerge == "continue" for r in range(6, 5 + 22))
    assert t3[(5 + 22, 0)].text == "四、结转下年度继续办理"
    assert (t3[(5, 1)].text, t3[(5, 1)].colspan) == ("（一）予以公开", 2)
    assert (t3[(7, 1)].text, t3[(7, 1)].vmerge) == ("（三）不予公开", "restart")
    assert t3[(7, 2)].text == "1.属于国家秘密"
    assert t3[(9, 2)].text == "3.危及“三安全一稳定”"
    assert t3[(15, 1)].text == "（四）无法提供"
    assert t3[(18, 1)].text == "（五）不予处理"
    assert t3[(23, 1)].text == "（六）其他处理"
    assert t3[(26, 1)].text == "（七）总计"


def test_table_3_2019_results_span_20_rows(rendered: dict[str, bytes]) -> None:
    t3 = read_tables(rendered["example-001-2020"])[1]
    assert t3[(5, 0)].text == "三、本年度办理结果"
    assert all(t3[(r, 0)].vmerge == "continue" for r in range(6, 5 + 20))
    assert t3[(5 + 20, 0)].text == "四、结转下年度继续办理"
    assert (t3[(23, 1)].text, t3[(23, 1)].colspan) == ("（六）其他处理", 2)


def test_table_4_three_level_header(rendered: dict[str, bytes]) -> None:
    t4 = read_tables(rendered["full-2021"])[2]
    assert (t4[(0, 0)].text, t4[(0, 0)].colspan) == ("行政复议", 5)
    assert (t4[(0, 5)].text, t4[(0, 5)].colspan) == ("行政诉讼", 10)
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert [t4[(1, c)].text for c in range(5)] == results
    assert all(t4[(1, c)].vmerge == "restart" for c in range(5))
    assert (t4[(1, 5)].text, t4[(1, 5)].colspan) == ("未经复议直接起诉", 5)
    assert (t4[(1, 10)].text, t4[(1, 10)].colspan) == ("复议后起诉", 5)
    assert [t4[(2, c)].text for c in range(5, 15)] == results * 2


def test_table_2_2021_merged_value_headers(rendered: dict[str, bytes]) -> None:
    t2 = read_tables(rendered["full-2021"])[0]
    assert (t2[(0, 0)].text, t2[(0, 0)].colspan) == ("第二十条第（一）项", 4)
    assert [t2[(1, c)].text for c in range(4)] == [
        "信息内容",
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
    ]
    assert (t2[(5, 1)].text, t2[(5, 1)].colspan) == ("本年处理决定数量", 3)
    assert (t2[(6, 1)].text, t2[(6, 1)].colspan) == ("1386", 3)
    assert (t2[(12, 1)].text, t2[(12, 1)].colspan) == ("本年收费金额（单位：万元）", 3)


@pytest.mark.parametrize("name", FIXTURES)
def test_tables_fit_the_text_width(rendered: dict[str, bytes], name: str) -> None:
    document = docx.Document(io.BytesIO(rendered[name]))
    for table, fmt_table in zip(document.tables, load(name).fmt.tables, strict=True):
        tbl = table._tbl
        widths = [int(c.get(qn("w:w"))) for c in tbl.tblGrid.findall(qn("w:gridCol"))]
        assert abs(sum(widths) - mm_to_twips(156)) <= len(widths)
        assert tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        assert sum(column_widths(table_grid(fmt_table))) == pytest.approx(156)


# --- Fonts and page -------------------------------------------------------------------------


@pytest.mark.parametrize("name", FIXTURES)
def test_every_run_sets_its_east_asian_font(rendered: dict[str, bytes], name: str) -> None:
    runs = 0
    for part, xml in xml_parts(rendered[name]).items():
        if not part.startswith("word/") or ("document" not in part and "footer" not in part):
            continue
        for run in etree.fromstring(xml).iter(f"{W}r"):
            fonts = run.find(f"{W}rPr/{W}rFonts")
            assert fonts is not None, part
            for attr in ("eastAsia", "ascii", "hAnsi"):
                assert fonts.get(f"{W}{attr}"), (part, attr)
            runs += 1
    assert runs > 100


def run_fonts(data: bytes, text: str) -> tuple[str, int, bool]:
    """East Asian font, half-point size and weight of the first run of a paragraph."""
    for p in docx.Document(io.BytesIO(data)).paragraphs:
        if p.text == text:
            rpr = p.runs[0]._r.rPr
            face = rpr.find(qn("w:rFonts")).get(qn("w:eastAsia"))
            size = int(rpr.find(qn("w:sz")).get(qn("w:val")))
            return face, size, rpr.find(qn("w:b")) is not None
    raise AssertionError(text)


def test_fonts_of_title_headings_and_body(rendered: dict[str, bytes]) -> None:
    data = rendered["example-000-2019"]
    assert run_fonts(data, "鄂伦春自治旗民政局\n2019年政府信息公开工作年度报告") == (
        "方正小标宋简体",
        44,
        False,
    )
    assert run_fonts(data, "一、总体情况") == ("黑体", 32, False)
    assert run_fonts(data, "1.深化政务公开组织领导") == ("仿宋_GB2312", 32, True)
    assert run_fonts(data, "无。") == ("仿宋_GB2312", 32, False)
    full = rendered["full-2021"]
    assert run_fonts(full, "（一）主动公开") == ("楷体_GB2312", 32, False)
    t3 = docx.Document(io.BytesIO(full)).tables[1]
    rpr = t3._tbl.find(f".//{W}r/{W}rPr")
    assert rpr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "宋体"
    assert rpr.find(qn("w:sz")).get(qn("w:val")) == "18"  # 小五, 9 pt


def test_page_setup_and_margins(rendered: dict[str, bytes]) -> None:
    section = docx.Document(io.BytesIO(rendered["full-2021"])).sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    mm = [
        round(length.mm, 1)
        for length in (
            section.page_width,
            section.page_height,
            section.top_margin,
            section.bottom_margin,
            section.left_margin,
            section.right_margin,
        )
    ]
    assert mm == [210, 297, 37, 35, 28, 26]


def test_no_template_thumbnail(rendered: dict[str, bytes]) -> None:
    assert not [n for n in xml_parts(rendered["full-2021"]) if "thumbnail" in n]
    with zipfile.ZipFile(io.BytesIO(rendered["full-2021"])) as z:
        assert not [n for n in z.namelist() if "thumbnail" in n]


def test_page_number_field_between_dashes(rendered: dict[str, bytes]) -> None:
    footer = docx.Document(io.BytesIO(rendered["full-2021"])).sections[0].footer
    paragraph = footer.paragraphs[0]
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert paragraph.text == "— 1 —"
    instr = "".join(t.text for t in paragraph._p.iter(qn("w:instrText")))
    assert instr.strip() == "PAGE"
    kinds = [f.get(qn("w:fldCharType")) for f in paragraph._p.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"]


def test_body_and_title_paragraph_layout(rendered: dict[str, bytes]) -> None:
    document = docx.Document(io.BytesIO(rendered["full-2021"]))
    normal = document.styles["Normal"].paragraph_format
    assert normal.first_line_indent == Pt(32)
    assert normal.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert normal.line_spacing == Pt(28)
    title = document.paragraphs[0]
    assert title.style.name == "ReportTitle"
    assert title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.text == "青山县人力资源和社会保障局\n2025年政府信息公开工作年度报告"
    for level in (1, 2, 3):
        fmt = document.styles[f"Heading {level}"].paragraph_format
        assert (fmt.first_line_indent, fmt.line_spacing) == (Pt(32), Pt(28))


# --- Text -------------------------------------------------------------------------------------


def test_opening_paragraph(rendered: dict[str, bytes]) -> None:
    opening = body_texts(rendered["full-2021"])[1]
    for part in (
        "《中华人民共和国政府信息公开条例》",
        "国办公开办函〔2021〕30号",
        "全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
        "政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六个部分",
        "统计期限为2025年1月1日至2025年12月31日",
        "本报告电子版可在青山县人民政府门户网站（www.qingshan.gov.cn）下载",
        "请与青山县人力资源和社会保障局办公室联系（地址：青山县人民路88号；邮编：012300；"
        "电话：0471-5551234；电子邮箱：qsxrsj@163.com）",
    ):
        assert part in opening
    assert "国办公开办函〔2019〕60号" in body_texts(rendered["example-000-2019"])[1]


def test_sections_in_order_and_signature(rendered: dict[str, bytes]) -> None:
    texts = body_texts(rendered["full-2021"])
    positions = [texts.index(s.title) for s in GOV_2021.sections]
    assert positions == sorted(positions)
    document = docx.Document(io.BytesIO(rendered["full-2021"]))
    name, when = document.paragraphs[-2], document.paragraphs[-1]
    assert (name.text, when.text) == ("青山县人力资源和社会保障局", "2026年1月20日")
    assert name.alignment == when.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    # The date begins two characters right of the name: 13 wide, date 6.5 wide.
    assert name.paragraph_format.right_indent == Pt(32)
    assert when.paragraph_format.right_indent == Pt(16 * 6.5)


def test_overview_areas_get_headings_and_section_six_joins_fee_and_matters(
    rendered: dict[str, bytes],
) -> None:
    texts = body_texts(rendered["full-2021"])
    areas = ["（一）主动公开", "（二）依申请公开", "（三）政府信息管理"]
    areas += ["（四）政府信息公开平台建设", "（五）监督保障"]
    positions = [texts.index(a) for a in areas]
    assert positions == sorted(positions)
    assert "1.重点领域信息公开" in texts
    six = texts.index("六、其他需要报告的事项")
    assert texts[six + 1 : six + 3] == [
        "本年度未收取信息处理费。",
        "本年度共办理人大代表建议5件、政协委员提案3件，办理结果均已按要求公开。",
    ]


def test_typed_headings_become_heading_paragraphs(rendered: dict[str, bytes]) -> None:
    styles = {
        p.text: p.style.name
        for p in docx.Document(io.BytesIO(rendered["example-001-2020"])).paragraphs
    }
    assert styles["（一）主动公开情况"] == "Heading 2"
    assert styles["1.进一步推进用权公开。"] == "Heading 3"
    assert styles["本年度内未发生政府信息公开工作责任追究。"] == "Normal"
    # Full-width punctuation beside Chinese text, as an officer types it.
    assert any(t.startswith("全市各级行政机关共收到政府信息公开申请224件，") for t in styles)


def test_heading_rules() -> None:
    assert parse_paragraph("1.深化政务公开组织领导").level == H3
    assert parse_paragraph("（一）主动公开").level == H2
    assert parse_paragraph("一、水泊街道政务公开工作基本情况").level == H2
    assert parse_paragraph("一是公开的内容更加充实。二是公开的时间更加及时。").level == BODY
    assert parse_paragraph("一、二季度完成了目录编制。").level == BODY
    assert parse_paragraph("1.5万条信息已公开。").level == BODY
    assert parse_paragraph("（1）加强领导").level == BODY
    assert parse_paragraph("下一步工作中，我市将重点开展以下工作：").level == BODY
    run_in = parse_paragraph("（一）加强政务公开组织领导。年初，我们传达了通知。")
    assert (run_in.level, run_in.lead_level) == (BODY, H2)
    assert run_in.text[: run_in.lead] == "（一）加强政务公开组织领导。"
    assert parse_paragraph("1." + "很长" * 30).level == BODY


def test_narrative_keeps_paragraphs_and_drops_a_repeated_title() -> None:
    paras = parse_narrative("一、总体情况\r\n\u3000\u3000第一段。\n\n  第二段。\n", "一、总体情况")
    assert [p.text for p in paras] == ["第一段。", "第二段。"]


def test_typeset_leaves_numbers_and_addresses_alone() -> None:
    assert typeset("领导,我局(其中包括网站)") == "领导，我局（其中包括网站）"
    assert typeset("1,000 http://www.a.gov.cn:80/?a=1 (test)") == (
        "1,000 http://www.a.gov.cn:80/?a=1 (test)"
    )


# --- Hostile input, drafts, refusals ----------------------------------------------------------


def test_hostile_text_renders() -> None:
    long = "长" * 10_000
    hostile = (
        "控制\x00字符\x07\x1b与\ufffe\uffff孤立\ud800代理\r\n"
        f"表情👨‍👩‍👧‍👦🇨🇳\u200f\u202e\n{long}\n\t制表\t"
    )
    answers = load("full-2021")
    texts = {**answers.texts, "overview": hostile, "problems": hostile, "other.matters": hostile}
    contact = {**answers.contact, "office": "办公室\x0b"}
    answers = Answers(answers.format, answers.year, "某某\x01局", answers.cells, texts, contact)
    data = render_docx(answers, report_date=date(2026, 1, 2))
    texts_out = body_texts(data)
    assert "控制字符与孤立代理" in texts_out
    assert long in texts_out
    assert any("👨‍👩‍👧‍👦🇨🇳" in t for t in texts_out)
    assert texts_out[0].startswith("某某局")
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", "".join(texts_out))


def test_clean_text() -> None:
    assert clean_text("a\x00b\r\nc\rd\ud800e\uffff\tf") == "ab\nc\nde\tf"


def test_blank_cells_refuse_a_final_report() -> None:
    with pytest.raises(ReportNotReady) as caught:
        render_docx(load("example-002-2020"), report_date=REPORT_DATE)
    assert caught.value.errors == ()
    assert len(caught.value.missing) == 115
    assert caught.value.missing[0] == "proactive.procurement.amount"


def test_errors_refuse_a_final_report_and_a_draft_lists_them() -> None:
    answers = load("full-2021").with_cells({"requests.new.total": 60})
    with pytest.raises(ReportNotReady) as caught:
        render_docx(answers, report_date=REPORT_DATE)
    assert [v.rule for v in caught.value.errors] == [
        "balance:requests:total",
        "row_total:requests:new",
    ]
    texts = body_texts(render_docx(answers, report_date=REPORT_DATE, draft=True))
    assert texts[0].endswith("（草稿）")
    page = texts.index("草稿说明：尚待处理的问题")
    assert texts[page + 2] == "（一）错误"
    assert texts[page + 3].startswith("【错误·规则1】总计列：本年新收 60 + 上年结转 3 = 63")
    assert texts[page + 4].startswith("【错误·规则3】「本年新收」行：总计 60，但自然人 41")


def test_draft_title_blanks_and_last_page(rendered: dict[str, bytes]) -> None:
    texts = body_texts(rendered["example-002-2020"])
    assert texts[0] == "梁山县水泊街道办事处\n2020年政府信息公开工作年度报告（草稿）"
    page = texts.index("草稿说明：尚待处理的问题")
    assert texts[page + 1] == "本草稿尚有115 个单元格未填，全部处理后才能生成正式报告。"
    assert texts[page + 3] == "表二「政府集中采购」行：采购总金额未填"
    assert "表三「（三）不予公开·1.属于国家秘密」行：整行未填" in texts[page:]
    assert texts.index("梁山县水泊街道办事处") < page


def test_empty_sections_read_none() -> None:
    answers = load("full-2021")
    answers = Answers(answers.format, answers.year, answers.agency, answers.cells, {}, {})
    texts = body_texts(render_docx(answers, report_date=REPORT_DATE))
    six = texts.index("六、其他需要报告的事项")
    assert texts[six + 1] == "无。"
    only_fee = answers.with_text("other.fee", "本年度未收取信息处理费。")
    texts = body_texts(
        render_docx(only_fee.with_text("other.matters", "无"), report_date=REPORT_DATE)
    )
    six = texts.index("六、其他需要报告的事项")
    # "无" beside real content is dropped; the empty paragraph before the signature follows.
    assert texts[six + 1 : six + 3] == ["本年度未收取信息处理费。", ""]


def test_amounts_keep_their_decimals() -> None:
    answers = load("full-2021").with_cells({"proactive.fees.amount": Decimal("103.3879")})
    t2 = read_tables(render_docx(answers, report_date=REPORT_DATE))[0]
    assert t2[(13, 1)].text == "103.3879"


# --- Purity -------------------------------------------------------------------------------------

CORE = Path(__file__).resolve().parents[2] / "core"
MINE = ["render_docx", "docx_style", "docx_tables", "render_xlsx", "report", "paragraphs"]
MINE += ["preview", "figures", "wording/report"]
FORBIDDEN = {"os", "pathlib", "telegram", "sqlmodel", "aiohttp", "time", "random", "uuid"}


@pytest.mark.parametrize("module", MINE)
def test_rendering_modules_are_pure(module: str) -> None:
    tree = ast.parse((CORE / f"{module}.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            assert not {a.name.split(".")[0] for a in node.names} & FORBIDDEN
        if isinstance(node, ast.ImportFrom) and node.module:
            assert node.module.split(".")[0] not in FORBIDDEN
        if isinstance(node, ast.Attribute):
            assert node.attr not in {"now", "today", "utcnow", "environ"}, module
