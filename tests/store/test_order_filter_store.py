"""The store's filtered order query, API clients and access tokens, and migration 0003's backfill, on both
databases."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from ordergate.domain.oauth import AccessToken, ApiClient, GrantType
from ordergate.domain.order_filter import Condition, FilteredOrderQuery, Op, OrderField, Sort
from ordergate.management import Management
from ordergate.store import Store, open_store, parse_database_url
from ordergate.store.base import _ORDER_COLUMNS, order_row, product_rows
from ordergate.store.migrate import _config

NEW_COLUMNS = [name.strip() for name in _ORDER_COLUMNS.split(",")][12:]


async def _seeded(store: Store) -> str:
    ((location, _),) = await Management(store).seed(1, 40, 21)
    return location


async def _migrate(url: str, target: str) -> None:
    engine = create_async_engine(parse_database_url(url).sqlalchemy_url())

    def run(connection: Connection) -> None:
        config = _config()
        config.attributes["connection"] = connection
        if target == "head":
            command.upgrade(config, "head")
        else:
            command.downgrade(config, target)

    try:
        async with engine.begin() as conn:
            await conn.run_sync(run)
    finally:
        await engine.dispose()


async def test_migration_0003_fills_the_new_columns_from_the_stored_orders(database_url: str) -> None:
    store = await open_store(database_url)
    try:
        location = await _seeded(store)
    finally:
        await store.close()
    await _migrate(database_url, "0002")  # drops the columns...
    await _migrate(database_url, "head")  # ...and 0003 fills them again from `data`
    store = await open_store(database_url)
    try:
        rows = await store.fetch(
            f"SELECT id, {', '.join(NEW_COLUMNS)} FROM orders WHERE location_id = ? ORDER BY id", (location,)
        )
        assert len(rows) == 40
        for row in rows:
            order = await store.get_order(location, row[0])
            assert order is not None
            assert tuple(row[i] for i in range(1, len(NEW_COLUMNS) + 1)) == order_row(order)[12:]
            skus = await store.fetch(
                "SELECT product_id, sku FROM order_products WHERE location_id = ? AND order_id = ?",
                (location, order.id),
            )
            assert sorted((r[0], r[1]) for r in skus) == sorted((r[1], r[3]) for r in product_rows(order))
    finally:
        await store.close()


async def test_filter_orders_pages_sorts_and_counts(store: Store) -> None:
    location = await _seeded(store)
    query = FilteredOrderQuery(
        location_id=location,
        conditions=(Condition(field=OrderField.TOTAL, op=Op.GE, values=(0,)),),
        sort=Sort(field=OrderField.CREATED_AT, descending=False),
        limit=15,
        offset=10,
    )
    page, total = await store.filter_orders(query)
    assert total == 40
    everything, _ = await store.filter_orders(
        FilteredOrderQuery(
            location_id=location, sort=Sort(field=OrderField.CREATED_AT, descending=False), limit=100
        )
    )
    assert [o.id for o in page] == [o.id for o in everything[10:25]]
    assert [o.created_at for o in everything] == sorted(o.created_at for o in everything)


async def test_an_empty_in_matches_nothing_without_asking(store: Store) -> None:
    location = await _seeded(store)
    nothing = FilteredOrderQuery(
        location_id=location, conditions=(Condition(field=OrderField.STATUS, op=Op.IN, values=()),)
    )
    assert await store.filter_orders(nothing) == ([], 0)


async def test_like_treats_percent_and_underscore_literally(store: Store) -> None:
    location = await _seeded(store)
    orders, _ = await store.filter_orders(FilteredOrderQuery(location_id=location, limit=100))
    named = [o for o in orders if o.contact is not None]
    assert named
    for pattern, expected in (("%", 0), ("_*", 0), ("*", len(named))):
        query = FilteredOrderQuery(
            location_id=location,
            conditions=(Condition(field=OrderField.CONTACT_EMAIL, op=Op.LIKE, values=(pattern,)),),
            limit=100,
        )
        assert (await store.filter_orders(query))[1] == expected, pattern


async def test_clients_and_tokens(store: Store) -> None:
    location = await _seeded(store)
    client = ApiClient(client_id="c" * 40, location_id=location, secret_hash="h" * 64, created_at=1)
    await store.create_api_client(client)
    assert await store.get_api_client(client.client_id) == client
    assert await store.get_api_client("nobody") is None
    stale = AccessToken(
        token_hash="1" * 64,
        location_id=location,
        client_id=client.client_id,
        grant_type=GrantType.IMPLICIT,
        created_at=1,
        expires_at=2,
    )
    await store.save_access_token(stale)
    assert await store.access_token(stale.token_hash) == stale
    fresh = AccessToken(
        token_hash="2" * 64,
        location_id=location,
        client_id=client.client_id,
        grant_type=GrantType.CLIENT_CREDENTIALS,
        created_at=200_000_000,
        expires_at=203_600_000,
    )
    await store.save_access_token(fresh)  # forgets tokens that expired a day before
    assert await store.access_token(stale.token_hash) is None
    assert await store.access_token(fresh.token_hash) == fresh
    await store.fetch("UPDATE api_clients SET revoked_at = 5 WHERE client_id = ?", (client.client_id,))
    assert await store.access_token(fresh.token_hash) is None
