"""SQLite's trigram search index: filled for orders stored before it existed, and kept in step after."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ordergate.domain.access import Location
from ordergate.domain.query import OrderQuery
from ordergate.seeding import generate_orders, location_ids
from ordergate.store import open_store, parse_database_url
from ordergate.store.base import order_row
from ordergate.store.migrate import migrate


async def test_the_index_is_backfilled_and_follows_changes(tmp_path: Path) -> None:
    path = tmp_path / "search.db"
    url = f"sqlite:///{path}"
    await migrate(parse_database_url(url))
    (location,) = location_ids(1, 9)
    orders = list(generate_orders(location, 40, 9))
    store = await open_store(url)
    try:
        await store.create_location(Location(id=location, name="Search", created_at=1))
        await store.insert_orders(orders)
    finally:
        await store.close()
    # As if the orders had been stored before revision 0005: no index, schema at revision 0004.
    with sqlite3.connect(path) as raw:
        raw.execute("DROP TABLE orders_search")
        raw.execute("DROP TABLE order_day_counts")  # revision 0006
        raw.execute("DROP TABLE order_contact_counts")  # revision 0010
        raw.execute("UPDATE alembic_version SET version_num = '0004'")
    await migrate(parse_database_url(url))

    store = await open_store(url)
    try:
        for order in orders:
            assert order.contact is not None
            needle = order.contact.email.lower()
            found, total = await store.list_orders(OrderQuery(location_id=location, search=needle, limit=100))
            expected = {o.id for o in orders if needle in o.search_text}
            assert {o.id for o in found} == expected
            assert total == len(expected)
        order = orders[0]
        assert order.contact is not None
        before = order.contact.email.lower()
        async with store.order_work(location, order.id) as work:
            assert work.order is not None
            work.order.name = "Zebra striped teapot"
            await work.save_order(order_row(work.order))
        found, _ = await store.list_orders(OrderQuery(location_id=location, search="zebra striped"))
        assert [o.id for o in found] == [order.id]
        found, _ = await store.list_orders(OrderQuery(location_id=location, search=before))
        assert order.id in {o.id for o in found}  # the contact is unchanged
    finally:
        await store.close()
