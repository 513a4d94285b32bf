"""Use cases behind the Telegram handlers: plain values in, messages to send out.

A handler turns an update into ``(User, update_id, action)``; ``Service.handle`` finds the
user's report, runs one interview step, saves it in one transaction (before any reply goes out)
and returns what to send. Nothing here knows about python-telegram-bot.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from core.cleantext import clean_text
from core.interview import (
    Action,
    Button,
    Command,
    Mode,
    Press,
    Reply,
    State,
    Text,
    ask,
    complete_answers,
    new_state,
    report_year,
    review,
    step,
)
from core.preview import LIMIT, preview, split_messages, utf16_len
from storage import (
    AlreadyExists,
    Member,
    MemberGone,
    ReportState,
    ReportStatus,
    Store,
    VersionConflict,
)
from storage.invitations import Focus

from . import metrics, rendering, workspace
from . import texts as T
from .workspace import OPEN

if TYPE_CHECKING:
    from .uploads import Upload

log = logging.getLogger(__name__)
CHINA = ZoneInfo("Asia/Shanghai")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FINISH = "f|review"
CONFLICT_TRIES = 3  # an answer met a report saved in between: tried again on the latest state
JOIN = "\n\n"


@dataclass(frozen=True)
class User:
    """Who is talking: the Telegram user and their private chat."""

    id: int
    name: str


@dataclass(frozen=True)
class Document:
    """A file to send; ``content`` may still be rendering (``bot/rendering.py``)."""

    filename: str
    content: bytes | asyncio.Future[bytes]
    mime: str

    async def data(self) -> bytes:
        """The file's bytes, once rendered."""
        if isinstance(self.content, bytes):
            return self.content
        return await self.content


@dataclass(frozen=True)
class Out:
    """One message to send: text with inline buttons, or a document.

    ``chat`` sends it to another private chat (a Telegram user id) instead of the sender's.
    """

    text: str = ""
    buttons: tuple[tuple[Button, ...], ...] = ()
    document: Document | None = None
    chat: int | None = None


