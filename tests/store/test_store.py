"""The store on both databases: the same tests, the same answers."""

from __future__ import annotations

import msgspec
import pytest

from ordergate.domain.access import Location
from ordergate.domain.building import NewItem, NewOrder, build_order
from ordergate.domain.errors import Conflict
from ordergate.domain.order import Order, Price, PriceType, Product
from ordergate.domain.query import OrderQuery
from ordergate.store import Store

LOC_A = "A" * 20
LOC_B = "B" * 20


def _order(location_id: str, created_at: int, name: str = "Widget", product_id: str = "p1") -> Order:
    item = NewItem(
        name=name,
        quantity=1,
        product=Product(id=product_id, name=name),
        price=Price(id="pr1", name="Standard", type=PriceType.ONE_TIME, amount=1000),
    )
    return build_order(NewOrder(items=[item], created_at=created_at), location_id)


@pytest.fixture
async def two_locations(store: Store) -> Store:
    await store.create_location(Location(id=LOC_A, name="A", created_at=1))
    await store.create_location(Location(id=LOC_B, name="B", created_at=2))
    return store


async def test_round_trip_is_exact(two_locations: Store) -> None:
    order = _order(LOC_A, 1_700_000_000_123)
    await two_locations.insert_orders([order])
    loaded = await two_locations.get_order(LOC_A, order.id)
    assert loaded is not None
    assert msgspec.json.encode(loaded) == msgspec.json.encode(order)


async def test_orders_are_invisible_to_other_locations(two_locations: Store) -> None:
    order = _order(LOC_A, 1_700_000_000_000)
    await two_locations.insert_orders([order])
    assert await two_locations.get_order(LOC_B, order.id) is None
    rows, total = await two_locations.list_orders(OrderQuery(location_id=LOC_B))
    assert (rows, total) == ([], 0)


async def test_a_failed_batch_writes_nothing(two_locations: Store) -> None:
    first = _order(LOC_A, 1_700_000_000_000)
    await two_locations.insert_orders([first])
    fresh = _order(LOC_A, 1_700_000_000_500)
    with pytest.raises(Conflict):
        await two_locations.insert_orders([fresh, first])
    assert await two_locations.get_order(LOC_A, fresh.id) is None
    assert await two_locations.count_orders(LOC_A) == 1


async def test_list_is_newest_first_with_exact_total(two_locations: Store) -> None:
    orders = [_order(LOC_A, 1_700_000_000_000 + i * 1000, name=f"Item {i}") for i in range(7)]
    await two_locations.insert_orders(orders)
    page, total = await two_locations.list_orders(OrderQuery(location_id=LOC_A, limit=3, offset=2))
    assert total == 7
    assert [o.id for o in page] == [o.id for o in reversed(orders)][2:5]


async def test_search_escapes_like_wildcards(two_locations: Store) -> None:
    await two_locations.insert_orders(
        [_order(LOC_A, 1_700_000_000_000, name="50% off"), _order(LOC_A, 1_700_000_001_000, name="500 off")]
    )
    page, total = await two_locations.list_orders(OrderQuery(location_id=LOC_A, search="50%"))
    assert total == 1
    assert page[0].name == "50% off"
