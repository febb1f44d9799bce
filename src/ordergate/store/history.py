"""SQL for what happens to an order after it is created: transactions, fulfillments, timeline events and
idempotency keys, and the unit of work that changes one order under a lock."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from ordergate.domain.errors import Conflict
from ordergate.domain.lifecycle import opening_records
from ordergate.domain.order import Order
from ordergate.domain.query import TransactionQuery
from ordergate.domain.transaction import Fulfillment, OrderEvent, Transaction
from ordergate.store import counts
from ordergate.store.search_index import SearchIndex, like_contains

_encode = msgspec.json.Encoder().encode
KEY_REUSED = "Idempotency-Key was already used with a different request"
decode_transaction = msgspec.json.Decoder(Transaction).decode
decode_fulfillment = msgspec.json.Decoder(Fulfillment).decode
decode_event = msgspec.json.Decoder(OrderEvent).decode
decode_order = msgspec.json.Decoder(Order).decode

TRANSACTION_COLUMNS = (
    "location_id, id, order_id, contact_id, created_at, live_mode, payment_mode, source_type, "
    "source_sub_type, subscription_id, request_hash, search_text, data"
)
FULFILLMENT_COLUMNS = "location_id, id, order_id, created_at, data"
EVENT_COLUMNS = "location_id, id, order_id, created_at, data"


def _json(value: msgspec.Struct) -> str:
    return _encode(value).decode("utf-8")


def transaction_row(transaction: Transaction, request_hash: str | None = None) -> tuple[Any, ...]:
    contact = transaction.contact
    return (
        transaction.location_id,
        transaction.id,
        transaction.order_id,
        contact.id if contact is not None else None,
        transaction.created_at,
        transaction.live_mode,
        transaction.mode.value,
        transaction.source.type.value,
        transaction.source.sub_type.value if transaction.source.sub_type is not None else None,
        transaction.subscription_id,
        request_hash,
        transaction.search_text,
        _json(transaction),
    )


def fulfillment_row(fulfillment: Fulfillment) -> tuple[Any, ...]:
    return (
        fulfillment.location_id,
        fulfillment.id,
        fulfillment.order_id,
        fulfillment.created_at,
        _json(fulfillment),
    )


def event_row(event: OrderEvent) -> tuple[Any, ...]:
    return (event.location_id, event.id, event.order_id, event.created_at, _json(event))


def opening_rows(
    orders: Sequence[Order],
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Rows for the history that `orders` arrive with (see `lifecycle.opening_records`)."""
    transactions: list[tuple[Any, ...]] = []
    fulfillments: list[tuple[Any, ...]] = []
    events: list[tuple[Any, ...]] = []
    for order in orders:
        opened_transactions, opened_fulfillments, opened_events = opening_records(order)
        transactions.extend(transaction_row(t) for t in opened_transactions)
        fulfillments.extend(fulfillment_row(f) for f in opened_fulfillments)
        events.extend(event_row(e) for e in opened_events)
    return transactions, fulfillments, events


def placeholders(columns: str) -> str:
    return ", ".join("?" for _ in columns.split(","))


def transaction_filters(query: TransactionQuery) -> tuple[str, list[Any]]:
    """The WHERE clause of a transaction list and its arguments, location first."""
    clauses = ["location_id = ?"]
    args: list[Any] = [query.location_id]
    for column, value in (
        ("order_id", query.order_id),
        ("contact_id", query.contact_id),
        ("subscription_id", query.subscription_id),
        ("source_type", query.source_type),
        ("source_sub_type", query.source_sub_type),
        ("live_mode", query.live_mode),
    ):
        if value is not None:
            clauses.append(f"{column} = ?")
            args.append(value)
    if query.created_from is not None:
        clauses.append("created_at >= ?")
        args.append(query.created_from)
    if query.created_to is not None:
        clauses.append("created_at <= ?")
        args.append(query.created_to)
    if query.search:
        clauses.append("search_text LIKE ? ESCAPE '\\'")
        args.append(like_contains(query.search))
    return " AND ".join(clauses), args


