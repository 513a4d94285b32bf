"""Schema migrations, run programmatically (no alembic.ini): upgrade, check, compare.

A new revision, one change each, after editing ``storage/models.py``::

    python -c "from alembic import command; from storage.migrate import alembic_config; \
      command.revision(alembic_config('sqlite:///./data/dev.db'), 'what changed', \
      autogenerate=True)"

then tidy the generated file in ``storage/migrations/versions/``; the migration tests check that
models and migrations agree on SQLite and PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from .errors import DatabaseTooNew, MigrationRequired
from .models import metadata
from .runner import Runner

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str = "") -> Config:
    """An Alembic config pointing at ``storage/migrations`` wherever the package is installed."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if url:
        # ConfigParser interpolates '%', which URL-encoded passwords contain.
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head() -> str:
    """The newest revision the code knows."""
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, heads
    return heads[0]


def known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at (None for an empty database)."""
    return MigrationContext.configure(connection).get_current_revision()


def _alembic(connection: Connection, verb: str, target: str) -> None:
    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    if verb == "upgrade":
        command.upgrade(cfg, target)
    else:
        command.downgrade(cfg, target)


async def upgrade(runner: Runner, target: str = "head") -> tuple[str | None, str]:
    """Upgrade to ``target`` in one transaction; returns (revision before, revision after)."""

    def work(connection: Connection) -> tuple[str | None, str]:
        before = current_revision(connection)
        if before is not None and before not in known_revisions():
            raise DatabaseTooNew(before, head())
        if before != head() or target != "head":
            _alembic(connection, "upgrade", target)
        after = current_revision(connection)
        assert after is not None
        return before, after

    current = await runner.read(current_revision)
    if current == head() and target == "head":
        return current, current  # the usual start: nothing to lock, nothing to check
    return await runner.migrate(work)


async def downgrade(runner: Runner, target: str) -> None:
    """Downgrade to ``target`` (``base`` empties the database); for tests and emergencies."""
    await runner.migrate(lambda connection: _alembic(connection, "downgrade", target))


async def ensure_current(runner: Runner) -> str:
    """Raise MigrationRequired or DatabaseTooNew unless the database is at head."""
    current = await runner.read(current_revision)
    newest = head()
    if current == newest:
        return current
    if current is not None and current not in known_revisions():
        raise DatabaseTooNew(current, newest)
    raise MigrationRequired(current, newest)


async def schema_diff(runner: Runner) -> list[Any]:
    """What Alembic's autogenerate would change: empty when models and migrations agree."""

    def compare(connection: Connection) -> list[Any]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))

    return await runner.read(compare)
