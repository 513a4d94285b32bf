"""/mute and /unmute (a member turns reminders off and on), /deadline (the office sets them)."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, CommandHandler, ContextTypes, filters

from core.deadline_input import Change, DeadlineInput, parse_deadline_input
from core.deadlines import CHINA, DeadlineKind
from core.wording import reminders as W
from storage import Role, StorageError, Store

from . import texts as T
from .holidays import uncovered_years
from .service import Service

log = logging.getLogger(__name__)
COMMANDS = ("mute", "unmute", "deadline")


def add_reminder_handlers(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Handle /mute and /unmute before the interview's commands (group -1)."""
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler(["mute", "unmute"], on_mute, filters=private), group=-1)
    app.add_handler(CommandHandler("deadline", on_deadline, filters=private), group=-1)


async def on_mute(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Turn reminders off (/mute) or on (/unmute) for every agency the user belongs to."""
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    if message is None or message.text is None or user is None or chat is None:
        raise ApplicationHandlerStop
    name = message.text[1:].split(None, 1)[0].split("@", 1)[0].lower()
    service = context.bot_data["service"]
    assert isinstance(service, Service)
    muted = name == "mute"
    try:
        count = await service.store.set_muted(user.id, muted, now=service.clock())
    except StorageError:
        log.exception("storage failed for update %s", update.update_id)
        text = T.BOT_DATABASE_DOWN
    else:
        text = W.MUTE_NO_AGENCY if count == 0 else (W.MUTED if muted else W.UNMUTED)
    await context.bot.send_message(chat.id, text)
    # The interview's CommandHandler (group 0) lists the same names for the menu: stop here.
    raise ApplicationHandlerStop


async def on_deadline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A coordinator shows or changes the office's deadlines and reminder settings."""
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    if message is None or message.text is None or user is None or chat is None:
        raise ApplicationHandlerStop
    service = context.bot_data["service"]
    assert isinstance(service, Service)
    now = service.clock()
    arg = message.text.partition(" ")[2]
    try:
        text = await deadline_reply(service.store, user.id, arg, now)
    except StorageError:
        log.exception("storage failed for update %s", update.update_id)
        text = T.BOT_DATABASE_DOWN
    await context.bot.send_message(chat.id, text)
    raise ApplicationHandlerStop


async def deadline_reply(store: Store, telegram_user_id: int, arg: str, now: datetime) -> str:
    """Apply a /deadline of a coordinator and describe the settings now in force."""
    offices = [
        m.office_id
        for m in await store.memberships(telegram_user_id)
        if m.role is Role.COORDINATOR and m.office_id is not None
    ]
    if not offices:
        return W.DEADLINE_NOT_COORDINATOR
    office = offices[0]
    try:
        asked = parse_deadline_input(arg, now.astimezone(CHINA).date())
        await _apply(store, office, asked, now)
    except ValueError as exc:
        return f"{exc}\n{W.DEADLINE_USAGE}"
    agency = await store.deadline(office, asked.year)
    government = await store.deadline(office, asked.year, kind=DeadlineKind.GOVERNMENT)
    policy = await store.reminder_policy(office)
    # The days reminders can fall on: is the holiday calendar out of data for any of them?
    first = agency.due - timedelta(days=max(policy.offsets, default=0))
    last = agency.due + timedelta(days=policy.overdue_days)
    return W.deadline_summary(
        year=asked.year,
        agency_due=agency.due,
        agency_internal=agency.internal,
        government_due=government.due,
        government_internal=government.internal,
        offsets=policy.offsets,
        send_at=policy.send_at,
        overdue_days=policy.overdue_days,
        guessed=uncovered_years(first.year, last.year),
    )


async def _apply(store: Store, office: int, asked: DeadlineInput, now: datetime) -> None:
    if asked.change is Change.DEADLINE:
        assert asked.due is not None
        await store.set_deadline(office, asked.year, asked.due, now=now, kind=asked.kind)
    elif asked.change is Change.RESET:
        await store.clear_deadline(office, asked.year, kind=asked.kind)
    elif asked.change is not Change.SHOW:
        policy = await store.reminder_policy(office)
        if asked.change is Change.OFFSETS:
            policy = replace(policy, offsets=asked.offsets)
        elif asked.change is Change.SEND_AT and asked.send_at is not None:
            policy = replace(policy, send_at=asked.send_at)
        elif asked.overdue_days is not None:
            policy = replace(policy, overdue_days=asked.overdue_days)
        await store.set_reminder_policy(office, policy, now=now)
