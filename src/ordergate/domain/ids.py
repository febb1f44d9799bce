"""Identifier formats of the platforms.

An order (and a transaction, an item, a fulfillment) has one identity: 12 bytes laid out like a MongoDB
ObjectId (4 bytes of big-endian creation seconds, 8 bytes of entropy). HighLevel renders it as 24 lowercase
hex characters; another dialect may render the same bytes differently. Locations and contacts carry
HighLevel's 20-character alphanumeric ids.
"""

from __future__ import annotations

import itertools
import random
import re
import secrets
import string

OBJECT_ID_RE = re.compile(r"[0-9a-f]{24}")
ALNUM20_RE = re.compile(r"[A-Za-z0-9]{20}")
_ALNUM = string.ascii_letters + string.digits


_PROCESS = secrets.token_bytes(5)
_counter = itertools.count(secrets.randbelow(1 << 24))


def new_object_id(created_ms: int, rng: random.Random | None = None) -> str:
    """A new 24-hex id laid out as a MongoDB ObjectId: 4 bytes of creation seconds, then (without `rng`)
    5 random bytes fixed for the process and a 3-byte counter, so that ids made by one process in the same
    second sort in the order they were made; with `rng`, 8 bytes drawn from it (deterministic seeding)."""
    head = ((created_ms // 1000) & 0xFFFFFFFF).to_bytes(4, "big")
    if rng is not None:
        return (head + rng.randbytes(8)).hex()
    return (head + _PROCESS + (next(_counter) & 0xFFFFFF).to_bytes(3, "big")).hex()


def is_object_id(value: str) -> bool:
    return OBJECT_ID_RE.fullmatch(value) is not None


def new_alnum20(rng: random.Random | None = None) -> str:
    """A HighLevel-style location or contact id: 20 characters from [A-Za-z0-9]."""
    if rng is not None:
        return "".join(rng.choice(_ALNUM) for _ in range(20))
    return "".join(secrets.choice(_ALNUM) for _ in range(20))


def is_alnum20(value: str) -> bool:
    return ALNUM20_RE.fullmatch(value) is not None
