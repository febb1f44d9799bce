"""Large seedings generate their orders in a worker process: the stored data is the same as when they are
generated in this one, batch after batch and location after location."""

from __future__ import annotations

import hashlib

import pytest

from ordergate import management
from ordergate.management import Management
from ordergate.store import Store

TABLES = (
    "orders",
    "order_products",
    "transactions",
    "fulfillments",
    "order_events",
    "order_counts",
    "order_day_counts",
    "order_contact_counts",
)


async def _digest(store: Store) -> str:
    digest = hashlib.sha256()
    for table in TABLES:
        rows = await store.fetch(f"SELECT * FROM {table}")
        for row in sorted(repr(r) for r in rows):
            digest.update(row.encode())
    return digest.hexdigest()


async def _seeded(
    store: Store, worker: bool, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[tuple[str, int]], str]:
    monkeypatch.setattr(management, "WORKER_MIN_ORDERS", 0 if worker else 10**9)
    made = await Management(store).seed(2, 30, 9)
    return made, await _digest(store)


async def test_the_worker_seeds_what_this_process_would(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(management, "SEED_BATCH", 7)  # several batches a location
    by_worker = await _seeded(store, True, monkeypatch)
    for table in reversed(TABLES):
        async with store.transaction() as tx:
            await tx.execute(f"DELETE FROM {table}")
    async with store.transaction() as tx:
        await tx.execute("DELETE FROM orders_search")
    async with store.transaction() as tx:
        await tx.execute("DELETE FROM locations")
    here = await _seeded(store, False, monkeypatch)
    assert by_worker == here
    assert by_worker[0] == [(by_worker[0][0][0], 30), (by_worker[0][1][0], 30)]
