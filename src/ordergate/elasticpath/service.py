"""What Elastic Path clients can do to orders that HighLevel's cannot: the `PUT /v2/orders/:id` changes
(cancel, ship everything, shipping address, order number, external reference) and anonymisation.

Each change runs in the store's locked unit of work for its order, through the same domain rules the
other routes use (`domain.lifecycle`), so an order cancelled here is cancelled everywhere, with the
same timeline events.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from ordergate.domain import lifecycle as rules
from ordergate.domain.clock import now_ms
from ordergate.domain.errors import Conflict, NotFound
from ordergate.domain.order import (
    Address,
    ContactSnapshot,
    FulfillmentStatus,
    Order,
    OrderStatus,
    PaymentStatus,
)
from ordergate.domain.transaction import OrderEvent
from ordergate.store import Store
from ordergate.store.base import order_row
from ordergate.store.history import OrderWork

_replace = msgspec.structs.replace
MASK = "**"


class OrderChange(msgspec.Struct, frozen=True, kw_only=True):
    """A checked `PUT` body. `None` leaves a field alone; an empty string clears a reference."""

    cancel: bool = False
    ship: bool = False
    shipping_address: dict[str, str] | None = None
    order_number: str | None = None
    external_ref: str | None = None


class NotEligible(Conflict):
    """The order cannot be anonymised: it is neither fulfilled, cancelled nor fully refunded."""

    def __init__(self, order: Order) -> None:
        super().__init__("only fulfilled or refunded or cancelled orders may be anonymized")
        self.order = order


def _locked(work: OrderWork) -> Order:
    if work.order is None:
        raise NotFound("Order not found")
    return work.order


def _mask(value: str) -> str:
    return MASK if value else ""


def anonymous_contact(contact: ContactSnapshot) -> ContactSnapshot:
    """The contact with every personal field masked; the id stays, so the order still links to it."""
    fields = ("email", "phone", "company_name", "address1", "city", "state", "postal_code", "country")
    masked: dict[str, Any] = {name: _mask(getattr(contact, name)) for name in fields}
    return _replace(contact, first_name=_mask(contact.name), last_name="", **masked)


def anonymous_address(address: Address | None) -> Address | None:
    if address is None:
        return None
    masked = {name: _mask(getattr(address, name)) for name in Address.__struct_fields__}
    return Address(**{**masked, "instructions": ""})


def eligible_for_anonymizing(order: Order) -> bool:
    return (
        order.fulfillment_status is FulfillmentStatus.FULFILLED
        or order.status is OrderStatus.CANCELLED
        or order.payment_status is PaymentStatus.REFUNDED
    )


class ElasticPathOrders:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def update(self, location_id: str, order_id: str, change: OrderChange) -> Order:
        """Apply `change` as one unit: every part of it, or (raising `Conflict`) none."""
        now = now_ms()
        async with self.store.order_work(location_id, order_id) as work:
            order = _locked(work)
            events: list[OrderEvent] = []
            if change.order_number is not None:
                order.order_number = change.order_number or None
            if change.external_ref is not None:
                order.external_ref = change.external_ref or None
            if change.shipping_address is not None:
                if order.fulfillment_status is FulfillmentStatus.FULFILLED:
                    raise Conflict("the shipping address of a fulfilled order cannot change")
                current = order.shipping_address or Address()
                order.shipping_address = _replace(current, **change.shipping_address)
                events.append(rules.note(order, "Shipping address updated", now))
            if change.ship:
                events.extend(await self._ship_everything(work, order, now))
            if change.cancel:
                events.extend(rules.cancel(order, now))
            order.updated_at = now
            await work.save_order(order_row(order))
            await work.add_events(events)
            return order

    async def _ship_everything(self, work: OrderWork, order: Order, now: int) -> list[OrderEvent]:
        if order.fulfillment_status is FulfillmentStatus.FULFILLED:
            return []  # already shipped: nothing left to do
        if order.payment_status is not PaymentStatus.PAID:
            raise Conflict("only a paid order can be fulfilled")
        left: dict[str, int] = {}
        for item in order.items:
            if item.quantity > item.fulfilled_quantity:
                left[item.price.id] = left.get(item.price.id, 0) + item.quantity - item.fulfilled_quantity
        command = rules.FulfillmentCommand(lines=list(left.items()), trackings=[], notify_customer=False)
        fulfillment, events = rules.create_fulfillment(order, command, now)
        await work.add_fulfillment(fulfillment)
        return events

    async def anonymize(self, location_id: str, order_ids: Sequence[str]) -> list[Order]:
        """Mask the personal data of every order (and of its transactions), or of none: all are checked
        before any is changed (raises `NotFound` or `NotEligible` naming the first that fails)."""
        wanted = list(dict.fromkeys(order_ids))
        for order_id in wanted:
            order = await self.store.get_order(location_id, order_id)
            if order is None:
                raise NotFound(order_id)
            if not eligible_for_anonymizing(order):
                raise NotEligible(order)
        return [await self._anonymize_one(location_id, order_id) for order_id in wanted]

    async def _anonymize_one(self, location_id: str, order_id: str) -> Order:
        now = now_ms()
        async with self.store.order_work(location_id, order_id) as work:
            order = _locked(work)
            if not eligible_for_anonymizing(order):  # an order never leaves these states; checked anyway
                raise NotEligible(order)
            if order.contact is not None:
                order.contact = anonymous_contact(order.contact)
            order.shipping_address = anonymous_address(order.shipping_address)
            order.billing_address = anonymous_address(order.billing_address)
            order.anonymized = True
            order.updated_at = now
            await work.save_order(order_row(order))
            for transaction in await work.transactions():
                if transaction.contact is not None:
                    transaction.contact = order.contact
                    transaction.updated_at = now
                    await work.update_transaction(transaction)
            await work.add_events([rules.note(order, "Personal data anonymized", now)])
            return order
