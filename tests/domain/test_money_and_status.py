"""Pure domain rules: money in minor units, derived statuses, ids, time."""

from __future__ import annotations

import random

import pytest

from ordergate.domain import ids
from ordergate.domain.building import NewItem, NewOrder, build_order
from ordergate.domain.clock import iso_ms, parse_day, parse_iso
from ordergate.domain.errors import Invalid
from ordergate.domain.money import exponent, to_major, to_minor
from ordergate.domain.order import (
    FulfillmentStatus,
    PaymentStatus,
    Price,
    PriceType,
    Product,
    derive_payment_status,
)


@pytest.mark.parametrize(
    ("currency", "digits"), [("USD", 2), ("EUR", 2), ("JPY", 0), ("BHD", 3), ("KRW", 0), ("CLF", 4)]
)
def test_exponent_comes_from_cldr(currency: str, digits: int) -> None:
    assert exponent(currency) == digits


@pytest.mark.parametrize(
    ("minor", "currency", "major"),
    [(15010, "USD", 150.1), (10000, "USD", 100), (1, "USD", 0.01), (500, "JPY", 500), (1234, "BHD", 1.234)],
)
def test_major_units_round_trip(minor: int, currency: str, major: float) -> None:
    assert to_major(minor, currency) == major
    assert to_minor(major, currency) == minor


def test_integral_major_amounts_are_json_integers() -> None:
    assert isinstance(to_major(10000, "USD"), int)


def test_amounts_finer_than_the_currency_are_refused() -> None:
    with pytest.raises(Invalid):
        to_minor("1.005", "USD")
    with pytest.raises(Invalid):
        to_minor("10.5", "JPY")


@pytest.mark.parametrize(
    ("total", "paid", "refunded", "status"),
    [
        (1000, 0, 0, PaymentStatus.UNPAID),
        (1000, 1, 0, PaymentStatus.PARTIALLY_PAID),
        (1000, 999, 0, PaymentStatus.PARTIALLY_PAID),
        (1000, 1000, 0, PaymentStatus.PAID),
        (1000, 1000, 400, PaymentStatus.PAID),
        (1000, 1000, 1000, PaymentStatus.REFUNDED),
        (1000, 300, 300, PaymentStatus.REFUNDED),
        (0, 0, 0, PaymentStatus.PAID),
    ],
)
def test_payment_status_is_derived_from_amounts(
    total: int, paid: int, refunded: int, status: PaymentStatus
) -> None:
    assert derive_payment_status(total, paid, refunded) is status


def _item(quantity: int, fulfilled: int = 0, amount: int = 1000) -> NewItem:
    return NewItem(
        name="Thing",
        quantity=quantity,
        fulfilled_quantity=fulfilled,
        product=Product(id="p", name="Thing"),
        price=Price(id="pr", name="Std", type=PriceType.ONE_TIME, amount=amount),
    )


def test_fulfillment_status_is_derived_from_items() -> None:
    location = "L" * 20
    assert (
        build_order(NewOrder(items=[_item(2)]), location).fulfillment_status is FulfillmentStatus.UNFULFILLED
    )
    partly = build_order(NewOrder(items=[_item(2, 1), _item(1)]), location)
    assert partly.fulfillment_status is FulfillmentStatus.PARTIALLY_FULFILLED
    full = build_order(NewOrder(items=[_item(2, 2), _item(1, 1)]), location)
    assert full.fulfillment_status is FulfillmentStatus.FULFILLED


def test_build_order_lists_every_problem() -> None:
    bad = NewOrder(
        items=[_item(0, amount=-5)],
        currency="XXY",
        id="nope",
        discount=-1,
        amount_paid=10**9,
    )
    with pytest.raises(Invalid) as caught:
        build_order(bad, "L" * 20)
    problems = caught.value.problems
    assert "currency must be an ISO 4217 code, got 'XXY'" in problems
    assert "id must be 24 lowercase hexadecimal characters" in problems
    assert "items[0].quantity must be at least 1" in problems
    assert "items[0].price.amount must not be negative" in problems
    assert "discount must not be negative" in problems
    assert "amount_paid must not exceed the order total" in problems


def test_totals_and_name_are_derived() -> None:
    order = build_order(NewOrder(items=[_item(3, amount=250)], tax=75, discount=50, shipping=500), "L" * 20)
    assert order.totals.subtotal == 750
    assert order.total == 750 - 50 + 75 + 500
    assert order.name == "Thing"


def test_object_ids_carry_their_creation_second() -> None:
    oid = ids.new_object_id(1_700_000_000_999, random.Random(1))
    assert ids.is_object_id(oid)
    assert int(oid[:8], 16) == 1_700_000_000
    assert oid == ids.new_object_id(1_700_000_000_999, random.Random(1))
    assert ids.is_alnum20(ids.new_alnum20())
    assert not ids.is_object_id("653F5E0CDE5A1314E62A837C")


def test_time_is_utc_with_milliseconds() -> None:
    assert iso_ms(1_700_475_816_515) == "2023-11-20T10:23:36.515Z"
    assert parse_iso("2023-11-20T10:23:36.515Z") == 1_700_475_816_515
    assert parse_iso("2023-11-20T12:23:36.515+02:00") == 1_700_475_816_515
    assert parse_iso("2023-11-20T10:23:36.515") == 1_700_475_816_515
    assert parse_day("2023-11-20") == 1_700_438_400_000
    for bad in ("2023-13-01", "2023-02-30", "20231120", "yesterday"):
        with pytest.raises(ValueError, match=r".*"):
            parse_day(bad) if len(bad) == 10 else parse_iso(bad)
