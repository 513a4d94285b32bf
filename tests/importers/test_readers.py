"""The pieces: cell values, unrecognised rows and columns, format detection, reader details."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.formats import GOV_2019, GOV_2021
from core.importers import Status, read_document
from core.importers.labels import catalogue
from core.importers.sections import heading_key
from core.importers.values import read_value
from tests.core.rendered import load

from .corpus import RENDERERS, cell_diff, expected_cells

FEE = GOV_2021.cells["proactive.fees.amount"]  # 万元
PROCUREMENT = GOV_2019.cells["proactive.procurement.amount"]  # 元
CHANGE = GOV_2019.cells["proactive.licensing.change"]
COUNT = GOV_2021.cells["requests.new.natural"]


@pytest.mark.parametrize(
    ("cell", "text", "status", "value", "unit"),
    [
        (COUNT, "12", Status.VALUE, 12, ""),
        (COUNT, "１２件", Status.VALUE, 12, ""),
        (COUNT, "1,234", Status.VALUE, 1234, ""),
        (COUNT, "一百零三", Status.VALUE, 103, ""),
        (COUNT, "-1", Status.VALUE, -1, ""),  # kept, so that rule 5 reports it
        (COUNT, "2.5", Status.VALUE, Decimal("2.5"), ""),
        (COUNT, "", Status.BLANK, None, ""),
        (COUNT, "\u00a0", Status.BLANK, None, ""),
        (COUNT, "/", Status.SLASH, None, ""),
        (COUNT, "／", Status.SLASH, None, ""),
        (COUNT, "见附件", Status.UNREADABLE, None, ""),
        (CHANGE, "增12", Status.VALUE, 12, ""),
        (CHANGE, "减4", Status.VALUE, -4, ""),
        (CHANGE, "+3", Status.VALUE, 3, ""),
        (CHANGE, "-8", Status.VALUE, -8, ""),
        (FEE, "103.3879", Status.VALUE, Decimal("103.3879"), ""),
        (FEE, "103.3879万元", Status.VALUE, Decimal("103.3879"), ""),
        (FEE, "251000元", Status.VALUE, Decimal("25.1"), "元"),
        (FEE, "15000", Status.VALUE, 15000, ""),  # the column says 万元: no unit question
        (PROCUREMENT, "176000元", Status.VALUE, 176000, ""),
        (PROCUREMENT, "31.17亿元", Status.VALUE, 3117000000, "亿元"),
    ],
)
def test_cell_values(cell, text, status, value, unit) -> None:  # type: ignore[no-untyped-def]
    source = read_value(cell, text)
    assert (source.status, source.value, source.converted_from) == (status, value, unit)


@pytest.mark.parametrize(
    ("printed", "label"),
    [
        ("第二十条第(一)项", "第二十条第（一）项"),
        ("本年新 制作数量", "本年新制作数量"),
        ("規章", "规章"),
        ("予以公开", "（一）予以公开"),
        ('3.危及"三安全一稳定"', "3.危及“三安全一稳定”"),
        (
            "（二）部分公开(区分处理的,只计这一情形,不计其他情形)",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        ),
    ],
)
def test_labels_match_however_printed(printed: str, label: str) -> None:
    found = catalogue("gov-2019").match(printed)
    assert found is not None and found.exact and found.labels[0].text == label


def test_a_header_cut_short_matches_loosely() -> None:
    found = catalogue("gov-2019").match("本年新")
    assert found is not None and not found.exact and len(found.labels) == 2


@pytest.mark.parametrize(
    ("line", "section"),
    [
        ("一、总体情况", "overview"),
        ("五、存在的问题及改进情况", "problems"),
        ("五、政府信息公开申请行政复议、诉讼和申诉的情况", "appeals"),
        ("二、上年结转政府信息公开申请数量", None),  # a row of table 3
        ("四、结转下年度继续办理", None),
        ("二、经验做法", None),
        ("一、总体情况。本年度我局……", None),
    ],
)
def test_headings(line: str, section: str | None) -> None:
    assert heading_key(line) == section


def _text_report(replace: dict[str, str]) -> bytes:
    text = RENDERERS["text"][1](load("full-2021"), False).decode()
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new, 1)
    return text.encode()


def test_unknown_row_is_reported_and_its_numbers_not_taken() -> None:
    data = _text_report({"行政强制 | 0 |": "行政强制 | 0 |\n行政确认 | 12 |"})
    imported = read_document(data, "x.txt")
    found = [(f.code, f.where, f.text) for f in imported.findings]
    assert found == [("unrecognised_row", "proactive", "行政确认")]
    assert cell_diff(expected_cells(load("full-2021")), imported.cells) == {}


def test_unknown_column_is_reported() -> None:
    data = _text_report(
        {
            "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |": "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 | 备注 |"
        }
    )
    imported = read_document(data, "x.txt")
    assert [(f.code, f.text) for f in imported.findings] == [("unrecognised_column", "备注")]


def test_a_gov2019_row_in_a_gov2021_table_is_unrecognised() -> None:
    data = _text_report({"行政强制 | 0 |": "行政强制 | 0 |\n其他对外管理服务事项 | 7 | 0 | 14 |"})
    imported = read_document(data, "x.txt")
    assert imported.format == "gov-2021"
    assert ("unrecognised_row", "其他对外管理服务事项") in [
        (f.code, f.text) for f in imported.findings
    ]


def test_format_comes_from_the_table_not_the_cited_document() -> None:
    """A 2021-format table under a text citing the 2019 format's document is gov-2021."""
    text = RENDERERS["text"][1](load("full-2021"), False).decode()
    text = text.replace("国办公开办函〔2021〕30号", "国办公开办函〔2019〕60号")
    assert read_document(text.encode(), "x.txt").format == "gov-2021"


def test_other_processing_as_one_row_means_gov2019() -> None:
    lines = [
        "三、收到和处理政府信息公开申请情况",
        "三、本年度办理结果 | （一）予以公开 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
        "（六）其他处理 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
    ]
    imported = read_document("\n".join(lines).encode(), "x.txt")
    assert imported.format == "gov-2019" and imported.cells["requests.other.total"] == 0
    assert ("rows_missing", "requests") in [(f.code, f.where) for f in imported.findings]


def test_html_rowspan_colspan_nbsp_br() -> None:
    page = """<html><body><p>二、主动公开政府信息情况</p><table>
    <tr><td colspan="4">第二十条第(一)项</td></tr>
    <tr><td>信息内容</td><td>本年制发<br/>件数</td><td>本年废止件数</td><td>现行<p>有效件数</p></td></tr>
    <tr><td>规章</td><td>&nbsp;</td><td>0</td><td>/</td></tr>
    <tr><td rowspan="1">行政规范性文件</td><td><span>1</span><span>2</span></td><td>1</td><td style="x">11</td></tr>
    </table></body></html>"""
    imported = read_document(page.encode(), "x.html")
    assert imported.format == "gov-2021"
    assert imported.sources["proactive.rules.issued"].status is Status.BLANK
    assert imported.sources["proactive.rules.in_force"].status is Status.SLASH
    assert imported.cells["proactive.normative.issued"] == 12
    assert imported.cells["proactive.normative.in_force"] == 11


def test_rendered_docx_uses_real_merges() -> None:
    from tests.core.rendered import read_tables

    data = RENDERERS["docx"][1](load("full-2021"), False)
    assert any(cell.vmerge == "continue" for table in read_tables(data) for cell in table.values())
    assert read_document(data, "x.docx").cells == expected_cells(load("full-2021"))
