"""Counters kept in step with `orders` inside the same transactions, so that `totalCount` is a sum of a few
rows rather than a count of hundreds of thousands:

- `order_counts` (migration 0004): per location, how many orders have each combination of status, payment
  status, fulfillment status and mode;
- `order_day_counts` (migration 0006): the same, per UTC day of `created_at`, for date ranges. A range
  sums the whole days it covers and counts the rows of the partial days at its ends;
- `order_contact_counts` (migration 0010): the same, per contact (an order's contact never changes).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from ordergate.domain.order import Order

DAY_MS = 86_400_000
# location, status, payment status, fulfillment status, live mode, UTC day (`created_at // DAY_MS`), contact
Key = tuple[str, str, str, str, bool, int, str | None]
COLUMNS = ("status", "payment_status", "fulfillment_status", "live_mode")

_KEY = "location_id, status, payment_status, fulfillment_status, live_mode"
UPSERT = (
    f"INSERT INTO order_counts ({_KEY}, n) VALUES (?, ?, ?, ?, ?, ?) "
    f"ON CONFLICT ({_KEY}) DO UPDATE SET n = order_counts.n + excluded.n"
)
DAY_UPSERT = (
    f"INSERT INTO order_day_counts ({_KEY}, day, n) VALUES (?, ?, ?, ?, ?, ?, ?) "
    f"ON CONFLICT ({_KEY}, day) DO UPDATE SET n = order_day_counts.n + excluded.n"
)
CONTACT_UPSERT = (
    f"INSERT INTO order_contact_counts ({_KEY}, contact_id, n) VALUES (?, ?, ?, ?, ?, ?, ?) "
    f"ON CONFLICT ({_KEY}, contact_id) DO UPDATE SET n = order_contact_counts.n + excluded.n"
)


class Writer(Protocol):
    async def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...


def key_of(order: Order) -> Key:
    return (
        order.location_id,
        order.status.value,
        order.payment_status.value,
        order.fulfillment_status.value,
        order.live_mode,
        order.created_at // DAY_MS,
        order.contact.id if order.contact is not None and order.contact.id else None,
    )


def changes(added: Iterable[Key] = (), removed: Iterable[Key] = ()) -> tuple[list[Any], list[Any], list[Any]]:
    """Upsert rows for the net change of `order_counts`, `order_day_counts` and `order_contact_counts`,
    each in key order: transactions that touch the same counters always take their row locks in the same
    order, so they queue and never deadlock."""
    delta: Counter[Key] = Counter(added)
    delta.subtract(removed)
    totals: Counter[tuple[Any, ...]] = Counter()
    days: Counter[tuple[Any, ...]] = Counter()
    contacts: Counter[tuple[Any, ...]] = Counter()
    for key, n in delta.items():
        totals[key[:5]] += n
        days[key[:6]] += n
        if key[6] is not None:
            contacts[(*key[:5], key[6])] += n
    return _rows(totals), _rows(days), _rows(contacts)


def _rows(counter: Counter[tuple[Any, ...]]) -> list[Any]:
    return [(*key, n) for key, n in sorted(counter.items()) if n]


async def record(tx: Writer, added: Iterable[Key] = (), removed: Iterable[Key] = ()) -> None:
    """Apply the net change of `added` and `removed` orders to every counter, inside `tx`."""
    for sql, rows in zip((UPSERT, DAY_UPSERT, CONTACT_UPSERT), changes(added, removed), strict=True):
        if rows:
            await tx.executemany(sql, rows)


def whole_days(created_from: int | None, created_to: int | None) -> tuple[int | None, int | None] | None:
    """The first and last UTC day lying wholly inside the inclusive range (None: unbounded on that side),
    or None when the range holds no whole day."""
    first = None if created_from is None else -(-created_from // DAY_MS)
    last = None if created_to is None else (created_to + 1) // DAY_MS - 1
    if first is not None and last is not None and first > last:
        return None
    return first, last


def countable(
    filters: dict[str, Any],
    days: tuple[int | None, int | None] | None = None,
    contact_id: str | None = None,
) -> tuple[str, list[Any]] | None:
    """The count query over the counters (location first) for filters that are all on their columns
    (`column` -> a value or a tuple of values), or None when some filter needs the orders themselves.
    With `days` (see `whole_days`), only orders created on those days are counted (`order_day_counts`);
    with `contact_id`, only that contact's (`order_contact_counts`); not both."""
    if any(column not in COLUMNS for column in filters) or (days is not None and contact_id is not None):
        return None
    clauses: list[str] = ["location_id = ?"]
    args: list[Any] = []
    table = "order_counts"
    if contact_id is not None:
        table = "order_contact_counts"
        clauses.append("contact_id = ?")
        args.append(contact_id)
    if days is not None:
        table = "order_day_counts"
        first, last = days
        if first is not None:
            clauses.append("day >= ?")
            args.append(first)
        if last is not None:
            clauses.append("day <= ?")
            args.append(last)
    for column, value in filters.items():
        values = value if isinstance(value, tuple) else (value,)
        clauses.append(f"{column} IN ({', '.join('?' for _ in values)})")
        args.extend(values)
    return f"SELECT COALESCE(SUM(n), 0) FROM {table} WHERE {' AND '.join(clauses)}", args
