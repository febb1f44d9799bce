"""The lifecycle rules as pure functions: every transition they allow, every one they refuse (with its
message), and the history an order arrives with. No database, no clock: `now` is passed in."""

from __future__ import annotations

import re
from typing import Any

import msgspec
import pytest

from ordergate.domain import ids
from ordergate.domain import lifecycle as rules
from ordergate.domain.building import NewItem, NewOrder, build_order
from ordergate.domain.errors import Conflict, Invalid
from ordergate.domain.order import (
    ContactSnapshot,
    FulfillmentStatus,
    Order,
    OrderSource,
    OrderStatus,
    PaymentStatus,
    Price,
    PriceType,
    Product,
    SourceSubType,
    SourceType,
)
from ordergate.domain.transaction import (
    Card,
    CardType,
    Cheque,
    EventType,
    PaymentMode,
    Tracking,
    Transaction,
    TransactionStatus,
)
from ordergate.seeding import generate_orders, location_ids

LOC = "LocAtion0123456789ab"
T0 = 1_709_251_200_000  # 2024-03-01T00:00:00.000Z
NOW = 1_709_300_000_000
CONTACT = ContactSnapshot(
    id="XPLSw2SVagl12LMDeTmQ", first_name="Ann", last_name="Lee", email="ann@example.com"
)
SOURCE = OrderSource(type=SourceType.FUNNEL, id="kDj7BHej9Zyyq3QakJmz", sub_type=SourceSubType.UPSELL)


def line(price_id: str, amount: int, quantity: int = 1, fulfilled: int = 0, name: str = "") -> NewItem:
    return NewItem(
        name=name or f"Item {price_id}",
        quantity=quantity,
        fulfilled_quantity=fulfilled,
        product=Product(id=f"prod-{price_id}", name=f"Product {price_id}"),
        price=Price(id=price_id, name="Standard", type=PriceType.ONE_TIME, amount=amount),
    )


def make_order(*items: NewItem, **fields: Any) -> Order:
    """An order of `items` (default: one item of 100.00), created at T0 with a contact and a source."""
    chosen = list(items) or [line("pr0", 10_000)]
    fields.setdefault("contact", CONTACT)
    fields.setdefault("source", SOURCE)
    return build_order(NewOrder(items=chosen, created_at=T0, **fields), LOC)


def pay(amount: int | None, *, partial: bool = False, mode: PaymentMode = PaymentMode.CASH, **kw: Any) -> Any:
    return rules.PaymentCommand(mode=mode, amount=amount, is_partial=partial, **kw)


def ship(*lines: tuple[str, int], trackings: list[Tracking] | None = None) -> rules.FulfillmentCommand:
    return rules.FulfillmentCommand(lines=list(lines), trackings=trackings or [], notify_customer=True)


def paying(order: Order) -> PaymentStatus:
    """The derived payment status, read afresh (mypy would keep a narrowed property's literal)."""
    return order.payment_status


def shipping(order: Order) -> FulfillmentStatus:
    return order.fulfillment_status


def snapshot(order: Order) -> bytes:
    return msgspec.json.encode(order)


def refused(exc: type[Exception], message: str) -> Any:
    """`pytest.raises` for an exact message (not a regex: messages hold `$` and parentheses)."""
    return pytest.raises(exc, match=f"^{re.escape(message)}$")


# --- record_payment: what it allows ------------------------------------------------------------------


