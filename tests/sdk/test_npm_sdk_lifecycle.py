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

import datetime as dt
import json
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import STRICT, Server

JS_DIR = Path(__file__).resolve().parent / "js"
CLIENT = JS_DIR / "client.js"
SDK_PACKAGE = JS_DIR / "node_modules" / "@gohighlevel" / "api-client" / "package.json"
SDK_VERSION = "3.1.0"
DEFAULT_VERSION = "2023-02-21"

ALL_SCOPES = [
    "payments/orders.readonly",
    "payments/orders.write",
    "payments/orders.collectPayment",
    "payments/transactions.readonly",
]

ANA = "AnaLimaContact000001"
BOB = "BobSmithContact00002"
STORE_ID = "62aa1b2cc077f712a5f70011"
FUNNEL_ID = "61dd0c7dc077f712a5f787ff"
LINK_ID = "62aa1b2cc077f712a5f70012"
PROD_BIKE = "68aa7b82c077f712a5f74001"
PROD_HELMET = "68aa7b82c077f712a5f74002"
PROD_BOOK = "68aa7b82c077f712a5f74003"
PROD_MUG = "68aa7b82c077f712a5f74004"
PROD_CARD = "68aa7b82c077f712a5f74005"
MISSING_ID = "0123456789abcdef01234567"
WIRE_NOTES = "Wire received from Rock & Roll, Inc"
SENT = {"method": "sentRequests"}


def _node() -> str:
    """The node binary; skips (or fails under STRICT) when node or the installed SDK is missing."""
    node = shutil.which("node")
    problem = None
    if node is None:
        problem = "node is not installed (Node.js >= 18 is needed)"
    elif not SDK_PACKAGE.exists():
        problem = (
            f"{JS_DIR / 'node_modules'} has no @gohighlevel/api-client "
            "(run `make install`, or `npm ci` in tests/sdk/js)"
        )
    if problem is not None:
        if STRICT:
            pytest.fail(f"npm SDK tests cannot run under ORDERGATE_TEST_STRICT=1: {problem}")
        pytest.skip(f"npm SDK tests skipped: {problem}")
    assert node is not None
    return node


@pytest.fixture(scope="module")
def node() -> str:
    return _node()


def _ms(iso: str) -> int:
    return int(dt.datetime.fromisoformat(iso).timestamp() * 1000)


def _price_id(product_id: str) -> str:
    return f"pr{product_id[2:]}"


def _item(name: str, quantity: int, product_id: str, amount: int) -> dict[str, Any]:
    return {
        "name": name,
        "quantity": quantity,
        "product": {"id": product_id, "name": name},
        "price": {"id": _price_id(product_id), "name": "Standard", "type": "one_time", "amount": amount},
    }


ANA_CONTACT = {"id": ANA, "first_name": "Ana", "last_name": "Lima", "email": "ana@example.com"}
BOB_CONTACT = {"id": BOB, "first_name": "Bob", "last_name": "Smith", "email": "bob@example.net"}


def _bike_order() -> dict[str, Any]:
    """1 x 400.00 bike + 2 x 45.00 helmets + 10.00 shipping = 500.00 EUR, unpaid, nothing shipped."""
    return {
        "items": [_item("City bike", 1, PROD_BIKE, 40000), _item("Helmet", 2, PROD_HELMET, 4500)],
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
            "items": [_item("Rock & Roll, Vol. 2", 1, PROD_BOOK, 1990)],
            "status": "completed",
            "contact": ANA_CONTACT,
            "source": {"type": "funnel", "id": FUNNEL_ID, "sub_type": "two_step_order_form"},
            "created_at": _ms("2024-01-20T09:00:00+00:00"),
            "amount_paid": 1990,
        },
        # 25.00 USD gift card, paid on 10 Mar 2024 in test mode, no contact
        "gift": {
            "items": [_item("Gift card", 1, PROD_CARD, 2500)],
            "status": "completed",
            "source": {"type": "payment_link", "id": LINK_ID},
            "created_at": _ms("2024-03-10T12:00:00+00:00"),
            "amount_paid": 2500,
            "live_mode": False,
        },
        # 2 x 7.25 = 14.50 USD, unpaid: the fixture pays it through the SDK (10.00 wire, then 4.50 card)
        "mugs": {
            "items": [_item("Coffee mug", 2, PROD_MUG, 725)],
            "status": "pending",
            "contact": BOB_CONTACT,
            "source": {"type": "website", "id": STORE_ID, "sub_type": "store"},
            "created_at": _ms("2024-02-02T10:00:00+00:00"),
        },
    }


