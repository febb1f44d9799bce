"""The official Elastic Path SDK (`@elasticpath/js-sdk`, pinned in tests/sdk/ep) against a real server.

`tests/sdk/ep/client.js` builds `gateway({client_id, client_secret, host, protocol: 'http'})` with an
in-memory token store and runs a list of SDK calls, printing one JSON line per call (what the promise
resolved to, or `{"error": <rejection>}`). A recording `custom_fetch` shows what went on the wire.

Needs `node` and `npm ci` in tests/sdk/ep (`make install` does it); without them these tests are
skipped, or fail under ORDERGATE_TEST_STRICT=1.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from ordergate.elasticpath import ids
from tests.conftest import Server
from tests.elasticpath.ep_support import ORDERS, Shop
from tests.sdk.sdk_support import EP, MISSING_ID


@dataclass
class Sdk:
    node: str
    server: Server
    shop: Shop

    def run(self, calls: list[dict[str, Any]], *, secret: bool = True) -> list[Any]:
        job = {
            "host": urlsplit(self.server.base_url).netloc,
            "client_id": self.shop.client_id,
            "client_secret": self.shop.secret if secret else None,
            "calls": calls,
        }
        return EP.run(self.node, job)

    def one(self, call: dict[str, Any], **options: Any) -> Any:
        return self.run([call], **options)[0]


@pytest.fixture(scope="module")
def http(server: Server) -> Any:
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def sdk(server: Server, http: httpx.Client) -> Sdk:
    node = EP.node()
    (location,) = server.seed(1, 45, 9)
    return Sdk(node, server, Shop.open(server, http, location))


def test_the_pinned_sdk_is_installed(sdk: Sdk) -> None:
    assert json.loads(EP.package_json.read_text())["version"] == EP.version


def _newest_created_first(orders: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(orders, key=lambda o: (o["meta"]["timestamps"]["created_at"], o["id"]), reverse=True)


def test_authenticate_and_list(sdk: Sdk) -> None:
    token, page, sent = sdk.run([{"call": "Authenticate"}, {"call": "Orders.All"}, {"call": "sent"}])
    assert token["identifier"] == "client_credentials"
    assert token["expires_in"] == 3600
    assert [o["id"] for o in page["data"]] == [o["id"] for o in sdk.shop.all_orders()[:20]]
    assert page["meta"]["results"]["total"] == 45
    assert [(r["method"], urlsplit(r["url"]).path) for r in sent] == [
        ("POST", "/oauth/access_token"),
        ("GET", "/v2/orders"),
    ]


def test_filter_limit_offset_sort(sdk: Sdk) -> None:
    call = {
        "call": "Orders.All",
        "filter": {"eq": {"status": "complete", "payment": "paid"}},
        "limit": 5,
        "offset": 2,
        "sort": "-created_at",
    }
    page, sent = sdk.run([call, {"call": "sent"}])
    assert sent[-1]["url"].endswith(
        "/v2/orders?sort=-created_at&page[limit]=5&page[offset]=2&filter=eq(status,complete):eq(payment,paid)"
    )
    expected = [
        o
        for o in _newest_created_first(sdk.shop.all_orders())
        if (o["status"], o["payment"]) == ("complete", "paid")
    ]
    assert [o["id"] for o in page["data"]] == [o["id"] for o in expected[2:7]]
    assert page["meta"]["results"]["total"] == len(expected)
    assert page["meta"]["page"] == {"limit": 5, "offset": 2, "current": 1, "total": -(-len(expected) // 5)}


def test_like_in_and_date_filters(sdk: Sdk) -> None:
    orders = sdk.shop.all_orders()
    email = next(o["customer"]["email"] for o in orders if "customer" in o)
    domain = email.split("@")[1]
    since = sorted(o["meta"]["timestamps"]["created_at"] for o in orders)[20][:10]
    like, within = sdk.run(
        [
            {"call": "Orders.All", "filter": {"like": {"email": f"*@{domain}"}}, "limit": 100},
            {
                "call": "Orders.All",
                "filter": {"in": {"currency": ["USD", "EUR"]}, "ge": {"created_at": since}},
                "limit": 100,
            },
        ]
    )
    assert {o["id"] for o in like["data"]} == {
        o["id"] for o in orders if "customer" in o and o["customer"]["email"].endswith(f"@{domain}")
    }
    assert {o["id"] for o in within["data"]} == {
        o["id"]
        for o in orders
        if o["meta"]["display_price"]["with_tax"]["currency"] in ("USD", "EUR")
        and o["meta"]["timestamps"]["created_at"][:10] >= since
    }


def test_contact_filters_from_nested_objects(sdk: Sdk) -> None:
    order = next(o for o in sdk.shop.all_orders() if "contact" in o)
    page = sdk.one(
        {"call": "Orders.All", "filter": {"eq": {"contact": {"email": order["contact"]["email"]}}}}
    )
    assert order["id"] in [o["id"] for o in page["data"]]


def test_get_with_items_and_items(sdk: Sdk) -> None:
    order = sdk.shop.all_orders()[4]
    plain, with_items, items = sdk.run(
        [
            {"call": "Orders.Get", "id": order["id"]},
            {"call": "Orders.Get", "id": order["id"], "with": "items"},
            {"call": "Orders.Items", "id": order["id"]},
        ]
    )
    assert plain == sdk.shop.ok(f"{ORDERS}/{order['id']}")
    assert with_items["data"] == plain["data"]
    assert with_items["included"]["items"] == order["items"]
    assert items == {"data": order["items"]}


def test_get_by_object_id_too(sdk: Sdk) -> None:
    order = sdk.shop.all_orders()[0]
    found = sdk.one({"call": "Orders.Get", "id": ids.from_uuid(order["id"])})
    assert found["data"]["id"] == order["id"]


def test_unknown_order_rejects_with_the_error_body(sdk: Sdk) -> None:
    result = sdk.one({"call": "Orders.Get", "id": MISSING_ID})
    assert result == {
        "error": {"errors": [{"status": 404, "title": "Not Found", "detail": "Order not found"}]}
    }


def test_update_ship_and_refusal(sdk: Sdk) -> None:
    paid = next(o for o in sdk.shop.all_orders() if o["payment"] == "paid" and o["shipping"] == "unfulfilled")
    unpaid = next(
        o for o in sdk.shop.all_orders() if o["payment"] == "unpaid" and o["status"] == "incomplete"
    )
    shipped, refused, numbered = sdk.run(
        [
            {"call": "Orders.Update", "id": paid["id"], "body": {"shipping": "fulfilled"}},
            {"call": "Orders.Update", "id": unpaid["id"], "body": {"shipping": "fulfilled"}},
            {
                "call": "Orders.Update",
                "id": unpaid["id"],
                "body": {"order_number": "SDK-1", "external_ref": "x"},
            },
        ]
    )
    assert shipped["data"]["shipping"] == "fulfilled"
    assert refused["error"]["errors"][0]["status"] == 422
    assert (numbered["data"]["order_number"], numbered["data"]["external_ref"]) == ("SDK-1", "x")
    assert sdk.shop.ok(f"{ORDERS}/{paid['id']}")["data"]["shipping"] == "fulfilled"


def test_anonymize(sdk: Sdk) -> None:
    done = next(o for o in sdk.shop.all_orders() if o["status"] == "cancelled" and "customer" in o)
    result = sdk.one({"call": "Orders.anonymize", "body": {"order_ids": [done["id"]]}})
    (order,) = result["data"]
    assert order["id"] == done["id"]
    assert order["anonymized"] is True
    assert order["customer"]["email"] == "**"


def test_transactions(sdk: Sdk) -> None:
    order = next(o for o in sdk.shop.all_orders() if o["payment"] == "paid")
    listed = sdk.one({"call": "Transactions.All", "order": order["id"]})
    (transaction,) = listed["data"]
    assert transaction["amount"] == order["meta"]["display_price"]["paid"]["amount"]
    one = sdk.one({"call": "Transactions.Get", "order": order["id"], "transaction": transaction["id"]})
    assert one == {"data": transaction}


def test_a_rejected_token_is_renewed_and_the_call_retried(sdk: Sdk) -> None:
    first, _, page, sent = sdk.run(
        [
            {"call": "Orders.All", "limit": 1},
            {"call": "corruptToken"},
            {"call": "Orders.All", "limit": 1},
            {"call": "sent"},
        ]
    )
    assert page["data"] == first["data"]
    assert [(r["method"], urlsplit(r["url"]).path) for r in sent] == [
        ("POST", "/oauth/access_token"),
        ("GET", "/v2/orders"),
        ("GET", "/v2/orders"),  # answered 401
        ("POST", "/oauth/access_token"),
        ("GET", "/v2/orders"),
    ]


def test_an_implicit_client_is_refused_at_once(sdk: Sdk) -> None:
    result, sent = sdk.run([{"call": "Orders.All"}, {"call": "sent"}], secret=False)
    assert result["error"]["errors"][0]["status"] == 403
    assert [r["method"] for r in sent] == ["POST", "GET"]  # a 403 is not retried


def test_a_raw_ampersand_in_a_filter_is_a_clear_400(sdk: Sdk) -> None:
    result = sdk.one({"call": "Orders.All", "filter": {"eq": {"name": "Rock & Roll"}}})
    (item,) = result["error"]["errors"]
    assert item["status"] == 400
    assert item["detail"] == "Could not parse the supplied filter"
    assert "%26" in item["meta"]["reason"]
