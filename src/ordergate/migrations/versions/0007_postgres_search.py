"""`search` on PostgreSQL: a narrow search table beside `orders`.

Revision 0004 put a pg_trgm index on `orders.search_text`; a term found in tens of thousands of a
location's orders then had each match rechecked in the wide `orders` rows (about 1.5 KB each with their
JSON), one page read per match: close to a second for an exact count in a 500,000-order location. The
search text now also lives in `orders_search` (location, order, created_at, text; ~150 bytes a row), with the
trigram index and the orders' newest-first key, and the index on `orders` goes. The store writes the table
next to every order (`store.search_index`). SQLite has its own index (revision 0005): nothing happens there.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.create_table(
        "orders_search",
        sa.Column("location_id", sa.Text, nullable=False),
        sa.Column("order_id", sa.Text, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("search_text", sa.Text, nullable=False),
        # The text with every non-ASCII character written twice (`store.search_index.doubled`), so that
        # two-character names in Chinese or Japanese hold trigrams; NULL for ASCII text, its own key.
        sa.Column("search_key", sa.Text),
        sa.PrimaryKeyConstraint("location_id", "order_id"),
    )
    op.execute(
        "INSERT INTO orders_search (location_id, order_id, created_at, search_text, search_key) "
        "SELECT location_id, id, created_at, search_text, CASE WHEN search_text ~ '[^\\x01-\\x7f]' "
        "THEN regexp_replace(search_text, '([^\\x01-\\x7f])', '\\1\\1', 'g') END "
        "FROM orders ORDER BY location_id, created_at"
    )
    op.create_index(
        "orders_search_newest",
        "orders_search",
        ["location_id", sa.text("created_at DESC"), sa.text("order_id DESC")],
    )
    trigrams = bind.execute(sa.text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).first()
    if trigrams is not None:  # revision 0004 installed it where the server has it
        op.execute(
            "CREATE INDEX orders_search_text ON orders_search "
            "USING gin ((COALESCE(search_key, search_text)) gin_trgm_ops)"
        )
        op.execute("DROP INDEX IF EXISTS orders_search_trgm")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    trigrams = bind.execute(sa.text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).first()
    if trigrams is not None:
        op.execute("CREATE INDEX orders_search_trgm ON orders USING gin (search_text gin_trgm_ops)")
    op.drop_table("orders_search")