def test_partial_then_full_payment_walks_unpaid_partially_paid_paid() -> None:
    order = make_order()
    assert paying(order) is PaymentStatus.UNPAID
    first, events = rules.record_payment(order, pay(3_000, partial=True), NOW)
    assert paying(order) is PaymentStatus.PARTIALLY_PAID
    assert order.amount_paid == 3_000
    assert order.status is OrderStatus.PENDING  # a partial payment does not complete the order
    assert order.fully_paid_at is None
    assert order.updated_at == NOW
    assert (first.amount, first.is_partial, first.status) == (3_000, True, TransactionStatus.SUCCEEDED)
    assert [(e.type, e.text) for e in events] == [
        (EventType.PAYMENT, "Partial payment of $30.00 recorded (cash)")
    ]
    assert events[0].data == {"transactionId": first.id, "amount": 3_000}

    second, events = rules.record_payment(order, pay(None, mode=PaymentMode.BANK_TRANSFER), NOW + 5)
    assert second.amount == 7_000  # no amount: the whole balance
    assert second.is_partial is False
    assert paying(order) is PaymentStatus.PAID
    assert order.amount_paid == order.total == 10_000
    assert msgspec.structs.replace(order).status is OrderStatus.COMPLETED  # (a copy: mypy narrowed .status)
    assert order.fully_paid_at == NOW + 5
    assert [(e.type, e.text, e.data) for e in events] == [
        (
            EventType.PAYMENT,
            "Payment of $70.00 recorded (bank_transfer)",
            {"transactionId": second.id, "amount": 7_000},
        ),
        (
            EventType.STATUS,
            "Order status changed from pending to completed",
            {"previous": "pending", "status": "completed"},
        ),
    ]
    assert first.id != second.id


@pytest.mark.parametrize("status", ["pending", "processing", "failed"])
def test_full_payment_completes_a_pending_processing_or_failed_order(status: str) -> None:
    order = make_order(status=OrderStatus(status))
    _, events = rules.record_payment(order, pay(10_000), NOW)
    assert order.status is OrderStatus.COMPLETED
    assert paying(order) is PaymentStatus.PAID
    assert events[-1].type is EventType.STATUS
    assert events[-1].data == {"previous": status, "status": "completed"}


def test_full_payment_of_a_completed_order_changes_no_status() -> None:
    order = make_order(status=OrderStatus.COMPLETED)
    _, events = rules.record_payment(order, pay(10_000), NOW)
    assert order.status is OrderStatus.COMPLETED
    assert [e.type for e in events] == [EventType.PAYMENT]


@pytest.mark.parametrize("status", ["processing", "failed", "pending"])
def test_partial_payment_keeps_the_status(status: str) -> None:
    order = make_order(status=OrderStatus(status))
    _, events = rules.record_payment(order, pay(1, partial=True), NOW)
    assert order.status is OrderStatus(status)
    assert [e.type for e in events] == [EventType.PAYMENT]


def test_paying_exactly_the_balance_with_is_partial_is_a_full_payment() -> None:
    order = make_order(amount_paid=4_000)
    transaction, _ = rules.record_payment(order, pay(6_000, partial=True), NOW)
    assert transaction.is_partial is False
    assert paying(order) is PaymentStatus.PAID


def test_the_transaction_carries_the_order_and_the_command() -> None:
    order = make_order(live_mode=False, currency="EUR")
    card = Card(type=CardType.VISA, last4="4242")
    command = pay(
        2_500,
        partial=True,
        mode=PaymentMode.CARD,
        card=card,
        notes="Paid at the counter",
        meta={"till": 3},
        created_by="UsEr0123456789abcdef",
    )
    transaction, events = rules.record_payment(order, command, NOW)
    assert transaction.location_id == LOC
    assert transaction.order_id == order.id
    assert transaction.currency == "EUR"
    assert transaction.live_mode is False
    assert transaction.source == SOURCE
    assert transaction.contact == CONTACT
    assert transaction.card == card
    assert transaction.cheque is None
    assert transaction.notes == "Paid at the counter"
    assert transaction.meta == {"till": 3}
    assert transaction.created_by == "UsEr0123456789abcdef"
    assert transaction.created_at == transaction.updated_at == NOW
    assert transaction.amount_refunded == 0
    assert transaction.mode is PaymentMode.CARD
    assert ids.is_object_id(transaction.id)
    assert events[0].text == "Partial payment of €25.00 recorded (card)"
    assert "paid at the counter" in transaction.search_text
    assert "ann lee" in transaction.search_text


def test_a_cheque_payment_keeps_its_cheque() -> None:
    order = make_order()
    transaction, _ = rules.record_payment(
        order, pay(None, mode=PaymentMode.CHEQUE, cheque=Cheque(number="129-129")), NOW
    )
    assert transaction.cheque == Cheque(number="129-129")


def test_amounts_are_shown_in_the_orders_currency() -> None:
    order = make_order(line("pr0", 500), currency="JPY")
    with refused(Conflict, "Amount ¥600 exceeds the balance due of ¥500"):
        rules.record_payment(order, pay(600), NOW)


