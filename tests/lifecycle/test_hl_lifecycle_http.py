"""The order lifecycle over HTTP, on a real server per database: record-payment, fulfillments, notes and
transactions as HighLevel answers them (research 1.2-1.7, 3), the admin cancel/refund/notes routes that make
every status reachable, locations that never see each other, and the history seeded orders arrive with."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from tests.conftest import Server
from tests.highlevel.hl_support import (
    FOREIGN_LOCATION,
    MISSING_SCOPE,
    OBJECT_ID_RE,
    TIMESTAMP_RE,
    Tenant,
    ms,
    unprocessable,
)
from tests.highlevel.hl_support import (
    assert_not_found as assert_order_not_found,
)
from tests.highlevel.test_hl_spec import SPEC_PATH, SPEC_URI, patched_spec
from tests.lifecycle.lc_support import (
    ALL_SCOPES,
    Shop,
    assert_not_found,
    bad_request,
    item,
    minor,
)

MISSING_ORDER = "653f5e0cde5a1314e62a837c"
DAY_MS = 86_400_000
HOUR_MS = 3_600_000
DROP = object()  # in a body override: leave the field out


@pytest.fixture(scope="module")
def http(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        yield client


@pytest.fixture
def shop(server: Server, http: httpx.Client) -> Shop:
    return Shop.create(server, http)


@pytest.fixture(scope="module")
def stranger(server: Server, http: httpx.Client) -> Shop:
    """Another location, with an order that is paid, shipped and noted: never visible to `shop`."""
    other = Shop.create(server, http)
    order_id = other.new_order(item("pa", 2_000, quantity=2))
    assert other.pay(order_id, 10, partial=True, notes="stranger money").status_code == 200
    assert other.fulfil(order_id, ("pa", 1)).status_code == 200
    assert other.note(order_id, "stranger note").status_code == 201
    return other


def scoped_token(shop: Shop, *scopes: str) -> str:
    return shop.server.new_token(shop.location, list(scopes))


def without(*removed: str) -> list[str]:
    return [scope for scope in ALL_SCOPES if scope not in removed]


# --- schemas (section 4): the spec patched only where research 1.7 says it is wrong ---------------------


def lifecycle_spec() -> dict[str, Any]:
    """The spec of test_hl_spec (order items, taxCalculationProvider), plus transaction `status`, declared
    `type: object` with the example "succeeded" (research 1.7.1)."""
    spec = patched_spec()
    for name in ("TxnResponseSchema", "GetTxnResponseSchema"):
        status = spec["components"]["schemas"][name]["properties"]["status"]
        assert status["type"] == "object", "the spec fixed transaction status: drop this patch"
        status["type"] = "string"
    return spec


SPEC = lifecycle_spec()
SCHEMAS: dict[str, Any] = SPEC["components"]["schemas"]
REGISTRY: Registry[Any] = Registry().with_resource(SPEC_URI, Resource.from_contents(SPEC, DRAFT4))


def assert_valid(schema_name: str, instance: Any) -> None:
    validator = Draft4Validator({"$ref": f"{SPEC_URI}#/components/schemas/{schema_name}"}, registry=REGISTRY)
    problems = [
        f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
        for e in validator.iter_errors(instance)
    ]
    assert not problems, f"does not match {schema_name}:\n  " + "\n  ".join(problems)
    required = SCHEMAS[schema_name].get("required", [])
    assert isinstance(instance, dict)
    assert not [name for name in required if name not in instance], (schema_name, instance.keys())


def test_the_status_patch_is_needed() -> None:
    """A transaction with every required field and the string status HighLevel sends ("succeeded"):
    the spec as published rejects it, the patched copy accepts it."""
    transaction = {
        "_id": "61dd0feac077f72010f78804",
        "altId": "3SwdhCu3svxI8AKsPJt6",
        "altType": "location",
        "status": "succeeded",
        "entitySourceType": "funnel",
        "createdAt": "2023-11-20T10:23:36.515Z",
        "updatedAt": "2023-11-20T10:23:36.515Z",
        "fulfilledAt": "2023-11-20T10:23:36.515Z",
    }
    original = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    registry: Registry[Any] = Registry().with_resource(SPEC_URI, Resource.from_contents(original, DRAFT4))
    for name in ("TxnResponseSchema", "GetTxnResponseSchema"):
        published = Draft4Validator({"$ref": f"{SPEC_URI}#/components/schemas/{name}"}, registry=registry)
        assert [e.message for e in published.iter_errors(transaction)] == [
            "'succeeded' is not of type 'object'"
        ]
        assert_valid(name, transaction)
        with pytest.raises(AssertionError):
            assert_valid(name, {**transaction, "status": {"value": "succeeded"}})


# --- record-payment ------------------------------------------------------------------------------------


def test_record_payment_walks_unpaid_partially_paid_paid(shop: Shop) -> None:
    order_id = shop.new_order()
    assert shop.order(order_id)["paymentStatus"] == "unpaid"
    first = shop.pay(order_id, 30, partial=True, mode="cheque", cheque={"number": "129-129-129-912"})
    assert (first.status_code, first.json()) == (200, {"success": True})
    assert_valid("PostRecordOrderPaymentResponse", first.json())
    order = shop.order(order_id)
    assert (order["paymentStatus"], order["status"]) == ("partially_paid", "pending")
    second = shop.pay(order_id, mode="card", card={"type": "visa", "last4": "4242"})  # no amount: the balance
    assert (second.status_code, second.json()) == (200, {"success": True})
    order = shop.order(order_id)
    assert (order["paymentStatus"], order["status"]) == ("paid", "completed")
    listed = shop.order_transactions(order_id)
    assert [(t["amount"], t["paymentMethod"]) for t in listed] == [
        (70, {"card": {"brand": "visa", "last4": "4242"}}),
        (30, {"cheque": {"number": "129-129-129-912"}}),
    ]


@pytest.mark.parametrize("status", ["processing", "failed"])
def test_a_full_payment_completes_a_processing_or_failed_order(shop: Shop, status: str) -> None:
    order_id = shop.new_order(status=status)
    assert shop.pay(order_id, 100).status_code == 200
    order = shop.order(order_id)
    assert (order["status"], order["paymentStatus"]) == ("completed", "paid")


PAYMENT_PROBLEMS: list[tuple[dict[str, Any], list[str]]] = [
    (
        {"altId": DROP, "altType": DROP, "mode": DROP},
        [
            "altId should not be empty",
            "altId must be a string",
            "altType must be one of the following values: location",
            "mode must be one of the following values: cash, card, cheque, bank_transfer, other",
        ],
    ),
    (
        {"mode": "wire"},
        ["mode must be one of the following values: cash, card, cheque, bank_transfer, other"],
    ),
    ({"mode": None}, ["mode must be one of the following values: cash, card, cheque, bank_transfer, other"]),
    ({"altType": "account"}, ["altType must be one of the following values: location"]),
    ({"altId": ""}, ["altId should not be empty"]),
    ({"altId": 12}, ["altId must be a string"]),
    (
        {"mode": "card", "card": {"type": "visa"}},
        ["card.last4 should not be empty", "card.last4 must be a string"],
    ),
    ({"mode": "card", "card": {"type": "visa", "last4": 4242}}, ["card.last4 must be a string"]),
    (
        {"mode": "card", "card": {"type": "amex", "last4": "4242"}},
        ["card.type must be one of the following values: visa, mastercard, other"],
    ),
    ({"mode": "card", "card": {"type": "visa", "last4": "42x2"}}, ["card.last4 must be 4 digits"]),
    ({"mode": "card", "card": "visa"}, ["card must be an object", "card should not be empty"]),
    ({"mode": "card"}, ["card should not be empty"]),
    ({"cheque": {}}, ["cheque.number should not be empty", "cheque.number must be a string"]),
    ({"amount": "12"}, ["amount must be a number conforming to the specified constraints"]),
    ({"amount": True}, ["amount must be a number conforming to the specified constraints"]),
    ({"amount": 0}, ["amount must be a positive number"]),
    ({"amount": -5.5}, ["amount must be a positive number"]),
    ({"isPartialPayment": "yes"}, ["isPartialPayment must be a boolean value"]),
    ({"isPartialPayment": 1}, ["isPartialPayment must be a boolean value"]),
    ({"notes": 5, "meta": []}, ["notes must be a string", "meta must be an object"]),
    (
        {"altType": "x", "mode": "card", "amount": "1", "isPartialPayment": "no"},
        [
            "altType must be one of the following values: location",
            "card should not be empty",
            "amount must be a number conforming to the specified constraints",
            "isPartialPayment must be a boolean value",
        ],
    ),
]


@pytest.mark.parametrize(("overrides", "problems"), PAYMENT_PROBLEMS)
def test_record_payment_lists_every_problem(
    shop: Shop, overrides: dict[str, Any], problems: list[str]
) -> None:
    order_id = shop.new_order()
    body = shop.payment()
    for key, value in overrides.items():
        if value is DROP:
            body.pop(key, None)
        else:
            body[key] = value
    response = shop.post_payment(order_id, body)
    assert response.status_code == 422, response.text
    assert response.json() == unprocessable(*problems)
    assert_valid("UnprocessableDTO", response.json())
    assert shop.order(order_id)["paymentStatus"] == "unpaid"


def test_record_payment_checks_the_order_id_and_the_amounts_precision(shop: Shop) -> None:
    response = shop.post_payment("not-an-id", shop.payment())
    assert (response.status_code, response.json()) == (422, unprocessable("orderId must be a mongodb id"))
    order_id = shop.new_order()
    response = shop.pay(order_id, 10.001, partial=True)
    assert response.status_code == 422
    assert response.json() == unprocessable("amount 10.001 has more than 2 decimal places for USD")
    jpy = shop.new_order(item("pj", 5_000), currency="JPY")
    response = shop.pay(jpy, 10.5, partial=True)
    assert response.json() == unprocessable("amount 10.5 has more than 0 decimal places for JPY")
    assert shop.pay(jpy, 5_000).status_code == 200
    assert shop.order(jpy)["paymentStatus"] == "paid"


def test_record_payment_refuses_what_the_rules_refuse(shop: Shop) -> None:
    order_id = shop.new_order()
    cases = [
        (shop.pay(order_id, 150), "Amount $150.00 exceeds the balance due of $100.00"),
        (shop.pay(order_id, 150, partial=True), "Amount $150.00 exceeds the balance due of $100.00"),
        (
            shop.pay(order_id, 30),
            "Amount $30.00 is less than the balance due of $100.00: "
            "set isPartialPayment to record a partial payment",
        ),
    ]
    assert shop.pay(order_id, 40, partial=True).status_code == 200
    cases.append((shop.pay(order_id, 60.01, partial=True), "Amount $60.01 exceeds the balance due of $60.00"))
    assert shop.pay(order_id, 60).status_code == 200
    cases.append((shop.pay(order_id), "Order is already paid"))
    cases.append((shop.pay(order_id, 1, partial=True), "Order is already paid"))
    cancelled = shop.new_order()
    assert shop.cancel(cancelled).status_code == 200
    cases.append((shop.pay(cancelled), "Cannot record a payment for a cancelled order"))
    for response, message in cases:
        assert response.status_code == 400, response.text
        assert response.json() == bad_request(message)
        assert_valid("BadRequestDTO", response.json())
    assert sum(minor(t["amount"]) for t in shop.order_transactions(order_id)) == 10_000
    assert shop.order_transactions(cancelled) == []


def test_record_payment_for_an_unknown_order_is_404(shop: Shop, stranger: Shop) -> None:
    assert_order_not_found(shop.pay(MISSING_ORDER))
    assert_order_not_found(shop.pay(MISSING_ORDER.upper()))
    foreign = stranger_order(stranger)
    assert_order_not_found(shop.pay(foreign))
    assert stranger.canonical(foreign)["amount_paid"] == 1_000


def test_record_payment_needs_the_collect_payment_scope_and_its_own_location(
    shop: Shop, stranger: Shop
) -> None:
    order_id = shop.new_order()
    for scopes in (without("payments/orders.collectPayment"), ["payments/orders.write"]):
        response = shop.pay(order_id, token=scoped_token(shop, *scopes))
        assert (response.status_code, response.json()) == (401, MISSING_SCOPE)
    response = shop.post_payment(order_id, shop.payment(altId=stranger.location))
    assert (response.status_code, response.json()) == (401, FOREIGN_LOCATION)
    # the guard runs before validation: a foreign altId with a bad field is still the 401
    response = shop.post_payment(order_id, shop.payment(altId=stranger.location, mode="barter"))
    assert (response.status_code, response.json()) == (401, FOREIGN_LOCATION)
    # a token for the other location, naming this one
    response = shop.pay(order_id, token=stranger.tenant.token)
    assert (response.status_code, response.json()) == (401, FOREIGN_LOCATION)
    assert shop.order(order_id)["paymentStatus"] == "unpaid"
    only = scoped_token(shop, "payments/orders.collectPayment")
    assert shop.pay(order_id, token=only).json() == {"success": True}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b'{"altId": ', "Unexpected token in JSON body"),
        (b"not json", "Unexpected token in JSON body"),
        (b'[{"altId": "x"}]', "Request body must be a JSON object"),
        (b'"cash"', "Request body must be a JSON object"),
        (b"42", "Request body must be a JSON object"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_400(shop: Shop, raw: bytes, message: str) -> None:
    order_id = shop.new_order(item("pa", 1_000))
    for response in (shop.post_payment(order_id, raw), shop.post_fulfillment(order_id, raw)):
        assert response.status_code == 400, response.text
        assert response.json() == {"statusCode": 400, "message": message, "error": "Bad Request"}


def test_an_idempotency_key_records_once(shop: Shop) -> None:
    order_id = shop.new_order()
    for _ in range(3):
        response = shop.pay(order_id, 25, partial=True, key="order-1-attempt")
        assert (response.status_code, response.json()) == (200, {"success": True})
    assert [t["amount"] for t in shop.order_transactions(order_id)] == [25]
    response = shop.pay(order_id, 26, partial=True, key="order-1-attempt")
    assert response.status_code == 400
    assert response.json() == bad_request("Idempotency-Key was already used with a different request")
    response = shop.pay(order_id, 25, partial=True, key="x" * 256)
    assert response.json() == unprocessable("Idempotency-Key must be 1 to 255 characters")
    assert shop.pay(order_id, 25, partial=True, key="another").status_code == 200
    assert [t["amount"] for t in shop.order_transactions(order_id)] == [25, 25]


def test_without_a_key_an_identical_retry_records_once(shop: Shop) -> None:
    order_id = shop.new_order()
    body = shop.payment(amount=10, isPartialPayment=True, notes="till 3")
    for _ in range(3):
        assert shop.post_payment(order_id, body).status_code == 200
    # the same fields in another order are the same request
    assert shop.post_payment(order_id, dict(reversed(body.items()))).status_code == 200
    assert shop.order_transactions(order_id)[0]["amount"] == 10
    assert len(shop.order_transactions(order_id)) == 1
    assert shop.post_payment(order_id, {**body, "notes": "till 4"}).status_code == 200
    assert [t["amount"] for t in shop.order_transactions(order_id)] == [10, 10]
    assert shop.order(order_id)["paymentStatus"] == "partially_paid"


# --- fulfillments --------------------------------------------------------------------------------------


FULFILLMENT_KEYS = {"altId", "altType", "trackings", "_id", "items", "createdAt", "updatedAt"}


def _assert_fulfillment(shop: Shop, fulfillment: dict[str, Any], order: dict[str, Any]) -> None:
    assert set(fulfillment) == FULFILLMENT_KEYS
    assert_valid("FulfillmentSchema", fulfillment)
    assert (fulfillment["altId"], fulfillment["altType"]) == (shop.location, "location")
    assert OBJECT_ID_RE.match(fulfillment["_id"])
    assert TIMESTAMP_RE.match(fulfillment["createdAt"])
    assert fulfillment["createdAt"] == fulfillment["updatedAt"]
    items = {i["_id"]: i for i in order["items"]}
    for line in fulfillment["items"]:
        assert set(line) == {"_id", "name", "product", "price", "qty"}
        ordered = items[line["_id"]]
        assert line["name"] == ordered["name"]
        # the order's product, with the dates DefaultProductResponseDto requires (the fulfillment's)
        assert line["product"] == {
            **ordered["product"],
            "createdAt": fulfillment["createdAt"],
            "updatedAt": fulfillment["updatedAt"],
        }
        assert line["price"] == ordered["price"]
        assert isinstance(line["qty"], int)
        assert 1 <= line["qty"] <= ordered["qty"]


def test_fulfillments_walk_unfulfilled_partially_fulfilled_fulfilled(shop: Shop) -> None:
    order_id = shop.new_order(item("pa", 1_000, quantity=3), item("pb", 2_000, quantity=2))
    order = shop.order(order_id)
    assert order["fulfillmentStatus"] == "unfulfilled"
    first = shop.fulfil(order_id, ("pa", 2))
    assert first.status_code == 200, first.text
    body = first.json()
    assert set(body) == {"status", "data"}
    assert body["status"] is True
    assert_valid("CreateFulfillmentResponseDto", body)
    _assert_fulfillment(shop, body["data"], order)
    assert [(i["_id"], i["qty"]) for i in body["data"]["items"]] == [(order["items"][0]["_id"], 2)]
    assert body["data"]["trackings"] == shop.shipment()["trackings"]
    assert shop.order(order_id)["fulfillmentStatus"] == "partially_fulfilled"

    second = shop.fulfil(order_id, ("pb", 2), ("pa", 1), trackings=[{"trackingNumber": "1Z999"}])
    assert second.status_code == 200, second.text
    assert second.json()["data"]["trackings"] == [{"trackingNumber": "1Z999"}]
    assert [i["qty"] for i in second.json()["data"]["items"]] == [1, 2]  # in the order's item order
    assert shop.order(order_id)["fulfillmentStatus"] == "fulfilled"

    listed = shop.fulfillments(order_id)
    assert listed.status_code == 200
    assert_valid("ListFulfillmentResponseDto", listed.json())
    assert listed.json() == {"status": True, "data": [body["data"], second.json()["data"]]}
    for fulfillment in listed.json()["data"]:
        _assert_fulfillment(shop, fulfillment, order)


def test_lines_of_one_price_spread_over_items(shop: Shop) -> None:
    order_id = shop.new_order(item("same", 500, quantity=2), item("same", 500, quantity=2))
    response = shop.fulfil(order_id, ("same", 3))
    assert response.status_code == 200
    assert [i["qty"] for i in response.json()["data"]["items"]] == [2, 1]
    response = shop.fulfil(order_id, ("same", 2))
    assert response.json() == bad_request("Cannot fulfil 2 of price same: 1 left to fulfil")


def test_fulfillments_refuse_what_the_rules_refuse(shop: Shop) -> None:
    order_id = shop.new_order(item("pa", 1_000, quantity=2), item("pb", 500))
    cases = [
        (shop.fulfil(order_id, ("pa", 3)), "Cannot fulfil 3 of price pa: 2 left to fulfil"),
        (shop.fulfil(order_id, ("zz", 1)), "Price zz is not part of this order"),
        (
            shop.fulfil(order_id, ("pa", 2), ("pb", 2), ("zz", 1)),
            "Cannot fulfil 2 of price pb: 1 left to fulfil; Price zz is not part of this order",
        ),
    ]
    assert shop.fulfil(order_id, ("pa", 1)).status_code == 200
    cases.append((shop.fulfil(order_id, ("pa", 2)), "Cannot fulfil 2 of price pa: 1 left to fulfil"))
    assert shop.cancel(order_id).status_code == 200
    cases.append((shop.fulfil(order_id, ("pa", 1)), "Cannot fulfil a cancelled order"))
    for response, message in cases:
        assert response.status_code == 400, response.text
        assert response.json() == bad_request(message)
    assert len(shop.fulfillments(order_id).json()["data"]) == 1


@pytest.mark.parametrize(
    ("overrides", "problems"),
    [
        (
            {"altId": DROP, "altType": DROP, "trackings": DROP, "items": DROP, "notifyCustomer": DROP},
            [
                "altId should not be empty",
                "altId must be a string",
                "altType must be one of the following values: location",
                "trackings must be an array",
                "items must be an array",
                "notifyCustomer must be a boolean value",
            ],
        ),
        ({"items": []}, ["items should not be empty"]),
        ({"items": [{"priceId": "pa", "qty": 0}]}, ["items.0.qty must be a positive integer"]),
        ({"items": [{"priceId": "pa", "qty": 1.5}]}, ["items.0.qty must be a positive integer"]),
        (
            {"items": [{"priceId": "pa", "qty": 1}, {"qty": "2"}]},
            [
                "items.1.priceId should not be empty",
                "items.1.priceId must be a string",
                "items.1.qty must be a number conforming to the specified constraints",
            ],
        ),
        (
            {"items": [{"priceId": "pa"}]},
            ["items.0.qty must be a number conforming to the specified constraints"],
        ),
        ({"items": ["pa"]}, ["nested property items must be either object or array"]),
        ({"trackings": [{"trackingNumber": 5}]}, ["trackings.0.trackingNumber must be a string"]),
        ({"notifyCustomer": "yes"}, ["notifyCustomer must be a boolean value"]),
    ],
)
def test_create_fulfillment_lists_every_problem(
    shop: Shop, overrides: dict[str, Any], problems: list[str]
) -> None:
    order_id = shop.new_order(item("pa", 1_000, quantity=2))
    body = shop.shipment(("pa", 1))
    for key, value in overrides.items():
        if value is DROP:
            body.pop(key)
        else:
            body[key] = value
    response = shop.post_fulfillment(order_id, body)
    assert response.status_code == 422, response.text
    assert response.json() == unprocessable(*problems)
    assert shop.order(order_id)["fulfillmentStatus"] == "unfulfilled"


@pytest.mark.parametrize("route", ["fulfillments", "notes"])
def test_reading_fulfillments_and_notes_needs_alt_id_and_alt_type_location(shop: Shop, route: str) -> None:
    order_id = shop.new_order()
    read = shop.fulfillments if route == "fulfillments" else shop.notes
    cases = [
        ({"altId": shop.location}, ["altType should not be empty", "altType must be a string"]),
        (
            {"altId": shop.location, "altType": "account"},
            ["altType must be one of the following values: location"],
        ),
        ({"altType": "location"}, ["altId should not be empty", "altId must be a string"]),
        (
            {},
            [
                "altId should not be empty",
                "altId must be a string",
                "altType should not be empty",
                "altType must be a string",
            ],
        ),
    ]
    for params, problems in cases:
        response = read(order_id, params)
        assert (response.status_code, response.json()) == (422, unprocessable(*problems)), params
    response = read("123", {"altId": shop.location, "altType": "location"})
    assert response.json() == unprocessable("orderId must be a mongodb id")
    assert_order_not_found(read(MISSING_ORDER))
    assert read(order_id).status_code == 200


def test_fulfillment_scopes(shop: Shop) -> None:
    order_id = shop.new_order(item("pa", 1_000, quantity=5))
    for token in (
        scoped_token(shop, "payments/orders.readonly"),
        scoped_token(shop, *without("payments/orders.write")),
    ):
        response = shop.fulfil(order_id, ("pa", 1), token=token)
        assert (response.status_code, response.json()) == (401, MISSING_SCOPE)
    write_only = scoped_token(shop, "payments/orders.write")
    assert shop.fulfil(order_id, ("pa", 1), token=write_only).status_code == 200
    response = shop.fulfillments(order_id, token=write_only)
    assert (response.status_code, response.json()) == (401, MISSING_SCOPE)
    collect_only = scoped_token(shop, "payments/orders.collectPayment")
    assert shop.fulfillments(order_id, token=collect_only).json() == MISSING_SCOPE
    read_only = scoped_token(shop, "payments/orders.readonly")
    assert len(shop.fulfillments(order_id, token=read_only).json()["data"]) == 1


# --- the timeline (notes) and the admin routes ---------------------------------------------------------


def test_the_timeline_records_every_step_in_order(shop: Shop) -> None:
    order_id = shop.new_order(item("pa", 5_000, quantity=2))
    assert shop.pay(order_id, mode="bank_transfer").status_code == 200
    assert shop.fulfil(order_id, ("pa", 1)).status_code == 200
    assert shop.refund(order_id, 2_500).status_code == 200
    assert shop.cancel(order_id).status_code == 200
    noted = shop.note(order_id, "  Customer asked to cancel  ")
    assert noted.status_code == 201, noted.text

    # the spec declares no scope for notes: any token of the location reads them
    token = scoped_token(shop, "payments/transactions.readonly")
    response = shop.notes(order_id, token=token)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] is True
    notes = body["data"]
    assert [n["type"] for n in notes] == [
        "order_created",
        "payment_recorded",
        "status_changed",
        "fulfillment_created",
        "refund",
        "order_cancelled",
        "status_changed",
        "note",
    ]
    assert [n["text"] for n in notes] == [
        "Order created for $100.00",
        "Payment of $100.00 recorded (bank_transfer)",
        "Order status changed from pending to completed",
        "Fulfilled 1 item; order is partially_fulfilled (tracking 40012345678)",
        "Partial refund of $25.00",
        "Order cancelled",
        "Order status changed from completed to cancelled",
        "Customer asked to cancel",
    ]
    for note in notes:
        assert (note["altId"], note["altType"], note["orderId"]) == (shop.location, "location", order_id)
        assert OBJECT_ID_RE.match(note["_id"])
        assert TIMESTAMP_RE.match(note["createdAt"])
    assert [n["createdAt"] for n in notes] == sorted(n["createdAt"] for n in notes)
    assert notes[-1]["_id"] == noted.json()["id"]
    transaction_id = shop.order_transactions(order_id)[0]["_id"]
    assert notes[1]["meta"] == {"transactionId": transaction_id, "amount": 100}
    assert notes[2]["meta"] == {"previous": "pending", "status": "completed"}
    fulfillment_id = shop.fulfillments(order_id).json()["data"][0]["_id"]
    assert notes[3]["meta"] == {"fulfillmentId": fulfillment_id}


def test_admin_cancel_and_refund_reach_every_status(shop: Shop) -> None:
    order_id = shop.new_order()
    assert shop.pay(order_id, 100).status_code == 200
    response = shop.refund(order_id, 2_500)
    assert response.status_code == 200, response.text
    assert (response.json()["amount_paid"], response.json()["amount_refunded"]) == (10_000, 2_500)
    order = shop.order(order_id)
    assert (order["paymentStatus"], order["amountRefunded"], order["status"]) == ("paid", 25, "completed")
    (transaction,) = shop.order_transactions(order_id)
    assert (transaction["amountRefunded"], transaction["status"]) == (25, "succeeded")

    assert shop.refund(order_id).status_code == 200  # the rest
    order = shop.order(order_id)
    assert (order["paymentStatus"], order["amountRefunded"]) == ("refunded", 100)
    (transaction,) = shop.order_transactions(order_id)
    assert (transaction["amountRefunded"], transaction["status"]) == (100, "refunded")
    assert shop.pay(order_id).json() == bad_request("Cannot record a payment for a refunded order")

    response = shop.cancel(order_id)
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    order = shop.order(order_id)
    assert (order["status"], order["paymentStatus"]) == ("cancelled", "refunded")
    assert shop.pay(order_id).json() == bad_request("Cannot record a payment for a cancelled order")
    assert shop.fulfil(order_id, ("pr0", 1)).json() == bad_request("Cannot fulfil a cancelled order")

    # the admin API's own refusals
    assert shop.cancel(order_id).status_code == 409
    assert shop.refund(order_id).status_code == 409
    partly = shop.new_order()
    assert shop.pay(partly, 40, partial=True).status_code == 200
    over = shop.refund(partly, 4_001)
    assert over.status_code == 409
    assert over.json()["error"]["message"] == "Refund of $40.01 exceeds the refundable $40.00"
    assert shop.refund(partly, 0).status_code == 422
    assert shop.refund(partly, 1_000).status_code == 200
    order = shop.order(partly)
    assert (order["paymentStatus"], order["amountRefunded"]) == ("partially_paid", 10)
    assert shop.note(partly, "   ").status_code == 422
    shipped = shop.new_order(item("pa", 100))
    assert shop.fulfil(shipped, ("pa", 1)).status_code == 200
    refused = shop.cancel(shipped)
    assert refused.status_code == 409
    assert refused.json()["error"]["message"] == "Cannot cancel an order that has been fulfilled"


# --- other locations, on every new route -----------------------------------------------------------------


def stranger_order(stranger: Shop) -> str:
    listed = stranger.transactions({"search": "stranger money"}).json()["data"]
    return str(listed[0]["entityId"])


def test_no_route_crosses_locations(shop: Shop, stranger: Shop) -> None:
    foreign = stranger_order(stranger)
    before = stranger.canonical(foreign)
    foreign_txn = stranger.order_transactions(foreign)[0]["_id"]
    mine = shop.new_order()

    # a foreign order id under this location's altId: not found
    assert_order_not_found(shop.pay(foreign, 5, partial=True))
    assert_order_not_found(shop.fulfil(foreign, ("pa", 1)))
    assert_order_not_found(shop.fulfillments(foreign))
    assert_order_not_found(shop.notes(foreign))
    assert_not_found(shop.transaction(foreign_txn), "Transaction not found")
    assert shop.transactions({"entityId": foreign}).json() == {"data": [], "totalCount": 0}
    assert shop.transactions({"search": "stranger"}).json() == {"data": [], "totalCount": 0}

    # another location named in altId (query or body): 401
    other = {"altId": stranger.location, "altType": "location"}
    responses = [
        shop.post_payment(mine, shop.payment(altId=stranger.location)),
        shop.post_fulfillment(mine, shop.shipment(("pr0", 1), altId=stranger.location)),
        shop.fulfillments(foreign, other),
        shop.notes(foreign, other),
        shop.transactions(list(other.items()), alt=False),
        shop.transactions({"locationId": stranger.location}),
        shop.transaction(foreign_txn, other),
    ]
    for response in responses:
        assert (response.status_code, response.json()) == (401, FOREIGN_LOCATION), response.request.url

    # the admin routes of one location do not reach another's orders
    for response in (
        shop.cancel(foreign),
        shop.refund(foreign, 100),
        shop.note(foreign, "hello"),
    ):
        assert response.status_code == 404, response.text
    assert stranger.canonical(foreign) == before
    assert [n["type"] for n in stranger.notes(foreign).json()["data"]][-1] == "note"


# --- transactions: every filter, alone and combined, against a model -------------------------------------


@dataclass(frozen=True)
class Txn:
    order: str
    amount: int  # minor units
    rank: int  # newest-first order: higher is newer
    live: bool
    source_type: str
    sub_type: str | None
    contact: str | None
    text: str  # what `search` matches: notes, contact name and email, lowercased
    created: int | None  # epoch ms; None for payments made during the test (after `recent`)

    def matches(self, query: dict[str, str], recent: int) -> bool:
        created = self.created if self.created is not None else recent
        checks: dict[str, Callable[[str], bool]] = {
            "paymentMode": lambda v: self.live == (v == "live"),
            "startAt": lambda v: created >= bound(v, end=False),
            "endAt": lambda v: created <= bound(v, end=True),
            "entitySourceType": lambda v: self.source_type == v,
            "entitySourceSubType": lambda v: self.sub_type == v,
            "search": lambda v: v.strip().lower() in self.text,
            "subscriptionId": lambda v: False,  # manual payments belong to no subscription
            "entityId": lambda v: self.order == v,
            "contactId": lambda v: self.contact == v,
        }
        return all(check(query[k]) for k, check in checks.items() if k in query)


def bound(value: str, *, end: bool) -> int:
    if len(value) == 10:
        start = ms(f"{value}T00:00:00.000Z")
        return start + DAY_MS - 1 if end else start
    return ms(value)


@dataclass
class Ledger:
    shop: Shop
    txns: list[Txn]
    orders: list[str]
    contacts: tuple[str, str]
    recent: int  # before any payment made during the test; after every opening transaction


CONTACTS = (
    ("Contact0000000000001", "Ann", "Lee", "ann@example.com"),
    ("Contact0000000000002", "Bob", "Stone", "bob@shop.example"),
)
SOURCES = (
    ("funnel", "one_step_order_form"),
    ("website", "store"),
    ("invoice", None),
    ("funnel", "two_step_order_form"),
)
BASE = ms("2024-03-01T10:00:00.000Z")


@pytest.fixture(scope="module")
def ledger(server: Server, http: httpx.Client, stranger: Shop) -> Ledger:
    """Eight orders paid when they were created (their opening transactions, in March 2024) and five
    payments recorded now, with notes; the model of the thirteen transactions is built alongside."""
    shop = Shop.create(server, http)
    txns: list[Txn] = []
    orders: list[str] = []
    for n in range(8):
        created = BASE + n * DAY_MS + n * HOUR_MS
        live = n % 3 != 2
        source_type, sub_type = SOURCES[n % 4]
        contact = None if n % 4 == 3 else CONTACTS[n % 2]
        total = 10_000 + 100 * n
        paid = total // 2 + n if n % 2 == 0 else total
        extra: dict[str, Any] = {
            "created_at": created,
            "live_mode": live,
            "amount_paid": paid,
            "source": {
                "type": source_type,
                "id": "kDj7BHej9Zyyq3QakJmz",
                **({"sub_type": sub_type} if sub_type else {}),
            },
        }
        if contact is not None:
            extra["contact"] = {
                "id": contact[0],
                "first_name": contact[1],
                "last_name": contact[2],
                "email": contact[3],
            }
        if n == 5:
            extra["amount_refunded"] = 1_000
        order_id = shop.new_order(item(f"p{n}", total), **extra)
        orders.append(order_id)
        text = "" if contact is None else f"\n{contact[1]} {contact[2]}\n{contact[3]}".lower()
        cid = None if contact is None else contact[0]
        txns.append(Txn(order_id, paid, created, live, source_type, sub_type, cid, text, created))
    recent = ms(datetime.now(UTC).isoformat())
    rank = 10**15
    for n, notes in (
        (0, "Cheque batch 0 from Carol"),
        (2, "Carol again"),
        (4, "cash drawer"),
        (6, "WIRE ref XYZ-77"),
        (0, "second instalment"),
    ):
        amount = 100 + 10 * n + len(txns)
        response = shop.pay(orders[n], amount / 100, partial=True, notes=notes)
        assert response.status_code == 200, response.text
        old = txns[n]
        rank += 1
        txns.append(
            Txn(
                orders[n],
                amount,
                rank,
                old.live,
                old.source_type,
                old.sub_type,
                old.contact,
                f"{notes}{old.text}".lower(),
                None,
            )
        )
    return Ledger(shop, txns, orders, (CONTACTS[0][0], CONTACTS[1][0]), recent)


def iso(epoch_ms: int) -> str:
    return (
        datetime.fromtimestamp(epoch_ms / 1000, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    )


def expected(ledger: Ledger, query: dict[str, str]) -> tuple[list[tuple[str, int]], int]:
    matching = sorted(
        (t for t in ledger.txns if t.matches(query, ledger.recent)), key=lambda t: t.rank, reverse=True
    )
    limit = int(float(query.get("limit", "10")))
    offset = int(float(query.get("offset", "0")))
    return [(t.order, t.amount) for t in matching[offset : offset + limit]], len(matching)


def filter_cases(ledger: Ledger) -> list[dict[str, str]]:
    first, second = ledger.orders[0], ledger.orders[2]
    ann, bob = ledger.contacts
    since = iso(ledger.recent)
    alone: list[dict[str, str]] = [
        {},
        {"paymentMode": "live"},
        {"paymentMode": "test"},
        {"startAt": "2024-03-03"},
        {"endAt": "2024-03-04"},
        {"startAt": "2024-03-03", "endAt": "2024-03-05"},
        {"startAt": "2024-03-04T14:00:00.000Z"},
        {"endAt": "2024-03-04T13:00:00.000Z"},
        {"startAt": since},
        {"entitySourceType": "website"},
        {"entitySourceType": "invoice"},
        {"entitySourceType": "calendar"},
        {"entitySourceSubType": "store"},
        {"entitySourceSubType": "two_step_order_form"},
        {"search": "bob"},
        {"search": "CAROL"},
        {"search": "ann@example"},
        {"search": "xyz-77"},
        {"search": "nobody at all"},
        {"subscriptionId": "sub_1KGcXDCScnf89tZoVkoEMCEL"},
        {"entityId": first},
        {"entityId": "653f5e0cde5a1314e62a837c"},
        {"contactId": ann},
        {"contactId": bob},
        {"limit": "3"},
        {"limit": "3", "offset": "2"},
        {"offset": "11"},
        {"offset": "40"},
        {"limit": "20.0", "offset": "0.0"},
    ]
    combined: list[dict[str, str]] = [
        {"paymentMode": "live", "contactId": ann},
        {"entitySourceType": "funnel", "startAt": "2024-03-02", "endAt": "2024-03-08"},
        {"search": "carol", "entityId": second},
        {"contactId": bob, "paymentMode": "test", "limit": "1"},
        {"entitySourceType": "funnel", "entitySourceSubType": "two_step_order_form", "search": "bob"},
        {"startAt": since, "paymentMode": "live", "limit": "2", "offset": "1"},
        {"entityId": first, "startAt": since},
        {"contactId": ann, "search": "carol", "entitySourceType": "funnel", "paymentMode": "live"},
        {"endAt": "2024-03-06", "subscriptionId": "sub_x"},
    ]
    return alone + combined


def test_every_transaction_filter_alone_and_combined(ledger: Ledger) -> None:
    for query in filter_cases(ledger):
        response = ledger.shop.transactions(query)
        assert response.status_code == 200, (query, response.text)
        body = response.json()
        assert set(body) == {"data", "totalCount"}
        assert_valid("ListTxnsResponseDto", body)
        got = [(t["entityId"], minor(t["amount"])) for t in body["data"]]
        assert (got, body["totalCount"]) == expected(ledger, query), query
    # every case above was a real test: most filters select some and not all
    sizes = {expected(ledger, q)[1] for q in filter_cases(ledger)}
    assert 0 in sizes
    assert len(sizes) > 6


def test_transaction_summaries_and_details(ledger: Ledger) -> None:
    shop = ledger.shop
    listed = shop.transactions({"limit": "100"}).json()["data"]
    assert len(listed) == len(ledger.txns)
    for summary in listed:
        assert_valid("TxnResponseSchema", summary)
        assert OBJECT_ID_RE.match(summary["_id"])
        assert (summary["altId"], summary["altType"], summary["entityType"]) == (
            shop.location,
            "location",
            "order",
        )
        assert summary["currency"] == "USD"
        assert summary["paymentProviderType"] == "manual"
        for key in ("createdAt", "updatedAt", "fulfilledAt"):
            assert TIMESTAMP_RE.match(summary[key])
        response = shop.transaction(summary["_id"])
        assert response.status_code == 200, response.text
        detail = response.json()
        assert_valid("GetTxnResponseSchema", detail)
        for key in (
            "_id",
            "altId",
            "altType",
            "contactId",
            "currency",
            "amount",
            "status",
            "liveMode",
            "createdAt",
        ):
            assert detail.get(key) == summary.get(key), key
        for key in (
            "updatedAt",
            "entityType",
            "entityId",
            "amountRefunded",
            "paymentMethod",
            "subscriptionId",
        ):
            assert detail.get(key) == summary.get(key), key
        source = detail["entitySource"]
        assert (source["type"], source.get("subType"), source["id"]) == (
            summary["entitySourceType"],
            summary.get("entitySourceSubType"),
            summary["entitySourceId"],
        )
        assert detail["paymentProvider"] == {"type": "manual"}
        assert detail["markAsTest"] is (not detail["liveMode"])
        if "contactId" in detail:
            assert detail["contactSnapshot"]["id"] == detail["contactId"]
            assert detail["contactSnapshot"]["name"] == summary["contactName"]
        # the id is case-insensitive, as an ObjectId
        assert shop.transaction(summary["_id"].upper()).json() == detail
    with_notes = [t for t in ledger.txns if t.created is None]
    details = [shop.transaction(s["_id"]).json() for s in listed[: len(with_notes)]]
    assert sorted(d["notes"] for d in details) == sorted(
        ["Cheque batch 0 from Carol", "Carol again", "cash drawer", "WIRE ref XYZ-77", "second instalment"]
    )
    assert all(d["paymentMethod"] == {"type": "cash"} and d["meta"] == {} for d in details)
    refunded = shop.order_transactions(ledger.orders[5])
    assert [(t["amount"], t["amountRefunded"], t["status"]) for t in refunded] == [(105, 10, "succeeded")]


def test_transaction_parameters_are_checked(ledger: Ledger, stranger: Shop) -> None:
    shop = ledger.shop
    cases: list[tuple[list[tuple[str, str]], list[str]]] = [
        (
            [],
            [
                "altId should not be empty",
                "altId must be a string",
                "altType should not be empty",
                "altType must be a string",
            ],
        ),
        ([("altId", shop.location)], ["altType should not be empty", "altType must be a string"]),
        (
            [
                ("altId", shop.location),
                ("altType", "location"),
                ("limit", "0"),
                ("paymentMode", "x"),
                ("startAt", "nope"),
            ],
            [
                "paymentMode must be one of the following values: live, test",
                "startAt must be a valid ISO 8601 date string",
                "limit must not be less than 1",
            ],
        ),
        (
            [
                ("altId", shop.location),
                ("altType", "location"),
                ("startAt", "2024-03-05"),
                ("endAt", "2024-03-04"),
            ],
            ["startAt must not be after endAt"],
        ),
    ]
    for params, problems in cases:
        response = shop.transactions(params, alt=False)
        assert (response.status_code, response.json()) == (422, unprocessable(*problems)), params
    # altType is a free string on the transaction routes
    assert shop.transactions([("altId", shop.location), ("altType", "account")], alt=False).status_code == 200

    response = shop.transaction("nope")
    assert (response.status_code, response.json()) == (
        422,
        unprocessable("transactionId must be a mongodb id"),
    )
    response = shop.transaction("653f5e0cde5a1314e62a837c", {"altId": shop.location})
    assert response.json() == unprocessable("altType should not be empty", "altType must be a string")
    assert (
        shop.transaction("653f5e0cde5a1314e62a837c", {"altId": shop.location, "altType": "x"}).status_code
        == 404
    )
    assert_not_found(shop.transaction("653f5e0cde5a1314e62a837c"), "Transaction not found")

    for token in (
        scoped_token(shop, "payments/orders.readonly"),
        scoped_token(shop, *without("payments/transactions.readonly")),
    ):
        for response in (
            shop.transactions(token=token),
            shop.transaction("653f5e0cde5a1314e62a837c", token=token),
        ):
            assert (response.status_code, response.json()) == (401, MISSING_SCOPE)
    only = scoped_token(shop, "payments/transactions.readonly")
    assert shop.transactions(token=only).json()["totalCount"] == len(ledger.txns)


# --- seeded orders arrive with their history ------------------------------------------------------------


def test_seeded_orders_have_transactions_summing_to_what_they_were_paid(
    server: Server, http: httpx.Client
) -> None:
    (location,) = server.seed(1, 40, 20_261_203)
    shop = Shop(Tenant(server, http, location, server.new_token(location, ALL_SCOPES)))
    orders: list[dict[str, Any]] = []
    while True:
        page = http.get(
            "/payments/orders",
            params={"altId": location, "limit": "100", "offset": str(len(orders))},
            headers=shop.headers(),
        ).json()["data"]
        orders += page
        if len(page) < 100:
            break
    assert len(orders) == 40
    statuses = set()
    for summary in orders:
        canonical = shop.canonical(summary["_id"])
        exponent = 0 if canonical["currency"] == "JPY" else 2
        total = minor(summary["amount"], exponent)
        paid, refunded = canonical["amount_paid"], canonical["amount_refunded"]
        transactions = shop.order_transactions(summary["_id"])
        assert sum(minor(t["amount"], exponent) for t in transactions) == paid, summary["_id"]
        assert sum(minor(t["amountRefunded"], exponent) for t in transactions) == refunded
        status = summary["paymentStatus"]
        statuses.add(status)
        if status == "paid":
            assert paid == total
            assert refunded < paid
        elif status == "refunded":
            assert refunded == paid > 0
        elif status == "partially_paid":
            assert 0 < paid < total
            assert refunded < paid
        else:
            assert (status, paid, refunded) == ("unpaid", 0, 0)
        assert all(t["status"] == ("refunded" if status == "refunded" else "succeeded") for t in transactions)
        fulfillments = shop.fulfillments(summary["_id"]).json()["data"]
        shipped = sum(line["qty"] for f in fulfillments for line in f["items"])
        assert shipped == sum(i["fulfilled_quantity"] for i in canonical["items"])
        assert (shipped > 0) == (summary["fulfillmentStatus"] != "unfulfilled")
        notes = shop.notes(summary["_id"]).json()["data"]
        assert notes[0]["type"] == "order_created"
        assert ("payment_recorded" in [n["type"] for n in notes]) == (paid > 0)
    assert statuses == {"paid", "unpaid", "refunded", "partially_paid"}

    # the seeded history behaves like any other: pay the rest of a partly paid order, refund a paid one
    partly = next(o for o in orders if o["paymentStatus"] == "partially_paid" and o["status"] != "cancelled")
    assert shop.pay(partly["_id"]).status_code == 200
    assert shop.order(partly["_id"])["paymentStatus"] == "paid"
    assert shop.refund(partly["_id"]).status_code == 200
    assert shop.order(partly["_id"])["paymentStatus"] == "refunded"
    assert all(t["status"] == "refunded" for t in shop.order_transactions(partly["_id"]))


def test_schemas_of_error_bodies_and_the_unpatched_fulfillment(shop: Shop) -> None:
    """Every new answer keeps HighLevel's error DTOs; the fulfillment needs no patch at all."""
    order_id = shop.new_order(item("pa", 1_000))
    assert_valid("UnprocessableDTO", shop.post_fulfillment(order_id, {}).json())
    assert_valid("BadRequestDTO", shop.fulfil(order_id, ("pa", 9)).json())
    assert_valid(
        "UnauthorizedDTO",
        shop.fulfil(order_id, ("pa", 1), token="pit-00000000-0000-4000-8000-000000000000").json(),
    )
    created = shop.fulfil(order_id, ("pa", 1)).json()
    original = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    registry: Registry[Any] = Registry().with_resource(SPEC_URI, Resource.from_contents(original, DRAFT4))
    unpatched = Draft4Validator(
        {"$ref": f"{SPEC_URI}#/components/schemas/CreateFulfillmentResponseDto"}, registry=registry
    )
    assert [e.message for e in unpatched.iter_errors(copy.deepcopy(created))] == []
