"""Golden wire shapes: one fully populated order, with fixed ids and timestamps, rendered by
`GET /payments/orders/{orderId}` (GetOrderResponseSchema) and `GET /payments/orders` (OrderResponseSchema),
compared field by field with the committed JSON in `golden/`. Plus money in 0- and 3-decimal currencies.

The golden files were written by hand against the spec (research 1.3) and the canonical order below; a
difference is printed as a list of the fields that changed, then as a unified diff.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import Server
from tests.highlevel.hl_support import VERSION, Made, Tenant, ms, object_id

GOLDEN = Path(__file__).parent / "golden"
LOCATION = "G0ldenLocation000001"
ORDER_ID = "655b33a82209e60b6adb87a5"

GOLDEN_ORDER: dict[str, Any] = {
    "id": ORDER_ID,
    "name": "Classic Tee, Coaching Membership",
    "currency": "USD",
    "status": "completed",
    "items": [
        {
            "id": "655b33a82209e60b6adb87a6",
            "name": "Classic Tee - M",
            "quantity": 2,
            "fulfilled_quantity": 1,
            "product": {
                "id": "61dd0c7dc077f712a5f787ff",
                "name": "Classic Tee",
                "product_type": "PHYSICAL",
                "description": "Soft cotton tee",
                "image": "https://cdn.example.com/tee.png",
                "sku": "TEE-M",
            },
            "price": {
                "id": "61dd0c7dc077f712a5f78800",
                "name": "Medium",
                "type": "one_time",
                "amount": 5005,
                "compare_at": 6000,
            },
        },
        {
            "id": "655b33a82209e60b6adb87a7",
            "name": "Coaching Membership",
            "quantity": 1,
            "product": {"id": "61d6afc9d39ac5e35965c017", "name": "Coaching", "product_type": "SERVICE"},
            "price": {
                "id": "61d6afc9d39ac5e35965c018",
                "name": "Monthly",
                "type": "recurring",
                "amount": 5000,
                "recurring": {"interval": "month", "interval_count": 1},
            },
        },
    ],
    "discount": 1000,
    "tax": 1255,
    "shipping": 599,
    "shipping_discount": 100,
    "contact": {
        "id": "XPLSw2SVagl12LMDeTmQ",
        "first_name": "James",
        "last_name": "Bond",
        "email": "james.bond@example.com",
        "phone": "+15550100007",
        "company_name": "Universal Exports",
        "address1": "85 Albert Embankment",
        "city": "London",
        "postal_code": "SE1 7TP",
        "country": "GB",
    },
    "source": {
        "type": "funnel",
        "id": "kDj7BHej9Zyyq3QakJmz",
        "sub_type": "one_step_order_form",
        "name": "Spring Sale Funnel",
        "meta": {
            "domain": "shop.example.com",
            "pageId": "rBVhyYhMsbxbO8ZqOcei",
            "pageUrl": "/v2/preview/rBVhyYhMsbxbO8ZqOcei",
            "stepId": "5a772f62-3fbc-418b-af1b-be8929dd64c2",
        },
    },
    "created_at": 1_700_475_816_515,  # 2023-11-20T10:23:36.515Z
    "updated_at": 1_706_003_824_846,  # 2024-01-23T09:57:04.846Z
    "amount_paid": 15764,
    "amount_refunded": 0,
    "live_mode": True,
    "coupon": {"id": "63455e48901b43d4ef364a20", "code": "FEST10"},
    "tracking_id": "63319ef9-de0a-4c84-aebd-3585fb4a0cdf",
    "fingerprint": "5d51db5a-42b0-4b04-ba88-2c046c982a3a",
    "trace_id": "d3b16a92-a8ed-4e6b-8467-844750f78ed5",
    "created_by": "UsEr0123456789abcdef",
    "automatic_taxes_calculated": True,
    "tax_calculation_provider": "taxjar",
    "meta": {"couponSessionExpired": True},
}


def field_differences(expected: Any, actual: Any, path: str = "$") -> list[str]:
    """Every field that differs, as `path: expected -> actual` lines (type-strict: 1 is not 1.0 or True)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        lines = []
        for key in sorted(set(expected) | set(actual)):
            where = f"{path}.{key}"
            if key not in actual:
                lines.append(f"{where}: missing (expected {expected[key]!r})")
            elif key not in expected:
                lines.append(f"{where}: unexpected {actual[key]!r}")
            else:
                lines += field_differences(expected[key], actual[key], where)
        return lines
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{path}: {len(expected)} elements expected, got {len(actual)}"]
        return [
            line
            for i, pair in enumerate(zip(expected, actual, strict=True))
            for line in field_differences(*pair, f"{path}[{i}]")
        ]
    if type(expected) is not type(actual) or expected != actual:
        return [f"{path}: expected {expected!r}, got {actual!r}"]
    return []


