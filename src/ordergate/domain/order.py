"""The canonical order: one store, rendered by every dialect.

Statuses use HighLevel's vocabulary. Payment and fulfillment statuses are *derived*: payment status from
the amounts paid and refunded against the total, fulfillment status from the fulfilled quantities of the
items, so they can never disagree with the facts they summarise.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import msgspec


class OrderStatus(StrEnum):
    """Where the order is in its life (HighLevel `status`)."""

    PENDING = "pending"  # created, waiting for payment (a partial payment keeps it pending)
    PROCESSING = "processing"  # being worked on by the merchant (set on creation or import only)
    COMPLETED = "completed"  # checkout completed
    CANCELLED = "cancelled"  # cancelled by the merchant; no further payments
    FAILED = "failed"  # the payment attempt at checkout failed


class PaymentStatus(StrEnum):
    """How much of the total has been collected (HighLevel `paymentStatus`), derived from amounts."""

    # In the order of the spec's `paymentStatus` enum, which validation messages list.
    PAID = "paid"
    UNPAID = "unpaid"
    REFUNDED = "refunded"  # everything collected was given back; partial refunds keep `paid`
    PARTIALLY_PAID = "partially_paid"


class FulfillmentStatus(StrEnum):
    """How much of the ordered quantity has shipped (HighLevel `fulfillmentStatus`), derived from items."""

    UNFULFILLED = "unfulfilled"
    PARTIALLY_FULFILLED = "partially_fulfilled"
    FULFILLED = "fulfilled"


class SourceType(StrEnum):
    """`OrderSource.type` enum of the HighLevel spec."""

    FUNNEL = "funnel"
    WEBSITE = "website"
    INVOICE = "invoice"
    CALENDAR = "calendar"
    TEXT2PAY = "text2Pay"
    DOCUMENT_CONTRACTS = "document_contracts"
    MEMBERSHIP = "membership"
    MOBILE_APP = "mobile_app"
    COMMUNITIES = "communities"
    POINT_OF_SALE = "point_of_sale"
    MANUAL = "manual"
    FORM = "form"
    SURVEY = "survey"
    PAYMENT_LINK = "payment_link"
    EXTERNAL = "external"


class SourceSubType(StrEnum):
    """`OrderSource.subType` enum of the HighLevel spec."""

    ONE_STEP_ORDER_FORM = "one_step_order_form"
    TWO_STEP_ORDER_FORM = "two_step_order_form"
    UPSELL = "upsell"
    TAP_TO_PAY = "tap_to_pay"
    CARD_PAYMENT = "card_payment"
    STORE = "store"
    CONTACT_VIEW = "contact_view"
    EMAIL_CAMPAIGN = "email_campaign"
    PAYMENTS_DASHBOARD = "payments_dashboard"
    SHOPIFY = "shopify"
    SUBSCRIPTION_VIEW = "subscription_view"
    STORE_UPSELL = "store_upsell"
    WOOCOMMERCE = "woocommerce"
    SERVICE = "service"
    MEETING = "meeting"
    IMPORTED_CSV = "imported_csv"
    QR_CODE = "qr_code"
    SAAS_ONE_TIME = "saas_one_time"
    SAAS_SUBSCRIPTION = "saas_subscription"


class PriceType(StrEnum):
    ONE_TIME = "one_time"
    RECURRING = "recurring"


class RecurringInterval(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


class Recurring(msgspec.Struct, frozen=True, kw_only=True):
    interval: RecurringInterval
    interval_count: int = 1


class Product(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name: str
    product_type: str = "PHYSICAL"  # PHYSICAL, DIGITAL, SERVICE
    description: str | None = None
    image: str | None = None
    sku: str | None = None


class Price(msgspec.Struct, frozen=True, kw_only=True):
    """A product's price; `amount` is the unit price in minor units of the order's currency."""

    id: str
    name: str
    type: PriceType
    amount: int
    recurring: Recurring | None = None
    compare_at: int | None = None


class OrderItem(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name: str
    quantity: int
    product: Product
    price: Price
    fulfilled_quantity: int = 0
    tax: int = 0  # minor units, whole line
    discount: int = 0  # minor units, whole line, >= 0

    @property
    def value(self) -> int:
        """The line total before tax and discount."""
        return self.price.amount * self.quantity


class ContactSnapshot(msgspec.Struct, frozen=True, kw_only=True):
    """The contact as it was when the order was placed."""

    id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    company_name: str = ""
    address1: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


class Address(msgspec.Struct, frozen=True, kw_only=True):
    """A postal address with Elastic Path's field set (HighLevel has none on orders)."""

    first_name: str = ""
    last_name: str = ""
    phone_number: str = ""
    company_name: str = ""
    line_1: str = ""
    line_2: str = ""
    city: str = ""
    postcode: str = ""
    county: str = ""
    region: str = ""
    country: str = ""
    instructions: str = ""


