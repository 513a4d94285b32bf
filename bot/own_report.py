"""The office's own report in the bot: its narrative, and its figures against the sum.

``/compile`` stores the sum of the approved agency reports as the office's own report (held by
``Store.own_agency``, on no board). From then on a coordinator without an agency of their own
answers its remaining questions - contact details, 一、总体情况, 五、存在的主要问题及改进情况,
六、其他 - through the ordinary interview, and /report, /preview and /download work on it as
they do for an agency. Compiling again replaces the tables but keeps what the coordinator wrote
(``core.aggregate.with_own_narrative``). Where the own figures differ from the sum of the
approved agencies (the coordinator corrected a double count, or more reports were approved
since), /board says so and lists every difference (``core.aggregate.compare``); /compile lists
the differences it overwrote.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from core.aggregate import (
    Aggregate,
    AggregateError,
    Difference,
    aggregate,
    compare,
    with_own_narrative,
)
from core.answers import Answers
from core.interview import Action, Button, Command, Mode, ask, complete_answers, report_year
from core.interview import resume as resume_interview
from core.preview import preview
from core.wording.aggregate import BLANK
from core.wording.cells import cell_place, num
from storage import Change, Member, ReportState, VersionConflict
from storage.codec import CELL, read_number

from . import texts_coordination as C
from .aggregate_cmd import difference_lines

if TYPE_CHECKING:
    from .board import Row
    from .service import Out, Service

LISTED_ON_COMPILE = 10  # differences quoted in the compile message; the workbook has them all


def _out(text: str, buttons: tuple[tuple[Button, ...], ...] = ()) -> Out:
    from .service import Out

    return Out(text, buttons)


async def find(svc: Service, office_id: int, year: int) -> ReportState | None:
    """The office's own report of ``year``, once a compilation has created it."""
    agency = await svc.store.find_own_agency(office_id)
    if agency is None:
        return None
    return next((r for r in await svc.store.reports_of(agency.id) if r.year == year), None)


async def handle(svc: Service, office: Member, update_id: int | None, action: Action) -> list[Out]:
    """An interview action of a coordinator without an agency: the own report, or the help."""
    assert office.office_id is not None
    name = (await svc.store.get_office(office.office_id)).name
    now = svc.clock()
    report = await find(svc, office.office_id, report_year(now.date()))
    if isinstance(action, Command) and action.name in ("help", "start"):
        return [_out(C.COORDINATOR_HELP.format(office=name))]
    if report is None:
        if isinstance(action, Command) and action.name in ("report", "preview", "download"):
            return [_out(C.OWN_NONE)]
        return [_out(C.COORDINATOR_HELP.format(office=name))]
    state = report.state
    if isinstance(action, Command) and action.name == "report":
        head = C.OWN_HEAD.format(agency=state.answers.agency or name, year=report.year)
        prompt = ask(state)
        return [_out(head), _out(prompt.text, prompt.buttons)]
    if isinstance(action, Command) and action.name == "preview":
        answers = complete_answers(state)
        return [_out(t) for t in preview(answers, draft=state.mode is not Mode.DONE)]
    if isinstance(action, Command) and action.name == "download":
        return svc.files(state, now.date())
    return await svc._step(office, report, action, update_id, now)


# ------------------------------------------------------------------ compiling


async def store_compiled(
    svc: Service, office: Member, agg: Aggregate, now: datetime
) -> tuple[ReportState, Answers | None, list[Difference]]:
    """Keep the sum as the office's own report, with the narrative it already has.

    Returns the report as stored, the own report as it was before (None the first time) and
    where that one differed from the new sum.
    """
    assert office.office_id is not None
    agency = await svc.store.own_agency(office.office_id, agg.answers.agency, now=now)
    # Its next question is asked below: what the coordinator types now answers it.
    await svc.store.set_focus(office.telegram_user_id, agency.id, now=now)
    before = next(
        (r for r in await svc.store.reports_of(agency.id) if r.year == agg.answers.year), None
    )
    previous = complete_answers(before.state) if before is not None else None
    differences: list[Difference] = []
    if previous is not None:
        try:
            differences = compare(previous, agg)
        except AggregateError:  # another format: nothing of it can be kept or compared
            previous = None
    answers = with_own_narrative(agg, previous)
    stored = await svc.store.import_answers(agency.id, answers, now=now, actor=office.id)
    if before is not None and before.state.mode is not Mode.ASK and differences:
        # New figures: the review (or the next open question) again, before a final report.
        reopened = resume_interview(stored.state)
        applied = await svc.store.apply(
            stored.report_id, stored.version, reopened, now=now, actor=office.id
        )
        stored = applied.report
    return stored, previous, differences


def compile_messages(
    stored: ReportState, agg: Aggregate, differences: list[Difference]
) -> tuple[list[Out], list[Out]]:
    """What /compile says about the own report: before the files, and after them."""
    before: list[Out] = []
    if differences:
        lines = [C.COMPILE_REPLACED.format(count=len(differences))]
        lines += difference_lines(agg, differences, LISTED_ON_COMPILE)
        before.append(_out("\n".join(lines)))
    prompt = ask(stored.state)
    after = [_out(C.OWN_NEXT), _out(prompt.text, prompt.buttons)]
    return before, after


