"""An order's life through the official npm SDK (`@gohighlevel/api-client`, pinned in tests/sdk/js).

Covers `recordOrderPayment({orderId}, body)`, `createOrderFulfillment({orderId}, body)`,
`listOrderFulfillment({altId, altType, orderId})`, `listOrderNotes({altId, altType, orderId})`,
`listTransactions({...})` and `getTransactionById({transactionId, altId, altType})`, called by name through
tests/sdk/js/client.js (a call with a `body` is made as `method(params, body)`). The SDK sends
`Version: 2023-02-21` by default and throws typed errors: `GHLValidationError` for 400 and 422,
`GHLAuthenticationError` for 401, `GHLNotFoundError` for 404 (research 2.1).

Needs `node` and `npm ci` in tests/sdk/js (`make install` does it); without them these tests are
skipped, or fail under ORDERGATE_TEST_STRICT=1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.conftest import Server
from tests.sdk.sdk_support import (
    ALL_SCOPES,
    ANA,
    ANA_CONTACT,
    BOB,
    BOB_CONTACT,
    FUNNEL_ID,
    MISSING_ID,
    NO_COLLECT_SCOPES,
    NPM,
    SENT,
    STORE_ID,
    NpmSdkWorld,
    create_orders,
    error_of,
    item,
    label,
    ms,
    new_location,
    ok,
    price_id,
    states,
)

DEFAULT_VERSION = "2023-02-21"
LINK_ID = "62aa1b2cc077f712a5f70012"
PROD_BIKE = "68aa7b82c077f712a5f74001"
PROD_HELMET = "68aa7b82c077f712a5f74002"
PROD_BOOK = "68aa7b82c077f712a5f74003"
PROD_MUG = "68aa7b82c077f712a5f74004"
PROD_CARD = "68aa7b82c077f712a5f74005"
WIRE_NOTES = "Wire received from Rock & Roll, Inc"


@pytest.fixture(scope="module")
def node() -> str:
    return NPM.node()


def _bike_order() -> dict[str, Any]:
    """1 x 400.00 bike + 2 x 45.00 helmets + 10.00 shipping = 500.00 EUR, unpaid, nothing shipped."""
    return {
        "items": [item("City bike", 1, PROD_BIKE, 40000), item("Helmet", 2, PROD_HELMET, 4500)],
        "currency": "EUR",
        "status": "pending",
        "shipping": 1000,
        "contact": ANA_CONTACT,
        "source": {"type": "website", "id": STORE_ID, "sub_type": "store"},
    }


def _ledger_orders() -> dict[str, dict[str, Any]]:
    """Orders whose transactions the filters are checked against; amounts in minor units."""
    return {
        # 19.90 USD, paid on 20 Jan 2024
        "book": {
            "items": [item("Rock & Roll, Vol. 2", 1, PROD_BOOK, 1990)],
            "status": "completed",
            "contact": ANA_CONTACT,
            "source": {"type": "funnel", "id": FUNNEL_ID, "sub_type": "two_step_order_form"},
            "created_at": ms("2024-01-20T09:00:00+00:00"),
            "amount_paid": 1990,
        },
        # 25.00 USD gift card, paid on 10 Mar 2024 in test mode, no contact
        "gift": {
            "items": [item("Gift card", 1, PROD_CARD, 2500)],
            "status": "completed",
            "source": {"type": "payment_link", "id": LINK_ID},
            "created_at": ms("2024-03-10T12:00:00+00:00"),
            "amount_paid": 2500,
            "live_mode": False,
        },
        # 2 x 7.25 = 14.50 USD, unpaid: the fixture pays it through the SDK (10.00 wire, then 4.50 card)
        "mugs": {
            "items": [item("Coffee mug", 2, PROD_MUG, 725)],
            "status": "pending",
            "contact": BOB_CONTACT,
            "source": {"type": "website", "id": STORE_ID, "sub_type": "store"},
            "created_at": ms("2024-02-02T10:00:00+00:00"),
        },
    }


@dataclass
class World(NpmSdkWorld):
    no_collect_token: str  # everything but payments/orders.collectPayment
    ledger_location: str
    ledger_token: str
    ledger: dict[str, str]  # key -> order id

    def new_order(self, **changes: Any) -> str:
        """A fresh 500.00 EUR bike order in `location`, so that no test sees another's changes."""
        return str(self.server.create_order(self.location, {**_bike_order(), **changes})["id"])


def _pay(order_id: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"method": "recordOrderPayment", "params": {"orderId": order_id}, "body": body}


def _fulfil(order_id: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"method": "createOrderFulfillment", "params": {"orderId": order_id}, "body": body}


