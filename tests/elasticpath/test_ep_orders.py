"""Reading orders: one order in either id form, its items, the list with paging, sorting and errors."""

from __future__ import annotations

import string
import uuid
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ordergate.elasticpath import ids
from tests.elasticpath.conftest import SEEDED_ORDERS
from tests.elasticpath.ep_support import ORDERS, Shop, error

PRICE_KEYS = {
    "with_tax",
    "without_tax",
    "tax",
    "discount",
    "balance_owing",
    "paid",
    "authorized",
    "without_discount",
    "shipping",
    "shipping_discount",
}
SHIPPING_KEYS = {
    "first_name", "last_name", "phone_number", "company_name", "line_1", "line_2", "city", "postcode",
    "county", "region", "country", "instructions",
}  # fmt: skip


def test_an_order_has_the_documented_shape(shop: Shop) -> None:
    for order in shop.all_orders():
        assert order["type"] == "order"
        assert uuid.UUID(order["id"]).version == 8
        assert order["status"] in {"incomplete", "processing", "complete", "cancelled"}
        assert order["payment"] in {"unpaid", "paid", "partially_paid", "refunded"}
        assert order["shipping"] in {"unfulfilled", "fulfilled"}
        assert order["anonymized"] is False
        assert order["links"] == {}
        prices = order["meta"]["display_price"]
        assert set(prices) == PRICE_KEYS
        currency = prices["with_tax"]["currency"]
        for key, price in prices.items():
            assert set(price) == {"amount", "currency", "formatted"}
            assert isinstance(price["amount"], int)
            assert price["currency"] == currency
            if key in ("discount", "shipping_discount"):
                assert price["amount"] <= 0
            else:
                assert price["amount"] >= 0
        assert prices["with_tax"]["amount"] == prices["without_tax"]["amount"] + prices["tax"]["amount"]
        assert prices["balance_owing"]["amount"] == max(
            prices["with_tax"]["amount"] - prices["paid"]["amount"] - prices["authorized"]["amount"], 0
        )
        assert set(order["shipping_address"]) == SHIPPING_KEYS
        assert set(order["billing_address"]) == SHIPPING_KEYS - {"phone_number", "instructions"}
        stamps = order["meta"]["timestamps"]
        assert stamps["created_at"].endswith("Z")
        assert ("fully_paid_at" in stamps) == (order["payment"] == "paid")
        assert [ref["type"] for ref in order["relationships"]["items"]["data"]] == ["item"] * len(
            order["items"]
        )


def test_seeded_orders_cover_every_wire_state(shop: Shop) -> None:
    orders = shop.all_orders()
    assert len(orders) == SEEDED_ORDERS
    assert {o["status"] for o in orders} == {"incomplete", "processing", "complete", "cancelled"}
    assert {o["payment"] for o in orders} == {"unpaid", "paid", "partially_paid", "refunded"}
    assert {o["shipping"] for o in orders} == {"unfulfilled", "fulfilled"}


def test_get_by_either_id_form(shop: Shop) -> None:
    order = shop.all_orders()[0]
    by_uuid = shop.ok(f"{ORDERS}/{order['id']}")
    object_id = ids.from_uuid(order["id"])
    assert object_id is not None
    assert shop.ok(f"{ORDERS}/{object_id}") == by_uuid
    assert shop.ok(f"{ORDERS}/{order['id'].upper()}") == by_uuid
    assert shop.ok(f"{ORDERS}/{object_id.upper()}") == by_uuid
    assert set(by_uuid) == {"data"}
    expected = {k: v for k, v in order.items() if k != "items"}
    assert by_uuid["data"] == expected


@pytest.mark.parametrize(
    "order_id",
    [
        "0123456789abcdef01234567",
        "01234567-89ab-8cde-8f01-234567000000",
        str(uuid.UUID(int=1, version=4)),
        "not-an-order",
        "%00",
        "anonymize",
    ],
)
def test_unknown_orders_are_404(shop: Shop, order_id: str) -> None:
    for path in ("", "/items", "/transactions"):
        item = error(shop.get(f"{ORDERS}/{order_id}{path}"), 404)
        assert item == {"status": 404, "title": "Not Found", "detail": "Order not found"}


def test_include_items(shop: Shop) -> None:
    order = shop.all_orders()[3]
    body = shop.ok(f"{ORDERS}/{order['id']}", {"include": "items"})
    assert set(body) == {"data", "included"}
    assert body["included"] == {"items": order["items"]}
    assert body["included"]["items"] == shop.ok(f"{ORDERS}/{order['id']}/items")["data"]
    refs = [ref["id"] for ref in body["data"]["relationships"]["items"]["data"]]
    assert refs == [item["id"] for item in body["included"]["items"]]
    everything = shop.ok(f"{ORDERS}/{order['id']}", {"include": "items,tax_items,customer,promotions"})
    assert everything["included"] == {"items": order["items"], "tax_items": [], "promotions": []}


