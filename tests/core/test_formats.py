"""The formats as data: well formed, labels verbatim, cell ids as the spec names them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.formats import FORMATS, GOV_2019, GOV_2021, Format, format_for_year, get_format
from core.formats.model import Kind
from core.layout import Role, table_grid
from core.wellformed import format_problems

SPEC = (Path(__file__).parents[2] / "docs" / "spec-annual-report-format.md").read_text("utf-8")


@pytest.mark.parametrize("fmt", list(FORMATS.values()), ids=lambda f: f.id)
def test_format_is_well_formed(fmt: Format) -> None:
    assert format_problems(fmt) == []


def test_well_formed_check_catches_a_broken_format() -> None:
    from dataclasses import replace

    table = GOV_2021.tables[0]
    block = replace(table.blocks[0], rows=(*table.blocks[0].rows, table.blocks[0].rows[0]))
    broken = replace(
        GOV_2021, tables=(replace(table, blocks=(block, *table.blocks[1:])), *GOV_2021.tables[1:])
    )
    assert any("duplicate cell id" in p for p in format_problems(broken))


def spec_ids(section: str) -> set[str]:
    """Expand `a.b.{c,d}` patterns from the spec's answers-file section."""
    ids: set[str] = set()
    for m in re.finditer(r"`(proactive\.[a-z_]+)\.\{([a-z_,]+)\}`", section):
        ids.update(f"{m.group(1)}.{c}" for c in m.group(2).split(","))
    for m in re.finditer(r"`(proactive\.[a-z_]+\.[a-z_]+)`", section):
        ids.add(m.group(1))
    return ids


def test_table_2_ids_match_the_spec() -> None:
    part = SPEC[SPEC.index("- Table 2, gov-2021") : SPEC.index("- Table 3 rows")]
    g2021 = part[: part.index("- Table 2, gov-2019")]
    g2019 = part[part.index("- Table 2, gov-2019") :]
    assert spec_ids(g2021) == {c for c in GOV_2021.cells if c.startswith("proactive.")}
    assert spec_ids(g2019) == {c for c in GOV_2019.cells if c.startswith("proactive.")}


def test_table_3_and_4_ids_match_the_spec() -> None:
    part = SPEC[SPEC.index("- Table 3 rows") : SPEC.index("- Texts:")]
    rows = re.findall(r"`([a-z_]+)`", part[: part.index("Columns:")])
    cols = re.findall(r"`([a-z_]+)`", part[part.index("Columns:") : part.index("Example")])
    common = [
        r
        for r in rows
        if r not in ("other_no_correction", "other_unpaid_fee", "other_other", "other")
    ]
    for fmt, extra in (
        (GOV_2021, ["other_no_correction", "other_unpaid_fee", "other_other"]),
        (GOV_2019, ["other"]),
    ):
        expected = {f"requests.{r}.{c}" for r in common + extra for c in cols}
        assert {c for c in fmt.cells if c.startswith("requests.")} == expected
        appeals = {c for c in fmt.cells if c.startswith("appeals.")}
        assert appeals == {
            f"appeals.{b}.{c}"
            for b in ("review", "suit_direct", "suit_after_review")
            for c in ("upheld", "corrected", "other", "pending", "total")
        }


def test_every_label_appears_verbatim_in_the_spec() -> None:
    for fmt in FORMATS.values():
        for table in fmt.tables:
            for cell in table_grid(table).cells:
                if cell.text:
                    assert cell.text in SPEC, cell.text
        for section in fmt.sections:
            assert f"`{section.title}`" in SPEC or section.title in SPEC


def test_labels_use_full_width_brackets_and_chinese_quotes() -> None:
    labels = [c.text for t in GOV_2021.tables for c in table_grid(t).cells if c.text]
    assert "（七）总计" in labels
    assert "3.危及“三安全一稳定”" in labels
    assert not any("(" in label or '"' in label for label in labels)


def test_computed_cells() -> None:
    computed = {c for c, cell in GOV_2021.cells.items() if cell.computed}
    assert "requests.results_total.natural" in computed
    assert "requests.new.total" in computed
    assert "appeals.review.total" in computed
    assert not any(c.startswith("proactive.") for c in computed)
    assert len(GOV_2021.input_cells) == len(GOV_2021.cells) - len(computed)


def test_units_and_kinds() -> None:
    assert GOV_2021.cells["proactive.fees.amount"].kind is Kind.AMOUNT
    assert GOV_2021.cells["proactive.fees.amount"].unit == "万元"
    assert GOV_2019.cells["proactive.procurement.amount"].unit == "元"
    assert GOV_2019.cells["proactive.licensing.change"].kind is Kind.SIGNED


def test_table_3_header_merges() -> None:
    grid = table_grid(GOV_2021.table("requests"))
    by_text = {c.text: c for c in grid.cells if c.text}
    note = by_text["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"]
    assert (note.rowspan, note.colspan) == (3, 3)
    assert by_text["申请人情况"].colspan == 7
    assert by_text["法人或其他组织"].colspan == 5
    assert by_text["自然人"].rowspan == 2 and by_text["总计"].rowspan == 2
    assert by_text["三、本年度办理结果"].rowspan == 22
    assert table_grid(GOV_2019.table("requests")).cells[0].rowspan == 3
    results_2019 = {c.text: c for c in table_grid(GOV_2019.table("requests")).cells}
    assert results_2019["三、本年度办理结果"].rowspan == 20
    assert by_text["（三）不予公开"].rowspan == 8
    assert by_text["一、本年新收政府信息公开申请数量"].colspan == 3


def test_table_4_three_level_header() -> None:
    grid = table_grid(GOV_2021.table("appeals"))
    assert (grid.n_rows, grid.n_cols) == (4, 15)
    header = [(c.row, c.text, c.rowspan, c.colspan) for c in grid.cells if c.role is Role.HEADER]
    assert (0, "行政复议", 1, 5) in header and (0, "行政诉讼", 1, 10) in header
    assert (1, "结果维持", 2, 1) in header and (1, "未经复议直接起诉", 1, 5) in header
    assert (2, "尚未审结", 1, 1) in header


def test_table_2_blocks() -> None:
    grid = table_grid(GOV_2021.table("proactive"))
    captions = [c.text for c in grid.cells if c.role is Role.CAPTION]
    assert captions == [
        "第二十条第（一）项",
        "第二十条第（五）项",
        "第二十条第（六）项",
        "第二十条第（八）项",
    ]
    fee = next(c for c in grid.cells if c.cell_id == "proactive.fees.amount")
    assert fee.colspan == 3
    g2019 = table_grid(GOV_2019.table("proactive"))
    assert any(c.role is Role.PAD for c in g2019.cells)  # （八） has two value columns of three


def test_format_for_year() -> None:
    assert format_for_year(2019) is GOV_2019 and format_for_year(2020) is GOV_2019
    assert format_for_year(2021) is GOV_2021 and format_for_year(2030) is GOV_2021
    with pytest.raises(KeyError):
        get_format("gov-1999")
