"""SQLite's search index (revision 0005): one FTS5 trigram row per order, keyed by a digest of the order's
key so that the store can replace or drop it without reading anything first."""

from __future__ import annotations

import hashlib
from typing import Any

CREATE = (
    "CREATE VIRTUAL TABLE orders_search USING fts5("
    "search_text, location_id UNINDEXED, order_id UNINDEXED, tokenize='trigram')"
)
INSERT = "INSERT INTO orders_search (rowid, search_text, location_id, order_id) VALUES (?, ?, ?, ?)"
DELETE = "DELETE FROM orders_search WHERE rowid = ?"
# The orders of one location whose search text holds the (escaped, %-wrapped) term.
MATCH = "id IN (SELECT order_id FROM orders_search WHERE search_text LIKE ? ESCAPE '\\' AND location_id = ?)"


def key(location_id: str, order_id: str) -> int:
    """A stable 63-bit rowid for the order (collisions are beyond any real number of orders)."""
    digest = hashlib.blake2b(f"{location_id}\n{order_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def entry(location_id: str, order_id: str, search_text: str) -> tuple[Any, ...]:
    return (key(location_id, order_id), search_text, location_id, order_id)
