"""Batches large enough for the bulk path (COPY on PostgreSQL): all or nothing, as small ones are."""

from __future__ import annotations

import pytest

from ordergate.domain.access import Location
from ordergate.domain.errors import Conflict
from ordergate.domain.query import OrderQuery
from ordergate.management import Management
from ordergate.seeding import generate_orders, location_ids
from ordergate.store import Store

BATCH = 300  # well above the PostgreSQL store's COPY threshold


@pytest.fixture
async def location(store: Store) -> str:
    location_id = location_ids(1, 3)[0]
    await store.create_location(Location(id=location_id, name="Bulk", created_at=1))
    return location_id


async def test_a_large_batch_round_trips_with_its_history(store: Store, location: str) -> None:
    orders = list(generate_orders(location, BATCH, 3))
    await store.insert_orders(orders)
    assert await store.count_orders(location) == BATCH
    for order in orders[:20]:
        assert await store.get_order(location, order.id) == order
    paid = next(o for o in orders if o.amount_paid > 0)
    assert await store.order_transactions(location, paid.id)
    _, total = await store.list_orders(
        OrderQuery(location_id=location, product_ids=(orders[0].items[0].product.id,))
    )
    assert total >= 1


async def test_a_large_batch_with_one_duplicate_writes_nothing(store: Store, location: str) -> None:
    orders = list(generate_orders(location, BATCH + 1, 3))
    await store.insert_orders(orders[:1])
    with pytest.raises(Conflict):
        await store.insert_orders(orders[1:] + orders[:1])
    assert await store.count_orders(location) == 1
    assert await store.get_order(location, orders[-1].id) is None


async def test_seeding_in_batches_is_deterministic_and_complete(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ordergate.management.SEED_BATCH", 100)  # five batches per location
    manage = Management(store)
    made = await manage.seed(2, 450, 9)
    assert [n for _, n in made] == [450, 450]
    first = made[0][0]
    expected = list(generate_orders(first, 450, 9))
    page, total = await store.list_orders(OrderQuery(location_id=first, limit=100))
    assert total == 450
    newest = sorted(expected, key=lambda o: (o.created_at, o.id), reverse=True)[:100]
    assert [o.id for o in page] == [o.id for o in newest]


async def test_sqlite_analyses_after_a_bulk_insert_and_pages_by_primary_key(
    store: Store, location: str
) -> None:
    if store.kind != "sqlite":
        pytest.skip("PostgreSQL's statistics come from autovacuum")
    await store.insert_orders(list(generate_orders(location, 1_200, 3)))
    assert await store.fetch("SELECT stat FROM sqlite_stat1 WHERE tbl = 'orders'")
    plan = await store.fetch(
        "EXPLAIN QUERY PLAN SELECT data FROM orders WHERE location_id = ? AND id IN ("
        "SELECT id FROM orders WHERE location_id = ? ORDER BY created_at DESC, id DESC LIMIT 20) "
        "ORDER BY created_at DESC, id DESC",
        (location, location),
    )
    assert "(location_id=? AND id=?)" in str(plan[0][3])  # the 20 rows by key, not the tenant in order
