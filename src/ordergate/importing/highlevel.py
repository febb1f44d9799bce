"""One order as HighLevel's `GET /payments/orders/{orderId}` returns it (`GetOrderResponseSchema`), read
into the canonical model, so an export from a real account imports as is.

Unknown keys are ignored (real payloads carry variants, taxes, ...), and the spec's own quirks are tolerated:
numbers and booleans sent as strings ("100", "false"). Amounts are major units and become minor units. The
payment state comes from `paymentStatus` (an ordergate extension, with optional `amountPaid` and
`amountRefunded`), or else from `status`; fulfilled quantities come from `fulfillmentStatus`. Ids an export
lacks (item, product, price, coupon) are derived from what is there, so the same file always gives the same
orders. What the export states and the order computes (subtotal, amount, payment status) must agree.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import msgspec

from ordergate.domain import ids
from ordergate.domain.building import NewItem, NewOrder, build_order
from ordergate.domain.clock import parse_iso
from ordergate.domain.errors import Invalid
from ordergate.domain.money import exponent, known_currencies, to_major, to_minor
from ordergate.domain.order import (
    ContactSnapshot,
    Coupon,
    FulfillmentStatus,
    Order,
    OrderSource,
    OrderStatus,
    PaymentStatus,
    Price,
    PriceType,
    Product,
    Recurring,
    RecurringInterval,
    SourceSubType,
    SourceType,
)


def partial_fulfillment(quantities: Sequence[int]) -> list[int]:
    """Fulfilled quantities that an order known only to be `partially_fulfilled` is given: the first line
    as far as it can go short of everything (so at least two units must have been ordered)."""
    units = sum(quantities)
    return [min(quantities[0], units - 1), *[0] * (len(quantities) - 1)]


# --- the HighLevel shape ---------------------------------------------------------------------------------
# Every field is optional unless the order cannot exist without it; absent and null mean the same.


class HlRecurring(msgspec.Struct, kw_only=True, rename="camel"):
    interval: RecurringInterval
    interval_count: int = 1


class HlProduct(msgspec.Struct, kw_only=True, rename="camel"):
    id: str | None = msgspec.field(default=None, name="_id")
    name: str | None = None
    product_type: str | None = None
    description: str | None = None
    image: str | None = None
    sku: str | None = None


class HlPrice(msgspec.Struct, kw_only=True, rename="camel"):
    amount: Decimal
    id: str | None = msgspec.field(default=None, name="_id")
    name: str | None = None
    type: PriceType | None = None
    currency: str | None = None
    recurring: HlRecurring | None = None
    compare_at_price: Decimal | None = None


class HlItem(msgspec.Struct, kw_only=True, rename="camel"):
    price: HlPrice
    id: str | None = msgspec.field(default=None, name="_id")
    name: str | None = None
    qty: int = 1
    product: HlProduct | None = None


class HlAmountSummary(msgspec.Struct, kw_only=True):
    subtotal: Decimal | None = None
    discount: Decimal | None = None
    tax: Decimal | None = None
    shipping: Decimal | None = None


class HlSource(msgspec.Struct, kw_only=True, rename="camel"):
    type: SourceType
    id: str | None = None
    sub_type: SourceSubType | None = None
    name: str | None = None
    meta: dict[str, Any] | None = None


class HlCoupon(msgspec.Struct, kw_only=True):
    code: str
    id: str | None = msgspec.field(default=None, name="_id")


class HlOrder(msgspec.Struct, kw_only=True, rename="camel"):
    id: str = msgspec.field(name="_id")
    status: OrderStatus
    alt_id: str | None = None
    alt_type: str | None = None
    contact_id: str | None = None
    currency: str | None = None
    amount: Decimal | None = None
    live_mode: bool | None = None
    mark_as_test: bool | None = None
    created_at: str | None = None
    updated_at: str | None = None
    fulfillment_status: FulfillmentStatus | None = None
    payment_status: PaymentStatus | None = None  # ordergate extension
    amount_paid: Decimal | None = None  # ordergate extension
    amount_refunded: Decimal | None = None  # ordergate extension
    contact_snapshot: dict[str, Any] | None = None
    amount_summary: HlAmountSummary | None = None
    source: HlSource | None = None
    items: list[HlItem] | None = None
    coupon: HlCoupon | None = None
    tracking_id: str | None = None
    fingerprint: str | None = None
    trace_id: str | None = None
    meta: dict[str, Any] | None = None
    automatic_taxes_calculated: bool | None = None
    tax_calculation_provider: str | dict[str, Any] | None = None
    created_by: str | None = None
    name: str | None = None  # ordergate extension; HighLevel orders have no name


decode_highlevel = msgspec.json.Decoder(HlOrder, strict=False).decode  # "100" -> 100, "false" -> False
# contactSnapshot arrives camelCase in webhooks and snake_case in the spec's GET example: accept both.
_CONTACT_FIELDS = {
    "id": "id",
    "firstName": "first_name",
    "first_name": "first_name",
    "lastName": "last_name",
    "last_name": "last_name",
    "email": "email",
    "phone": "phone",
    "companyName": "company_name",
    "company_name": "company_name",
    "address1": "address1",
    "city": "city",
    "state": "state",
    "postalCode": "postal_code",
    "postal_code": "postal_code",
    "country": "country",
}


def order_from_highlevel(hl: HlOrder, location_id: str) -> Order:
    """A checked order of `location_id` from one HighLevel order. Raises `Invalid` listing the problems."""
    reader = _HighLevelReader(hl, location_id)
    order = build_order(reader.new_order(), location_id)
    reader.cross_check(order)
    return order


def _derived_id(*parts: str) -> str:
    """A stable 24-hex id for something an export left without one."""
    return hashlib.sha256(":".join(parts).encode("utf-8")).hexdigest()[:24]


class _HighLevelReader:
    """Maps one `HlOrder` onto `NewOrder`, collecting every problem before giving up."""

    def __init__(self, hl: HlOrder, location_id: str) -> None:
        self.hl = hl
        self.location_id = location_id
        self.problems: list[str] = []
        item_currencies = (item.price.currency for item in hl.items or () if item.price.currency)
        self.currency = hl.currency or next(item_currencies, None) or "USD"

    def new_order(self) -> NewOrder:
        hl, problems = self.hl, self.problems
        if not ids.is_object_id(hl.id):
            problems.append(f"_id must be 24 lowercase hexadecimal characters, got {hl.id!r}")
        if hl.alt_id is not None and hl.alt_id != self.location_id:
            problems.append(f"altId {hl.alt_id!r} is not the target location {self.location_id!r}")
        if self.currency not in known_currencies():  # without an exponent no amount can be read
            raise Invalid([*problems, f"currency must be an ISO 4217 code, got {self.currency!r}"])
        summary = hl.amount_summary or HlAmountSummary()
        discount = self._minor(summary.discount, "amountSummary.discount") or 0
        tax = self._minor(summary.tax, "amountSummary.tax") or 0
        shipping = self._minor(summary.shipping, "amountSummary.shipping") or 0
        items = self._items(summary)
        total = sum(i.price.amount * i.quantity for i in items) - discount + tax + shipping
        paid, refunded = self._payments(max(total, 0))
        created = self._timestamp(hl.created_at, "createdAt")
        if created is None and ids.is_object_id(hl.id):
            created = int(hl.id[:8], 16) * 1000  # an ObjectId starts with its creation second
        updated = self._timestamp(hl.updated_at, "updatedAt")
        source = None
        if hl.source is not None:
            source = OrderSource(
                type=hl.source.type,
                id=hl.source.id or self.location_id,
                sub_type=hl.source.sub_type,
                name=hl.source.name,
                meta=hl.source.meta or {},
            )
        coupon = None
        if hl.coupon is not None:
            coupon = Coupon(
                id=hl.coupon.id or _derived_id(self.location_id, "coupon", hl.coupon.code),
                code=hl.coupon.code,
            )
        contact = self._contact()
        if problems:
            raise Invalid(problems)
        return NewOrder(
            id=hl.id,
            location_id=self.location_id,
            name=hl.name,
            currency=self.currency,
            status=hl.status,
            items=items,
            discount=discount,
            tax=tax,
            shipping=shipping,
            contact=contact,
            source=source,
            created_at=created,
            updated_at=updated,
            amount_paid=paid,
            amount_refunded=refunded,
            live_mode=hl.live_mode if hl.live_mode is not None else not hl.mark_as_test,
            coupon=coupon,
            tracking_id=hl.tracking_id,
            fingerprint=hl.fingerprint,
            trace_id=hl.trace_id,
            created_by=hl.created_by,
            automatic_taxes_calculated=bool(hl.automatic_taxes_calculated),
            tax_calculation_provider=_provider_name(hl.tax_calculation_provider),
            meta=hl.meta or {},
        )

    def cross_check(self, order: Order) -> None:
        """What the export states and the order computes must agree."""
        hl = self.hl
        problems: list[str] = []
        currency = order.currency
        summary = hl.amount_summary
        if hl.items and summary is not None and summary.subtotal is not None:
            given = self._minor(summary.subtotal, "amountSummary.subtotal")
            if given is not None and given != order.totals.subtotal:
                problems.append(
                    f"amountSummary.subtotal {summary.subtotal} is not the sum of the items' price x qty "
                    f"({to_major(order.totals.subtotal, currency)})"
                )
        if hl.amount is not None:
            if not hl.amount.is_finite():
                problems.append(f"amount must be a number, got {hl.amount}")
            elif abs(hl.amount.scaleb(exponent(currency)) - order.total) >= 1:
                problems.append(
                    f"amount {hl.amount} does not match the total {to_major(order.total, currency)} "
                    "(subtotal - discount + tax + shipping)"
                )
        wanted = hl.payment_status
        if wanted is not None and order.total > 0 and order.payment_status is not wanted:
            problems.append(
                f"paymentStatus {wanted.value!r} disagrees with the amounts: "
                f"{to_major(order.amount_paid, currency)} paid and "
                f"{to_major(order.amount_refunded, currency)} refunded "
                f"of {to_major(order.total, currency)} is {order.payment_status.value!r}"
            )
        problems.extend(self.problems)  # any raised while re-reading amounts
        if problems:
            raise Invalid(problems)

    # --- parts -------------------------------------------------------------------------------------------

    def _minor(self, value: Decimal | None, where: str) -> int | None:
        if value is None:
            return None
        if not value.is_finite():
            self.problems.append(f"{where} must be a number, got {value}")
            return None
        try:
            return to_minor(value, self.currency)
        except Invalid as exc:
            self.problems.append(f"{where}: {exc}")
            return None

    def _timestamp(self, value: str | None, where: str) -> int | None:
        if value is None:
            return None
        try:
            return parse_iso(value)
        except ValueError:
            self.problems.append(f"{where} must be an ISO 8601 timestamp, got {value!r}")
            return None

    def _items(self, summary: HlAmountSummary) -> list[NewItem]:
        hl = self.hl
        if not hl.items:
            return [self._stand_in_item(summary)]
        shipped = self._fulfilled([item.qty for item in hl.items])
        return [
            self._item(index, item, done)
            for index, (item, done) in enumerate(zip(hl.items, shipped, strict=True))
        ]

    def _item(self, index: int, item: HlItem, fulfilled: int) -> NewItem:
        where = f"items[{index}]"
        price, product = item.price, item.product or HlProduct()
        if price.currency is not None and price.currency != self.currency:
            self.problems.append(
                f"{where}.price.currency {price.currency!r} differs from the order currency {self.currency!r}"
            )
        name = item.name or product.name or price.name or ""
        product_name = product.name or name
        product_id = product.id or _derived_id(self.location_id, "product", product_name)
        price_name = price.name or name
        recurring = price.recurring
        return NewItem(
            id=item.id or self.hl.id[:8] + _derived_id(self.hl.id, "item", str(index))[:16],
            name=name,
            quantity=item.qty,
            product=Product(
                id=product_id,
                name=product_name,
                product_type=product.product_type or "PHYSICAL",
                description=product.description,
                image=product.image,
                sku=product.sku,
            ),
            price=Price(
                id=price.id or _derived_id(self.location_id, "price", product_id, price_name),
                name=price_name,
                type=price.type or (PriceType.ONE_TIME if recurring is None else PriceType.RECURRING),
                amount=self._minor(price.amount, f"{where}.price.amount") or 0,
                recurring=None if recurring is None else Recurring(**msgspec.structs.asdict(recurring)),
                compare_at=self._minor(price.compare_at_price, f"{where}.price.compareAtPrice"),
            ),
            fulfilled_quantity=fulfilled,
        )

    def _stand_in_item(self, summary: HlAmountSummary) -> NewItem:
        """One item worth the subtotal, for an export that left the items out."""
        hl = self.hl
        where, value = ("amountSummary.subtotal", summary.subtotal)
        if value is None:
            where, value = ("amount", hl.amount)
        if value is None:
            self.problems.append(
                "items is missing, and neither amountSummary.subtotal nor amount says its value"
            )
        name = hl.name or f"Order {hl.id}"
        product_id = _derived_id(self.location_id, "product", hl.id)
        return NewItem(
            id=hl.id[:8] + _derived_id(hl.id, "item", "0")[:16],
            name=name,
            quantity=1,
            product=Product(id=product_id, name=name),
            price=Price(
                id=_derived_id(self.location_id, "price", hl.id),
                name=name,
                type=PriceType.ONE_TIME,
                amount=self._minor(value, where) or 0,
            ),
            fulfilled_quantity=self._fulfilled([1])[0],
        )

    def _fulfilled(self, quantities: list[int]) -> list[int]:
        status = self.hl.fulfillment_status
        if status is FulfillmentStatus.FULFILLED:
            return list(quantities)
        if status is FulfillmentStatus.PARTIALLY_FULFILLED and min(quantities) >= 1:  # else quantity is wrong
            if sum(quantities) >= 2:
                return partial_fulfillment(quantities)
            self.problems.append("fulfillmentStatus 'partially_fulfilled' needs at least two units ordered")
        return [0] * len(quantities)

    def _payments(self, total: int) -> tuple[int, int]:
        """Amount paid and refunded: as given, else as `paymentStatus` (or a completed `status`) implies."""
        hl = self.hl
        paid = self._minor(hl.amount_paid, "amountPaid")
        refunded = self._minor(hl.amount_refunded, "amountRefunded")
        status = hl.payment_status
        if status is None:
            status = PaymentStatus.PAID if hl.status is OrderStatus.COMPLETED else PaymentStatus.UNPAID
            if paid is not None:
                return paid, refunded or 0
        if paid is None:
            paid = {PaymentStatus.UNPAID: 0, PaymentStatus.PARTIALLY_PAID: total // 2}.get(status, total)
        if refunded is None:
            refunded = paid if status is PaymentStatus.REFUNDED else 0
        return paid, refunded

    def _contact(self) -> ContactSnapshot | None:
        raw, contact_id = self.hl.contact_snapshot, self.hl.contact_id
        if raw is None:
            return None if contact_id is None else ContactSnapshot(id=contact_id)
        fields: dict[str, str] = {}
        for key, value in raw.items():
            attr = _CONTACT_FIELDS.get(key)
            if attr is None or value is None or attr in fields:
                continue
            if not isinstance(value, str):
                self.problems.append(f"contactSnapshot.{key} must be a string, got {value!r}")
                continue
            fields[attr] = value
        if "first_name" not in fields and "last_name" not in fields and isinstance(raw.get("name"), str):
            first, _, last = raw["name"].strip().partition(" ")
            fields.update(first_name=first, last_name=last.strip())
        snapshot_id = fields.pop("id", None)
        if snapshot_id and contact_id and snapshot_id != contact_id:
            self.problems.append(f"contactSnapshot.id {snapshot_id!r} differs from contactId {contact_id!r}")
        return ContactSnapshot(id=snapshot_id or contact_id or "", **fields)


def _provider_name(value: str | dict[str, Any] | None) -> str | None:
    """`taxCalculationProvider` is typed as an object but sent as a name ("taxjar"); take either."""
    if isinstance(value, dict):
        name = value.get("name") or value.get("provider")
        return name if isinstance(name, str) else None
    return value
