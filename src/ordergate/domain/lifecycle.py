"""How an order moves through its life: payments, fulfillments, refunds, cancellation.

Pure functions: each takes the current state and a command and returns the new state plus the records
to write (a transaction, a fulfillment, timeline events), or raises. Payment status and fulfillment status
are never set here: they follow from the amounts and quantities these functions change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import msgspec

from ordergate.domain import ids
from ordergate.domain.errors import Conflict, Invalid
from ordergate.domain.money import display
from ordergate.domain.order import Order, OrderItem, OrderStatus, PaymentStatus
from ordergate.domain.transaction import (
    Card,
    Cheque,
    EventType,
    FulfilledLine,
    Fulfillment,
    OrderEvent,
    PaymentMode,
    Tracking,
    Transaction,
    TransactionStatus,
)

_replace = msgspec.structs.replace


def money(amount: int, currency: str) -> str:
    """`$50.00`, `¥500`: for the timeline's human-readable text."""
    return display(amount, currency)


class PaymentCommand(msgspec.Struct, frozen=True, kw_only=True):
    mode: PaymentMode
    amount: int | None = None  # minor units; None pays the whole balance
    is_partial: bool = False
    card: Card | None = None
    cheque: Cheque | None = None
    notes: str | None = None
    meta: dict[str, Any] = msgspec.field(default_factory=dict)
    created_by: str | None = None


class FulfillmentCommand(msgspec.Struct, frozen=True, kw_only=True):
    lines: list[tuple[str, int]]  # (price id, quantity)
    trackings: list[Tracking]
    notify_customer: bool
    created_by: str | None = None


def _event(order: Order, kind: EventType, text: str, now: int, **data: Any) -> OrderEvent:
    return OrderEvent(
        id=ids.new_object_id(now),
        location_id=order.location_id,
        order_id=order.id,
        type=kind,
        text=text,
        created_at=now,
        data=data,
    )


def _status_event(order: Order, before: OrderStatus, now: int) -> list[OrderEvent]:
    if order.status is before:
        return []
    text = f"Order status changed from {before.value} to {order.status.value}"
    return [_event(order, EventType.STATUS, text, now, previous=before.value, status=order.status.value)]


def _fulfilled_text(lines: Sequence[FulfilledLine], order: Order) -> str:
    shipped = sum(line.quantity for line in lines)
    return f"Fulfilled {shipped} item{'s' if shipped != 1 else ''}; order is {order.fulfillment_status.value}"


def balance_due(order: Order) -> int:
    return max(order.total - order.amount_paid, 0)


def record_payment(order: Order, command: PaymentCommand, now: int) -> tuple[Transaction, list[OrderEvent]]:
    """Apply an offline payment to `order` (in place); returns the new transaction and timeline events."""
    if order.status is OrderStatus.CANCELLED:
        raise Conflict("Cannot record a payment for a cancelled order")
    due = balance_due(order)
    if order.payment_status is PaymentStatus.REFUNDED:
        raise Conflict("Cannot record a payment for a refunded order")
    if due == 0 or order.payment_status is PaymentStatus.PAID:
        raise Conflict("Order is already paid")
    amount = due if command.amount is None else command.amount
    if amount <= 0:
        raise Invalid(["amount must be a positive number"])
    if amount > due:
        raise Conflict(
            f"Amount {money(amount, order.currency)} exceeds the balance due of {money(due, order.currency)}"
        )
    if amount < due and not command.is_partial:
        raise Conflict(
            f"Amount {money(amount, order.currency)} is less than the balance due of "
            f"{money(due, order.currency)}: set isPartialPayment to record a partial payment"
        )
    before = order.status
    order.amount_paid += amount
    order.updated_at = now
    if order.amount_paid >= order.total:
        order.fully_paid_at = now
        if order.status in (OrderStatus.PENDING, OrderStatus.PROCESSING, OrderStatus.FAILED):
            order.status = OrderStatus.COMPLETED
    transaction = Transaction(
        id=ids.new_object_id(now),
        location_id=order.location_id,
        order_id=order.id,
        currency=order.currency,
        amount=amount,
        status=TransactionStatus.SUCCEEDED,
        live_mode=order.live_mode,
        mode=command.mode,
        source=order.source,
        created_at=now,
        updated_at=now,
        contact=order.contact,
        card=command.card if command.mode is PaymentMode.CARD else None,
        cheque=command.cheque if command.mode is PaymentMode.CHEQUE else None,
        notes=command.notes,
        meta=command.meta,
        is_partial=amount < due,
        created_by=command.created_by,
    )
    kind = "Partial payment" if transaction.is_partial else "Payment"
    text = f"{kind} of {money(amount, order.currency)} recorded ({command.mode.value})"
    events = [_event(order, EventType.PAYMENT, text, now, transactionId=transaction.id, amount=amount)]
    return transaction, events + _status_event(order, before, now)