def test_items_have_the_documented_shape(shop: Shop) -> None:
    for order in shop.all_orders():
        for item in order["items"]:
            assert item["type"] == "order_item"
            currency = order["meta"]["display_price"]["with_tax"]["currency"]
            assert item["unit_price"] == {
                "amount": item["unit_price"]["amount"],
                "currency": currency,
                "includes_tax": False,
            }
            assert item["value"]["amount"] == item["unit_price"]["amount"] * item["quantity"]
            shown = item["meta"]["display_price"]
            assert set(shown) == {"with_tax", "without_tax", "tax", "discount", "without_discount"}
            assert shown["without_discount"]["value"]["amount"] >= shown["with_tax"]["value"]["amount"]


# --- the list ---------------------------------------------------------------------------------------------


def _offset(link: str | None) -> int | None:
    if link is None:
        return None
    return int(parse_qs(urlsplit(link).query)["page[offset]"][0])


def test_default_page_is_twenty_newest_updates_first(shop: Shop) -> None:
    page = shop.ok(ORDERS)
    everything = shop.all_orders()
    assert [o["id"] for o in page["data"]] == [o["id"] for o in everything[:20]]
    stamps = [o["meta"]["timestamps"]["updated_at"] for o in everything]
    assert stamps == sorted(stamps, reverse=True)
    assert page["meta"] == {
        "page": {"limit": 20, "offset": 0, "current": 1, "total": 4},
        "results": {"total": SEEDED_ORDERS},
    }


def test_links_are_absolute_and_echo_the_query(shop: Shop, http: httpx.Client) -> None:
    page = shop.ok(ORDERS, {"page[limit]": "30", "page[offset]": "30", "filter": "gt(with_tax,0)"})
    links = page["links"]
    assert set(links) == {"current", "first", "last", "prev", "next"}
    base = f"{http.base_url}".rstrip("/") + ORDERS
    assert links["current"] == f"{base}?page[offset]=30&page[limit]=30&filter=gt(with_tax,0)"
    assert _offset(links["first"]) == 0
    assert _offset(links["prev"]) == 0
    assert _offset(links["next"]) == 60
    assert _offset(links["last"]) == 60
    assert page["meta"]["page"] == {"limit": 30, "offset": 30, "current": 2, "total": 3}
    follow = http.get(links["next"], headers=shop.headers)
    assert follow.status_code == 200
    assert follow.json()["meta"]["page"]["offset"] == 60


def test_links_on_one_page_and_with_a_sort(shop: Shop) -> None:
    page = shop.ok(ORDERS, {"page[limit]": "100", "sort": "-created_at"})
    links = page["links"]
    assert links["prev"] is None
    assert links["next"] is None
    assert links["last"] is None
    assert links["first"].endswith("?page[offset]=0&page[limit]=100&filter=&sort=-created_at")


def test_empty_results_still_have_the_envelope(shop: Shop) -> None:
    page = shop.ok(ORDERS, {"filter": "eq(payment,authorized)"})
    assert page["data"] == []
    assert page["meta"] == {
        "page": {"limit": 20, "offset": 0, "current": 1, "total": 0},
        "results": {"total": 0},
    }
    assert page["links"]["next"] is None
    assert page["links"]["current"].endswith("filter=eq(payment,authorized)")


def test_walking_every_page_sees_every_order_once(shop: Shop) -> None:
    seen: list[str] = []
    offset = 0
    while True:
        page = shop.ok(ORDERS, {"page[limit]": "7", "page[offset]": str(offset), "sort": "created_at"})
        seen.extend(o["id"] for o in page["data"])
        if page["links"]["next"] is None:
            break
        offset = _offset(page["links"]["next"]) or 0
    assert len(seen) == SEEDED_ORDERS
    assert set(seen) == {o["id"] for o in shop.all_orders()}


def test_past_the_end_is_an_empty_page(shop: Shop) -> None:
    page = shop.ok(ORDERS, {"page[offset]": "10000"})
    assert page["data"] == []
    assert page["meta"]["results"]["total"] == SEEDED_ORDERS
    assert page["meta"]["page"]["current"] == 501


def _sort_key(order: dict[str, Any], field: str) -> Any:
    if field in ("created_at", "updated_at"):
        return order["meta"]["timestamps"][field]
    if field == "with_tax":
        return order["meta"]["display_price"]["with_tax"]["amount"]
    return order[field]


@pytest.mark.parametrize("field", ["created_at", "updated_at", "payment", "shipping", "status", "with_tax"])
@pytest.mark.parametrize("descending", [False, True])
def test_sorts(shop: Shop, field: str, descending: bool) -> None:
    sort = f"-{field}" if descending else field
    page = shop.ok(ORDERS, {"page[limit]": "100", "sort": sort})
    keys = [_sort_key(o, field) for o in page["data"]]
    assert keys == sorted(keys, reverse=descending)
    assert len(keys) == SEEDED_ORDERS


