"""Elastic Path's status words and the canonical statuses they stand for (docs/compatibility.md, EP.3).

Each map goes from an Elastic Path value to the canonical values it covers. Rendering is the inverse
(every canonical value belongs to exactly one Elastic Path value); filtering uses the map as it is, so
`eq(status,incomplete)` finds pending and failed orders, and `eq(payment,authorized)` finds nothing,
because ordergate never authorises without capturing.
"""

from __future__ import annotations

from collections.abc import Mapping

from ordergate.domain.order import FulfillmentStatus, OrderStatus, PaymentStatus

STATUS: Mapping[str, tuple[str, ...]] = {
    "incomplete": (OrderStatus.PENDING, OrderStatus.FAILED),
    "processing": (OrderStatus.PROCESSING,),
    "complete": (OrderStatus.COMPLETED,),
    "cancelled": (OrderStatus.CANCELLED,),
}
PAYMENT: Mapping[str, tuple[str, ...]] = {
    "unpaid": (PaymentStatus.UNPAID,),
    "authorized": (),
    "partially_authorized": (),
    "paid": (PaymentStatus.PAID,),  # a partial refund stays `paid`, as on Elastic Path
    "partially_paid": (PaymentStatus.PARTIALLY_PAID,),
    "refunded": (PaymentStatus.REFUNDED,),
}
SHIPPING: Mapping[str, tuple[str, ...]] = {
    "unfulfilled": (FulfillmentStatus.UNFULFILLED, FulfillmentStatus.PARTIALLY_FULFILLED),
    "fulfilled": (FulfillmentStatus.FULFILLED,),
}


def _inverse(words: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    return {canonical: word for word, covered in words.items() for canonical in covered}


_STATUS_WORD = _inverse(STATUS)
_PAYMENT_WORD = _inverse(PAYMENT)
_SHIPPING_WORD = _inverse(SHIPPING)


def status_word(status: OrderStatus) -> str:
    return _STATUS_WORD[status]


def payment_word(payment: PaymentStatus) -> str:
    return _PAYMENT_WORD[payment]


def shipping_word(fulfillment: FulfillmentStatus) -> str:
    return _SHIPPING_WORD[fulfillment]
