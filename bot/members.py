"""Removing members: an agency's 审核人 removes a colleague, a coordinator any member of its agencies.

``/remove`` lists the agency's other members for its reviewer; a coordinator opens an agency on
the board and presses 成员. Buttons: ``c|mb|<agency>`` (the list), ``c|rm|<member>`` (asks to
confirm), ``c|rmy|<member>`` (removes), ``c|rmn|0`` (cancels). Whoever presses is checked again
against the named member's agency, since callback data can be forged. An agency keeps at least
one reviewer, who alone can confirm its submission. A removed member's later commands and
buttons are refused with the reason (``refusal``) instead of registering them anew.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.interview import Button
from storage import Member, Role
from storage.invitations import TTL, InviteKind

from . import texts_coordination as C

if TYPE_CHECKING:
    from .service import Out, Service, User

MAX_LISTED = 30  # buttons in one member list


def _out(text: str, buttons: tuple[tuple[Button, ...], ...] = (), chat: int | None = None) -> Out:
    from .service import Out

    return Out(text, buttons, chat=chat)


async def menu(svc: Service, user: User) -> list[Out]:
    """``/remove``: the reviewer's colleagues, or where a coordinator finds them."""
    from .coordination import agency_member, coordinator

    member = await agency_member(svc, user.id)
    if member is not None and member.agency_id is not None:
        if member.role is not Role.REVIEWER:
            return [_out(C.REMOVE_ONLY_REVIEWER)]
        return await _listing(svc, member.agency_id, member.id)
    if await coordinator(svc, user.id) is not None:
        return [_out(C.REMOVE_COORDINATOR_HINT)]
    return [_out(await refusal(svc, user) or C.NO_AGENCY)]


async def press(svc: Service, user: User, verb: str, arg: str) -> list[Out]:
    """A button of the removal: the list, the confirmation, the removal, the cancel."""
    if verb == "rmn":
        return [_out(C.REMOVE_CANCELLED)]
    if not arg.isdigit():
        return [_out(C.NOT_ALLOWED)]
    if verb == "mb":
        agency_id = int(arg)
        remover = await _remover(svc, user, agency_id)
        if remover is None:
            return [_out(C.NOT_ALLOWED)]
        return await _listing(svc, agency_id, remover.id)
    target = await svc.store.get_member(int(arg))
    if target is None or target.agency_id is None:
        return [_out(C.REMOVE_GONE)]
    remover = await _remover(svc, user, target.agency_id)
    if remover is None:
        return [_out(C.NOT_ALLOWED)]
    if remover.id == target.id:
        return [_out(C.REMOVE_SELF)]
    agency = await svc.store.get_agency(target.agency_id)
    name = agency.name or C.UNNAMED.format(id=agency.id)
    colleagues = await svc.store.members_of(target.agency_id)
    if target.role is Role.REVIEWER and not any(
        m.role is Role.REVIEWER and m.id != target.id for m in colleagues
    ):
        return [_out(C.REMOVE_LAST_REVIEWER.format(name=target.name, agency=name))]
    role = C.ROLE[target.role]
    if verb == "rm":
        text = C.REMOVE_CONFIRM.format(name=target.name, role=role, agency=name)
        buttons = ((Button(C.REMOVE_YES, f"c|rmy|{target.id}"), Button(C.REMOVE_NO, "c|rmn|0")),)
        return [_out(text, buttons)]
    if verb != "rmy":
        return [_out(C.NOT_ALLOWED)]
    gone = await svc.store.remove_member(target.id, now=svc.clock(), by=remover.id)
    if gone is None:
        return [_out(C.REMOVE_GONE)]
    return [
        _out(C.REMOVED_DONE.format(name=gone.name, agency=name)),
        _out(C.REMOVED_NOTICE.format(agency=name), chat=gone.telegram_user_id),
    ]


async def refusal(svc: Service, user: User) -> str | None:
    """Why a user without any membership may not go on: they were removed (else None)."""
    removed = await svc.store.removed_from(user.id)
    if not removed:
        return None
    agency = removed[0]
    return C.REMOVED_REFUSAL.format(agency=agency.name or C.UNNAMED.format(id=agency.id))


async def _remover(svc: Service, user: User, agency_id: int) -> Member | None:
    """The user's membership entitling them to remove members of this agency, if any."""
    from .board import office_of
    from .coordination import member_in

    mine = await member_in(svc, user.id, agency_id)
    if mine is not None and mine.role is Role.REVIEWER:
        return mine
    return await office_of(svc, user, agency_id)


async def _listing(svc: Service, agency_id: int, remover_id: int) -> list[Out]:
    agency = await svc.store.get_agency(agency_id)
    name = agency.name or C.UNNAMED.format(id=agency.id)
    colleagues = await svc.store.members_of(agency_id)
    others = [m for m in colleagues if m.id != remover_id]
    # The coordinator (not one of the agency) may also bring in a new reviewer: the way out when
    # the agency's reviewer has left or cannot be reached.
    invite: tuple[tuple[Button, ...], ...] = ()
    if all(m.id != remover_id for m in colleagues):
        invite = ((Button(C.INVITE_FOR_AGENCY, f"c|ir|{agency_id}"),),)
    if not others:
        return [_out(C.REMOVE_NONE.format(agency=name), invite)]
    buttons = tuple(
        (Button(C.REMOVE_BUTTON.format(name=m.name[:30], role=C.ROLE[m.role]), f"c|rm|{m.id}"),)
        for m in others[:MAX_LISTED]
    )
    return [_out(C.REMOVE_CHOOSE.format(agency=name), buttons + invite)]


async def reviewer_link(svc: Service, user: User, arg: str) -> list[Out]:
    """The coordinator's invitation of a new reviewer for one of the office's agencies."""
    from .board import office_of
    from .coordination import link

    office = await office_of(svc, user, int(arg)) if arg.isdigit() else None
    if office is None:
        return [_out(C.NOT_ALLOWED)]
    if not svc.bot_username:
        return [_out(C.NO_LINK)]
    agency = await svc.store.get_agency(int(arg))
    _, code = await svc.store.create_invite(
        InviteKind.MEMBER, Role.REVIEWER, now=svc.clock(), agency_id=agency.id, created_by=office.id
    )
    name = agency.name or C.UNNAMED.format(id=agency.id)
    return [_out(C.AGENCY_REVIEWER_LINK.format(agency=name, days=TTL.days, link=link(svc, code)))]
