"""The store interface and its SQL, shared by both databases.

Every statement about tenant data names `location_id` first. SQL is written once with `?` placeholders;
the PostgreSQL driver numbers them. Orders are stored twice over: the columns that filters and sorting
need, and the whole canonical order as JSON (`data`), which is what reads decode.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Protocol

import msgspec

from ordergate.domain.access import Location, Scope, TokenRecord
from ordergate.domain.order import Order
from ordergate.domain.order_filter import FilteredOrderQuery, Op
from ordergate.domain.query import OrderQuery, TransactionQuery
from ordergate.domain.transaction import Fulfillment, OrderEvent, Transaction
from ordergate.store import counts, order_filter, search_index
from ordergate.store.clients import ApiClientRecords
from ordergate.store.history import (
    EVENT_COLUMNS,
    FULFILLMENT_COLUMNS,
    TRANSACTION_COLUMNS,
    OrderWork,
    decode_event,
    decode_fulfillment,
    decode_transaction,
    placeholders,
    transaction_filters,
)
from ordergate.store.rows import OrderRows, order_row, product_rows
from ordergate.store.search_index import SearchIndex

_decode_order = msgspec.json.Decoder(Order).decode
__all__ = ["OrderRows", "Row", "Store", "Tx", "order_filters", "order_row", "product_rows", "token_from_row"]


class Row(Protocol):
    """A result row of either driver (a tuple or an asyncpg Record), read by position."""

    def __getitem__(self, index: int, /) -> Any: ...


class Tx(Protocol):
    """One open transaction (or a plain connection) of a driver."""

    async def execute(self, sql: str, args: Sequence[Any] = ()) -> None: ...
    async def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...
    async def fetch(self, sql: str, args: Sequence[Any] = ()) -> list[Row]: ...


_ORDER_COLUMNS = (
    "location_id, id, created_at, updated_at, status, payment_status, fulfillment_status, "
    "live_mode, contact_id, source_id, search_text, data, "
    # for filters and sorts in a client's own terms (Elastic Path); free text lowercased (migration 0003)
    "currency, total, total_without_tax, contact_id_lower, contact_name, contact_email, "
    "order_number, external_ref, shipping_postcode, billing_postcode"
)
_PRODUCT_COLUMNS = "location_id, product_id, order_id, sku"
_TOKEN_COLUMNS = "id, location_id, scopes, token_hash, created_at, revoked_at, label"  # noqa: S105


def order_filters(query: OrderQuery, *, search: SearchIndex) -> tuple[str, list[Any]]:
    """The WHERE clause of a list query and its arguments, location first; a search term is looked up in
    the `search` index of the store's database (`search_index`)."""
    clauses = ["location_id = ?"]
    args: list[Any] = [query.location_id]
    if query.status is not None:
        clauses.append("status = ?")
        args.append(query.status.value)
    if query.payment_status is not None:
        clauses.append("payment_status = ?")
        args.append(query.payment_status.value)
    if query.live_mode is not None:
        clauses.append("live_mode = ?")
        args.append(query.live_mode)
    if query.contact_id is not None:
        clauses.append("contact_id = ?")
        args.append(query.contact_id)
    if query.source_id is not None:
        clauses.append("source_id = ?")
        args.append(query.source_id)
    if query.created_from is not None:
        clauses.append("created_at >= ?")
        args.append(query.created_from)
    if query.created_to is not None:
        clauses.append("created_at <= ?")
        args.append(query.created_to)
    if query.search:
        matched, matched_args = search.match(query.location_id, query.search)
        clauses.append(matched)
        args.extend(matched_args)
    if query.product_ids:
        marks = ", ".join("?" for _ in query.product_ids)
        clauses.append(
            f"id IN (SELECT order_id FROM order_products WHERE location_id = ? AND product_id IN ({marks}))"
        )
        args.extend([query.location_id, *query.product_ids])
    return " AND ".join(clauses), args


def _count_filters(query: OrderQuery) -> dict[str, Any]:
    """The query's filters by column, for `counts.countable`; a filter `order_counts` cannot answer is
    named by a column it does not have, so that the rows get counted."""
    filters: dict[str, Any] = {}
    if query.status is not None:
        filters["status"] = query.status.value
    if query.payment_status is not None:
        filters["payment_status"] = query.payment_status.value
    if query.live_mode is not None:
        filters["live_mode"] = query.live_mode
    others = (query.search, query.source_id)
    if query.product_ids or any(value is not None for value in others):
        filters["rows"] = True
    return filters