# --- record_payment: what it refuses -------------------------------------------------------------------


def _refuses_unchanged(
    order: Order, command: rules.PaymentCommand, exc: type[Exception], message: str
) -> None:
    before = snapshot(order)
    with refused(exc, message):
        rules.record_payment(order, command, NOW)
    assert snapshot(order) == before


def test_an_amount_above_the_balance_is_refused() -> None:
    order = make_order()
    _refuses_unchanged(order, pay(15_000), Conflict, "Amount $150.00 exceeds the balance due of $100.00")
    _refuses_unchanged(
        order, pay(15_000, partial=True), Conflict, "Amount $150.00 exceeds the balance due of $100.00"
    )
    rules.record_payment(order, pay(3_000, partial=True), NOW)
    _refuses_unchanged(order, pay(7_001), Conflict, "Amount $70.01 exceeds the balance due of $70.00")


def test_paying_a_paid_order_is_refused() -> None:
    order = make_order(amount_paid=10_000)
    _refuses_unchanged(order, pay(None), Conflict, "Order is already paid")
    _refuses_unchanged(order, pay(100, partial=True), Conflict, "Order is already paid")


def test_paying_a_refunded_order_is_refused() -> None:
    order = make_order(amount_paid=10_000, amount_refunded=10_000)
    assert paying(order) is PaymentStatus.REFUNDED
    _refuses_unchanged(order, pay(None), Conflict, "Cannot record a payment for a refunded order")


def test_a_partial_amount_needs_is_partial() -> None:
    order = make_order()
    _refuses_unchanged(
        order,
        pay(3_000),
        Conflict,
        "Amount $30.00 is less than the balance due of $100.00: "
        "set isPartialPayment to record a partial payment",
    )


def test_a_cancelled_order_takes_no_payment() -> None:
    order = make_order(status=OrderStatus.CANCELLED)
    _refuses_unchanged(order, pay(None), Conflict, "Cannot record a payment for a cancelled order")
    _refuses_unchanged(
        order, pay(100, partial=True), Conflict, "Cannot record a payment for a cancelled order"
    )


@pytest.mark.parametrize("amount", [0, -1, -10_000])
def test_an_amount_of_zero_or_less_is_invalid(amount: int) -> None:
    order = make_order()
    before = snapshot(order)
    with pytest.raises(Invalid) as caught:
        rules.record_payment(order, pay(amount, partial=True), NOW)
    assert caught.value.problems == ["amount must be a positive number"]
    assert snapshot(order) == before


# --- fulfillments --------------------------------------------------------------------------------------


def test_fulfilments_walk_unfulfilled_partially_fulfilled_fulfilled() -> None:
    order = make_order(line("pa", 1_000, quantity=3), line("pb", 2_000, quantity=2))
    assert shipping(order) is FulfillmentStatus.UNFULFILLED
    tracking = Tracking(number="40012345678", carrier="FedEx", url="https://fedex.example/t/400")
    first, events = rules.create_fulfillment(order, ship(("pa", 1), trackings=[tracking]), NOW)
    assert shipping(order) is FulfillmentStatus.PARTIALLY_FULFILLED
    assert [(li.item_id, li.quantity) for li in first.items] == [(order.items[0].id, 1)]
    assert first.items[0].name == "Item pa"
    assert first.items[0].price.id == "pa"
    assert first.items[0].product.id == "prod-pa"
    assert first.trackings == [tracking]
    assert first.notify_customer is True
    assert (first.location_id, first.order_id, first.created_at) == (LOC, order.id, NOW)
    assert [i.fulfilled_quantity for i in order.items] == [1, 0]
    assert order.updated_at == NOW
    assert [(e.type, e.text, e.data) for e in events] == [
        (
            EventType.FULFILLMENT,
            "Fulfilled 1 item; order is partially_fulfilled (tracking 40012345678)",
            {"fulfillmentId": first.id},
        )
    ]

    second, events = rules.create_fulfillment(order, ship(("pa", 2), ("pb", 2)), NOW + 1)
    assert shipping(order) is FulfillmentStatus.FULFILLED
    assert [(li.item_id, li.quantity) for li in second.items] == [
        (order.items[0].id, 2),
        (order.items[1].id, 2),
    ]
    assert [i.fulfilled_quantity for i in order.items] == [3, 2]
    assert events[0].text == "Fulfilled 4 items; order is fulfilled"
    assert first.id != second.id


