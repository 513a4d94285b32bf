"""The coordinator's side: the board of agencies, a report's review, the consolidated report.

Buttons: ``c|pg|<page>``, ``c|ag|<agency>``, ``c|ok|<report>``, ``c|rt|<report>``,
``c|cs|<agency>`` (toggle for compiling), ``c|cp|all`` / ``c|cp|sel``, ``c|df|0`` (the own
report's differences from the sum, ``bot/own_report.py``) and the member list's ``c|mb|…``
(``bot/members.py``). Each checks that the presser coordinates the office the named agency
reports to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from core.aggregate import AggregateError, aggregate
from core.check import evaluate
from core.deadlines import Stage, progress_of
from core.interview import Button, State, complete_answers, report_year, status
from core.render_compilation import render_compilation
from core.render_docx import render_docx
from core.report import ReportNotReady
from core.rules import Severity
from core.wording.rules import describe
from storage import (
    Agency,
    Applied,
    Member,
    NotFound,
    ReportState,
    ReportStatus,
    Role,
    VersionConflict,
)

from . import own_report
from . import texts_coordination as C

if TYPE_CHECKING:
    from .service import Out, Service, User

PAGE = 8
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Most urgent first: overdue, waiting for the coordinator, not started, returned, filling, …
RANK = {"overdue": 0, "submitted": 1, "none": 2, "returned": 3, "filling": 4, "in_review": 5}


def _out(
    text: str = "", buttons: tuple[tuple[Button, ...], ...] = (), chat: int | None = None
) -> Out:
    from .service import Out

    return Out(text, buttons, chat=chat)


@dataclass(frozen=True)
class Row:
    """One agency on the board."""

    agency: Agency
    report: ReportState | None
    key: str  # a key of C.STATUS
    percent: int

    @property
    def name(self) -> str:
        return self.agency.name or C.UNNAMED.format(id=self.agency.id)

    @property
    def label(self) -> str:
        return C.STATUS[self.key].format(percent=self.percent)


async def load(svc: Service, report_id: int) -> ReportState | None:
    try:
        return await svc.store.load_report(report_id)
    except NotFound:
        return None


async def office_of(svc: Service, user: User, agency_id: int | None = None) -> Member | None:
    """The user's coordinator membership (of the agency's office, when one is named)."""
    found = [m for m in await svc.store.memberships(user.id) if m.office_id is not None]
    if agency_id is None:
        return found[-1] if found else None
    try:
        agency = await svc.store.get_agency(agency_id)
    except NotFound:
        return None
    return next((m for m in found if m.office_id == agency.office_id), None)


async def may_review(svc: Service, user: User, report: ReportState) -> Member | None:
    """The membership entitling the user to return this report: its reviewer or coordinator."""
    for m in await svc.store.memberships(user.id):
        if m.agency_id == report.agency_id and m.role is Role.REVIEWER:
            return m
    return await office_of(svc, user, report.agency_id)


async def rows(svc: Service, office_id: int, year: int, today: date) -> list[Row]:
    """Every agency of the office with its status, most urgent first."""
    due = (await svc.store.deadline(office_id, year)).due
    found = []
    for agency in await svc.store.list_agencies(office_id):
        report = next((r for r in await svc.store.reports_of(agency.id) if r.year == year), None)
        key, percent = "none", 0
        # A report the interview created but nobody answered yet is still 未开始.
        if report is not None and (report.status is not ReportStatus.FILLING or _begun(report)):
            key = str(report.status)
            if report.status is ReportStatus.FILLING:
                percent = progress_of(Stage.FILLING, report.state.answers).percent
        if today > due and key not in ("submitted", "approved"):
            key = "overdue"
        found.append(Row(agency, report, key, percent))
    return sorted(found, key=lambda r: (RANK.get(r.key, 9), r.percent, r.name))


def _begun(report: ReportState) -> bool:
    answers = report.state.answers
    return bool(answers.agency or answers.cells or answers.texts or answers.contact)


async def show(svc: Service, user: User, page: int) -> list[Out]:
    office = await office_of(svc, user)
    if office is None or office.office_id is None:
        return [_out(C.NOT_COORDINATOR)]
    today = svc.clock().date()
    year = report_year(today)
    name = (await svc.store.get_office(office.office_id)).name
    found = await rows(svc, office.office_id, year, today)
    if not found:
        return [_out(C.BOARD_EMPTY)]
    pages = (len(found) + PAGE - 1) // PAGE
    page = min(max(page, 0), pages - 1)
    chunk = found[page * PAGE : (page + 1) * PAGE]
    lines = [
        C.BOARD_HEAD.format(
            office=name[:100], year=year, count=len(found), page=page + 1, pages=pages
        ),
        C.BOARD_DEADLINE.format(due=(await svc.store.deadline(office.office_id, year)).due),
    ]
    buttons: list[tuple[Button, ...]] = []
    for n, row in enumerate(chunk, page * PAGE + 1):
        lines.append(C.BOARD_LINE.format(n=n, agency=row.name[:120], status=row.label))
        buttons.append((Button(f"{row.name[:24]} · {row.label}", f"c|ag|{row.agency.id}"),))
    approved = [r for r in found if r.key == "approved"]
    own_line, own_buttons = own_report.board_line(
        await own_report.comparison(svc, office.office_id, approved)
    )
    if own_line is not None:
        lines.append(own_line)
    if own_buttons:
        buttons.append(own_buttons)
    nav = []
    if page > 0:
        nav.append(Button(C.PREV, f"c|pg|{page - 1}"))
    if page + 1 < pages:
        nav.append(Button(C.NEXT, f"c|pg|{page + 1}"))
    if nav:
        buttons.append(tuple(nav))
    return [_out("\n".join(lines), tuple(buttons))]


async def press(svc: Service, user: User, update_id: int | None, verb: str, arg: str) -> list[Out]:
    """A coordinator's button; anything unknown or not theirs is refused."""
    if verb == "pg" and arg.isdigit():
        return await show(svc, user, int(arg))
    if verb == "cp" and arg in ("all", "sel"):
        return await compile_report(svc, user, arg)
    if verb == "df":
        return await _differences(svc, user)
    if not arg.isdigit():
        return [_out(C.NOT_ALLOWED)]
    if verb == own_report.RESTORE:
        mine = await office_of(svc, user)
        if mine is None or mine.office_id is None:
            return [_out(C.NOT_ALLOWED)]
        return await own_report.restore(svc, mine, update_id, arg)
    if verb == "ag":
        return await detail(svc, user, int(arg))
    if verb == "cs":
        return await compile_menu(svc, user, int(arg))
    report = await load(svc, int(arg))
    office = None if report is None else await office_of(svc, user, report.agency_id)
    if report is None or office is None:
        return [_out(C.NOT_ALLOWED)]
    if verb == "ok":
        return await _approve(svc, office, update_id, report)
    if verb == "rt":
        if report.status not in (ReportStatus.SUBMITTED, ReportStatus.APPROVED):
            return [_out(C.STALE)]
        from .coordination import COMMENT

        await svc.store.set_pending(user.id, COMMENT, str(report.report_id), now=svc.clock())
        agency = await svc.store.get_agency(report.agency_id)
        return [_out(C.ASK_COMMENT.format(agency=agency.name))]
    return [_out(C.NOT_ALLOWED)]


