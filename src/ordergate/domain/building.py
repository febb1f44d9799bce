"""Turning input (the canonical creation form) into a checked `Order`, listing every problem at once."""

from __future__ import annotations

import random
from typing import Any

import msgspec

from ordergate.domain import ids
from ordergate.domain.clock import now_ms
from ordergate.domain.errors import Invalid
from ordergate.domain.money import known_currencies
from ordergate.domain.order import (
    Address,
    ContactSnapshot,
    Coupon,
    Order,
    OrderItem,
    OrderSource,
    OrderStatus,
    Price,
    Product,
    SourceType,
    Totals,
)

MAX_ITEMS = 500


class NewItem(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    quantity: int
    product: Product
    price: Price
    id: str | None = None
    fulfilled_quantity: int = 0
    tax: int = 0
    discount: int = 0


class NewOrder(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The canonical creation form (the admin API body, one line of a canonical NDJSON import).

    Everything the server can derive is optional: ids, the name (from the items), timestamps (now),
    the subtotal (from the items).
    """

    items: list[NewItem]
    currency: str = "USD"
    id: str | None = None
    location_id: str | None = None
    name: str | None = None
    status: OrderStatus = OrderStatus.PENDING
    discount: int = 0
    tax: int = 0
    shipping: int = 0
    shipping_discount: int = 0
    contact: ContactSnapshot | None = None
    source: OrderSource | None = None
    created_at: int | None = None
    updated_at: int | None = None
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


def build_order(new: NewOrder, location_id: str, *, rng: random.Random | None = None) -> Order:
    """A checked `Order` from `new`, owned by `location_id`. Raises `Invalid` listing every problem."""
    problems: list[str] = []
    if new.location_id is not None and new.location_id != location_id:
        problems.append(f"location_id {new.location_id!r} does not match the target location {location_id!r}")
    if new.currency not in known_currencies():
        problems.append(f"currency must be an ISO 4217 code, got {new.currency!r}")
    if new.id is not None and not ids.is_object_id(new.id):
        problems.append("id must be 24 lowercase hexadecimal characters")
    if not new.items:
        problems.append("items must contain at least one item")
    if len(new.items) > MAX_ITEMS:
        problems.append(f"items must contain at most {MAX_ITEMS} items")
    for index, item in enumerate(new.items):
        problems.extend(_item_problems(index, item))
    for field in ("discount", "tax", "shipping", "shipping_discount", "amount_paid", "amount_refunded"):
        if getattr(new, field) < 0:
            problems.append(f"{field} must not be negative")
    if new.contact is not None and not ids.is_alnum20(new.contact.id):
        problems.append("contact.id must be 20 letters or digits")
    created = new.created_at if new.created_at is not None else now_ms()
    updated = new.updated_at if new.updated_at is not None else created
    if created < 0 or updated < created:
        problems.append("created_at must be >= 0 and updated_at must not precede it")
    subtotal = sum(item.price.amount * item.quantity for item in new.items)
    totals = Totals(
        subtotal=subtotal,
        discount=new.discount,
        tax=new.tax,
        shipping=new.shipping,
        shipping_discount=new.shipping_discount,
    )
    if totals.total < 0:
        problems.append("the discounts exceed the order's value")
    if new.amount_paid > max(totals.total, 0):
        problems.append("amount_paid must not exceed the order total")
    if new.amount_refunded > new.amount_paid:
        problems.append("amount_refunded must not exceed amount_paid")
    if problems:
        raise Invalid(problems)

    items = [
        OrderItem(
            id=item.id or ids.new_object_id(created, rng),
            name=item.name,
            quantity=item.quantity,
            product=item.product,
            price=item.price,
            fulfilled_quantity=item.fulfilled_quantity,
            tax=item.tax,
            discount=item.discount,
        )
        for item in new.items
    ]
    order = Order(
        id=new.id or ids.new_object_id(created, rng),
        location_id=location_id,
        name=new.name or ", ".join(item.name for item in items),
        currency=new.currency,
        status=new.status,
        items=items,
        totals=totals,
        contact=new.contact,
        source=new.source or OrderSource(type=SourceType.MANUAL, id=location_id),
        created_at=created,
        updated_at=updated,
        amount_paid=new.amount_paid,
        amount_refunded=new.amount_refunded,
        live_mode=new.live_mode,
        coupon=new.coupon,
        tracking_id=new.tracking_id,
        fingerprint=new.fingerprint,
        trace_id=new.trace_id,
        created_by=new.created_by,
        order_number=new.order_number,
        external_ref=new.external_ref,
        billing_address=new.billing_address,
        shipping_address=new.shipping_address,
        anonymized=new.anonymized,
        automatic_taxes_calculated=new.automatic_taxes_calculated,
        tax_calculation_provider=new.tax_calculation_provider,
        meta=new.meta,
        fully_paid_at=new.fully_paid_at,
    )
    if order.fully_paid_at is None and new.amount_paid > 0 and new.amount_paid >= totals.total:
        order.fully_paid_at = updated
    return order


def _item_problems(index: int, item: NewItem) -> list[str]:
    where = f"items[{index}]"
    problems: list[str] = []
    if item.id is not None and not ids.is_object_id(item.id):
        problems.append(f"{where}.id must be 24 lowercase hexadecimal characters")
    if item.quantity < 1:
        problems.append(f"{where}.quantity must be at least 1")
    if not 0 <= item.fulfilled_quantity <= max(item.quantity, 0):
        problems.append(f"{where}.fulfilled_quantity must be between 0 and quantity")
    if item.price.amount < 0:
        problems.append(f"{where}.price.amount must not be negative")
    if item.tax < 0 or item.discount < 0:
        problems.append(f"{where}.tax and discount must not be negative")
    if not item.name.strip():
        problems.append(f"{where}.name must not be empty")
    return problems
