"""Money is integer minor units plus an ISO 4217 code; the exponent comes from CLDR through Babel."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from babel.core import Locale
from babel.numbers import get_currency_precision, list_currencies

from ordergate.domain.errors import Invalid

FLOAT_NOISE = Decimal("1e-6")  # in minor units: far below a cent, far above a double's rounding error


@lru_cache(maxsize=512)
def exponent(currency: str) -> int:
    """Digits after the decimal point for `currency` (USD 2, JPY 0, BHD 3), from CLDR data."""
    precision: int = get_currency_precision(currency)
    return precision


@lru_cache(maxsize=1)
def known_currencies() -> frozenset[str]:
    return frozenset(list_currencies(Locale.parse("en")))


def check_currency(currency: str) -> str:
    if currency not in known_currencies():
        raise Invalid([f"currency must be an ISO 4217 code, got {currency!r}"])
    return currency


def to_major(minor: int, currency: str) -> int | float:
    """Minor units as the JSON number HighLevel sends.

    15010 USD -> 150.1, 10000 USD -> 100, 500 JPY -> 500.
    """
    exp = exponent(currency)
    if exp == 0:
        return minor
    scale: int = 10**exp
    whole, rest = divmod(minor, scale)
    if rest == 0:
        return whole
    return float(Decimal(minor).scaleb(-exp))  # exact decimal, then the nearest double


def to_minor(major: int | float | str | Decimal, currency: str) -> int:
    """A major-unit amount (as HighLevel sends it) in minor units.

    Binary floating-point noise is forgiven (`0.1 * 3` sent as 0.30000000000000004 is 30 cents); an amount
    really finer than the currency (10.005 USD) is refused.
    """
    exp = exponent(currency)
    value = Decimal(str(major)).scaleb(exp)
    whole = value.to_integral_value()
    if abs(value - whole) > FLOAT_NOISE:
        raise Invalid([f"amount {major} has more than {exp} decimal places for {currency}"])
    return int(whole)