def assert_matches_golden(name: str, actual: Any) -> None:
    expected = json.loads((GOLDEN / name).read_text(encoding="utf-8"))
    differences = field_differences(expected, actual)
    if differences:
        want = json.dumps(expected, indent=2, sort_keys=True).splitlines()
        got = json.dumps(actual, indent=2, sort_keys=True).splitlines()
        diff = "\n".join(difflib.unified_diff(want, got, f"golden/{name}", "server", lineterm=""))
        pytest.fail(
            f"{name} differs from the server's answer:\n  " + "\n  ".join(differences) + "\n\n" + diff
        )


@pytest.fixture(scope="module")
def http(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def golden(server: Server, http: httpx.Client) -> Tenant:
    """The golden location (a fixed id, so the golden files can name it) holding the golden order."""
    created = server.admin.post("/admin/locations", json={"id": LOCATION, "name": "Golden"})
    assert created.status_code == 201, created.text
    server.create_order(LOCATION, GOLDEN_ORDER)
    return Tenant(server, http, LOCATION, server.new_token(LOCATION, ["payments/orders.readonly"]))


def test_order_detail_matches_golden(golden: Tenant) -> None:
    response = golden.get(ORDER_ID)
    assert response.status_code == 200, response.text
    assert_matches_golden("order_detail.json", response.json())


def test_order_summary_matches_golden(golden: Tenant) -> None:
    response = golden.list_orders()
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["totalCount"] == 1
    assert_matches_golden("order_summary.json", body["data"][0])


def test_major_units_are_written_as_plain_json_numbers(golden: Tenant) -> None:
    """150.1 is written `150.1` (not `150.10`, `"150.1"` or `150.09999999999999`), whole amounts as ints."""
    text = golden.get(ORDER_ID).text
    for fragment in (
        '"subtotal":150.1,',
        '"amount":157.64,',
        '"tax":12.55,',
        '"shipping":4.99',
        '"discount":10,',
    ):
        assert fragment in text, fragment


@pytest.fixture
def tenant(server: Server, http: httpx.Client) -> Tenant:
    return Tenant.create(server, http)


@pytest.mark.parametrize(
    ("currency", "unit_price", "quantity", "tax", "amount", "subtotal", "tax_major", "price_major"),
    [
        ("JPY", 500, 1, 0, 500, 500, 0, 500),
        ("JPY", 1250, 3, 375, 4125, 3750, 375, 1250),
        ("BHD", 1234, 1, 0, 1.234, 1.234, 0, 1.234),
        ("BHD", 10500, 2, 5, 21.005, 21, 0.005, 10.5),
        ("KWD", 1, 1, 0, 0.001, 0.001, 0, 0.001),
        ("USD", 1, 1, 0, 0.01, 0.01, 0, 0.01),
        ("USD", 99999999, 1, 1, 1000000, 999999.99, 0.01, 999999.99),
    ],
)
def test_money_uses_the_currency_exponent(
    tenant: Tenant,
    currency: str,
    unit_price: int,
    quantity: int,
    tax: int,
    amount: float,
    subtotal: float,
    tax_major: float,
    price_major: float,
) -> None:
    t = ms("2024-09-01T00:00:00.000Z")
    made = Made(id=object_id(t, 1), created_at=t)
    body = made.canonical()
    body.update({"currency": currency, "tax": tax})
    body["items"][0].update({"quantity": quantity})
    body["items"][0]["price"]["amount"] = unit_price
    tenant.server.create_order(tenant.location, body)

    detail = tenant.get(made.id).json()
    assert (detail["currency"], detail["amount"]) == (currency, amount)
    assert detail["amountSummary"]["subtotal"] == subtotal
    assert detail["amountSummary"]["tax"] == tax_major
    assert detail["items"][0]["price"]["amount"] == price_major
    assert detail["items"][0]["price"]["currency"] == currency
    summary = tenant.list_orders().json()["data"][0]
    assert (summary["currency"], summary["amount"], summary["subtotal"]) == (currency, amount, subtotal)
    for value in (amount, subtotal, price_major):
        assert json.dumps(value) in tenant.get(made.id).text
    if isinstance(amount, int):  # whole amounts are JSON integers, never 500.0
        assert type(detail["amount"]) is int


def test_headers_are_plain_json(golden: Tenant) -> None:
    response = golden.http.get(
        f"/payments/orders/{ORDER_ID}?altId={LOCATION}",
        headers={"Version": VERSION, "Authorization": f"Bearer {golden.token}"},
    )
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.headers["content-length"] == str(len(response.content))
