"""The official npm SDK (`@gohighlevel/api-client`, pinned in tests/sdk/js) against a real server.

`tests/sdk/js/client.js` builds `new HighLevel({privateIntegrationToken, logLevel: 'none'})`, points the
SDK's axios instance at the server and runs a list of calls, printing one JSON line per call. The SDK
sends `Version: 2023-02-21` by default (research 2.1), serialises queries the axios way (space `+`,
`&` `%26`, comma kept) and throws typed errors (`GHLNotFoundError`, `GHLAuthenticationError`,
`GHLValidationError`, ...).

Needs `node` and `npm ci` in tests/sdk/js (`make install` does it); without them these tests are
skipped, or fail under ORDERGATE_TEST_STRICT=1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.conftest import Server
from tests.sdk.sdk_support import (
    ANA,
    ANA_CONTACT,
    BOB,
    BOB_CONTACT,
    FUNNEL_ID,
    MISSING_ID,
    NPM,
    SENT,
    STORE_ID,
    UNKNOWN_TOKEN,
    NpmSdkWorld,
    create_orders,
    item,
    ms,
    new_location,
    order_ids,
)

NEWEST_FIRST = ("gift", "refund", "retreat", "mug", "book")

PROD_BOOK = "66ee5f60a077f712a5f72001"
PROD_MUG = "66ee5f60a077f712a5f72002"
PROD_RETREAT = "66ee5f60a077f712a5f72003"
PROD_CARD = "66ee5f60a077f712a5f72004"


@pytest.fixture(scope="module")
def node() -> str:
    return NPM.node()


def _orders() -> dict[str, dict[str, Any]]:
    """Five orders; amounts in minor units (canonical form)."""
    return {
        # 19.90 USD, paid
        "book": {
            "items": [item("Rock & Roll, Vol. 2", 1, PROD_BOOK, 1990)],
            "status": "completed",
            "contact": ANA_CONTACT,
            "source": {"type": "funnel", "id": FUNNEL_ID, "sub_type": "two_step_order_form"},
            "created_at": ms("2024-01-20T09:00:00+00:00"),
            "amount_paid": 1990,
        },
        # 2 x 7.25 = 14.50 EUR, unpaid
        "mug": {
            "items": [item("Coffee mug", 2, PROD_MUG, 725)],
            "currency": "EUR",
            "status": "pending",
            "contact": BOB_CONTACT,
            "source": {"type": "website", "id": STORE_ID, "sub_type": "store"},
            "created_at": ms("2024-02-02T10:00:00+00:00"),
        },
        # 450.00 + 20.00 shipping = 470.00 USD, 100.00 paid
        "retreat": {
            "items": [item("Yoga retreat", 1, PROD_RETREAT, 45000)],
            "status": "processing",
            "shipping": 2000,
            "contact": ANA_CONTACT,
            "source": {"type": "funnel", "id": FUNNEL_ID},
            "created_at": ms("2024-02-14T18:45:00+00:00"),
            "amount_paid": 10000,
        },
        # 19.90 + 14.50 = 34.40 USD, refunded
        "refund": {
            "items": [
                item("Rock & Roll, Vol. 2", 1, PROD_BOOK, 1990),
                item("Coffee mug", 2, PROD_MUG, 725),
            ],
            "status": "cancelled",
            "contact": BOB_CONTACT,
            "source": {"type": "website", "id": STORE_ID},
            "created_at": ms("2024-02-29T23:59:00+00:00"),
            "amount_paid": 3440,
            "amount_refunded": 3440,
        },
        # 25.00 USD in test mode, paid
        "gift": {
            "items": [item("Gift card", 1, PROD_CARD, 2500)],
            "status": "completed",
            "source": {"type": "payment_link", "id": STORE_ID},
            "created_at": ms("2024-03-10T12:00:00+00:00"),
            "amount_paid": 2500,
            "live_mode": False,
        },
    }


@dataclass
class World(NpmSdkWorld):
    ids: dict[str, str]

    def expected(self, *keys: str) -> list[str]:
        return [self.ids[key] for key in NEWEST_FIRST if key in keys]


@pytest.fixture(scope="module")
def world(node: str, server: Server) -> World:
    location, token = new_location(server, "npm SDK", ["payments/orders.readonly"])
    return World(
        server=server,
        node=node,
        location=location,
        foreign_location=server.new_location("Someone else"),
        token=token,
        ids=create_orders(server, location, _orders()),
    )


def _list(world: World, **params: Any) -> dict[str, Any]:
    return {"method": "listOrders", "params": {"altId": world.location, **params}}


def _get(world: World, key_or_id: str, **params: Any) -> dict[str, Any]:
    order_id = world.ids.get(key_or_id, key_or_id)
    return {"method": "getOrderById", "params": {"orderId": order_id, "altId": world.location, **params}}


def test_list_get_and_default_version(world: World) -> None:
    everything, page, order, sent = world.run(
        [_list(world, limit=20, offset=0), _list(world, limit=2, offset=1), _get(world, "retreat"), SENT]
    )

    assert everything["totalCount"] == 5
    assert order_ids(everything) == world.expected(*NEWEST_FIRST)
    assert page["totalCount"] == 5
    assert order_ids(page) == world.expected(*NEWEST_FIRST)[1:3]

    by_id = {o["_id"]: o for o in everything["data"]}
    mug = by_id[world.ids["mug"]]
    assert (mug["currency"], mug["amount"], mug["subtotal"]) == ("EUR", 14.5, 14.5)
    assert (mug["contactId"], mug["contactName"]) == (BOB, "Bob Smith")
    assert (mug["sourceType"], mug["sourceSubType"], mug["sourceId"]) == ("website", "store", STORE_ID)
    book = by_id[world.ids["book"]]
    assert (book["amount"], book["paymentStatus"], book["status"]) == (19.9, "paid", "completed")

    assert order["_id"] == world.ids["retreat"]
    assert (order["altId"], order["altType"]) == (world.location, "location")
    assert (order["amount"], order["status"], order["paymentStatus"]) == (470, "processing", "partially_paid")
    assert order["amountSummary"]["subtotal"] == 450
    assert order["amountSummary"]["shipping"] == 20
    assert order["contactSnapshot"]["lastName"] == "Lima"
    assert order["items"][0]["price"]["amount"] == 450
    assert order["createdAt"] == "2024-02-14T18:45:00.000Z"

    assert [request["version"] for request in sent] == ["2023-02-21"] * 3
    assert {request["sdkVersion"] for request in sent} == {NPM.version}
    assert (
        sent[0]["url"] == f"{world.server.base_url}/payments/orders?altId={world.location}&limit=20&offset=0"
    )
    assert sent[2]["url"] == (
        f"{world.server.base_url}/payments/orders/{world.ids['retreat']}?altId={world.location}"
    )


def test_api_version_2021_07_28(world: World) -> None:
    listed, order, sent = world.run(
        [_list(world, paymentStatus="paid", limit=20), _get(world, "gift"), SENT], api_version="2021-07-28"
    )

    assert order_ids(listed) == world.expected("gift", "book")
    assert (order["_id"], order["amount"], order["liveMode"]) == (world.ids["gift"], 25, False)
    assert [request["version"] for request in sent] == ["2021-07-28", "2021-07-28"]


FILTERS: list[tuple[str, dict[str, Any], tuple[str, ...]]] = [
    ("status", {"status": "completed"}, ("gift", "book")),
    ("payment-unpaid", {"paymentStatus": "unpaid"}, ("mug",)),
    ("payment-partial", {"paymentStatus": "partially_paid"}, ("retreat",)),
    ("payment-refunded", {"paymentStatus": "refunded"}, ("refund",)),
    ("mode-test", {"paymentMode": "test"}, ("gift",)),
    ("days", {"startAt": "2024-02-02", "endAt": "2024-02-29"}, ("refund", "retreat", "mug")),
    (
        "instants",
        {"startAt": "2024-01-20T09:00:00.000Z", "endAt": "2024-02-14T18:45:00.000Z"},
        ("retreat", "mug", "book"),
    ),
    ("search-punctuation", {"search": "Rock & Roll, Vol. 2"}, ("refund", "book")),
    ("search-contact", {"search": "ana lima"}, ("retreat", "book")),
    ("search-none", {"search": "nothing, & nobody"}, ()),
    ("contact", {"contactId": BOB}, ("refund", "mug")),
    ("products", {"funnelProductIds": f"{PROD_RETREAT},{PROD_CARD}"}, ("gift", "retreat")),
    ("product", {"funnelProductIds": PROD_MUG}, ("refund", "mug")),
    ("source", {"sourceId": FUNNEL_ID}, ("retreat", "book")),
    ("combined", {"contactId": ANA, "paymentStatus": "paid", "startAt": "2024-01-01"}, ("book",)),
]


def test_list_filters(world: World) -> None:
    """Every filter in one node run (a process per case would dominate the run time)."""
    results = world.run([_list(world, limit=20, offset=0, **filters) for _, filters, _ in FILTERS])

    for (name, _, keys), result in zip(FILTERS, results, strict=True):
        assert order_ids(result) == world.expected(*keys), name
        assert result["totalCount"] == len(keys), name


def test_query_is_encoded_the_axios_way(world: World) -> None:
    """Spaces as `+`, `&` as `%26`, commas left literal: the server must decode all of them."""
    result, sent = world.run(
        [_list(world, search="Rock & Roll, Vol. 2", funnelProductIds=f"{PROD_MUG},{PROD_BOOK}"), SENT]
    )

    assert "search=Rock+%26+Roll,+Vol.+2" in sent[0]["url"]
    assert f"funnelProductIds={PROD_MUG},{PROD_BOOK}" in sent[0]["url"]
    assert order_ids(result) == world.expected("refund", "book")


def test_unknown_params_are_dropped_by_the_sdk(world: World) -> None:
    """The SDK whitelists parameters: an old-style `altType` never reaches the server."""
    result, sent = world.run([_list(world, altType="location", paymentMode="live"), SENT])

    assert "altType" not in sent[0]["url"]
    assert order_ids(result) == world.expected("refund", "retreat", "mug", "book")


def test_missing_order_is_not_found_error(world: World) -> None:
    (missing,) = world.run([_get(world, MISSING_ID)])

    error = missing["error"]
    assert error["name"] == "GHLNotFoundError"
    assert (error["statusCode"], error["code"]) == (404, "NOT_FOUND")
    assert error["message"] == "Order not found"
    assert error["response"]["message"] == "Order not found"


def test_bad_token_is_authentication_error(world: World) -> None:
    listed, got = world.run([_list(world), _get(world, "book")], token=UNKNOWN_TOKEN)

    for result in (listed, got):
        error = result["error"]
        assert error["name"] == "GHLAuthenticationError"
        assert error["statusCode"] == 401
        assert error["message"] == "Invalid Private Integration token"


def test_foreign_location_is_authentication_error(world: World) -> None:
    by_alt, by_location = world.run(
        [
            {"method": "listOrders", "params": {"altId": world.foreign_location}},
            _get(world, "book", locationId=world.foreign_location),
        ]
    )

    for result in (by_alt, by_location):
        error = result["error"]
        assert error["name"] == "GHLAuthenticationError"
        assert error["statusCode"] == 401
        assert error["message"] == "This location is not accessible from this token!"


def test_bad_parameters_are_validation_errors(world: World) -> None:
    bad_status, several, bad_id = world.run(
        [
            _list(world, status="shipped"),
            _list(world, paymentStatus="free", startAt="yesterday", limit=0),
            _get(world, "not-an-order"),
        ]
    )

    error = bad_status["error"]
    assert error["name"] == "GHLValidationError"
    assert (error["statusCode"], error["code"]) == (422, "VALIDATION")
    assert error["message"] == (
        "status must be one of the following values: pending, processing, completed, cancelled, failed"
    )
    assert error["response"]["error"] == "Unprocessable Entity"

    error = several["error"]
    assert error["name"] == "GHLValidationError"
    messages = error["response"]["message"]
    assert len(messages) == 3
    assert error["message"] == ", ".join(messages)
    for name in ("paymentStatus ", "startAt ", "limit "):
        assert any(message.startswith(name) for message in messages), (name, messages)

    error = bad_id["error"]
    assert (error["name"], error["statusCode"]) == ("GHLValidationError", 422)
    assert "orderId" in error["message"]
