"""Which report a user's answers go to when they could go to more than one.

Most users belong to one agency and work on its most recently changed open report. Some have
more: a township officer who fills in for two agencies, or the office's coordinator who is also
a member of an agency (the county government office files its own agency report and compiles the
county's). A *workspace* is one of these: an agency membership (that agency's reports), or an
office's coordinator membership (the office's own report, once ``/compile`` has created it).

``/report`` lists every open report of every workspace when there is more than one (several
agencies, or several years of one); the choice is kept in the store (``Store.focus``) so that it
survives restarts and holds on every replica. Without a choice, or when it names an agency the
user no longer belongs to, the latest agency membership counts, and there the most recently
changed open report; a coordinator without an agency works on the office's own report.
``/compile`` moves its coordinator to the own report, whose next question it asks.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from core.interview import Button, Command, report_year
from storage import Member, ReportState, ReportStatus
from storage.invitations import Focus

from . import texts as T
from . import texts_coordination as C

if TYPE_CHECKING:
    from .service import Out, Service, User

OPEN = (ReportStatus.FILLING, ReportStatus.RETURNED)  # reports that can still be worked on
SWITCH, ENTER = "r|", "w|"  # a report of a workspace; a workspace without an open report
SWITCHES = (SWITCH, ENTER)
NAME = 20  # characters of an agency's name on a button


@dataclass(frozen=True)
class Workspace:
    """Where the user's answers go.

    Attributes:
        member: The membership acting: an agency's member, or the office's coordinator.
        own: The office's own report (``member`` is the coordinator).
        agency_id: The agency whose reports these are (for ``own``, the office's own agency,
            None until the first ``/compile``).
        focus: The user's stored choice (read with the memberships, for ``Service._report``).
        alone: Whether this is the user's only workspace.
    """

    member: Member
    own: bool
    agency_id: int | None
    focus: Focus | None = None
    alone: bool = True


@dataclass(frozen=True)
class Choice:
    """A button of the /report list."""

    label: str
    data: str
    agency_id: int
    report: ReportState | None  # None: the agency has no open report (its current one opens)
    own: bool
    current: bool


async def current(svc: Service, telegram_user_id: int) -> Workspace | None:
    """The user's workspace now; None for someone who belongs nowhere yet."""
    return _pick(await _all(svc, telegram_user_id))


def _pick(spaces: list[Workspace]) -> Workspace | None:
    if not spaces:
        return None
    focus = spaces[0].focus
    found = next((s for s in spaces if focus is not None and s.agency_id == focus.agency_id), None)
    if found is None:
        agencies = [s for s in spaces if not s.own]
        found = agencies[-1] if agencies else spaces[-1]
    return replace(found, alone=len(spaces) == 1)


async def _all(svc: Service, telegram_user_id: int) -> list[Workspace]:
    """Every workspace of the user, in the order they joined, each with the stored choice."""
    memberships, focus = await svc.store.whereabouts(telegram_user_id)
    spaces: list[Workspace] = []
    for m in memberships:
        if m.agency_id is not None:
            spaces.append(Workspace(m, False, m.agency_id, focus))
        elif m.office_id is not None:
            own = await svc.store.find_own_agency(m.office_id)
            spaces.append(Workspace(m, True, own.id if own else None, focus))
    return spaces


async def choices(svc: Service, telegram_user_id: int, now: datetime) -> list[Choice]:
    """Every report the user may choose to work on, their current one marked."""
    spaces = await _all(svc, telegram_user_id)
    here = _pick(spaces)
    in_use = None
    if here is not None and not here.own:
        in_use = (await svc._report(here.member, now, here.focus)).report_id
    named = len({s.agency_id for s in spaces if s.agency_id is not None}) > 1
    found: list[Choice] = []
    seen: set[int] = set()
    for space in spaces:
        agency_id = space.agency_id
        if agency_id is None or agency_id in seen:
            continue
        seen.add(agency_id)
        reports = await svc.store.reports_of(agency_id)
        if space.own:
            year = report_year(now.date())
            reports = [r for r in reports if r.year == year]
        else:
            reports = [r for r in reports if r.status in OPEN]
        name = ""
        if named:
            agency = await svc.store.get_agency(agency_id)
            name = (agency.name or C.UNNAMED.format(id=agency_id))[:NAME]
        is_here = here is not None and here.agency_id == agency_id
        for r in reports:
            label = _label(name, r.year, space.own)
            mark = is_here and (space.own or r.report_id == in_use)
            found.append(Choice(label, f"{SWITCH}{r.report_id}", agency_id, r, space.own, mark))
        if not reports and not space.own:
            label = T.BOT_WORKSPACE_BUTTON.format(agency=name)
            found.append(Choice(label, f"{ENTER}{agency_id}", agency_id, None, False, is_here))
    return found


def _label(name: str, year: int, own: bool) -> str:
    if own:
        return T.BOT_OWN_BUTTON.format(agency=name, year=year)
    if name:
        return T.BOT_AGENCY_YEAR_BUTTON.format(agency=name, year=year)
    return T.BOT_YEAR_BUTTON.format(year=year)


def menu(found: list[Choice]) -> Out:
    """The /report list: one button a report, the current one marked."""
    from .service import Out

    buttons = tuple(
        (Button(T.BOT_CURRENT_MARK + c.label if c.current else c.label, c.data),) for c in found
    )
    several = len({c.agency_id for c in found}) > 1
    return Out(T.BOT_CHOOSE_REPORT if several else T.BOT_CHOOSE_YEAR, buttons)


async def switch(svc: Service, user: User, data: str, update_id: int | None) -> list[Out] | None:
    """Work on the chosen report from now on; None when it is not one of the user's (a forged or
    outdated button), for the caller to show where the user is."""
    from . import own_report
    from .service import Out

    now = svc.clock()
    chosen = next((c for c in await choices(svc, user.id, now) if c.data == data), None)
    if chosen is None:
        return None
    report = chosen.report
    await svc.store.set_focus(
        user.id, chosen.agency_id, None if report is None else report.report_id, now=now
    )
    here = await current(svc, user.id)
    if here is None or here.agency_id != chosen.agency_id:  # removed from it a moment ago
        return None
    if chosen.own:
        return await own_report.handle(svc, here.member, update_id, Command("report"))
    # The chosen report, or for an agency without an open one its current one.
    report = await svc._report(here.member, now, here.focus)
    name = (await svc.store.get_agency(report.agency_id)).name or T.BOT_THIS_AGENCY
    return [Out(T.BOT_SWITCHED.format(agency=name, year=report.year)), *svc._ask(report.state)]
