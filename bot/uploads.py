"""A report the user sends as a file: check it, then keep it as last year's or continue it.

``receive`` reads the file (``core.importers``), replies with the check in Chinese and offers two
buttons. The buttons carry only a short digest of the file (≤ 64 bytes); the handler fetches the
file again from the message the bot replied to, so nothing waits in memory between the two steps
and a restart loses nothing. ``choose`` then:

- keeps it as last year's report: saved as the current report's ``State.last`` through
  ``Store.apply`` (it drives the cross-year warnings) and, when 上年结转 is still blank and the
  formats match, fills 上年结转 from its 结转下年度继续办理;
- continues it as a draft: its cells and texts go into the agency's report for the document's year
  (the current one or a new one), after a confirmation when that would overwrite anything.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from core.answers import Answers
from core.cleantext import clean_text
from core.formats import FORMATS, format_for_year
from core.importers import MAX_BYTES, Imported, read_document
from core.importers.checking import check_document
from core.interview import Button, State, new_state, resume
from core.preview import split_messages
from core.wording.importing import fatal_message, report_lines
from storage import Member, ReportState, VersionConflict

from . import texts as T
from .workspace import OPEN, Workspace

if TYPE_CHECKING:
    from .service import Out, Service, User

PREFIX = "u|"
KEEP_LAST, DRAFT, OVERWRITE, CANCEL = "l", "d", "o", "x"
CHAT_LIMIT = 3500  # leave room under Telegram's 4096 for the buttons' message


@dataclass(frozen=True)
class Upload:
    """A file as the user sent it."""

    filename: str
    content: bytes


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()[:16]


def button_data(action: str, content: bytes) -> str:
    return f"{PREFIX}{action}|{digest(content)}"


async def receive(
    service: Service, user: User, here: Workspace | None, update_id: int | None, upload: Upload
) -> list[Out]:
    """Read and check an uploaded report; offer what to do with it."""
    from .service import Out

    if len(upload.content) > MAX_BYTES:
        return [Out(T.BOT_UPLOAD_TOO_LARGE)]
    # Reading is CPU work (up to seconds for a hostile 20 MB file): keep the event loop free.
    imported = await asyncio.to_thread(read_document, upload.content, upload.filename)
    if not imported.readable:
        return [Out(T.BOT_UPLOAD_UNREADABLE.format(reason=fatal_message(imported)))]
    if here is not None and here.own:
        # The office's own report is the sum of its agencies': a file is checked, not used.
        check = check_document(imported, "", None)
        outs = [Out(p) for p in split_messages("\n".join(report_lines(check)), CHAT_LIMIT)]
        return [*outs, Out(T.BOT_UPLOAD_OWN)]
    now = service.clock()
    member = await service._member(user, now, here)
    report = await service._report(member, now, here.focus if here else None)
    last = report.state.last
    same_year = imported.year == report.year and last is not None
    check = check_document(
        imported,
        last.format if same_year and last else "",
        dict(last.cells) if same_year and last else None,
    )
    pieces = split_messages("\n".join(report_lines(check)), CHAT_LIMIT)
    outs = [Out(p) for p in pieces]
    if imported.format is None:
        outs.append(Out(T.BOT_UPLOAD_NO_TABLES))
        return outs
    buttons = (
        (Button(T.BOT_UPLOAD_KEEP_LAST, button_data(KEEP_LAST, upload.content)),),
        (Button(T.BOT_UPLOAD_AS_DRAFT, button_data(DRAFT, upload.content)),),
    )
    outs.append(Out(T.BOT_UPLOAD_CHOOSE, buttons))
    return outs


async def choose(
    service: Service,
    user: User,
    here: Workspace | None,
    update_id: int | None,
    data: str,
    upload: Upload | None,
) -> list[Out]:
    """Act on a button under an uploaded report; ``upload`` is the file fetched again."""
    from .service import Out

    action, _, wanted = data.removeprefix(PREFIX).partition("|")
    if action == CANCEL:
        return [Out(T.BOT_UPLOAD_CANCELLED)]
    if upload is None or digest(upload.content) != wanted:
        return [Out(T.BOT_UPLOAD_GONE)]
    # Reading is CPU work (up to seconds for a hostile 20 MB file): keep the event loop free.
    imported = await asyncio.to_thread(read_document, upload.content, upload.filename)
    if not imported.readable or imported.format is None:
        return [Out(T.BOT_UPLOAD_GONE)]
    if here is not None and here.own:  # switched to the own report since the file came
        return [Out(T.BOT_UPLOAD_OWN_CHOICE)]
    now = service.clock()
    member = await service._member(user, now, here)
    report = await service._report(member, now, here.focus if here else None)
    try:
        if action == KEEP_LAST:
            return await _keep_last(service, member.id, report, imported, update_id, now)
        if action in (DRAFT, OVERWRITE):
            confirmed = action == OVERWRITE
            return await _draft(
                service, member, report, imported, upload, update_id, now, confirmed
            )
    except VersionConflict as conflict:
        return [Out(T.BOT_CONFLICT), *service._ask(conflict.current.state)]
    return [Out(T.BOT_UPLOAD_GONE)]


def _answers(imported: Imported, year: int) -> Answers:
    """The document as answers: entered cells only (totals are computed), texts, agency."""
    assert imported.format is not None
    fmt = FORMATS[imported.format]
    cells = {k: v for k, v in imported.cells.items() if not fmt.cells[k].computed}
    # What a document says is kept as the interview would keep it typed (core.cleantext).
    texts = {k: clean_text(v) for k, v in imported.texts.items()}
    return Answers(imported.format, year, clean_text(imported.agency), cells, texts)


async def _keep_last(
    service: Service,
    actor: int,
    report: ReportState,
    imported: Imported,
    update_id: int | None,
    now: datetime,
) -> list[Out]:
    from .service import Out

    year = report.year - 1
    if imported.year is not None and imported.year != year:
        return [Out(T.BOT_LAST_WRONG_YEAR.format(found=imported.year, year=year))]
    if imported.format != format_for_year(year).id:
        return [Out(T.BOT_LAST_WRONG_FORMAT.format(year=year))]
    last = _answers(imported, year)
    state = report.state.evolve(last=last)
    filled = prefill_carried_in(state)
    applied = await service.store.apply(
        report.report_id, report.version, filled, now=now, actor=actor, update_id=update_id
    )
    if applied.duplicate:
        return []
    notes = [T.BOT_LAST_KEPT.format(year=year, report=report.year)]
    added = {k: v for k, v in filled.answers.cells.items() if k not in state.answers.cells}
    if added:
        notes.append(T.BOT_LAST_PREFILLED.format(count=len(added)))
    if imported.year is None:
        notes.append(T.BOT_LAST_YEAR_ASSUMED.format(year=year))
    return [Out("\n".join(notes)), *service._ask(filled)]


def prefill_carried_in(state: State) -> State:
    """上年结转 from last year's 结转下年度继续办理, where the row is still blank (same format)."""
    last, answers = state.last, state.answers
    if last is None or last.format != answers.format:
        return state
    fmt = answers.fmt
    ids = [c.id for c in fmt.cells.values() if c.row == "carried_in" and not c.computed]
    if any(cid in answers.cells for cid in ids):
        return state
    values = {cid: last.cells.get(cid.replace(".carried_in.", ".carried_out.")) for cid in ids}
    known = {k: v for k, v in values.items() if v is not None}
    if not known:
        return state
    return state.evolve(answers=answers.with_cells(known))


