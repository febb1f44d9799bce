"""Transactions, fulfillments and order notes in HighLevel's wire shapes: `TxnResponseSchema` (list),
`GetTxnResponseSchema` (detail) and `FulfillmentSchema`. Order notes have no schema in the spec; their
shape here is ordergate's (documented in docs/compatibility.md)."""

from __future__ import annotations

from typing import Any

from ordergate.domain.clock import iso_ms
from ordergate.domain.money import to_major
from ordergate.domain.transaction import Fulfillment, OrderEvent, Transaction
from ordergate.highlevel.render import ALT_TYPE, contact_snapshot, price_json, product_json, source_json

ENTITY_TYPE = "order"


def payment_method(transaction: Transaction) -> dict[str, Any]:
    """How it was paid: `{"card": {"brand", "last4"}}`, `{"cheque": {"number"}}` or `{"type": mode}`."""
    if transaction.card is not None:
        return {"card": {"brand": transaction.card.type.value, "last4": transaction.card.last4}}
    if transaction.cheque is not None:
        return {"cheque": {"number": transaction.cheque.number}}
    return {"type": transaction.mode.value}


def transaction_summary(transaction: Transaction) -> dict[str, Any]:
    """One element of `GET /payments/transactions` `data`."""
    currency = transaction.currency
    contact = transaction.contact
    source = transaction.source
    body: dict[str, Any] = {"_id": transaction.id, "altId": transaction.location_id, "altType": ALT_TYPE}
    if contact is not None:
        body["contactId"] = contact.id
        if contact.name:
            body["contactName"] = contact.name
        if contact.email:
            body["contactEmail"] = contact.email
    body.update(
        {
            "currency": currency,
            "amount": to_major(transaction.amount, currency),
            "status": transaction.status.value,
            "liveMode": transaction.live_mode,
            "entityType": ENTITY_TYPE,
            "entityId": transaction.order_id,
            "entitySourceType": source.type.value,
        }
    )
    if source.sub_type is not None:
        body["entitySourceSubType"] = source.sub_type.value
    if source.name is not None:
        body["entitySourceName"] = source.name
    body["entitySourceId"] = source.id
    if source.meta:
        body["entitySourceMeta"] = source.meta
    if transaction.subscription_id is not None:
        body["subscriptionId"] = transaction.subscription_id
    body["paymentProviderType"] = transaction.provider
    body["createdAt"] = iso_ms(transaction.created_at)
    body["updatedAt"] = iso_ms(transaction.updated_at)
    body["amountRefunded"] = to_major(transaction.amount_refunded, currency)
    body["paymentMethod"] = payment_method(transaction)
    body["fulfilledAt"] = iso_ms(transaction.created_at)
    if transaction.created_by is not None:
        body["createdBy"] = transaction.created_by
    return body


def transaction_detail(transaction: Transaction) -> dict[str, Any]:
    """`GET /payments/transactions/{transactionId}`."""
    currency = transaction.currency
    contact = transaction.contact
    body: dict[str, Any] = {"_id": transaction.id, "altType": ALT_TYPE, "altId": transaction.location_id}
    if contact is not None:
        body["contactId"] = contact.id
        body["contactSnapshot"] = contact_snapshot(contact, transaction.location_id)
    body.update(
        {
            "currency": currency,
            "amount": to_major(transaction.amount, currency),
            "status": transaction.status.value,
            "liveMode": transaction.live_mode,
            "createdAt": iso_ms(transaction.created_at),
            "updatedAt": iso_ms(transaction.updated_at),
            "entityType": ENTITY_TYPE,
            "entityId": transaction.order_id,
            "entitySource": source_json(transaction.source),
        }
    )
    if transaction.subscription_id is not None:
        body["subscriptionId"] = transaction.subscription_id
    body["paymentProvider"] = {"type": transaction.provider}
    body["paymentMethod"] = payment_method(transaction)
    body["meta"] = transaction.meta
    if transaction.notes is not None:
        body["notes"] = transaction.notes
    body["markAsTest"] = not transaction.live_mode
    body["isParent"] = False
    body["amountRefunded"] = to_major(transaction.amount_refunded, currency)
    body["qboSynced"] = False
    if transaction.created_by is not None:
        body["createdBy"] = transaction.created_by
    return body


def fulfillment_json(fulfillment: Fulfillment, currency: str) -> dict[str, Any]:
    """`FulfillmentSchema`."""
    location_id = fulfillment.location_id
    trackings: list[dict[str, Any]] = []
    for tracking in fulfillment.trackings:
        entry: dict[str, Any] = {}
        for key, value in (
            ("trackingNumber", tracking.number),
            ("shippingCarrier", tracking.carrier),
            ("trackingUrl", tracking.url),
        ):
            if value is not None:
                entry[key] = value
        trackings.append(entry)
    return {
        "altId": location_id,
        "altType": ALT_TYPE,
        "trackings": trackings,
        "_id": fulfillment.id,
        "items": [
            {
                "_id": line.item_id,
                "name": line.name,
                "product": {
                    **product_json(line.product, location_id),
                    # required by DefaultProductResponseDto; ordergate keeps no product dates of its own
                    "createdAt": iso_ms(fulfillment.created_at),
                    "updatedAt": iso_ms(fulfillment.updated_at),
                },
                "price": price_json(line.price, line.product.id, currency, location_id),
                "qty": line.quantity,
            }
            for line in fulfillment.items
        ],
        "createdAt": iso_ms(fulfillment.created_at),
        "updatedAt": iso_ms(fulfillment.updated_at),
    }


def note_json(event: OrderEvent, currency: str) -> dict[str, Any]:
    """One entry of the order's timeline; an `amount` in its `meta` is in major units, like every
    HighLevel amount (the event keeps minor units)."""
    body: dict[str, Any] = {
        "_id": event.id,
        "altId": event.location_id,
        "altType": ALT_TYPE,
        "orderId": event.order_id,
        "type": event.type.value,
        "text": event.text,
        "createdAt": iso_ms(event.created_at),
        "updatedAt": iso_ms(event.created_at),
    }
    if event.data:
        meta = dict(event.data)
        if isinstance(meta.get("amount"), int):
            meta["amount"] = to_major(meta["amount"], currency)
        body["meta"] = meta
    if event.created_by is not None:
        body["createdBy"] = event.created_by
    return body
