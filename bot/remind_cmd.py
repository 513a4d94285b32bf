"""``nianbao remind [--at INSTANT] [--dry-run]``: one reminder pass, as if it were that instant."""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime
from typing import TextIO

from telegram.error import TelegramError

from core.deadlines import CHINA, Skip
from core.wording import reminders as W
from storage import StorageError, Store
from storage.reminders import Outcome

from . import texts as T
from .config import Settings
from .reminder_send import bot_sender, reminder_bot
from .reminders import PassReport, run_pass

EXIT_OK, EXIT_FAILED = 0, 2
VERBS = {Outcome.SENT: W.SENT, Outcome.FAILED: W.FAILED, Outcome.RETRY: W.RETRY}


def parse_at(text: str | None) -> datetime:
    """An ISO instant (Beijing time when it names no offset), or now (ValueError if bad)."""
    if text is None:
        return datetime.now(CHINA)
    at = datetime.fromisoformat(text.strip())
    return at.replace(tzinfo=CHINA) if at.tzinfo is None else at


def run_remind(
    settings: Settings, at_text: str | None, dry_run: bool, out: TextIO | None = None
) -> int:
    """Run one pass and print each reminder on a line, then a summary; 0 unless it could not run."""
    out = out or sys.stdout
    try:
        at = parse_at(at_text)
    except ValueError:
        return _fail(W.REMIND_BAD_AT)
    if not dry_run and not settings.token:
        return _fail(W.REMIND_NO_TOKEN)

    async def go() -> PassReport:
        async with await Store.open(settings.database_url) as store:
            if dry_run:
                return await run_pass(store, at, dry_run=True)
            bot = reminder_bot(
                settings.token, settings.telegram_base_url, settings.telegram_base_file_url
            )
            async with bot:
                return await run_pass(store, at, send=bot_sender(bot), rate=settings.reminder_rate)

    try:
        report = asyncio.run(go())
    except StorageError as exc:
        return _fail(T.STORAGE_FAILED.format(detail=exc))
    except TelegramError as exc:
        return _fail(T.RUN_TELEGRAM.format(url=settings.telegram_base_url, detail=exc))
    out.write("".join(line + "\n" for line in report_lines(report)))
    return EXIT_OK


def report_lines(report: PassReport) -> list[str]:
    """One line per reminder, the summary, and a note when the holiday data ran out."""
    lines = []
    for due in report.due:
        p = due.reminder
        if report.dry_run:
            verb = W.WOULD_SEND
        else:
            verb = VERBS.get(report.outcomes.get((p.member_id, p.text), Outcome.RETRY), W.RETRY)
            if (p.member_id, p.text) not in report.outcomes:
                verb = W.ELSEWHERE
        lines.append(W.line(verb, due.name, due.agency, p.text))
    sent = len(report.due) if report.dry_run else report.count(Outcome.SENT)
    lines.append(
        W.summary(
            at=f"{report.at.astimezone(CHINA):%Y-%m-%d %H:%M}",
            dry_run=report.dry_run,
            count=sent,
            failed=report.count(Outcome.FAILED),
            already=report.already,
            done=report.skipped[Skip.DONE],
            muted=report.skipped[Skip.MUTED],
            busy=report.skipped[Skip.BUSY],
            quiet=report.quiet,
        )
    )
    if report.guessed_years:
        lines.append(W.calendar_fallback(report.guessed_years))
    return lines


def _fail(message: str) -> int:
    sys.stderr.write(message + "\n")
    return EXIT_FAILED
