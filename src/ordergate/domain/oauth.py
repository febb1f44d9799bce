"""API clients (client id + secret per location) and the short-lived access tokens they are exchanged for.

Elastic Path's clients authenticate at `/oauth/access_token` with a client id and secret (the
`client_credentials` grant) or with the client id alone (the `implicit` grant, for browsers), and get
a bearer token that lasts an hour. Secrets and tokens are random (160 and more bits), so a SHA-256 digest
is all that is stored, as for Private Integration Tokens.
"""

from __future__ import annotations

import secrets
import string
from enum import StrEnum

import msgspec

TOKEN_LIFETIME_S = 3600
_ALNUM = string.ascii_letters + string.digits


class GrantType(StrEnum):
    CLIENT_CREDENTIALS = "client_credentials"  # a server with the secret: reads and changes orders
    IMPLICIT = "implicit"  # a browser with the public client id: no access to orders


class ApiClient(msgspec.Struct, frozen=True, kw_only=True):
    client_id: str
    location_id: str
    secret_hash: str
    created_at: int
    revoked_at: int | None = None


class AccessToken(msgspec.Struct, frozen=True, kw_only=True):
    token_hash: str
    location_id: str
    client_id: str
    grant_type: GrantType
    created_at: int
    expires_at: int  # epoch milliseconds

    def live(self, now_ms: int) -> bool:
        return now_ms < self.expires_at


def _alnum(length: int) -> str:
    return "".join(secrets.choice(_ALNUM) for _ in range(length))


def new_client_id() -> str:
    """A public client id: 40 letters and digits (238 bits)."""
    return _alnum(40)


def new_client_secret() -> str:
    """A client secret: 40 letters and digits; shown once, stored only as a digest."""
    return _alnum(40)


def new_access_token() -> str:
    """A bearer token: 40 lowercase hex digits, like Elastic Path's."""
    return secrets.token_hex(20)
