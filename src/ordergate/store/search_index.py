"""The search index: `orders_search`, one narrow row per order holding its search text, kept in step with
`orders` in the same transactions, so that `search` (a substring match) reads an index and a few small
rows instead of every order of the location.

- SQLite (revisions 0005, 0009): an FTS5 trigram table keyed by a digest of the order's key, so that the
  store can replace or drop a row without reading anything first; it indexes the text with non-ASCII
  characters doubled (`doubled`), as PostgreSQL does.
- PostgreSQL (revision 0007): a plain table keyed by (location, order) with a pg_trgm GIN index on the
  text (non-ASCII characters doubled, `doubled`) and the orders' newest-first key, so that a search-only
  list finds its page and its exact count there without touching the wide `orders` rows.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ordergate.domain.order import Order


def key(location_id: str, order_id: str) -> int:
    """A stable 63-bit rowid for the order (collisions are beyond any real number of orders)."""
    digest = hashlib.blake2b(f"{location_id}\n{order_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def escape_like(term: str) -> str:
    """`term` with LIKE's wildcards and its escape character escaped (for `LIKE ? ESCAPE '\\'`)."""
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def like_contains(term: str) -> str:
    """The pattern that finds `term` anywhere in a text."""
    return f"%{escape_like(term)}%"


_LIKE = "search_text LIKE ? ESCAPE '\\'"
_NEWEST = "ORDER BY created_at DESC, order_id DESC LIMIT ? OFFSET ?"


@dataclass(frozen=True)
class SearchIndex:
    """How one database's search index is written and read. Statements for a term come with their
    arguments, the location's first."""

    kind: str
    columns: str  # of `orders_search`, in the order of `rows`
    delete: str

    @property
    def insert(self) -> str:
        marks = ", ".join("?" for _ in self.columns.split(","))
        return f"INSERT INTO orders_search ({self.columns}) VALUES ({marks})"

    def rows(self, orders: Sequence[Order]) -> list[tuple[Any, ...]]:
        """Index rows for `orders`, in the order they are best written."""
        if self.kind == "sqlite":
            # In rowid order: FTS5 starts a new segment whenever a rowid is not above the last.
            return sorted(_sqlite_row(o) for o in orders)
        return [(o.location_id, o.id, o.created_at, o.search_text, doubled(o.search_text)) for o in orders]

    def delete_args(self, location_id: str, order_id: str) -> tuple[Any, ...]:
        return (key(location_id, order_id),) if self.kind == "sqlite" else (location_id, order_id)

    def _holds(self, term: str) -> tuple[str, list[str]]:
        """The condition on `orders_search` that its text holds `term`, and the patterns it takes.

        A trigram index serves only terms with three characters in a row that it can look up. Non-ASCII
        characters are doubled in the index and in the term (`doubled`), so that a two-character name
        (田中) is four characters long to the index; the text itself is checked after. On SQLite, FTS5
        takes a LIKE without ESCAPE (so a term with LIKE's own wildcards is scanned instead; a shorter
        term, too, where FTS5 would find nothing). On PostgreSQL, pg_trgm builds trigrams from runs of
        letters and digits, and a term without one would make it read its whole index, slower than a
        scan."""
        key_term = doubled(term)
        if self.kind == "sqlite":
            text = "COALESCE(search_text, search_key)"
            if len(key_term or term) >= 3 and "%" not in term and "_" not in term:
                if key_term is None:
                    return "search_key LIKE ?", [f"%{term}%"]
                return f"search_key LIKE ? AND {text} LIKE ? ESCAPE '\\'", [
                    f"%{key_term}%",
                    like_contains(term),
                ]
            return f"({text} || '') LIKE ? ESCAPE '\\'", [like_contains(term)]  # `||`: never the index
        scan = "(search_text || '') LIKE ? ESCAPE '\\'"  # `||`: never the index
        if not _TRIGRAM_RUN.search(key_term or term):
            return scan, [like_contains(term)]
        if key_term is None:  # ASCII: found in the key exactly where it is found in the text
            return f"{_KEY} LIKE ? ESCAPE '\\'", [like_contains(term)]
        return f"{_KEY} LIKE ? ESCAPE '\\' AND {_LIKE}", [like_contains(key_term), like_contains(term)]

    def match(self, location_id: str, term: str) -> tuple[str, list[Any]]:
        """A condition on `orders`: the location's orders whose search text holds `term`."""
        holds, patterns = self._holds(term)
        sql = f"id IN (SELECT order_id FROM orders_search WHERE location_id = ? AND {holds})"
        return sql, [location_id, *patterns]

    def count(self, location_id: str, term: str) -> tuple[str, list[Any]]:
        """The number of the location's orders whose search text holds `term`, from the index alone."""
        holds, patterns = self._holds(term)
        sql = f"SELECT count(*) FROM orders_search WHERE location_id = ? AND {holds}"
        return sql, [location_id, *patterns]

    def page(self, location_id: str, term: str) -> tuple[str, list[Any]]:
        """The ids of a page of those orders, newest first (arguments: these, the limit, the offset).

        PostgreSQL keeps `created_at` beside the text. SQLite's index has only ids: its page walks the
        location's newest-first key and keeps the ids the index found, which reads far less than
        sorting every match by its order's row (what SQLite's planner picks unless told)."""
        holds, patterns = self._holds(term)
        if self.kind == "sqlite":
            sql = (
                "SELECT id FROM orders INDEXED BY orders_newest WHERE location_id = ? AND id IN ("
                f"SELECT order_id FROM orders_search WHERE location_id = ? AND {holds}) "
                "ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?"
            )
            return sql, [location_id, location_id, *patterns]
        sql = f"SELECT order_id FROM orders_search WHERE location_id = ? AND {holds} {_NEWEST}"
        return sql, [location_id, *patterns]


_TRIGRAM_RUN = re.compile(r"[^\W_]{3}")  # three letters or digits in a row
_KEY = "COALESCE(search_key, search_text)"  # what PostgreSQL's trigram index holds (revision 0007)


def _sqlite_row(order: Order) -> tuple[Any, ...]:
    """FTS5 indexes `search_key` (revision 0009); the text beside it is kept only where it differs."""
    twice = doubled(order.search_text)
    text = order.search_text
    return (
        key(order.location_id, order.id),
        twice or text,
        text if twice else None,
        order.location_id,
        order.id,
    )


def doubled(text: str) -> str | None:
    """`text` with every non-ASCII character written twice, or None for ASCII text (its own key).

    A term is in a text exactly when its doubled form is in the text's doubled form, give or take a
    false positive that the check on the text itself removes (a doubled term is found at an odd offset
    only inside a run of one repeated character)."""
    if text.isascii():
        return None
    return "".join(c if c < "\x80" else c + c for c in text)


SQLITE = SearchIndex(
    kind="sqlite",
    columns="rowid, search_key, search_text, location_id, order_id",
    delete="DELETE FROM orders_search WHERE rowid = ?",
)
POSTGRES = SearchIndex(
    kind="postgresql",
    columns="location_id, order_id, created_at, search_text, search_key",
    delete="DELETE FROM orders_search WHERE location_id = ? AND order_id = ?",
)
