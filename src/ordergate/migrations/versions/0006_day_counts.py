"""Exact counts for date ranges: `order_day_counts`.

The counters of `order_counts` (revision 0004) once more, per UTC day of `created_at`. A list filtered by a
date range (and the status columns) gets its exact `totalCount` by summing the whole days the range covers
and counting the rows of the partial days at its ends (`store.counts`), instead of counting every order in
the range. Kept in step with `orders` in the same transactions.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

DIMENSIONS = ("status", "payment_status", "fulfillment_status", "live_mode")
DAY_MS = 86_400_000
# The UTC day of `created_at`, rounded down for instants before 1970 too (`%` keeps the dividend's sign on
# both databases, and integer division truncates): the same day as Python's `created_at // DAY_MS`.
DAY = f"(created_at - ((created_at % {DAY_MS}) + {DAY_MS}) % {DAY_MS}) / {DAY_MS}"


def upgrade() -> None:
    op.create_table(
        "order_day_counts",
        sa.Column("location_id", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("payment_status", sa.Text, nullable=False),
        sa.Column("fulfillment_status", sa.Text, nullable=False),
        sa.Column("live_mode", sa.Boolean, nullable=False),
        sa.Column("day", sa.BigInteger, nullable=False),
        sa.Column("n", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("location_id", *DIMENSIONS, "day"),
    )
    # Sums over a range of days read this index; the key above serves the upserts.
    op.create_index("order_day_counts_day", "order_day_counts", ["location_id", "day"])
    columns = ", ".join(DIMENSIONS)
    op.execute(
        f"INSERT INTO order_day_counts (location_id, {columns}, day, n) "
        f"SELECT location_id, {columns}, {DAY}, count(*) FROM orders GROUP BY location_id, {columns}, {DAY}"
    )


def downgrade() -> None:
    op.drop_table("order_day_counts")
