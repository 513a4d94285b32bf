"""Chinese wording for problems reading an answers file."""

from __future__ import annotations

from ..answers import Problem

MESSAGES = {
    "not_json": "不是有效的 JSON 文件（{detail}）：请检查文件是否完整、是否为答案文件。",
    "not_object": "{where}应为 JSON 对象（花括号括起的键值对）。",
    "missing_key": "缺少必填项「{where}」。",
    "unknown_key": "有不认识的项「{where}」：答案文件只能包含 format、agency、year、cells、texts、contact。",
    "unknown_format": "格式「{detail}」无效：应为 gov-2021 或 gov-2019。",
    "bad_year": "年度「{detail}」无效：应为四位数年份，例如 2025。",
    "format_year_mismatch": "格式与年度不符（{detail}）：2019、2020 年度用 gov-2019，2021 年起用 gov-2021。",
    "bad_agency": "单位名称应为不超过 200 字的文字。",
    "unknown_cell": "没有编号为「{where}」的单元格：请对照格式说明中的单元格编号。",
    "not_a_number": "单元格「{where}」的值「{detail}」不是数字。",
    "not_a_string": "「{where}」应为文字（且不超过 5 万字）。",
    "too_long": "「{where}」太长：最多 {detail} 个字，请删减后再导入。",
    "not_found": "找不到文件：{where}",
    "unreadable": "无法读取文件 {where}：{detail}",
}


def describe_problem(p: Problem) -> str:
    return MESSAGES.get(p.code, "文件有误：{code} {where}").format(
        code=p.code, where=p.where, detail=p.detail
    )
