"""The fake-data generator: deterministic, valid, coherent, varied, and fast."""

from __future__ import annotations

import hashlib
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from collections import defaultdict

import msgspec
import pytest

from ordergate.domain import ids
from ordergate.domain.building import NewOrder, build_order
from ordergate.domain.money import exponent
from ordergate.domain.order import (
    FulfillmentStatus,
    Order,
    OrderStatus,
    PaymentStatus,
    PriceType,
    SourceType,
)
from ordergate.seeding import ANCHOR_MS, YEAR_MS, generate_orders, location_ids
from ordergate.seeding.location import SOURCE_KINDS, uuid4_str

SEED = 20_261_101
LOCATION = location_ids(1, SEED)[0]


def encoded(orders: list[Order]) -> list[bytes]:
    return [msgspec.json.encode(order) for order in orders]


def as_new_order(order: Order) -> NewOrder:
    """The creation form that describes `order` completely (totals flattened, subtotal left to derive)."""
    data = msgspec.to_builtins(order)
    totals = data.pop("totals")
    del totals["subtotal"]
    return msgspec.convert({**data, **totals}, NewOrder)


@pytest.fixture(scope="module")
def many() -> list[Order]:
    """Three locations' worth of orders."""
    return [order for loc in location_ids(3, SEED) for order in generate_orders(loc, 700, SEED)]


# --- determinism -----------------------------------------------------------------------------------------


def test_same_seed_gives_the_same_bytes() -> None:
    first = encoded(list(generate_orders(LOCATION, 300, SEED)))
    second = encoded(list(generate_orders(LOCATION, 300, SEED)))
    assert first == second


_DIGEST = """
import hashlib, msgspec
from ordergate.seeding import generate_orders, location_ids
digest = hashlib.sha256()
for loc in location_ids(2, {seed}):
    for order in generate_orders(loc, 150, {seed}):
        digest.update(msgspec.json.encode(order))
print(digest.hexdigest())
"""


def test_output_does_not_depend_on_the_process() -> None:
    """No set order, hash seed or clock leaks in: fresh interpreters with different hash seeds agree."""
    expected = hashlib.sha256()
    for loc in location_ids(2, SEED):
        for order in generate_orders(loc, 150, SEED):
            expected.update(msgspec.json.encode(order))
    for hash_seed in ("0", "12345"):
        result = subprocess.run(
            [sys.executable, "-c", _DIGEST.format(seed=SEED)],
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            capture_output=True,
            text=True,
            check=True,
        )
        assert result.stdout.strip() == expected.hexdigest()


def test_a_different_seed_or_location_gives_different_orders() -> None:
    base = encoded(list(generate_orders(LOCATION, 50, SEED)))
    other_seed = encoded(list(generate_orders(LOCATION, 50, SEED + 1)))
    other_location = encoded(list(generate_orders(location_ids(2, SEED)[1], 50, SEED)))
    assert not set(base) & set(other_seed)
    assert not set(base) & set(other_location)


def test_a_larger_count_extends_a_smaller_one() -> None:
    assert encoded(list(generate_orders(LOCATION, 100, SEED)))[:30] == encoded(
        list(generate_orders(LOCATION, 30, SEED))
    )


def test_location_ids_are_deterministic_alnum20_and_distinct() -> None:
    first = location_ids(50, SEED)
    assert first == location_ids(50, SEED)
    assert first != location_ids(50, SEED + 1)
    assert len(set(first)) == 50
    assert all(ids.is_alnum20(loc) for loc in first)


def test_timestamps_count_back_from_the_anchor_not_the_clock() -> None:
    default = list(generate_orders(LOCATION, 200, SEED))
    assert all(ANCHOR_MS - YEAR_MS <= o.created_at <= o.updated_at <= ANCHOR_MS for o in default)
    earlier = ANCHOR_MS - 10 * YEAR_MS
    shifted = list(generate_orders(LOCATION, 200, SEED, now_ms=earlier))
    assert all(earlier - YEAR_MS <= o.created_at <= o.updated_at <= earlier for o in shifted)
    assert [o.created_at - earlier for o in shifted] == [o.created_at - ANCHOR_MS for o in default]


