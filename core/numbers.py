"""Reading the numbers people type on a phone: counts, 本年增/减, amounts and whole table rows.

Every parser takes the raw message text and either returns a value or raises ``InputError`` with a
``code`` (see ``CODES``) and ``params``; ``core.wording.input_errors.describe`` turns that into the
Chinese reply. Nothing here guesses silently: an answer that could mean two things is rejected with
a code that makes the caller ask again.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Context, Decimal
from typing import Final

import cn2an

__all__ = [
    "CODES",
    "LIMIT",
    "Amount",
    "InputError",
    "RowEntry",
    "format_number",
    "normalize",
    "parse_amount",
    "parse_count",
    "parse_signed",
    "split_row",
]

CODES: Final = frozenset(
    {
        "empty",
        "negative",
        "decimal",
        "exponent",
        "several",
        "too_large",
        "too_precise",
        "not_a_number",
        "unknown_unit",
        "ambiguous_unit",
        "count_mismatch",
        "unknown_column",
        "duplicate_column",
        "mixed_entry",
        "missing_value",
    }
)
"""Every ``InputError.code`` this module raises; each has a sentence in the wording module."""

LIMIT: Final = 10**12
"""Largest magnitude accepted (in the asked unit); anything bigger is a typing slip."""


class InputError(ValueError):
    """A typed answer that cannot be accepted; ``code`` and ``params`` say why.

    The sentences live in ``core.wording.input_errors``.
    """

    code: str
    params: dict[str, object]

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(f"{code} {params!r}" if params else code)
        self.code = code
        self.params = dict(params)


@dataclass(frozen=True)
class Amount:
    """A parsed amount.

    Attributes:
        value: The amount in the unit that was asked for, normalised (``Decimal("12.5")``).
        converted_from: The unit the user typed when it differs from the asked unit ("元").
        typed: What the user typed, normalised, for replies like "已按 125000元 = 12.5万元 记录".
    """

    value: Decimal
    converted_from: str | None
    typed: str


@dataclass(frozen=True)
class RowEntry:
    """One message split into the values of a table row.

    Attributes:
        values: Column key -> raw text of its value, in column order; parsed by the caller.
        named: True when the user named the columns; unnamed columns are then "0".
    """

    values: dict[str, str]
    named: bool


# --- normalisation ----------------------------------------------------------------------------

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
# NFKC leaves these alone, yet on phones they are what a minus key or an IME produces.
_MINUS = str.maketrans(dict.fromkeys("\u2212\u2012\u2013\u2014\u2010\u2011", "-"))
# A few traditional forms that cn2an understands but our own character tests would not.
_TRADITIONAL = str.maketrans("萬億兩貳參陸", "万亿两贰叁陆")


def normalize(text: str) -> str:
    """NFKC-normalise, map minus look-alikes to "-", drop zero-width characters, strip.

    Full-width digits, letters and punctuation become ASCII ("１２" -> "12", "，" -> ",").
    """
    text = unicodedata.normalize("NFKC", text.translate(_ZERO_WIDTH))
    return text.translate(_MINUS).strip()


def _clean(text: str) -> str:
    # A Chinese full stop at the end is just how people finish a message.
    return normalize(text).translate(_TRADITIONAL).rstrip("。").rstrip()


def _short(text: str) -> str:
    return text if len(text) <= 20 else text[:19] + "…"


# --- numerals ---------------------------------------------------------------------------------

# Enough precision that no arithmetic below ever rounds: inputs are capped at _MAX_DIGITS digits
# on each side of the point and multiplied or divided by powers of ten only.
_CTX: Final = Context(prec=100)
_MAX_DIGITS: Final = 30

_CN_DIGITS: Final = {
    **dict.fromkeys("零〇", 0),
    **dict.fromkeys("一壹幺", 1),
    **dict.fromkeys("二两贰", 2),
    **dict.fromkeys("三叁", 3),
    **dict.fromkeys("四肆", 4),
    **dict.fromkeys("五伍", 5),
    **dict.fromkeys("六陆", 6),
    **dict.fromkeys("七柒", 7),
    **dict.fromkeys("八捌", 8),
    **dict.fromkeys("九玖", 9),
}
_CN_CHARS: Final = frozenset(_CN_DIGITS) | frozenset("十拾百佰千仟万亿廿")
_CN_CLASS: Final = "".join(sorted(_CN_CHARS))
# Longest first, so "万亿" is not read as "亿".
_MULTIPLIERS: Final = (("万亿", 10**12), ("亿", 10**8), ("万", 10**4))

_ASCII_NUMBER = re.compile(
    r"(?P<int>[0-9]+(?:(?P<sep>[, ])[0-9]{3}(?:(?P=sep)[0-9]{3})*)?)?"
    r"(?:\.(?P<frac>[0-9]*))?"
    r"(?P<mult>万亿|千|万|亿)?"
)
_EXPONENT = re.compile(r"[0-9](?:\s*[eE]\s*[+-]?|\^|\*\*)[0-9]")
_SEPARATORS = re.compile(r"[\s,、;/|]+")
# an2cn writes 900002762 as "九亿二千七百六十二" (no 零 after 亿), which cn2an then refuses.
_MISSING_ZERO_AFTER_YI = re.compile(r"亿(?=[一二三四五六七八九两壹贰叁肆伍陆柒捌玖][千仟][^万]*$)")

_NUMBER_START: Final = frozenset("0123456789.+-") | _CN_CHARS | frozenset("增减负正点")


@dataclass(frozen=True)
class _Ctx:
    """Which parser is reading which text: every error carries it for the wording."""

    kind: str  # "count", "signed", "amount" or "row"
    text: str
    unit: str = ""

    def error(self, code: str, **params: object) -> InputError:
        if self.unit:
            params.setdefault("unit", self.unit)
        return InputError(code, kind=self.kind, **params)


def _unreadable(body: str, ctx: _Ctx) -> InputError:
    """The most helpful error for text that is not one number."""
    if _EXPONENT.search(body):
        return ctx.error("exponent")
    parts = [part for part in _SEPARATORS.split(body) if part]
    if sum(part[0] in _NUMBER_START for part in parts) >= 2:
        return ctx.error("several")
    return ctx.error("not_a_number", text=_short(ctx.text))


def _quantity(body: str, ctx: _Ctx) -> Decimal:
    """A non-negative number, exactly: "1,234.5", "1 234", "1.2万", "十二", "十二点五万"."""
    m = _ASCII_NUMBER.fullmatch(body)
    if m and (m["int"] or m["frac"]):
        digits = (m["int"] or "0").replace(",", "").replace(" ", "").lstrip("0") or "0"
        frac = (m["frac"] or "").rstrip("0")
        _check_size(digits, frac, ctx)
        value = Decimal(f"{digits}.{frac or '0'}")
        if m["mult"]:
            factor = 1000 if m["mult"] == "千" else dict(_MULTIPLIERS)[m["mult"]]
            value = _CTX.multiply(value, Decimal(factor))
        return value
    if body and all(c in _CN_CHARS or c == "点" for c in body):
        return _chinese(body, ctx)
    raise _unreadable(body, ctx)


def _check_size(digits: str, frac: str, ctx: _Ctx) -> None:
    if len(digits) > _MAX_DIGITS:
        raise ctx.error("too_large", limit=LIMIT)
    if len(frac) > _MAX_DIGITS:
        raise ctx.error("too_precise" if ctx.kind == "amount" else "decimal")


def _chinese(body: str, ctx: _Ctx) -> Decimal:
    """Chinese numerals, with an optional 点 fraction and a 万/亿 after it ("十二点五万")."""
    if body.count("点") > 1:
        raise _unreadable(body, ctx)
    int_text, point, frac_text = body.partition("点")
    if not point:
        return Decimal(_chinese_integer(body, ctx))
    factor = 1
    for word, size in _MULTIPLIERS:
        if frac_text.endswith(word):
            frac_text, factor = frac_text[: -len(word)], size
            break
    if any(c not in _CN_DIGITS for c in frac_text) or not (int_text or frac_text):
        raise _unreadable(body, ctx)
    frac = "".join(str(_CN_DIGITS[c]) for c in frac_text).rstrip("0")
    integer = _chinese_integer(int_text, ctx) if int_text else 0
    _check_size(str(integer), frac, ctx)
    return _CTX.multiply(Decimal(f"{integer}.{frac or '0'}"), Decimal(factor))


def _chinese_integer(text: str, ctx: _Ctx) -> int:
    for attempt in (text, _MISSING_ZERO_AFTER_YI.sub("亿零", text)):
        try:
            value = cn2an.cn2an(attempt, "normal")
        # cn2an reports some malformed numerals with KeyError rather than ValueError.
        except (ValueError, LookupError, ArithmeticError):
            continue
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    raise _unreadable(text, ctx)


# --- counts and signed counts -----------------------------------------------------------------

_COUNT_UNITS = re.compile(r"\s*(?:人次|件|个|项|条|次|份|篇|家|人)$")
_COUNT_ZERO: Final = frozenset({"0", "零", "〇", "无", "没有", "没", "暂无"})
_SIGNED_ZERO: Final = _COUNT_ZERO | frozenset(
    {"不变", "持平", "无变化", "没有变化", "没变化", "没变", "未变", "±0"}
)
_COUNT_SIGNS: Final = (("+", 1), ("-", -1), ("负", -1), ("正", 1))
# Longest first: "增加" before "增".
_SIGNED_SIGNS: Final = (
    ("增加了", 1),
    ("减少了", -1),
    ("增加", 1),
    ("增长", 1),
    ("上升", 1),
    ("减少", -1),
    ("下降", -1),
    ("增", 1),
    ("减", -1),
    *_COUNT_SIGNS,
)


def _split_sign(text: str, signs: Sequence[tuple[str, int]]) -> tuple[int, str]:
    for word, sign in signs:
        if text.startswith(word):
            return sign, text[len(word) :].lstrip()
    return 1, text


def _integer(text: str, ctx: _Ctx, signs: Sequence[tuple[str, int]], zero: frozenset[str]) -> int:
    if not text:
        raise ctx.error("empty")
    if _COUNT_UNITS.sub("", text) in zero:
        return 0
    sign, body = _split_sign(text, signs)
    body = _COUNT_UNITS.sub("", body)
    magnitude = _quantity(body, ctx)
    if sign < 0 and magnitude and ctx.kind == "count":
        raise ctx.error("negative")
    if magnitude != magnitude.to_integral_value():
        raise ctx.error("decimal")
    if magnitude > LIMIT:
        raise ctx.error("too_large", limit=LIMIT)
    return sign * int(magnitude)


def parse_count(text: str) -> int:
    """A non-negative whole count: "12", "１２", "1,234", "一百零三", "12件", "无".

    Raises:
        InputError: empty, negative, decimal, exponent, several, too_large or not_a_number.
    """
    cleaned = _clean(text)
    # The common case, a plain "193", should not pay for regexes or cn2an.
    if len(cleaned) <= 12 and cleaned.isascii() and cleaned.isdigit():
        return int(cleaned)
    return _integer(cleaned, _Ctx("count", cleaned), _COUNT_SIGNS, _COUNT_ZERO)


def parse_signed(text: str) -> int:
    """A gov-2019 本年增/减 value: "增12" -> 12, "减13" -> -13, "-8", "不变" -> 0.

    Raises:
        InputError: empty, decimal, exponent, several, too_large or not_a_number.
    """
    cleaned = _clean(text)
    return _integer(cleaned, _Ctx("signed", cleaned), _SIGNED_SIGNS, _SIGNED_ZERO)


# --- amounts ----------------------------------------------------------------------------------

_UNIT_SIZES: Final = {"元": 1, "千元": 10**3, "万元": 10**4, "亿元": 10**8, "万亿元": 10**12}
_AMOUNT_UNITS: Final = {
    "元": "元",
    "圆": "元",
    "块": "元",
    "块钱": "元",
    "千元": "千元",
    "万": "万元",
    "万元": "万元",
    "亿": "亿元",
    "亿元": "亿元",
    "万亿": "万亿元",
    "万亿元": "万亿元",
}
# Places kept in each asked unit: both are 分, the smallest unit of money.
_PLACES: Final = {"万元": 6, "元": 2}
_AMOUNT_ZERO: Final = frozenset({"0", "零", "〇", "无", "没有", "暂无"})
_ASCII_AMOUNT = re.compile(r"(?P<num>[0-9.][0-9., ]*?)\s*(?P<suffix>[^0-9., ][^0-9]*)?")
_CHINESE_AMOUNT = re.compile(rf"(?P<num>[{_CN_CLASS}点]+)\s*(?P<suffix>[^0-9]*)")
# A bare number this big cannot sensibly be 万元: people typed 元 without saying so.
_AMBIGUOUS_WAN: Final = Decimal(10_000)


def parse_amount(text: str, unit: str) -> Amount:
    """A non-negative amount in ``unit`` ("万元" or "元"), converting units the user typed.

    "12.5", "12.5万元", "125000元", "125,000元", "31.17亿元", "十二万元", "无" are all accepted.
    A bare number is taken in ``unit`` unless that is implausible, in which case the user is asked
    to say the unit rather than have it guessed.

    Raises:
        InputError: empty, negative, exponent, several, not_a_number, too_large, too_precise,
            unknown_unit or ambiguous_unit.
        ValueError: ``unit`` is not "万元" or "元" (a programming error, not the user's).
    """
    if unit not in _PLACES:
        raise ValueError(f"amounts are asked in 万元 or 元, not {unit!r}")
    typed = _clean(text)
    ctx = _Ctx("amount", typed, unit)
    if not typed:
        raise ctx.error("empty")
    if typed in _AMOUNT_ZERO:
        return Amount(Decimal(0), None, typed)
    sign, rest = _split_sign(typed, _COUNT_SIGNS)

    typed_unit: str | None = None
    factor = 1
    if m := _ASCII_AMOUNT.fullmatch(rest):
        number, suffix = m["num"].rstrip(), m["suffix"] or ""
    elif m := _CHINESE_AMOUNT.fullmatch(rest):
        number, suffix = m["num"], m["suffix"]
    else:
        raise _unreadable(rest, ctx)
    if suffix:
        if suffix not in _AMOUNT_UNITS:
            raise ctx.error("unknown_unit", unit=suffix)
        typed_unit = _AMOUNT_UNITS[suffix]
        factor = _UNIT_SIZES[typed_unit]
    quantity = _quantity(number, ctx)
    if typed_unit in (None, "元") and number[-1] in "万亿" and number[0] in _CN_CHARS:
        # "十二万", "十二万元": the numeral already counts in 元 and names its own scale.
        typed_unit = next(w for w, _ in _MULTIPLIERS if number.endswith(w)) + "元"
        factor = 1

    if sign < 0 and quantity:
        raise ctx.error("negative")
    if typed_unit is None:
        value = quantity
        if unit == "万元" and value >= _AMBIGUOUS_WAN:
            raise ctx.error("ambiguous_unit", value=_tidy(value))
    else:
        yuan = _CTX.multiply(quantity, Decimal(factor))
        value = _CTX.divide(yuan, Decimal(_UNIT_SIZES[unit]))
    value = _tidy(value)
    if value > LIMIT:
        raise ctx.error("too_large", limit=LIMIT)
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite by construction
    if -exponent > _PLACES[unit]:
        raise ctx.error("too_precise", places=_PLACES[unit])
    converted = typed_unit if typed_unit not in (None, unit) else None
    return Amount(value, converted, typed)


def _tidy(value: Decimal) -> Decimal:
    """No exponent, no trailing zeros, no negative zero: 12.50 -> 12.5, 1.2E+5 -> 120000."""
    if not value:
        return Decimal(0)
    return Decimal(format(value.normalize(_CTX), "f"))


def format_number(value: int | Decimal) -> str:
    """A number for replies and files: "12", "12.5", "1234" - no separators, no exponent."""
    if isinstance(value, int):
        return str(value)
    if not value.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return format(_tidy(value), "f")


# --- rows -------------------------------------------------------------------------------------

_ROW_SEPARATORS: Final = frozenset(" \t\r\n\v\f,、;/|")
_ASSIGN: Final = frozenset(":=")
_ROW_ZERO: Final = frozenset({"0", "零", "〇", "无"})
# Only the Chinese ones: a lone "-" is how some people write "nothing" in a table cell.
_SIGN_WORDS: Final = frozenset(w for w, _ in _SIGNED_SIGNS if w not in {"+", "-", "负", "正"})
_UNIT_WORDS: Final = frozenset(_AMOUNT_UNITS) | frozenset(
    {"人次", "件", "个", "项", "条", "次", "份", "篇", "家", "人"}
)
# Characters a value can start with ("193", "增12", "-3", "一百零三", "无", "不变", "持平").
_VALUE_START: Final = _NUMBER_START | frozenset("无没不持暂±")
_DIGITS: Final = frozenset("0123456789")
_THOUSANDS = re.compile(r"[0-9]{3}(?![0-9])")


@dataclass
class _Word:
    text: str
    assign: bool = False  # followed by ":" or "=", so it was meant as a column name


@dataclass(frozen=True)
class _Name:
    key: str
    typed: str


def split_row(text: str, columns: Sequence[tuple[str, Sequence[str]]]) -> RowEntry:
    """Split one message answering a whole row into raw values per column.

    Positional ("193 19 0 0 0 12") or named ("自然人193 商业企业19", "自然人：193，其他：12").
    Values are not parsed, only split, so "增12", "12.5万元" and "一百零三" stay whole.

    Args:
        text: The message.
        columns: The row's columns in order: (key, names a person may type for it).

    Raises:
        InputError: empty, count_mismatch, unknown_column, duplicate_column, mixed_entry or
            missing_value.
    """
    cleaned = _clean(text)
    names = tuple(labels[0] if labels else key for key, labels in columns)
    ctx = _Ctx("row", cleaned)

    def error(code: str, **params: object) -> InputError:
        return ctx.error(code, columns=len(columns), names=names, **params)

    lookup = sorted(
        ((_clean(name), key) for key, aliases in columns for name in aliases if name.strip()),
        key=lambda item: -len(item[0]),
    )
    segments = _segments(cleaned, lookup, single=len(columns) == 1)
    if not segments:
        raise error("empty")

    named: dict[str, str] = {}
    positional: list[str] = []
    i = 0
    while i < len(segments):
        seg = segments[i]
        i += 1
        if isinstance(seg, _Name):
            value = segments[i] if i < len(segments) else None
            if not isinstance(value, _Word) or value.assign:
                raise error("missing_value", name=seg.typed)
            i += 1
            if label := _label(value.text):
                # "其他法人12" where only "其他" is a column: the name was longer than any known.
                raise error("unknown_column", name=seg.typed + label)
            if seg.key in named:
                raise error("duplicate_column", name=seg.typed)
            named[seg.key] = value.text
        elif seg.assign:
            raise error("unknown_column", name=seg.text)
        elif label := _label(seg.text):
            raise error("unknown_column", name=label)
        else:
            positional.append(seg.text)

    if named:
        if positional:
            raise error("mixed_entry")
        return RowEntry({key: named.get(key, "0") for key, _ in columns}, named=True)
    if len(positional) == 1 and len(columns) > 1 and positional[0] in _ROW_ZERO:
        return RowEntry(dict.fromkeys((key for key, _ in columns), "0"), named=False)
    if len(positional) != len(columns):
        raise error("count_mismatch", expected=len(columns), got=len(positional))
    return RowEntry(
        {key: value for (key, _), value in zip(columns, positional, strict=True)}, False
    )


def _match_name(text: str, at: int, lookup: Sequence[tuple[str, str]]) -> tuple[str, str] | None:
    for name, key in lookup:
        if text.startswith(name, at):
            return name, key
    return None


def _segments(text: str, lookup: Sequence[tuple[str, str]], *, single: bool) -> list[_Word | _Name]:
    """Column names and value words, in order, with stray sign and unit words rejoined."""
    segments: list[_Word | _Name] = []
    n, i = len(text), 0
    while i < n:
        if text[i] in _ROW_SEPARATORS or text[i] in _ASSIGN:
            i += 1
            continue
        if found := _match_name(text, i, lookup):
            segments.append(_Name(found[1], found[0]))
            i += len(found[0])
            continue
        # Thousands separators are only unambiguous where one number is expected: a one-column
        # row, or the value right after a column name.
        grouped = single or bool(segments and isinstance(segments[-1], _Name))
        j = i
        while j < n:
            c = text[j]
            if grouped and c in ", " and text[j - 1] in _DIGITS and _THOUSANDS.match(text, j + 1):
                j += 1
                continue
            if c in _ROW_SEPARATORS or c in _ASSIGN:
                break
            if j > i and c not in _DIGITS and _match_name(text, j, lookup):
                break
            j += 1
        k = j
        while k < n and text[k] in " \t":
            k += 1
        segments.append(_Word(text[i:j], assign=k < n and text[k] in _ASSIGN))
        i = j
    return _rejoin(segments)


def _rejoin(segments: list[_Word | _Name]) -> list[_Word | _Name]:
    # "增 12" and "12 件" were split by a space but are one value each.
    out: list[_Word | _Name] = []
    carry = ""
    for seg in segments:
        if isinstance(seg, _Word) and not seg.assign:
            if seg.text in _SIGN_WORDS:
                carry += seg.text
                continue
            last = out[-1] if out else None
            if seg.text in _UNIT_WORDS and not carry and isinstance(last, _Word):
                last.text += seg.text
                continue
            seg = _Word(carry + seg.text)
            carry = ""
        elif carry:
            out.append(_Word(carry))
            carry = ""
        out.append(seg)
    if carry:
        out.append(_Word(carry))
    return out


def _label(word: str) -> str:
    """The unknown column name at the start of a word like "法人12", else ""."""
    for i, c in enumerate(word):
        if c in _VALUE_START:
            return word[:i]
    return ""
