"""The rows an order is stored as: its own (`order_row`), the products it holds (`product_rows`), and for a
batch (`OrderRows`) those plus the history the orders arrive with.

A batch's rows are pure Python to build and need no connection, so a store builds them before it takes
its writer (SQLite's single writer lock): the next batch is built while the last one is being written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import msgspec

from ordergate.domain.order import Order
from ordergate.store.history import opening_rows

_encode = msgspec.json.Encoder().encode


def _lower(text: str | None) -> str | None:
    return text.lower() if text else None


def order_row(order: Order) -> tuple[Any, ...]:
    """The columns of `store.base._ORDER_COLUMNS`, in order."""
    contact = order.contact
    shipping, billing = order.shipping_address, order.billing_address
    totals = order.totals
    total = totals.total
    return (
        order.location_id,
        order.id,
        order.created_at,
        order.updated_at,
        order.status.value,
        order.payment_status.value,
        order.fulfillment_status.value,
        order.live_mode,
        contact.id if contact is not None and contact.id else None,
        order.source.id,
        order.search_text,
        _encode(order).decode("utf-8"),
        order.currency,
        total,
        total - totals.tax,
        _lower(contact.id) if contact is not None else None,
        _lower(contact.name) if contact is not None else None,
        _lower(contact.email) if contact is not None else None,
        _lower(order.order_number),
        _lower(order.external_ref),
        _lower(shipping.postcode) if shipping is not None else None,
        _lower(billing.postcode) if billing is not None else None,
    )


def product_rows(order: Order) -> list[tuple[str, str, str, str | None]]:
    """One row per product the order holds (the first item of a product gives its SKU)."""
    skus: dict[str, str | None] = {}
    for item in order.items:
        product = item.product
        if product.id not in skus:
            skus[product.id] = _lower(product.sku)
    location_id, order_id = order.location_id, order.id
    return [(location_id, product_id, order_id, sku) for product_id, sku in skus.items()]


@dataclass(frozen=True, slots=True)
class OrderRows:
    """Everything a batch of new orders is written as, but the counters and the search index, which
    follow from `orders` in the transaction itself."""

    orders: Sequence[Order]
    order_rows: list[tuple[Any, ...]]
    products: list[tuple[Any, ...]]
    transactions: list[tuple[Any, ...]]
    fulfillments: list[tuple[Any, ...]]
    events: list[tuple[Any, ...]]

    @classmethod
    def of(cls, orders: Sequence[Order]) -> OrderRows:
        transactions, fulfillments, events = opening_rows(orders)
        return cls(
            orders=orders,
            order_rows=[order_row(o) for o in orders],
            products=[row for o in orders for row in product_rows(o)],
            transactions=transactions,
            fulfillments=fulfillments,
            events=events,
        )
