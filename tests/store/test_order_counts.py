"""`order_counts`, `order_day_counts` and `order_contact_counts` answer `totalCount` for status, date and
contact filters: they must never drift from the rows."""

from __future__ import annotations

import itertools
from collections import Counter

import msgspec
import pytest

from ordergate.domain.access import Location
from ordergate.domain.lifecycle import PaymentCommand
from ordergate.domain.order import Order, OrderStatus, PaymentStatus
from ordergate.domain.query import OrderQuery
from ordergate.domain.transaction import PaymentMode
from ordergate.lifecycle import OrderLifecycle
from ordergate.seeding import generate_orders, location_ids
from ordergate.store import Store, open_store
from ordergate.store.counts import DAY_MS, key_of, whole_days
from tests.store.test_order_filter_store import _migrate


async def _counted_by_rows(store: Store, query: OrderQuery) -> int:
    """The orders `query` matches, counted row by row with plain SQL (no counters involved)."""
    clauses: list[str] = ["location_id = ?"]
    args: list[object] = [query.location_id]
    for column, value in (
        ("status", query.status.value if query.status else None),
        ("payment_status", query.payment_status.value if query.payment_status else None),
        ("live_mode", query.live_mode),
        ("contact_id", query.contact_id),
        ("created_at >", None if query.created_from is None else query.created_from - 1),
        ("created_at <", None if query.created_to is None else query.created_to + 1),
    ):
        if value is not None:
            clauses.append(f"{column} ?" if " " in column else f"{column} = ?")
            args.append(value)
    rows = await store.fetch(f"SELECT count(*) FROM orders WHERE {' AND '.join(clauses)}", args)
    return int(rows[0][0])


async def _assert_counts_exact(store: Store, location: str) -> None:
    statuses = [None, *OrderStatus]
    payments = [None, *PaymentStatus]
    found = await store.fetch(
        "SELECT DISTINCT contact_id FROM orders WHERE location_id = ? AND contact_id IS NOT NULL", (location,)
    )
    contacts = [None, "no-such-contact", *(str(row[0]) for row in found[:4])]
    for status, payment, live in itertools.product(statuses, payments, [None, True, False]):
        for contact in contacts if payment is None else [None]:
            query = OrderQuery(
                location_id=location,
                status=status,
                payment_status=payment,
                live_mode=live,
                contact_id=contact,
            )
            _, total = await store.list_orders(query)
            assert total == await _counted_by_rows(store, query), query


def _ranges(orders: list[Order]) -> list[tuple[int | None, int | None]]:
    """Date ranges around the orders' own instants: whole days, partial days at either end, a range
    inside one day, open on either side, and bounds exactly on an order's instant."""
    instants = sorted(order.created_at for order in orders)
    low, mid, high = instants[0], instants[len(instants) // 2], instants[-1]
    day = low - low % DAY_MS
    return [
        (day, day + 3 * DAY_MS - 1),  # three whole days
        (day + 1, day + 3 * DAY_MS),  # partial days at both ends
        (low, mid),  # bounds on orders' own instants
        (mid, mid),
        (mid, None),
        (None, mid),
        (mid - 3_600_000, mid + 3_600_000),  # no whole day inside
        (low - 40 * DAY_MS, high + 40 * DAY_MS),
    ]


async def _assert_date_counts_exact(store: Store, location: str, orders: list[Order]) -> None:
    for (start, end), status in itertools.product(_ranges(orders), [None, *OrderStatus]):
        query = OrderQuery(location_id=location, status=status, created_from=start, created_to=end)
        _, total = await store.list_orders(query)
        assert total == await _counted_by_rows(store, query), query


def test_whole_days_of_a_range() -> None:
    assert whole_days(0, DAY_MS - 1) == (0, 0)
    assert whole_days(1, 2 * DAY_MS - 1) == (1, 1)
    assert whole_days(1, 2 * DAY_MS - 2) is None
    assert whole_days(-DAY_MS, -1) == (-1, -1)  # before 1970: days round down
    assert whole_days(-DAY_MS + 1, None) == (0, None)
    assert whole_days(None, DAY_MS) == (None, 0)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_counts_follow_inserts_and_every_change(store: Store) -> None:
    (location,) = location_ids(1, 5)
    await store.create_location(Location(id=location, name="Counted", created_at=1))
    orders = list(generate_orders(location, 60, 5))
    await store.insert_orders(orders[:30])
    await store.insert_orders(orders[30:])
    await _assert_counts_exact(store, location)
    await _assert_date_counts_exact(store, location, orders)

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
    await _assert_date_counts_exact(store, location, orders)


async def test_migrations_0006_and_0010_count_the_stored_orders_by_day_and_contact(database_url: str) -> None:
    store = await open_store(database_url)
    try:
        (location,) = location_ids(1, 7)
        await store.create_location(Location(id=location, name="Backfilled", created_at=1))
        orders = list(generate_orders(location, 40, 7))
        # Instants before 1970, on a day's first and last millisecond, fall on the same days as in Python.
        for i, instant in enumerate((-1, -DAY_MS, -DAY_MS - 1, 0, DAY_MS - 1, -3 * DAY_MS + 5)):
            orders[i] = msgspec.structs.replace(orders[i], created_at=instant)
        await store.insert_orders(orders)
    finally:
        await store.close()
    await _migrate(database_url, "0005")  # drops the tables...
    await _migrate(database_url, "head")  # ...and 0006 and 0010 count the orders again
    store = await open_store(database_url)
    try:
        days = await store.fetch(
            "SELECT location_id, status, payment_status, fulfillment_status, live_mode, day, n "
            "FROM order_day_counts WHERE location_id = ?",
            (location,),
        )
        contacts = await store.fetch(
            "SELECT location_id, status, payment_status, fulfillment_status, live_mode, contact_id, n "
            "FROM order_contact_counts WHERE location_id = ?",
            (location,),
        )
    finally:
        await store.close()
    keys = [key_of(order) for order in orders]
    stored = {(r[0], r[1], r[2], r[3], bool(r[4]), int(r[5])): int(r[6]) for r in days}
    assert stored == dict(Counter(key[:6] for key in keys))
    by_contact = {(r[0], r[1], r[2], r[3], bool(r[4]), str(r[5])): int(r[6]) for r in contacts}
    assert by_contact == dict(Counter((*key[:5], key[6]) for key in keys if key[6] is not None))
