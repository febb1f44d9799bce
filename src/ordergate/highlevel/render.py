"""Canonical order -> HighLevel's wire shapes: the nested detail (`GetOrderResponseSchema`) and the
flattened list summary (`OrderResponseSchema`). Amounts are major-unit JSON numbers; absent optional
fields are left out, as the platform (a MongoDB document store) leaves them out."""

from __future__ import annotations

from typing import Any

from ordergate.domain.order import (
    ContactSnapshot,
    Order,
    OrderItem,
    OrderSource,
    Price,
    PriceType,
    Product,
    derive_fulfillment_status,
    derive_payment_status,
)
from ordergate.wire import iso_ms, major, minor_per_major

ALT_TYPE = "location"


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        target[key] = value


def contact_snapshot(contact: ContactSnapshot, location_id: str) -> dict[str, Any]:
    snapshot: dict[str, Any] = {"id": contact.id, "locationId": location_id}
    if contact.first_name:
        snapshot["firstName"] = contact.first_name
    if contact.last_name:
        snapshot["lastName"] = contact.last_name
    name = contact.name
    if name:
        snapshot["name"] = name
    if contact.email:
        snapshot["email"] = contact.email
    if contact.phone:
        snapshot["phone"] = contact.phone
    if contact.company_name:
        snapshot["companyName"] = contact.company_name
    if contact.address1:
        snapshot["address1"] = contact.address1
    if contact.city:
        snapshot["city"] = contact.city
    if contact.state:
        snapshot["state"] = contact.state
    if contact.postal_code:
        snapshot["postalCode"] = contact.postal_code
    if contact.country:
        snapshot["country"] = contact.country
    return snapshot


def product_json(product: Product, location_id: str) -> dict[str, Any]:
    """`DefaultProductResponseDto` (the fields ordergate keeps)."""
    body: dict[str, Any] = {
        "_id": product.id,
        "name": product.name,
        "productType": product.product_type,
        "locationId": location_id,
    }
    if product.description is not None:
        body["description"] = product.description
    if product.image is not None:
        body["image"] = product.image
    if product.sku is not None:
        body["sku"] = product.sku
    return body


def price_json(price: Price, product_id: str, currency: str, location_id: str) -> dict[str, Any]:
    """`DefaultPriceResponseDto`; the unit amount in major units."""
    scale = minor_per_major(currency)
    body: dict[str, Any] = {
        "_id": price.id,
        "name": price.name,
        "type": price.type,
        "currency": currency,
        "amount": major(price.amount, scale),
        "product": product_id,
        "locationId": location_id,
    }
    recurring = price.recurring
    if recurring is not None:
        body["recurring"] = {"interval": recurring.interval, "intervalCount": recurring.interval_count}
    if price.compare_at is not None:
        body["compareAtPrice"] = major(price.compare_at, scale)
    return body


def item_detail(item: OrderItem, order: Order) -> dict[str, Any]:
    location_id = order.location_id
    return {
        "_id": item.id,
        "name": item.name,
        "qty": item.quantity,
        "locationId": location_id,
        "product": product_json(item.product, location_id),
        "price": price_json(item.price, item.product.id, order.currency, location_id),
    }


def source_json(source: OrderSource) -> dict[str, Any]:
    """`OrderSource`: an order's `source`, a transaction's `entitySource`."""
    body: dict[str, Any] = {"type": source.type, "id": source.id}
    if source.sub_type is not None:
        body["subType"] = source.sub_type
    if source.name is not None:
        body["name"] = source.name
    if source.meta:
        body["meta"] = source.meta
    return body


def order_detail(order: Order) -> dict[str, Any]:
    """`GET /payments/orders/{orderId}`. Enum members go to the encoder as they are (it writes their
    values); amounts and timestamps take `wire`'s cheap forms: this runs on every read of an order."""
    currency = order.currency
    scale = minor_per_major(currency)
    totals = order.totals
    total = totals.total
    contact = order.contact
    body: dict[str, Any] = {"_id": order.id, "altId": order.location_id, "altType": ALT_TYPE}
    if contact is not None:
        body["contactId"] = contact.id
    body["currency"] = currency
    body["amount"] = major(total, scale)
    body["status"] = order.status
    body["paymentStatus"] = derive_payment_status(total, order.amount_paid, order.amount_refunded)
    body["liveMode"] = order.live_mode
    body["createdAt"] = iso_ms(order.created_at)
    body["updatedAt"] = iso_ms(order.updated_at)
    body["fulfillmentStatus"] = derive_fulfillment_status(order.items)
    if contact is not None:
        body["contactSnapshot"] = contact_snapshot(contact, order.location_id)
    body["amountSummary"] = {
        "subtotal": major(totals.subtotal, scale),
        "discount": major(totals.discount, scale),
        "tax": major(totals.tax, scale),
        "shipping": major(totals.shipping - totals.shipping_discount, scale),
    }
    body["source"] = source_json(order.source)
    body["items"] = [item_detail(item, order) for item in order.items]
    if order.coupon is not None:
        body["coupon"] = {"_id": order.coupon.id, "code": order.coupon.code}
    if order.tracking_id is not None:
        body["trackingId"] = order.tracking_id
    if order.fingerprint is not None:
        body["fingerprint"] = order.fingerprint
    body["meta"] = order.meta
    body["markAsTest"] = not order.live_mode
    if order.trace_id is not None:
        body["traceId"] = order.trace_id
    body["automaticTaxesCalculated"] = order.automatic_taxes_calculated
    if order.tax_calculation_provider is not None:
        body["taxCalculationProvider"] = order.tax_calculation_provider
    if order.created_by is not None:
        body["createdBy"] = order.created_by
    if order.amount_refunded:
        body["amountRefunded"] = major(order.amount_refunded, scale)
    return body


def order_summary(order: Order) -> dict[str, Any]:
    """One element of `GET /payments/orders` `data`."""
    currency = order.currency
    totals = order.totals
    contact = order.contact
    one_time = sum(1 for item in order.items if item.price.type is PriceType.ONE_TIME)
    body: dict[str, Any] = {
        "_id": order.id,
        "altId": order.location_id,
        "altType": ALT_TYPE,
    }
    if contact is not None:
        body["contactId"] = contact.id
        if contact.name:
            body["contactName"] = contact.name
        if contact.email:
            body["contactEmail"] = contact.email
    scale = minor_per_major(currency)
    total = totals.total
    body["currency"] = currency
    body["amount"] = major(total, scale)
    body["subtotal"] = major(totals.subtotal, scale)
    body["discount"] = major(totals.discount, scale)
    body["status"] = order.status
    body["paymentStatus"] = derive_payment_status(total, order.amount_paid, order.amount_refunded)
    body["liveMode"] = order.live_mode
    body["totalProducts"] = len(order.items)
    body["sourceType"] = order.source.type
    _put(body, "sourceName", order.source.name)
    body["sourceId"] = order.source.id
    if order.source.meta:
        body["sourceMeta"] = order.source.meta
    if order.coupon is not None:
        body["couponCode"] = order.coupon.code
    body["createdAt"] = iso_ms(order.created_at)
    body["updatedAt"] = iso_ms(order.updated_at)
    if order.source.sub_type is not None:
        body["sourceSubType"] = order.source.sub_type
    body["fulfillmentStatus"] = derive_fulfillment_status(order.items)
    body["onetimeProducts"] = one_time
    body["recurringProducts"] = len(order.items) - one_time
    _put(body, "createdBy", order.created_by)
    return body
