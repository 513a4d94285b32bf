"""The five published examples: cells as transcribed, the 222/223 mismatch, no tables in 2016."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.answers import from_json
from core.importers import Status, read_document
from core.importers.checking import check_document

EXAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "examples"
ANSWERS = Path(__file__).resolve().parents[1] / "fixtures" / "answers"
TRANSCRIBED = {
    "000": "example-000-2019",
    "001": "example-001-2020",
    "002": "example-002-2020",
}
# Example 001 prints 上年结转·其他 blank ("| 0 |\n| 1 |"); whoever transcribed it wrote the 0 the
# row's total implies. The reader reports the blank rather than guess.
BLANK_IN_SOURCE = {"001": {"requests.carried_in.other_org"}}


def _read(prefix: str):  # type: ignore[no-untyped-def]
    (path,) = EXAMPLES.glob(f"{prefix}_*.txt")
    return read_document(path.read_bytes(), path.name)


@pytest.mark.parametrize("prefix", sorted(TRANSCRIBED))
def test_cells_match_the_transcription(prefix: str) -> None:
    """000: 198 cells, 001: 197 + 1 blank, 002: 57 (the rest blank): all as transcribed."""
    expected = from_json((ANSWERS / f"{TRANSCRIBED[prefix]}.json").read_bytes())
    imported = _read(prefix)
    assert imported.format == expected.format == "gov-2019"
    blank = BLANK_IN_SOURCE.get(prefix, set())
    want = {k: v for k, v in expected.cells.items() if k not in blank}
    assert dict(imported.cells) == want
    assert (
        set(imported.cells_with(Status.BLANK))
        == set(expected.fmt.cells) - set(expected.cells) | blank
    )
    assert {"000": 198, "001": 197, "002": 57}[prefix] == len(imported.cells)


def test_agency_and_year() -> None:
    assert (_read("000").agency, _read("000").year) == ("鄂伦春自治旗民政局", 2019)
    assert _read("001").year == 2020  # from 统计期限; the page names no agency
    assert _read("002").year is None  # the page never says which year
    assert "year_unknown" in [f.code for f in _read("002").findings]


def test_001_narrative_mismatch_is_found_with_its_sentence() -> None:
    check = check_document(_read("001"))
    (v,) = [v for v in check.violations if v.number == 8]
    assert (v.topic, v.left, v.right) == ("answered", 222, 223)
    assert "已答复222件" in v.quote
    # The only other remark is rule 9 (a city's 规章 row); no error, one blank cell.
    assert [x.number for x in check.violations] == [8, 9]
    assert check.missing == ("requests.carried_in.other_org",)


def test_000_is_valid() -> None:
    check = check_document(_read("000"))
    assert check.valid and check.violations == ()
    assert check.imported.texts["other"] == "无。"


def test_002_blank_rows_are_reported() -> None:
    imported = _read("002")
    blank = imported.cells_with(Status.BLANK)
    assert "proactive.procurement.amount" in blank and "requests.carried_in.natural" in blank
    assert len(blank) == 141


@pytest.mark.parametrize(("prefix", "sections"), [("003", 5), ("004", 1)])
def test_2016_reports_have_no_tables(prefix: str, sections: int) -> None:
    imported = _read(prefix)
    assert imported.readable and imported.format is None and imported.tables_found == ()
    assert "no_tables" in [f.code for f in imported.findings]
    assert imported.year == 2016 and len(imported.sections_found) == sections
    assert not check_document(imported).valid
