"""`order_counts` answers `totalCount` for status-only filters: it must never drift from the rows."""

from __future__ import annotations

import itertools

import pytest

from ordergate.domain.access import Location
from ordergate.domain.lifecycle import PaymentCommand
from ordergate.domain.order import OrderStatus, PaymentStatus
from ordergate.domain.query import OrderQuery
from ordergate.domain.transaction import PaymentMode
from ordergate.lifecycle import OrderLifecycle
from ordergate.seeding import generate_orders, location_ids
from ordergate.store import Store


async def _counted_by_rows(store: Store, query: OrderQuery) -> int:
    """The same query with a filter the counters cannot answer (an always-true date bound): rows counted."""
    _, total = await store.list_orders(
        OrderQuery(
            location_id=query.location_id,
            status=query.status,
            payment_status=query.payment_status,
            live_mode=query.live_mode,
            created_from=0,
        )
    )
    return total


async def _assert_counts_exact(store: Store, location: str) -> None:
    statuses = [None, *OrderStatus]
    payments = [None, *PaymentStatus]
    for status, payment, live in itertools.product(statuses, payments, [None, True, False]):
        query = OrderQuery(location_id=location, status=status, payment_status=payment, live_mode=live)
        _, total = await store.list_orders(query)
        assert total == await _counted_by_rows(store, query), query


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_counts_follow_inserts_and_every_change(store: Store) -> None:
    (location,) = location_ids(1, 5)
    await store.create_location(Location(id=location, name="Counted", created_at=1))
    orders = list(generate_orders(location, 60, 5))
    await store.insert_orders(orders[:30])
    await store.insert_orders(orders[30:])
    await _assert_counts_exact(store, location)

    lifecycle = OrderLifecycle(store)
    for order in orders:
        if order.payment_status is PaymentStatus.UNPAID and order.status is not OrderStatus.CANCELLED:
            await lifecycle.record_payment(
                location, order.id, PaymentCommand(mode=PaymentMode.CASH), request_hash=order.id
            )
        elif order.payment_status is PaymentStatus.PAID:
            await lifecycle.refund(location, order.id)
        elif order.status is OrderStatus.PENDING:
            await lifecycle.cancel(location, order.id)
    await _assert_counts_exact(store, location)