def search_only(query: OrderQuery) -> bool:
    """Whether `search` is the query's only filter (a list the search index can answer alone)."""
    others = (query.status, query.payment_status, query.live_mode, query.contact_id, query.source_id)
    dated = query.created_from is not None or query.created_to is not None
    return bool(query.search) and not query.product_ids and not dated and all(v is None for v in others)


def order_count(query: OrderQuery, *, search: SearchIndex) -> tuple[str, list[Any]] | None:
    """The statement that counts what `query` matches from the counters (`counts`) or the search index,
    its arguments after the location's; None when the rows must be counted. A date range sums the whole
    UTC days it covers and counts the rows of the partial days at either end (at most two days' worth)."""
    if query.search and search_only(query):
        sql, args = search.count(query.location_id, query.search)
        return sql, args[1:]
    filters = _count_filters(query)
    if query.created_from is None and query.created_to is None:
        return counts.countable(filters, contact_id=query.contact_id)
    if query.contact_id is not None:
        return None
    days = counts.whole_days(query.created_from, query.created_to)
    summed = counts.countable(filters, days) if days is not None else None
    if days is None or summed is None:
        return None
    sql, args = summed
    parts = [f"({sql})"]
    first, last = days
    edges = []
    if first is not None and query.created_from is not None and query.created_from < first * counts.DAY_MS:
        edges.append((query.created_from, first * counts.DAY_MS - 1))
    if last is not None and query.created_to is not None and query.created_to >= (last + 1) * counts.DAY_MS:
        edges.append(((last + 1) * counts.DAY_MS, query.created_to))
    for start, end in edges:
        where, edge_args = order_filters(
            msgspec.structs.replace(query, created_from=start, created_to=end), search=search
        )
        parts.append(f"(SELECT count(*) FROM orders WHERE {where})")
        args.extend(edge_args)
    return f"SELECT {' + '.join(parts)}", args


def token_from_row(row: Row) -> TokenRecord:
    return TokenRecord(
        id=row[0],
        location_id=row[1],
        scopes=tuple(Scope(s) for s in row[2].split()),
        token_hash=row[3],
        created_at=row[4],
        revoked_at=row[5],
        label=row[6],
    )


