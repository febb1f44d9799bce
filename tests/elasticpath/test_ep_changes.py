"""Changing orders through Elastic Path (PUT, anonymize), their transactions, and the same changes seen
through HighLevel and the admin API, and the other way round."""

from __future__ import annotations

import itertools
import json
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ordergate.elasticpath import ids
from tests.conftest import Server
from tests.elasticpath.ep_support import ORDERS, Shop, error

HL = {"Version": "2021-07-28"}
ADDRESS = {
    "first_name": "Ana",
    "last_name": "Lima",
    "line_1": "1 Sunny Street",
    "city": "Lisbon",
    "postcode": "1100-001",
    "country": "PT",
    "instructions": "Ring twice",
}
_serial = itertools.count(1)


@pytest.fixture(scope="module")
def store_front(server: Server, http: httpx.Client) -> Shop:
    return Shop.open(server, http, server.new_location("Changes"))


@pytest.fixture(scope="module")
def pit(server: Server, store_front: Shop) -> str:
    return server.new_token(store_front.location)


def make(shop: Shop, *, paid: bool = False, shipped: bool = False, **extra: Any) -> tuple[str, str]:
    """A new order for two mugs (2 x 12.00 USD) and a book (19.90); returns (ObjectId, UUID)."""
    serial = next(_serial)
    items = [
        {
            "name": "Mug",
            "quantity": 2,
            "fulfilled_quantity": 2 if shipped else 0,
            "product": {"id": f"{serial:08x}aaaaaaaaaaaaaaa1", "name": "Mug", "sku": "MUG-1"},
            "price": {
                "id": f"{serial:08x}bbbbbbbbbbbbbbb1",
                "name": "Std",
                "type": "one_time",
                "amount": 1200,
            },
        },
        {
            "name": "Book",
            "quantity": 1,
            "fulfilled_quantity": 1 if shipped else 0,
            "product": {"id": f"{serial:08x}aaaaaaaaaaaaaaa2", "name": "Book"},
            "price": {
                "id": f"{serial:08x}bbbbbbbbbbbbbbb2",
                "name": "Std",
                "type": "one_time",
                "amount": 1990,
            },
        },
    ]
    body: dict[str, Any] = {
        "items": items,
        "status": "completed" if paid else "pending",
        "amount_paid": 4390 if paid else 0,
        "contact": {
            "id": f"Contact{serial:013d}",
            "first_name": "Ana",
            "last_name": "Lima",
            "email": f"ana{serial}@example.com",
        },
        "shipping_address": ADDRESS,
        "billing_address": {k: v for k, v in ADDRESS.items() if k != "instructions"},
        **extra,
    }
    made = shop.server.create_order(shop.location, body)
    return str(made["id"]), ids.to_uuid(str(made["id"]))


def highlevel(shop: Shop, pit: str, object_id: str) -> dict[str, Any]:
    response = shop.http.get(
        f"/payments/orders/{object_id}",
        params={"altId": shop.location},
        headers={**HL, "Authorization": f"Bearer {pit}"},
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def updated(shop: Shop, order_id: str, data: dict[str, Any]) -> dict[str, Any]:
    response = shop.put(order_id, {"type": "order", **data})
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"data"}
    body: dict[str, Any] = response.json()["data"]
    assert body == shop.ok(f"{ORDERS}/{order_id}")["data"]
    return body


# --- PUT /v2/orders/:id -------------------------------------------------------------------------------------


def test_ship_a_paid_order(store_front: Shop, pit: str) -> None:
    object_id, order_id = make(store_front, paid=True)
    order = updated(store_front, order_id, {"shipping": "fulfilled"})
    assert (order["status"], order["payment"], order["shipping"]) == ("complete", "paid", "fulfilled")
    seen = highlevel(store_front, pit, object_id)
    assert seen["fulfillmentStatus"] == "fulfilled"
    fulfillments = store_front.http.get(
        f"/payments/orders/{object_id}/fulfillments",
        params={"altId": store_front.location, "altType": "location"},
        headers={**HL, "Authorization": f"Bearer {pit}"},
    )
    assert fulfillments.status_code == 200, fulfillments.text
    assert sum(i["qty"] for f in fulfillments.json()["data"] for i in f["items"]) == 3
    assert (
        updated(store_front, order_id, {"shipping": "fulfilled"})["shipping"] == "fulfilled"
    )  # again: no-op


