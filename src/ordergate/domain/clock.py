"""Time as the platforms show it: UTC, milliseconds, a trailing `Z`. Stored as epoch milliseconds."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MILLISECOND = timedelta(milliseconds=1)


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def iso_ms(epoch_ms: int) -> str:
    """`2023-11-20T10:23:36.515Z` for the given epoch milliseconds."""
    seconds, millis = divmod(epoch_ms, 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{millis:03d}Z"


def parse_iso(value: str) -> int:
    """Epoch milliseconds of an ISO 8601 timestamp; a timestamp without an offset is taken as UTC.

    Raises ValueError for anything else.
    """
    text = value.strip()
    if len(text) < 11 or text[10] not in "Tt ":
        raise ValueError(value)
    parsed = datetime.fromisoformat(text[:-1] + "+00:00" if text[-1] in "zZ" else text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return (parsed - EPOCH) // MILLISECOND


def parse_day(value: str) -> int:
    """Epoch milliseconds at 00:00:00.000 UTC of a `YYYY-MM-DD` date. Raises ValueError otherwise."""
    if len(value) != 10:
        raise ValueError(value)
    day = datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
    return (day - EPOCH) // MILLISECOND


DAY_MS = 86_400_000