@dataclass
class World:
    server: Server
    node: str
    location: str
    foreign_location: str
    token: str
    no_collect_token: str  # everything but payments/orders.collectPayment
    ledger_location: str
    ledger_token: str
    ledger: dict[str, str] = field(default_factory=dict)  # key -> order id

    def new_order(self, **changes: Any) -> str:
        """A fresh 500.00 EUR bike order in `location`, so that no test sees another's changes."""
        return str(self.server.create_order(self.location, {**_bike_order(), **changes})["id"])

    def body(self, **fields: Any) -> dict[str, Any]:
        return {"altId": self.location, "altType": "location", **fields}

    def run(self, calls: list[dict[str, Any]], *, token: str | None = None) -> list[Any]:
        """Runs `calls` through the npm SDK; one result per call (data, or {"error": {...}})."""
        job = {"baseUrl": self.server.base_url, "token": token or self.token, "calls": calls}
        done = subprocess.run(
            [self.node, str(CLIENT)],
            input=json.dumps(job),
            capture_output=True,
            text=True,
            timeout=60,
            cwd=JS_DIR,
            check=False,
        )
        assert done.returncode == 0, f"client.js failed ({done.returncode}):\n{done.stderr}"
        results = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
        assert len(results) == len(calls), (
            f"expected {len(calls)} results, got:\n{done.stdout}\n{done.stderr}"
        )
        return results


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


def _ok(result: Any) -> Any:
    assert not (isinstance(result, dict) and "error" in result), result
    return result


def _error(result: Any) -> dict[str, Any]:
    assert isinstance(result, dict), result
    assert "error" in result, result
    error: dict[str, Any] = result["error"]
    return error


@pytest.fixture(scope="module")
def world(node: str, server: Server) -> World:
    location = server.new_location("npm SDK lifecycle")
    ledger_location = server.new_location("npm SDK ledger")
    built = World(
        server=server,
        node=node,
        location=location,
        foreign_location=server.new_location("Someone else"),
        token=server.new_token(location, ALL_SCOPES),
        no_collect_token=server.new_token(
            location, ["payments/orders.readonly", "payments/orders.write", "payments/transactions.readonly"]
        ),
        ledger_location=ledger_location,
        ledger_token=server.new_token(ledger_location, ALL_SCOPES),
    )
    for key, order in _ledger_orders().items():
        built.ledger[key] = str(server.create_order(ledger_location, order)["id"])
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


