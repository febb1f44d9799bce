"""Elastic Path ids are UUIDs; ordergate's records have 12-byte ObjectIds. One is arithmetic on the other.

The UUID of ObjectId `65a1b2c3d4e5f60718293a4b` is `65a1b2c3-d4e5-8f60-8718-293a4b000000`: the 24 hex
digits in order, with the version digit `8` (RFC 9562's custom version) after the 12th, the variant
digit `8` (RFC 4122's `10` bits, two zero bits) after the 15th, and six zeros at the end. Reading it back
takes the digits out again, so either form finds the record with one lookup. Ids that are not ObjectIds
(a HighLevel contact id, an imported product id) are shown as they are.
"""

from __future__ import annotations

import re

from ordergate.domain import ids

_OURS = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{6}000000")


def to_uuid(object_id: str) -> str:
    """The UUID form of a 24-hex ObjectId (lowercase)."""
    h = object_id
    return f"{h[0:8]}-{h[8:12]}-8{h[12:15]}-8{h[15:18]}-{h[18:24]}000000"


def from_uuid(value: str) -> str | None:
    """The ObjectId inside one of our UUIDs (any case), or None for any other string."""
    text = value.lower()
    if _OURS.fullmatch(text) is None:
        return None
    return text[0:8] + text[9:13] + text[15:18] + text[20:23] + text[24:30]


def object_id_of(value: str) -> str | None:
    """The ObjectId a client means by `value`: our UUID form or 24 hex digits (any case); else None."""
    if len(value) == 24:
        lowered = value.lower()
        return lowered if ids.is_object_id(lowered) else None
    return from_uuid(value)


def show(value: str) -> str:
    """How an id is shown to an Elastic Path client: the UUID form of an ObjectId, anything else as is."""
    return to_uuid(value) if ids.is_object_id(value) else value


def read(value: str) -> str:
    """The stored id a client means by `value`, which it may have got from `show` (the inverse of it)."""
    return object_id_of(value) or value
