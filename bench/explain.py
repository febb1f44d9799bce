"""The query plans of the list scenarios, as the database chose them for the bench's data.

Each list scenario's first path is parsed by ordergate's own HighLevel parser and turned into SQL by the
store's own filter functions, so the plan is that of the statements ordergate sends. PostgreSQL shows
`EXPLAIN (ANALYZE, BUFFERS)`; SQLite `EXPLAIN QUERY PLAN`. Both are timed by running the page and the count
query three times and keeping the fastest.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from bench.dataset import Database
from ordergate.domain.query import TransactionQuery
from ordergate.highlevel.params import QueryReader, list_orders_query
from ordergate.store import Store, open_store
from ordergate.store.base import order_filters
from ordergate.store.history import transaction_filters

PAGE = "SELECT data FROM {table} WHERE {where} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?"
COUNT = "SELECT count(*) FROM {table} WHERE {where}"


@dataclass(frozen=True)
class Plan:
    database: str
    scenario: str
    path: str
    page_sql: str
    page_plan: str
    count_sql: str
    count_plan: str
    best_ms: float  # page + count, the fastest of three runs


def statements(path: str) -> tuple[str, str, list[Any], list[Any]]:
    """(page SQL, count SQL, page arguments, count arguments) that ordergate runs for `path`."""
    route, _, query_string = path.partition("?")
    pairs = parse_qsl(query_string, keep_blank_values=True)
    values = dict(pairs)
    if route == "/payments/transactions":
        query = TransactionQuery(location_id=values["altId"], order_id=values.get("entityId"))
        where, args = transaction_filters(query)
        table, limit, offset = "transactions", query.limit, query.offset
    else:
        orders = list_orders_query(QueryReader(pairs), values["altId"])
        where, args = order_filters(orders)
        table, limit, offset = "orders", orders.limit, orders.offset
    return (
        PAGE.format(table=table, where=where),
        COUNT.format(table=table, where=where),
        [*args, limit, offset],
        args,
    )


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
            page_sql, count_sql, page_args, count_args = statements(path)
            best = float("inf")
            for _ in range(3):
                started = time.perf_counter()
                await store.fetch(page_sql, page_args)
                await store.fetch(count_sql, count_args)
                best = min(best, time.perf_counter() - started)
            found.append(
                Plan(
                    database=database.kind,
                    scenario=scenario,
                    path=path,
                    page_sql=page_sql,
                    page_plan=await _plan(store, page_sql, page_args),
                    count_sql=count_sql,
                    count_plan=await _plan(store, count_sql, count_args),
                    best_ms=best * 1000,
                )
            )
    finally:
        await store.close()
    return found