def create_fulfillment(
    order: Order, command: FulfillmentCommand, now: int
) -> tuple[Fulfillment, list[OrderEvent]]:
    """Ship some of the order's items (in place); quantities never exceed what is left to ship."""
    if order.status is OrderStatus.CANCELLED:
        raise Conflict("Cannot fulfil a cancelled order")
    if not command.lines or any(quantity < 1 for _, quantity in command.lines):
        raise Invalid(["every fulfilled line needs a quantity of at least 1"])
    wanted: dict[str, int] = {}
    for price_id, quantity in command.lines:
        wanted[price_id] = wanted.get(price_id, 0) + quantity
    problems: list[str] = []
    for price_id, quantity in wanted.items():
        left = sum(i.quantity - i.fulfilled_quantity for i in order.items if i.price.id == price_id)
        if not any(i.price.id == price_id for i in order.items):
            problems.append(f"Price {price_id} is not part of this order")
        elif quantity > left:
            problems.append(f"Cannot fulfil {quantity} of price {price_id}: {left} left to fulfil")
    if problems:
        raise Conflict("; ".join(problems))
    lines: list[FulfilledLine] = []
    items: list[OrderItem] = []
    for item in order.items:
        take = min(wanted.get(item.price.id, 0), item.quantity - item.fulfilled_quantity)
        if take > 0:
            wanted[item.price.id] -= take
            lines.append(
                FulfilledLine(
                    item_id=item.id, name=item.name, quantity=take, product=item.product, price=item.price
                )
            )
            items.append(_replace(item, fulfilled_quantity=item.fulfilled_quantity + take))
        else:
            items.append(item)
    order.items = items
    order.updated_at = now
    fulfillment = Fulfillment(
        id=ids.new_object_id(now),
        location_id=order.location_id,
        order_id=order.id,
        trackings=command.trackings,
        items=lines,
        notify_customer=command.notify_customer,
        created_at=now,
        updated_at=now,
    )
    text = _fulfilled_text(lines, order)
    numbers = [t.number for t in command.trackings if t.number]
    if numbers:
        text += f" (tracking {', '.join(numbers)})"
    return fulfillment, [_event(order, EventType.FULFILLMENT, text, now, fulfillmentId=fulfillment.id)]


def refund(
    order: Order, transactions: Sequence[Transaction], amount: int | None, now: int
) -> tuple[list[Transaction], list[OrderEvent]]:
    """Give back `amount` (all that is refundable when None), newest payment first; returns the changed
    transactions and timeline events. A full refund makes the payment status `refunded`."""
    refundable = order.amount_paid - order.amount_refunded
    if refundable <= 0:
        raise Conflict("Nothing to refund: the order has no refundable payment")
    wanted = refundable if amount is None else amount
    if wanted <= 0:
        raise Invalid(["amount must be a positive number"])
    if wanted > refundable:
        limit = money(refundable, order.currency)
        raise Conflict(f"Refund of {money(wanted, order.currency)} exceeds the refundable {limit}")
    shares: list[tuple[Transaction, int]] = []
    left = wanted
    for transaction in sorted(transactions, key=lambda t: (t.created_at, t.id), reverse=True):
        take = min(left, transaction.refundable)
        if take > 0:
            shares.append((transaction, take))
            left -= take
    if left:
        raise Conflict("The order's transactions do not cover its paid amount; refund refused")
    for transaction, take in shares:  # only now that the whole refund is known to fit
        transaction.amount_refunded += take
        transaction.updated_at = now
        if transaction.amount_refunded >= transaction.amount:
            transaction.status = TransactionStatus.REFUNDED
    changed = [transaction for transaction, _ in shares]
    order.amount_refunded += wanted
    order.updated_at = now
    kind = "Full refund" if order.payment_status is PaymentStatus.REFUNDED else "Partial refund"
    text = f"{kind} of {money(wanted, order.currency)}"
    return changed, [_event(order, EventType.REFUND, text, now, amount=wanted)]


