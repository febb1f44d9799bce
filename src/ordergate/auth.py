"""Token checks, cached in process for a few seconds so that the hot path rarely asks the database.

A revoked token stops working everywhere within `ttl` seconds (every server process keeps its own cache;
the database is the truth). Secrets are never logged and never stored: only their SHA-256 digests.
"""

from __future__ import annotations

import time

from ordergate.domain.access import TokenRecord, digest_matches, token_digest
from ordergate.store import Store

MAX_CACHED = 10_000


class TokenAuthority:
    def __init__(self, store: Store, ttl: float = 5.0) -> None:
        self._store = store
        self._ttl = ttl
        self._cache: dict[str, tuple[float, TokenRecord | None]] = {}

    async def resolve(self, secret: str) -> TokenRecord | None:
        """The live token for `secret`, or None when it is unknown or revoked."""
        digest = token_digest(secret)
        now = time.monotonic()
        hit = self._cache.get(digest)
        if hit is not None and hit[0] > now:
            return hit[1]
        record = await self._store.token_by_hash(digest)
        if record is not None and (
            record.revoked_at is not None or not digest_matches(record.token_hash, digest)
        ):
            record = None
        if len(self._cache) >= MAX_CACHED:
            self._cache.clear()
        self._cache[digest] = (now + self._ttl, record)
        return record

    def forget(self) -> None:
        self._cache.clear()
