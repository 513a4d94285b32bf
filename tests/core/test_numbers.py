"""Parsing what people type on a phone: counts, 增/减, amounts and whole rows."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import cn2an
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import numbers
from core.numbers import (
    CODES,
    Amount,
    InputError,
    RowEntry,
    format_number,
    normalize,
    parse_amount,
    parse_count,
    parse_signed,
    split_row,
)
from core.wording.input_errors import MESSAGES, describe

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

# --- normalize --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("１２", "12"),
        ("  12  ", "12"),
        ("\u300012\u3000", "12"),
        ("１，２３４", "1,234"),
        ("\u221212", "-12"),
        ("－12", "-12"),
        ("—12", "-12"),
        ("1\u200b2", "12"),
        ("\ufeff12\u200d", "12"),
        ("\u200c", ""),
        ("ＡＢＣ", "ABC"),
        ("自然人：193；其他：12", "自然人:193;其他:12"),
        ("十二万元", "十二万元"),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


# --- parse_count ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        ("0", 0),
        ("193", 193),
        ("１２", 12),
        (" 12 ", 12),
        ("12。", 12),
        ("1,234", 1234),
        ("1，234", 1234),
        ("1 234", 1234),
        ("1\u00a0234", 1234),
        ("1,234,567", 1234567),
        ("1 234 567", 1234567),
        ("1234,567", 1234567),
        ("+3", 3),
        ("12.0", 12),
        ("十二", 12),
        ("一百零三", 103),
        ("两千", 2000),
        ("一万二千", 12000),
        ("一万二", 12000),
        ("零", 0),
        ("〇", 0),
        ("十", 10),
        ("一千零五十", 1050),
        ("二十万零三", 200003),
        ("壹佰", 100),
        ("兩千", 2000),
        ("九亿二千七百六十二", 900002762),
        ("一万亿", 10**12),
        ("12件", 12),
        ("12 件", 12),
        ("十二个", 12),
        ("3项", 3),
        ("5条", 5),
        ("7次", 7),
        ("零件", 0),
        ("0件", 0),
        ("无", 0),
        ("没有", 0),
        ("3万", 30000),
        ("1.5万", 15000),
        ("1000000000000", 10**12),
        ("-0", 0),
    ],
)
def test_parse_count_accepts(text: str, expected: int) -> None:
    assert parse_count(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("\u200b", "empty"),
        ("。", "empty"),
        ("-3", "negative"),
        ("−3", "negative"),
        ("－3", "negative"),
        ("负三", "negative"),
        ("-3.5", "negative"),
        ("3.5", "decimal"),
        ("三点五", "decimal"),
        ("1,234.5", "decimal"),
        ("1.23456万", "decimal"),
        ("1e9", "exponent"),
        ("1E3", "exponent"),
        ("1.5e3", "exponent"),
        ("10^9", "exponent"),
        ("12 13", "several"),
        ("12、13", "several"),
        ("12,13", "several"),
        ("1,23", "several"),
        ("1,2345", "several"),
        ("12；13", "several"),
        ("十二 十三", "several"),
        ("12件 13件", "several"),
        ("1000000000001", "too_large"),
        ("10000000000000", "too_large"),
        ("一千万亿", "too_large"),
        ("9" * 40, "too_large"),
        ("abc", "not_a_number"),
        ("增12", "not_a_number"),
        ("十二十", "not_a_number"),
        ("约12", "not_a_number"),
        ("12人民币", "not_a_number"),
        ("一亿二", "not_a_number"),
        ("-", "not_a_number"),
        ("点", "not_a_number"),
    ],
)
def test_parse_count_rejects(text: str, code: str) -> None:
    with pytest.raises(InputError) as info:
        parse_count(text)
    assert info.value.code == code
    assert info.value.params["kind"] == "count"


def test_not_a_number_quotes_the_text_shortened() -> None:
    with pytest.raises(InputError) as info:
        parse_count("我们今年一共收到了很多很多很多的申请，具体记不清了")
    text = info.value.params["text"]
    assert isinstance(text, str)
    assert len(text) == 20
    assert text.startswith("我们今年一共收到了")


def test_plain_digits_do_not_call_cn2an(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object) -> object:
        raise AssertionError("cn2an called for plain digits")

    monkeypatch.setattr(cn2an, "cn2an", boom)
    assert parse_count("193") == 193
    assert parse_count("１９３") == 193


@given(st.integers(min_value=0, max_value=10**12))
def test_count_round_trips_every_spelling(n: int) -> None:
    assert parse_count(str(n)) == n
    assert parse_count(str(n).translate(FULL_WIDTH)) == n
    assert parse_count(f"{n:,}") == n
    assert parse_count(f"{n:,}".replace(",", "，")) == n
    assert parse_count(f"{n:,}".replace(",", " ")) == n
    assert parse_count(cn2an.an2cn(n)) == n
    assert parse_count(f"{n}件") == n


# --- parse_signed -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("增12", 12),
        ("减13", -13),
        ("+3", 3),
        ("-8", -8),
        ("−8", -8),
        ("－8", -8),
        ("12", 12),
        ("0", 0),
        ("无", 0),
        ("不变", 0),
        ("持平", 0),
        ("增加12", 12),
        ("减少3", -3),
        ("增加了5", 5),
        ("减十三", -13),
        ("增一百零三", 103),
        ("负三", -3),
        ("增 12", 12),
        ("减12件", -12),
        ("增0", 0),
        ("减0", 0),
        ("增１２", 12),
        ("减1,234", -1234),
    ],
)
def test_parse_signed_accepts(text: str, expected: int) -> None:
    assert parse_signed(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        (" ", "empty"),
        ("增3.5", "decimal"),
        ("减三点五", "decimal"),
        ("1e3", "exponent"),
        ("增1e3", "exponent"),
        ("增12 减3", "several"),
        ("12、13", "several"),
        ("增10000000000000", "too_large"),
        ("减10000000000000", "too_large"),
        ("增", "not_a_number"),
        ("增-3", "not_a_number"),
        ("多了一些", "not_a_number"),
    ],
)
def test_parse_signed_rejects(text: str, code: str) -> None:
    with pytest.raises(InputError) as info:
        parse_signed(text)
    assert info.value.code == code
    assert info.value.params["kind"] == "signed"


@given(st.integers(min_value=0, max_value=10**12))
def test_signed_round_trips(n: int) -> None:
    assert parse_signed(f"增{n}") == n
    assert parse_signed(f"减{n}") == -n
    assert parse_signed(f"+{n}") == n
    assert parse_signed(f"\u2212{n}") == -n
    assert parse_signed(f"减{cn2an.an2cn(n)}") == -n


# --- parse_amount -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "unit", "value", "converted_from"),
    [
        ("12.5", "万元", "12.5", None),
        ("12.50", "万元", "12.5", None),
        ("12", "万元", "12", None),
        ("120", "万元", "120", None),
        ("9999", "万元", "9999", None),
        ("12.5万元", "万元", "12.5", None),
        ("12.5万", "万元", "12.5", None),
        ("12.5 万元", "万元", "12.5", None),
        ("１２.５万元", "万元", "12.5", None),
        ("125000元", "万元", "12.5", "元"),
        ("125,000元", "万元", "12.5", "元"),
        ("125，000元", "万元", "12.5", "元"),
        ("3000块", "万元", "0.3", "元"),
        ("1.23元", "万元", "0.000123", "元"),
        ("31.17亿元", "万元", "311700", "亿元"),
        ("1.2亿", "万元", "12000", "亿元"),
        ("3千元", "万元", "0.3", "千元"),
        ("零", "万元", "0", None),
        ("无", "万元", "0", None),
        ("0", "万元", "0", None),
        ("0.00", "万元", "0", None),
        ("十二万元", "万元", "12", None),
        ("十二万", "万元", "12", None),
        ("十二点五万", "万元", "12.5", None),
        ("一亿二千万", "万元", "12000", None),
        ("十二", "万元", "12", None),
        ("三点五", "万元", "3.5", None),
        ("三千元", "万元", "0.3", "元"),
        ("0.000001", "万元", "0.000001", None),
        ("12.5", "元", "12.5", None),
        ("125000", "元", "125000", None),
        ("125000元", "元", "125000", None),
        ("125,000元", "元", "125000", None),
        ("12.5万元", "元", "125000", "万元"),
        ("12.5万", "元", "125000", "万元"),
        ("31.17亿元", "元", "3117000000", "亿元"),
        ("1.2亿", "元", "120000000", "亿元"),
        ("十二万元", "元", "120000", "万元"),
        ("一万二千元", "元", "12000", None),
        ("一万二千", "元", "12000", None),
        ("3.10", "元", "3.1", None),
        ("无", "元", "0", None),
    ],
)
def test_parse_amount_accepts(text: str, unit: str, value: str, converted_from: str | None) -> None:
    amount = parse_amount(text, unit)
    assert amount == Amount(Decimal(value), converted_from, normalize(text).rstrip("。"))
    assert str(amount.value) == value  # normalised: no exponent, no trailing zeros


@pytest.mark.parametrize(
    ("text", "unit", "code"),
    [
        ("", "万元", "empty"),
        ("  ", "元", "empty"),
        ("-3", "万元", "negative"),
        ("−12.5万元", "万元", "negative"),
        ("负十二万", "元", "negative"),
        ("1e9", "万元", "exponent"),
        ("1e9元", "元", "exponent"),
        ("12.5 13", "万元", "several"),
        ("12元、13元", "元", "several"),
        ("abc", "万元", "not_a_number"),
        ("约12万", "万元", "not_a_number"),
        ("万元", "万元", "not_a_number"),
        ("12.345", "元", "too_precise"),
        ("0.0000001", "万元", "too_precise"),
        ("1.234567元", "万元", "too_precise"),
        ("0.001元", "元", "too_precise"),
        ("12美元", "万元", "unknown_unit"),
        ("12千克", "元", "unknown_unit"),
        ("十二万美元", "万元", "unknown_unit"),
        ("3千", "万元", "unknown_unit"),
        ("125000", "万元", "ambiguous_unit"),
        ("10000", "万元", "ambiguous_unit"),
        ("一万二千", "万元", "ambiguous_unit"),
        ("2万亿元", "元", "too_large"),
    ],
)
def test_parse_amount_rejects(text: str, unit: str, code: str) -> None:
    with pytest.raises(InputError) as info:
        parse_amount(text, unit)
    assert info.value.code == code
    assert info.value.params["kind"] == "amount"


def test_ambiguous_and_unknown_units_say_which() -> None:
    with pytest.raises(InputError) as info:
        parse_amount("125000", "万元")
    assert info.value.params["value"] == Decimal(125000)
    assert info.value.params["unit"] == "万元"
    with pytest.raises(InputError) as info:
        parse_amount("12美元", "万元")
    assert info.value.params["unit"] == "美元"


def test_parse_amount_refuses_other_asked_units() -> None:
    with pytest.raises(ValueError, match="万元 or 元"):
        parse_amount("12", "亿元")


_cents = st.integers(min_value=0, max_value=10**13).map(lambda c: Decimal(c).scaleb(-2))


@given(_cents)
def test_amount_converts_exactly(yuan: Decimal) -> None:
    text = format_number(yuan)
    assert parse_amount(f"{text}元", "元").value == yuan
    assert parse_amount(f"{text}元", "万元").value == yuan / 10_000
    wan = format_number(yuan / 10_000)
    assert parse_amount(f"{wan}万元", "元").value == yuan
    assert "E" not in str(parse_amount(f"{text}元", "万元").value)


# --- split_row --------------------------------------------------------------------------------

APPLICANTS: list[tuple[str, Sequence[str]]] = [
    ("natural", ["自然人"]),
    ("business", ["商业企业", "企业"]),
    ("research", ["科研机构"]),
    ("public", ["社会公益组织"]),
    ("legal", ["法律服务机构"]),
    ("other", ["其他"]),
]
ORGS: list[tuple[str, Sequence[str]]] = [("legal_person", ["其他法人"]), ("other", ["其他"])]
ONE: list[tuple[str, Sequence[str]]] = [("total", ["总计"])]
TWO: list[tuple[str, Sequence[str]]] = [("issued", ["本年制发"]), ("repealed", ["本年废止"])]
COLUMN_SETS = {"applicants": APPLICANTS, "orgs": ORGS, "one": ONE, "two": TWO}


def _row(*values: str) -> dict[str, str]:
    return dict(zip([key for key, _ in APPLICANTS], values, strict=True))


@pytest.mark.parametrize(
    ("text", "columns", "values", "named"),
    [
        ("193 19 0 0 0 12", "applicants", _row("193", "19", "0", "0", "0", "12"), False),
        ("193  19\u30000 0 0 12", "applicants", _row("193", "19", "0", "0", "0", "12"), False),
        ("193,19,0,0,0,12", "applicants", _row("193", "19", "0", "0", "0", "12"), False),
        ("193，19，0，0，0，12", "applicants", _row("193", "19", "0", "0", "0", "12"), False),
        ("193、19、0、0、0、12", "applicants", _row("193", "19", "0", "0", "0", "12"), False),
        ("193;19；0/0|0\n12", "applicants", _row("193", "19", "0", "0", "0", "12"), False),
        ("１９３ １９ ０ ０ ０ １２", "applicants", _row("193", "19", "0", "0", "0", "12"), False),
        ("193 19 0 0 0 12。", "applicants", _row("193", "19", "0", "0", "0", "12"), False),
        (
            "一百零三 十九 零 无 0 12",
            "applicants",
            _row("一百零三", "十九", "零", "无", "0", "12"),
            False,
        ),
        (
            "增12 减3 -3 +1 0 不变",
            "applicants",
            _row("增12", "减3", "-3", "+1", "0", "不变"),
            False,
        ),
        ("增 12 减 3 0 0 0 1", "applicants", _row("增12", "减3", "0", "0", "0", "1"), False),
        ("12 件 1 2 3 4 5", "applicants", _row("12件", "1", "2", "3", "4", "5"), False),
        ("1,234", "two", {"issued": "1", "repealed": "234"}, False),
        ("0", "applicants", _row("0", "0", "0", "0", "0", "0"), False),
        ("无", "applicants", _row("0", "0", "0", "0", "0", "0"), False),
        ("零", "applicants", _row("0", "0", "0", "0", "0", "0"), False),
        ("12.5万元 3", "two", {"issued": "12.5万元", "repealed": "3"}, False),
        ("12", "one", {"total": "12"}, False),
        ("无", "one", {"total": "无"}, False),
        ("1,234", "one", {"total": "1,234"}, False),
        ("1，234", "one", {"total": "1,234"}, False),
        ("1 234", "one", {"total": "1 234"}, False),
        ("125,000元", "one", {"total": "125,000元"}, False),
        ("1,234.5万元", "one", {"total": "1,234.5万元"}, False),
        ("总计12", "one", {"total": "12"}, True),
        (
            "自然人193 商业企业19 其他12",
            "applicants",
            _row("193", "19", "0", "0", "0", "12"),
            True,
        ),
        ("自然人：193，其他：12", "applicants", _row("193", "0", "0", "0", "0", "12"), True),
        ("自然人=193", "applicants", _row("193", "0", "0", "0", "0", "0"), True),
        ("自然人 = 193", "applicants", _row("193", "0", "0", "0", "0", "0"), True),
        ("自然人 193 企业 19", "applicants", _row("193", "19", "0", "0", "0", "0"), True),
        ("自然人193商业企业19", "applicants", _row("193", "19", "0", "0", "0", "0"), True),
        ("自然人1,234 其他5", "applicants", _row("1,234", "0", "0", "0", "0", "5"), True),
        ("自然人增12 其他减3", "applicants", _row("增12", "0", "0", "0", "0", "减3"), True),
        ("其他法人3 其他4", "orgs", {"legal_person": "3", "other": "4"}, True),
        ("其他4 其他法人3", "orgs", {"legal_person": "3", "other": "4"}, True),
        ("其他法人3", "orgs", {"legal_person": "3", "other": "0"}, True),
        ("本年废止2", "two", {"issued": "0", "repealed": "2"}, True),
    ],
)
def test_split_row_accepts(text: str, columns: str, values: dict[str, str], named: bool) -> None:
    entry = split_row(text, COLUMN_SETS[columns])
    assert entry == RowEntry(values, named)
    assert list(entry.values) == [key for key, _ in COLUMN_SETS[columns]]


@pytest.mark.parametrize(
    ("text", "columns", "code", "params"),
    [
        ("", "applicants", "empty", {}),
        ("  ", "one", "empty", {}),
        ("，，", "applicants", "empty", {}),
        ("193 19 0 0 0", "applicants", "count_mismatch", {"expected": 6, "got": 5}),
        ("193 19 0 0 0 12 1", "applicants", "count_mismatch", {"expected": 6, "got": 7}),
        ("1,234 19 0 0 0 12", "applicants", "count_mismatch", {"expected": 6, "got": 7}),
        ("12", "two", "count_mismatch", {"expected": 2, "got": 1}),
        ("12,13", "one", "count_mismatch", {"expected": 1, "got": 2}),
        ("12 13", "one", "count_mismatch", {"expected": 1, "got": 2}),
        ("法人12", "applicants", "unknown_column", {"name": "法人"}),
        ("法人:12", "applicants", "unknown_column", {"name": "法人"}),
        ("自然人193 法人12", "applicants", "unknown_column", {"name": "法人"}),
        ("其他法人12", "applicants", "unknown_column", {"name": "其他法人"}),
        ("自然人193 自然人3", "applicants", "duplicate_column", {"name": "自然人"}),
        ("企业19 商业企业3", "applicants", "duplicate_column", {"name": "商业企业"}),
        ("自然人193 19", "applicants", "mixed_entry", {}),
        ("193 商业企业19", "applicants", "mixed_entry", {}),
        ("自然人", "applicants", "missing_value", {"name": "自然人"}),
        ("自然人 商业企业19", "applicants", "missing_value", {"name": "自然人"}),
    ],
)
def test_split_row_rejects(text: str, columns: str, code: str, params: dict[str, object]) -> None:
    with pytest.raises(InputError) as info:
        split_row(text, COLUMN_SETS[columns])
    assert info.value.code == code
    assert info.value.params.items() >= params.items()
    assert info.value.params["kind"] == "row"


_tokens = st.one_of(
    st.integers(min_value=0, max_value=10**9).map(str),
    st.integers(min_value=0, max_value=10**6).map(lambda n: str(n).translate(FULL_WIDTH)),
    st.integers(min_value=0, max_value=10**6).map(lambda n: f"增{n}"),
    st.integers(min_value=0, max_value=10**6).map(lambda n: f"减{n}"),
    st.integers(min_value=0, max_value=10**6).map(lambda n: f"-{n}"),
    st.integers(min_value=0, max_value=10**8).map(cn2an.an2cn),
    st.integers(min_value=0, max_value=10**6).map(lambda n: f"{Decimal(n).scaleb(-2)}万元"),
    st.sampled_from(["无", "零", "不变", "持平"]),
)
_separators = st.sampled_from(
    [" ", "  ", "\u3000", ",", "，", " , ", "、", ";", "；", "/", "|", "\n", " \n "]
)


@given(st.lists(_tokens, min_size=1, max_size=8), st.data())
def test_split_row_round_trips_positional_rows(tokens: list[str], data: st.DataObject) -> None:
    columns = [(f"c{i}", [f"第{i}列"]) for i in range(len(tokens))]
    text = tokens[0]
    for token in tokens[1:]:
        text += data.draw(_separators) + token
    entry = split_row(text, columns)
    assert entry == RowEntry({f"c{i}": normalize(t) for i, t in enumerate(tokens)}, False)


# --- format_number ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12, "12"),
        (0, "0"),
        (-13, "-13"),
        (1234, "1234"),
        (10**12, "1000000000000"),
        (Decimal("12.5"), "12.5"),
        (Decimal("12.50"), "12.5"),
        (Decimal("12.0"), "12"),
        (Decimal("1234"), "1234"),
        (Decimal("1.2E+5"), "120000"),
        (Decimal("1E-7"), "0.0000001"),
        (Decimal("-0"), "0"),
        (Decimal("0.000"), "0"),
    ],
)
def test_format_number(value: int | Decimal, expected: str) -> None:
    assert format_number(value) == expected


def test_format_number_refuses_nan() -> None:
    with pytest.raises(ValueError, match="finite"):
        format_number(Decimal("NaN"))


# --- wording ----------------------------------------------------------------------------------

SOURCE = Path(numbers.__file__).read_text(encoding="utf-8")


def test_every_raised_code_is_declared_and_worded() -> None:
    raised = set(re.findall(r'(?:InputError|error)\(\s*"(\w+)"', SOURCE))
    assert raised == CODES
    assert MESSAGES.keys() >= CODES


def _error(text: str, parse: str) -> InputError:
    with pytest.raises(InputError) as info:
        if parse == "count":
            parse_count(text)
        elif parse == "signed":
            parse_signed(text)
        elif parse.startswith("amount"):
            parse_amount(text, parse.removeprefix("amount:"))
        else:
            split_row(text, COLUMN_SETS[parse])
    return info.value


ERROR_SAMPLES = [
    ("", "count"),
    ("-3", "count"),
    ("3.5", "count"),
    ("1e9", "count"),
    ("12 13", "count"),
    ("10000000000000", "count"),
    ("abc", "count"),
    ("", "signed"),
    ("增3.5", "signed"),
    ("乱写", "signed"),
    ("", "amount:万元"),
    ("-3", "amount:万元"),
    ("125000", "amount:万元"),
    ("12美元", "amount:元"),
    ("12.345", "amount:元"),
    ("0.0000001", "amount:万元"),
    ("2万亿元", "amount:元"),
    ("12 13", "amount:元"),
    ("abc", "amount:元"),
    ("", "applicants"),
    ("193 19 0 0 0", "applicants"),
    ("法人12", "applicants"),
    ("自然人1 自然人2", "applicants"),
    ("自然人193 19", "applicants"),
    ("自然人", "applicants"),
    ("12 13", "one"),
]


@pytest.mark.parametrize(("text", "parse"), ERROR_SAMPLES)
def test_every_error_reads_as_one_full_sentence(text: str, parse: str) -> None:
    message = describe(_error(text, parse))
    assert message.endswith("。")
    assert "{" not in message and "}" not in message
    assert "例如" in message or "请" in message
    assert "None" not in message


def test_samples_cover_every_code() -> None:
    assert {_error(text, parse).code for text, parse in ERROR_SAMPLES} == CODES


@pytest.mark.parametrize(
    ("text", "parse", "expected"),
    [
        ("-3", "count", "不能是负数：请输入 0 或正整数，例如 12。"),
        ("3.5", "count", "这里需要整数件数，不能有小数：请输入例如 12。"),
        (
            "125000",
            "amount:万元",
            "「125000」按万元计是 12.5 亿元，单位可能有误：请带上单位重新发送，"
            "例如「125000元」或「12.5万元」。",
        ),
        (
            "193 19 0 0 0",
            "applicants",
            "这一行有 6 列，您发送了 5 个数：请按顺序发送 6 个数，例如「193 19 0 0 0 12」，"
            "或写明列名，例如「自然人193 商业企业19」。",
        ),
        ("abc", "count", "没能识别「abc」：请发送一个整数，例如 12；没有请发 0。"),
        (
            "12美元",
            "amount:万元",
            "无法识别单位「美元」：金额请用元、万元或亿元，例如「12.5万元」或「125000元」。",
        ),
        (
            "自然人193 自然人3",
            "applicants",
            "「自然人」写了两次：每一列只写一次，例如「自然人193 商业企业19」。",
        ),
    ],
)
def test_describe_wording(text: str, parse: str, expected: str) -> None:
    assert describe(_error(text, parse)) == expected


def test_describe_appends_what_the_question_expects() -> None:
    message = describe(InputError("decimal", kind="count"), expected="本年新收申请的件数。")
    assert message.endswith("本题要填的是：本年新收申请的件数。")


def test_describe_copes_with_bare_and_unknown_errors() -> None:
    for code in CODES:
        message = describe(InputError(code))
        assert message.endswith("。")
        assert "{" not in message
    assert describe(InputError("something_new")).endswith("。")


def test_input_error_carries_code_and_params() -> None:
    error = InputError("too_large", limit=10)
    assert isinstance(error, ValueError)
    assert (error.code, error.params) == ("too_large", {"limit": 10})
    assert "too_large" in str(error)
