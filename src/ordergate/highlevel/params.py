"""Query-string parsing for the HighLevel routes, reporting problems the way class-validator does.

Accepts what the official SDKs and plain HTTP clients send: `limit=20.0`, `+` or `%20` for spaces,
`%2C` or `,` between ids, repeated keys and `key[]=` arrays for list parameters, and ignores parameters
it does not know (both SDKs and older spec versions send `altType` where the current spec dropped it).
"""

from __future__ import annotations

import math
import re
from enum import StrEnum
from typing import TypeVar

from ordergate.domain import ids
from ordergate.domain.clock import DAY_MS, parse_day, parse_iso
from ordergate.domain.order import OrderStatus, PaymentStatus
from ordergate.domain.query import OrderQuery, TransactionQuery

E = TypeVar("E", bound=StrEnum)
# What JavaScript's Number() reads as a finite decimal, in ASCII only (`20`, `20.0`, `2e1`, `.5`).
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)

MAX_LIMIT = 100
MAX_OFFSET = 1_000_000_000
MAX_SEARCH = 200


class PaymentMode(StrEnum):
    LIVE = "live"
    TEST = "test"


def _one_of(name: str, values: type[StrEnum]) -> str:
    return f"{name} must be one of the following values: {', '.join(v.value for v in values)}"


