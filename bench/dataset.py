"""The data set, built through ordergate's own bulk import path and timed.

50 locations; the first (the heavy tenant) holds half of the orders, the other 49 share the rest. Every
order goes in through `Management.seed` -> `Store.insert_orders`, the path `ordergate seed` and
`ordergate orders import` take, with its items, opening transactions, fulfillments and timeline events.
The import rate is orders per second of wall time for the whole seeding, generation included.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from ordergate.management import Management
from ordergate.store import Store, open_store, parse_database_url
from ordergate.store.migrate import migrate

LOCATIONS = 50
SEED = 5  # the heavy tenant's; the other locations take SEED + 1 and SEED + 2
SAMPLE_SEED = 11


@dataclass(frozen=True)
class Database:
    kind: str  # "postgresql" or "sqlite", as in results.json
    url: str  # what every server is given
    admin_url: str = ""  # PostgreSQL: a database of the same server to drop and create the bench one from


@dataclass(frozen=True)
class Imported:
    location_id: str  # the heavy tenant
    token: str  # a Private Integration Token of the heavy tenant, all scopes
    orders: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.orders / self.seconds


@dataclass(frozen=True)
class Sample:
    """Values drawn from the heavy tenant for the request paths, the same for every server."""

    location_id: str
    order_ids: list[str]
    contact_ids: list[str]
    search_terms: list[str]
    paid_order_ids: list[str]  # orders with at least one transaction


def location_groups(orders: int) -> list[tuple[int, int, int]]:
    """(locations, orders each, seed) per `Management.seed` call: the heavy tenant first."""
    heavy = orders // 2
    each, extra = divmod(orders - heavy, LOCATIONS - 1)
    groups = [(1, heavy, SEED), (LOCATIONS - 1 - extra, each, SEED + 1), (extra, each + 1, SEED + 2)]
    return [group for group in groups if group[0] > 0]


async def reset(database: Database) -> None:
    """An empty database: PostgreSQL's is dropped and created again, SQLite's file removed."""
    if database.kind == "sqlite":
        _remove_sqlite(Path(parse_database_url(database.url).path))
        return
    name = database.url.rsplit("/", 1)[1].split("?", 1)[0]
    conn = await asyncpg.connect(database.admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


def _remove_sqlite(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


async def build(database: Database, orders: int) -> Imported:
    """Reset, migrate and seed the database; time the seeding; leave it analysed as a live one would be."""
    await reset(database)
    await migrate(parse_database_url(database.url))
    store = await open_store(database.url)
    try:
        manage = Management(store)
        started = time.perf_counter()
        heavy = ""
        for count, each, seed in location_groups(orders):
            made = await manage.seed(count, each, seed)
            heavy = heavy or made[0][0]
        seconds = time.perf_counter() - started
        token, _ = await manage.create_token(heavy, (), label="bench")
    finally:
        await store.close()
    await settle(database)
    return Imported(location_id=heavy, token=token, orders=orders, seconds=seconds)


async def settle(database: Database) -> None:
    """What a database that has been live for a while already has after a bulk load: PostgreSQL's
    autovacuum has set the visibility map and the planner statistics (done here at once rather than
    whenever autovacuum wakes up), and SQLite's WAL has been checkpointed into the database file."""
    if database.kind == "postgresql":
        conn = await asyncpg.connect(database.url)
        try:
            await conn.execute("VACUUM ANALYZE")
        finally:
            await conn.close()
        return
    store = await open_store(database.url)
    try:
        await store.fetch("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        await store.close()


async def sample(database: Database, location_id: str, size: int) -> Sample:
    """Order ids, contacts, search terms and paid orders of the heavy tenant, drawn with a fixed seed."""
    rng = random.Random(SAMPLE_SEED)
    store = await open_store(database.url)
    try:
        order_ids = await _column(store, "SELECT id FROM orders WHERE location_id = ?", location_id)
        contacts = await _column(
            store,
            "SELECT DISTINCT contact_id FROM orders WHERE location_id = ? AND contact_id IS NOT NULL",
            location_id,
        )
        paid = await _column(
            store, "SELECT DISTINCT order_id FROM transactions WHERE location_id = ?", location_id
        )
        picked = rng.sample(order_ids, min(size, len(order_ids)))
        terms = await _search_terms(store, location_id, picked[:200])
    finally:
        await store.close()
    return Sample(
        location_id=location_id,
        order_ids=picked,
        contact_ids=rng.sample(contacts, min(size, len(contacts))),
        search_terms=terms,
        paid_order_ids=rng.sample(paid, min(size, len(paid))),
    )


async def _column(store: Store, sql: str, location_id: str) -> list[str]:
    return sorted(str(row[0]) for row in await store.fetch(sql, (location_id,)))


async def _search_terms(store: Store, location_id: str, order_ids: list[str]) -> list[str]:
    """Customers' last names, as someone looking up a customer's orders would type them."""
    terms: list[str] = []
    for order_id in order_ids:
        rows = await store.fetch(
            "SELECT search_text FROM orders WHERE location_id = ? AND id = ?", (location_id, order_id)
        )
        lines = str(rows[0][0]).split("\n") if rows else []
        if len(lines) > 1 and lines[1].strip():
            terms.append(lines[1].split()[-1])
    return sorted(set(terms))


async def api_client(database: Database, location_id: str) -> tuple[str, str] | None:
    """(client id, secret) of a new Elastic Path API client of the heavy tenant, where ordergate has them."""
    store = await open_store(database.url)
    try:
        create = getattr(Management(store), "create_client", None)
        if create is None:
            return None
        secret, client = await create(location_id)
        return str(client.client_id), str(secret)
    finally:
        await store.close()
