"""Request bodies of the Elastic Path routes: `PUT /v2/orders/:id` and `POST /v2/orders/anonymize`.

The SDK wraps every body as `{"data": ...}`, pretty-printed. A body that is not JSON, or not shaped as
documented, is a 400; a well-formed request for a change Elastic Path does not allow is a 422.
"""

from __future__ import annotations

from typing import Any

import msgspec

from ordergate.elasticpath import errors
from ordergate.elasticpath.render import SHIPPING_FIELDS
from ordergate.elasticpath.service import OrderChange

MAX_EXTERNAL_REF = 64
MAX_TEXT = 1024
MAX_ORDER_IDS = 100


def _data(raw: bytes) -> dict[str, Any]:
    try:
        body = msgspec.json.decode(raw)
    except msgspec.DecodeError:
        raise errors.bad_request("Request could not be processed: the body is not valid JSON") from None
    if not isinstance(body, dict) or not isinstance(body.get("data"), dict):
        raise errors.bad_request("The body must be a JSON object with a data object", source="data")
    data: dict[str, Any] = body["data"]
    return data


def _text(data: dict[str, Any], key: str, limit: int = MAX_TEXT) -> str:
    value = data[key]
    if not isinstance(value, str):
        raise errors.bad_request(f"{key} must be a string", source=f"data.{key}")
    if "\x00" in value or len(value) > limit:
        raise errors.bad_request(
            f"{key} must be at most {limit} characters, without NUL characters", source=f"data.{key}"
        )
    return value


def _address(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise errors.bad_request("shipping_address must be an object", source="data.shipping_address")
    fields: dict[str, str] = {}
    for key in value:
        if key not in SHIPPING_FIELDS:
            raise errors.unprocessable(f"shipping_address.{key} is not an address field", meta={"value": key})
        fields[key] = _text(value, key)
    return fields


def order_change(raw: bytes) -> OrderChange:
    """The change a `PUT /v2/orders/:id` body asks for."""
    data = _data(raw)
    if data.get("type") != "order":
        raise errors.bad_request("data.type must be order", source="data.type")
    change: dict[str, Any] = {}
    for key, value in data.items():
        if key == "type":
            continue
        if key == "status":
            if value != "cancelled":
                raise errors.unprocessable("status can only be changed to cancelled", meta={"value": value})
            change["cancel"] = True
        elif key == "shipping":
            if value != "fulfilled":
                raise errors.unprocessable("shipping can only be changed to fulfilled", meta={"value": value})
            change["ship"] = True
        elif key == "shipping_address":
            change["shipping_address"] = _address(value)
        elif key == "order_number":
            change["order_number"] = _text(data, key)
        elif key == "external_ref":
            change["external_ref"] = _text(data, key, MAX_EXTERNAL_REF)
        else:
            raise errors.unprocessable(
                f"{key} cannot be updated: only status, shipping, shipping_address, "
                "order_number and external_ref can"
            )
    return OrderChange(**change)


def order_ids(raw: bytes) -> list[str]:
    """`{"data": {"order_ids": [...]}}` of an anonymize request."""
    data = _data(raw)
    found = data.get("order_ids")
    if (
        not isinstance(found, list)
        or not found
        or len(found) > MAX_ORDER_IDS
        or not all(isinstance(i, str) for i in found)
    ):
        raise errors.bad_request(
            f"data.order_ids must be a list of 1 to {MAX_ORDER_IDS} order ids", source="data.order_ids"
        )
    return found
