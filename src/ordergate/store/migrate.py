"""Versioned schema migrations (Alembic), applied by `ordergate migrate` and on `serve` start-up.

Several servers may start at once against one PostgreSQL: an advisory lock makes them take turns, and
the ones that come second find nothing left to do.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import create_async_engine

from ordergate.store.url import DatabaseUrl

_MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
_LOCK_KEY = 0x6F726467  # "ordg"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


async def migrate(database: DatabaseUrl) -> tuple[str | None, str]:
    """Bring the schema to the newest revision; returns (revision before, revision after)."""
    engine = create_async_engine(database.sqlalchemy_url())
    try:
        async with engine.begin() as conn:
            if database.kind == "postgresql":
                await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
            return await conn.run_sync(_upgrade)
    finally:
        await engine.dispose()


def _upgrade(connection: Connection) -> tuple[str | None, str]:
    before = MigrationContext.configure(connection).get_current_revision()
    config = _config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
    return before, head_revision()
