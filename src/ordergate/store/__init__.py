"""The store: the only place that writes SQL. One interface, a SQLite and a PostgreSQL implementation."""

from __future__ import annotations

from ordergate.store.base import Store
from ordergate.store.url import DatabaseUrl, parse_database_url


async def open_store(url: str) -> Store:
    """Connect to the database named by `url` (`sqlite:///file.db` or `postgresql://...`)."""
    parsed = parse_database_url(url)
    if parsed.kind == "sqlite":
        from ordergate.store.sqlite import SqliteStore

        return await SqliteStore.open(parsed)
    from ordergate.store.postgres import PostgresStore

    return await PostgresStore.open(parsed)


__all__ = ["DatabaseUrl", "Store", "open_store", "parse_database_url"]
