"""The answers file: strict reading, exact writing, totals checked not trusted."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from core.answers import (
    CONTACT_LIMITS,
    Answers,
    AnswersFileError,
    computed_values,
    from_json,
    section_text,
    to_json,
)
from core.formats import GOV_2021
from core.wording.files import describe_problem
from tests.data import cells_001_gov2021


def doc(**over: object) -> str:
    base: dict[str, object] = {
        "format": "gov-2021",
        "agency": "某某县民政局",
        "year": 2025,
        "cells": {"requests.new.natural": 193, "proactive.fees.amount": 12.5},
        "texts": {"overview": "……", "problems": "……", "other": "无。"},
    }
    base.update(over)
    return json.dumps(base, ensure_ascii=False)


def test_reads_the_spec_example() -> None:
    a = from_json(doc())
    assert a.format == "gov-2021" and a.year == 2025 and a.agency == "某某县民政局"
    assert a.cells["requests.new.natural"] == 193
    assert a.cells["proactive.fees.amount"] == Decimal("12.5")
    assert isinstance(a.cells["requests.new.natural"], int)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("not json", "not_json"),
        ("[]", "not_object"),
        (doc(format="gov-2030"), "unknown_format"),
        (doc(extra=1), "unknown_key"),
        (doc(cells={"requests.new.nobody": 1}), "unknown_cell"),
        (doc(cells={"requests.new.natural": "12"}), "not_a_number"),
        (doc(cells={"requests.new.natural": True}), "not_a_number"),
        (doc(cells={"requests.new.natural": None}), "not_a_number"),
        (doc(texts={"preface": "x"}), "unknown_key"),
        (doc(texts={"overview": 3}), "not_a_string"),
        (doc(year="2025"), "bad_year"),
        (doc(year=2020), "format_year_mismatch"),
        (doc(contact={"fax": "1"}), "unknown_key"),
        (doc(contact={"phone": "0471-1234567" * 9}), "too_long"),
        (
            '{"format": "gov-2021", "year": 2025, "cells": {"requests.new.natural": NaN}}',
            "not_json",
        ),
        (
            '{"format": "gov-2021", "year": 2025, "cells": {"requests.new.natural": 1e400}}',
            "not_a_number",
        ),
    ],
)
def test_rejects_with_a_reason(text: str, code: str) -> None:
    with pytest.raises(AnswersFileError) as err:
        from_json(text)
    assert code in [p.code for p in err.value.problems]


def test_contact_details_up_to_their_limits_are_read() -> None:
    contact = {key: "一" * limit for key, limit in CONTACT_LIMITS.items()}
    assert from_json(doc(contact=contact)).contact == contact
    with pytest.raises(AnswersFileError) as err:
        from_json(doc(contact={**contact, "postcode": "1" * 17}))
    assert [describe_problem(p) for p in err.value.problems] == [
        "「contact.postcode」太长：最多 16 个字，请删减后再导入。"
    ]


def test_lists_every_problem_at_once() -> None:
    with pytest.raises(AnswersFileError) as err:
        from_json(doc(cells={"a.b": 1, "requests.new.natural": "x"}, texts={"x": "y"}))
    assert len(err.value.problems) == 3


def test_round_trip_is_exact() -> None:
    cells = cells_001_gov2021() | {"proactive.fees.amount": Decimal("103.3879")}
    a = Answers("gov-2021", 2025, "某某县民政局", cells, {"other": "无。"}, {"phone": "0471-1"})
    text = to_json(a)
    again = from_json(text)
    assert {k: v for k, v in again.cells.items() if not GOV_2021.cells[k].computed} == cells
    assert '"proactive.fees.amount": 103.3879' in text
    assert again.texts == a.texts and again.contact == a.contact


def test_totals_are_written_and_in_printed_order() -> None:
    a = Answers("gov-2021", 2025, "x", cells_001_gov2021())
    data = json.loads(to_json(a))
    assert data["cells"]["requests.new.total"] == 224
    assert data["cells"]["requests.results_total.total"] == 223
    assert data["cells"]["appeals.suit_after_review.total"] == 4
    assert list(data["cells"]) == [c for c in GOV_2021.cells if c in data["cells"]]


def test_partial_totals_are_not_invented() -> None:
    values = computed_values(GOV_2021, {"requests.new.natural": 1})
    assert values == {}


def test_section_text_joins_finer_keys_in_order() -> None:
    a = Answers("gov-2021", 2025, texts={"overview.requests": "B", "overview.proactive": "A"})
    assert section_text(a, "overview") == "A\nB"
