"""Chinese wording of the consolidated report: its opening sentence, the compilation workbook,
and why reports cannot be summed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .report import BLANK_AGENCY, period

if TYPE_CHECKING:  # core.aggregate imports this module
    from ..aggregate import AggregateProblem

LISTED_AGENCIES = 5  # more than this and the sentence names the first few, then "等N个单位"


def compiled_from(office: str, agencies: Sequence[str]) -> str:
    """The first sentence of 一、总体情况, in the register of example 001.

    "本年度报告根据《条例》规定，由青山县人民政府办公室综合青山县民政局、青山县财政局和
    青山县教育局共3个单位的政府信息公开工作年度报告编制而成。" The report's opening paragraph
    has already introduced 《条例》 by its short name.
    """
    names = [a.strip() for a in agencies if a.strip()]
    count = len(agencies)
    if count == 1 and names:
        who = names[0]
    elif 1 < count <= LISTED_AGENCIES and len(names) == count:
        who = f"{'、'.join(names[:-1])}和{names[-1]}共{count}个单位"
    elif names:
        who = f"{'、'.join(names[:3])}等{count}个单位"
    else:
        who = f"{count}个单位"
    by = f"由{office}" if office else ""
    return f"本年度报告根据《条例》规定，{by}综合{who}的政府信息公开工作年度报告编制而成。"


def is_compiled_from(text: str) -> bool:
    """Whether ``text`` is exactly a sentence ``compiled_from`` wrote (nobody has changed it)."""
    head, tail = "本年度报告根据《条例》规定，", "的政府信息公开工作年度报告编制而成。"
    return (
        text.startswith(head)
        and text.endswith(tail)
        and "综合" in text
        and text.count("。") == 1
        and "\n" not in text
    )


# --- Why reports cannot be summed ----------------------------------------------------------

PROBLEMS = {
    "no_reports": "没有要汇总的报告。",
    "mixed_format": "{name}使用 {detail} 格式，与其他报告的格式不同：同一次汇总的报告必须格式一致。",
    "mixed_year": "{name}是 {detail} 年度的报告，与其他报告的年度不同：同一次汇总的报告必须是同一年度。",
    "wrong_year": "{name}是 {detail} 年度的报告，不是要汇总的年度。",
    "no_agency": "{name}没有填写单位名称：汇总表按单位逐行列出，每份报告都要有单位名称。",
    "duplicate_agency": "{name}与{other}是同一单位「{agency}」的报告：同一单位汇总两次会重复计数，请只保留一份。",
    "own_format": "本级报告使用 {detail} 格式，与各单位报告的格式不同，无法比对。",
    "own_year": "本级报告是 {detail} 年度的，与各单位报告的年度不同，无法比对。",
}


def describe_problem(problem: AggregateProblem, name: str, other: str = "") -> str:
    """A problem in Chinese; ``name`` names the offending report (its file), ``other`` the first
    report of a duplicated agency."""
    template = PROBLEMS.get(problem.code, "无法汇总：{code}")
    return template.format(
        code=problem.code, name=name, other=other, agency=problem.agency, detail=problem.detail
    )


# --- The compilation workbook --------------------------------------------------------------

SHEET_DIFFERENCES = "差异"
SHEET_GAPS = "缺项"
NUMBER = "序号"
AGENCY = "单位"
TOTAL = "合计"
INCOMPLETE = "（不完整）"
DIFFERENCES_HEADER = (
    "序号",
    "表格",
    "单元格",
    "单元格编号",
    "本级报告",
    "各单位合计",
    "差额（本级−合计）",
)
GAPS_HEADER = ("序号", "单位", "表格", "未填的单元格", "单元格编号")
NO_DIFFERENCES = "本级报告与各单位合计完全一致。"
BLANK = "空白"


def sheet_title(table_title: str) -> str:
    """ "三、收到和处理政府信息公开申请情况（汇总）"."""
    return f"{table_title}（汇总）"


def sheet_subtitle(agency: str, year: int, count: int, gaps: bool, blank_as_zero: bool) -> str:
    """Who compiled it, the period, how many agencies, and how blank cells were summed."""
    tail = ""
    if gaps:
        tail = "；空白单元格按 0 计入合计" if blank_as_zero else "；有单位未填的单元格，其合计留空"
    return (
        f"汇总单位：{agency or BLANK_AGENCY}　　统计期限：{period(year)}　　共 {count} 个单位{tail}"
    )


def own_row(agency: str) -> str:
    """The row holding the county's own figures under the 合计 row."""
    return f"本级报告（{agency or BLANK_AGENCY}）"


OWN_DIFFERENCE_ROW = "差额（本级−合计）"
