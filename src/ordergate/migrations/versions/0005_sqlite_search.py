"""`search` on SQLite: a trigram full-text index of the orders' search text.

SQLite's FTS5 with the trigram tokenizer answers `LIKE '%term%'` from its index, where a plain LIKE reads
every order of the location. The index is an ordinary FTS5 table keyed by a 63-bit digest of (location,
order id) rather than by `orders.rowid`, which VACUUM may renumber; the store writes it next to every
order (`store.search_index`). PostgreSQL has its own trigram index (revision 0004): nothing happens there.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

from ordergate.store.search_index import key

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BATCH = 5_000
CREATE = (
    "CREATE VIRTUAL TABLE orders_search USING fts5("
    "search_text, location_id UNINDEXED, order_id UNINDEXED, tokenize='trigram')"
)
INSERT = "INSERT INTO orders_search (rowid, search_text, location_id, order_id) VALUES (:r, :t, :l, :o)"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    op.execute(CREATE)
    rows = bind.execute(sa.text("SELECT location_id, id, search_text FROM orders"))
    while batch := rows.fetchmany(BATCH):
        values = [{"r": key(loc, order), "t": text, "l": loc, "o": order} for loc, order, text in batch]
        bind.execute(sa.text(INSERT), sorted(values, key=lambda value: value["r"]))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS orders_search")