def _history(method: str, location: str, order_id: str) -> dict[str, Any]:
    """`listOrderFulfillment` or `listOrderNotes`."""
    return {"method": method, "params": {"altId": location, "altType": "location", "orderId": order_id}}


def _transactions(location: str, **params: Any) -> dict[str, Any]:
    return {"method": "listTransactions", "params": {"altId": location, "altType": "location", **params}}


def _transaction(location: str, transaction_id: str) -> dict[str, Any]:
    return {
        "method": "getTransactionById",
        "params": {"transactionId": transaction_id, "altId": location, "altType": "location"},
    }


def _get(world: World, order_id: str) -> dict[str, Any]:
    return {"method": "getOrderById", "params": {"orderId": order_id, "altId": world.location}}


@pytest.fixture(scope="module")
def world(node: str, server: Server) -> World:
    location, token, no_collect_token = new_location(
        server, "npm SDK lifecycle", ALL_SCOPES, NO_COLLECT_SCOPES
    )
    ledger_location, ledger_token = new_location(server, "npm SDK ledger", ALL_SCOPES)
    built = World(
        server=server,
        node=node,
        location=location,
        foreign_location=server.new_location("Someone else"),
        token=token,
        no_collect_token=no_collect_token,
        ledger_location=ledger_location,
        ledger_token=ledger_token,
        ledger=create_orders(server, ledger_location, _ledger_orders()),
    )
    owner = {"altId": ledger_location, "altType": "location"}
    mugs = built.ledger["mugs"]
    paid = built.run(
        [
            _pay(
                mugs,
                {
                    **owner,
                    "mode": "bank_transfer",
                    "amount": 10,
                    "isPartialPayment": True,
                    "notes": WIRE_NOTES,
                },
            ),
            _pay(mugs, {**owner, "mode": "card", "card": {"type": "mastercard", "last4": "5454"}}),
        ],
        token=built.ledger_token,
    )
    assert paid == [{"success": True}, {"success": True}]
    return built


