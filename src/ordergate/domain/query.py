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
