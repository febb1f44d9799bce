"""`ORDERGATE_DATABASE_URL` parsing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class DatabaseUrl:
    kind: Literal["sqlite", "postgresql"]
    url: str  # as given
    path: str = ""  # sqlite only: the database file

    def sqlalchemy_url(self) -> str:
        """The same database for SQLAlchemy's async drivers (used by migrations only)."""
        if self.kind == "sqlite":
            return f"sqlite+aiosqlite:///{self.path}"
        return "postgresql+asyncpg://" + self.url.split("://", 1)[1]

    def redacted(self) -> str:
        if self.kind == "sqlite":
            return self.url
        scheme, rest = self.url.split("://", 1)
        if "@" in rest:
            creds, host = rest.rsplit("@", 1)
            user = creds.split(":", 1)[0]
            return f"{scheme}://{user}:***@{host}" if ":" in creds else f"{scheme}://{user}@{host}"
        return self.url


def parse_database_url(url: str) -> DatabaseUrl:
    """Accepts `sqlite:///relative.db`, `sqlite:////absolute.db`, `postgresql://...`, `postgres://...`."""
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        if not path:
            raise ValueError("sqlite URL needs a file path: sqlite:///path/to/ordergate.db")
        return DatabaseUrl(kind="sqlite", url=url, path=path)
    if url.startswith(("postgresql://", "postgres://")):
        return DatabaseUrl(kind="postgresql", url=url)
    raise ValueError(f"unsupported database URL {url!r}: use sqlite:///path.db or postgresql://...")
