"""`POST /oauth/access_token` and the bearer check on every `/v2` route.

Tokens live in the database (any server process honours a token another issued); each process caches a
lookup for `ttl` seconds. Expiry is checked on every request, cached or not. A 401 means only "this
token is missing, unknown or expired": the official SDK answers it by fetching a new token and
retrying, so a token that is fine but not allowed gets a 403 instead.
"""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import parse_qsl

from ordergate.domain.access import digest_matches, token_digest
from ordergate.domain.clock import now_ms
from ordergate.domain.oauth import TOKEN_LIFETIME_S, AccessToken, ApiClient, GrantType, new_access_token
from ordergate.elasticpath import errors
from ordergate.store import Store
from ordergate.web import Request

MAX_CACHED = 10_000
MAX_FORM = 64 * 1024


def read_form(body: bytes) -> dict[str, str]:
    """The token request's fields: form-encoded whatever the Content-Type says (Elastic Path's own curl
    examples label form data `application/json`); a JSON object is read too. First value wins."""
    text = body.decode("utf-8", errors="replace").strip()
    if text.startswith("{"):
        try:
            decoded = json.loads(text)
        except ValueError:
            decoded = None
        if isinstance(decoded, dict):
            return {str(k): v for k, v in decoded.items() if isinstance(v, str)}
    fields: dict[str, str] = {}
    for key, value in parse_qsl(text, keep_blank_values=True):
        fields.setdefault(key, value)
    return fields


def _invalid_client() -> errors.EpError:
    return errors.EpError(401, "Unauthorized", "Invalid client credentials")


class EpAuthority:
    def __init__(self, store: Store, ttl: float = 5.0) -> None:
        self._store = store
        self._ttl = ttl
        self._cache: dict[str, tuple[float, AccessToken | None]] = {}

    async def _client(self, client_id: str) -> ApiClient:
        client = await self._store.get_api_client(client_id) if client_id else None
        if client is None or client.revoked_at is not None:
            raise _invalid_client()
        return client

    async def issue(self, request: Request) -> dict[str, Any]:
        """A new access token for the client named in the request body (the token endpoint's answer)."""
        fields = read_form(await request.body(limit=MAX_FORM))
        grant = fields.get("grant_type", "")
        if grant not in (GrantType.CLIENT_CREDENTIALS, GrantType.IMPLICIT):
            raise errors.bad_request("grant_type must be client_credentials or implicit", source="grant_type")
        client = await self._client(fields.get("client_id", ""))
        if grant == GrantType.CLIENT_CREDENTIALS:
            secret = fields.get("client_secret", "")
            if not secret or not digest_matches(client.secret_hash, token_digest(secret)):
                raise _invalid_client()
        secret_token = new_access_token()
        now = now_ms()
        token = AccessToken(
            token_hash=token_digest(secret_token),
            location_id=client.location_id,
            client_id=client.client_id,
            grant_type=GrantType(grant),
            created_at=now,
            expires_at=now + TOKEN_LIFETIME_S * 1000,
        )
        await self._store.save_access_token(token)
        return {
            "access_token": secret_token,
            "expires": token.expires_at // 1000,
            "expires_in": TOKEN_LIFETIME_S,
            "identifier": grant,
            "token_type": "Bearer",
        }

    async def _lookup(self, digest: str) -> AccessToken | None:
        now = time.monotonic()
        hit = self._cache.get(digest)
        if hit is not None and hit[0] > now:
            return hit[1]
        token = await self._store.access_token(digest)
        if len(self._cache) >= MAX_CACHED:
            self._cache.clear()
        self._cache[digest] = (now + self._ttl, token)
        return token

    async def authorize(self, request: Request) -> AccessToken:
        """The live client_credentials token the request carries; 401 or 403 otherwise."""
        header = request.header(b"authorization")
        if header is None or header[:7].lower() != "bearer " or not header[7:].strip():
            raise errors.unauthorized("An access token is required: Authorization: Bearer <token>")
        token = await self._lookup(token_digest(header[7:].strip()))
        if token is None:
            raise errors.unauthorized("The access token is not valid")
        if not token.live(now_ms()):
            raise errors.unauthorized("The access token has expired")
        if token.grant_type is not GrantType.CLIENT_CREDENTIALS:
            raise errors.forbidden(
                "An implicit token cannot read or change orders: use a client_credentials token"
            )
        return token
