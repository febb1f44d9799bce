"""Transactions (money that moved for an order), fulfillments (goods that moved) and the order's
timeline of events. Pure data; the rules that create them live in `lifecycle`."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import msgspec

from ordergate.domain.order import ContactSnapshot, OrderSource, Price, Product


class PaymentMode(StrEnum):
    """How an offline payment was made (`PostRecordOrderPaymentBody.mode`)."""

    CASH = "cash"
    CARD = "card"
    CHEQUE = "cheque"
    BANK_TRANSFER = "bank_transfer"
    OTHER = "other"


class CardType(StrEnum):
    VISA = "visa"
    MASTERCARD = "mastercard"
    OTHER = "other"


class TransactionStatus(StrEnum):
    SUCCEEDED = "succeeded"  # money collected (a partial refund keeps this status)
    REFUNDED = "refunded"  # everything collected was given back


class Card(msgspec.Struct, frozen=True, kw_only=True):
    type: CardType
    last4: str


class Cheque(msgspec.Struct, frozen=True, kw_only=True):
    number: str


class Transaction(msgspec.Struct, kw_only=True):
    id: str
    location_id: str
    order_id: str
    currency: str
    amount: int  # minor units
    status: TransactionStatus
    live_mode: bool
    mode: PaymentMode
    source: OrderSource  # the order's source, HighLevel's `entitySource`
    created_at: int
    updated_at: int
    amount_refunded: int = 0
    contact: ContactSnapshot | None = None
    card: Card | None = None
    cheque: Cheque | None = None
    notes: str | None = None
    meta: dict[str, Any] = msgspec.field(default_factory=dict)
    subscription_id: str | None = None
    provider: str = "manual"
    is_partial: bool = False
    created_by: str | None = None

    @property
    def refundable(self) -> int:
        return self.amount - self.amount_refunded

    @property
    def search_text(self) -> str:
        """What `search` matches: the payment notes, the contact's name and email, lowercased."""
        contact = self.contact
        parts = [self.notes or ""] if contact is None else [self.notes or "", contact.name, contact.email]
        return "\n".join(parts).lower()


class Tracking(msgspec.Struct, frozen=True, kw_only=True):
    number: str | None = None
    carrier: str | None = None
    url: str | None = None


class FulfilledLine(msgspec.Struct, frozen=True, kw_only=True):
    item_id: str
    name: str
    quantity: int
    product: Product
    price: Price


class Fulfillment(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    location_id: str
    order_id: str
    trackings: list[Tracking]
    items: list[FulfilledLine]
    notify_customer: bool
    created_at: int
    updated_at: int


class EventType(StrEnum):
    """Entries of the order's timeline (HighLevel's order notes)."""

    CREATED = "order_created"
    PAYMENT = "payment_recorded"
    FULFILLMENT = "fulfillment_created"
    STATUS = "status_changed"
    REFUND = "refund"
    CANCELLED = "order_cancelled"
    NOTE = "note"


class OrderEvent(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    location_id: str
    order_id: str
    type: EventType
    text: str
    created_at: int
    data: dict[str, Any] = msgspec.field(default_factory=dict)
    created_by: str | None = None