class Store(ApiClientRecords, ABC):
    """Everything ordergate keeps. Subclasses supply the driver; the SQL lives here."""

    kind: str

    @property
    def search_index(self) -> SearchIndex:
        return search_index.SQLITE if self.kind == "sqlite" else search_index.POSTGRES

    # --- driver primitives -------------------------------------------------------------------------

    @abstractmethod
    async def fetch(self, sql: str, args: Sequence[Any] = ()) -> list[Row]:
        """Run a read outside any transaction."""

    @abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[Tx]:
        """A write transaction: all or nothing."""

    @abstractmethod
    def snapshot(self) -> AbstractAsyncContextManager[Tx]:
        """A read-only transaction: every read inside sees the same committed state."""

    @abstractmethod
    async def close(self) -> None: ...

    async def ping(self) -> None:
        await self.fetch("SELECT 1")

    # --- locations ---------------------------------------------------------------------------------

    async def create_location(self, location: Location) -> None:
        async with self.transaction() as tx:
            await tx.execute(
                "INSERT INTO locations (id, name, created_at) VALUES (?, ?, ?)",
                (location.id, location.name, location.created_at),
            )

    async def get_location(self, location_id: str) -> Location | None:
        rows = await self.fetch("SELECT id, name, created_at FROM locations WHERE id = ?", (location_id,))
        return Location(id=rows[0][0], name=rows[0][1], created_at=rows[0][2]) if rows else None

    async def list_locations(self) -> list[Location]:
        rows = await self.fetch("SELECT id, name, created_at FROM locations ORDER BY created_at, id")
        return [Location(id=r[0], name=r[1], created_at=r[2]) for r in rows]

    # --- tokens ------------------------------------------------------------------------------------

    async def create_token(self, token: TokenRecord) -> None:
        async with self.transaction() as tx:
            await tx.execute(
                f"INSERT INTO tokens ({_TOKEN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    token.id,
                    token.location_id,
                    " ".join(token.scopes),
                    token.token_hash,
                    token.created_at,
                    token.revoked_at,
                    token.label,
                ),
            )

    async def token_by_hash(self, token_hash: str) -> TokenRecord | None:
        """The token whose digest is `token_hash` (a global lookup: tokens are not tenant data)."""
        rows = await self.fetch(f"SELECT {_TOKEN_COLUMNS} FROM tokens WHERE token_hash = ?", (token_hash,))
        return token_from_row(rows[0]) if rows else None

    async def list_tokens(self, location_id: str) -> list[TokenRecord]:
        rows = await self.fetch(
            f"SELECT {_TOKEN_COLUMNS} FROM tokens WHERE location_id = ? ORDER BY created_at, id",
            (location_id,),
        )
        return [token_from_row(r) for r in rows]

    async def revoke_token(self, location_id: str, token_id: str, now: int) -> bool:
        """Revoke one token; False when the location has no such live token."""
        async with self.transaction() as tx:
            rows = await tx.fetch(
                "SELECT id FROM tokens WHERE location_id = ? AND id = ? AND revoked_at IS NULL",
                (location_id, token_id),
            )
            if not rows:
                return False
            await tx.execute(
                "UPDATE tokens SET revoked_at = ? WHERE location_id = ? AND id = ?",
                (now, location_id, token_id),
            )
            return True

    # --- orders ------------------------------------------------------------------------------------

    async def insert_orders(self, orders: Sequence[Order]) -> None:
        """Insert all of `orders` in one transaction, or none of them (raises `Conflict` on a duplicate)."""
        async with self.transaction() as tx:
            await self._insert_orders(tx, orders)

    async def _insert_orders(self, tx: Tx, orders: Sequence[Order] | OrderRows) -> None:
        """Orders, the products they hold, and the history they arrive with (opening transactions,
        fulfillments and timeline events); `orders` may come as rows already built (`OrderRows.of`)."""
        rows = orders if isinstance(orders, OrderRows) else OrderRows.of(orders)
        await self._bulk_insert(tx, "orders", _ORDER_COLUMNS, rows.order_rows)
        await self._bulk_insert(tx, "order_products", _PRODUCT_COLUMNS, rows.products)
        await self._bulk_insert(tx, "transactions", TRANSACTION_COLUMNS, rows.transactions)
        await self._bulk_insert(tx, "fulfillments", FULFILLMENT_COLUMNS, rows.fulfillments)
        await self._bulk_insert(tx, "order_events", EVENT_COLUMNS, rows.events)
        await counts.record(tx, added=[counts.key_of(o) for o in rows.orders])
        search = self.search_index
        await self._bulk_insert(tx, "orders_search", search.columns, search.rows(rows.orders))

    async def _bulk_insert(self, tx: Tx, table: str, columns: str, rows: Sequence[Sequence[Any]]) -> None:
        """Insert many rows into `table`; a driver may override this with a faster path (COPY)."""
        if rows:
            await tx.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders(columns)})", rows)

    async def get_order(self, location_id: str, order_id: str) -> Order | None:
        rows = await self.fetch(
            "SELECT data FROM orders WHERE location_id = ? AND id = ?", (location_id, order_id)
        )
        return _decode_order(rows[0][0]) if rows else None

    async def list_orders(self, query: OrderQuery) -> tuple[list[Order], int]:
        """One page of orders, newest first, and the exact number that match."""
        search = self.search_index
        where, args = order_filters(query, search=search)
        ids = None
        if query.search and search_only(query):  # the page found through the index alone
            ids, args = search.page(query.location_id, query.search)
        rows, total = await self._newest_page(
            "orders",
            location_id=query.location_id,
            where=where,
            args=args,
            limit=query.limit,
            offset=query.offset,
            counted=order_count(query, search=search),
            ids=ids,
        )
        return [_decode_order(data) for data in rows], total

    async def _newest_page(
        self,
        table: str,
        *,
        location_id: str,
        where: str,
        args: list[Any],
        limit: int,
        offset: int,
        counted: tuple[str, list[Any]] | None = None,
        ids: str | None = None,
    ) -> tuple[list[str], int]:
        """The `data` of one page of `table`, newest first, and the exact count of matching rows, read in one
        snapshot so that the page and its count agree whatever is being written meanwhile.

        The page is found on the index alone (ids only, however deep the offset) and only its own rows are
        then read. With `counted` (`order_count`), the count is that statement (a sum of a few counters,
        or a count in the search index). `ids` replaces the statement that finds the page's ids (its
        arguments are then `args`, the limit and the offset)."""
        if ids is None:
            ids = f"SELECT id FROM {table} WHERE {where} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?"
        async with self.snapshot() as reader:
            rows = await reader.fetch(
                f"SELECT data FROM {table} WHERE location_id = ? AND id IN ({ids}) "
                "ORDER BY created_at DESC, id DESC",
                (location_id, *args, limit, offset),
            )
            if counted is None:
                total = await reader.fetch(f"SELECT count(*) FROM {table} WHERE {where}", args)
            else:
                count_sql, count_args = counted
                total = await reader.fetch(count_sql, (location_id, *count_args))
        return [r[0] for r in rows], int(total[0][0])

    # --- the order lifecycle ---------------------------------------------------------------------

    lock_clause = ""  # what makes a SELECT lock the row it reads; SQLite's writer lock already does

    @asynccontextmanager
    async def order_work(self, location_id: str, order_id: str) -> AsyncIterator[OrderWork]:
        """The order, locked until the block ends; everything written through the work commits together."""
        async with self.transaction() as tx:
            rows = await tx.fetch(
                f"SELECT data FROM orders WHERE location_id = ? AND id = ?{self.lock_clause}",
                (location_id, order_id),
            )
            order = _decode_order(rows[0][0]) if rows else None
            yield OrderWork(tx, location_id, order, _ORDER_COLUMNS, self.search_index)

    async def get_transaction(self, location_id: str, transaction_id: str) -> Transaction | None:
        rows = await self.fetch(
            "SELECT data FROM transactions WHERE location_id = ? AND id = ?", (location_id, transaction_id)
        )
        return decode_transaction(rows[0][0]) if rows else None

    async def order_transactions(self, location_id: str, order_id: str) -> list[Transaction]:
        rows = await self.fetch(
            "SELECT data FROM transactions WHERE location_id = ? AND order_id = ? ORDER BY created_at, id",
            (location_id, order_id),
        )
        return [decode_transaction(r[0]) for r in rows]

    async def list_transactions(self, query: TransactionQuery) -> tuple[list[Transaction], int]:
        """One page of transactions, newest first, and the exact number that match."""
        where, args = transaction_filters(query)
        rows, total = await self._newest_page(
            "transactions",
            location_id=query.location_id,
            where=where,
            args=args,
            limit=query.limit,
            offset=query.offset,
        )
        return [decode_transaction(data) for data in rows], total

    async def order_fulfillments(self, location_id: str, order_id: str) -> list[Fulfillment]:
        rows = await self.fetch(
            "SELECT data FROM fulfillments WHERE location_id = ? AND order_id = ? ORDER BY created_at, id",
            (location_id, order_id),
        )
        return [decode_fulfillment(r[0]) for r in rows]

    async def order_events(self, location_id: str, order_id: str) -> list[OrderEvent]:
        rows = await self.fetch(
            "SELECT data FROM order_events WHERE location_id = ? AND order_id = ? ORDER BY created_at, id",
            (location_id, order_id),
        )
        return [decode_event(r[0]) for r in rows]

    async def count_orders(self, location_id: str | None = None) -> int:
        if location_id is None:
            rows = await self.fetch("SELECT count(*) FROM orders")
        else:
            rows = await self.fetch("SELECT count(*) FROM orders WHERE location_id = ?", (location_id,))
        return int(rows[0][0])

    async def iter_location_ids(self) -> AsyncIterator[str]:
        for location in await self.list_locations():
            yield location.id

    # --- orders by client-written filters (Elastic Path) -------------------------------------------

    async def filter_orders(self, query: FilteredOrderQuery) -> tuple[list[Order], int]:
        """One page of orders matching every condition, in the query's sort, and the exact number that
        match, read in one snapshot (the page found on the index first, as in `_newest_page`)."""
        if query.matches_nothing:
            return [], 0
        where, args = order_filter.where_clause(query)
        sort = order_filter.order_by(query.sort)
        fields = [c.field.value if c.op is Op.IN else "rows" for c in query.conditions]
        counted = (
            counts.countable(
                {f: tuple(str(v) for v in c.values) for f, c in zip(fields, query.conditions, strict=True)}
            )
            if len(set(fields)) == len(fields)  # a field named twice: its conditions intersect; count rows
            else None
        )
        async with self.snapshot() as reader:
            rows = await reader.fetch(
                f"SELECT data FROM orders WHERE location_id = ? AND id IN ("
                f"SELECT id FROM orders WHERE {where} ORDER BY {sort} LIMIT ? OFFSET ?) ORDER BY {sort}",
                (query.location_id, *args, query.limit, query.offset),
            )
            if counted is None:
                total = await reader.fetch(f"SELECT count(*) FROM orders WHERE {where}", args)
            else:
                count_sql, count_args = counted
                total = await reader.fetch(count_sql, (query.location_id, *count_args))
        return [_decode_order(r[0]) for r in rows], int(total[0][0])
