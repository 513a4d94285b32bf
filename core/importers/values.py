"""What one printed value cell holds: a number, a blank, a "/" or unreadable text.

Numbers are read with ``core.numbers`` as if typed: "增12", "减4", "+3", "1,234", "一百零三",
"103.3879万元", "251000元". A table states its unit in the column label, so a bare number in
the 万元 column is taken in 万元 whatever its size. Values the rules forbid (a negative count, a
decimal count) are kept as read so that rule 5 reports them, not silently dropped.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ..formats.model import Cell, Kind
from ..numbers import InputError, normalize, parse_amount, parse_count, parse_signed
from ..rules import Number
from .labels import fold
from .model import CellSource, Status

SLASHES = frozenset({"/", "\\", "-", "--", "—", "——", "–", "_", "×", "x", "X", "——/"})
_PLAIN = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_VALUEISH = re.compile(
    r"^(?:增加?|减少?|[+-])?\s*(?:\d[\d,\s]*(?:\.\d+)?|\.\d+)\s*"
    r"(?:件|个|项|条|次|份|元|万元|亿元|千元|万|亿|%)?$"
    r"|^[零〇一二两三四五六七八九十百千万亿点]{1,10}(?:件|个|项|元|万元|亿元)?$"
    r"|^(?:无|没有|暂无|不变|持平|增|减)$"
)


def clean(text: str) -> str:
    """The cell's text on one line, without spaces around it."""
    return re.sub(r"\s*\n\s*", "", text).strip(" \t\u3000\u00a0")


def is_blank(text: str) -> bool:
    return not clean(text).replace("\u200b", "")


def is_slash(text: str) -> bool:
    return fold(clean(text)).replace(" ", "") in SLASHES


def looks_like_value(text: str) -> bool:
    """Blank, "/" or something a number can be read from."""
    t = fold(clean(text))
    return not t or t.replace(" ", "") in SLASHES or bool(_VALUEISH.match(t))


def read_value(cell: Cell, text: str) -> CellSource:
    """The cell's status and value."""
    shown = clean(text)
    if is_blank(shown):
        return CellSource(Status.BLANK, "")
    if is_slash(shown):
        return CellSource(Status.SLASH, shown)
    try:
        value, unit = _parse(cell, shown)
    except (InputError, InvalidOperation, ValueError, ArithmeticError):
        return CellSource(Status.UNREADABLE, shown)
    return CellSource(Status.VALUE, shown, value, unit)


def _parse(cell: Cell, text: str) -> tuple[Number, str]:
    if cell.kind is Kind.AMOUNT:
        return _amount(cell.unit or "元", text)
    if cell.kind is Kind.SIGNED:
        return parse_signed(text), ""
    try:
        return parse_count(text), ""
    except InputError as exc:
        # A negative or decimal count is a rule-5 error of the report, not an unreadable cell.
        plain = normalize(text).replace(",", "")
        if exc.code in ("negative", "decimal") and _PLAIN.match(plain):
            return _number(Decimal(plain)), ""
        if exc.code == "negative":
            return parse_signed(text), ""
        raise


def _amount(unit: str, text: str) -> tuple[Number, str]:
    plain = normalize(text).replace(",", "")
    negative = plain.startswith("-")
    body = plain.lstrip("+-").strip()
    if _PLAIN.match(body):
        body += unit  # the column label states the unit
    amount = parse_amount(body, unit)
    value = _number(-amount.value if negative else amount.value)
    return value, amount.converted_from or ""


def _number(value: Decimal) -> Number:
    return int(value) if value == value.to_integral_value() else value.normalize()
