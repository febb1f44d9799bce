"""One store, two dialects: every seeded order read through HighLevel and through Elastic Path agrees on
every field the mapping table (docs/compatibility.md, EP.3) carries across."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx

from ordergate.domain.money import exponent
from ordergate.elasticpath import ids
from tests.conftest import Server
from tests.elasticpath.conftest import SEEDED_ORDERS
from tests.elasticpath.ep_support import ORDERS, Shop

STATUS = {
    "pending": "incomplete",
    "failed": "incomplete",
    "processing": "processing",
    "completed": "complete",
    "cancelled": "cancelled",
}
SHIPPING = {"unfulfilled": "unfulfilled", "partially_fulfilled": "unfulfilled", "fulfilled": "fulfilled"}


def minor(major: float, currency: str) -> int:
    """HighLevel's major-unit JSON number as minor units, exactly."""
    value = Decimal(str(major)).scaleb(exponent(currency))
    assert value == value.to_integral_value()
    return int(value)


def highlevel_orders(http: httpx.Client, location: str, pit: str) -> list[dict[str, Any]]:
    headers = {"Version": "2021-07-28", "Authorization": f"Bearer {pit}"}
    summaries: list[dict[str, Any]] = []
    while True:
        response = http.get(
            "/payments/orders",
            params={"altId": location, "limit": "100", "offset": str(len(summaries))},
            headers=headers,
        )
        assert response.status_code == 200, response.text
        summaries.extend(response.json()["data"])
        if len(summaries) >= response.json()["totalCount"]:
            break
    details = []
    for summary in summaries:
        response = http.get(f"/payments/orders/{summary['_id']}", params={"altId": location}, headers=headers)
        assert response.status_code == 200, response.text
        details.append({"summary": summary, **response.json()})
    return details


def compare(hl: dict[str, Any], ep: dict[str, Any]) -> None:
    summary = hl["summary"]
    currency = hl["currency"]
    prices = ep["meta"]["display_price"]

    def amount(key: str) -> int:
        value: int = prices[key]["amount"]
        assert prices[key]["currency"] == currency
        return value

    assert ep["id"] == ids.to_uuid(hl["_id"])
    assert ids.from_uuid(ep["id"]) == hl["_id"]
    assert ep["status"] == STATUS[hl["status"]]
    assert ep["payment"] == hl["paymentStatus"]
    assert ep["shipping"] == SHIPPING[hl["fulfillmentStatus"]]
    assert amount("with_tax") == minor(hl["amount"], currency)
    assert amount("tax") == minor(hl["amountSummary"]["tax"], currency)
    assert amount("discount") == -minor(hl["amountSummary"]["discount"], currency)
    assert amount("discount") == -minor(summary["discount"], currency)
    assert amount("shipping") + amount("shipping_discount") == minor(
        hl["amountSummary"]["shipping"], currency
    )
    assert amount("without_discount") - amount("tax") - amount("shipping") == minor(
        summary["subtotal"], currency
    )
    assert ep["meta"]["timestamps"]["created_at"] == hl["createdAt"]
    assert ep["meta"]["timestamps"]["updated_at"] == hl["updatedAt"]
    if "contactId" in hl:
        assert ep["customer"]["id"] == hl["contactId"]
        assert ep["customer"]["name"] == summary.get("contactName", "")
        assert ep["customer"]["email"] == summary.get("contactEmail", "")
        assert ep["contact"] == {"name": ep["customer"]["name"], "email": ep["customer"]["email"]}
        snapshot = hl["contactSnapshot"]
        assert ep["customer"]["email"] == snapshot.get("email", "")
    else:
        assert "customer" not in ep
        assert "contact" not in ep
    assert [i["id"] for i in ep["items"]] == [ids.to_uuid(i["_id"]) for i in hl["items"]]
    for ep_item, hl_item in zip(ep["items"], hl["items"], strict=True):
        assert ep_item["name"] == hl_item["name"]
        assert ep_item["quantity"] == hl_item["qty"]
        assert ep_item["product_id"] == ids.to_uuid(hl_item["product"]["_id"])
        assert ep_item["sku"] == hl_item["product"].get("sku", "")
        assert ep_item["unit_price"]["amount"] == minor(hl_item["price"]["amount"], currency)
        assert ep_item["unit_price"]["currency"] == hl_item["price"]["currency"] == currency
    assert ep["meta"]["is_manual"] == (hl["source"]["type"] == "manual")


def test_every_seeded_order_agrees_through_both_dialects(
    server: Server, http: httpx.Client, shop: Shop
) -> None:
    pit = server.new_token(shop.location)
    by_id = {ids.from_uuid(o["id"]): o for o in shop.all_orders(refresh=True)}
    highlevel = highlevel_orders(http, shop.location, pit)
    assert len(highlevel) == len(by_id) == SEEDED_ORDERS
    for hl in highlevel:
        compare(hl, by_id[hl["_id"]])


def test_both_dialects_count_the_same_orders_per_state(
    server: Server, http: httpx.Client, shop: Shop
) -> None:
    pit = server.new_token(shop.location)
    headers = {"Version": "2021-07-28", "Authorization": f"Bearer {pit}"}
    for payment in ("paid", "unpaid", "refunded", "partially_paid"):
        hl = http.get(
            "/payments/orders", params={"altId": shop.location, "paymentStatus": payment}, headers=headers
        )
        ep = shop.ok(ORDERS, {"filter": f"eq(payment,{payment})"})
        assert ep["meta"]["results"]["total"] == hl.json()["totalCount"], payment
    for status in ("completed", "cancelled", "processing"):
        hl = http.get("/payments/orders", params={"altId": shop.location, "status": status}, headers=headers)
        ep = shop.ok(ORDERS, {"filter": f"eq(status,{STATUS[status]})"})
        assert ep["meta"]["results"]["total"] == hl.json()["totalCount"], status
