"""The SQL ordergate's store sends for one call, recorded without touching a database.

The ceiling app and the query plans need exactly the statements ordergate runs, and the store's SQL keeps
changing (counters for counts, pages found on the index first, search indexes). Rather than copy it, they
run the store's own method against a `Store` whose driver records each statement and answers nothing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager, suppress
from typing import Any

from ordergate.store import Store
from ordergate.store.base import Row

Statement = tuple[str, list[Any]]


class _RecordingTx:
    def __init__(self, statements: list[Statement]) -> None:
        self._statements = statements

    async def execute(self, sql: str, args: Sequence[Any] = ()) -> None:
        self._statements.append((sql, list(args)))

    async def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        raise NotImplementedError("reads only")

    async def fetch(self, sql: str, args: Sequence[Any] = ()) -> list[Row]:
        self._statements.append((sql, list(args)))
        return []


class StatementRecorder(Store):
    """A store of the given kind ("postgresql", "sqlite") whose every read returns no rows."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.statements: list[Statement] = []

    async def fetch(self, sql: str, args: Sequence[Any] = ()) -> list[Row]:
        return await _RecordingTx(self.statements).fetch(sql, args)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[_RecordingTx]:
        yield _RecordingTx(self.statements)

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[_RecordingTx]:
        yield _RecordingTx(self.statements)

    async def close(self) -> None:
        return None


async def statements_of(kind: str, call: Callable[[Store], Awaitable[object]]) -> list[Statement]:
    """What `call(store)` sends. A count read from no rows fails after the statements are all sent."""
    recorder = StatementRecorder(kind)
    with suppress(IndexError):
        await call(recorder)
    if not recorder.statements:
        raise RuntimeError("the call sent no SQL")
    return recorder.statements