def test_the_sdk_query_as_it_arrives(shop: Shop) -> None:
    """Brackets, parentheses, commas and colons raw, as the SDK sends them."""
    raw = "sort=-created_at&page[limit]=10&page[offset]=5&filter=eq(status,complete):eq(payment,paid)"
    page = shop.ok(ORDERS, raw=raw)
    expected = [
        o
        for o in sorted(shop.all_orders(), key=lambda o: (o["meta"]["timestamps"]["created_at"], o["id"]))[
            ::-1
        ]
        if o["status"] == "complete" and o["payment"] == "paid"
    ]
    assert [o["id"] for o in page["data"]] == [o["id"] for o in expected[5:15]]
    assert page["meta"]["results"]["total"] == len(expected)


def test_plus_is_a_space(shop: Shop) -> None:
    order = next(o for o in shop.all_orders() if "customer" in o and " " in o["customer"]["name"])
    first, last = order["customer"]["name"].split(" ", 1)
    page = shop.ok(ORDERS, raw=f"filter=eq(name,{first}+{last})&page[limit]=100")
    assert order["id"] in [o["id"] for o in page["data"]]


# --- errors -------------------------------------------------------------------------------------------------

BAD_FILTER = {
    "status": 400,
    "title": "Bad Request",
    "detail": "Could not parse the supplied filter",
    "source": "filter",
}


@pytest.mark.parametrize(
    "raw",
    [
        "filter=eq(status,complete",
        "filter=eq(status)",
        "filter=eq(status,paid)",
        "filter=like(status,comp*)",
        "filter=eq(colour,red)",
        "filter=is_null(external_ref)",
        "filter=(eq(status,complete)|eq(payment,paid))",
        "filter=eq(name,a%00b)",
        "filter=gt(created_at,yesterday)",
        "filter=gt(with_tax,1.5)",
        "filter=eq(name,Rock&Roll)",
        "filter=eq(name,Rock",  # `#Roll)` never left the client
        "filter=eq(name,%FF%FE)x",
    ],
)
def test_bad_filters_are_400_with_the_documented_detail(shop: Shop, raw: str) -> None:
    item = error(shop.get(ORDERS, raw=raw), 400)
    assert {k: v for k, v in item.items() if k != "meta"} == BAD_FILTER
    assert item["meta"]["reason"]


def test_a_raw_ampersand_is_explained(shop: Shop) -> None:
    item = error(shop.get(ORDERS, raw="filter=eq(name,Rock&Roll)"), 400)
    assert "%26" in item["meta"]["reason"]


@pytest.mark.parametrize(
    ("raw", "source"),
    [
        ("page[limit]=0", "page[limit]"),
        ("page[limit]=101", "page[limit]"),
        ("page[limit]=x", "page[limit]"),
        ("page[offset]=-1", "page[offset]"),
        ("page[offset]=10001", "page[offset]"),
        ("sort=name", "sort"),
        ("sort=-", "sort"),
    ],
)
def test_bad_paging_and_sorting_are_400(shop: Shop, raw: str, source: str) -> None:
    assert error(shop.get(ORDERS, raw=raw), 400)["source"] == source


def test_unknown_parameters_are_ignored(shop: Shop) -> None:
    assert (
        shop.ok(ORDERS, raw="colour=red&page[total_method]=exact")["meta"]["results"]["total"]
        == SEEDED_ORDERS
    )


# --- fuzzing: whatever arrives, the answer is a 200 or a 400, in Elastic Path's shape ---------------------

FUZZ = settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
RAW_CHARS = string.ascii_letters + string.digits + "%&=+,;[]._-~!$'()*:@/?\"\\|# "
KEYS = st.sampled_from(["filter", "sort", "page[limit]", "page[offset]", "include", "x"])


@FUZZ
@given(raw=st.text(alphabet=RAW_CHARS, max_size=80))
def test_fuzz_raw_query(shop: Shop, raw: str) -> None:
    response = shop.get(ORDERS, raw=quote(raw, safe=RAW_CHARS.replace("#", "").replace(" ", "")))
    assert response.status_code in (200, 400), response.text
    assert set(response.json()) in ({"data", "links", "meta"}, {"errors"})


@FUZZ
@given(pairs=st.lists(st.tuples(KEYS, st.text(max_size=40)), max_size=4))
def test_fuzz_decoded_parameters(shop: Shop, pairs: list[tuple[str, str]]) -> None:
    response = shop.get(ORDERS, raw=urlencode(pairs, quote_via=quote))
    assert response.status_code in (200, 400), response.text
    if response.status_code == 400:
        error(response, 400)


@pytest.mark.parametrize("path", ["/v2/carts", "/v2/orders/x/y/z", "/oauth/revoke", "/v2"])
def test_an_unknown_elastic_path_route_answers_in_elastic_paths_envelope(shop: Shop, path: str) -> None:
    response = shop.http.get(path, headers=shop.headers)
    assert response.status_code == 404
    assert response.json() == {
        "errors": [{"status": 404, "title": "Not Found", "detail": f"No route for GET {path}"}]
    }