class OrderWork:
    """One order, locked for the length of a write transaction, and the records that change with it.

    `order` is None when the location has no such order. Nothing is written until the caller asks, and
    everything asked is committed together or not at all.
    """

    def __init__(
        self,
        tx: Any,
        location_id: str,
        order: Order | None,
        order_columns: str,
        search: SearchIndex,
    ) -> None:
        self._tx = tx
        self._search = search
        self._search_text = order.search_text if order is not None else None
        self.location_id = location_id
        self.order = order
        self._counted = counts.key_of(order) if order is not None else None  # as stored, before any change
        # Every column after the key (location_id, id), so that no filter column can go stale.
        names = [name.strip() for name in order_columns.split(",")][2:]
        self._update_order = (
            f"UPDATE orders SET {', '.join(f'{name} = ?' for name in names)} WHERE location_id = ? AND id = ?"
        )

    async def save_order(self, row: tuple[Any, ...]) -> None:
        """Write back the locked order; `row` is `store.base.order_row(order)`."""
        assert self.order is not None
        await self._tx.execute(self._update_order, (*row[2:], self.location_id, self.order.id))
        if self.order.search_text != self._search_text:
            await self._tx.execute(
                self._search.delete, self._search.delete_args(self.location_id, self.order.id)
            )
            await self._tx.execute(self._search.insert, self._search.rows([self.order])[0])
            self._search_text = self.order.search_text
        now_counted = counts.key_of(self.order)
        if self._counted is not None and now_counted != self._counted:
            await counts.record(self._tx, added=[now_counted], removed=[self._counted])
            self._counted = now_counted

    async def add_transaction(self, transaction: Transaction, request_hash: str | None = None) -> None:
        await self._tx.execute(
            f"INSERT INTO transactions ({TRANSACTION_COLUMNS}) VALUES ({placeholders(TRANSACTION_COLUMNS)})",
            transaction_row(transaction, request_hash),
        )

    async def update_transaction(self, transaction: Transaction) -> None:
        await self._tx.execute(
            "UPDATE transactions SET data = ?, search_text = ? WHERE location_id = ? AND id = ?",
            (_json(transaction), transaction.search_text, self.location_id, transaction.id),
        )

    async def transactions(self) -> list[Transaction]:
        assert self.order is not None
        rows = await self._tx.fetch(
            "SELECT data FROM transactions WHERE location_id = ? AND order_id = ? ORDER BY created_at, id",
            (self.location_id, self.order.id),
        )
        return [decode_transaction(r[0]) for r in rows]

    async def recent_payment(self, request_hash: str, since: int) -> Transaction | None:
        """A payment of this order with the same request fingerprint recorded at or after `since`."""
        assert self.order is not None
        rows = await self._tx.fetch(
            "SELECT data FROM transactions WHERE location_id = ? AND order_id = ? AND request_hash = ? "
            "AND created_at >= ? ORDER BY created_at DESC LIMIT 1",
            (self.location_id, self.order.id, request_hash, since),
        )
        return decode_transaction(rows[0][0]) if rows else None

    async def add_fulfillment(self, fulfillment: Fulfillment) -> None:
        await self._tx.execute(
            f"INSERT INTO fulfillments ({FULFILLMENT_COLUMNS}) VALUES (?, ?, ?, ?, ?)",
            fulfillment_row(fulfillment),
        )

    async def add_events(self, events: Sequence[OrderEvent]) -> None:
        if events:
            await self._tx.executemany(
                f"INSERT INTO order_events ({EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?)",
                [event_row(e) for e in events],
            )

    async def stored_response(self, key: str) -> tuple[str, int, str] | None:
        """(request fingerprint, status, body) remembered under an Idempotency-Key, if any."""
        rows = await self._tx.fetch(
            "SELECT request_hash, status, response FROM idempotency_keys WHERE location_id = ? AND key = ?",
            (self.location_id, key),
        )
        return (rows[0][0], int(rows[0][1]), rows[0][2]) if rows else None

    async def remember_response(self, key: str, request_hash: str, status: int, body: str, now: int) -> None:
        """Keep the outcome under `key`. Keys belong to the location and locks to orders, so a request for
        another order may have taken the key meanwhile: then this one is refused (and rolled back)."""
        stored = await self._tx.fetch(
            "INSERT INTO idempotency_keys (location_id, key, request_hash, status, response, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING key",
            (self.location_id, key, request_hash, status, body, now),
        )
        if not stored:
            raise Conflict(KEY_REUSED)
