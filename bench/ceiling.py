"""The ceiling: the most the stack under ordergate can serve, for ordergate's ratio to be read against.

A bare ASGI callable on the same server (uvicorn, uvloop, httptools, one worker), with the same driver and
pool settings as ordergate's store, sending exactly the statements ordergate's store sends for the request
(recorded from the store's own code, see `bench.statements`), in the same kind of snapshot for a page and
its count. It answers with the stored JSON as it is: no token check, no parameter validation beyond what
building the query needs, no decoding or rendering, no logging.

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

from bench.statements import Statement, statements_of
from ordergate.domain.clock import DAY_MS, parse_day
from ordergate.domain.order import OrderStatus, PaymentStatus
from ordergate.domain.query import OrderQuery, TransactionQuery
from ordergate.store.postgres import numbered
from ordergate.store.sqlite import READER_CACHE_KIB, READERS
from ordergate.store.url import parse_database_url

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA busy_timeout = 10000",
    f"PRAGMA cache_size = -{READER_CACHE_KIB}",  # as ordergate's readers
)


class Postgres:
    kind = "postgresql"

    def __init__(self, pool: asyncpg.Pool[asyncpg.Record]) -> None:
        self.pool = pool

    async def value(self, statement: Statement) -> Any:
        return await self.pool.fetchval(numbered(statement[0]), *statement[1])

    async def snapshot(self, statements: list[Statement]) -> list[list[Any]]:
        async with self.pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
            return [list(await conn.fetch(numbered(sql), *args)) for sql, args in statements]


class Sqlite:
    kind = "sqlite"

    def __init__(self, readers: list[aiosqlite.Connection]) -> None:
        self.readers: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        for reader in readers:
            self.readers.put_nowait(reader)

    async def value(self, statement: Statement) -> Any:
        conn = await self.readers.get()
        try:
            rows = list(await conn.execute_fetchall(*statement))
        finally:
            self.readers.put_nowait(conn)
        return rows[0][0] if rows else None

    async def snapshot(self, statements: list[Statement]) -> list[list[Any]]:
        conn = await self.readers.get()
        try:
            await conn.execute("BEGIN")
            try:
                return [list(await conn.execute_fetchall(sql, args)) for sql, args in statements]
            finally:
                await conn.execute("COMMIT")
        finally:
            self.readers.put_nowait(conn)


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
        db = self.db
        assert db is not None
        query = dict(parse_qsl(query_string.decode("latin-1")))
        if path.startswith("/payments/orders/"):
            location, order_id = query["altId"], path.rsplit("/", 1)[1]
            sent = await statements_of(db.kind, lambda store: store.get_order(location, order_id))
            data = await db.value(sent[0])
            return (200, data.encode()) if data is not None else (404, b'{"message":"Order not found"}')
        if path == "/payments/orders":
            orders = order_query(query)
            sent = await statements_of(db.kind, lambda store: store.list_orders(orders))
        elif path == "/payments/transactions":
            transactions = TransactionQuery(
                location_id=query["altId"],
                order_id=query.get("entityId") or None,
                limit=_int(query, "limit", 10),
                offset=_int(query, "offset", 0),
            )
            sent = await statements_of(db.kind, lambda store: store.list_transactions(transactions))
        elif path == "/healthz":
            return 200, b'{"status":"ok"}'
        else:
            return 404, b'{"message":"not found"}'
        results = await db.snapshot(sent)  # the page first, its count last, as the store reads them
        return 200, _page([row[0] for row in results[0]], int(results[-1][0][0]))


def _page(rows: list[str], total: int) -> bytes:
    return b'{"data":[' + ",".join(rows).encode() + b'],"totalCount":' + str(total).encode() + b"}"


app = Ceiling()