class OrderSource(msgspec.Struct, frozen=True, kw_only=True):
    type: SourceType
    id: str
    sub_type: SourceSubType | None = None
    name: str | None = None
    meta: dict[str, Any] = msgspec.field(default_factory=dict)


class Coupon(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    code: str


class Totals(msgspec.Struct, frozen=True, kw_only=True):
    """Order-level amounts in minor units. Discounts are stored as non-negative numbers."""

    subtotal: int  # sum of item values, before discount, tax and shipping
    discount: int = 0
    tax: int = 0
    shipping: int = 0
    shipping_discount: int = 0

    @property
    def total(self) -> int:
        return self.subtotal - self.discount + self.tax + self.shipping - self.shipping_discount


class Order(msgspec.Struct, kw_only=True):
    id: str  # 24 lowercase hex (ObjectId bytes)
    location_id: str
    name: str
    currency: str
    status: OrderStatus
    items: list[OrderItem]
    totals: Totals
    contact: ContactSnapshot | None = None
    source: OrderSource
    created_at: int  # epoch milliseconds, UTC
    updated_at: int
    amount_paid: int = 0
    amount_refunded: int = 0
    live_mode: bool = True
    coupon: Coupon | None = None
    tracking_id: str | None = None
    fingerprint: str | None = None
    trace_id: str | None = None
    created_by: str | None = None
    order_number: str | None = None
    external_ref: str | None = None
    billing_address: Address | None = None
    shipping_address: Address | None = None
    anonymized: bool = False
    automatic_taxes_calculated: bool = False
    tax_calculation_provider: str | None = None
    meta: dict[str, Any] = msgspec.field(default_factory=dict)
    fully_paid_at: int | None = None

    @property
    def total(self) -> int:
        return self.totals.total

    @property
    def payment_status(self) -> PaymentStatus:
        return derive_payment_status(self.total, self.amount_paid, self.amount_refunded)

    @property
    def fulfillment_status(self) -> FulfillmentStatus:
        return derive_fulfillment_status(self.items)

    @property
    def search_text(self) -> str:
        """What `search` matches against, lowercased: the order's name, the contact's name and email."""
        contact = self.contact
        parts = [self.name] if contact is None else [self.name, contact.name, contact.email]
        return "\n".join(parts).lower()


def derive_payment_status(total: int, paid: int, refunded: int) -> PaymentStatus:
    if paid > 0 and refunded >= paid:
        return PaymentStatus.REFUNDED
    if paid >= total and (paid > 0 or total == 0):
        return PaymentStatus.PAID
    if paid > 0:
        return PaymentStatus.PARTIALLY_PAID
    return PaymentStatus.UNPAID


def derive_fulfillment_status(items: list[OrderItem]) -> FulfillmentStatus:
    ordered = sum(item.quantity for item in items)
    shipped = sum(item.fulfilled_quantity for item in items)
    if shipped == 0:
        return FulfillmentStatus.UNFULFILLED
    if shipped >= ordered:
        return FulfillmentStatus.FULFILLED
    return FulfillmentStatus.PARTIALLY_FULFILLED
