"""Locations (the tenants) and Private Integration Tokens with their scopes."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from enum import StrEnum

import msgspec


class Scope(StrEnum):
    ORDERS_READONLY = "payments/orders.readonly"
    ORDERS_WRITE = "payments/orders.write"
    ORDERS_COLLECT_PAYMENT = "payments/orders.collectPayment"
    TRANSACTIONS_READONLY = "payments/transactions.readonly"


ALL_SCOPES: tuple[Scope, ...] = tuple(Scope)


class Location(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name: str
    created_at: int


class TokenRecord(msgspec.Struct, frozen=True, kw_only=True):
    """A stored token: never the secret itself, only its SHA-256 digest.

    A PIT carries 122 random bits (a UUID4), so a fast digest is enough: there is nothing to brute-force,
    and the per-request check stays cheap. Password-grade hashing is for low-entropy secrets.
    """

    id: str  # public handle used to list and revoke, e.g. "tok_5f0c..."
    location_id: str
    scopes: tuple[Scope, ...]
    token_hash: str
    created_at: int
    revoked_at: int | None = None
    label: str | None = None


def new_token_secret() -> str:
    """A new Private Integration Token, formatted as HighLevel's: `pit-<uuid4>`."""
    return f"pit-{uuid.uuid4()}"


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def digest_matches(stored: str, presented: str) -> bool:
    """Constant-time comparison of two hex digests."""
    return hmac.compare_digest(stored.encode("ascii"), presented.encode("ascii"))
