"""PostgreSQL: production. asyncpg with a connection pool and prepared statements it caches itself."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from functools import lru_cache
from typing import Any

import asyncpg

from ordergate.domain.errors import Conflict
from ordergate.store.base import Row, Store, Tx
from ordergate.store.url import DatabaseUrl

_MARK = re.compile(r"\?")
COPY_THRESHOLD = 64  # rows; below this an INSERT's prepared statement is cheaper than COPY's set-up
# Large values written (the JSON of an order, a transaction) are compressed with lz4 rather than the default
# pglz: several times cheaper to write and to read, for about the same size. Values already stored keep
# their compression, and reads handle both. Startup settings, so that the pool's RESET ALL keeps them.
SESSION_SETTINGS = {"default_toast_compression": "lz4"}


@lru_cache(maxsize=1024)
def numbered(sql: str) -> str:
    """`?` placeholders as asyncpg's `$1, $2, ...`."""
    counter = iter(range(1, 10_000))
    return _MARK.sub(lambda _: f"${next(counter)}", sql)


class _PostgresTx:
    def __init__(self, conn: asyncpg.pool.PoolConnectionProxy[asyncpg.Record]) -> None:
        self._conn = conn

    async def execute(self, sql: str, args: Sequence[Any] = ()) -> None:
        await self._conn.execute(numbered(sql), *args)

    async def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        await self._conn.executemany(numbered(sql), rows)

    async def fetch(self, sql: str, args: Sequence[Any] = ()) -> list[Row]:
        return list(await self._conn.fetch(numbered(sql), *args))

    async def copy(self, table: str, columns: str, rows: Sequence[Sequence[Any]]) -> None:
        await self._conn.copy_records_to_table(
            table, records=rows, columns=[name.strip() for name in columns.split(",")]
        )


class PostgresStore(Store):
    kind = "postgresql"
    lock_clause = " FOR UPDATE"

    def __init__(self, pool: asyncpg.Pool[asyncpg.Record]) -> None:
        self._pool = pool

    @classmethod
    async def open(cls, url: DatabaseUrl, *, min_size: int = 2, max_size: int = 10) -> PostgresStore:
        try:
            pool = await asyncpg.create_pool(
                url.url, min_size=min_size, max_size=max_size, server_settings=SESSION_SETTINGS
            )
        except (asyncpg.InvalidParameterValueError, asyncpg.UndefinedObjectError):  # no lz4; before 14
            pool = await asyncpg.create_pool(url.url, min_size=min_size, max_size=max_size)
        return cls(pool)

    async def fetch(self, sql: str, args: Sequence[Any] = ()) -> list[Row]:
        return list(await self._pool.fetch(numbered(sql), *args))

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[_PostgresTx]:
        async with self._pool.acquire() as conn:
            try:
                async with conn.transaction():
                    yield _PostgresTx(conn)
            except asyncpg.IntegrityConstraintViolationError as exc:
                raise Conflict(str(exc)) from exc

    async def _bulk_insert(self, tx: Tx, table: str, columns: str, rows: Sequence[Sequence[Any]]) -> None:
        """Many rows go in by `COPY ... FROM STDIN (FORMAT binary)`: one round trip and no per-row statement.
        Inside the caller's transaction all the same, so a duplicate key (UniqueViolationError) still undoes
        everything and surfaces as `Conflict`; a handful of rows take the ordinary INSERT."""
        if len(rows) < COPY_THRESHOLD:
            await super()._bulk_insert(tx, table, columns, rows)
            return
        assert isinstance(tx, _PostgresTx)
        await tx.copy(table, columns, rows)

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[_PostgresTx]:
        async with self._pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
            yield _PostgresTx(conn)

    async def close(self) -> None:
        await self._pool.close()