def test_an_unpaid_order_cannot_be_shipped(store_front: Shop) -> None:
    _, order_id = make(store_front)
    item = error(store_front.put(order_id, {"type": "order", "shipping": "fulfilled"}), 422)
    assert item["detail"] == "Order cannot be updated in its current state"
    assert item["meta"]["order_id"] == order_id
    assert store_front.ok(f"{ORDERS}/{order_id}")["data"]["shipping"] == "unfulfilled"


def test_cancel_an_unfulfilled_order(store_front: Shop, pit: str) -> None:
    object_id, order_id = make(store_front, paid=True)
    order = updated(store_front, order_id, {"status": "cancelled"})
    assert (order["status"], order["payment"]) == ("cancelled", "paid")  # cancelling does not refund
    assert highlevel(store_front, pit, object_id)["status"] == "cancelled"
    error(store_front.put(order_id, {"type": "order", "status": "cancelled"}), 422)  # already cancelled


def test_a_fulfilled_order_cannot_be_cancelled_or_readdressed(store_front: Shop) -> None:
    _, order_id = make(store_front, paid=True, shipped=True)
    error(store_front.put(order_id, {"type": "order", "status": "cancelled"}), 422)
    error(store_front.put(order_id, {"type": "order", "shipping_address": {"city": "Porto"}}), 422)
    assert store_front.ok(f"{ORDERS}/{order_id}")["data"]["status"] == "complete"


def test_partial_shipping_address_update(store_front: Shop) -> None:
    _, order_id = make(store_front)
    order = updated(
        store_front, order_id, {"shipping_address": {"first_name": "Ann", "postcode": "4000-001"}}
    )
    assert order["shipping_address"] == {
        **dict.fromkeys(order["shipping_address"], ""),
        **ADDRESS,
        "first_name": "Ann",
        "postcode": "4000-001",
    }
    found = store_front.ok(ORDERS, {"filter": "eq(shipping_postcode,4000-001)"})["data"]
    assert [o["id"] for o in found] == [order_id]


def test_order_number_and_external_ref_set_and_cleared(store_front: Shop) -> None:
    _, order_id = make(store_front)
    order = updated(store_front, order_id, {"order_number": "INV-77", "external_ref": "ERP 0042"})
    assert (order["order_number"], order["external_ref"]) == ("INV-77", "ERP 0042")
    found = store_front.ok(ORDERS, {"filter": "eq(order_number,inv-77):like(external_ref,erp*)"})["data"]
    assert [o["id"] for o in found] == [order_id]
    order = updated(store_front, order_id, {"order_number": "", "external_ref": ""})
    assert "order_number" not in order
    assert "external_ref" not in order
    assert store_front.ok(ORDERS, {"filter": "eq(order_number,inv-77)"})["data"] == []


def test_a_change_is_all_or_nothing(store_front: Shop) -> None:
    _, order_id = make(store_front)
    error(store_front.put(order_id, {"type": "order", "order_number": "N-1", "shipping": "fulfilled"}), 422)
    assert "order_number" not in store_front.ok(f"{ORDERS}/{order_id}")["data"]


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"type": "order", "status": "complete"}, 422),
        ({"type": "order", "status": "incomplete"}, 422),
        ({"type": "order", "shipping": "unfulfilled"}, 422),
        ({"type": "order", "payment": "paid"}, 422),
        ({"type": "order", "customer": {"name": "X"}}, 422),
        ({"type": "order", "shipping_address": {"planet": "Mars"}}, 422),
        ({"type": "order", "shipping_address": "Mars"}, 400),
        ({"type": "order", "shipping_address": {"city": 7}}, 400),
        ({"type": "order", "order_number": 7}, 400),
        ({"type": "order", "external_ref": "x" * 65}, 400),
        ({"type": "order", "external_ref": "a\x00b"}, 400),
        ({"type": "cart", "status": "cancelled"}, 400),
        ({"status": "cancelled"}, 400),
    ],
)
def test_refused_changes(store_front: Shop, data: dict[str, Any], status: int) -> None:
    _, order_id = make(store_front)
    before = store_front.ok(f"{ORDERS}/{order_id}")
    error(store_front.put(order_id, data), status)
    assert store_front.ok(f"{ORDERS}/{order_id}") == before