async def _draft(
    service: Service,
    member: Member,
    current: ReportState,
    imported: Imported,
    upload: Upload,
    update_id: int | None,
    now: datetime,
    confirmed: bool,
) -> list[Out]:
    from .service import Out

    agency_id, actor = member.agency_id, member.id
    assert agency_id is not None
    year = imported.year
    if year is None:
        if imported.format != current.format:
            return [Out(T.BOT_DRAFT_NO_YEAR)]
        year = current.year
    if not 2019 <= year <= 2100 or format_for_year(year).id != imported.format:
        return [Out(T.BOT_DRAFT_WRONG_FORMAT.format(year=year))]
    incoming = _answers(imported, year)
    reports = await service.store.reports_of(agency_id)
    target = next((r for r in reports if r.year == year), None)
    if target is None:
        agency = await service.store.get_agency(agency_id)
        last = next((r.state.answers for r in reports if r.year == year - 1), None)
        state = new_state(
            now.date(),
            year=year,
            agency=incoming.agency or agency.name,
            contact=agency.contact,
            last=last,
            cells=incoming.cells,
        )
        state = resume(state.evolve(answers=_with_texts(state.answers, incoming)))
        created = await service.store.create_report(agency_id, state, now=now, actor=actor)
        return [Out(_imported_note(incoming, year)), *service._ask(created.state)]
    if target.status not in OPEN:
        return [Out(T.BOT_DRAFT_LOCKED.format(year=year))]
    existing = target.state.answers
    clashes = overwrites(existing, incoming)
    if clashes and not confirmed:
        buttons = (
            (Button(T.BOT_DRAFT_OVERWRITE, button_data(OVERWRITE, upload.content)),),
            (Button(T.BOT_DRAFT_KEEP, f"{PREFIX}{CANCEL}"),),
        )
        return [Out(T.BOT_DRAFT_CONFIRM.format(year=year, count=clashes), buttons)]
    merged = existing.with_cells(dict(incoming.cells))
    merged = _with_texts(merged, incoming)
    if not merged.agency and incoming.agency:
        merged = merged.with_meta(agency=incoming.agency)
    state = resume(target.state.evolve(answers=merged))
    applied = await service.store.apply(
        target.report_id, target.version, state, now=now, actor=actor, update_id=update_id
    )
    if applied.duplicate:
        return []
    return [Out(_imported_note(incoming, year)), *service._ask(state)]


def overwrites(existing: Answers, incoming: Answers) -> int:
    """How many answers already entered the document would change."""
    cells = sum(
        1 for k, v in incoming.cells.items() if k in existing.cells and existing.cells[k] != v
    )
    texts = sum(
        1
        for k, v in incoming.texts.items()
        if existing.texts.get(k, "").strip() and existing.texts[k].strip() != v.strip()
    )
    return cells + texts


def _with_texts(answers: Answers, incoming: Answers) -> Answers:
    for k, v in incoming.texts.items():
        answers = answers.with_text(k, v)
    return answers


def _imported_note(incoming: Answers, year: int) -> str:
    return T.BOT_DRAFT_DONE.format(year=year, cells=len(incoming.cells), texts=len(incoming.texts))
