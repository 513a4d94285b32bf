"""Alembic environment: runs on a connection handed over by ``storage.migrate``, or on its own.

``storage.migrate`` passes a live connection (inside its transaction) in
``config.attributes["connection"]``. Run by the ``alembic`` command instead, it opens the
database named by ``sqlalchemy.url`` through the store's runner.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from storage.engine import normalize_url
from storage.models import metadata
from storage.runner import open_runner

config = context.config


def run_on(connection: Connection) -> None:
    """Run the pending migrations on ``connection``."""
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_standalone() -> None:
    """Open the configured database and migrate it."""
    runner = open_runner(normalize_url(config.get_main_option("sqlalchemy.url") or ""))
    try:
        await runner.migrate(run_on)
    finally:
        await runner.close()


if context.is_offline_mode():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()
else:
    given = config.attributes.get("connection")
    if given is None:
        asyncio.run(run_standalone())
    else:
        run_on(given)
