"""Chinese replies to typed answers that ``core.numbers`` could not accept.

Every sentence is in ``MESSAGES``, one template per ``InputError.code``. Templates are filled from
the error's params plus a few words that depend on what was being read (a count, a 增/减, an amount
or a whole row), so one template serves every parser that raises the code.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Final

from ..numbers import InputError, format_number

MESSAGES: Final[Mapping[str, str]] = {
    "empty": "没有收到内容：请发送{thing}，例如「{example}」。",
    "negative": "不能是负数：请输入 0 或{positive}，例如 {example}。",
    "decimal": "这里需要{whole}，不能有小数：请输入例如 {example}。",
    "exponent": "不能用科学计数法（如 1e9）：请直接写出完整的数，例如 {example}。",
    "several": "这里只要一个数，您发送了好几个：请只发送一个数，例如 {example}。",
    "too_large": (
        "这个数太大了（超过 1 万亿{unit}），可能多打了数字{unit_slip}：请核对后重新发送，"
        "例如 {example}。"
    ),
    "too_precise": (
        "小数位数太多：按{unit}计最多保留 {places} 位小数（即精确到分），请核对后重新发送，"
        "例如 {example}。"
    ),
    "not_a_number": "没能识别「{text}」：请发送{thing}，例如 {example}；{zero}。",
    "unknown_unit": (
        "无法识别单位「{unit}」：金额请用元、万元或亿元，例如「12.5万元」或「125000元」。"
    ),
    "ambiguous_unit": (
        "「{value}」按{unit}计是 {as_yi} 亿元，单位可能有误：请带上单位重新发送，"
        "例如「{value}元」或「{as_wan}万元」。"
    ),
    "count_mismatch": (
        "这一行有 {expected} 列，您发送了 {got} 个数：请按顺序发送 {expected} 个数，"
        "例如「{row_example}」，或写明列名，例如「{named_example}」。"
    ),
    "unknown_column": (
        "这一行没有「{name}」这一列：请用这些列名：{known}；"
        "也可以不写列名，按顺序发送 {columns} 个数。"
    ),
    "duplicate_column": "「{name}」写了两次：每一列只写一次，例如「{named_example}」。",
    "mixed_entry": (
        "有的数写了列名，有的没写：请全部写明列名，例如「{named_example}」，"
        "或全部不写列名、按顺序发送 {columns} 个数，例如「{row_example}」。"
    ),
    "missing_value": "「{name}」后面没有数：请把数直接写在列名后面，例如「{name}12」。",
}
"""The one place for the wording: ``InputError.code`` -> template."""

# Words that depend on what was being read; filled into the templates above.
_KIND_WORDS: Final[Mapping[str, Mapping[str, str]]] = {
    "count": {
        "thing": "一个整数",
        "example": "12",
        "positive": "正整数",
        "whole": "整数件数",
        "zero": "没有请发 0",
    },
    "signed": {
        "thing": "增减数",
        "example": "增12",
        "positive": "正整数",
        "whole": "整数",
        "zero": "没有变化请发 0",
    },
    "amount": {
        "thing": "金额",
        "example": "12.5",
        "positive": "正数",
        "whole": "整数",
        "zero": "没有请发 0",
        "unit_slip": "或写错了单位",
    },
    "row": {
        "thing": "这一行的数",
        "example": "193 19 0 0 0 12",
        "positive": "正整数",
        "whole": "整数",
        "zero": "没有请发 0",
    },
}
_AMOUNT_EXAMPLES: Final = {"万元": "12.5万元", "元": "3000元"}
_ROW_SAMPLE: Final = ("193", "19", "0", "0", "0", "12")
_NAMED_SAMPLE: Final = ("自然人", "商业企业")
_GENERIC: Final = "这个回答无法识别：请按提示重新发送。"


def describe(error: InputError, *, expected: str = "") -> str:
    """One Simplified-Chinese sentence saying what was wrong and what to send instead.

    Args:
        error: The error raised by a ``core.numbers`` parser.
        expected: What the question asks for ("本年新收申请的件数"); added as a reminder.
    """
    template = MESSAGES.get(error.code, _GENERIC)
    message = template.format_map(_Fields(_fields(error)))
    if expected:
        message += f"本题要填的是：{expected.rstrip('。')}。"
    return message


class _Fields(dict[str, str]):
    """Template fields; a field an unusual caller left out reads as nothing, not a crash."""

    def __missing__(self, key: str) -> str:
        return ""


def _fields(error: InputError) -> dict[str, str]:
    params = error.params
    kind = str(params.get("kind", "count"))
    fields = dict(_KIND_WORDS.get(kind, _KIND_WORDS["count"]))
    fields.update({name: _text(value) for name, value in params.items()})
    unit = str(params.get("unit", ""))
    if kind == "amount" and unit in _AMOUNT_EXAMPLES:
        fields["example"] = _AMOUNT_EXAMPLES[unit]
    if error.code == "too_large" and kind != "amount":
        fields["unit"] = ""

    value = params.get("value")
    if error.code == "ambiguous_unit" and isinstance(value, int | Decimal):
        # The bare number read in the asked 万元 is this many 亿元; read as 元 it is this many 万元.
        fields["as_yi"] = format_number(Decimal(value) / 10_000)
        fields["as_wan"] = format_number(Decimal(value) / 10_000)

    columns = params.get("columns", params.get("expected"))
    count = columns if isinstance(columns, int) and columns > 0 else len(_ROW_SAMPLE)
    fields["row_example"] = " ".join(_row_sample(count))
    if kind == "row":
        fields["example"] = fields["row_example"]
    names = params.get("names")
    labels = [str(n) for n in names] if isinstance(names, tuple | list) and names else []
    fields["known"] = "".join(f"「{label}」" for label in labels[:8]) or "表中的列名"
    if len(labels) > 8:
        fields["known"] += "等"
    shown = labels[:2] if labels else list(_NAMED_SAMPLE)
    fields["named_example"] = " ".join(
        f"{label}{n}" for label, n in zip(shown, _ROW_SAMPLE, strict=False)
    )
    return fields


def _row_sample(count: int) -> tuple[str, ...]:
    if count <= len(_ROW_SAMPLE):
        return _ROW_SAMPLE[:count]
    return _ROW_SAMPLE + ("0",) * (count - len(_ROW_SAMPLE))


def _text(value: object) -> str:
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return format_number(value)
    if isinstance(value, tuple | list):
        return "、".join(map(str, value))
    return str(value)