# ------------------------------------------------------------------ corrections kept

RESTORE = "kr"  # c|kr|<report>: put back the figures the coordinator typed


def typed_and_replaced(history: list[Change]) -> dict[str, str]:
    """Figures the coordinator typed in the own report that a later compilation replaced and
    nobody typed again since: cell id -> the typed value (its exact decimal text).

    A change with an update id came from someone in the bot; one without, from a compilation
    (``Store.import_answers``). A compilation that arrives at the typed value writes nothing, so
    only figures it really changed are listed.
    """
    typed: dict[str, str] = {}
    replaced: dict[str, str] = {}
    for change in history:
        if change.kind != CELL:
            continue
        if change.update_id is not None:
            replaced.pop(change.key, None)
            if change.new is None:
                typed.pop(change.key, None)
            else:
                typed[change.key] = change.new
        elif change.key in typed:
            replaced[change.key] = typed.pop(change.key)
    return replaced


async def restore_offer(svc: Service, stored: ReportState) -> list[Out]:
    """After /compile: the typed figures it replaced, with a button to put them back."""
    replaced = typed_and_replaced(await svc.store.history(stored.report_id))
    fmt = stored.state.answers.fmt
    replaced = {k: v for k, v in replaced.items() if k in fmt.cells}
    if not replaced:
        return []
    cells = stored.state.answers.cells
    lines = [C.OWN_RESTORE_OFFER.format(count=len(replaced))]
    for cid, typed in list(replaced.items())[:LISTED_ON_COMPILE]:
        now = num(cells[cid]) if cid in cells else BLANK
        lines.append(C.OWN_RESTORE_LINE.format(place=cell_place(fmt, cid), typed=typed, now=now))
    if len(replaced) > LISTED_ON_COMPILE:
        lines.append(C.OWN_RESTORE_MORE.format(count=len(replaced) - LISTED_ON_COMPILE))
    button = Button(C.OWN_RESTORE.format(count=len(replaced)), f"c|{RESTORE}|{stored.report_id}")
    return [_out("\n".join(lines), ((button,),))]


async def restore(svc: Service, office: Member, update_id: int | None, arg: str) -> list[Out]:
    """The 恢复手工修改 button: the replaced typed figures back in the own report."""
    assert office.office_id is not None
    own = await svc.store.find_own_agency(office.office_id)
    report = None
    if own is not None and arg.isdigit():
        report = next(
            (r for r in await svc.store.reports_of(own.id) if str(r.report_id) == arg), None
        )
    if report is None:
        return [_out(C.NOT_ALLOWED)]
    fmt = report.state.answers.fmt
    replaced = typed_and_replaced(await svc.store.history(report.report_id))
    cells = {k: read_number(Decimal(v)) for k, v in replaced.items() if k in fmt.cells}
    if not cells:
        return [_out(C.OWN_RESTORE_NONE)]
    state = report.state.evolve(answers=report.state.answers.with_cells(cells))
    if state.mode is not Mode.ASK:  # the review again (or the next open question)
        state = resume_interview(state)
    try:
        applied = await svc.store.apply(
            report.report_id,
            report.version,
            state,
            now=svc.clock(),
            actor=office.id,
            update_id=update_id,
        )
    except VersionConflict:
        return [_out(C.STALE)]
    if applied.duplicate:
        return []
    return [_out(C.OWN_RESTORED.format(count=len(cells))), *svc._ask(applied.report.state)]


# ------------------------------------------------------------------ own figures against the sum


@dataclass(frozen=True)
class Comparison:
    """The own report against the sum of the approved agencies' reports."""

    agg: Aggregate
    own: Answers
    differences: list[Difference]


async def comparison(svc: Service, office_id: int, approved: list[Row]) -> Comparison | None:
    """None when there is nothing to compare (no own report or no approved report)."""
    reports = [complete_answers(r.report.state) for r in approved if r.report is not None]
    if not reports:
        return None
    own = await find(svc, office_id, reports[0].year)
    if own is None:
        return None
    mine = complete_answers(own.state)
    try:
        agg = aggregate(reports, agency=mine.agency, year=mine.year)
        return Comparison(agg, mine, compare(mine, agg))
    except AggregateError:  # /compile explains why these cannot be summed
        return None


def board_line(found: Comparison | None) -> tuple[str | None, tuple[Button, ...]]:
    """The board's line about the own report, and its button when there are differences."""
    if found is None:
        return None, ()
    count = len(found.agg.reports)
    if not found.differences:
        return C.OWN_SAME.format(count=count), ()
    text = C.OWN_DIFFERENT.format(count=count, differences=len(found.differences))
    return text, (Button(C.OWN_DIFFERENCES, "c|df|0"),)


def differences_text(found: Comparison | None) -> str:
    """Every difference (up to the command line's limit), for the 查看差异 button."""
    if found is None:
        return C.OWN_NO_COMPARISON
    if not found.differences:
        return C.OWN_NO_DIFFERENCES
    count = len(found.agg.reports)
    head = C.OWN_DIFFERENT.format(count=count, differences=len(found.differences))
    return "\n".join([head, *difference_lines(found.agg, found.differences)])[:4000]
