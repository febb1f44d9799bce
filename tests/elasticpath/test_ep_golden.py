"""Golden wire shapes: one fixed order, its items and a transaction, rendered for Elastic Path and compared
field by field with the files in golden/ (regenerate with ORDERGATE_UPDATE_GOLDEN=1 and review the diff)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import msgspec
import pytest

from ordergate.domain.building import NewOrder, build_order
from ordergate.domain.lifecycle import opening_records
from ordergate.elasticpath import render

GOLDEN = Path(__file__).resolve().parent / "golden"
LOCATION = "GoldenLocation000001"
ORDER = {
    "id": "65e0a1b2c3d4e5f607182930",
    "currency": "USD",
    "status": "processing",
    "created_at": 1709164800123,
    "updated_at": 1709251200456,
    "discount": 1000,
    "tax": 725,
    "shipping": 499,
    "shipping_discount": 499,
    "amount_paid": 5000,
    "order_number": "10042",
    "external_ref": "shop-10042",
    "contact": {
        "id": "AnaLimaContact000001",
        "first_name": "Ana",
        "last_name": "Lima",
        "email": "ana@example.com",
    },
    "shipping_address": {
        "first_name": "Ana",
        "last_name": "Lima",
        "line_1": "1 Sunny Street",
        "city": "Lisbon",
        "postcode": "1100-001",
        "country": "PT",
    },
    "items": [
        {
            "id": "65e0a1b2c3d4e5f607182931",
            "name": "Coffee mug",
            "quantity": 3,
            "fulfilled_quantity": 1,
            "tax": 100,
            "discount": 301,
            "product": {"id": "65e0a1b2c3d4e5f607182932", "name": "Coffee mug", "sku": "MUG-1"},
            "price": {"id": "65e0a1b2c3d4e5f607182933", "name": "Std", "type": "one_time", "amount": 1200},
        },
        {
            "id": "65e0a1b2c3d4e5f607182934",
            "name": "Yoga retreat",
            "quantity": 1,
            "product": {"id": "65e0a1b2c3d4e5f607182935", "name": "Yoga retreat"},
            "price": {"id": "65e0a1b2c3d4e5f607182936", "name": "Std", "type": "one_time", "amount": 123456},
        },
    ],
}


def _check(name: str, produced: Any) -> None:
    path = GOLDEN / f"{name}.json"
    if os.environ.get("ORDERGATE_UPDATE_GOLDEN") == "1":
        path.write_text(json.dumps(produced, indent=2, ensure_ascii=False) + "\n")
    expected = json.loads(path.read_text())
    assert produced == expected


@pytest.fixture(scope="module")
def order() -> Any:
    return build_order(msgspec.convert(ORDER, NewOrder), LOCATION)


def test_order(order: Any) -> None:
    _check("order", render.order(order))


def test_items(order: Any) -> None:
    _check("items", render.items(order))


def test_transaction(order: Any) -> None:
    (transaction,), _, _ = opening_records(order)
    _check("transaction", render.transaction(transaction))
