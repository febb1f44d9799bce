"""Fast lists on large tenants: exact counts without counting rows, and an index for `search`.

`order_counts` holds, per location, how many orders have each combination of status, payment status,
fulfillment status and mode (at most 5 x 4 x 3 x 2 rows a location). It is kept in step with `orders` in
the same transactions that write orders, so a list filtered only by those columns gets its exact
`totalCount` by summing a handful of rows instead of counting hundreds of thousands.

On PostgreSQL, `search` (a substring match) gets a trigram index when the server has `pg_trgm`.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

DIMENSIONS = ("status", "payment_status", "fulfillment_status", "live_mode")


def upgrade() -> None:
    op.create_table(
        "order_counts",
        sa.Column("location_id", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("payment_status", sa.Text, nullable=False),
        sa.Column("fulfillment_status", sa.Text, nullable=False),
        sa.Column("live_mode", sa.Boolean, nullable=False),
        sa.Column("n", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("location_id", *DIMENSIONS),
    )
    columns = ", ".join(DIMENSIONS)
    op.execute(
        f"INSERT INTO order_counts (location_id, {columns}, n) "
        f"SELECT location_id, {columns}, count(*) FROM orders GROUP BY location_id, {columns}"
    )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        available = bind.execute(
            sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        ).first()
        if available is not None:
            op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            op.execute("CREATE INDEX orders_search_trgm ON orders USING gin (search_text gin_trgm_ops)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS orders_search_trgm")
    op.drop_table("order_counts")
