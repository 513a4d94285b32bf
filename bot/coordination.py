"""Offices, invitations, roles and the agency's own review before submission.

``Service.handle`` asks ``handle`` first: it answers what belongs here (``/new_office``,
``/start <code>``, ``/invite``, ``/revoke``, ``/remove``, ``/board``, ``/compile``, buttons
``c|…``, typed answers the user owes us, a coordinator's work on the office's own report, and
the refusal of a removed member) and returns None for everything else. A typed answer owed
(``pending_inputs``) is forgotten as soon as the user sends another command or presses another
button. Every button names a report, agency or invitation; whoever presses it is checked
against that object again, because callback data comes from the client and can be forged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.interview import Action, Button, Command, Mode, Press, State, Text, ask, complete_answers
from core.preview import preview
from storage import Member, ReportState, ReportStatus, Role
from storage.invitations import TTL, Focus, InviteKind, Pending, Redeemed

from . import board, members, metrics, own_report, workspace
from . import texts_coordination as C
from .workspace import Workspace

if TYPE_CHECKING:
    from .service import Out, Service, User

COMMANDS = ("new_office", "invite", "revoke", "remove", "board", "compile")
LOCKED = (ReportStatus.IN_REVIEW, ReportStatus.SUBMITTED, ReportStatus.APPROVED)
OFFICE_NAME, COMMENT, COMPILE = "office", "comment", "compile"
MAX_ID = 2**31 - 1  # ids are INTEGER columns


def _out(
    text: str = "", buttons: tuple[tuple[Button, ...], ...] = (), chat: int | None = None
) -> Out:
    from .service import Out

    return Out(text, buttons, chat=chat)


async def handle(
    svc: Service, user: User, update_id: int | None, action: Action
) -> list[Out] | None:
    """The answer when the action belongs to coordination (offices, invitations, the board, the
    review, a typed answer owed to one of them), else None."""
    now = svc.clock()
    pending = await svc.store.pending(user.id)
    if pending is not None and not isinstance(action, Text) and not _continues(pending, action):
        # Another command or button: the typed answer we waited for (a 退回 comment, an
        # office's name) is no longer owed, so a later message is not taken for it.
        await svc.store.clear_pending(user.id)
        pending = None
    if isinstance(action, Command):
        if action.name == "start" and action.arg:
            return await _redeem(svc, user, update_id, action.arg)
        if action.name == "new_office":
            await svc.store.set_pending(user.id, OFFICE_NAME, "", now=now)
            return [_out(C.ASK_OFFICE_NAME)]
        if action.name == "invite":
            return await _invite_menu(svc, user)
        if action.name == "revoke":
            return await _revoke_menu(svc, user)
        if action.name == "remove":
            return await members.menu(svc, user)
        if action.name == "board":
            return await board.show(svc, user, 0)
        if action.name == "compile":
            return await board.compile_menu(svc, user, None)
    if isinstance(action, Text) and pending is not None:
        await svc.store.clear_pending(user.id)
        if pending.kind == OFFICE_NAME:
            return await _new_office(svc, user, action.text.strip())
        if pending.kind == COMMENT and pending.arg.isdigit():
            return await send_back(svc, user, update_id, int(pending.arg), action.text.strip())
    if isinstance(action, Press) and action.data.startswith("c|"):
        return await _press(svc, user, update_id, action.data)
    return None


async def route(
    svc: Service, user: User, here: Workspace | None, update_id: int | None, action: Action
) -> list[Out] | None:
    """The answer for a user working on the office's own report or belonging nowhere any more;
    None for the interview of ``here``'s agency (or a new user's own)."""
    if here is not None and here.own:
        # The office's own report (a coordinator without an agency, or one who chose it): never
        # make them an agency by accident; once compiled, the own report is theirs to write.
        return await _own(svc, user, here.member, update_id, action)
    if here is None:
        # /start (without a code) is how anyone registers their own agency: a removed member too.
        starting = isinstance(action, Command) and action.name == "start"
        refused = None if starting else await members.refusal(svc, user)
        if refused is not None:  # removed from their agency: not registered anew by accident
            return [_out(refused)]
    return None


async def _own(
    svc: Service, user: User, office: Member, update_id: int | None, action: Action
) -> list[Out]:
    if isinstance(action, Command) and action.name == "cancel":
        return [_out(C.CANCELLED)]
    if isinstance(action, Command) and action.name == "report":
        found = await workspace.choices(svc, user.id, svc.clock())
        if len(found) > 1:
            return [workspace.menu(found)]
    if isinstance(action, Press) and action.data.startswith(workspace.SWITCHES):
        switched = await workspace.switch(svc, user, action.data, update_id)
        if switched is not None:
            return switched
        action = Command("report")  # another's report, or a forged button: where they are
    return await own_report.handle(svc, office, update_id, action)


def _continues(pending: Pending, action: Action) -> bool:
    """Whether a command or button keeps the pending input (only compile's own toggles do)."""
    return (
        pending.kind == COMPILE
        and isinstance(action, Press)
        and action.data.startswith(("c|cs|", "c|cp|"))
    )


async def _press(svc: Service, user: User, update_id: int | None, data: str) -> list[Out]:
    parts = data.split("|")
    verb, arg = parts[1], "|".join(parts[2:])
    if arg.isdigit() and not (arg.isascii() and int(arg) <= MAX_ID):
        # Forged: "²" passes isdigit() but not int(), and no row id is that large (the
        # database would refuse it as out of range).
        return [_out(C.NOT_ALLOWED)]
    if verb == "inv" and arg in (Role.FILLER, Role.REVIEWER):
        return await _colleague_link(svc, user, Role(arg))
    if verb in ("mb", "rm", "rmy", "rmn"):
        return await members.press(svc, user, verb, arg)
    if verb == "ir":
        return await members.reviewer_link(svc, user, arg)
    if verb == "rv" and arg.isdigit():
        return await _revoke(svc, user, int(arg))
    if verb in ("sub", "back") and arg.isdigit():
        return await _reviewer_press(svc, user, update_id, verb, int(arg))
    return await board.press(svc, user, update_id, verb, arg)


# ------------------------------------------------------------------ who is who


async def agency_member(svc: Service, telegram_user_id: int) -> Member | None:
    """The agency membership the user works in now (``bot/workspace.py``); None for a user who
    belongs to no agency or is working on the office's own report."""
    here = await workspace.current(svc, telegram_user_id)
    return None if here is None or here.own else here.member


async def coordinator(svc: Service, telegram_user_id: int) -> Member | None:
    found = [m for m in await svc.store.memberships(telegram_user_id) if m.office_id is not None]
    return found[-1] if found else None


async def member_in(svc: Service, telegram_user_id: int, agency_id: int) -> Member | None:
    """The user's membership of exactly this agency, if any."""
    for m in await svc.store.memberships(telegram_user_id):
        if m.agency_id == agency_id:
            return m
    return None


def link(svc: Service, code: str) -> str:
    return f"https://t.me/{svc.bot_username}?start={code}"


async def _new_office(svc: Service, user: User, name: str) -> list[Out]:
    if not 2 <= len(name) <= 100 or name.startswith("/"):
        await svc.store.set_pending(user.id, OFFICE_NAME, "", now=svc.clock())
        return [_out(C.OFFICE_NAME_BAD)]
    now = svc.clock()
    member = await svc.store.start_office(name, user.id, user.name[:100] or str(user.id), now=now)
    _, code = await svc.store.create_invite(
        InviteKind.AGENCY, Role.REVIEWER, now=now, office_id=member.office_id, created_by=member.id
    )
    return [_out(C.OFFICE_CREATED.format(office=name, days=TTL.days, link=link(svc, code)))]


async def _redeem(svc: Service, user: User, update_id: int | None, code: str) -> list[Out]:
    name = user.name[:100] or str(user.id)
    done = await svc.store.redeem(code.strip(), user.id, name, now=svc.clock())
    if done.outcome is Redeemed.ALREADY:
        return [_out(C.ALREADY_MEMBER)]
    if done.outcome is not Redeemed.OK:
        return [_out(C.REDEEM_FAILED[done.outcome])]
    assert done.member is not None and done.invite is not None
    assert done.member.agency_id is not None
    # From now on the user works on the agency just joined (bot/workspace.py).
    now = svc.clock()
    await svc.store.set_focus(user.id, done.member.agency_id, now=now)
    rest = svc._ask((await svc._report(done.member, now, Focus(done.member.agency_id, None))).state)
    if done.invite.kind is InviteKind.AGENCY:
        assert done.invite.office_id is not None
        office = await svc.store.get_office(done.invite.office_id)
        return [_out(C.JOINED_AGENCY.format(office=office.name)), *rest]
    agency = await svc.store.get_agency(done.member.agency_id)
    role = C.ROLE[done.member.role]
    return [_out(C.JOINED_COLLEAGUE.format(role=role, agency=agency.name or "本单位")), *rest]


async def _invite_menu(svc: Service, user: User) -> list[Out]:
    member = await agency_member(svc, user.id)
    if member is None:
        office = await coordinator(svc, user.id)
        if office is None:
            return [_out(await members.refusal(svc, user) or C.NO_AGENCY)]
        if not svc.bot_username:
            return [_out(C.NO_LINK)]
        _, code = await svc.store.create_invite(
            InviteKind.AGENCY,
            Role.REVIEWER,
            now=svc.clock(),
            office_id=office.office_id,
            created_by=office.id,
        )
        return [_out(C.AGENCY_LINK.format(days=TTL.days, link=link(svc, code)))]
    row = [Button(C.INVITE_FILLER, f"c|inv|{Role.FILLER}")]
    if member.role is Role.REVIEWER:
        row.append(Button(C.INVITE_REVIEWER, f"c|inv|{Role.REVIEWER}"))
    return [_out(C.INVITE_CHOOSE, (tuple(row),))]


async def _colleague_link(svc: Service, user: User, role: Role) -> list[Out]:
    member = await agency_member(svc, user.id)
    if member is None:
        return [_out(await members.refusal(svc, user) or C.NO_AGENCY)]
    if role is Role.REVIEWER and member.role is not Role.REVIEWER:
        return [_out(C.NOT_ALLOWED)]
    if not svc.bot_username:
        return [_out(C.NO_LINK)]
    _, code = await svc.store.create_invite(
        InviteKind.MEMBER, role, now=svc.clock(), agency_id=member.agency_id, created_by=member.id
    )
    text = C.COLLEAGUE_LINK.format(role=C.ROLE[role], days=TTL.days, link=link(svc, code))
    return [_out(text)]


async def _revoke_menu(svc: Service, user: User) -> list[Out]:
    now = svc.clock()
    member = await agency_member(svc, user.id)
    office = await coordinator(svc, user.id)
    found = []
    if member is not None:
        found = await svc.store.live_invites(now, agency_id=member.agency_id)
        if member.role is not Role.REVIEWER:
            found = [i for i in found if i.created_by == member.id]
    elif office is not None:
        found = await svc.store.live_invites(now, office_id=office.office_id)
        # and the reviewer links the coordinator made for agencies (members.reviewer_link)
        mine = await svc.store.live_invites(now, created_by=office.id)
        found = list({i.id: i for i in [*found, *mine]}.values())
    else:
        return [_out(await members.refusal(svc, user) or C.NO_AGENCY)]
    if not found:
        return [_out(C.REVOKE_NONE)]
    buttons = []
    for i in found[:20]:
        if i.kind is InviteKind.AGENCY:
            what = C.REVOKE_AGENCY
        elif member is None and i.agency_id is not None:
            agency = await svc.store.get_agency(i.agency_id)
            name = (agency.name or C.UNNAMED.format(id=agency.id))[:20]
            what = C.REVOKE_FOR_AGENCY.format(agency=name)
        else:
            what = C.ROLE[i.role]
        date = i.expires_at.astimezone(now.tzinfo).date().isoformat()
        buttons.append((Button(C.REVOKE_BUTTON.format(what=what, date=date), f"c|rv|{i.id}"),))
    return [_out(C.REVOKE_CHOOSE, tuple(buttons))]


async def _revoke(svc: Service, user: User, invite_id: int) -> list[Out]:
    invite = await svc.store.get_invite(invite_id)
    if invite is None:
        return [_out(C.NOT_ALLOWED)]
    allowed = False
    if invite.agency_id is not None:
        mine = await member_in(svc, user.id, invite.agency_id)
        allowed = mine is not None and (mine.role is Role.REVIEWER or invite.created_by == mine.id)
        if not allowed:  # a reviewer link the agency's coordinator made
            office = await board.office_of(svc, user, invite.agency_id)
            allowed = office is not None and invite.created_by == office.id
    elif invite.office_id is not None:
        office = await coordinator(svc, user.id)
        allowed = office is not None and office.office_id == invite.office_id
    if not allowed:
        return [_out(C.NOT_ALLOWED)]
    await svc.store.revoke_invite(invite_id, now=svc.clock())
    return [_out(C.REVOKED)]


# ------------------------------------------------------------------ submission


async def status_after(svc: Service, before: ReportState, state: State) -> ReportStatus | None:
    """待审核 when an office's agency completes its report; None leaves the status alone."""
    if state.mode is not Mode.DONE or before.state.mode is Mode.DONE:
        return None
    agency = await svc.store.get_agency(before.agency_id)
    return ReportStatus.IN_REVIEW if agency.office_id is not None else None


async def after_step(svc: Service, before: ReportState, after: ReportState) -> list[Out]:
    """The messages a change of status sends: the preview to the agency's reviewers."""
    if after.status is not ReportStatus.IN_REVIEW or before.status is ReportStatus.IN_REVIEW:
        return []
    agency = await svc.store.get_agency(after.agency_id)
    assert agency.office_id is not None
    office = await svc.store.get_office(agency.office_id)
    answers = complete_answers(after.state)
    ask_text = C.REVIEW_ASK.format(
        agency=agency.name or "本单位", year=after.year, office=office.name
    )
    buttons = (
        (
            Button(C.SUBMIT, f"c|sub|{after.report_id}"),
            Button(C.SEND_BACK, f"c|back|{after.report_id}"),
        ),
    )
    out = [_out(C.SENT_TO_REVIEWER.format(office=office.name))]
    for m in await svc.store.members_of(agency.id):
        if m.role is Role.REVIEWER:
            out += [_out(t, chat=m.telegram_user_id) for t in preview(answers)]
            out.append(_out(ask_text, buttons, chat=m.telegram_user_id))
    return out


def locked(report: ReportState) -> str | None:
    """Why the interview may not change this report now, if it may not."""
    if report.status in LOCKED:
        return C.LOCKED.format(status=C.STATUS[report.status])
    return None


async def _reviewer_press(
    svc: Service, user: User, update_id: int | None, verb: str, report_id: int
) -> list[Out]:
    report = await board.load(svc, report_id)
    mine = None if report is None else await member_in(svc, user.id, report.agency_id)
    if report is None or mine is None or mine.role is not Role.REVIEWER:
        return [_out(C.NOT_ALLOWED)]
    if report.status is not ReportStatus.IN_REVIEW:
        return [_out(C.STALE)]
    agency = await svc.store.get_agency(report.agency_id)
    if verb == "back":
        await svc.store.set_pending(user.id, COMMENT, str(report_id), now=svc.clock())
        return [_out(C.ASK_COMMENT.format(agency=agency.name))]
    applied = await board.change_status(svc, report, ReportStatus.SUBMITTED, mine, update_id)
    if applied is None:
        return [_out(C.STALE)]
    if applied.duplicate:
        return []
    metrics.report_submitted()
    assert agency.office_id is not None
    office = await svc.store.get_office(agency.office_id)
    name = agency.name or C.UNNAMED.format(id=agency.id)
    view = ((Button(C.VIEW, f"c|ag|{agency.id}"),),)
    out = [_out(C.SUBMITTED.format(office=office.name))]
    for c in await svc.store.coordinators_of(office.id):
        text = C.ARRIVED.format(agency=name, year=report.year)
        out.append(_out(text, view, chat=c.telegram_user_id))
    return out


async def send_back(
    svc: Service, user: User, update_id: int | None, report_id: int, comment: str
) -> list[Out]:
    """Return a report with a comment (its reviewer before submission, or the coordinator)."""
    report = await board.load(svc, report_id)
    if report is None:
        return [_out(C.NOT_ALLOWED)]
    actor = await board.may_review(svc, user, report)
    if actor is None:
        return [_out(C.NOT_ALLOWED)]
    allowed = (
        (ReportStatus.IN_REVIEW,)
        if actor.role is Role.REVIEWER
        else (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
    )
    if report.status not in allowed:
        return [_out(C.STALE)]
    reopened = report.state.evolve(mode=Mode.REVIEW, current="review", text_open=False)
    applied = await board.change_status(
        svc, report, ReportStatus.RETURNED, actor, update_id, reopened
    )
    if applied is None:
        return [_out(C.STALE)]
    if applied.duplicate:
        return []
    agency = await svc.store.get_agency(report.agency_id)
    name = agency.name or C.UNNAMED.format(id=agency.id)
    text = C.RETURNED_MEMBER.format(agency=name, year=report.year, comment=comment[:1000])
    out = [_out(C.RETURNED_SENDER.format(agency=name))]
    prompt = ask(reopened)
    for m in await svc.store.members_of(agency.id):
        out.append(_out(text, chat=m.telegram_user_id))
        out.append(_out(prompt.text, prompt.buttons, chat=m.telegram_user_id))
    return out