def _ship_refused(order: Order, command: rules.FulfillmentCommand, message: str) -> None:
    before = snapshot(order)
    with refused(Conflict, message):
        rules.create_fulfillment(order, command, NOW)
    assert snapshot(order) == before


def test_shipping_more_than_is_left_is_refused_with_the_numbers() -> None:
    order = make_order(line("pa", 1_000, quantity=3), line("pb", 2_000, quantity=2))
    _ship_refused(order, ship(("pa", 4)), "Cannot fulfil 4 of price pa: 3 left to fulfil")
    rules.create_fulfillment(order, ship(("pa", 2)), NOW)
    _ship_refused(order, ship(("pa", 2)), "Cannot fulfil 2 of price pa: 1 left to fulfil")
    # every problem at once, in the order of the request
    _ship_refused(
        order,
        ship(("pb", 3), ("pa", 1), ("pa", 1)),
        "Cannot fulfil 3 of price pb: 2 left to fulfil; Cannot fulfil 2 of price pa: 1 left to fulfil",
    )
    rules.create_fulfillment(order, ship(("pa", 1), ("pb", 2)), NOW)
    _ship_refused(order, ship(("pb", 1)), "Cannot fulfil 1 of price pb: 0 left to fulfil")


def test_an_unknown_price_is_refused() -> None:
    order = make_order(line("pa", 1_000))
    _ship_refused(order, ship(("nope", 1)), "Price nope is not part of this order")
    _ship_refused(
        order,
        ship(("pa", 1), ("nope", 1), ("pa", 1)),
        "Cannot fulfil 2 of price pa: 1 left to fulfil; Price nope is not part of this order",
    )


def test_a_cancelled_order_is_not_fulfilled() -> None:
    order = make_order(line("pa", 1_000, quantity=2), status=OrderStatus.CANCELLED)
    _ship_refused(order, ship(("pa", 1)), "Cannot fulfil a cancelled order")


def test_lines_of_one_price_spread_over_several_items() -> None:
    order = make_order(line("p", 1_000, quantity=2), line("other", 500), line("p", 1_000, quantity=3))
    first, _ = rules.create_fulfillment(order, ship(("p", 1), ("p", 3)), NOW)  # repeated lines add up
    assert [(li.item_id, li.quantity) for li in first.items] == [
        (order.items[0].id, 2),
        (order.items[2].id, 2),
    ]
    assert [i.fulfilled_quantity for i in order.items] == [2, 0, 2]
    _ship_refused(order, ship(("p", 2)), "Cannot fulfil 2 of price p: 1 left to fulfil")
    second, _ = rules.create_fulfillment(order, ship(("p", 1)), NOW)
    assert [(li.item_id, li.quantity) for li in second.items] == [(order.items[2].id, 1)]
    assert shipping(order) is FulfillmentStatus.PARTIALLY_FULFILLED
    rules.create_fulfillment(order, ship(("other", 1)), NOW)
    assert shipping(order) is FulfillmentStatus.FULFILLED


def test_an_order_arriving_partly_shipped_ships_only_the_rest() -> None:
    order = make_order(line("pa", 1_000, quantity=3, fulfilled=2))
    _ship_refused(order, ship(("pa", 2)), "Cannot fulfil 2 of price pa: 1 left to fulfil")
    rules.create_fulfillment(order, ship(("pa", 1)), NOW)
    assert shipping(order) is FulfillmentStatus.FULFILLED


# --- refunds -------------------------------------------------------------------------------------------


def _paid_in_two(first: int = 3_000) -> tuple[Order, list[Transaction]]:
    """A 100.00 order paid by two transactions: `first` at NOW, the rest at NOW + 1000."""
    order = make_order()
    one, _ = rules.record_payment(order, pay(first, partial=True), NOW)
    two, _ = rules.record_payment(order, pay(None), NOW + 1_000)
    return order, [one, two]


