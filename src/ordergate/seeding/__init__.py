"""Deterministic fake orders for demos, tests and benchmarks.

Same seed, same bytes: every choice comes from a `random.Random` seeded with the seed and the location id,
and timestamps count back from a fixed anchor, never the wall clock. Faker supplies people, companies and
brand names once per seed (`pools`); each location then builds its catalogue, customers and sources once
(`location`) and draws its orders from them. Byte-identical output across machines also needs the same
Faker version, whose word lists feed the pools.

Orders share their frozen parts (products, prices, contacts, sources): treat them as read-only.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from ordergate.domain import ids
from ordergate.domain.order import Order
from ordergate.seeding.location import COVERAGE, CURRENCIES, YEAR_MS, LocationFactory

ANCHOR_MS = 1_793_491_200_000  # 2026-11-01T00:00:00.000Z, the default "now" of generated data

__all__ = ["ANCHOR_MS", "COVERAGE", "CURRENCIES", "YEAR_MS", "generate_orders", "location_ids"]


def location_ids(count: int, seed: int) -> list[str]:
    """`count` HighLevel-style location ids (20 letters or digits), the same for the same seed."""
    rng = random.Random(f"{seed}:locations")
    return [ids.new_alnum20(rng) for _ in range(count)]


def generate_orders(location_id: str, count: int, seed: int, *, now_ms: int | None = None) -> Iterator[Order]:
    """`count` valid orders of `location_id`, created during the year before `now_ms` (default `ANCHOR_MS`).

    The same arguments give the same orders, byte for byte, and a larger `count` only appends to a smaller
    one. From the `COVERAGE`-th (15th) order on, every status, payment status, fulfillment status, source
    type, both modes and the currencies USD, EUR and JPY have appeared (the statuses, modes and those
    currencies already by the 12th).
    """
    factory = LocationFactory(location_id, seed, ANCHOR_MS if now_ms is None else now_ms)
    for index in range(count):
        yield factory.order(index)