@pytest.mark.parametrize("body", [b"", b"not json", b"[]", b'{"data": 1}', b'{"nodata": {}}'])
def test_malformed_bodies_are_400(store_front: Shop, body: bytes) -> None:
    _, order_id = make(store_front)
    response = store_front.http.put(f"{ORDERS}/{order_id}", content=body, headers=store_front.headers)
    error(response, 400)


def test_put_on_an_unknown_order_is_404(store_front: Shop) -> None:
    error(store_front.put("0123456789abcdef01234567", {"type": "order", "status": "cancelled"}), 404)


# --- anonymize ----------------------------------------------------------------------------------------------


def test_anonymize_masks_personal_data_everywhere(store_front: Shop, pit: str) -> None:
    shipped_id, shipped = make(store_front, paid=True, shipped=True)
    cancelled_id, cancelled = make(store_front, status="cancelled")
    response = store_front.anonymize([shipped, cancelled_id])
    assert response.status_code == 200, response.text
    orders = response.json()["data"]
    assert [o["id"] for o in orders] == [shipped, cancelled]
    for order in orders:
        assert order["anonymized"] is True
        assert order["customer"]["name"] == "**"
        assert order["customer"]["email"] == "**"
        assert order["contact"] == {"name": "**", "email": "**"}
        assert order["shipping_address"]["line_1"] == "**"
        assert order["shipping_address"]["county"] == ""  # was empty: nothing to hide
        assert order["shipping_address"]["instructions"] == ""
        assert order["billing_address"]["postcode"] == "**"
        assert store_front.ok(f"{ORDERS}/{order['id']}")["data"] == order
    seen = highlevel(store_front, pit, shipped_id)
    assert seen["contactSnapshot"]["email"] == "**"
    assert "Lima" not in str(seen)
    still_found = store_front.ok(ORDERS, {"filter": "like(email,ana*)", "page[limit]": "100"})["data"]
    assert not {shipped, cancelled} & {o["id"] for o in still_found}
    transactions = store_front.ok(f"{ORDERS}/{shipped}/transactions")["data"]
    assert transactions
    hl_transactions = store_front.http.get(
        "/payments/transactions",
        params={"altId": store_front.location, "altType": "location", "entityId": shipped_id},
        headers={**HL, "Authorization": f"Bearer {pit}"},
    )
    assert hl_transactions.status_code == 200, hl_transactions.text
    assert hl_transactions.json()["data"]
    assert "Lima" not in hl_transactions.text


def test_anonymize_refuses_open_orders_and_changes_nothing(store_front: Shop) -> None:
    _, done = make(store_front, paid=True, shipped=True)
    _, open_order = make(store_front)
    item = error(store_front.anonymize([done, open_order]), 422)
    assert item == {
        "status": 422,
        "title": "Could not anonymize orders",
        "detail": "Order has status: order:incomplete, payment:unpaid, shipping:unfulfilled; "
        "only fulfilled or refunded or cancelled orders may be anonymized",
        "meta": {"order_id": open_order},
    }
    assert store_front.ok(f"{ORDERS}/{done}")["data"]["anonymized"] is False


def test_anonymize_a_refunded_order(store_front: Shop) -> None:
    object_id, order_id = make(store_front, paid=True)
    assert store_front.server.admin.post(
        f"/admin/locations/{store_front.location}/orders/{object_id}/refund", json={}
    ).is_success
    assert store_front.anonymize([order_id]).status_code == 200


@pytest.mark.parametrize(
    "body",
    [{"data": {"order_ids": []}}, {"data": {"order_ids": "x"}}, {"data": {}}, {"order_ids": ["x"]}],
)
def test_anonymize_bad_bodies(store_front: Shop, body: dict[str, Any]) -> None:
    error(store_front.http.post(f"{ORDERS}/anonymize", json=body, headers=store_front.headers), 400)


def test_anonymize_unknown_orders_is_404(store_front: Shop) -> None:
    item = error(store_front.anonymize(["0123456789abcdef01234567"]), 404)
    assert item["meta"] == {"order_id": "0123456789abcdef01234567"}