def test_a_partial_refund_keeps_the_order_paid() -> None:
    order, (one, two) = _paid_in_two()
    changed, events = rules.refund(order, [one, two], 5_000, NOW + 2_000)
    assert order.amount_refunded == 5_000
    assert paying(order) is PaymentStatus.PAID
    assert order.status is OrderStatus.COMPLETED
    assert changed == [two]  # newest transaction first
    assert (two.amount_refunded, two.status, two.updated_at) == (
        5_000,
        TransactionStatus.SUCCEEDED,
        NOW + 2_000,
    )
    assert (one.amount_refunded, one.status) == (0, TransactionStatus.SUCCEEDED)
    assert [(e.type, e.text, e.data) for e in events] == [
        (EventType.REFUND, "Partial refund of $50.00", {"amount": 5_000})
    ]


def test_refunds_take_the_newest_transaction_first_then_older_ones() -> None:
    order, (one, two) = _paid_in_two()
    rules.refund(order, [one, two], 5_000, NOW + 2_000)
    changed, _ = rules.refund(order, [one, two], 3_000, NOW + 3_000)
    assert changed == [two, one]
    assert (two.amount_refunded, two.status) == (7_000, TransactionStatus.REFUNDED)
    assert (one.amount_refunded, one.status) == (1_000, TransactionStatus.SUCCEEDED)
    assert paying(order) is PaymentStatus.PAID
    changed, events = rules.refund(order, [two, one], None, NOW + 4_000)  # the rest, whatever the input order
    assert changed == [one]
    assert (one.amount_refunded, one.status) == (3_000, TransactionStatus.REFUNDED)
    assert order.amount_refunded == 10_000
    assert paying(order) is PaymentStatus.REFUNDED
    assert events[0].text == "Full refund of $20.00"


def test_a_full_refund_makes_the_order_refunded() -> None:
    order, transactions = _paid_in_two()
    changed, events = rules.refund(order, transactions, None, NOW + 2_000)
    assert paying(order) is PaymentStatus.REFUNDED
    assert order.amount_refunded == order.amount_paid == 10_000
    assert {t.id for t in changed} == {t.id for t in transactions}
    assert all(t.status is TransactionStatus.REFUNDED and t.refundable == 0 for t in transactions)
    assert events[0].text == "Full refund of $100.00"


def test_refunding_a_partly_paid_order() -> None:
    order = make_order()
    payment, _ = rules.record_payment(order, pay(3_000, partial=True), NOW)
    rules.refund(order, [payment], 1_000, NOW)
    assert paying(order) is PaymentStatus.PARTIALLY_PAID
    rules.refund(order, [payment], None, NOW)
    assert paying(order) is PaymentStatus.REFUNDED
    assert order.amount_refunded == 3_000


def test_refusals_of_a_refund() -> None:
    order, transactions = _paid_in_two()
    before = snapshot(order)
    with refused(Conflict, "Refund of $100.01 exceeds the refundable $100.00"):
        rules.refund(order, transactions, 10_001, NOW)
    assert snapshot(order) == before
    rules.refund(order, transactions, 9_000, NOW)
    with refused(Conflict, "Refund of $10.01 exceeds the refundable $10.00"):
        rules.refund(order, transactions, 1_001, NOW)
    for amount in (0, -5):
        with pytest.raises(Invalid) as caught:
            rules.refund(order, transactions, amount, NOW)
        assert caught.value.problems == ["amount must be a positive number"]
    rules.refund(order, transactions, None, NOW)
    with refused(Conflict, "Nothing to refund: the order has no refundable payment"):
        rules.refund(order, transactions, None, NOW)
    with refused(Conflict, "Nothing to refund: the order has no refundable payment"):
        rules.refund(make_order(), [], None, NOW)


def test_a_refund_the_transactions_cannot_cover_is_refused() -> None:
    order = make_order(amount_paid=10_000)
    with refused(Conflict, "The order's transactions do not cover its paid amount; refund refused"):
        rules.refund(order, [], 1_000, NOW)
    assert order.amount_refunded == 0


