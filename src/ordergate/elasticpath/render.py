"""Canonical orders, items and transactions -> Elastic Path's wire shapes (research section 1.9-1.10).

Amounts are integer minor units with the currency and a `formatted` string from CLDR via Babel
(`en_US` conventions for every currency: `$1,234.50`, `-$10.00`, `€14.50`, `¥500`). Discounts are shown
as negative numbers, as Elastic Path shows them. Every mapping decision is listed in
docs/compatibility.md (Elastic Path, section EP.3).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ordergate.domain.money import display
from ordergate.domain.order import Address, Order, OrderItem, PaymentStatus, SourceType
from ordergate.domain.transaction import Transaction, TransactionStatus
from ordergate.elasticpath import ids, vocabulary
from ordergate.wire import iso_ms

SHIPPING_FIELDS = (
    "first_name",
    "last_name",
    "phone_number",
    "company_name",
    "line_1",
    "line_2",
    "city",
    "postcode",
    "county",
    "region",
    "country",
    "instructions",
)
BILLING_FIELDS = tuple(f for f in SHIPPING_FIELDS if f not in ("phone_number", "instructions"))
GATEWAYS = frozenset(
    {
        "adyen",
        "authorize_net",
        "braintree",
        "card_connect",
        "cyber_source",
        "elastic_path_payments_stripe",
        "manual",
        "paypal_express_checkout",
        "stripe",
        "stripe_payment_intents",
        "stripe_platform_account",
    }
)


@lru_cache(maxsize=4096)
def formatted(amount: int, currency: str) -> str:
    """`$1,234.50` for 123450 USD, `-$10.00` for -1000 USD, `¥500` for 500 JPY: Babel's `en_US` text,
    written directly where Babel's own output shows the layout (`money.display`); an order shows ten
    amounts, most of them its own, so a cache alone would mostly miss."""
    return display(amount, currency)


def price(amount: int, currency: str) -> dict[str, Any]:
    return {"amount": amount, "currency": currency, "formatted": formatted(amount, currency)}


def _address(address: Address | None, fields: tuple[str, ...]) -> dict[str, str]:
    """Every field of the address, `""` where unset (or when the order has no such address)."""
    return {name: getattr(address, name) if address is not None else "" for name in fields}


def display_price(order: Order) -> dict[str, dict[str, Any]]:
    totals, currency = order.totals, order.currency
    with_tax = order.total
    paid = order.amount_paid
    amounts = {
        "with_tax": with_tax,
        "without_tax": with_tax - totals.tax,
        "tax": totals.tax,
        "discount": -totals.discount,
        "balance_owing": max(with_tax - paid, 0),
        "paid": paid,
        "authorized": 0,
        "without_discount": with_tax + totals.discount + totals.shipping_discount,
        "shipping": totals.shipping,
        "shipping_discount": -totals.shipping_discount,
    }
    return {key: price(amount, currency) for key, amount in amounts.items()}


def order(order: Order) -> dict[str, Any]:
    """One order (`data` of `GET /v2/orders/:id`, an element of the list)."""
    payment = order.payment_status
    body: dict[str, Any] = {
        "type": "order",
        "id": ids.to_uuid(order.id),
        "status": vocabulary.status_word(order.status),
        "payment": vocabulary.payment_word(payment),
        "shipping": vocabulary.shipping_word(order.fulfillment_status),
        "anonymized": order.anonymized,
    }
    if order.order_number:
        body["order_number"] = order.order_number
    if order.external_ref:
        body["external_ref"] = order.external_ref
    relationships: dict[str, Any] = {
        "items": {"data": [{"type": "item", "id": ids.show(item.id)} for item in order.items]}
    }
    contact = order.contact
    if contact is not None:
        body["customer"] = {"id": ids.show(contact.id), "name": contact.name, "email": contact.email}
        body["contact"] = {"name": contact.name, "email": contact.email}
        relationships["customer"] = {"data": {"type": "customer", "id": ids.show(contact.id)}}
    body["shipping_address"] = _address(order.shipping_address, SHIPPING_FIELDS)
    body["billing_address"] = _address(order.billing_address, BILLING_FIELDS)
    timestamps = {"created_at": iso_ms(order.created_at), "updated_at": iso_ms(order.updated_at)}
    if payment is PaymentStatus.PAID and order.fully_paid_at is not None:
        timestamps["fully_paid_at"] = iso_ms(order.fully_paid_at)
    body["links"] = {}
    body["meta"] = {
        "display_price": display_price(order),
        "timestamps": timestamps,
        "is_manual": order.source.type is SourceType.MANUAL,
    }
    body["relationships"] = relationships
    return body


def _per_unit(line: int, quantity: int) -> int:
    """A line amount shared over its units, rounded half away from zero."""
    whole = (abs(line) * 2 + quantity) // (quantity * 2)
    return whole if line >= 0 else -whole


def item(item: OrderItem, order: Order) -> dict[str, Any]:
    """An `order_item` (`GET /v2/orders/:id/items`, `included.items`)."""
    currency, quantity = order.currency, item.quantity
    value = item.value
    lines = {
        "with_tax": value - item.discount + item.tax,
        "without_tax": value - item.discount,
        "tax": item.tax,
        "discount": -item.discount,
        "without_discount": value + item.tax,
    }
    timestamps = {"created_at": iso_ms(order.created_at), "updated_at": iso_ms(order.updated_at)}
    return {
        "type": "order_item",
        "id": ids.show(item.id),
        "quantity": quantity,
        "product_id": ids.show(item.product.id),
        "name": item.name,
        "sku": item.product.sku or "",
        "unit_price": {"amount": item.price.amount, "currency": currency, "includes_tax": False},
        "value": {"amount": value, "currency": currency, "includes_tax": False},
        "discounts": [],
        "links": {},
        "meta": {
            "display_price": {
                key: {"unit": price(_per_unit(line, quantity), currency), "value": price(line, currency)}
                for key, line in lines.items()
            },
            "timestamps": timestamps,
        },
        "relationships": {},
    }


def items(order: Order) -> list[dict[str, Any]]:
    return [item(entry, order) for entry in order.items]


def transaction(transaction: Transaction) -> dict[str, Any]:
    currency = transaction.currency
    gateway = transaction.provider if transaction.provider in GATEWAYS else "manual"
    return {
        "type": "transaction",
        "id": ids.show(transaction.id),
        "reference": ids.show(transaction.id),
        "name": transaction.mode.value,
        "custom_reference": transaction.cheque.number if transaction.cheque is not None else "",
        "gateway": gateway,
        "amount": transaction.amount,
        "refunded_amount": transaction.amount_refunded,
        "currency": currency,
        "transaction_type": "purchase",
        "status": "refunded" if transaction.status is TransactionStatus.REFUNDED else "complete",
        "refund_mechanism": "manual",
        "relationships": {"order": {"data": {"type": "order", "id": ids.show(transaction.order_id)}}},
        "meta": {
            "display_price": price(transaction.amount, currency),
            "display_refunded_amount": {"total": price(transaction.amount_refunded, currency)},
            "timestamps": {
                "created_at": iso_ms(transaction.created_at),
                "updated_at": iso_ms(transaction.updated_at),
            },
        },
    }
