"""A bare python-telegram-bot echo bot: the baseline ``bench/bot.py`` measures beside nianbao.

Run: ``TELEGRAM_BOT_TOKEN=… TELEGRAM_BASE_URL=… TELEGRAM_BASE_FILE_URL=… python -m
bench._echo_bot [--concurrent 256]`` (``bench.bot`` does). Long polling, no rate limiter, no
database: every text message is sent back to its chat. Like nianbao it handles up to 256
updates at once (0: one at a time, PTB's default). Stops on SIGTERM or Ctrl+C.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

LOCAL = "http://127.0.0.1:"  # a benchmark's bot never talks to the real Telegram


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Sends the text back, the same call nianbao makes for its answers."""
    message = update.effective_message
    if message is not None and message.text:
        await context.bot.send_message(message.chat_id, message.text)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench._echo_bot")
    parser.add_argument("--concurrent", type=int, default=256, help="updates handled at once")
    args = parser.parse_args(argv)
    base, files = os.environ["TELEGRAM_BASE_URL"], os.environ["TELEGRAM_BASE_FILE_URL"]
    if not base.startswith(LOCAL) or not files.startswith(LOCAL):
        parser.error(f"a local Bot API server only ({LOCAL}…)")
    application = (
        Application.builder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(base)
        .base_file_url(files)
        .concurrent_updates(args.concurrent or False)
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, echo))
    print("echo bot polling", flush=True)
    application.run_polling(allowed_updates=["message"])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
