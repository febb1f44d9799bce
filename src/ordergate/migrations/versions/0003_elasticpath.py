"""Elastic Path: the order columns its filters and sorts need, product SKUs, API clients, access tokens.

Free-text columns hold lowercased copies (Python's `str.lower`), so that `eq` and `like` compare the
same way on SQLite and PostgreSQL; the order itself is still read from `data`. Existing rows are filled
in from their `data`.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_TEXT_COLUMNS = (
    "currency",
    "contact_id_lower",
    "contact_name",
    "contact_email",
    "order_number",
    "external_ref",
    "shipping_postcode",
    "billing_postcode",
)
_BATCH = 1000


def upgrade() -> None:
    for name in _TEXT_COLUMNS:
        op.add_column("orders", sa.Column(name, sa.Text))
    op.add_column("orders", sa.Column("total", sa.BigInteger))
    op.add_column("orders", sa.Column("total_without_tax", sa.BigInteger))
    newest = [sa.text("id DESC")]
    op.create_index("orders_updated", "orders", ["location_id", sa.text("updated_at DESC"), *newest])
    for column in ("contact_email", "order_number", "external_ref", "total"):
        op.create_index(f"orders_{column}", "orders", ["location_id", column])
    op.add_column("order_products", sa.Column("sku", sa.Text))
    op.create_index("order_products_sku", "order_products", ["location_id", "sku"])

    op.create_table(
        "api_clients",
        sa.Column("client_id", sa.Text, primary_key=True),
        sa.Column("location_id", sa.Text, sa.ForeignKey("locations.id"), nullable=False),
        sa.Column("secret_hash", sa.Text, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("revoked_at", sa.BigInteger),
    )
    op.create_index("api_clients_location", "api_clients", ["location_id", "created_at"])
    op.create_table(
        "access_tokens",
        sa.Column("token_hash", sa.Text, primary_key=True),
        sa.Column("location_id", sa.Text, sa.ForeignKey("locations.id"), nullable=False),
        sa.Column("client_id", sa.Text, nullable=False),
        sa.Column("grant_type", sa.Text, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("expires_at", sa.BigInteger, nullable=False),
    )
    op.create_index("access_tokens_expiry", "access_tokens", ["location_id", "expires_at"])
    _backfill()


def _lower(value: Any) -> str | None:
    return value.lower() if isinstance(value, str) and value else None


def _order_values(data: dict[str, Any]) -> dict[str, Any]:
    """The new columns of one stored order (the same values `store.base.order_row` writes)."""
    totals = data["totals"]
    total = (
        totals["subtotal"]
        - totals.get("discount", 0)
        + totals.get("tax", 0)
        + totals.get("shipping", 0)
        - totals.get("shipping_discount", 0)
    )
    contact = data.get("contact") or {}
    name = " ".join(p for p in (contact.get("first_name", ""), contact.get("last_name", "")) if p)
    shipping = data.get("shipping_address") or {}
    billing = data.get("billing_address") or {}
    return {
        "currency": data["currency"],
        "contact_id_lower": _lower(contact.get("id")),
        "contact_name": _lower(name),
        "contact_email": _lower(contact.get("email")),
        "order_number": _lower(data.get("order_number")),
        "external_ref": _lower(data.get("external_ref")),
        "shipping_postcode": _lower(shipping.get("postcode")),
        "billing_postcode": _lower(billing.get("postcode")),
        "total": total,
        "total_without_tax": total - totals.get("tax", 0),
    }


def _backfill() -> None:
    bind = op.get_bind()
    assignments = ", ".join(f"{c} = :{c}" for c in (*_TEXT_COLUMNS, "total", "total_without_tax"))
    # The column names are this module's own constants; values travel as parameters.
    update_order = sa.text(f"UPDATE orders SET {assignments} WHERE location_id = :loc AND id = :oid")
    update_sku = sa.text(
        "UPDATE order_products SET sku = :sku "
        "WHERE location_id = :loc AND order_id = :oid AND product_id = :pid"
    )
    after = ("", "")
    while True:
        rows = bind.execute(
            sa.text(
                "SELECT location_id, id, data FROM orders "
                "WHERE location_id > :loc OR (location_id = :loc AND id > :oid) "
                "ORDER BY location_id, id LIMIT :batch"
            ),
            {"loc": after[0], "oid": after[1], "batch": _BATCH},
        ).all()
        if not rows:
            return
        orders: list[dict[str, Any]] = []
        skus: list[dict[str, Any]] = []
        for location_id, order_id, raw in rows:
            data = json.loads(raw)
            orders.append({**_order_values(data), "loc": location_id, "oid": order_id})
            for item in data["items"]:
                sku = _lower(item["product"].get("sku"))
                if sku is not None:
                    skus.append(
                        {"sku": sku, "loc": location_id, "oid": order_id, "pid": item["product"]["id"]}
                    )
        bind.execute(update_order, orders)
        if skus:
            bind.execute(update_sku, skus)
        after = (rows[-1][0], rows[-1][1])


def downgrade() -> None:
    op.drop_table("access_tokens")
    op.drop_table("api_clients")
    op.drop_index("order_products_sku", "order_products")
    with op.batch_alter_table("order_products") as batch:
        batch.drop_column("sku")
    op.drop_index("orders_updated", "orders")
    for column in ("contact_email", "order_number", "external_ref", "total"):
        op.drop_index(f"orders_{column}", "orders")
    with op.batch_alter_table("orders") as batch:
        for name in (*_TEXT_COLUMNS, "total", "total_without_tax"):
            batch.drop_column(name)