def test_an_order_paid_in_two_parts_and_shipped_in_two(world: World) -> None:
    order_id = world.new_order()
    loc = world.location
    tracking = {
        "trackingNumber": "00340434161094042557",
        "shippingCarrier": "DHL",
        "trackingUrl": "https://www.dhl.com/track?id=00340434161094042557",
    }
    deposit_body = world.body(mode="cash", amount=120.55, isPartialPayment=True, notes="Deposit in store")
    (
        created,
        deposit,
        part_paid,
        rest,
        paid,
        first,
        part_shipped,
        second,
        done,
        fulfillments,
        notes,
        listed,
        sent,
    ) = world.run(
        [
            _get(world, order_id),
            _pay(order_id, deposit_body),
            _get(world, order_id),
            _pay(order_id, world.body(mode="card", card={"type": "visa", "last4": "1881"}, meta={"till": 3})),
            _get(world, order_id),
            _fulfil(
                order_id,
                world.body(
                    trackings=[tracking],
                    items=[{"priceId": price_id(PROD_BIKE), "qty": 1}],
                    notifyCustomer=True,
                ),
            ),
            _get(world, order_id),
            _fulfil(
                order_id,
                world.body(
                    trackings=[], items=[{"priceId": price_id(PROD_HELMET), "qty": 2}], notifyCustomer=False
                ),
            ),
            _get(world, order_id),
            _history("listOrderFulfillment", loc, order_id),
            _history("listOrderNotes", loc, order_id),
            _transactions(loc, entityId=order_id, limit=20, offset=0),
            SENT,
        ]
    )

    # The order, read back through getOrderById after every step.
    assert created["amount"] == 500
    assert states(created) == ("pending", "unpaid", "unfulfilled")
    assert deposit == {"success": True}
    assert states(part_paid)[1:] == ("partially_paid", "unfulfilled")
    assert rest == {"success": True}
    assert states(paid) == ("completed", "paid", "unfulfilled")
    assert states(part_shipped) == ("completed", "paid", "partially_fulfilled")
    assert states(done) == ("completed", "paid", "fulfilled")

    # The fulfillments, as created and as listed.
    assert first["status"] is True
    (bike,) = first["data"]["items"]
    assert (bike["name"], bike["qty"], bike["price"]["_id"]) == ("City bike", 1, price_id(PROD_BIKE))
    assert (bike["price"]["amount"], bike["price"]["currency"]) == (400, "EUR")
    assert first["data"]["trackings"] == [tracking]
    (helmets,) = second["data"]["items"]
    assert (helmets["name"], helmets["qty"]) == ("Helmet", 2)
    assert ok(fulfillments)["status"] is True
    assert fulfillments["data"] == [first["data"], second["data"]]

    # The timeline, oldest first.
    timeline = ok(notes)["data"]
    assert [(n["type"], n["text"]) for n in timeline] == [
        ("order_created", "Order created for €500.00"),
        ("payment_recorded", "Partial payment of €120.55 recorded (cash)"),
        ("payment_recorded", "Payment of €379.45 recorded (card)"),
        ("status_changed", "Order status changed from pending to completed"),
        (
            "fulfillment_created",
            "Fulfilled 1 item; order is partially_fulfilled (tracking 00340434161094042557)",
        ),
        ("fulfillment_created", "Fulfilled 2 items; order is fulfilled"),
    ]
    assert {n["orderId"] for n in timeline} == {order_id}
    assert [n["createdAt"] for n in timeline] == sorted(n["createdAt"] for n in timeline)
    assert [n["meta"]["fulfillmentId"] for n in timeline[4:]] == [first["data"]["_id"], second["data"]["_id"]]

    # The transactions, newest first: together they are the order's total.
    assert ok(listed)["totalCount"] == 2
    card, cash = listed["data"]
    assert [n["meta"]["transactionId"] for n in timeline[1:3]] == [cash["_id"], card["_id"]]
    assert (cash["amount"], card["amount"]) == (120.55, 379.45)
    assert round(sum(t["amount"] for t in listed["data"]), 2) == done["amount"] == 500
    for transaction in listed["data"]:
        assert (transaction["entityId"], transaction["entityType"]) == (order_id, "order")
        assert (transaction["currency"], transaction["status"]) == ("EUR", "succeeded")
        assert (transaction["contactId"], transaction["contactEmail"]) == (ANA, "ana@example.com")
        assert (transaction["entitySourceType"], transaction["entitySourceSubType"]) == ("website", "store")
    assert cash["paymentMethod"] == {"type": "cash"}
    assert card["paymentMethod"] == {"card": {"brand": "visa", "last4": "1881"}}

    card_detail, cash_detail = world.run([_transaction(loc, card["_id"]), _transaction(loc, cash["_id"])])
    assert (ok(card_detail)["_id"], card_detail["amount"], card_detail["meta"]) == (
        card["_id"],
        379.45,
        {"till": 3},
    )
    assert card_detail["paymentMethod"] == {"card": {"brand": "visa", "last4": "1881"}}
    assert (ok(cash_detail)["notes"], cash_detail["amount"]) == ("Deposit in store", 120.55)
    for detail in (card_detail, cash_detail):
        assert (detail["entityId"], detail["altId"], detail["altType"]) == (order_id, loc, "location")
        assert detail["entitySource"] == {"type": "website", "id": STORE_ID, "subType": "store"}
        assert detail["contactSnapshot"]["lastName"] == "Lima"

    # What the SDK put on the wire.
    base = world.server.base_url
    posts = [request for request in sent if request["method"] == "POST"]
    assert [request["url"] for request in posts] == [
        f"{base}/payments/orders/{order_id}/record-payment",
        f"{base}/payments/orders/{order_id}/record-payment",
        f"{base}/payments/orders/{order_id}/fulfillments",
        f"{base}/payments/orders/{order_id}/fulfillments",
    ]
    assert posts[0]["body"] == deposit_body
    assert {request["version"] for request in sent} == {DEFAULT_VERSION}
    assert {request["sdkVersion"] for request in sent} == {NPM.version}
    listing = next(request for request in sent if "/payments/transactions" in request["url"])
    assert listing["url"] == (
        f"{base}/payments/transactions?altId={loc}&altType=location&entityId={order_id}&limit=20&offset=0"
    )
    history = [
        request["url"]
        for request in sent
        if "/fulfillments?" in request["url"] or "/notes?" in request["url"]
    ]
    assert history == [
        f"{base}/payments/orders/{order_id}/fulfillments?altId={loc}&altType=location",
        f"{base}/payments/orders/{order_id}/notes?altId={loc}&altType=location",
    ]


# Newest first: the two mugs payments were recorded just now, the rest are dated when they were paid.
ALL_TRANSACTIONS = ("mugs:4.5", "mugs:10", "gift:25", "book:19.9")

