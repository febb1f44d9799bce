"""Queries the store answers, already validated by a dialect."""

from __future__ import annotations

import msgspec

from ordergate.domain.order import OrderStatus, PaymentStatus


class OrderQuery(msgspec.Struct, frozen=True, kw_only=True):
    """Filters for a location's orders. All filters combine with AND; `created_from`/`created_to` are
    inclusive epoch milliseconds; `search` is already lowercased and matched as a substring of
    `Order.search_text`; `product_ids` matches orders holding any of the products."""

    location_id: str
    status: OrderStatus | None = None
    payment_status: PaymentStatus | None = None
    live_mode: bool | None = None
    created_from: int | None = None
    created_to: int | None = None
    search: str | None = None
    contact_id: str | None = None
    product_ids: tuple[str, ...] = ()
    source_id: str | None = None
    limit: int = 10
    offset: int = 0


class TransactionQuery(msgspec.Struct, frozen=True, kw_only=True):
    """Filters for a location's transactions, combined with AND; bounds inclusive epoch milliseconds;
    `search` lowercased, matched as a substring of `Transaction.search_text`."""

    location_id: str
    live_mode: bool | None = None
    created_from: int | None = None
    created_to: int | None = None
    source_type: str | None = None
    source_sub_type: str | None = None
    search: str | None = None
    subscription_id: str | None = None
    order_id: str | None = None
    contact_id: str | None = None
    limit: int = 10
    offset: int = 0
