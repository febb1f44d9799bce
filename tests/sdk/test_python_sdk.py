"""The official Python SDK (PyPI `gohighlevel-api-client` 3.0.0, module `highlevel`) against a real server.

The SDK is used unchanged; only its base URL is redirected (research 2.2). It sends `Version: v3` unless
`API_VERSION` is changed, `limit`/`offset` as floats (`limit=20.0`), commas as `%2C`, and raises one
`GHLError` class for every status >= 400 with the body's `message` (lists joined with ", ").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from highlevel import GHLError

from tests.conftest import Server
from tests.sdk.sdk_support import (
    FUNNEL_ID,
    INVOICE_ID,
    JANE,
    JANE_CONTACT,
    MISSING_ID,
    POS_ID,
    SITE_ID,
    TOM,
    TOM_CONTACT,
    UNKNOWN_TOKEN,
    PythonSdkWorld,
    create_orders,
    item,
    ms,
    new_location,
    order_ids,
)

# Newest first: the order `GET /payments/orders` returns them in.
NEWEST_FIRST = ("yen", "bundle", "course", "poster", "widget")

PROD_WIDGET = "65dd4e5ff077f712a5f71001"
PROD_POSTER = "65dd4e5ff077f712a5f71002"
PROD_COURSE = "65dd4e5ff077f712a5f71003"
PROD_COACHING = "65dd4e5ff077f712a5f71004"
PROD_MATCHA = "65dd4e5ff077f712a5f71005"


def _orders() -> dict[str, dict[str, Any]]:
    """Five orders covering every filter; amounts in minor units (canonical form)."""
    return {
        # 2 x 12.50 USD, paid in full
        "widget": {
            "items": [item("Blue Widget", 2, PROD_WIDGET, 1250)],
            "currency": "USD",
            "status": "completed",
            "contact": JANE_CONTACT,
            "source": {"type": "funnel", "id": FUNNEL_ID, "sub_type": "one_step_order_form"},
            "created_at": ms("2024-02-01T10:00:00+00:00"),
            "amount_paid": 2500,
        },
        # 9.99 USD, nothing paid yet
        "poster": {
            "items": [item("Tom & Jerry, Ltd poster", 1, PROD_POSTER, 999)],
            "currency": "USD",
            "status": "pending",
            "contact": TOM_CONTACT,
            "source": {"type": "website", "id": SITE_ID},
            "created_at": ms("2024-02-05T12:00:00+00:00"),
        },
        # 3 x 33.50 + 15.00 monthly + 8.05 tax = 123.55 USD, 50.00 paid, test mode, late on 10 Feb
        "course": {
            "items": [
                item("Video course", 3, PROD_COURSE, 3350),
                item("Coaching", 1, PROD_COACHING, 1500, recurring=True),
            ],
            "currency": "USD",
            "status": "processing",
            "tax": 805,
            "contact": JANE_CONTACT,
            "source": {"type": "funnel", "id": FUNNEL_ID},
            "created_at": ms("2024-02-10T23:30:00+00:00"),
            "amount_paid": 5000,
            "live_mode": False,
        },
        # 12.50 + 9.99 - 2.49 discount = 20.00 USD, paid then refunded in full
        "bundle": {
            "items": [
                item("Blue Widget", 1, PROD_WIDGET, 1250),
                item("Tom & Jerry, Ltd poster", 1, PROD_POSTER, 999),
            ],
            "currency": "USD",
            "status": "cancelled",
            "discount": 249,
            "contact": TOM_CONTACT,
            "source": {"type": "invoice", "id": INVOICE_ID},
            "created_at": ms("2024-03-01T08:00:00+00:00"),
            "amount_paid": 2000,
            "amount_refunded": 2000,
        },
        # 1500 JPY (no minor unit), no contact
        "yen": {
            "items": [item("Matcha tin", 1, PROD_MATCHA, 1500)],
            "currency": "JPY",
            "status": "completed",
            "source": {"type": "point_of_sale", "id": POS_ID},
            "created_at": ms("2024-03-15T09:00:00+00:00"),
            "amount_paid": 1500,
        },
    }


@dataclass
class World(PythonSdkWorld):
    transactions_only_token: str
    ids: dict[str, str]

    def expected(self, *keys: str) -> list[str]:
        """The ids of `keys`, newest first."""
        return [self.ids[key] for key in NEWEST_FIRST if key in keys]


@pytest.fixture(scope="module")
def world(server: Server) -> World:
    location, token, transactions_only_token = new_location(
        server, "Python SDK", ["payments/orders.readonly"], ["payments/transactions.readonly"]
    )
    return World(
        server=server,
        location=location,
        foreign_location=server.new_location("Someone else"),
        token=token,
        transactions_only_token=transactions_only_token,
        ids=create_orders(server, location, _orders()),
    )


async def test_list_all_with_float_paging_and_default_version(world: World) -> None:
    async with world.connect() as sdk:
        result = await sdk.payments.list_orders(alt_id=world.location, limit=20.0, offset=0.0)
        page = await sdk.payments.list_orders(alt_id=world.location, limit=2.0, offset=2.0)
        sent = list(sdk.sent)

    assert result["totalCount"] == 5
    assert order_ids(result) == world.expected(*NEWEST_FIRST)
    assert page["totalCount"] == 5
    assert order_ids(page) == world.expected(*NEWEST_FIRST)[2:4]
    for order in result["data"]:
        assert order["altId"] == world.location
        assert order["altType"] == "location"

    assert sent[0].headers["Version"] == "v3"
    assert sent[0].url.params["limit"] == "20.0"
    assert sent[0].url.params["offset"] == "0.0"
    assert sent[1].url.query.decode().endswith("limit=2.0&offset=2.0")


async def test_list_amounts_are_major_units(world: World) -> None:
    async with world.connect() as sdk:
        result = await sdk.payments.list_orders(alt_id=world.location, limit=20.0)

    by_id = {order["_id"]: order for order in result["data"]}
    widget = by_id[world.ids["widget"]]
    assert (widget["amount"], widget["subtotal"], widget["currency"]) == (25, 25, "USD")
    assert (widget["status"], widget["paymentStatus"], widget["liveMode"]) == ("completed", "paid", True)
    assert widget["contactId"] == JANE
    assert widget["contactName"] == "Jane Doe"
    assert widget["contactEmail"] == "jane.doe@example.com"
    assert (widget["sourceType"], widget["sourceId"]) == ("funnel", FUNNEL_ID)
    assert widget["sourceSubType"] == "one_step_order_form"
    assert widget["createdAt"] == "2024-02-01T10:00:00.000Z"

    course = by_id[world.ids["course"]]
    assert (course["amount"], course["subtotal"]) == (123.55, 115.5)
    assert (course["paymentStatus"], course["liveMode"]) == ("partially_paid", False)
    assert (course["totalProducts"], course["onetimeProducts"], course["recurringProducts"]) == (2, 1, 1)

    bundle = by_id[world.ids["bundle"]]
    assert (bundle["amount"], bundle["subtotal"], bundle["discount"]) == (20, 22.49, 2.49)
    assert (bundle["status"], bundle["paymentStatus"]) == ("cancelled", "refunded")

    yen = by_id[world.ids["yen"]]
    assert (yen["amount"], yen["currency"]) == (1500, "JPY")
    assert "contactId" not in yen


FILTERS: list[tuple[str, dict[str, Any], tuple[str, ...]]] = [
    ("status", {"status": "completed"}, ("yen", "widget")),
    ("status-cancelled", {"status": "cancelled"}, ("bundle",)),
    ("payment-paid", {"payment_status": "paid"}, ("yen", "widget")),
    ("payment-unpaid", {"payment_status": "unpaid"}, ("poster",)),
    ("payment-partial", {"payment_status": "partially_paid"}, ("course",)),
    ("payment-refunded", {"payment_status": "refunded"}, ("bundle",)),
    ("mode-test", {"payment_mode": "test"}, ("course",)),
    ("mode-live", {"payment_mode": "live"}, ("yen", "bundle", "poster", "widget")),
    ("days", {"start_at": "2024-02-01", "end_at": "2024-02-10"}, ("course", "poster", "widget")),
    (
        "instants",
        {"start_at": "2024-02-05T12:00:00.000Z", "end_at": "2024-03-01T08:00:00.000Z"},
        ("bundle", "course", "poster"),
    ),
    ("search-punctuation", {"search": "Tom & Jerry, Ltd"}, ("bundle", "poster")),
    ("search-case", {"search": "jerry, LTD poster"}, ("bundle", "poster")),
    ("search-contact", {"search": "jane doe"}, ("course", "widget")),
    ("search-email", {"search": "jane.doe@example.com"}, ("course", "widget")),
    ("search-none", {"search": "no such order"}, ()),
    ("contact", {"contact_id": JANE}, ("course", "widget")),
    ("products", {"funnel_product_ids": f"{PROD_COURSE},{PROD_MATCHA}"}, ("yen", "course")),
    ("product", {"funnel_product_ids": PROD_POSTER}, ("bundle", "poster")),
    ("source", {"source_id": FUNNEL_ID}, ("course", "widget")),
    ("combined", {"contact_id": TOM, "payment_status": "unpaid"}, ("poster",)),
    (
        "combined-many",
        {"status": "completed", "payment_mode": "live", "start_at": "2024-03-01", "search": "matcha"},
        ("yen",),
    ),
]


@pytest.mark.parametrize(("filters", "keys"), [(f, k) for _, f, k in FILTERS], ids=[n for n, _, _ in FILTERS])
async def test_list_filters(world: World, filters: dict[str, Any], keys: tuple[str, ...]) -> None:
    async with world.connect() as sdk:
        result = await sdk.payments.list_orders(alt_id=world.location, limit=20.0, offset=0.0, **filters)

    assert order_ids(result) == world.expected(*keys)
    assert result["totalCount"] == len(keys)


async def test_query_is_encoded_the_httpx_way(world: World) -> None:
    """Spaces as `+`, `&` as `%26`, commas as `%2C`: the server must decode all of them."""
    async with world.connect() as sdk:
        result = await sdk.payments.list_orders(
            alt_id=world.location,
            search="Tom & Jerry, Ltd",
            funnel_product_ids=f"{PROD_WIDGET},{PROD_MATCHA}",
            limit=20.0,
        )
        query = sdk.sent[0].url.query.decode()

    assert "search=Tom+%26+Jerry%2C+Ltd" in query
    assert f"funnelProductIds={PROD_WIDGET}%2C{PROD_MATCHA}" in query
    assert order_ids(result) == world.expected("bundle")


async def test_get_order_by_id(world: World) -> None:
    async with world.connect() as sdk:
        order = await sdk.payments.get_order_by_id(order_id=world.ids["course"], alt_id=world.location)

    assert order["_id"] == world.ids["course"]
    assert (order["altId"], order["altType"]) == (world.location, "location")
    assert (order["currency"], order["amount"]) == ("USD", 123.55)
    assert order["amountSummary"]["subtotal"] == 115.5
    assert order["amountSummary"]["tax"] == 8.05
    assert (order["status"], order["liveMode"]) == ("processing", False)
    assert order["contactId"] == JANE
    assert order["contactSnapshot"]["firstName"] == "Jane"
    assert order["contactSnapshot"]["email"] == "jane.doe@example.com"
    assert order["source"] == {"type": "funnel", "id": FUNNEL_ID}
    assert order["createdAt"] == "2024-02-10T23:30:00.000Z"
    course, coaching = order["items"]
    assert (course["name"], course["qty"]) == ("Video course", 3)
    assert course["product"]["_id"] == PROD_COURSE
    assert (course["price"]["type"], course["price"]["amount"]) == ("one_time", 33.5)
    assert (coaching["price"]["type"], coaching["price"]["amount"]) == ("recurring", 15)
    assert coaching["price"]["recurring"] == {"interval": "month", "intervalCount": 1}


async def test_get_refunded_and_zero_decimal_orders(world: World) -> None:
    async with world.connect() as sdk:
        bundle = await sdk.payments.get_order_by_id(order_id=world.ids["bundle"], alt_id=world.location)
        yen = await sdk.payments.get_order_by_id(order_id=world.ids["yen"], alt_id=world.location)

    assert (bundle["amount"], bundle["amountSummary"]["discount"]) == (20, 2.49)
    assert bundle["contactSnapshot"]["lastName"] == "Jerry"
    assert (yen["currency"], yen["amount"], yen["items"][0]["price"]["amount"]) == ("JPY", 1500, 1500)


async def test_api_version_2021_07_28(world: World) -> None:
    async with world.connect(api_version="2021-07-28") as sdk:
        result = await sdk.payments.list_orders(alt_id=world.location, payment_status="paid", limit=20.0)
        order = await sdk.payments.get_order_by_id(order_id=world.ids["widget"], alt_id=world.location)
        versions = [request.headers["Version"] for request in sdk.sent]

    assert versions == ["2021-07-28", "2021-07-28"]
    assert order_ids(result) == world.expected("yen", "widget")
    assert (order["_id"], order["amount"]) == (world.ids["widget"], 25)


async def test_unpublished_api_version_is_401(world: World) -> None:
    async with world.connect(api_version="2020-01-01") as sdk:
        with pytest.raises(GHLError) as caught:
            await sdk.payments.list_orders(alt_id=world.location)

    assert caught.value.status_code == 401
    assert caught.value.message == "version header is invalid"


async def test_missing_order_is_404(world: World) -> None:
    async with world.connect() as sdk:
        with pytest.raises(GHLError) as caught:
            await sdk.payments.get_order_by_id(order_id=MISSING_ID, alt_id=world.location)

    assert caught.value.status_code == 404
    assert caught.value.message == "Order not found"
    assert caught.value.response["message"] == "Order not found"


async def test_another_locations_order_is_404(world: World) -> None:
    """An order id that exists elsewhere must not leak: same answer as a missing one."""
    other = world.server.create_order(world.foreign_location, _orders()["widget"])
    async with world.connect() as sdk:
        with pytest.raises(GHLError) as caught:
            await sdk.payments.get_order_by_id(order_id=other["id"], alt_id=world.location)

    assert caught.value.status_code == 404


async def test_malformed_order_id_is_422(world: World) -> None:
    async with world.connect() as sdk:
        with pytest.raises(GHLError) as caught:
            await sdk.payments.get_order_by_id(order_id="not-an-order", alt_id=world.location)

    assert caught.value.status_code == 422
    assert caught.value.message == ", ".join(caught.value.response["message"])
    assert "orderId" in caught.value.message


async def test_bad_token_is_401(world: World) -> None:
    async with world.connect(UNKNOWN_TOKEN) as sdk:
        with pytest.raises(GHLError) as caught:
            await sdk.payments.list_orders(alt_id=world.location)

    assert caught.value.status_code == 401
    assert caught.value.message == "Invalid Private Integration token"


async def test_token_without_the_scope_is_401(world: World) -> None:
    async with world.connect(world.transactions_only_token) as sdk:
        with pytest.raises(GHLError) as caught:
            await sdk.payments.get_order_by_id(order_id=world.ids["widget"], alt_id=world.location)

    assert caught.value.status_code == 401
    assert caught.value.message == "The token is not authorized for this scope."


@pytest.mark.parametrize("via", ["alt_id", "location_id"])
async def test_foreign_location_is_401(world: World, via: str) -> None:
    names = {"alt_id": world.location, via: world.foreign_location}
    async with world.connect() as sdk:
        with pytest.raises(GHLError) as listing:
            await sdk.payments.list_orders(**names)
        with pytest.raises(GHLError) as getting:
            await sdk.payments.get_order_by_id(order_id=world.ids["widget"], **names)

    for caught in (listing, getting):
        assert caught.value.status_code == 401
        assert caught.value.message == "This location is not accessible from this token!"


async def test_bad_filters_are_422_with_every_message(world: World) -> None:
    async with world.connect() as sdk:
        with pytest.raises(GHLError) as single:
            await sdk.payments.list_orders(alt_id=world.location, status="shipped")
        with pytest.raises(GHLError) as several:
            await sdk.payments.list_orders(
                alt_id=world.location, status="shipped", payment_status="free", limit=20.5
            )

    assert single.value.status_code == 422
    assert single.value.response["error"] == "Unprocessable Entity"
    assert single.value.response["message"] == [
        "status must be one of the following values: pending, processing, completed, cancelled, failed"
    ]
    assert single.value.message == single.value.response["message"][0]

    assert several.value.status_code == 422
    messages = several.value.response["message"]
    assert len(messages) == 3
    assert any(m.startswith("status ") for m in messages)
    assert any(m.startswith("paymentStatus ") for m in messages)
    assert any(m.startswith("limit ") for m in messages)
    assert several.value.message == ", ".join(messages)
