"""The order lifecycle: transactions, fulfillments, the order timeline and idempotency keys.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    newest = [sa.text("created_at DESC"), sa.text("id DESC")]
    op.create_table(
        "transactions",
        sa.Column("location_id", sa.Text, nullable=False),
        sa.Column("id", sa.Text, nullable=False),
        sa.Column("order_id", sa.Text, nullable=False),
        sa.Column("contact_id", sa.Text),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("live_mode", sa.Boolean, nullable=False),
        sa.Column("payment_mode", sa.Text, nullable=False),
        sa.Column("source_type", sa.Text, nullable=False),
        sa.Column("source_sub_type", sa.Text),
        sa.Column("subscription_id", sa.Text),
        sa.Column("request_hash", sa.Text),
        sa.Column("search_text", sa.Text, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("location_id", "id"),
        sa.ForeignKeyConstraint(["location_id", "order_id"], ["orders.location_id", "orders.id"]),
    )
    op.create_index("transactions_newest", "transactions", ["location_id", *newest])
    for column in ("order_id", "contact_id", "subscription_id", "source_type", "live_mode"):
        op.create_index(f"transactions_{column}", "transactions", ["location_id", column, *newest])
    op.create_table(
        "fulfillments",
        sa.Column("location_id", sa.Text, nullable=False),
        sa.Column("id", sa.Text, nullable=False),
        sa.Column("order_id", sa.Text, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("location_id", "id"),
        sa.ForeignKeyConstraint(["location_id", "order_id"], ["orders.location_id", "orders.id"]),
    )
    op.create_index("fulfillments_order", "fulfillments", ["location_id", "order_id", "created_at"])
    op.create_table(
        "order_events",
        sa.Column("location_id", sa.Text, nullable=False),
        sa.Column("id", sa.Text, nullable=False),
        sa.Column("order_id", sa.Text, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("location_id", "id"),
        sa.ForeignKeyConstraint(["location_id", "order_id"], ["orders.location_id", "orders.id"]),
    )
    op.create_index("order_events_order", "order_events", ["location_id", "order_id", "created_at"])
    op.create_table(
        "idempotency_keys",
        sa.Column("location_id", sa.Text, nullable=False),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("request_hash", sa.Text, nullable=False),
        sa.Column("status", sa.Integer, nullable=False),
        sa.Column("response", sa.Text, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("location_id", "key"),
    )


def downgrade() -> None:
    op.drop_table("idempotency_keys")
    op.drop_table("order_events")
    op.drop_table("fulfillments")
    op.drop_table("transactions")
