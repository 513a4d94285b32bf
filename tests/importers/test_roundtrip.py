"""Every document the renderers produce reads back exactly: cells, agency, year, format, texts.

The corpus: the four answers fixtures in the four kinds (16 documents, 3,176 cells) and
hypothesis-generated reports of both formats, complete or with blank cells, in every kind.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from core.answers import Answers
from core.check import Context, evaluate
from core.importers import Status, read_document
from core.importers.checking import check_document
from tests.core.rendered import FIXTURES, load

from .corpus import RENDERERS, cell_diff, expected_cells, expected_texts, reports

CASES = [(name, kind) for name in FIXTURES for kind in RENDERERS]


def _read(answers: Answers, kind: str, draft: bool):  # type: ignore[no-untyped-def]
    filename, render = RENDERERS[kind]
    return read_document(render(answers, draft), filename)


@pytest.mark.parametrize(("name", "kind"), CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_fixture_reads_back_exactly(name: str, kind: str) -> None:
    answers, draft = load(name), FIXTURES[name]
    imported = _read(answers, kind, draft)
    assert imported.readable and imported.format == answers.format
    assert (imported.agency, imported.year) == (answers.agency, answers.year)
    want = expected_cells(answers)
    assert cell_diff(want, imported.cells) == {}
    blank = set(answers.fmt.cells) - set(want)
    assert set(imported.cells_with(Status.BLANK)) == blank
    assert imported.tables_found == ("proactive", "requests", "appeals")
    if kind != "xlsx":
        assert imported.texts == {k: v for k, v in expected_texts(answers, draft).items()}
        assert imported.sections_found == tuple(s.key for s in answers.fmt.sections)
    assert [f.code for f in imported.findings] == []


@pytest.mark.parametrize(("name", "kind"), CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_fixture_check_matches_the_answers_check(name: str, kind: str) -> None:
    """No violation is lost or invented by reading a rendering instead of the answers."""
    answers, draft = load(name), FIXTURES[name]
    imported = _read(answers, kind, draft)
    texts = expected_texts(answers, draft) if kind != "xlsx" else {}
    context = Context(texts={k: v for k, v in texts.items() if v.strip()})
    want = evaluate(answers.fmt, expected_cells(answers), context)
    got = check_document(imported).violations
    assert [v.rule for v in got] == [v.rule for v in want]


def test_corpus_size() -> None:
    """16 documents; 3,176 cells read back (every cell of every fixture's format)."""
    total = sum(len(load(name).fmt.cells) for name, _ in CASES)
    assert len(CASES) == 16 and total == 3176


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(reports())
def test_generated_reports_read_back_exactly(report: tuple[Answers, bool]) -> None:
    answers, _ = report
    want = expected_cells(answers)
    for kind in RENDERERS:
        imported = _read(answers, kind, True)
        assert imported.format == answers.format, kind
        assert (imported.agency, imported.year) == (answers.agency, answers.year), kind
        assert cell_diff(want, imported.cells) == {}, kind
        if kind != "xlsx":
            assert imported.texts == expected_texts(answers, True), kind
