"""What the bench asks for: one scenario per endpoint and filter, each a file of request paths.

Every path names the heavy tenant; ids, contacts and search terms are drawn from it once (`Sample`) and
every server gets the same files. A request picks a random line, so caches see a realistic spread.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from bench.dataset import Sample
from ordergate.seeding import ANCHOR_MS, YEAR_MS

DAY_MS = 86_400_000
PAGE = 20
DEEP_OFFSET = 5_000
# The most common value first: the query plans in BENCHMARKS.md are those of each file's first path.
ORDER_STATUSES = ("completed", "pending", "processing", "cancelled", "failed")
PAYMENT_STATUSES = ("paid", "unpaid", "refunded", "partially_paid")


@dataclass(frozen=True)
class Scenario:
    name: str
    dialect: str  # "highlevel" or "elasticpath"
    kind: str  # "get": one order by id; "list": a page of 20 with its exact totalCount
    compared: bool = True  # the ceiling and naive apps implement it too


SCENARIOS = (
    Scenario("get_order", "highlevel", "get"),
    Scenario("list_first", "highlevel", "list"),
    Scenario("list_status", "highlevel", "list"),
    Scenario("list_payment_status", "highlevel", "list"),
    Scenario("list_date", "highlevel", "list"),
    Scenario("list_contact", "highlevel", "list"),
    Scenario("list_search", "highlevel", "list"),
    Scenario("list_offset", "highlevel", "list"),
    Scenario("list_transactions", "highlevel", "list"),
    # Elastic Path: how ids and filters map onto the store is the dialect's own; only ordergate runs them.
    Scenario("ep_get_order", "elasticpath", "get", compared=False),
    Scenario("ep_list_status", "elasticpath", "list", compared=False),
)


def _day(epoch_ms: int) -> str:
    return datetime.fromtimestamp(epoch_ms / 1000, tz=UTC).strftime("%Y-%m-%d")


def highlevel_paths(name: str, sample: Sample) -> list[str]:
    """The request paths of a HighLevel scenario (each path a line of the wrk paths file)."""
    rng = random.Random(name)
    orders = f"/payments/orders?altId={sample.location_id}&limit={PAGE}"
    if name == "get_order":
        return [f"/payments/orders/{oid}?altId={sample.location_id}" for oid in sample.order_ids]
    if name == "list_first":
        return [orders]
    if name == "list_status":
        return [f"{orders}&status={status}" for status in ORDER_STATUSES]
    if name == "list_payment_status":
        return [f"{orders}&paymentStatus={status}" for status in PAYMENT_STATUSES]
    if name == "list_date":  # a 30-day window somewhere in the year the data covers
        starts = [ANCHOR_MS - YEAR_MS + int(rng.random() * (YEAR_MS - 30 * DAY_MS)) for _ in range(500)]
        return [f"{orders}&startAt={_day(s)}&endAt={_day(s + 29 * DAY_MS)}" for s in starts]
    if name == "list_contact":
        return [f"{orders}&contactId={contact}" for contact in sample.contact_ids]
    if name == "list_search":
        return [f"{orders}&search={quote(term)}" for term in sample.search_terms]
    if name == "list_offset":
        return [f"{orders}&offset={DEEP_OFFSET}"]
    if name == "list_transactions":
        return [
            f"/payments/transactions?altId={sample.location_id}&altType=location&entityId={oid}"
            for oid in sample.paid_order_ids
        ]
    raise ValueError(f"no HighLevel scenario {name}")


def elasticpath_paths(name: str, order_ids: list[str]) -> list[str]:
    """`order_ids` are the dialect's own ids, read from its list endpoint."""
    if name == "ep_get_order":
        return [f"/v2/orders/{oid}" for oid in order_ids]
    if name == "ep_list_status":
        return ["/v2/orders?filter=eq(status,complete)"]
    raise ValueError(f"no Elastic Path scenario {name}")


def write_paths(directory: Path, name: str, paths: list[str]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{name}.txt"
    target.write_text("".join(f"{path}\n" for path in paths))
    return target
