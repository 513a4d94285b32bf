"""Configuration: the one place nianbao reads its environment.

``Settings`` is built once at an entry point (the CLI, the bot's ``run``) and passed down as a
value. Nothing else reads ``os.environ``, and nothing here connects to anything. Values come
from the environment or from a ``.env`` file in the working directory.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from storage.engine import DEFAULT_URL

TOKEN = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{30,100}$")
TELEGRAM_API = "https://api.telegram.org/bot"
TELEGRAM_FILES = "https://api.telegram.org/file/bot"


class Settings(BaseSettings):
    """Typed settings from environment variables (or ``.env``).

    Attributes:
        database_url: ``DATABASE_URL``. SQLite by default (``./data/nianbao.db``, created and
            migrated on first use); ``postgresql://user:password@host/db`` in production.
        telegram_bot_token: ``TELEGRAM_BOT_TOKEN`` from BotFather.
        telegram_base_url: ``TELEGRAM_BASE_URL``, for a self-hosted Bot API server.
        telegram_base_file_url: ``TELEGRAM_BASE_FILE_URL``, its file download URL.
        webhook_url: ``WEBHOOK_URL``: the public HTTPS URL Telegram posts updates to; long
            polling when empty.
        webhook_secret: ``WEBHOOK_SECRET``: required in the ``X-Telegram-Bot-Api-Secret-Token``
            header of every webhook request.
        host: ``HOST`` the webhook server listens on.
        port: ``PORT`` the webhook server listens on.
        reminder_rate: ``REMINDER_RATE``: reminders sent per second (Telegram allows a bot about
            30 messages per second in bulk; the rest is left for answering people).
        reminder_interval: ``REMINDER_INTERVAL``: seconds between reminder passes in
            ``nianbao run``; 0 turns reminders off.
        telegram_rate_limit: ``TELEGRAM_RATE_LIMIT``: most messages per second the whole bot
            sends. 0 (the default): no cap of our own — answers go out at once, Telegram's
            ``429 retry_after`` is honoured, and reminders keep to ``REMINDER_RATE``. Set it
            (e.g. 30) when the bot shares its Telegram limits with other senders.
        metrics_port: ``METRICS_PORT``: in long-polling mode, the port of a small HTTP listener
            (on ``HOST``) for ``GET /healthz`` and ``GET /metrics``; 0 (default) opens none.
            Webhook mode serves both on ``PORT`` beside the webhook.
        log_format: ``LOG_FORMAT``: ``text`` (default) or ``json`` (one object per line).
        log_level: ``LOG_LEVEL``: ``DEBUG``, ``INFO`` (default), ``WARNING`` or ``ERROR``.
    """

    model_config = SettingsConfigDict(
        case_sensitive=False,
        extra="ignore",
        frozen=True,
        populate_by_name=True,
        env_file=".env",
        env_file_encoding="utf-8",
    )

    database_url: str = Field(default=DEFAULT_URL, validation_alias="DATABASE_URL")
    telegram_bot_token: SecretStr = Field(
        default=SecretStr(""), validation_alias="TELEGRAM_BOT_TOKEN"
    )
    telegram_base_url: str = Field(default=TELEGRAM_API, validation_alias="TELEGRAM_BASE_URL")
    telegram_base_file_url: str = Field(
        default=TELEGRAM_FILES, validation_alias="TELEGRAM_BASE_FILE_URL"
    )
    webhook_url: str = Field(default="", validation_alias="WEBHOOK_URL")
    webhook_secret: SecretStr = Field(default=SecretStr(""), validation_alias="WEBHOOK_SECRET")
    host: str = Field(default="0.0.0.0", validation_alias="HOST")
    port: int = Field(default=8080, ge=1, le=65535, validation_alias="PORT")
    reminder_rate: float = Field(default=25.0, gt=0, le=1000, validation_alias="REMINDER_RATE")
    reminder_interval: float = Field(default=300.0, ge=0, validation_alias="REMINDER_INTERVAL")
    telegram_rate_limit: float = Field(
        default=0.0, ge=0, le=1000, validation_alias="TELEGRAM_RATE_LIMIT"
    )
    metrics_port: int = Field(default=0, ge=0, le=65535, validation_alias="METRICS_PORT")
    log_format: Literal["text", "json"] = Field(default="text", validation_alias="LOG_FORMAT")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", validation_alias="LOG_LEVEL"
    )

    @field_validator("telegram_base_url", "telegram_base_file_url", "webhook_url")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @property
    def token(self) -> str:
        return self.telegram_bot_token.get_secret_value().strip()

    @property
    def webhook_mode(self) -> bool:
        return bool(self.webhook_url)