def test_a_refused_refund_leaves_the_transactions_untouched() -> None:
    order = make_order(amount_paid=10_000)
    (transaction,), _, _ = rules.opening_records(order)
    short = msgspec.structs.replace(transaction, amount=4_000)  # covers less than the order says was paid
    before = msgspec.json.encode(short)
    with refused(Conflict, "The order's transactions do not cover its paid amount; refund refused"):
        rules.refund(order, [short], 5_000, NOW)
    assert msgspec.json.encode(short) == before
    assert order.amount_refunded == 0


@pytest.mark.parametrize("lines", [[], [("pr0", 0)], [("pr0", 1), ("pr0", -1)]])
def test_a_fulfilment_needs_positive_quantities(lines: list[tuple[str, int]]) -> None:
    order = make_order()
    before = snapshot(order)
    with refused(Invalid, "every fulfilled line needs a quantity of at least 1"):
        rules.create_fulfillment(order, ship(*lines), NOW)
    assert snapshot(order) == before


# --- cancel and notes ----------------------------------------------------------------------------------


def test_cancelling_an_order() -> None:
    order = make_order(status=OrderStatus.PROCESSING, amount_paid=2_000)
    events = rules.cancel(order, NOW)
    assert order.status is OrderStatus.CANCELLED
    assert order.updated_at == NOW
    assert order.amount_paid == 2_000  # money stays until refunded
    assert [(e.type, e.text, e.data) for e in events] == [
        (EventType.CANCELLED, "Order cancelled", {}),
        (
            EventType.STATUS,
            "Order status changed from processing to cancelled",
            {"previous": "processing", "status": "cancelled"},
        ),
    ]


def test_a_partly_shipped_order_can_be_cancelled_a_shipped_one_cannot() -> None:
    partly = make_order(line("pa", 1_000, quantity=2, fulfilled=1))
    rules.cancel(partly, NOW)
    assert partly.status is OrderStatus.CANCELLED
    shipped = make_order(line("pa", 1_000, quantity=2, fulfilled=2), status=OrderStatus.COMPLETED)
    before = snapshot(shipped)
    with refused(Conflict, "Cannot cancel an order that has been fulfilled"):
        rules.cancel(shipped, NOW)
    assert snapshot(shipped) == before


def test_cancelling_twice_is_refused() -> None:
    order = make_order(status=OrderStatus.CANCELLED)
    with refused(Conflict, "Order is already cancelled"):
        rules.cancel(order, NOW)


def test_a_note() -> None:
    order = make_order()
    event = rules.note(order, "  Customer called about delivery \n", NOW, created_by="UsEr0123456789abcdef")
    assert (event.type, event.text, event.created_at) == (
        EventType.NOTE,
        "Customer called about delivery",
        NOW,
    )
    assert (event.location_id, event.order_id, event.created_by) == (LOC, order.id, "UsEr0123456789abcdef")
    assert ids.is_object_id(event.id)
    assert order.updated_at == T0  # a note changes nothing on the order
    for blank in ("", "   \n\t"):
        with pytest.raises(Invalid) as caught:
            rules.note(order, blank, NOW)
        assert caught.value.problems == ["note text must not be empty"]


# --- opening records -----------------------------------------------------------------------------------


def _encoded(records: tuple[list[Any], list[Any], list[Any]]) -> bytes:
    return msgspec.json.encode(records)


def test_opening_records_of_an_unpaid_unshipped_order() -> None:
    order = make_order()
    transactions, fulfillments, events = rules.opening_records(order)
    assert (transactions, fulfillments) == ([], [])
    assert [(e.type, e.text, e.created_at) for e in events] == [
        (EventType.CREATED, "Order created for $100.00", T0)
    ]


def test_opening_records_are_deterministic() -> None:
    order = make_order(line("pa", 1_000, quantity=3, fulfilled=1), amount_paid=2_000, amount_refunded=500)
    again = msgspec.json.decode(msgspec.json.encode(order), type=Order)
    assert _encoded(rules.opening_records(order)) == _encoded(rules.opening_records(again))
    other = make_order(line("pa", 1_000, quantity=3, fulfilled=1), amount_paid=2_000, amount_refunded=500)
    first_ids = {r.id for group in rules.opening_records(order) for r in group}
    other_ids = {r.id for group in rules.opening_records(other) for r in group}
    assert not first_ids & other_ids  # derived from the order id
    assert all(ids.is_object_id(i) for i in first_ids)
    # created, payment, refund and fulfillment events; a transaction; a fulfillment
    assert len(first_ids) == 6


