"""SQL for Elastic Path's API clients and the access tokens they are exchanged for.

A mixin of `Store`: the same driver primitives, kept apart from the order SQL. Clients and tokens are
looked up by their public id or digest (global, as HighLevel tokens are), and every token belongs to one
location.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Any

from ordergate.domain.oauth import AccessToken, ApiClient, GrantType

if TYPE_CHECKING:
    from ordergate.store.base import Row, Tx

_CLIENT_COLUMNS = "client_id, location_id, secret_hash, created_at, revoked_at"
_ACCESS_TOKEN_COLUMNS = "token_hash, location_id, client_id, grant_type, created_at, expires_at"  # noqa: S105
_TOKEN_COLUMNS_OF_T = ", ".join(f"t.{name.strip()}" for name in _ACCESS_TOKEN_COLUMNS.split(","))
_FORGET_AFTER_MS = 86_400_000  # expired tokens are deleted a day after they expire


class ApiClientRecords(ABC):
    @abstractmethod
    async def fetch(self, sql: str, args: Sequence[Any] = ()) -> list[Row]: ...

    @abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[Tx]: ...

    async def create_api_client(self, client: ApiClient) -> None:
        async with self.transaction() as tx:
            await tx.execute(
                f"INSERT INTO api_clients ({_CLIENT_COLUMNS}) VALUES (?, ?, ?, ?, ?)",
                (
                    client.client_id,
                    client.location_id,
                    client.secret_hash,
                    client.created_at,
                    client.revoked_at,
                ),
            )

    async def get_api_client(self, client_id: str) -> ApiClient | None:
        """The client with this public id (a global lookup, as for tokens)."""
        rows = await self.fetch(
            f"SELECT {_CLIENT_COLUMNS} FROM api_clients WHERE client_id = ?", (client_id,)
        )
        if not rows:
            return None
        row = rows[0]
        return ApiClient(
            client_id=row[0], location_id=row[1], secret_hash=row[2], created_at=row[3], revoked_at=row[4]
        )

    async def save_access_token(self, token: AccessToken) -> None:
        """Store a new token, and forget the location's tokens that expired a day or more ago."""
        async with self.transaction() as tx:
            await tx.execute(
                "DELETE FROM access_tokens WHERE location_id = ? AND expires_at < ?",
                (token.location_id, token.created_at - _FORGET_AFTER_MS),
            )
            await tx.execute(
                f"INSERT INTO access_tokens ({_ACCESS_TOKEN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    token.token_hash,
                    token.location_id,
                    token.client_id,
                    token.grant_type.value,
                    token.created_at,
                    token.expires_at,
                ),
            )

    async def access_token(self, token_hash: str) -> AccessToken | None:
        """The token with this digest, if its client is not revoked (expiry is the caller's to check)."""
        rows = await self.fetch(
            f"SELECT {_TOKEN_COLUMNS_OF_T} FROM access_tokens t "
            "JOIN api_clients c ON c.client_id = t.client_id "
            "WHERE t.token_hash = ? AND c.revoked_at IS NULL",
            (token_hash,),
        )
        if not rows:
            return None
        row = rows[0]
        return AccessToken(
            token_hash=row[0],
            location_id=row[1],
            client_id=row[2],
            grant_type=GrantType(row[3]),
            created_at=row[4],
            expires_at=row[5],
        )
