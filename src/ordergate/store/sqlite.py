"""SQLite: the embedded default. One file, WAL journal, a writer connection and a few readers.

Reads never share a connection with an open write transaction, so a half-written import is never
visible. Writes take `BEGIN IMMEDIATE`; several processes on one file queue on SQLite's own lock.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import aiosqlite

from ordergate.domain.errors import Conflict
from ordergate.domain.order import Order
from ordergate.store.base import Row, Store
from ordergate.store.rows import OrderRows
from ordergate.store.url import DatabaseUrl

READERS = 3
_PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA busy_timeout = 10000",
    "PRAGMA foreign_keys = ON",
)
# Page cache per connection, in KiB. Each connection has its own, so the readers' caches add up: they are
# kept small, and the operating system's page cache (shared, not counted in the process's memory) holds the
# rest of a large database. The writer gets more room for the index pages a bulk import dirties.
WRITER_CACHE_KIB = 65_536
READER_CACHE_KIB = 16_384
# During bulk inserts (batches of BULK_ORDERS or more) the writer checkpoints (copies the WAL back into the
# database file) when the WAL reaches 1 GiB rather than SQLite's 4 MiB. A bulk batch of a large location
# dirties nearly every page of every index it touches, and the next batch the same pages again: checkpointed
# after every commit, each was copied back once a batch; now once for as many batches as fit (about a third
# less commit time at 150,000 orders). The first ordinary write after the load checkpoints the rest. The WAL
# file is cut back to 64 MiB whenever a checkpoint resets it, so it does not keep its largest size on disk.
BULK_ORDERS = 1_000
BULK_CHECKPOINT_PAGES = 262_144
CHECKPOINT_PAGES = 1_000  # SQLite's default
_WRITER_PRAGMAS = (f"PRAGMA wal_autocheckpoint = {CHECKPOINT_PAGES}", "PRAGMA journal_size_limit = 67108864")
# Planner statistics (ANALYZE), sampled from this many rows per index so that it takes milliseconds however
# large the database; refreshed whenever the orders inserted through this store reach as many again as there
# were at the last analysis (at least FIRST_ANALYSIS_ROWS).
ANALYSIS_LIMIT = 1_000
FIRST_ANALYSIS_ROWS = 1_000


class _SqliteTx:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, args: Sequence[Any] = ()) -> None:
        await self._conn.execute(sql, args)

    async def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        await self._conn.executemany(sql, rows)

    async def fetch(self, sql: str, args: Sequence[Any] = ()) -> list[Row]:
        return list(await self._conn.execute_fetchall(sql, args))


async def _connect(path: str, cache_kib: int, *extra: str) -> aiosqlite.Connection:
    conn = await aiosqlite.connect(path, isolation_level=None, check_same_thread=False)
    for pragma in (*_PRAGMAS, f"PRAGMA cache_size = -{cache_kib}", *extra):
        await conn.execute(pragma)
    return conn


class SqliteStore(Store):
    kind = "sqlite"

    def __init__(self, path: str, writer: aiosqlite.Connection, readers: list[aiosqlite.Connection]) -> None:
        self._path = path
        self._writer = writer
        self._write_lock = asyncio.Lock()
        self._readers: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        for reader in readers:
            self._readers.put_nowait(reader)
        self._analysed_rows = 0  # orders at the last analysis, as the statistics estimate them
        self._inserted_rows = 0  # orders inserted through this store since
        self._analyses = 0  # analyses run by this store; a reader opened before the last one is replaced
        self._reader_analyses: dict[aiosqlite.Connection, int] = dict.fromkeys(readers, 0)

    @classmethod
    async def open(cls, url: DatabaseUrl) -> SqliteStore:
        writer = await _connect(url.path, WRITER_CACHE_KIB, *_WRITER_PRAGMAS)
        readers = [await _connect(url.path, READER_CACHE_KIB) for _ in range(READERS)]
        store = cls(url.path, writer, readers)
        await store._read_statistics()
        return store

    # --- planner statistics ----------------------------------------------------------------------------
    #
    # Without statistics SQLite guesses that `location_id = ?` matches ten rows, and for a page
    # (`... AND id IN (<20 ids>) ORDER BY created_at DESC`) walks the whole tenant in index order rather than
    # fetching the 20 rows by primary key: linear in the tenant's size (70 ms at 500,000 orders instead of
    # 0.1 ms). PostgreSQL's autovacuum keeps its statistics; SQLite needs ANALYZE run for it.

    async def _read_statistics(self) -> None:
        try:
            rows = list(
                await self._writer.execute_fetchall("SELECT stat FROM sqlite_stat1 WHERE tbl = 'orders'")
            )
        except sqlite3.OperationalError:  # no statistics table: never analysed
            rows = []
        self._analysed_rows = max((int(str(row[0]).split()[0]) for row in rows), default=0)
        if not rows and await self._has_orders():
            await self.analyse()

    async def _has_orders(self) -> bool:
        try:
            return bool(list(await self._writer.execute_fetchall("SELECT 1 FROM orders LIMIT 1")))
        except sqlite3.OperationalError:  # not migrated yet
            return False

    async def analyse(self) -> None:
        """Refresh the planner statistics from a sample of every index (milliseconds)."""
        async with self._write_lock:
            await self._writer.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
            await self._writer.execute("ANALYZE")
            rows = list(
                await self._writer.execute_fetchall("SELECT stat FROM sqlite_stat1 WHERE tbl = 'orders'")
            )
        self._analysed_rows = max((int(str(row[0]).split()[0]) for row in rows), default=0)
        self._inserted_rows = 0
        self._analyses += 1

    async def _reader(self) -> aiosqlite.Connection:
        """A reader connection, replaced first if it predates the latest statistics: SQLite loads them
        when a connection first reads the schema and does not reload them after another connection's
        ANALYZE (not even after a schema change). Other processes' readers see them when they reopen."""
        conn = await self._readers.get()
        if self._reader_analyses.get(conn) == self._analyses:
            return conn
        del self._reader_analyses[conn]
        await conn.close()
        fresh = await _connect(self._path, READER_CACHE_KIB)
        self._reader_analyses[fresh] = self._analyses
        return fresh

    async def insert_orders(self, orders: Sequence[Order]) -> None:
        """As `Store.insert_orders`; the rows are built before the writer is taken, so that a batch is
        built while the one before it is being written (SQLite works without the GIL)."""
        rows = OrderRows.of(orders)
        bulk = len(orders) >= BULK_ORDERS
        try:
            async with self.transaction() as tx:
                if bulk:
                    await tx.execute(f"PRAGMA wal_autocheckpoint = {BULK_CHECKPOINT_PAGES}")
                await self._insert_orders(tx, rows)
        finally:
            if bulk:
                async with self._write_lock:
                    await self._writer.execute(f"PRAGMA wal_autocheckpoint = {CHECKPOINT_PAGES}")
        self._inserted_rows += len(orders)
        if self._inserted_rows >= max(self._analysed_rows, FIRST_ANALYSIS_ROWS):
            await self.analyse()

    async def fetch(self, sql: str, args: Sequence[Any] = ()) -> list[Row]:
        conn = await self._reader()
        try:
            return list(await conn.execute_fetchall(sql, args))
        finally:
            self._readers.put_nowait(conn)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[_SqliteTx]:
        async with self._write_lock:
            conn = self._writer
            await conn.execute("BEGIN IMMEDIATE")
            try:
                yield _SqliteTx(conn)
            except sqlite3.IntegrityError as exc:
                await conn.execute("ROLLBACK")
                raise Conflict(str(exc)) from exc
            except BaseException:
                await conn.execute("ROLLBACK")
                raise
            else:
                await conn.execute("COMMIT")

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[_SqliteTx]:
        conn = await self._reader()
        try:
            await conn.execute("BEGIN")
            try:
                yield _SqliteTx(conn)
            finally:
                await conn.execute("COMMIT")
        finally:
            self._readers.put_nowait(conn)

    async def close(self) -> None:
        for conn in [self._writer, *self._reader_analyses]:
            await conn.close()
