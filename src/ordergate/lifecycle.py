"""Changing orders: the service between the dialects and the store.

Every change locks its order (`Store.order_work`) so that concurrent requests queue instead of racing:
fifty simultaneous payments on one order can never collect more than its total. Payments are recorded
exactly once under retries: a repeated `Idempotency-Key` replays the first outcome, and without a key
the same request body for the same order within `DUPLICATE_WINDOW_MS` is taken to be a retry.
"""

from __future__ import annotations

from ordergate.domain import lifecycle as rules
from ordergate.domain.clock import now_ms
from ordergate.domain.errors import Conflict, NotFound
from ordergate.domain.order import Order
from ordergate.domain.transaction import Fulfillment, OrderEvent, Transaction
from ordergate.store import Store
from ordergate.store.base import order_row
from ordergate.store.history import KEY_REUSED, OrderWork

DUPLICATE_WINDOW_MS = 10_000
ORDER_NOT_FOUND = "Order not found"


def _locked(work: OrderWork) -> Order:
    if work.order is None:
        raise NotFound(ORDER_NOT_FOUND)
    return work.order


class OrderLifecycle:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def record_payment(
        self,
        location_id: str,
        order_id: str,
        command: rules.PaymentCommand,
        *,
        request_hash: str,
        idempotency_key: str | None = None,
    ) -> tuple[Transaction, bool]:
        """Record an offline payment; returns the transaction and whether it is new (False: a retry)."""
        now = now_ms()
        async with self.store.order_work(location_id, order_id) as work:
            order = _locked(work)
            if idempotency_key is not None:
                stored = await work.stored_response(idempotency_key)
                if stored is not None:
                    return await self._replay(work, stored, request_hash)
            else:
                previous = await work.recent_payment(request_hash, now - DUPLICATE_WINDOW_MS)
                if previous is not None:
                    return previous, False
            transaction, events = rules.record_payment(order, command, now)
            await work.save_order(order_row(order))
            await work.add_transaction(transaction, request_hash)
            await work.add_events(events)
            if idempotency_key is not None:
                await work.remember_response(idempotency_key, request_hash, 200, transaction.id, now)
            return transaction, True

    async def _replay(
        self, work: OrderWork, stored: tuple[str, int, str], request_hash: str
    ) -> tuple[Transaction, bool]:
        first_hash, _, transaction_id = stored
        if first_hash != request_hash:
            raise Conflict(KEY_REUSED)
        for transaction in await work.transactions():
            if transaction.id == transaction_id:
                return transaction, False
        raise Conflict("Idempotency-Key belongs to a payment that no longer exists")

    async def create_fulfillment(
        self, location_id: str, order_id: str, command: rules.FulfillmentCommand
    ) -> Fulfillment:
        now = now_ms()
        async with self.store.order_work(location_id, order_id) as work:
            order = _locked(work)
            fulfillment, events = rules.create_fulfillment(order, command, now)
            await work.save_order(order_row(order))
            await work.add_fulfillment(fulfillment)
            await work.add_events(events)
            return fulfillment

    async def refund(self, location_id: str, order_id: str, amount: int | None = None) -> Order:
        """Refund `amount` minor units (everything refundable when None)."""
        now = now_ms()
        async with self.store.order_work(location_id, order_id) as work:
            order = _locked(work)
            changed, events = rules.refund(order, await work.transactions(), amount, now)
            await work.save_order(order_row(order))
            for transaction in changed:
                await work.update_transaction(transaction)
            await work.add_events(events)
            return order

    async def cancel(self, location_id: str, order_id: str) -> Order:
        now = now_ms()
        async with self.store.order_work(location_id, order_id) as work:
            order = _locked(work)
            events = rules.cancel(order, now)
            await work.save_order(order_row(order))
            await work.add_events(events)
            return order

    async def add_note(
        self, location_id: str, order_id: str, text: str, created_by: str | None = None
    ) -> OrderEvent:
        now = now_ms()
        async with self.store.order_work(location_id, order_id) as work:
            event = rules.note(_locked(work), text, now, created_by)
            await work.add_events([event])
            return event