class QueryReader:
    """Collects query values by name and every problem found while reading them."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.values: dict[str, list[str]] = {}
        for key, value in pairs:
            self.values.setdefault(key.removesuffix("[]"), []).append(value)
        self.problems: list[str] = []

    def string(self, name: str, *, required: bool = False) -> str | None:
        found = self.values.get(name)
        if found is not None and len(found) == 1 and found[0] and "\x00" not in found[0]:
            return found[0]  # the usual case, decided without building anything
        if found is None or all(value == "" for value in found):
            if required:
                self.problems.append(f"{name} should not be empty")
                self.problems.append(f"{name} must be a string")
            return None
        if len(set(found)) > 1:
            self.problems.append(f"{name} must be a string")
            return None
        if "\x00" in found[0]:
            self.problems.append(f"{name} must not contain null characters")
            return None
        return found[0]

    def enum(self, name: str, values: type[E]) -> E | None:
        raw = self.string(name)
        if raw is None:
            return None
        try:
            return values(raw)
        except ValueError:
            self.problems.append(_one_of(name, values))
            return None

    def integer(self, name: str, *, default: int, minimum: int, maximum: int) -> int:
        raw = self.string(name)
        if raw is None:
            return default
        number = float(raw) if _NUMBER.fullmatch(raw.strip()) else math.nan
        if not math.isfinite(number):
            self.problems.append(f"{name} must be a number conforming to the specified constraints")
            return default
        if not number.is_integer():
            self.problems.append(f"{name} must be an integer number")
            return default
        if number < minimum:
            self.problems.append(f"{name} must not be less than {minimum}")
            return default
        if number > maximum:
            self.problems.append(f"{name} must not be greater than {maximum}")
            return default
        return int(number)

    def instant(self, name: str, *, end_of_day: bool) -> int | None:
        """A `YYYY-MM-DD` date (a whole UTC day; the end bound takes the day's last millisecond) or an
        ISO 8601 timestamp, as epoch milliseconds."""
        raw = self.string(name)
        if raw is None:
            return None
        if len(raw) > 19:
            # An unescaped `+` before a UTC offset arrives as a space (`T02:00:00 02:00`): restore it.
            raw = raw[:19] + raw[19:].replace(" ", "+")
        try:
            if not raw.isascii():
                raise ValueError(raw)
            if len(raw) == 10:
                start = parse_day(raw)
                return start + DAY_MS - 1 if end_of_day else start
            return parse_iso(raw)
        except (ValueError, OverflowError):
            self.problems.append(f"{name} must be a valid ISO 8601 date string")
            return None

    def id_list(self, name: str) -> tuple[str, ...]:
        found = self.values.get(name, [])
        if any("\x00" in value for value in found):  # PostgreSQL text cannot hold NUL
            self.problems.append(f"{name} must not contain null characters")
            return ()
        return tuple(
            dict.fromkeys(part.strip() for value in found for part in value.split(",") if part.strip())
        )


def _lower(value: str | None) -> str | None:
    """Ids are stored lowercase; an ObjectId's hex means the same in either case."""
    return value.lower() if value is not None else None


def _search(reader: QueryReader) -> str | None:
    """`search`, trimmed and lowercased for a case-insensitive substring match; None when blank."""
    search = reader.string("search")
    if search is None:
        return None
    search = search.strip()
    if len(search) > MAX_SEARCH:
        reader.problems.append(f"search must be shorter than or equal to {MAX_SEARCH} characters")
    if any(ord(char) < 0x20 for char in search):
        reader.problems.append("search must not contain control characters")
    return search.lower() or None


def object_id_problems(name: str, value: str) -> list[str]:
    """class-validator's IsMongoId: 24 hex digits in either case (stored ids are lowercase)."""
    return [] if ids.is_object_id(value.lower()) else [f"{name} must be a mongodb id"]


def order_id_problems(order_id: str) -> list[str]:
    return object_id_problems("orderId", order_id)


def read_alt_id(reader: QueryReader) -> str | None:
    """`altId` is required; `locationId` optional; `altType`, which the current spec dropped from these
    routes but older clients and white-label docs still send (`location`, `account`), is ignored."""
    alt_id = reader.string("altId", required=True)
    reader.string("locationId")
    return alt_id


def list_orders_query(reader: QueryReader, location_id: str) -> OrderQuery:
    """`GET /payments/orders` parameters -> an `OrderQuery`; raises nothing, leaves problems on `reader`."""
    read_alt_id(reader)
    status = reader.enum("status", OrderStatus)
    payment_status = reader.enum("paymentStatus", PaymentStatus)
    payment_mode = reader.enum("paymentMode", PaymentMode)
    start = reader.instant("startAt", end_of_day=False)
    end = reader.instant("endAt", end_of_day=True)
    if start is not None and end is not None and start > end:
        reader.problems.append("startAt must not be after endAt")
    needle = _search(reader)
    contact_id = reader.string("contactId")
    source_id = reader.string("sourceId")
    product_ids = reader.id_list("funnelProductIds")
    limit = reader.integer("limit", default=10, minimum=1, maximum=MAX_LIMIT)
    offset = reader.integer("offset", default=0, minimum=0, maximum=MAX_OFFSET)
    return OrderQuery(
        location_id=location_id,
        status=status,
        payment_status=payment_status,
        live_mode=None if payment_mode is None else payment_mode is PaymentMode.LIVE,
        created_from=start,
        created_to=end,
        search=needle,
        contact_id=contact_id,
        product_ids=product_ids,
        source_id=source_id,
        limit=limit,
        offset=offset,
    )


def read_alt_type(reader: QueryReader, *, enum: bool) -> None:
    """`altType`, required on the fulfillment, notes and transaction routes: the enum `location` on the
    first two, a free string on the transaction routes (as the spec declares them)."""
    alt_type = reader.string("altType", required=True)
    if enum and alt_type is not None and alt_type != "location":
        reader.problems.append("altType must be one of the following values: location")


def list_transactions_query(reader: QueryReader, location_id: str) -> TransactionQuery:
    """`GET /payments/transactions` parameters -> a `TransactionQuery`; problems are left on `reader`."""
    read_alt_id(reader)
    read_alt_type(reader, enum=False)
    payment_mode = reader.enum("paymentMode", PaymentMode)
    start = reader.instant("startAt", end_of_day=False)
    end = reader.instant("endAt", end_of_day=True)
    if start is not None and end is not None and start > end:
        reader.problems.append("startAt must not be after endAt")
    search = _search(reader)
    return TransactionQuery(
        location_id=location_id,
        live_mode=None if payment_mode is None else payment_mode is PaymentMode.LIVE,
        created_from=start,
        created_to=end,
        source_type=reader.string("entitySourceType"),
        source_sub_type=reader.string("entitySourceSubType"),
        search=search,
        subscription_id=reader.string("subscriptionId"),
        order_id=_lower(reader.string("entityId")),
        contact_id=reader.string("contactId"),
        limit=reader.integer("limit", default=10, minimum=1, maximum=MAX_LIMIT),
        offset=reader.integer("offset", default=0, minimum=0, maximum=MAX_OFFSET),
    )
