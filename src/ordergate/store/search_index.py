"""The search index: `orders_search`, one narrow row per order holding its search text, kept in step with
`orders` in the same transactions, so that `search` (a substring match) reads an index and a few small
rows instead of every order of the location.

- SQLite (revision 0005): an FTS5 trigram table keyed by a digest of the order's key, so that the store
  can replace or drop a row without reading anything first.
- PostgreSQL (revision 0007): a plain table keyed by (location, order) with a pg_trgm GIN index on the
  text and the orders' newest-first key, so that a search-only list finds its page and its exact count
  there without touching the wide `orders` rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ordergate.domain.order import Order


def key(location_id: str, order_id: str) -> int:
    """A stable 63-bit rowid for the order (collisions are beyond any real number of orders)."""
    digest = hashlib.blake2b(f"{location_id}\n{order_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


@dataclass(frozen=True)
class SearchIndex:
    """How one database's search index is written and read."""

    columns: str  # of `orders_search`, in the order of `rows`
    delete: str
    match: str  # a condition on `orders`: the orders whose search text holds the term (location, pattern)
    count: str | None  # the matches of a location, counted in the index alone (location, pattern)
    page: str | None  # their ids newest first (location, pattern, limit, offset)

    @property
    def insert(self) -> str:
        marks = ", ".join("?" for _ in self.columns.split(","))
        return f"INSERT INTO orders_search ({self.columns}) VALUES ({marks})"

    def rows(self, orders: Sequence[Order]) -> list[tuple[Any, ...]]:
        """Index rows for `orders`, in the order they are best written."""
        if self is SQLITE:  # rowid order: FTS5 starts a new segment whenever a rowid is not above the last
            return sorted((key(o.location_id, o.id), o.search_text, o.location_id, o.id) for o in orders)
        return [(o.location_id, o.id, o.created_at, o.search_text) for o in orders]

    def delete_args(self, location_id: str, order_id: str) -> tuple[Any, ...]:
        return (key(location_id, order_id),) if self is SQLITE else (location_id, order_id)


_LIKE = "search_text LIKE ? ESCAPE '\\'"
_MATCH = f"id IN (SELECT order_id FROM orders_search WHERE location_id = ? AND {_LIKE})"

SQLITE = SearchIndex(
    columns="rowid, search_text, location_id, order_id",
    delete="DELETE FROM orders_search WHERE rowid = ?",
    match=_MATCH,
    count=None,
    page=None,
)
POSTGRES = SearchIndex(
    columns="location_id, order_id, created_at, search_text",
    delete="DELETE FROM orders_search WHERE location_id = ? AND order_id = ?",
    match=_MATCH,
    count=f"SELECT count(*) FROM orders_search WHERE location_id = ? AND {_LIKE}",
    page=(
        f"SELECT order_id FROM orders_search WHERE location_id = ? AND {_LIKE} "
        "ORDER BY created_at DESC, order_id DESC LIMIT ? OFFSET ?"
    ),
)