def test_uuid4_str_is_uuid4_from_the_same_bits() -> None:
    fast, reference = random.Random(1), random.Random(1)
    for _ in range(2000):
        assert uuid4_str(fast) == str(uuid.UUID(int=reference.getrandbits(128), version=4))


# --- coverage --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [12, 30])
def test_a_small_location_spans_every_status(count: int) -> None:
    orders = list(generate_orders(LOCATION, count, SEED))
    assert {o.status for o in orders} == set(OrderStatus)
    assert {o.payment_status for o in orders} == set(PaymentStatus)
    assert {o.fulfillment_status for o in orders} == set(FulfillmentStatus)
    assert {"USD", "EUR", "JPY"} <= {o.currency for o in orders}
    assert {o.live_mode for o in orders} == {True, False}
    assert any(0 < o.amount_refunded < o.amount_paid for o in orders)  # paid, partly refunded


def test_fifteen_orders_span_every_source_type() -> None:
    orders = list(generate_orders(LOCATION, 15, SEED))
    assert {o.source.type for o in orders} == set(SourceType)


def test_sixty_orders_show_every_kind_of_detail() -> None:
    orders = list(generate_orders(LOCATION, 60, SEED))
    assert {"USD", "EUR", "JPY", "GBP", "CAD", "AUD"} <= {o.currency for o in orders}
    prices = [item.price for o in orders for item in o.items]
    assert {p.type for p in prices} == set(PriceType)
    assert all((p.type is PriceType.RECURRING) == (p.recurring is not None) for p in prices)
    assert any(o.coupon is not None and o.totals.discount > 0 for o in orders)
    assert any(o.coupon is None for o in orders)
    assert any(o.totals.tax > 0 for o in orders)
    assert any(o.totals.shipping > 0 for o in orders)
    for field in ("billing_address", "shipping_address", "order_number", "external_ref", "created_by"):
        values = [getattr(o, field) for o in orders]
        assert any(v is not None for v in values), field
        assert any(v is None for v in values), field
    for field in ("tracking_id", "fingerprint", "trace_id"):
        values = [getattr(o, field) for o in orders if getattr(o, field) is not None]
        assert values, field
        assert all(uuid.UUID(v).version == 4 and str(uuid.UUID(v)) == v for v in values), field


def test_every_source_carries_a_plausible_sub_type(many: list[Order]) -> None:
    allowed = {kind.type: set(kind.sub_types) for kind in SOURCE_KINDS}
    assert set(allowed) == set(SourceType)
    seen: dict[SourceType, set[object]] = defaultdict(set)
    for order in many:
        assert order.source.sub_type in allowed[order.source.type]
        seen[order.source.type].add(order.source.sub_type)
    assert seen == allowed


def test_random_phase_weights_favour_completed_paid_orders(many: list[Order]) -> None:
    later = list(many[100:700])
    completed = sum(o.status is OrderStatus.COMPLETED for o in later)
    assert completed > len(later) / 3


# --- validity and coherence ------------------------------------------------------------------------------


def test_every_order_survives_build_order_unchanged(many: list[Order]) -> None:
    for order in many:
        rebuilt = build_order(as_new_order(order), order.location_id)
        assert msgspec.json.encode(rebuilt) == msgspec.json.encode(order)


def test_invariants_hold(many: list[Order]) -> None:
    for o in many:
        assert ids.is_object_id(o.id)
        assert int(o.id[:8], 16) == o.created_at // 1000  # ObjectIds carry their creation second
        assert o.contact is None or ids.is_alnum20(o.contact.id)
        assert o.totals.subtotal == sum(i.price.amount * i.quantity for i in o.items)
        assert 0 <= o.amount_refunded <= o.amount_paid <= o.total
        assert o.total > 0
        assert o.totals.discount < o.totals.subtotal
        assert o.name == ", ".join(i.name for i in o.items)
        for item in o.items:
            assert ids.is_object_id(item.id)
            assert ids.is_object_id(item.product.id)
            assert ids.is_object_id(item.price.id)
            assert 0 <= item.fulfilled_quantity <= item.quantity
        assert len({item.product.id for item in o.items}) == len(o.items)
        fully_paid = o.amount_paid > 0 and o.amount_paid >= o.total
        assert (o.fully_paid_at is not None) == fully_paid
        if o.fully_paid_at is not None:
            assert o.created_at <= o.fully_paid_at <= o.updated_at


