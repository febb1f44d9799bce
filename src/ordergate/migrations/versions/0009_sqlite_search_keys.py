"""SQLite's search index looks up two-character Chinese and Japanese names too.

FTS5's trigram index cannot look up a term shorter than three characters, so a name such as 田中 was matched
by reading every row of the index. As on PostgreSQL (revision 0007), the indexed column now holds the text
with every non-ASCII character written twice (`store.search_index.doubled`), and the text itself sits beside
it, unindexed, for the exact check (NULL where the text is ASCII and so its own key). The table is rebuilt
from the orders, keeping its rowids (a digest of each order's key) and its `hashsize` (revision 0008).
PostgreSQL: nothing happens.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

import contextlib

import sqlalchemy as sa
from alembic import op

from ordergate.store.search_index import doubled, key

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

BATCH = 10_000
HASHSIZE = 32 * 1024 * 1024  # revision 0008's


def _rebuild(columns: str, row: str, values: str) -> None:
    bind = op.get_bind()
    op.execute("DROP TABLE orders_search")
    op.execute(f"CREATE VIRTUAL TABLE orders_search USING fts5({columns}, tokenize='trigram')")
    with contextlib.suppress(sa.exc.OperationalError):  # an FTS5 without the setting keeps its default
        bind.execute(
            sa.text("INSERT INTO orders_search (orders_search, rank) VALUES ('hashsize', :size)"),
            {"size": HASHSIZE},
        )
    insert = sa.text(f"INSERT INTO orders_search ({row}) VALUES ({values})")
    rows = bind.execute(sa.text("SELECT location_id, id, search_text FROM orders ORDER BY location_id, id"))
    while batch := rows.fetchmany(BATCH):
        found = []
        for location, order, text in batch:
            twice = doubled(text)
            found.append((key(location, order), twice or text, text if twice else None, location, order))
        bind.execute(insert, [dict(zip("rktlo", row, strict=True)) for row in sorted(found)])


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _rebuild(
        "search_key, search_text UNINDEXED, location_id UNINDEXED, order_id UNINDEXED",
        "rowid, search_key, search_text, location_id, order_id",
        ":r, :k, :t, :l, :o",
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _rebuild(
        "search_text, location_id UNINDEXED, order_id UNINDEXED",
        "rowid, search_text, location_id, order_id",
        ":r, COALESCE(:t, :k), :l, :o",
    )
