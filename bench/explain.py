"""The query plans of the list scenarios, as the database chose them for the bench's data.

Each list scenario's first path is parsed by ordergate's own HighLevel parser and handed to the store's own
list method, whose statements are recorded (`bench.statements`), so these are the plans of exactly what
ordergate sends. PostgreSQL shows `EXPLAIN (ANALYZE, BUFFERS)`, SQLite `EXPLAIN QUERY PLAN`. The statements
are also timed together, the fastest of three runs.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from bench.dataset import Database
from bench.statements import Statement, statements_of
from ordergate.highlevel.params import QueryReader, list_orders_query, list_transactions_query
from ordergate.store import Store, open_store


@dataclass(frozen=True)
class Plan:
    database: str
    scenario: str
    path: str
    statements: list[tuple[str, str]]  # (SQL, its plan) in the order the store sends them
    best_ms: float  # all of them, the fastest of three runs


async def statements(kind: str, path: str) -> list[Statement]:
    """The statements ordergate's store sends to answer `path`."""
    route, _, query_string = path.partition("?")
    pairs = parse_qsl(query_string, keep_blank_values=True)
    location = dict(pairs)["altId"]
    if route == "/payments/transactions":
        transactions = list_transactions_query(QueryReader(pairs), location)
        return await statements_of(kind, lambda store: store.list_transactions(transactions))
    orders = list_orders_query(QueryReader(pairs), location)
    return await statements_of(kind, lambda store: store.list_orders(orders))


async def _plan(store: Store, sql: str, args: list[Any]) -> str:
    if store.kind == "postgresql":
        rows = await store.fetch(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}", args)
        return "\n".join(str(row[0]) for row in rows)
    rows = await store.fetch(f"EXPLAIN QUERY PLAN {sql}", args)
    return "\n".join(str(row[3]) for row in rows)


async def plans(database: Database, paths: dict[str, Path]) -> list[Plan]:
    store = await open_store(database.url)
    found = []
    try:
        for scenario, file in paths.items():
            if not scenario.startswith("list_"):
                continue
            path = file.read_text().splitlines()[0]
            sent = await statements(store.kind, path)
            best = float("inf")
            for _ in range(3):
                started = time.perf_counter()
                for sql, args in sent:
                    await store.fetch(sql, args)
                best = min(best, time.perf_counter() - started)
            explained = [(sql, await _plan(store, sql, args)) for sql, args in sent]
            found.append(Plan(database.kind, scenario, path, explained, best * 1000))
    finally:
        await store.close()
    return found
