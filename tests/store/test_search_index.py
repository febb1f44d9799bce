"""The search index on both databases: the same pages and exact counts as a plain substring match, for a
search alone (PostgreSQL answers it from `orders_search` alone) and combined with other filters; kept in
step with changes; and PostgreSQL's table filled from the stored orders by revision 0007."""

from __future__ import annotations

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from ordergate.domain.access import Location
from ordergate.domain.order import Order, OrderStatus
from ordergate.domain.query import OrderQuery
from ordergate.seeding import generate_orders, location_ids
from ordergate.store import Store, open_store
from ordergate.store.base import order_row
from ordergate.store.search_index import doubled
from tests.store.test_order_filter_store import _migrate


def _expected(orders: list[Order], query: OrderQuery) -> tuple[list[str], int]:
    found = [
        o
        for o in orders
        if query.search is not None
        and query.search in o.search_text
        and (query.status is None or o.status is query.status)
    ]
    found.sort(key=lambda o: (o.created_at, o.id), reverse=True)
    return [o.id for o in found[query.offset : query.offset + query.limit]], len(found)


def _terms(orders: list[Order]) -> list[str]:
    """Common and rare terms drawn from the orders (two characters too: what a trigram index cannot look
    up), a term found nowhere, LIKE's own wildcards and its escape character."""
    terms = ["a", "e", "zzqx", "%", "_", "\\", "a%e", "%an", "n_e", "\\ab", "@gm", ".co"]
    for order in orders[:8]:
        assert order.contact is not None
        name = order.search_text.split("\n")[1]
        terms.extend([order.contact.email.lower(), name.split()[-1][:4], name[:2], name[-2:]])
    return terms


async def _assert_search_matches(store: Store, location: str, orders: list[Order]) -> None:
    for term in _terms(orders):
        for status, offset in ((None, 0), (None, 7), (OrderStatus.COMPLETED, 0)):
            query = OrderQuery(location_id=location, search=term, status=status, limit=15, offset=offset)
            page, total = await store.list_orders(query)
            assert ([o.id for o in page], total) == _expected(orders, query), query


async def _seed(store: Store, seed: int) -> tuple[str, list[Order]]:
    (location,) = location_ids(1, seed)
    await store.create_location(Location(id=location, name="Searched", created_at=1))
    orders = list(generate_orders(location, 80, seed))
    await store.insert_orders(orders[:40])
    await store.insert_orders(orders[40:])
    (other,) = location_ids(1, seed + 1)  # another location's orders never show
    await store.create_location(Location(id=other, name="Other", created_at=1))
    await store.insert_orders(list(generate_orders(other, 30, seed + 1)))
    return location, orders


async def test_search_pages_and_counts_follow_the_orders(store: Store) -> None:
    location, orders = await _seed(store, 31)
    await _assert_search_matches(store, location, orders)
    order = orders[3]
    async with store.order_work(location, order.id) as work:
        assert work.order is not None
        work.order.name = "Zebra striped teapot"
        await work.save_order(order_row(work.order))
        orders[3] = work.order
    await _assert_search_matches(store, location, orders)
    found, total = await store.list_orders(OrderQuery(location_id=location, search="zebra striped"))
    assert ([o.id for o in found], total) == ([order.id], 1)


async def test_migrations_fill_the_search_index(database_url: str) -> None:
    """PostgreSQL's table (revision 0007) and SQLite's doubled keys (revision 0009), from stored orders."""
    store = await open_store(database_url)
    try:
        location, orders = await _seed(store, 41)
        orders = await _with_names(store, location, orders)
    finally:
        await store.close()
    await _migrate(database_url, "0006")  # back to no table (PostgreSQL) or the first FTS5 table (SQLite)...
    await _migrate(database_url, "head")  # ...and the index is filled again from `orders`
    store = await open_store(database_url)
    try:
        await _assert_search_matches(store, location, orders)
        for term in NAME_TERMS:
            query = OrderQuery(location_id=location, search=term, limit=50)
            page, total = await store.list_orders(query)
            assert ([o.id for o in page], total) == _expected(orders, query), term
        rows = await store.fetch("SELECT search_text, search_key FROM orders_search")
        assert len(rows) == len(orders) + 30
        for row in rows:
            text, stored_key = row[0], row[1]
            if store.kind == "postgresql":  # the text, and its doubled form where that differs
                assert stored_key == doubled(text)
            elif text is None:  # ASCII text is its own key
                assert doubled(stored_key) is None
            else:  # otherwise the key is the doubled text
                assert stored_key == doubled(text)
    finally:
        await store.close()


def _key(text: str) -> str:
    return doubled(text) or text


@given(st.text(min_size=1, max_size=6), st.text(max_size=30), st.text(max_size=6))
def test_a_term_in_a_text_is_in_its_doubled_key(term: str, before: str, after: str) -> None:
    assert _key(term) in _key(before + term + after)


NAMES = ["田中 結衣", "伊藤 翔", "中田 花子", "田 中", "田田 中中", "ab cd"]
NAME_TERMS = ["田中", "中田", "田", "中中", "田田", "花子", "ab", "b c", "田中 結"]


async def _with_names(store: Store, location: str, orders: list[Order]) -> list[Order]:
    """`orders` and six more whose contacts have short (two-character) names."""
    renamed = []
    for order, name in zip(orders[: len(NAMES)], NAMES, strict=True):
        assert order.contact is not None
        first, last = name.split()
        contact = msgspec.structs.replace(order.contact, first_name=first, last_name=last)
        renamed.append(msgspec.structs.replace(order, id=order.id[:-6] + "ffffff", contact=contact))
    await store.insert_orders(renamed)
    return orders + renamed


async def test_two_character_names_are_found_through_the_index(store: Store) -> None:
    location, orders = await _seed(store, 51)
    orders = await _with_names(store, location, orders)
    for term in NAME_TERMS:
        query = OrderQuery(location_id=location, search=term, limit=50)
        page, total = await store.list_orders(query)
        assert ([o.id for o in page], total) == _expected(orders, query), term
