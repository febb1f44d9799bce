"""Values every dialect writes on the wire, made cheaply: timestamps and major-unit amounts.

The same text as `domain.clock.iso_ms` and the same JSON numbers as `domain.money.to_major`, at a
fraction of the cost: a response renders a dozen of them, and rendering is most of what a read costs
beyond the database.
"""

from __future__ import annotations

import time
from decimal import Decimal
from functools import lru_cache

from ordergate.domain.money import exponent

DAY_S = 86_400
MAX_DAYS_KEPT = 100_000  # about 270 years of dates, a few MB at most
EXACT = 2**53  # integers below this (in magnitude) are exact doubles
_TWO_DIGITS = tuple(f"{n:02d}" for n in range(60))
_MILLIS = tuple(f".{n:03d}Z" for n in range(1000))
_days: dict[int, str] = {}


def iso_ms(epoch_ms: int) -> str:
    """`2023-11-20T10:23:36.515Z` for the given epoch milliseconds (UTC), as `domain.clock.iso_ms`.

    The date is formatted once per day and kept; the time of day is arithmetic."""
    seconds, millis = divmod(epoch_ms, 1000)
    days, rest = divmod(seconds, DAY_S)
    date = _days.get(days)
    if date is None:
        date = time.strftime("%Y-%m-%dT", time.gmtime(days * DAY_S))
        if len(_days) < MAX_DAYS_KEPT:
            _days[days] = date
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{date}{_TWO_DIGITS[hours]}:{_TWO_DIGITS[minutes]}:{_TWO_DIGITS[secs]}{_MILLIS[millis]}"


@lru_cache(maxsize=512)
def minor_per_major(currency: str) -> int:
    """100 for USD, 1 for JPY, 1000 for BHD."""
    scale: int = 10 ** exponent(currency)
    return scale


def major(minor: int, scale: int) -> int | float:
    """`minor` units as the JSON number in major units (`scale` from `minor_per_major`), as
    `domain.money.to_major`: an int when whole, else the double nearest the exact decimal. Both operands
    of the division are exact doubles below 2**53, and IEEE division rounds correctly, so the quotient is
    that nearest double; larger amounts take the exact decimal route."""
    if minor % scale == 0:
        return minor // scale
    if -EXACT < minor < EXACT:
        return minor / scale
    return float(Decimal(minor) / scale)