@dataclass
class Service:
    """The bot's use cases over one store; ``clock`` gives the current time (aware)."""

    store: Store
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(CHINA))
    # The bot's @username for invitation links; set once getMe has answered (telegram_app).
    bot_username: str = ""

    async def handle(self, user: User, update_id: int | None, action: Action) -> list[Out]:
        """Answer one action of ``user``; everything it changes is saved before returning."""
        user, action = _cleaned(user), _cleaned_action(action)
        try:
            return fit(merge(await self._handle(user, update_id, action)))
        except MemberGone:
            # Removed from the agency a moment before this was saved: refused, as every later
            # action of theirs is.
            return await self._removed(user)

    async def _handle(self, user: User, update_id: int | None, action: Action) -> list[Out]:
        from . import coordination

        now = self.clock()
        # Offices, invitations and review come first: a /start with a code must not register
        # the user alone, and buttons of the review name reports the checks must see.
        early = await coordination.handle(self, user, update_id, action)
        if early is not None:
            return early
        here = await workspace.current(self, user.id)
        routed = await coordination.route(self, user, here, update_id, action)
        if routed is not None:
            return routed
        member = await self._member(user, now, here)
        if isinstance(action, Command):
            if action.name == "help":
                return [Out(T.BOT_HELP)]
            if action.name == "cancel":
                return [Out(T.BOT_CANCELLED)]
        report = await self._report(member, now, here.focus if here else None)
        if isinstance(action, Command):
            if action.name == "start":
                return [Out(T.BOT_WELCOME.format(name=user.name)), *self._ask(report.state)]
            if action.name == "report":
                return await self._choose(user, report, alone=here is None or here.alone)
            if action.name == "preview":
                return self._preview(report.state)
            if action.name == "download":
                return [*self._files(report.state, now.date())]
        if isinstance(action, Press) and action.data.startswith(workspace.SWITCHES):
            switched = await workspace.switch(self, user, action.data, update_id)
            # Another agency's report, or a forged button: show where the user is.
            return self._ask(report.state) if switched is None else switched
        if isinstance(action, Press) and action.data.startswith("u|"):
            # An upload's button without its file (the handler could not fetch it again).
            return await self.upload_choice(user, update_id, action.data, None)
        return await self._step(member, report, action, update_id, now)

    async def upload(self, user: User, update_id: int | None, upload: Upload) -> list[Out]:
        """A report sent as a file: check it and offer to use it (``bot/uploads.py``)."""
        from . import uploads

        user = _cleaned(user)
        try:
            here = await self._here(user)
            if isinstance(here, list):
                return here
            return merge(await uploads.receive(self, user, here, update_id, upload))
        except MemberGone:
            return await self._removed(user)

    async def upload_choice(
        self, user: User, update_id: int | None, data: str, upload: Upload | None
    ) -> list[Out]:
        """A button under an uploaded report; ``upload`` is the file fetched again."""
        from . import uploads

        user = _cleaned(user)
        try:
            here = await self._here(user)
            if isinstance(here, list):
                return here
            return merge(await uploads.choose(self, user, here, update_id, data, upload))
        except MemberGone:
            return await self._removed(user)

    async def _here(self, user: User) -> workspace.Workspace | list[Out] | None:
        """The user's workspace, or the refusal of someone removed from their agency (who is
        not registered anew by sending a file)."""
        from . import members

        here = await workspace.current(self, user.id)
        if here is None and (refused := await members.refusal(self, user)) is not None:
            return [Out(refused)]
        return here

    async def _removed(self, user: User) -> list[Out]:
        """The refusal for a member removed from the agency while acting."""
        from . import members
        from . import texts_coordination as C

        refusal = await members.refusal(self, user)
        return [Out(refusal or C.REMOVED_REFUSAL.format(agency="本单位"))]

    # ------------------------------------------------------------------ who and which report

    async def _member(self, user: User, now: datetime, here: workspace.Workspace | None) -> Member:
        """The agency membership the user works in (``here``, see ``bot/workspace.py``); someone
        who belongs nowhere gets an agency of their own. Not for an office's own report
        (``coordination`` routes those first)."""
        if here is not None:
            assert not here.own, "the office's own report is coordination's"
            return here.member
        return await self.store.register_alone(user.id, user.name[:100] or str(user.id), now=now)

    async def _report(self, member: Member, now: datetime, focus: Focus | None) -> ReportState:
        """The report the member is working on: the open one chosen with /report, else the most
        recently changed open one, else this year's (created when there is none)."""
        assert member.agency_id is not None
        reports = await self.store.reports_of(member.agency_id)
        open_reports = [r for r in reports if r.status in OPEN]
        if focus is not None and focus.agency_id == member.agency_id:
            # A year chosen with /report (bot/workspace.py), while it is open.
            for r in open_reports:
                if r.report_id == focus.report_id:
                    return r
        if open_reports:
            return open_reports[0]
        year = report_year(now.date())
        for r in reports:
            if r.year == year:
                return r
        agency = await self.store.get_agency(member.agency_id)
        last = next((complete_answers(r.state) for r in reports if r.year == year - 1), None)
        state = new_state(now.date(), agency=agency.name, contact=agency.contact, last=last)
        return await self.store.create_report(member.agency_id, state, now=now, actor=member.id)

    async def _choose(self, user: User, report: ReportState, *, alone: bool) -> list[Out]:
        """/report: the current question, or the list when there is more than one to choose."""
        if alone:  # one agency (most users): the list only when several years are open
            reports = await self.store.reports_of(report.agency_id)
            if sum(r.status in OPEN for r in reports) < 2:
                return self._ask(report.state)
        found = await workspace.choices(self, user.id, self.clock())
        if len(found) < 2:
            return self._ask(report.state)
        return [workspace.menu(found)]

    # ------------------------------------------------------------------ the interview

    async def _step(
        self,
        member: Member,
        report: ReportState,
        action: Action,
        update_id: int | None,
        now: datetime,
        attempt: int = 1,
    ) -> list[Out]:
        from . import coordination

        state, replies = step(report.state, action)
        if state == report.state:
            if update_id is not None and await self.store.update_seen(update_id):
                # Applied before a restart and delivered again: on the state it produced the
                # same words may mean nothing, or be refused; either way it was answered.
                return []
            return [_out(r) for r in replies]
        refused = coordination.locked(report)
        if refused is not None:  # submitted for review: only a return reopens it
            return [Out(refused)]
        try:
            applied = await self.store.apply(
                report.report_id,
                report.version,
                state,
                now=now,
                actor=member.id,
                update_id=update_id,
                status=await coordination.status_after(self, report, state),
            )
        except AlreadyExists:
            # The year changed to one the agency already has a report for: nothing saved.
            year = state.answers.year
            return [Out(T.BOT_YEAR_TAKEN.format(year=year)), *self._ask(report.state)]
        except VersionConflict as conflict:
            latest = conflict.current
            if attempt < CONFLICT_TRIES and _same_question(report.state, latest.state):
                # Saved in between (a colleague, another replica) but the question this answer
                # was typed for is still the one asked: it means the same on the latest state.
                metrics.conflict(retried=True)
                return await self._step(member, latest, action, update_id, now, attempt + 1)
            metrics.conflict(retried=False)
            return [Out(T.BOT_CONFLICT), *self._ask(latest.state)]
        if applied.duplicate:
            log.info("update %s already handled", update_id)
            metrics.duplicate()
            return []
        out = [_out(r) for r in replies]
        if _can_finish(state) and not _can_finish(report.state):
            # Before the final confirmation the user reads the whole report once.
            out = [*self._preview(state), *out]
        if state.mode is Mode.DONE and report.state.mode is not Mode.DONE:
            metrics.report_finished(in_review=applied.report.status is ReportStatus.IN_REVIEW)
            out.extend(self._files(state, now.date()))
        out.extend(await coordination.after_step(self, report, applied.report))
        return out

    def _ask(self, state: State) -> list[Out]:
        return [_out(ask(state))]

    # ------------------------------------------------------------------ documents

    def _preview(self, state: State) -> list[Out]:
        answers = complete_answers(state)
        return [Out(text) for text in preview(answers, draft=state.mode is not Mode.DONE)]

    def files(self, state: State, today: date) -> list[Out]:
        """The report's .docx (and, once finished, .xlsx) as messages."""
        return self._files(state, today)

    def _files(self, state: State, today: date) -> list[Out]:
        answers = complete_answers(state)
        done = state.mode is Mode.DONE
        name = T.BOT_FILE_NAME.format(agency=answers.agency or "本单位", year=answers.year)
        if not done:
            name += "（草稿）"
        # Both start rendering in worker processes now; the text before them goes out meanwhile.
        docx = rendering.render("docx", answers, today, draft=not done)
        head = Out(T.BOT_FILES_READY if done else T.BOT_NOT_READY)
        files = [head, Out(document=Document(f"{name}.docx", docx, DOCX))]
        if done:
            xlsx = rendering.render("xlsx", answers, today, draft=False)
            files.append(Out(document=Document(f"{name}.xlsx", xlsx, XLSX)))
        return files