async def detail(svc: Service, user: User, agency_id: int) -> list[Out]:
    """An agency's summary and errors, its files, and 通过 / 退回修改 when it is submitted."""
    office = await office_of(svc, user, agency_id)
    if office is None or office.office_id is None:
        return [_out(C.NOT_ALLOWED)]
    today = svc.clock().date()
    year = report_year(today)
    row = next(
        r for r in await rows(svc, office.office_id, year, today) if r.agency.id == agency_id
    )
    if row.report is None:
        members_button = ((Button(C.MEMBERS, f"c|mb|{agency_id}"),),)
        return [_out(C.DETAIL_NO_REPORT.format(agency=row.name, year=year), members_button)]
    state = row.report.state
    answers = complete_answers(state)
    errors = [v for v in evaluate(answers.fmt, answers.cells) if v.severity is Severity.ERROR]
    lines = [C.DETAIL_HEAD.format(agency=row.name, year=year, status=row.label), status(state)]
    if errors:
        lines.append(C.DETAIL_ERRORS.format(count=len(errors)))
        lines += [f"· {describe(answers.fmt, v)}" for v in errors[:10]]
    else:
        lines.append(C.DETAIL_NO_ERRORS)
    rid = row.report.report_id
    buttons: tuple[tuple[Button, ...], ...] = ()
    if row.report.status is ReportStatus.SUBMITTED:
        buttons = ((Button(C.APPROVE, f"c|ok|{rid}"), Button(C.RETURN, f"c|rt|{rid}")),)
    elif row.report.status is ReportStatus.APPROVED:
        buttons = ((Button(C.RETURN, f"c|rt|{rid}"),),)
    buttons += ((Button(C.MEMBERS, f"c|mb|{agency_id}"),),)
    text = "\n".join(lines)[:3900]
    return [
        _out(text),
        *svc.files(state, today),
        _out(C.DETAIL_HEAD.format(agency=row.name, year=year, status=row.label), buttons),
    ]


async def change_status(
    svc: Service,
    report: ReportState,
    status: ReportStatus,
    actor: Member,
    update_id: int | None,
    state: State | None = None,
) -> Applied | None:
    """Save a review decision; None when the report changed meanwhile (a second decision)."""
    try:
        return await svc.store.apply(
            report.report_id,
            report.version,
            state or report.state,
            now=svc.clock(),
            actor=actor.id,
            update_id=update_id,
            status=status,
        )
    except VersionConflict:
        return None


async def _approve(
    svc: Service, office: Member, update_id: int | None, report: ReportState
) -> list[Out]:
    if report.status is not ReportStatus.SUBMITTED:
        return [_out(C.STALE)]
    applied = await change_status(svc, report, ReportStatus.APPROVED, office, update_id)
    if applied is None:
        return [_out(C.STALE)]
    if applied.duplicate:
        return []
    agency = await svc.store.get_agency(report.agency_id)
    assert office.office_id is not None
    office_name = (await svc.store.get_office(office.office_id)).name
    name = agency.name or C.UNNAMED.format(id=agency.id)
    out = [_out(C.APPROVED_SENDER.format(agency=name, year=report.year))]
    text = C.APPROVED_MEMBER.format(agency=name, year=report.year, office=office_name)
    out += [_out(text, chat=m.telegram_user_id) for m in await svc.store.members_of(agency.id)]
    return out


