"""The lifecycle service on both databases: every change persisted with its records, payments recorded
exactly once under retries, and concurrent changes to one order that never collect, ship or refund more
than the order allows (the order is locked for each change)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import pytest

import ordergate.lifecycle as service_module
from ordergate.domain import lifecycle as rules
from ordergate.domain.access import Location
from ordergate.domain.building import NewItem, NewOrder, build_order
from ordergate.domain.errors import Conflict, DomainError, NotFound
from ordergate.domain.order import (
    ContactSnapshot,
    FulfillmentStatus,
    Order,
    OrderStatus,
    PaymentStatus,
    Price,
    PriceType,
    Product,
)
from ordergate.domain.query import TransactionQuery
from ordergate.domain.transaction import EventType, PaymentMode, Transaction, TransactionStatus
from ordergate.lifecycle import DUPLICATE_WINDOW_MS, OrderLifecycle
from ordergate.store import Store, open_store, parse_database_url

LOC = "LocAtion0123456789ab"
OTHER = "OtherLocation0123456"
T0 = 1_709_251_200_000
CONTACT = ContactSnapshot(
    id="XPLSw2SVagl12LMDeTmQ", first_name="Ann", last_name="Lee", email="ann@example.com"
)
R = TypeVar("R")


def item(price_id: str, amount: int, quantity: int = 1) -> NewItem:
    return NewItem(
        name=f"Item {price_id}",
        quantity=quantity,
        product=Product(id=f"prod-{price_id}", name=f"Product {price_id}"),
        price=Price(id=price_id, name="Standard", type=PriceType.ONE_TIME, amount=amount),
    )


async def new_order(store: Store, *items: NewItem, location: str = LOC, **fields: Any) -> Order:
    if await store.get_location(location) is None:
        await store.create_location(Location(id=location, name=location, created_at=1))
    order = build_order(
        NewOrder(items=list(items) or [item("pr0", 10_000)], created_at=T0, contact=CONTACT, **fields),
        location,
    )
    await store.insert_orders([order])
    return order


def pay(amount: int | None, *, partial: bool = False, notes: str | None = None) -> rules.PaymentCommand:
    return rules.PaymentCommand(mode=PaymentMode.CASH, amount=amount, is_partial=partial, notes=notes)


def ship(*lines: tuple[str, int]) -> rules.FulfillmentCommand:
    return rules.FulfillmentCommand(lines=list(lines), trackings=[], notify_customer=False)


async def stored(store: Store, order: Order) -> Order:
    found = await store.get_order(order.location_id, order.id)
    assert found is not None
    return found


# --- the walk, persisted -------------------------------------------------------------------------------


async def test_a_whole_lifecycle_is_persisted_and_read_back(store: Store) -> None:
    order = await new_order(store, item("pa", 4_000, quantity=2), item("pb", 2_000))
    service = OrderLifecycle(store)

    first, new = await service.record_payment(LOC, order.id, pay(3_000, partial=True), request_hash="h1")
    assert new is True
    loaded = await stored(store, order)
    assert (loaded.amount_paid, loaded.payment_status, loaded.status) == (
        3_000,
        PaymentStatus.PARTIALLY_PAID,
        OrderStatus.PENDING,
    )
    second, _ = await service.record_payment(LOC, order.id, pay(None), request_hash="h2")
    assert second.amount == 7_000
    loaded = await stored(store, order)
    assert (loaded.payment_status, loaded.status) == (PaymentStatus.PAID, OrderStatus.COMPLETED)
    assert loaded.fully_paid_at == second.created_at

    fulfillment = await service.create_fulfillment(LOC, order.id, ship(("pa", 1)))
    loaded = await stored(store, order)
    assert loaded.fulfillment_status is FulfillmentStatus.PARTIALLY_FULFILLED
    assert [i.fulfilled_quantity for i in loaded.items] == [1, 0]

    refunded = await service.refund(LOC, order.id, 5_000)
    assert refunded.amount_refunded == 5_000
    cancelled = await service.cancel(LOC, order.id)
    assert cancelled.status is OrderStatus.CANCELLED
    note = await service.add_note(LOC, order.id, "Customer asked to cancel", "UsEr0123456789abcdef")

    loaded = await stored(store, order)
    assert (loaded.amount_paid, loaded.amount_refunded) == (10_000, 5_000)
    assert (loaded.status, loaded.payment_status) == (OrderStatus.CANCELLED, PaymentStatus.PAID)
    assert loaded.fulfillment_status is FulfillmentStatus.PARTIALLY_FULFILLED

    transactions = await store.order_transactions(LOC, order.id)
    assert [(t.id, t.amount, t.amount_refunded, t.status) for t in transactions] == [
        (first.id, 3_000, 0, TransactionStatus.SUCCEEDED),
        (second.id, 7_000, 5_000, TransactionStatus.SUCCEEDED),  # the newest payment refunded first
    ]
    assert await store.get_transaction(LOC, second.id) == transactions[1]
    assert await store.get_transaction(OTHER, second.id) is None
    listed, total = await store.list_transactions(TransactionQuery(location_id=LOC, order_id=order.id))
    assert ([t.id for t in listed], total) == ([second.id, first.id], 2)

    assert await store.order_fulfillments(LOC, order.id) == [fulfillment]
    events = await store.order_events(LOC, order.id)
    assert [e.type for e in events] == [
        EventType.CREATED,
        EventType.PAYMENT,
        EventType.PAYMENT,
        EventType.STATUS,
        EventType.FULFILLMENT,
        EventType.REFUND,
        EventType.CANCELLED,
        EventType.STATUS,
        EventType.NOTE,
    ]
    assert events[-1] == note
    assert events[1].data == {"transactionId": first.id, "amount": 3_000}
    assert events[4].data == {"fulfillmentId": fulfillment.id}
    assert [e.created_at for e in events] == sorted(e.created_at for e in events)


async def test_a_refused_change_writes_nothing(store: Store) -> None:
    order = await new_order(store, item("pa", 1_000, quantity=2))
    service = OrderLifecycle(store)
    with pytest.raises(Conflict, match="exceeds the balance due"):
        await service.record_payment(LOC, order.id, pay(5_000), request_hash="h")
    with pytest.raises(Conflict, match="Cannot fulfil 3 of price pa: 2 left to fulfil"):
        await service.create_fulfillment(LOC, order.id, ship(("pa", 3)))
    with pytest.raises(Conflict, match="Nothing to refund"):
        await service.refund(LOC, order.id)
    assert await stored(store, order) == order
    assert await store.order_transactions(LOC, order.id) == []
    assert await store.order_fulfillments(LOC, order.id) == []
    assert [e.type for e in await store.order_events(LOC, order.id)] == [EventType.CREATED]


async def test_an_order_of_another_location_is_not_found(store: Store) -> None:
    order = await new_order(store)
    await new_order(store, location=OTHER)
    service = OrderLifecycle(store)
    changes: list[Callable[[], Awaitable[Any]]] = [
        lambda: service.record_payment(OTHER, order.id, pay(None), request_hash="h"),
        lambda: service.create_fulfillment(OTHER, order.id, ship(("pr0", 1))),
        lambda: service.refund(OTHER, order.id),
        lambda: service.cancel(OTHER, order.id),
        lambda: service.add_note(OTHER, order.id, "hello"),
        lambda: service.cancel(LOC, "0" * 24),
    ]
    for change in changes:
        with pytest.raises(NotFound, match=r"^Order not found$"):
            await change()
    assert await stored(store, order) == order


async def test_opening_history_lets_a_seeded_state_be_refunded(store: Store) -> None:
    order = await new_order(store, amount_paid=10_000, amount_refunded=2_500, status=OrderStatus.COMPLETED)
    (opening,) = await store.order_transactions(LOC, order.id)
    assert (opening.amount, opening.amount_refunded) == (10_000, 2_500)
    result = await OrderLifecycle(store).refund(LOC, order.id)
    assert result.payment_status is PaymentStatus.REFUNDED
    (opening,) = await store.order_transactions(LOC, order.id)
    assert (opening.amount_refunded, opening.status) == (10_000, TransactionStatus.REFUNDED)


# --- exactly once ----------------------------------------------------------------------------------------


async def test_the_same_idempotency_key_records_once(store: Store) -> None:
    order = await new_order(store)
    service = OrderLifecycle(store)
    first, new = await service.record_payment(
        LOC, order.id, pay(2_000, partial=True), request_hash="same", idempotency_key="k-1"
    )
    again, replayed = await service.record_payment(
        LOC, order.id, pay(2_000, partial=True), request_hash="same", idempotency_key="k-1"
    )
    assert (new, replayed) == (True, False)
    assert again == first
    assert [t.id for t in await store.order_transactions(LOC, order.id)] == [first.id]
    assert (await stored(store, order)).amount_paid == 2_000
    # a new key is a new payment, even with the same body
    third, new = await service.record_payment(
        LOC, order.id, pay(2_000, partial=True), request_hash="same", idempotency_key="k-2"
    )
    assert new is True
    assert third.id != first.id
    assert (await stored(store, order)).amount_paid == 4_000


async def test_a_key_reused_with_another_body_is_a_conflict(store: Store) -> None:
    order = await new_order(store)
    service = OrderLifecycle(store)
    await service.record_payment(
        LOC, order.id, pay(1_000, partial=True), request_hash="a", idempotency_key="k"
    )
    with pytest.raises(Conflict, match=r"^Idempotency-Key was already used with a different request$"):
        await service.record_payment(
            LOC, order.id, pay(3_000, partial=True), request_hash="b", idempotency_key="k"
        )
    assert len(await store.order_transactions(LOC, order.id)) == 1


async def test_a_key_replays_even_once_the_order_is_paid(store: Store) -> None:
    order = await new_order(store)
    service = OrderLifecycle(store)
    first, _ = await service.record_payment(LOC, order.id, pay(None), request_hash="a", idempotency_key="k")
    again, new = await service.record_payment(LOC, order.id, pay(None), request_hash="a", idempotency_key="k")
    assert (again.id, new) == (first.id, False)
    with pytest.raises(Conflict, match=r"^Order is already paid$"):
        await service.record_payment(LOC, order.id, pay(None), request_hash="a", idempotency_key="k2")


async def test_without_a_key_the_same_body_within_the_window_records_once(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    order = await new_order(store)
    service = OrderLifecycle(store)
    first, new = await service.record_payment(LOC, order.id, pay(1_000, partial=True), request_hash="body-1")
    again, retried = await service.record_payment(
        LOC, order.id, pay(1_000, partial=True), request_hash="body-1"
    )
    assert (new, retried, again.id) == (True, False, first.id)
    other, new = await service.record_payment(LOC, order.id, pay(1_000, partial=True), request_hash="body-2")
    assert new is True
    assert other.id != first.id
    assert (await stored(store, order)).amount_paid == 2_000

    # once the window has passed, the same body is a new payment
    later = first.created_at + DUPLICATE_WINDOW_MS + 1_000
    monkeypatch.setattr(service_module, "now_ms", lambda: later)
    third, new = await service.record_payment(LOC, order.id, pay(1_000, partial=True), request_hash="body-1")
    assert new is True
    assert third.created_at == later
    assert (await stored(store, order)).amount_paid == 3_000
    assert len(await store.order_transactions(LOC, order.id)) == 3


# --- real concurrency ----------------------------------------------------------------------------------


@pytest.fixture
async def stores(store: Store, database_url: str) -> AsyncIterator[list[Store]]:
    """Stores that really write at once: on PostgreSQL one pool of 25 connections (row locks queue the
    writers); on SQLite three stores on one file, each with its own writer connection (SQLite's lock)."""
    if store.kind == "postgresql":
        from ordergate.store.postgres import PostgresStore

        opened: list[Store] = [await PostgresStore.open(parse_database_url(database_url), max_size=25)]
    else:
        opened = [store, await open_store(database_url), await open_store(database_url)]
    try:
        yield opened
    finally:
        for extra in opened:
            if extra is not store:
                await extra.close()


async def gather_outcomes(calls: list[Callable[[], Awaitable[R]]]) -> list[R | DomainError]:
    """Run every call at once; a refusal (DomainError) is an outcome, anything else fails the test."""

    async def one(call: Callable[[], Awaitable[R]]) -> R | DomainError:
        try:
            return await call()
        except DomainError as exc:
            return exc

    return list(await asyncio.gather(*(one(call) for call in calls)))


async def test_fifty_concurrent_partial_payments_never_collect_more_than_the_total(
    store: Store, stores: list[Store]
) -> None:
    order = await new_order(store, item("pr0", 10_000))
    services = [OrderLifecycle(s) for s in stores]
    amounts = [300 + n for n in range(50)]  # 50 distinct amounts adding up to far more than 100.00

    def call(n: int) -> Callable[[], Awaitable[tuple[Transaction, bool]]]:
        return lambda: services[n % len(services)].record_payment(
            LOC, order.id, pay(amounts[n], partial=True), request_hash=f"payment-{n}"
        )

    outcomes = await gather_outcomes([call(n) for n in range(50)])
    accepted = [o for o in outcomes if isinstance(o, tuple)]
    refusals = [o for o in outcomes if not isinstance(o, tuple)]
    assert all(isinstance(r, Conflict) for r in refusals), refusals
    assert all(
        str(r) == "Order is already paid" or "exceeds the balance due of" in str(r) for r in refusals
    ), refusals
    assert all(new for _, new in accepted)
    loaded = await stored(store, order)
    transactions = await store.order_transactions(LOC, order.id)
    assert sorted(t.amount for t in transactions) == sorted(t.amount for t, _ in accepted)
    assert sum(t.amount for t in transactions) == loaded.amount_paid <= loaded.total
    # at most 100.00 / 3.00 of them fit, and the order stops only when no refused amount would have fitted
    assert 10 <= len(accepted) <= 33
    balance = loaded.total - loaded.amount_paid
    assert balance == 0 or all(amounts[n] > balance for n, o in enumerate(outcomes) if o in refusals)
    expected = PaymentStatus.PAID if balance == 0 else PaymentStatus.PARTIALLY_PAID
    assert loaded.payment_status is expected
    assert loaded.status is (OrderStatus.COMPLETED if balance == 0 else OrderStatus.PENDING)
    payments = [e for e in await store.order_events(LOC, order.id) if e.type is EventType.PAYMENT]
    assert len(payments) == len(accepted)


async def test_fifty_concurrent_retries_with_one_key_record_once(store: Store, stores: list[Store]) -> None:
    order = await new_order(store)
    services = [OrderLifecycle(s) for s in stores]
    outcomes = await gather_outcomes(
        [
            lambda n=n: services[n % len(services)].record_payment(  # type: ignore[misc]
                LOC, order.id, pay(2_500, partial=True), request_hash="same", idempotency_key="retry-me"
            )
            for n in range(50)
        ]
    )
    assert all(isinstance(o, tuple) for o in outcomes), outcomes
    results = [o for o in outcomes if isinstance(o, tuple)]
    assert len({t.id for t, _ in results}) == 1
    assert sum(1 for _, new in results if new) == 1
    assert [t.amount for t in await store.order_transactions(LOC, order.id)] == [2_500]
    assert (await stored(store, order)).amount_paid == 2_500


async def test_fifty_concurrent_identical_bodies_without_a_key_record_once(
    store: Store, stores: list[Store]
) -> None:
    order = await new_order(store)
    services = [OrderLifecycle(s) for s in stores]
    outcomes = await gather_outcomes(
        [
            lambda n=n: services[n % len(services)].record_payment(  # type: ignore[misc]
                LOC, order.id, pay(1_500, partial=True), request_hash="identical"
            )
            for n in range(50)
        ]
    )
    results = [o for o in outcomes if isinstance(o, tuple)]
    assert len(results) == 50
    assert sum(1 for _, new in results if new) == 1
    assert (await stored(store, order)).amount_paid == 1_500


async def test_concurrent_fulfillments_never_over_ship(store: Store, stores: list[Store]) -> None:
    order = await new_order(store, item("pa", 1_000, quantity=10), item("pb", 500, quantity=5))
    services = [OrderLifecycle(s) for s in stores]
    outcomes = await gather_outcomes(
        [
            lambda n=n: services[n % len(services)].create_fulfillment(  # type: ignore[misc]
                LOC, order.id, ship(("pa" if n % 2 else "pb", 1))
            )
            for n in range(50)
        ]
    )
    shipped = [o for o in outcomes if not isinstance(o, DomainError)]
    refusals = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(shipped) == 15
    assert all(isinstance(r, Conflict) and str(r).endswith(": 0 left to fulfil") for r in refusals), refusals
    loaded = await stored(store, order)
    assert [i.fulfilled_quantity for i in loaded.items] == [10, 5]
    assert loaded.fulfillment_status is FulfillmentStatus.FULFILLED
    fulfillments = await store.order_fulfillments(LOC, order.id)
    assert len(fulfillments) == 15
    per_price: dict[str, int] = {}
    for fulfillment in fulfillments:
        for line in fulfillment.items:
            per_price[line.price.id] = per_price.get(line.price.id, 0) + line.quantity
    assert per_price == {"pa": 10, "pb": 5}


async def test_concurrent_refunds_never_refund_more_than_was_paid(store: Store, stores: list[Store]) -> None:
    order = await new_order(store, amount_paid=10_000, status=OrderStatus.COMPLETED)
    service = OrderLifecycle(store)
    await service.refund(LOC, order.id, 1)  # so that the opening transaction is partly refunded too
    services = [OrderLifecycle(s) for s in stores]
    outcomes = await gather_outcomes(
        [
            lambda n=n: services[n % len(services)].refund(LOC, order.id, 400 + n)  # type: ignore[misc]
            for n in range(40)
        ]
    )
    accepted = [o for o in outcomes if isinstance(o, Order)]
    refusals = [o for o in outcomes if not isinstance(o, Order)]
    assert all(isinstance(r, Conflict) for r in refusals), refusals
    loaded = await stored(store, order)
    assert loaded.amount_refunded == 1 + sum(400 + n for n, o in enumerate(outcomes) if isinstance(o, Order))
    assert loaded.amount_refunded <= loaded.amount_paid
    assert 1 <= len(accepted) <= 25
    (transaction,) = await store.order_transactions(LOC, order.id)
    assert transaction.amount_refunded == loaded.amount_refunded


async def test_one_key_raced_on_two_orders_is_refused_cleanly(store: Store, stores: list[Store]) -> None:
    """Keys belong to the location, locks to the order: the loser of the race gets the key's refusal, not
    the database's unique-violation text."""
    services = [OrderLifecycle(s) for s in stores]
    for attempt in range(10):
        first, second = await new_order(store), await new_order(store)
        outcomes = await gather_outcomes(
            [
                lambda o=o, n=n, a=attempt: services[n % len(services)].record_payment(  # type: ignore[misc]
                    LOC, o.id, pay(100, partial=True), request_hash=o.id, idempotency_key=f"race-{a}"
                )
                for n, o in enumerate((first, second))
            ]
        )
        assert sum(1 for o in outcomes if isinstance(o, tuple)) == 1, outcomes
        assert [str(o) for o in outcomes if not isinstance(o, tuple)] == [
            "Idempotency-Key was already used with a different request"
        ]
        paid = [(await stored(store, o)).amount_paid for o in (first, second)]
        assert sorted(paid) == [0, 100]
