"""Locations, tokens, orders and the products each order holds.

Every table of tenant data leads its primary key and its indexes with `location_id`, so that it can be
distributed by location (Citus) without changing a query.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "locations",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "tokens",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("token_hash", sa.Text, nullable=False, unique=True),
        sa.Column("location_id", sa.Text, sa.ForeignKey("locations.id"), nullable=False),
        sa.Column("scopes", sa.Text, nullable=False),
        sa.Column("label", sa.Text),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("revoked_at", sa.BigInteger),
    )
    op.create_index("tokens_location", "tokens", ["location_id", "created_at"])
    op.create_table(
        "orders",
        sa.Column("location_id", sa.Text, sa.ForeignKey("locations.id"), nullable=False),
        sa.Column("id", sa.Text, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("payment_status", sa.Text, nullable=False),
        sa.Column("fulfillment_status", sa.Text, nullable=False),
        sa.Column("live_mode", sa.Boolean, nullable=False),
        sa.Column("contact_id", sa.Text),
        sa.Column("source_id", sa.Text),
        sa.Column("search_text", sa.Text, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("location_id", "id"),
    )
    newest = [sa.text("created_at DESC"), sa.text("id DESC")]
    op.create_index("orders_newest", "orders", ["location_id", *newest])
    for column in ("status", "payment_status", "contact_id", "source_id", "live_mode"):
        op.create_index(f"orders_{column}", "orders", ["location_id", column, *newest])
    op.create_table(
        "order_products",
        sa.Column("location_id", sa.Text, nullable=False),
        sa.Column("product_id", sa.Text, nullable=False),
        sa.Column("order_id", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("location_id", "product_id", "order_id"),
        sa.ForeignKeyConstraint(["location_id", "order_id"], ["orders.location_id", "orders.id"]),
    )


def downgrade() -> None:
    op.drop_table("order_products")
    op.drop_table("orders")
    op.drop_table("tokens")
    op.drop_table("locations")