# --- transactions, and changes made elsewhere -------------------------------------------------------------


def test_transactions_of_a_paid_order(store_front: Shop) -> None:
    object_id, order_id = make(store_front, paid=True)
    (transaction,) = store_front.ok(f"{ORDERS}/{order_id}/transactions")["data"]
    assert transaction["type"] == "transaction"
    assert transaction["transaction_type"] == "purchase"
    assert (transaction["amount"], transaction["refunded_amount"], transaction["currency"]) == (
        4390,
        0,
        "USD",
    )
    assert transaction["status"] == "complete"
    assert transaction["gateway"] == "manual"
    assert transaction["relationships"]["order"]["data"] == {"type": "order", "id": order_id}
    assert transaction["meta"]["display_price"]["formatted"] == "$43.90"
    one = store_front.ok(f"{ORDERS}/{object_id}/transactions/{transaction['id']}")
    assert one == {"data": transaction}
    _, other = make(store_front, paid=True)
    error(store_front.get(f"{ORDERS}/{other}/transactions/{transaction['id']}"), 404)
    error(store_front.get(f"{ORDERS}/{order_id}/transactions/nope"), 404)


def test_payments_and_refunds_made_through_highlevel_and_admin(store_front: Shop, pit: str) -> None:
    object_id, order_id = make(store_front)
    assert store_front.ok(f"{ORDERS}/{order_id}/transactions")["data"] == []
    paid = store_front.http.post(
        f"/payments/orders/{object_id}/record-payment",
        json={
            "altId": store_front.location,
            "altType": "location",
            "mode": "cash",
            "amount": 10,
            "isPartialPayment": True,
        },
        headers={**HL, "Authorization": f"Bearer {pit}"},
    )
    assert paid.status_code in (200, 201), paid.text
    order = store_front.ok(f"{ORDERS}/{order_id}")["data"]
    assert order["payment"] == "partially_paid"
    assert order["meta"]["display_price"]["paid"]["amount"] == 1000
    assert order["meta"]["display_price"]["balance_owing"]["amount"] == 3390
    (transaction,) = store_front.ok(f"{ORDERS}/{order_id}/transactions")["data"]
    assert transaction["amount"] == 1000
    assert store_front.server.admin.post(
        f"/admin/locations/{store_front.location}/orders/{object_id}/refund", json={}
    ).is_success
    assert store_front.ok(f"{ORDERS}/{order_id}")["data"]["payment"] == "refunded"
    (transaction,) = store_front.ok(f"{ORDERS}/{order_id}/transactions")["data"]
    assert (transaction["refunded_amount"], transaction["status"]) == (1000, "refunded")
    refunded = store_front.ok(
        ORDERS, {"filter": f"eq(payment,refunded):eq(email,{order['customer']['email']})"}
    )
    assert [o["id"] for o in refunded["data"]] == [order_id]


def test_an_order_created_by_the_admin_api_is_listed_first(store_front: Shop) -> None:
    _, order_id = make(store_front)
    assert store_front.ok(ORDERS, {"page[limit]": "1"})["data"][0]["id"] == order_id


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
FIELDS = st.sampled_from(
    ["type", "status", "shipping", "shipping_address", "order_number", "external_ref", "x"]
)


@settings(max_examples=80, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.dictionaries(FIELDS, JSON | st.sampled_from(["order", "cancelled", "fulfilled"]), max_size=4))
def test_fuzz_put_bodies(store_front: Shop, data: dict[str, Any]) -> None:
    _, order_id = make(store_front, paid=True)
    response = store_front.put(order_id, data)
    assert response.status_code in (200, 400, 422), response.text
    if response.status_code != 200:
        error(response, response.status_code)


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.binary(max_size=60) | JSON.map(lambda v: json.dumps(v).encode()))
def test_fuzz_token_and_anonymize_bodies(store_front: Shop, body: bytes) -> None:
    token = store_front.http.post("/oauth/access_token", content=body)
    assert token.status_code in (400, 401), token.text
    anonymized = store_front.http.post(f"{ORDERS}/anonymize", content=body, headers=store_front.headers)
    assert anonymized.status_code in (400, 404), anonymized.text