FILTERS: list[tuple[str, dict[str, Any], tuple[str, ...]]] = [
    ("all", {}, ALL_TRANSACTIONS),
    ("entity", {"entityId": "mugs"}, ("mugs:4.5", "mugs:10")),
    ("contact", {"contactId": ANA}, ("book:19.9",)),
    ("mode-test", {"paymentMode": "test"}, ("gift:25",)),
    ("mode-live", {"paymentMode": "live"}, ("mugs:4.5", "mugs:10", "book:19.9")),
    ("days", {"startAt": "2024-01-20", "endAt": "2024-03-10"}, ("gift:25", "book:19.9")),
    ("instants", {"startAt": "2024-01-20T09:00:00.001Z", "endAt": "2024-03-10T12:00:00.000Z"}, ("gift:25",)),
    ("search-notes", {"search": "rock & roll, inc"}, ("mugs:10",)),
    ("search-contact", {"search": "Bob Smith"}, ("mugs:4.5", "mugs:10")),
    ("search-none", {"search": "nothing, & nobody"}, ()),
    ("source-type", {"entitySourceType": "payment_link"}, ("gift:25",)),
    ("source-sub-type", {"entitySourceSubType": "store"}, ("mugs:4.5", "mugs:10")),
    ("combined", {"contactId": BOB, "search": "wire received", "paymentMode": "live"}, ("mugs:10",)),
]


def test_list_transactions_filters_and_paging(world: World) -> None:
    """Every filter in one node run (a process per case would dominate the run time)."""
    calls = []
    for _, filters, _ in FILTERS:
        params = dict(filters)
        if "entityId" in params:
            params["entityId"] = world.ledger[params["entityId"]]
        calls.append(_transactions(world.ledger_location, limit=20, offset=0, **params))
    calls += [
        _transactions(world.ledger_location, limit=2, offset=1),
        _transactions(world.ledger_location),
        SENT,
    ]
    *results, page, default, sent = world.run(calls, token=world.ledger_token)

    for (name, _, expected), result in zip(FILTERS, results, strict=True):
        assert [label(t, world.ledger) for t in ok(result)["data"]] == list(expected), name
        assert result["totalCount"] == len(expected), name
    assert [label(t, world.ledger) for t in ok(page)["data"]] == list(ALL_TRANSACTIONS[1:3])
    assert page["totalCount"] == ok(default)["totalCount"] == 4
    assert sent[-2]["url"].endswith("&limit=2&offset=1")
    assert "search=rock+%26+roll,+inc" in sent[7]["url"]


def test_ledger_transactions_read_back_by_id(world: World) -> None:
    loc = world.ledger_location
    (listed,) = world.run([_transactions(loc, limit=20)], token=world.ledger_token)
    by_label = {label(t, world.ledger): t for t in ok(listed)["data"]}
    wire, card, gift = world.run(
        [
            _transaction(loc, by_label["mugs:10"]["_id"]),
            _transaction(loc, by_label["mugs:4.5"]["_id"]),
            _transaction(loc, by_label["gift:25"]["_id"]),
        ],
        token=world.ledger_token,
    )

    assert (ok(wire)["notes"], wire["paymentMethod"]) == (WIRE_NOTES, {"type": "bank_transfer"})
    assert ok(card)["paymentMethod"] == {"card": {"brand": "mastercard", "last4": "5454"}}
    assert (ok(gift)["liveMode"], gift["markAsTest"], gift["createdAt"]) == (
        False,
        True,
        "2024-03-10T12:00:00.000Z",
    )
    assert "contactId" not in gift
    assert gift["entitySource"] == {"type": "payment_link", "id": LINK_ID}


def test_paying_a_paid_order_is_validation_error(world: World) -> None:
    order_id = world.new_order()
    prepaid = world.new_order(amount_paid=50000, status="completed")
    paid, again, already, order, listed = world.run(
        [
            _pay(order_id, world.body(mode="cheque", cheque={"number": "000123"})),
            _pay(order_id, world.body(mode="cash")),
            _pay(prepaid, world.body(mode="other", amount=1)),
            _get(world, order_id),
            _transactions(world.location, entityId=order_id),
        ]
    )

    assert paid == {"success": True}
    for result in (again, already):
        error = error_of(result)
        assert error["name"] == "GHLValidationError"
        assert (error["statusCode"], error["code"]) == (400, "VALIDATION")
        assert error["message"] == "Order is already paid"
        assert error["response"] == {"statusCode": 400, "message": "Order is already paid"}
    assert states(order)[1] == "paid"
    assert [t["amount"] for t in ok(listed)["data"]] == [500]