def test_states_are_coherent(many: list[Order]) -> None:
    paid_like = {PaymentStatus.PAID, PaymentStatus.REFUNDED}
    for o in many:
        if o.status is OrderStatus.CANCELLED:
            assert o.payment_status in {PaymentStatus.UNPAID, PaymentStatus.REFUNDED}
            assert o.fulfillment_status is FulfillmentStatus.UNFULFILLED
        elif o.status is OrderStatus.COMPLETED:
            assert o.payment_status in paid_like
        elif o.status is OrderStatus.PENDING:
            assert o.payment_status in {PaymentStatus.UNPAID, PaymentStatus.PARTIALLY_PAID}
            assert o.fulfillment_status is FulfillmentStatus.UNFULFILLED
        elif o.status is OrderStatus.FAILED:
            assert o.payment_status is PaymentStatus.UNPAID
            assert o.fulfillment_status is FulfillmentStatus.UNFULFILLED
        if o.fulfillment_status is not FulfillmentStatus.UNFULFILLED:
            assert o.payment_status in paid_like


def test_amounts_suit_the_currency_exponent(many: list[Order]) -> None:
    unit_prices: dict[str, list[int]] = defaultdict(list)
    for o in many:
        for item in o.items:
            unit_prices[o.currency].append(item.price.amount)
    for currency, amounts in unit_prices.items():
        if exponent(currency) == 0:
            assert all(a % 10 == 0 for a in amounts), currency  # whole tens of yen
        else:
            assert all(a % 100 == 99 for a in amounts), currency  # 19.99
    # A yen is about a cent and a half: the typical price in minor units must say so.
    ratio = statistics.median(unit_prices["JPY"]) / statistics.median(unit_prices["USD"])
    assert 0.7 < ratio < 3


def test_customers_keep_their_contact_id_and_come_back(many: list[Order]) -> None:
    by_id: dict[tuple[str, str], set[tuple[str, str, str]]] = defaultdict(set)
    by_person: dict[tuple[str, str, str, str], set[str]] = defaultdict(set)
    for o in many:
        if o.contact is None:
            continue
        person = (o.contact.first_name, o.contact.last_name, o.contact.email)
        by_id[(o.location_id, o.contact.id)].add(person)
        by_person[(o.location_id, *person)].add(o.contact.id)
    assert all(len(people) == 1 for people in by_id.values())
    assert all(len(contact_ids) == 1 for contact_ids in by_person.values())
    orders_per_contact: dict[str, int] = defaultdict(int)
    for o in many[:700]:
        if o.contact is not None:
            orders_per_contact[o.contact.id] += 1
    assert max(orders_per_contact.values()) >= 10


def test_products_and_prices_are_stable_and_shared(many: list[Order]) -> None:
    products: dict[str, object] = {}
    prices: dict[str, object] = {}
    orders_per_product: dict[str, int] = defaultdict(int)
    for o in many:
        for item in o.items:
            assert products.setdefault(item.product.id, item.product) == item.product
            assert prices.setdefault(item.price.id, item.price) == item.price
            orders_per_product[item.product.id] += 1
    assert sorted(orders_per_product.values())[-1] >= 20


def test_locations_do_not_share_contacts_or_products() -> None:
    first, second = location_ids(2, SEED)
    a = list(generate_orders(first, 100, SEED))
    b = list(generate_orders(second, 100, SEED))
    assert not {o.contact.id for o in a if o.contact} & {o.contact.id for o in b if o.contact}
    assert not {i.product.id for o in a for i in o.items} & {i.product.id for o in b for i in o.items}


# --- speed (reported, not asserted) ----------------------------------------------------------------------


def test_generation_speed(capsys: pytest.CaptureFixture[str]) -> None:
    count = 50_000
    locations = location_ids(5, SEED)
    start = time.perf_counter()
    for loc in locations:
        for _ in generate_orders(loc, count // len(locations), SEED):
            pass
    elapsed = time.perf_counter() - start
    with capsys.disabled():
        print(f"\nseeding: {count / elapsed:,.0f} orders/s ({elapsed / count * 1e6:.1f} us per order)")
