"""Documents with deliberate errors: every violation is found in every kind, and no other.

9 broken reports × 4 kinds = 36 documents; each expected rule is named, and the whole list of
violations must equal the engine's on the answers the document was made from.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from core.answers import Answers
from core.check import Context, evaluate
from core.importers import read_document
from core.importers.checking import check_document
from tests.core.rendered import load

from .corpus import RENDERERS, expected_cells, expected_texts

Mutation = Callable[[Answers], Answers]


def _bump(cid: str, by: int) -> Mutation:
    return lambda a: a.with_cells({cid: a.cells[cid] + by})


def _set(cid: str, value: int) -> Mutation:
    return lambda a: a.with_cells({cid: value})


def _text(key: str, text: str) -> Mutation:
    return lambda a: a.with_text(key, text)


# name → (mutation of full-2021, rule ids that must be among the violations)
BROKEN: dict[str, tuple[Mutation, set[str]]] = {
    "balance": (_bump("requests.carried_out.natural", 1), {"balance:requests:natural"}),
    "row-total": (_bump("requests.granted.business", 2), {"row_total:requests:granted"}),
    "column-total": (_bump("requests.results_total.total", 5), {"column_total:requests:total"}),
    "appeals-total": (_bump("appeals.review.total", 1), {"row_total:appeals:review"}),
    "negative": (_set("requests.denied_law.natural", -1), {"value:requests.denied_law.natural"}),
    "narrative": (
        _text("overview.requests", "本年度共收到政府信息公开申请99件，均已按时答复。"),
        {"narrative"},
    ),
    "rules-made": (_set("proactive.rules.issued", 2), {"rule_making:proactive.rules"}),
    "in-force": (_bump("proactive.normative.in_force", 3), set()),
    "several": (
        lambda a: _bump("appeals.suit_direct.upheld", 1)(_bump("requests.new.legal", 4)(a)),
        {"row_total:appeals:suit_direct", "balance:requests:legal", "row_total:requests:new"},
    ),
}
CASES = [(name, kind) for name in BROKEN for kind in RENDERERS]


def _rules(violations: list[str]) -> set[str]:
    return {r if not r.startswith("narrative:") else "narrative" for r in violations}


@pytest.mark.parametrize(("name", "kind"), CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_every_violation_found_and_no_other(name: str, kind: str) -> None:
    mutate, must = BROKEN[name]
    answers = mutate(load("full-2021"))
    filename, render = RENDERERS[kind]
    imported = read_document(render(answers, True), filename)
    texts = expected_texts(answers, True) if kind != "xlsx" else {}
    want = evaluate(answers.fmt, expected_cells(answers), Context(texts=texts))
    got = check_document(imported).violations
    assert [v.rule for v in got] == [v.rule for v in want]
    if kind != "xlsx" or "narrative" not in must:
        assert must <= _rules([v.rule for v in got])


def test_cross_year_warnings_from_a_last_year_document() -> None:
    """Rules 6, 7 and 10 against last year's report read from a file, not typed."""
    this = load("full-2021")
    last = Answers(
        "gov-2021",
        2024,
        this.agency,
        {**this.cells, "requests.carried_out.natural": 9, "proactive.normative.in_force": 50},
    )
    last_doc = read_document(RENDERERS["docx"][1](last, True), "last.docx")
    this_doc = read_document(RENDERERS["html"][1](this, False), "this.html")
    check = check_document(this_doc, last_doc.format or "", last_doc.cells)
    rules = {v.rule for v in check.violations}
    assert {"carry:requests:natural", "stock:proactive:normative"} <= rules


def test_corpus_size() -> None:
    assert len(CASES) == 36