def _states(order: dict[str, Any]) -> tuple[str, str, str]:
    _ok(order)
    return order["status"], order["paymentStatus"], order["fulfillmentStatus"]


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
                    items=[{"priceId": _price_id(PROD_BIKE), "qty": 1}],
                    notifyCustomer=True,
                ),
            ),
            _get(world, order_id),
            _fulfil(
                order_id,
                world.body(
                    trackings=[], items=[{"priceId": _price_id(PROD_HELMET), "qty": 2}], notifyCustomer=False
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
    assert _states(created) == ("pending", "unpaid", "unfulfilled")
    assert deposit == {"success": True}
    assert _states(part_paid)[1:] == ("partially_paid", "unfulfilled")
    assert rest == {"success": True}
    assert _states(paid) == ("completed", "paid", "unfulfilled")
    assert _states(part_shipped) == ("completed", "paid", "partially_fulfilled")
    assert _states(done) == ("completed", "paid", "fulfilled")

    # The fulfillments, as created and as listed.
    assert first["status"] is True
    (bike,) = first["data"]["items"]
    assert (bike["name"], bike["qty"], bike["price"]["_id"]) == ("City bike", 1, _price_id(PROD_BIKE))
    assert (bike["price"]["amount"], bike["price"]["currency"]) == (400, "EUR")
    assert first["data"]["trackings"] == [tracking]
    (helmets,) = second["data"]["items"]
    assert (helmets["name"], helmets["qty"]) == ("Helmet", 2)
    assert _ok(fulfillments)["status"] is True
    assert fulfillments["data"] == [first["data"], second["data"]]

    # The timeline, oldest first.
    timeline = _ok(notes)["data"]
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
    assert _ok(listed)["totalCount"] == 2
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
    assert (_ok(card_detail)["_id"], card_detail["amount"], card_detail["meta"]) == (
        card["_id"],
        379.45,
        {"till": 3},
    )
    assert card_detail["paymentMethod"] == {"card": {"brand": "visa", "last4": "1881"}}
    assert (_ok(cash_detail)["notes"], cash_detail["amount"]) == ("Deposit in store", 120.55)
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
    assert {request["sdkVersion"] for request in sent} == {SDK_VERSION}
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


def _label(transaction: dict[str, Any], ledger: dict[str, str]) -> str:
    """`mugs:10`: the ledger order a transaction belongs to and its amount."""
    keys = {order_id: key for key, order_id in ledger.items()}
    return f"{keys[transaction['entityId']]}:{transaction['amount']:g}"


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
        assert [_label(t, world.ledger) for t in _ok(result)["data"]] == list(expected), name
        assert result["totalCount"] == len(expected), name
    assert [_label(t, world.ledger) for t in _ok(page)["data"]] == list(ALL_TRANSACTIONS[1:3])
    assert page["totalCount"] == _ok(default)["totalCount"] == 4
    assert sent[-2]["url"].endswith("&limit=2&offset=1")
    assert "search=rock+%26+roll,+inc" in sent[7]["url"]


def test_ledger_transactions_read_back_by_id(world: World) -> None:
    loc = world.ledger_location
    (listed,) = world.run([_transactions(loc, limit=20)], token=world.ledger_token)
    by_label = {_label(t, world.ledger): t for t in _ok(listed)["data"]}
    wire, card, gift = world.run(
        [
            _transaction(loc, by_label["mugs:10"]["_id"]),
            _transaction(loc, by_label["mugs:4.5"]["_id"]),
            _transaction(loc, by_label["gift:25"]["_id"]),
        ],
        token=world.ledger_token,
    )

    assert (_ok(wire)["notes"], wire["paymentMethod"]) == (WIRE_NOTES, {"type": "bank_transfer"})
    assert _ok(card)["paymentMethod"] == {"card": {"brand": "mastercard", "last4": "5454"}}
    assert (_ok(gift)["liveMode"], gift["markAsTest"], gift["createdAt"]) == (
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
        error = _error(result)
        assert error["name"] == "GHLValidationError"
        assert (error["statusCode"], error["code"]) == (400, "VALIDATION")
        assert error["message"] == "Order is already paid"
        assert error["response"] == {"statusCode": 400, "message": "Order is already paid"}
    assert _states(order)[1] == "paid"
    assert [t["amount"] for t in _ok(listed)["data"]] == [500]


def test_balance_and_quantity_rules_are_validation_errors(world: World) -> None:
    order_id = world.new_order()
    short, over, too_many, order = world.run(
        [
            _pay(order_id, world.body(mode="cash", amount=100)),
            _pay(order_id, world.body(mode="cash", amount=500.01, isPartialPayment=True)),
            _fulfil(
                order_id,
                world.body(
                    trackings=[], items=[{"priceId": _price_id(PROD_HELMET), "qty": 3}], notifyCustomer=True
                ),
            ),
            _get(world, order_id),
        ]
    )

    for result in (short, over, too_many):
        assert (_error(result)["name"], result["error"]["statusCode"]) == ("GHLValidationError", 400)
    assert short["error"]["message"] == (
        "Amount €100.00 is less than the balance due of €500.00: "
        "set isPartialPayment to record a partial payment"
    )
    assert over["error"]["message"] == "Amount €500.01 exceeds the balance due of €500.00"
    assert (
        too_many["error"]["message"] == f"Cannot fulfil 3 of price {_price_id(PROD_HELMET)}: 2 left to fulfil"
    )
    assert _states(order) == ("pending", "unpaid", "unfulfilled")


def test_card_payment_without_last4_is_validation_error(world: World) -> None:
    order_id = world.new_order()
    no_last4, bad_body, order = world.run(
        [
            _pay(order_id, world.body(mode="card", card={"type": "mastercard"})),
            _pay(order_id, {"altType": "account", "mode": "crypto", "amount": -5}),
            _get(world, order_id),
        ]
    )

    error = _error(no_last4)
    assert error["name"] == "GHLValidationError"
    assert (error["statusCode"], error["code"]) == (422, "VALIDATION")
    assert error["message"] == "card.last4 should not be empty, card.last4 must be a string"
    assert error["response"] == {
        "statusCode": 422,
        "message": ["card.last4 should not be empty", "card.last4 must be a string"],
        "error": "Unprocessable Entity",
    }
    error = _error(bad_body)
    assert (error["name"], error["statusCode"]) == ("GHLValidationError", 422)
    assert error["response"]["message"] == [
        "altId should not be empty",
        "altId must be a string",
        "altType must be one of the following values: location",
        "mode must be one of the following values: cash, card, cheque, bank_transfer, other",
        "amount must be a positive number",
    ]
    assert error["message"] == ", ".join(error["response"]["message"])
    assert _states(order) == ("pending", "unpaid", "unfulfilled")


def test_token_without_collect_payment_is_authentication_error(world: World) -> None:
    order_id = world.new_order()
    paying, shipping = world.run(
        [
            _pay(order_id, world.body(mode="cash")),
            _fulfil(
                order_id,
                world.body(
                    trackings=[], items=[{"priceId": _price_id(PROD_BIKE), "qty": 1}], notifyCustomer=False
                ),
            ),
        ],
        token=world.no_collect_token,
    )
    (order,) = world.run([_get(world, order_id)])

    error = _error(paying)
    assert error["name"] == "GHLAuthenticationError"
    assert (error["statusCode"], error["code"]) == (401, "AUTHENTICATION")
    assert error["message"] == "The token is not authorized for this scope."
    # The same token holds payments/orders.write, so it may ship.
    assert _ok(shipping)["status"] is True
    assert _states(order) == ("pending", "unpaid", "partially_fulfilled")


def test_unknown_ids_are_not_found_errors(world: World) -> None:
    loc = world.location
    results = world.run(
        [
            _transaction(loc, MISSING_ID),
            _pay(MISSING_ID, world.body(mode="cash")),
            _fulfil(
                MISSING_ID,
                world.body(
                    trackings=[], items=[{"priceId": _price_id(PROD_BIKE), "qty": 1}], notifyCustomer=False
                ),
            ),
            _history("listOrderFulfillment", loc, MISSING_ID),
            _history("listOrderNotes", loc, MISSING_ID),
        ]
    )

    messages = ["Transaction not found"] + ["Order not found"] * 4
    for result, message in zip(results, messages, strict=True):
        error = _error(result)
        assert error["name"] == "GHLNotFoundError"
        assert (error["statusCode"], error["code"]) == (404, "NOT_FOUND")
        assert error["message"] == message
        assert error["response"]["name"] == "HttpException"


def test_another_locations_transaction_is_not_found(world: World) -> None:
    other = world.server.create_order(world.foreign_location, {**_bike_order(), "amount_paid": 50000})
    foreign_token = world.server.new_token(world.foreign_location, ["payments/transactions.readonly"])
    (listed,) = world.run([_transactions(world.foreign_location, entityId=other["id"])], token=foreign_token)
    (foreign,) = _ok(listed)["data"]
    (leak,) = world.run([_transaction(world.location, foreign["_id"])])

    assert (_error(leak)["name"], leak["error"]["statusCode"]) == ("GHLNotFoundError", 404)
    assert leak["error"]["message"] == "Transaction not found"