def test_balance_and_quantity_rules_are_validation_errors(world: World) -> None:
    order_id = world.new_order()
    short, over, too_many, order = world.run(
        [
            _pay(order_id, world.body(mode="cash", amount=100)),
            _pay(order_id, world.body(mode="cash", amount=500.01, isPartialPayment=True)),
            _fulfil(
                order_id,
                world.body(
                    trackings=[], items=[{"priceId": price_id(PROD_HELMET), "qty": 3}], notifyCustomer=True
                ),
            ),
            _get(world, order_id),
        ]
    )

    for result in (short, over, too_many):
        assert (error_of(result)["name"], result["error"]["statusCode"]) == ("GHLValidationError", 400)
    assert short["error"]["message"] == (
        "Amount €100.00 is less than the balance due of €500.00: "
        "set isPartialPayment to record a partial payment"
    )
    assert over["error"]["message"] == "Amount €500.01 exceeds the balance due of €500.00"
    assert (
        too_many["error"]["message"] == f"Cannot fulfil 3 of price {price_id(PROD_HELMET)}: 2 left to fulfil"
    )
    assert states(order) == ("pending", "unpaid", "unfulfilled")


def test_card_payment_without_last4_is_validation_error(world: World) -> None:
    order_id = world.new_order()
    no_last4, bad_body, order = world.run(
        [
            _pay(order_id, world.body(mode="card", card={"type": "mastercard"})),
            _pay(order_id, {"altType": "account", "mode": "crypto", "amount": -5}),
            _get(world, order_id),
        ]
    )

    error = error_of(no_last4)
    assert error["name"] == "GHLValidationError"
    assert (error["statusCode"], error["code"]) == (422, "VALIDATION")
    assert error["message"] == "card.last4 should not be empty, card.last4 must be a string"
    assert error["response"] == {
        "statusCode": 422,
        "message": ["card.last4 should not be empty", "card.last4 must be a string"],
        "error": "Unprocessable Entity",
    }
    error = error_of(bad_body)
    assert (error["name"], error["statusCode"]) == ("GHLValidationError", 422)
    assert error["response"]["message"] == [
        "altId should not be empty",
        "altId must be a string",
        "altType must be one of the following values: location",
        "mode must be one of the following values: cash, card, cheque, bank_transfer, other",
        "amount must be a positive number",
    ]
    assert error["message"] == ", ".join(error["response"]["message"])
    assert states(order) == ("pending", "unpaid", "unfulfilled")


def test_token_without_collect_payment_is_authentication_error(world: World) -> None:
    order_id = world.new_order()
    paying, shipping = world.run(
        [
            _pay(order_id, world.body(mode="cash")),
            _fulfil(
                order_id,
                world.body(
                    trackings=[], items=[{"priceId": price_id(PROD_BIKE), "qty": 1}], notifyCustomer=False
                ),
            ),
        ],
        token=world.no_collect_token,
    )
    (order,) = world.run([_get(world, order_id)])

    error = error_of(paying)
    assert error["name"] == "GHLAuthenticationError"
    assert (error["statusCode"], error["code"]) == (401, "AUTHENTICATION")
    assert error["message"] == "The token is not authorized for this scope."
    # The same token holds payments/orders.write, so it may ship.
    assert ok(shipping)["status"] is True
    assert states(order) == ("pending", "unpaid", "partially_fulfilled")


def test_unknown_ids_are_not_found_errors(world: World) -> None:
    loc = world.location
    results = world.run(
        [
            _transaction(loc, MISSING_ID),
            _pay(MISSING_ID, world.body(mode="cash")),
            _fulfil(
                MISSING_ID,
                world.body(
                    trackings=[], items=[{"priceId": price_id(PROD_BIKE), "qty": 1}], notifyCustomer=False
                ),
            ),
            _history("listOrderFulfillment", loc, MISSING_ID),
            _history("listOrderNotes", loc, MISSING_ID),
        ]
    )

    messages = ["Transaction not found"] + ["Order not found"] * 4
    for result, message in zip(results, messages, strict=True):
        error = error_of(result)
        assert error["name"] == "GHLNotFoundError"
        assert (error["statusCode"], error["code"]) == (404, "NOT_FOUND")
        assert error["message"] == message
        assert error["response"]["name"] == "HttpException"


def test_another_locations_transaction_is_not_found(world: World) -> None:
    other = world.server.create_order(world.foreign_location, {**_bike_order(), "amount_paid": 50000})
    foreign_token = world.server.new_token(world.foreign_location, ["payments/transactions.readonly"])
    (listed,) = world.run([_transactions(world.foreign_location, entityId=other["id"])], token=foreign_token)
    (foreign,) = ok(listed)["data"]
    (leak,) = world.run([_transaction(world.location, foreign["_id"])])

    assert (error_of(leak)["name"], leak["error"]["statusCode"]) == ("GHLNotFoundError", 404)
    assert leak["error"]["message"] == "Transaction not found"
