"""Canonical order -> HighLevel's wire shapes: the nested detail (`GetOrderResponseSchema`) and the
flattened list summary (`OrderResponseSchema`). Amounts are major-unit JSON numbers; absent optional
fields are left out, as the platform (a MongoDB document store) leaves them out."""

from __future__ import annotations

from typing import Any

from ordergate.domain.clock import iso_ms
from ordergate.domain.money import to_major
from ordergate.domain.order import ContactSnapshot, Order, OrderItem, OrderSource, Price, PriceType, Product

ALT_TYPE = "location"


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        target[key] = value


def contact_snapshot(contact: ContactSnapshot, location_id: str) -> dict[str, Any]:
    snapshot: dict[str, Any] = {"id": contact.id, "locationId": location_id}
    for key, value in (
        ("firstName", contact.first_name),
        ("lastName", contact.last_name),
        ("name", contact.name),
        ("email", contact.email),
        ("phone", contact.phone),
        ("companyName", contact.company_name),
        ("address1", contact.address1),
        ("city", contact.city),
        ("state", contact.state),
        ("postalCode", contact.postal_code),
        ("country", contact.country),
    ):
        if value:
            snapshot[key] = value
    return snapshot


def product_json(product: Product, location_id: str) -> dict[str, Any]:
    """`DefaultProductResponseDto` (the fields ordergate keeps)."""
    body: dict[str, Any] = {
        "_id": product.id,
        "name": product.name,
        "productType": product.product_type,
        "locationId": location_id,
    }
    _put(body, "description", product.description)
    _put(body, "image", product.image)
    _put(body, "sku", product.sku)
    return body


def price_json(price: Price, product_id: str, currency: str, location_id: str) -> dict[str, Any]:
    """`DefaultPriceResponseDto`; the unit amount in major units."""
    body: dict[str, Any] = {
        "_id": price.id,
        "name": price.name,
        "type": price.type.value,
        "currency": currency,
        "amount": to_major(price.amount, currency),
        "product": product_id,
        "locationId": location_id,
    }
    if price.recurring is not None:
        body["recurring"] = {
            "interval": price.recurring.interval.value,
            "intervalCount": price.recurring.interval_count,
        }
    if price.compare_at is not None:
        body["compareAtPrice"] = to_major(price.compare_at, currency)
    return body


def item_detail(item: OrderItem, order: Order) -> dict[str, Any]:
    return {
        "_id": item.id,
        "name": item.name,
        "qty": item.quantity,
        "locationId": order.location_id,
        "product": product_json(item.product, order.location_id),
        "price": price_json(item.price, item.product.id, order.currency, order.location_id),
    }


def source_json(source: OrderSource) -> dict[str, Any]:
    """`OrderSource`: an order's `source`, a transaction's `entitySource`."""
    body: dict[str, Any] = {"type": source.type.value, "id": source.id}
    if source.sub_type is not None:
        body["subType"] = source.sub_type.value
    _put(body, "name", source.name)
    if source.meta:
        body["meta"] = source.meta
    return body


def order_detail(order: Order) -> dict[str, Any]:
    """`GET /payments/orders/{orderId}`."""
    currency = order.currency
    totals = order.totals
    body: dict[str, Any] = {
        "_id": order.id,
        "altId": order.location_id,
        "altType": ALT_TYPE,
    }
    if order.contact is not None:
        body["contactId"] = order.contact.id
    body.update(
        {
            "currency": currency,
            "amount": to_major(totals.total, currency),
            "status": order.status.value,
            "paymentStatus": order.payment_status.value,
            "liveMode": order.live_mode,
            "createdAt": iso_ms(order.created_at),
            "updatedAt": iso_ms(order.updated_at),
            "fulfillmentStatus": order.fulfillment_status.value,
        }
    )
    if order.contact is not None:
        body["contactSnapshot"] = contact_snapshot(order.contact, order.location_id)
    body["amountSummary"] = {
        "subtotal": to_major(totals.subtotal, currency),
        "discount": to_major(totals.discount, currency),
        "tax": to_major(totals.tax, currency),
        "shipping": to_major(totals.shipping - totals.shipping_discount, currency),
    }
    body["source"] = source_json(order.source)
    body["items"] = [item_detail(item, order) for item in order.items]
    if order.coupon is not None:
        body["coupon"] = {"_id": order.coupon.id, "code": order.coupon.code}
    _put(body, "trackingId", order.tracking_id)
    _put(body, "fingerprint", order.fingerprint)
    body["meta"] = order.meta
    body["markAsTest"] = not order.live_mode
    _put(body, "traceId", order.trace_id)
    body["automaticTaxesCalculated"] = order.automatic_taxes_calculated
    _put(body, "taxCalculationProvider", order.tax_calculation_provider)
    _put(body, "createdBy", order.created_by)
    if order.amount_refunded:
        body["amountRefunded"] = to_major(order.amount_refunded, currency)
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
    body.update(
        {
            "currency": currency,
            "amount": to_major(totals.total, currency),
            "subtotal": to_major(totals.subtotal, currency),
            "discount": to_major(totals.discount, currency),
            "status": order.status.value,
            "paymentStatus": order.payment_status.value,
            "liveMode": order.live_mode,
            "totalProducts": len(order.items),
            "sourceType": order.source.type.value,
        }
    )
    _put(body, "sourceName", order.source.name)
    body["sourceId"] = order.source.id
    if order.source.meta:
        body["sourceMeta"] = order.source.meta
    if order.coupon is not None:
        body["couponCode"] = order.coupon.code
    body["createdAt"] = iso_ms(order.created_at)
    body["updatedAt"] = iso_ms(order.updated_at)
    if order.source.sub_type is not None:
        body["sourceSubType"] = order.source.sub_type.value
    body["fulfillmentStatus"] = order.fulfillment_status.value
    body["onetimeProducts"] = one_time
    body["recurringProducts"] = len(order.items) - one_time
    _put(body, "createdBy", order.created_by)
    return body
