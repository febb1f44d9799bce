"""Money is integer minor units plus an ISO 4217 code; the exponent comes from CLDR through Babel."""

from __future__ import annotations

from decimal import Decimal, localcontext
from functools import lru_cache

from babel.core import Locale
from babel.numbers import format_currency, get_currency_precision, list_currencies

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


def display(amount: int, currency: str) -> str:
    """`$50.00`, `¥500`, `-€0.05`: minor units as US English text (Babel's `format_currency`, en_US).

    Babel takes tens of microseconds a call, and a bulk import writes several amounts an order, so a
    currency whose output Babel's own results show to be symbol, grouped digits and fixed decimals is
    formatted directly; any other goes through Babel every time."""
    layout = _layout(currency)
    if layout is None or amount < 0:
        return _babel_display(amount, currency)
    symbol, exp = layout
    if exp == 0:
        return f"{symbol}{amount:,}"
    whole, rest = divmod(amount, 10**exp)
    return f"{symbol}{whole:,}.{rest:0{exp}d}"


def _babel_display(amount: int, currency: str) -> str:
    with localcontext() as context:
        context.prec = 60  # Babel quantizes in the current context; keep any integer amount exact
        return str(format_currency(Decimal(amount).scaleb(-exponent(currency)), currency, locale="en_US"))


# Amounts that exercise zero, every decimal place, grouping and large values.
_PROBES = (0, 1, 7, 10, 99, 100, 999, 1_000, 12_345, 999_999, 1_234_567, 100_000_000, 987_654_321_012)


@lru_cache(maxsize=512)
def _layout(currency: str) -> tuple[str, int] | None:
    """(symbol, decimals) when `symbol` followed by the amount with `,` grouping and `decimals` fixed
    decimal places is exactly what Babel writes for every probe amount; None otherwise."""
    exp = exponent(currency)
    symbol = _babel_display(0, currency).removesuffix("0" if exp == 0 else f"0.{'0' * exp}")
    layout = (symbol, exp)
    for probe in _PROBES:
        whole, rest = divmod(probe, 10**exp)
        fast = f"{symbol}{whole:,}" if exp == 0 else f"{symbol}{whole:,}.{rest:0{exp}d}"
        if fast != _babel_display(probe, currency):
            return None
    return layout
