"""Configuration: the one place nianbao reads its environment.

``Settings`` is built once at an entry point (the CLI, later the bot's ``main``) and passed down
as a value. Nothing else reads ``os.environ``, and nothing here connects to anything.
Other settings (TELEGRAM_BOT_TOKEN, the webhook, …) join this class as their features land.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from storage.engine import DEFAULT_URL


class Settings(BaseSettings):
    """Typed settings from environment variables.

    Attributes:
        database_url: ``DATABASE_URL``. SQLite by default (``./data/nianbao.db``, created and
            migrated on first use); ``postgresql://user:password@host/db`` in production.
    """

    model_config = SettingsConfigDict(
        case_sensitive=False, extra="ignore", frozen=True, populate_by_name=True
    )

    database_url: str = Field(default=DEFAULT_URL, validation_alias="DATABASE_URL")
