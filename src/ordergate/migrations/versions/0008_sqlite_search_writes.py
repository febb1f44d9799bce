"""SQLite's search index takes a whole bulk batch in memory before it writes a segment.

FTS5 keeps new terms in memory and writes them out as a segment (later merged with others) whenever they
pass `hashsize` bytes, 1 MiB by default, and at every commit. A batch of 10,000 imported orders holds about
6 MiB of trigram postings, so it was written as six segments and merged again; with room for 32 MiB a batch
is one segment, which halves the index's share of a bulk import. The memory is held only while a write
transaction has unflushed terms. A configuration value of the FTS5 table (its `_config` row), not data;
an SQLite that does not know the setting keeps its default. PostgreSQL: nothing happens.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

HASHSIZE = 32 * 1024 * 1024


def _set(value: int | None) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    try:
        if value is None:
            bind.execute(sa.text("DELETE FROM orders_search_config WHERE k = 'hashsize'"))
        else:
            bind.execute(
                sa.text("INSERT INTO orders_search (orders_search, rank) VALUES ('hashsize', :size)"),
                {"size": value},
            )
    except sa.exc.OperationalError:  # an FTS5 without the setting
        return


def upgrade() -> None:
    _set(HASHSIZE)


def downgrade() -> None:
    _set(None)