def merge(outs: list[Out]) -> list[Out]:
    """Consecutive texts for one chat as one message, within Telegram's 4,096 units.

    A text without buttons joins the text after it (「已记录…」 and the next question): one
    bubble on the phone and one Bot API call instead of two. Documents and a text that carries
    buttons end a message.
    """
    merged: list[Out] = []
    for out in outs:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.text
            and out.text
            and not last.buttons
            and last.document is None
            and out.document is None
            and last.chat == out.chat
            and utf16_len(last.text) + len(JOIN) + utf16_len(out.text) <= LIMIT
        ):
            merged[-1] = replace(out, text=last.text + JOIN + out.text)
        else:
            merged.append(out)
    return merged


def _same_question(before: State, now: State) -> bool:
    """Whether an action typed on ``before`` answers the same question on ``now``."""
    return (before.current, before.mode, before.text_open) == (now.current, now.mode, now.text_open)


def fit(outs: list[Out]) -> list[Out]:
    """Texts over Telegram's 4,096 units split (it would refuse them); buttons stay on the last.

    Replies echo what people typed (a comment, a name), so no wording can promise a length.
    """
    fitted: list[Out] = []
    for out in outs:
        if out.document is not None or utf16_len(out.text) <= LIMIT:
            fitted.append(out)
            continue
        *head, last = split_messages(out.text, LIMIT)
        fitted.extend(Out(piece, chat=out.chat) for piece in head if piece.strip())
        fitted.append(replace(out, text=last))
    return fitted


def _cleaned(user: User) -> User:
    """The user with a name that can be stored and printed (``core.cleantext``)."""
    return User(user.id, clean_text(user.name))


def _cleaned_action(action: Action) -> Action:
    """What the user sent, without characters that cannot be stored or printed."""
    if isinstance(action, Text):
        return Text(clean_text(action.text))
    if isinstance(action, Command):
        return Command(action.name, clean_text(action.arg))
    return Press(clean_text(action.data))


def _can_finish(state: State) -> bool:
    """Whether the state shows the review with its 完成填报 button."""
    if state.mode is not Mode.REVIEW:
        return False
    return any(b.data == FINISH for row in review(state).buttons for b in row)


def _out(reply: Reply) -> Out:
    return Out(reply.text, reply.buttons)
