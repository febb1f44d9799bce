"""The ceiling: the most the stack under ordergate can serve, for ordergate's ratio to be read against.

A bare ASGI callable on the same server (uvicorn, uvloop, httptools, one worker), with the same driver and
pool as ordergate's store, running the same SQL: the primary-key lookup for one order, and for a list the
same page and count queries in the same kind of snapshot (built by the store's own filter functions). It
answers with the stored JSON as it is. No token check, no parameter validation, no rendering, no logging.

    BENCH_DATABASE_URL=postgresql://... uvicorn bench.ceiling:app
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl

import aiosqlite
import asyncpg

from ordergate.domain.clock import DAY_MS, parse_day
from ordergate.domain.order import OrderStatus, PaymentStatus
from ordergate.domain.query import OrderQuery, TransactionQuery
from ordergate.store.base import order_filters
from ordergate.store.history import transaction_filters
from ordergate.store.postgres import numbered
from ordergate.store.sqlite import READER_CACHE_KIB, READERS
from ordergate.store.url import parse_database_url

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

GET_ORDER = "SELECT data FROM orders WHERE location_id = ? AND id = ?"
PAGE = "SELECT data FROM {table} WHERE {where} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?"
COUNT = "SELECT count(*) FROM {table} WHERE {where}"
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA busy_timeout = 10000",
    f"PRAGMA cache_size = -{READER_CACHE_KIB}",  # as ordergate's readers
)


class Postgres:
    def __init__(self, pool: asyncpg.Pool[asyncpg.Record]) -> None:
        self.pool = pool

    async def value(self, sql: str, args: list[Any]) -> Any:
        return await self.pool.fetchval(numbered(sql), *args)

    async def page(
        self, table: str, where: str, args: list[Any], limit: int, offset: int
    ) -> tuple[list[str], int]:
        async with self.pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
            rows = await conn.fetch(numbered(PAGE.format(table=table, where=where)), *args, limit, offset)
            total = await conn.fetchval(numbered(COUNT.format(table=table, where=where)), *args)
        return [row[0] for row in rows], int(total)


class Sqlite:
    def __init__(self, readers: list[aiosqlite.Connection]) -> None:
        self.readers: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        for reader in readers:
            self.readers.put_nowait(reader)

    async def value(self, sql: str, args: list[Any]) -> Any:
        conn = await self.readers.get()
        try:
            rows = list(await conn.execute_fetchall(sql, args))
        finally:
            self.readers.put_nowait(conn)
        return rows[0][0] if rows else None

    async def page(
        self, table: str, where: str, args: list[Any], limit: int, offset: int
    ) -> tuple[list[str], int]:
        conn = await self.readers.get()
        try:
            await conn.execute("BEGIN")
            try:
                rows = list(
                    await conn.execute_fetchall(PAGE.format(table=table, where=where), [*args, limit, offset])
                )
                total = list(await conn.execute_fetchall(COUNT.format(table=table, where=where), args))
            finally:
                await conn.execute("COMMIT")
        finally:
            self.readers.put_nowait(conn)
        return [row[0] for row in rows], int(total[0][0])


async def connect(url: str) -> Postgres | Sqlite:
    parsed = parse_database_url(url)
    if parsed.kind == "postgresql":
        return Postgres(await asyncpg.create_pool(url, min_size=2, max_size=10))
    readers = []
    for _ in range(READERS):
        conn = await aiosqlite.connect(parsed.path, isolation_level=None, check_same_thread=False)
        for pragma in SQLITE_PRAGMAS:
            await conn.execute(pragma)
        readers.append(conn)
    return Sqlite(readers)


def _int(query: dict[str, str], name: str, default: int) -> int:
    return int(query[name]) if query.get(name) else default


def order_query(query: dict[str, str]) -> OrderQuery:
    start, end = query.get("startAt"), query.get("endAt")
    return OrderQuery(
        location_id=query["altId"],
        status=OrderStatus(query["status"]) if query.get("status") else None,
        payment_status=PaymentStatus(query["paymentStatus"]) if query.get("paymentStatus") else None,
        created_from=parse_day(start) if start else None,
        created_to=parse_day(end) + DAY_MS - 1 if end else None,
        contact_id=query.get("contactId") or None,
        search=query["search"].strip().lower() if query.get("search") else None,
        limit=_int(query, "limit", 10),
        offset=_int(query, "offset", 0),
    )


class Ceiling:
    def __init__(self) -> None:
        self.db: Postgres | Sqlite | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    self.db = await connect(os.environ["BENCH_DATABASE_URL"])
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        status, body = await self.answer(scope["path"], scope["query_string"])
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def answer(self, path: str, query_string: bytes) -> tuple[int, bytes]:
        assert self.db is not None
        query = dict(parse_qsl(query_string.decode("latin-1")))
        if path.startswith("/payments/orders/"):
            data = await self.db.value(GET_ORDER, [query["altId"], path.rsplit("/", 1)[1]])
            return (200, data.encode()) if data is not None else (404, b'{"message":"Order not found"}')
        if path == "/payments/orders":
            orders = order_query(query)
            where, args = order_filters(orders)
            rows, total = await self.db.page("orders", where, args, orders.limit, orders.offset)
            return 200, _page(rows, total)
        if path == "/payments/transactions":
            transactions = TransactionQuery(
                location_id=query["altId"],
                order_id=query.get("entityId") or None,
                limit=_int(query, "limit", 10),
                offset=_int(query, "offset", 0),
            )
            where, args = transaction_filters(transactions)
            rows, total = await self.db.page(
                "transactions", where, args, transactions.limit, transactions.offset
            )
            return 200, _page(rows, total)
        if path == "/healthz":
            return 200, b'{"status":"ok"}'
        return 404, b'{"message":"not found"}'


def _page(rows: list[str], total: int) -> bytes:
    return b'{"data":[' + ",".join(rows).encode() + b'],"totalCount":' + str(total).encode() + b"}"


app = Ceiling()
