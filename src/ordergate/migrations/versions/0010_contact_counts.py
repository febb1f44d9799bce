"""Exact counts for a contact's orders: `order_contact_counts`.

The counters of `order_counts` (revision 0004) once more, per contact, so that a list filtered by a contact
(and the status columns) gets its exact `totalCount` from a handful of rows instead of counting every order
of a customer who has tens of thousands. An order's contact never changes (anonymising masks the contact's
details and keeps its id), so the counters move only with inserts and status changes, in the same
transactions as the orders (`store.counts`).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

DIMENSIONS = ("status", "payment_status", "fulfillment_status", "live_mode")


def upgrade() -> None:
    op.create_table(
        "order_contact_counts",
        sa.Column("location_id", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("payment_status", sa.Text, nullable=False),
        sa.Column("fulfillment_status", sa.Text, nullable=False),
        sa.Column("live_mode", sa.Boolean, nullable=False),
        sa.Column("contact_id", sa.Text, nullable=False),
        sa.Column("n", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("location_id", *DIMENSIONS, "contact_id"),
    )
    # Sums for one contact read this index; the key above serves the upserts.
    op.create_index("order_contact_counts_contact", "order_contact_counts", ["location_id", "contact_id"])
    columns = ", ".join(DIMENSIONS)
    op.execute(
        f"INSERT INTO order_contact_counts (location_id, {columns}, contact_id, n) "
        f"SELECT location_id, {columns}, contact_id, count(*) FROM orders WHERE contact_id IS NOT NULL "
        f"GROUP BY location_id, {columns}, contact_id"
    )


def downgrade() -> None:
    op.drop_table("order_contact_counts")
