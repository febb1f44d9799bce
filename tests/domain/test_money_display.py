"""`money.display`, the timeline's amounts: the fast path writes exactly what Babel writes."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from babel.numbers import format_currency

from ordergate.domain.money import display, exponent, known_currencies


def _babel(amount: int, currency: str) -> str:
    return str(format_currency(Decimal(amount).scaleb(-exponent(currency)), currency, locale="en_US"))


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [(5000, "USD", "$50.00"), (500, "JPY", "¥500"), (1234567, "BHD", "BHD1,234.567"), (-5, "EUR", "-€0.05")],
)
def test_display_examples(amount: int, currency: str, text: str) -> None:
    assert display(amount, currency) == text


def test_display_matches_babel_for_every_currency() -> None:
    rng = random.Random(7)
    for currency in sorted(known_currencies()):
        amounts = [rng.randrange(10 ** rng.randrange(1, 15)) for _ in range(25)]
        for amount in [0, 1, 999, 1000, -1, -123_456, *amounts]:
            assert display(amount, currency) == _babel(amount, currency), (amount, currency)
