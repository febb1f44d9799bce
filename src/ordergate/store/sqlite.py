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
from ordergate.store.base import Row, Store
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


class _SqliteTx:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, args: Sequence[Any] = ()) -> None:
        await self._conn.execute(sql, args)

    async def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        await self._conn.executemany(sql, rows)

    async def fetch(self, sql: str, args: Sequence[Any] = ()) -> list[Row]:
        return list(await self._conn.execute_fetchall(sql, args))


async def _connect(path: str, cache_kib: int) -> aiosqlite.Connection:
    conn = await aiosqlite.connect(path, isolation_level=None, check_same_thread=False)
    for pragma in (*_PRAGMAS, f"PRAGMA cache_size = -{cache_kib}"):
        await conn.execute(pragma)
    return conn


class SqliteStore(Store):
    kind = "sqlite"

    def __init__(self, writer: aiosqlite.Connection, readers: list[aiosqlite.Connection]) -> None:
        self._writer = writer
        self._write_lock = asyncio.Lock()
        self._readers: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        for reader in readers:
            self._readers.put_nowait(reader)
        self._all = [writer, *readers]

    @classmethod
    async def open(cls, url: DatabaseUrl) -> SqliteStore:
        writer = await _connect(url.path, WRITER_CACHE_KIB)
        readers = [await _connect(url.path, READER_CACHE_KIB) for _ in range(READERS)]
        return cls(writer, readers)

    async def fetch(self, sql: str, args: Sequence[Any] = ()) -> list[Row]:
        conn = await self._readers.get()
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
        conn = await self._readers.get()
        try:
            await conn.execute("BEGIN")
            try:
                yield _SqliteTx(conn)
            finally:
                await conn.execute("COMMIT")
        finally:
            self._readers.put_nowait(conn)

    async def close(self) -> None:
        for conn in self._all:
            await conn.close()
