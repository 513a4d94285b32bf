"""The finished report's content, whatever the file format: title, opening, sections, values.

The .docx renderer and the chat preview both read the report through this module, so they say the
same thing. ``readiness`` decides whether a report may be rendered as final; ``require_ready``
raises ``ReportNotReady`` (structured, worded later) when it may not.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .answers import Answers, computed_values, section_text
from .check import Context, Violation, evaluate, missing_cells
from .formats.model import Cell, Format, Section
from .paragraphs import BODY, H2, Para, clean_text, parse_narrative
from .rules import Number, Severity
from .wording import report as W
from .wording.cells import num

# Answers that mean "nothing to report" and must not stand beside real content.
_NOTHING = frozenset({"无", "无。", "没有", "没有。"})


class ReportNotReady(ValueError):
    """The report has errors or blank cells and was not asked for as a draft.

    Attributes:
        errors: The error violations, as ``core.check.evaluate`` returns them.
        missing: Ids of the input cells still blank, in printed order.
    """

    def __init__(self, errors: Sequence[Violation], missing: Sequence[str]) -> None:
        super().__init__(f"{len(errors)} errors, {len(missing)} blank cells")
        self.errors = tuple(errors)
        self.missing = tuple(missing)


@dataclass(frozen=True)
class Readiness:
    """What stands between the answers and a final report."""

    errors: tuple[Violation, ...]
    warnings: tuple[Violation, ...]
    missing: tuple[str, ...]
    empty_sections: tuple[str, ...]  # titles of narrative sections with no text

    @property
    def ready(self) -> bool:
        return not self.errors and not self.missing


def narratives(answers: Answers) -> dict[str, str]:
    """The non-empty texts, for rule 8."""
    return {k: v for k, v in answers.texts.items() if v.strip()}


def readiness(answers: Answers) -> Readiness:
    """Errors, warnings, blank cells and empty sections of ``answers``."""
    fmt = answers.fmt
    found = evaluate(fmt, answers.cells, Context(texts=narratives(answers)))
    empty = tuple(
        s.title for s in fmt.sections if not s.table and not section_text(answers, s.key).strip()
    )
    return Readiness(
        errors=tuple(v for v in found if v.severity is Severity.ERROR),
        warnings=tuple(v for v in found if v.severity is not Severity.ERROR),
        missing=tuple(missing_cells(fmt, answers.cells)),
        empty_sections=empty,
    )


def require_ready(answers: Answers, draft: bool) -> Readiness:
    """The readiness; raises ``ReportNotReady`` if it is not ready and ``draft`` is false."""
    state = readiness(answers)
    if not state.ready and not draft:
        raise ReportNotReady(state.errors, state.missing)
    return state


def cell_values(answers: Answers) -> dict[str, Number]:
    """Every value the tables print: the inputs, computed totals, and totals the file states.

    A stated total wins over the computed one: if they differ the report has an error, and the
    draft shows what the user wrote next to the error that explains it.
    """
    fmt = answers.fmt
    values: dict[str, Number] = dict(computed_values(fmt, answers.cells))
    values.update(answers.cells)
    return values


def cell_text(cell: Cell, values: Mapping[str, Number]) -> str:
    """A value cell as printed: the number, with its unit when the column label lacks it."""
    value = values.get(cell.id)
    if value is None:
        return ""
    unit = cell.unit if cell.unit and cell.unit not in cell.col_path[-1] else ""
    return num(value) + unit


def agency(answers: Answers) -> str:
    return clean_text(answers.agency).strip()


def title(answers: Answers, draft: bool) -> str:
    return W.title(agency(answers), answers.year, draft)


def section_parts(fmt: Format) -> list[str]:
    """Section names for the opening paragraph: "总体情况", "主动公开政府信息情况", ….

    A title's own enumeration comma ("行政复议、行政诉讼") becomes 和, so that the list of parts
    reads unambiguously.
    """
    parts = []
    for section in fmt.sections:
        name = section.title.split("、", 1)[-1]
        parts.append(name.replace("、", "和"))
    return parts


def opening(answers: Answers) -> str:
    """The opening paragraph."""
    contact = {k: clean_text(v) for k, v in answers.contact.items()}
    return W.opening(
        document=answers.fmt.document,
        parts=section_parts(answers.fmt),
        year=answers.year,
        agency=agency(answers),
        contact=contact,
    )


def section_paras(answers: Answers, section: Section, draft: bool = False) -> list[Para]:
    """The paragraphs of a narrative section (none for a table section).

    一、总体情况 prints the whole-section text first, then each area the user wrote about under a
    heading of its own ("（一）主动公开"); other sections join their keys as ``section_text``.
    An empty section reads "无。" (a draft shows that it is still to be written).
    """
    if section.table:
        return []
    if section.key == "overview":
        paras = parse_narrative(answers.texts.get(section.key, ""), section.title)
        index = 0
        for field in section.texts:
            if field.key == section.key:
                continue
            sub = parse_narrative(answers.texts.get(field.key, ""))
            if not sub:
                continue
            index += 1
            if sub[0].level == BODY:
                paras.append(Para(W.area_heading(index, field.label), H2))
            paras.extend(sub)
    else:
        paras = parse_narrative(section_text(answers, section.key), section.title)
    if any(_plain(p.text) not in _NOTHING for p in paras):
        paras = [p for p in paras if _plain(p.text) not in _NOTHING]
    if not paras:
        return [Para(W.EMPTY_DRAFT_SECTION if draft else W.EMPTY_SECTION)]
    return paras


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(".", "。").strip()


@dataclass(frozen=True)
class MissingRow:
    """Blank cells of one printed row (or one table-4 block), for the draft's list."""

    place: str
    columns: tuple[str, ...]
    whole: bool


def missing_rows(fmt: Format, missing: Sequence[str]) -> list[MissingRow]:
    """Blank cells grouped by the row that holds them, in printed order."""
    groups: dict[tuple[str, int, tuple[str, ...]], list[Cell]] = {}
    blank = set(missing)
    for cell in fmt.cells.values():
        if cell.computed:
            continue
        key = (cell.table, cell.block, _line(cell))
        groups.setdefault(key, []).append(cell)
    out = []
    for (table_id, _, line), cells in groups.items():
        empty = [c for c in cells if c.id in blank]
        if not empty:
            continue
        short = fmt.table(table_id).short
        place = f"{short}「{'·'.join(line)}」" + ("" if table_id == "appeals" else "行")
        whole = len(empty) == len(cells) and len(cells) > 1
        out.append(MissingRow(place, tuple(c.col_path[-1] for c in empty), whole))
    return out


def _line(cell: Cell) -> tuple[str, ...]:
    """What a printed line is called: its row label (with its group when numbered within one),
    or the column group for table 4."""
    if len(cell.row_path) > 2:
        return cell.row_path[1:]
    if cell.row_path:
        return cell.row_path[-1:]
    return cell.col_path[:-1]


def line_label(cell: Cell) -> str:
    """A printed line's name: "（三）不予公开·1.属于国家秘密", "行政诉讼·复议后起诉"."""
    return "·".join(_line(cell))