def cancel(order: Order, now: int) -> list[OrderEvent]:
    """Cancel the order (in place). Money already collected stays until refunded."""
    if order.status is OrderStatus.CANCELLED:
        raise Conflict("Order is already cancelled")
    if order.fulfillment_status.value == "fulfilled":
        raise Conflict("Cannot cancel an order that has been fulfilled")
    before = order.status
    order.status = OrderStatus.CANCELLED
    order.updated_at = now
    return [_event(order, EventType.CANCELLED, "Order cancelled", now), *_status_event(order, before, now)]


def note(order: Order, text: str, now: int, created_by: str | None = None) -> OrderEvent:
    if not text.strip():
        raise Invalid(["note text must not be empty"])
    return _replace(_event(order, EventType.NOTE, text.strip(), now), created_by=created_by)


# The timeline sorts by (created_at, id) and opening events often share a timestamp (a partly paid order's
# payment is dated at its creation; a refund and a fulfillment at its last update): the digit after the
# creation seconds keeps them in the order they happened.
_OPENING_RANK = {"event:created": 0, "event:payment": 1, "event:refund": 2, "event:fulfillment": 3}


def _derived_id(order: Order, kind: str) -> str:
    """A stable id for a record that an order was created with (same order, same id)."""
    tail = hashlib.blake2b(f"{order.id}:{kind}".encode(), digest_size=8).hexdigest()
    return order.id[:8] + f"{_OPENING_RANK.get(kind, 0):x}" + tail[1:]


def _opening_event(order: Order, kind: EventType, text: str, at: int, **data: Any) -> OrderEvent:
    return OrderEvent(
        id=_derived_id(order, f"event:{_OPENING_EVENT_NAMES[kind]}"),
        location_id=order.location_id,
        order_id=order.id,
        type=kind,
        text=text,
        created_at=at,
        data=data,
    )


_OPENING_EVENT_NAMES = {
    EventType.CREATED: "created",
    EventType.PAYMENT: "payment",
    EventType.REFUND: "refund",
    EventType.FULFILLMENT: "fulfillment",
}


def opening_records(order: Order) -> tuple[list[Transaction], list[Fulfillment], list[OrderEvent]]:
    """The history an order arrives with (created, seeded or imported in some state): a transaction for
    what it has been paid (and refunded), a fulfillment for what has shipped, and their timeline events.
    Deterministic: the same order always yields the same records."""
    currency = order.currency
    events = [
        _opening_event(
            order, EventType.CREATED, f"Order created for {money(order.total, currency)}", order.created_at
        )
    ]
    transactions: list[Transaction] = []
    if order.amount_paid > 0:
        paid_at = order.fully_paid_at or order.created_at
        transaction = Transaction(
            id=_derived_id(order, "transaction"),
            location_id=order.location_id,
            order_id=order.id,
            currency=currency,
            amount=order.amount_paid,
            amount_refunded=order.amount_refunded,
            status=TransactionStatus.REFUNDED
            if order.amount_refunded >= order.amount_paid
            else TransactionStatus.SUCCEEDED,
            live_mode=order.live_mode,
            mode=PaymentMode.CARD,
            source=order.source,
            created_at=paid_at,
            updated_at=max(paid_at, order.updated_at),
            contact=order.contact,
            is_partial=order.amount_paid < order.total,
            created_by=order.created_by,
        )
        transactions.append(transaction)
        text = f"Payment of {money(order.amount_paid, currency)} recorded (card)"
        events.append(
            _opening_event(
                order,
                EventType.PAYMENT,
                text,
                paid_at,
                transactionId=transaction.id,
                amount=order.amount_paid,
            )
        )
        if order.amount_refunded:
            text = f"Refund of {money(order.amount_refunded, currency)}"
            events.append(
                _opening_event(order, EventType.REFUND, text, order.updated_at, amount=order.amount_refunded)
            )
    fulfillments: list[Fulfillment] = []
    lines = [
        FulfilledLine(
            item_id=i.id, name=i.name, quantity=i.fulfilled_quantity, product=i.product, price=i.price
        )
        for i in order.items
        if i.fulfilled_quantity
    ]
    if lines:
        fulfillment = Fulfillment(
            id=_derived_id(order, "fulfillment"),
            location_id=order.location_id,
            order_id=order.id,
            trackings=[],
            items=lines,
            notify_customer=False,
            created_at=order.updated_at,
            updated_at=order.updated_at,
        )
        fulfillments.append(fulfillment)
        text = _fulfilled_text(lines, order)
        events.append(
            _opening_event(order, EventType.FULFILLMENT, text, order.updated_at, fulfillmentId=fulfillment.id)
        )
    return transactions, fulfillments, events