# ------------------------------------------------------------------ the consolidated report


async def _approved(svc: Service, office_id: int, year: int) -> list[Row]:
    today = svc.clock().date()
    return [r for r in await rows(svc, office_id, year, today) if r.key == "approved"]


async def compile_menu(svc: Service, user: User, toggle: int | None) -> list[Out]:
    """Choose approved reports to sum (the selection is kept as the user's pending input)."""
    office = await office_of(svc, user)
    if office is None or office.office_id is None:
        return [_out(C.NOT_COORDINATOR)]
    year = report_year(svc.clock().date())
    approved = await _approved(svc, office.office_id, year)
    if not approved:
        return [_out(C.COMPILE_NONE)]
    pending = await svc.store.pending(user.id)
    chosen = set()
    if pending is not None and pending.kind == "compile":
        chosen = {int(x) for x in pending.arg.split(",") if x.isdigit()}
    ids = {r.agency.id for r in approved}
    if toggle is not None and toggle in ids:
        chosen ^= {toggle}
    chosen &= ids
    arg = ",".join(map(str, sorted(chosen)))
    await svc.store.set_pending(user.id, "compile", arg, now=svc.clock())
    buttons = [(Button(C.COMPILE_ALL.format(count=len(approved)), "c|cp|all"),)]
    for r in approved:
        mark = "☑" if r.agency.id in chosen else "☐"
        buttons.append((Button(f"{mark} {r.name[:30]}", f"c|cs|{r.agency.id}"),))
    buttons.append((Button(C.COMPILE_SELECTED, "c|cp|sel"),))
    text = C.COMPILE_CHOOSE.format(chosen=len(chosen), count=len(approved))
    return [_out(text, tuple(buttons))]


async def compile_report(svc: Service, user: User, which: str) -> list[Out]:
    """Sum the chosen approved reports into the office's own report; send .docx and .xlsx."""
    from .service import Document, Out

    office = await office_of(svc, user)
    if office is None or office.office_id is None:
        return [_out(C.NOT_COORDINATOR)]
    now = svc.clock()
    year = report_year(now.date())
    approved = await _approved(svc, office.office_id, year)
    if which == "sel":
        pending = await svc.store.pending(user.id)
        chosen = set()
        if pending is not None and pending.kind == "compile":
            chosen = {int(x) for x in pending.arg.split(",") if x.isdigit()}
        approved = [r for r in approved if r.agency.id in chosen]
    if not approved:
        return [_out(C.COMPILE_NOTHING)]
    await svc.store.clear_pending(user.id)
    name = (await svc.store.get_office(office.office_id)).name
    reports = [complete_answers(r.report.state) for r in approved if r.report is not None]
    try:
        agg = aggregate(reports, agency=name, year=year)
    except AggregateError as exc:
        return [_out(C.COMPILE_FAILED.format(detail=exc))]
    stored, previous, differences = await own_report.store_compiled(svc, office, agg, now)
    answers = complete_answers(stored.state)
    try:
        docx = render_docx(answers, report_date=now.date())
    except ReportNotReady:  # the office's own narrative is still to be written
        docx = render_docx(answers, report_date=now.date(), draft=True)
    # The workbook sets the own report as it was against the new sum: nothing changes unseen.
    xlsx = render_compilation(agg, own=previous, report_date=now.date())
    out = [_out(C.COMPILE_DONE.format(count=len(reports), office=name, year=year))]
    if agg.gaps:
        out.append(_out(C.COMPILE_GAPS.format(count=len(agg.gaps))))
    if agg.invalid:
        out.append(_out(C.COMPILE_INVALID.format(count=len(agg.invalid))))
    before, after = own_report.compile_messages(stored, agg, differences)
    before += await own_report.restore_offer(svc, stored)
    if any(m.agency_id is not None for m in await svc.store.memberships(user.id)):
        after.insert(1, _out(C.OWN_SWITCH_BACK))  # a coordinator with an agency report too
    out += before
    base = f"{name}{year}年政府信息公开工作年度报告"
    out.append(Out(document=Document(f"{base}.docx", docx, DOCX)))
    out.append(Out(document=Document(f"{base}（汇总表）.xlsx", xlsx, XLSX)))
    return out + after


async def _differences(svc: Service, user: User) -> list[Out]:
    """Every cell where the office's own report differs from the sum of the approved reports."""
    office = await office_of(svc, user)
    if office is None or office.office_id is None:
        return [_out(C.NOT_COORDINATOR)]
    year = report_year(svc.clock().date())
    approved = await _approved(svc, office.office_id, year)
    return [
        _out(
            own_report.differences_text(
                await own_report.comparison(svc, office.office_id, approved)
            )
        )
    ]