def test_a_paid_order_opens_with_a_transaction_for_what_it_was_paid() -> None:
    order = make_order(amount_paid=10_000, updated_at=T0 + 60_000, status=OrderStatus.COMPLETED)
    (transaction,), fulfillments, events = rules.opening_records(order)
    assert fulfillments == []
    assert (transaction.amount, transaction.amount_refunded, transaction.status) == (
        10_000,
        0,
        TransactionStatus.SUCCEEDED,
    )
    assert transaction.is_partial is False
    assert transaction.created_at == order.fully_paid_at == T0 + 60_000
    assert (transaction.contact, transaction.source, transaction.currency) == (CONTACT, SOURCE, "USD")
    assert [e.type for e in events] == [EventType.CREATED, EventType.PAYMENT]
    assert events[1].data == {"transactionId": transaction.id, "amount": 10_000}


@pytest.mark.parametrize(
    ("paid", "refunded", "status", "partial"),
    [
        (4_000, 0, TransactionStatus.SUCCEEDED, True),
        (10_000, 2_500, TransactionStatus.SUCCEEDED, False),
        (10_000, 10_000, TransactionStatus.REFUNDED, False),
        (4_000, 4_000, TransactionStatus.REFUNDED, True),
    ],
)
def test_opening_transactions_sum_to_what_was_paid_and_refunded(
    paid: int, refunded: int, status: TransactionStatus, partial: bool
) -> None:
    order = make_order(amount_paid=paid, amount_refunded=refunded)
    transactions, _, events = rules.opening_records(order)
    assert sum(t.amount for t in transactions) == paid
    assert sum(t.amount_refunded for t in transactions) == refunded
    assert [(t.status, t.is_partial) for t in transactions] == [(status, partial)]
    kinds = [e.type for e in events]
    assert kinds == [EventType.CREATED, EventType.PAYMENT] + ([EventType.REFUND] if refunded else [])
    # the opening transactions let the rest be refunded like any other payment
    if paid > refunded:
        rules.refund(order, transactions, None, NOW)
        assert paying(order) is PaymentStatus.REFUNDED


def test_fulfilled_quantities_open_with_a_fulfillment() -> None:
    order = make_order(
        line("pa", 1_000, quantity=3, fulfilled=2), line("pb", 500), line("pc", 700, quantity=2, fulfilled=2)
    )
    _, (fulfillment,), events = rules.opening_records(order)
    assert [(li.item_id, li.quantity) for li in fulfillment.items] == [
        (order.items[0].id, 2),
        (order.items[2].id, 2),
    ]
    assert fulfillment.created_at == order.updated_at
    assert fulfillment.trackings == []
    assert events[-1].type is EventType.FULFILLMENT
    assert events[-1].data == {"fulfillmentId": fulfillment.id}
    assert events[-1].text == "Fulfilled 4 items; order is partially_fulfilled"


def test_every_seeded_order_opens_with_a_coherent_history() -> None:
    """Seeded orders in every state: transactions sum to what they were paid, fulfillments to what shipped."""
    location = location_ids(1, 7)[0]
    seen: set[PaymentStatus] = set()
    for order in generate_orders(location, 120, 7):
        transactions, fulfillments, events = rules.opening_records(order)
        seen.add(order.payment_status)
        assert sum(t.amount for t in transactions) == order.amount_paid
        assert sum(t.amount_refunded for t in transactions) == order.amount_refunded
        assert all(t.currency == order.currency and t.order_id == order.id for t in transactions)
        shipped: dict[str, int] = {}
        for fulfillment in fulfillments:
            for li in fulfillment.items:
                shipped[li.item_id] = shipped.get(li.item_id, 0) + li.quantity
        assert shipped == {i.id: i.fulfilled_quantity for i in order.items if i.fulfilled_quantity}
        assert events[0].type is EventType.CREATED
        # the timeline reads events by (created_at, id): that order is the order they happened in
        assert sorted(events, key=lambda e: (e.created_at, e.id)) == events
    assert seen == set(PaymentStatus)
