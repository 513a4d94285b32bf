"""Chinese wording of violations, produced from their structure.

Example: "自然人列：本年新收 193 + 上年结转 1 = 194，但办理结果总计 192 + 结转下年度 3 = 195，多了 1"
"""

from __future__ import annotations

from ..check import Term, Violation
from ..formats.model import Format
from ..rules import Number, RuleKind, Severity
from .cells import cell_name, cell_place, column_name, num, row_name

SEVERITY = {Severity.ERROR: "错误", Severity.WARNING: "提醒"}

RULE_TITLES = {
    1: "表三勾稽关系（第一项加第二项之和，等于第三项加第四项之和）",
    2: "表三（七）总计应等于各项办理结果之和",
    3: "表三每行总计应等于各类申请人之和",
    4: "表四总计应等于结果维持、结果纠正、其他结果、尚未审结之和",
    5: "件数应为非负整数，金额不能为负数",
    6: "上年结转应等于上年报告的结转下年度继续办理",
    7: "现行有效件数应等于上年现行有效件数加本年制发减本年废止",
    8: "正文中的数字应与表格一致",
    9: "只有具有规章制定权的机关才制定规章",
    10: "与上年相比变化过大",
}

TOPICS = {
    "received": "本年新收申请",
    "carried_in": "上年结转申请",
    "answered": "办理结果总计",
    "carried_out": "结转下年度继续办理",
    "review": "行政复议总计",
    "suit": "行政诉讼总计",
    "normative_issued": "本年制发规范性文件",
    "normative_in_force": "现行有效规范性文件",
}


def _term_name(fmt: Format, v: Violation, term: Term) -> str:
    cell = fmt.cells[term.cell]
    if v.kind in (RuleKind.BALANCE, RuleKind.COLUMN_TOTAL, RuleKind.CARRY):
        return cell.row_name
    if v.kind in (RuleKind.ROW_TOTAL, RuleKind.STOCK):
        return cell.col_name
    return cell_name(cell)


def _side(fmt: Format, v: Violation, terms: tuple[Term, ...], const: Number, complete: bool) -> str:
    names = [_term_name(fmt, v, t) for t in terms]
    total = sum((t.value for t in terms), start=const)
    if not complete:
        joined = names[0] if len(names) == 1 else "、".join(names[:-1]) + "和" + names[-1]
        return f"已填的{joined}合计已达 {num(total)}"
    parts = [f"{n} {num(t.value)}" for n, t in zip(names, terms, strict=True)]
    if len(parts) == 1 and not const:
        return parts[0]
    if len(parts) > 8:
        return f"{'、'.join(names[:2])}等 {len(parts)} 项之和为 {num(total)}"
    return " + ".join(parts) + f" = {num(total)}"


def _gap(v: Violation) -> str:
    diff = v.right - v.left
    return f"多了 {num(diff)}" if diff > 0 else f"少了 {num(-diff)}"


def describe(fmt: Format, v: Violation) -> str:
    """One sentence naming the rule's rows and columns, both sides' values and the difference."""
    if v.kind is RuleKind.BALANCE:
        where = f"{column_name(fmt, v.table, v.scope)}列"
        left = _side(fmt, v, v.left_terms, v.left_const, v.left_complete)
        right = _side(fmt, v, v.right_terms, v.right_const, v.right_complete)
        return f"{where}：{left}，但{right}，{_gap(v)}"
    if v.kind is RuleKind.COLUMN_TOTAL:
        where = f"{column_name(fmt, v.table, v.scope)}列"
        total = v.left_terms[0]
        name = fmt.cells[total.cell].row_name
        right = _side(fmt, v, v.right_terms, 0, v.right_complete)
        if v.right_complete:
            right = f"各项办理结果之和为 {num(v.right)}"
        return f"{where}：{name} {num(total.value)}，但{right}，{_gap(v)}"
    if v.kind is RuleKind.ROW_TOTAL:
        if v.table == "appeals":
            where = "·".join(fmt.cells[v.left_terms[0].cell].col_path[:-1])
        else:
            where = f"「{row_name(fmt, v.table, v.scope)}」行"
        right = _side(fmt, v, v.right_terms, 0, v.right_complete)
        return f"{where}：总计 {num(v.left)}，但{right}，{_gap(v)}"
    if v.kind is RuleKind.VALUE:
        cell = fmt.cells[v.scope]
        why = "不能为负数" if v.left < 0 else "是件数，应为整数"
        return f"{cell_place(fmt, v.scope)}填的是 {num(v.left)}：{why}"
    if v.kind is RuleKind.CARRY:
        where = f"{column_name(fmt, v.table, v.scope)}列"
        return (
            f"{where}：本年上年结转 {num(v.left)}，但上年报告的结转下年度继续办理为 "
            f"{num(v.right)}，相差 {num(_abs(v.left - v.right))}"
        )
    if v.kind is RuleKind.STOCK:
        stock, outflow = v.left_terms
        inflow = v.right_terms[0]
        expected = v.right_const + inflow.value - outflow.value
        return (
            f"{row_name(fmt, v.table, v.scope)}：现行有效 {num(stock.value)}，按上年现行有效 "
            f"{num(v.right_const)} + 本年制发 {num(inflow.value)} − 本年废止 {num(outflow.value)} "
            f"应为 {num(expected)}，相差 {num(_abs(stock.value - expected))}"
            "（有修订或自然失效的，确认即可）"
        )
    if v.kind is RuleKind.RULE_MAKING:
        filled = "、".join(f"{fmt.cells[t.cell].col_name} {num(t.value)}" for t in v.left_terms)
        return (
            f"表二「规章」行填了{filled}：只有国务院部门和省、自治区、直辖市及设区的市人民政府等"
            "有规章制定权，一般县级及以下机关应填 0，请确认"
        )
    if v.kind is RuleKind.SWING:
        ratio = "十倍以上" if v.left > v.right else "不到十分之一"
        cell = fmt.cells[v.scope]
        unit = f"（单位：{cell.unit}，是否按元填写了？）" if cell.unit else ""
        return (
            f"{cell_place(fmt, v.scope)}为 {num(v.left)}，是上年 {num(v.right)} 的{ratio}"
            f"{unit}，请确认没有填错"
        )
    if v.kind is RuleKind.NARRATIVE:
        topic = TOPICS.get(v.topic, v.topic)
        return (
            f"正文写的「{_short(v.quote)}」中是 {num(v.left)} 件，但表格中{topic}为 "
            f"{num(v.right)} 件，相差 {num(_abs(v.left - v.right))}"
        )
    return f"规则 {v.number} 不满足"


def _abs(value: Number) -> Number:
    return -value if value < 0 else value


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_full(fmt: Format, v: Violation) -> str:
    """ "【错误·规则1】…" with the rule's title, for lists and reports."""
    return f"【{SEVERITY[v.severity]}·规则{v.number}】{describe(fmt, v)}"
