"""Hand-made irregular layouts (10 layouts × 3 reports = 30 documents) read back exactly."""

from __future__ import annotations

import pytest

from core.importers import read_document
from tests.core.rendered import load

from .corpus import cell_diff, expected_cells
from .irregular import BUILDERS, docx_merged, has_vmerge

REPORTS = ("full-2021", "example-000-2019", "example-001-2020")
CASES = [(layout, name) for layout in BUILDERS for name in REPORTS]


@pytest.mark.parametrize(("layout", "name"), CASES, ids=[f"{a}-{b}" for a, b in CASES])
def test_irregular_layout_reads_back_exactly(layout: str, name: str) -> None:
    answers = load(name)
    filename, data = BUILDERS[layout](answers)
    imported = read_document(data, filename)
    assert imported.format == answers.format
    assert cell_diff(expected_cells(answers), imported.cells) == {}
    assert (imported.agency, imported.year) == (answers.agency, answers.year)
    if not layout.startswith("xlsx"):
        assert imported.texts["problems"].startswith(
            answers.texts["problems"][:10].replace(",", "，")
        )
    noted = [f.code for f in imported.findings if f.code != "section_missing"]
    assert noted == []


def test_the_docx_case_really_has_merged_cells() -> None:
    _, data = docx_merged(load("full-2021"))
    assert has_vmerge(data)


def test_corpus_size() -> None:
    assert len(CASES) == 30
