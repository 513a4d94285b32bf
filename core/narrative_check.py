"""Rule 8: figures stated in the narrative must match the tables."""

from __future__ import annotations

from collections.abc import Mapping

from .check import Violation, side_terms
from .formats.model import Format
from .narrative import find_figures
from .rules import Number, RuleKind, Severity

CONTEXT = {"overview.requests": "依申请公开情况\n"}


def narrative_violations(
    fmt: Format, cells: Mapping[str, Number], texts: Mapping[str, str]
) -> list[Violation]:
    """One warning per narrative figure that differs from its fully known table value."""
    targets = dict(fmt.figures)
    out: list[Violation] = []
    seen: set[tuple[str, int, str]] = set()
    for key, text in texts.items():
        # A per-area answer is about that area even when it does not say so itself.
        text = CONTEXT.get(key, "") + text
        for fig in find_figures(text):
            ids = targets.get(str(fig.topic))
            if not ids:
                continue
            terms, complete, _ = side_terms(fmt, cells, ids)
            if not complete:
                continue
            table_value = sum((t.value for t in terms), start=0)
            if table_value == fig.value or (str(fig.topic), fig.value, fig.sentence) in seen:
                continue
            seen.add((str(fig.topic), fig.value, fig.sentence))
            out.append(
                Violation(
                    rule=f"narrative:{fig.topic}:{key}:{fig.start}",
                    number=8,
                    kind=RuleKind.NARRATIVE,
                    severity=Severity.WARNING,
                    table=fmt.cells[ids[0]].table,
                    scope=str(fig.topic),
                    left=fig.value,
                    right=table_value,
                    left_terms=(),
                    right_terms=terms,
                    quote=fig.sentence,
                    topic=str(fig.topic),
                )
            )
    return out


__all__ = ["narrative_violations"]
