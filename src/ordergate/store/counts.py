"""`order_counts`: how many orders a location has in each combination of the status columns, kept in
step with `orders` inside the same transactions (see migration 0004)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from ordergate.domain.order import Order

Key = tuple[str, str, str, str, bool]  # location, status, payment status, fulfillment status, live mode
COLUMNS = ("status", "payment_status", "fulfillment_status", "live_mode")

UPSERT = (
    "INSERT INTO order_counts (location_id, status, payment_status, fulfillment_status, live_mode, n) "
    "VALUES (?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (location_id, status, payment_status, fulfillment_status, live_mode) "
    "DO UPDATE SET n = order_counts.n + excluded.n"
)


def key_of(order: Order) -> Key:
    return (
        order.location_id,
        order.status.value,
        order.payment_status.value,
        order.fulfillment_status.value,
        order.live_mode,
    )


def changes(added: Iterable[Key] = (), removed: Iterable[Key] = ()) -> list[tuple[Any, ...]]:
    """Upsert rows for the net change, in key order: transactions that touch the same counters always
    take their row locks in the same order, so they queue and never deadlock."""
    delta: Counter[Key] = Counter(added)
    delta.subtract(removed)
    return [(*key, n) for key, n in sorted(delta.items()) if n]


def countable(filters: dict[str, Any]) -> tuple[str, list[Any]] | None:
    """The count query over `order_counts` (location first) for filters that are all on its columns
    (`column` -> a value or a tuple of values), or None when some filter needs the orders themselves."""
    if any(column not in COLUMNS for column in filters):
        return None
    clauses: list[str] = ["location_id = ?"]
    args: list[Any] = []
    for column, value in filters.items():
        values = value if isinstance(value, tuple) else (value,)
        clauses.append(f"{column} IN ({', '.join('?' for _ in values)})")
        args.extend(values)
    return f"SELECT COALESCE(SUM(n), 0) FROM order_counts WHERE {' AND '.join(clauses)}", args
