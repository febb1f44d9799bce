"""`GET /v2/orders` query parameters -> a `FilteredOrderQuery`, or a 400 in Elastic Path's envelope.

The filter's attributes, the operators each accepts and what their values mean are one table
(`ATTRIBUTES`), the same one docs/compatibility.md lists. `in` is accepted wherever `eq` is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ordergate.domain.clock import DAY_MS, parse_day, parse_iso
from ordergate.domain.order_filter import Condition, FilteredOrderQuery, Op, OrderField, Sort
from ordergate.elasticpath import errors, ids, vocabulary
from ordergate.elasticpath.filters import Clause, FilterError, parse_filter

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_OFFSET = 10_000
KNOWN_PARAMETERS = frozenset(
    {"filter", "sort", "page[limit]", "page[offset]", "page[total_method]", "include"}
)
_INTEGER = re.compile(r"-?[0-9]{1,18}", re.ASCII)
_EPOCH_MS = re.compile(r"[0-9]{1,15}", re.ASCII)
_CURRENCY = re.compile(r"[A-Za-z]{3}", re.ASCII)
_COMPARE = {"gt": Op.GT, "ge": Op.GE, "lt": Op.LT, "le": Op.LE}
EQ_IN = frozenset({"eq", "in"})
TEXT_OPS = frozenset({"eq", "like", "in"})
RANGE_OPS = frozenset({"gt", "ge", "lt", "le"})
DATE_OPS = frozenset({"eq", "gt", "ge", "lt", "le"})


def _words(name: str, words: Mapping[str, tuple[str, ...]]) -> Callable[[str], tuple[str, ...]]:
    def read(value: str) -> tuple[str, ...]:
        if value not in words:
            raise FilterError(f"{name} must be one of {', '.join(words)}, not {value!r}")
        return words[value]

    return read


def _currency(value: str) -> tuple[str, ...]:
    if _CURRENCY.fullmatch(value) is None:
        raise FilterError(f"currency must be a three-letter ISO 4217 code, not {value!r}")
    return (value.upper(),)


def _text(value: str) -> tuple[str, ...]:
    return (value,)


def _id(value: str) -> tuple[str, ...]:
    return (ids.read(value),)


def _never(value: str) -> tuple[str, ...]:
    return ()


@dataclass(frozen=True)
class Attribute:
    """An attribute clients may filter on: the canonical field, the operators, how to read a value."""

    field: OrderField
    ops: frozenset[str]
    read: Callable[[str], tuple[str, ...]] | None = None  # for eq/in/like; None: a number or a date
    never: bool = False  # ordergate has no such data (accounts): no order matches


ATTRIBUTES: dict[str, Attribute] = {
    "status": Attribute(OrderField.STATUS, EQ_IN, _words("status", vocabulary.STATUS)),
    "payment": Attribute(OrderField.PAYMENT_STATUS, EQ_IN, _words("payment", vocabulary.PAYMENT)),
    "shipping": Attribute(OrderField.FULFILLMENT_STATUS, EQ_IN, _words("shipping", vocabulary.SHIPPING)),
    "currency": Attribute(OrderField.CURRENCY, EQ_IN, _currency),
    "product_id": Attribute(OrderField.PRODUCT_ID, EQ_IN, _id),
    "product_sku": Attribute(OrderField.PRODUCT_SKU, EQ_IN, _text),
    "name": Attribute(OrderField.CONTACT_NAME, TEXT_OPS, _text),
    "email": Attribute(OrderField.CONTACT_EMAIL, TEXT_OPS, _text),
    "contact.name": Attribute(OrderField.CONTACT_NAME, TEXT_OPS, _text),
    "contact.email": Attribute(OrderField.CONTACT_EMAIL, TEXT_OPS, _text),
    "customer_id": Attribute(OrderField.CONTACT_ID, TEXT_OPS, _text),
    "account_id": Attribute(OrderField.CONTACT_ID, TEXT_OPS, _never, never=True),
    "account_member_id": Attribute(OrderField.CONTACT_ID, TEXT_OPS, _never, never=True),
    "shipping_postcode": Attribute(OrderField.SHIPPING_POSTCODE, TEXT_OPS, _text),
    "billing_postcode": Attribute(OrderField.BILLING_POSTCODE, TEXT_OPS, _text),
    "external_ref": Attribute(OrderField.EXTERNAL_REF, TEXT_OPS, _text),
    "order_number": Attribute(OrderField.ORDER_NUMBER, TEXT_OPS, _text),
    "with_tax": Attribute(OrderField.TOTAL, RANGE_OPS),
    "without_tax": Attribute(OrderField.TOTAL_WITHOUT_TAX, RANGE_OPS),
    "created_at": Attribute(OrderField.CREATED_AT, DATE_OPS),
    "updated_at": Attribute(OrderField.UPDATED_AT, DATE_OPS),
}
DATE_FIELDS = frozenset({OrderField.CREATED_AT, OrderField.UPDATED_AT})

SORTS: dict[str, OrderField] = {
    "created_at": OrderField.CREATED_AT,
    "updated_at": OrderField.UPDATED_AT,
    "payment": OrderField.PAYMENT_STATUS,
    "shipping": OrderField.FULFILLMENT_STATUS,
    "status": OrderField.STATUS,
    "with_tax": OrderField.TOTAL,
}


def _instant(value: str) -> tuple[int, int]:
    """A date value as the half-open range [start, end) of epoch milliseconds it stands for: a whole UTC
    day for `YYYY-MM-DD`, one millisecond for epoch milliseconds or an ISO 8601 timestamp."""
    try:
        if not value.isascii():
            raise ValueError(value)
        if _EPOCH_MS.fullmatch(value):
            return int(value), int(value) + 1
        if len(value) == 10:
            start = parse_day(value)
            return start, start + DAY_MS
        if len(value) > 19:  # an unescaped `+` before a UTC offset arrives as a space
            value = value[:19] + value[19:].replace(" ", "+")
        point = parse_iso(value)
        return point, point + 1
    except (ValueError, OverflowError):
        raise FilterError(
            f"{value!r} is not a date (YYYY-MM-DD), epoch milliseconds or a timestamp"
        ) from None


def _dates(field: OrderField, op: str, value: str) -> list[Condition]:
    start, end = _instant(value)
    if op == "eq":
        return [
            Condition(field=field, op=Op.GE, values=(start,)),
            Condition(field=field, op=Op.LT, values=(end,)),
        ]
    bound = {"gt": (Op.GE, end), "ge": (Op.GE, start), "lt": (Op.LT, start), "le": (Op.LT, end)}[op]
    return [Condition(field=field, op=bound[0], values=(bound[1],))]


def _amount(name: str, value: str) -> int:
    if _INTEGER.fullmatch(value) is None:
        raise FilterError(f"{name} takes whole minor units (10000 = 100.00), not {value!r}")
    return int(value)


def conditions(clause: Clause) -> list[Condition]:
    """The canonical conditions one clause stands for (all must hold)."""
    attribute = ATTRIBUTES.get(clause.field)
    if attribute is None:
        raise FilterError(f"{clause.field!r} is not a filterable attribute of orders")
    if clause.op not in attribute.ops:
        allowed = ", ".join(op for op in ("eq", "like", "in", "gt", "ge", "lt", "le") if op in attribute.ops)
        raise FilterError(f"{clause.op} cannot be used on {clause.field} (allowed: {allowed})")
    field = attribute.field
    if field in DATE_FIELDS:
        return _dates(field, clause.op, clause.values[0])
    if attribute.read is None:
        return [
            Condition(field=field, op=_COMPARE[clause.op], values=(_amount(clause.field, clause.values[0]),))
        ]
    if clause.op == "like":
        if attribute.never:
            return [Condition(field=field, op=Op.IN, values=())]
        return [Condition(field=field, op=Op.LIKE, values=clause.values)]
    covered = [canonical for value in clause.values for canonical in attribute.read(value)]
    return [Condition(field=field, op=Op.IN, values=tuple(dict.fromkeys(covered)))]


class ListParams:
    """The first value of each query parameter (later repeats are ignored), and what they mean."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.values: dict[str, str] = {}
        for key, value in pairs:
            self.values.setdefault(key, value)
        self.stray = [key for key, _ in pairs if key not in KNOWN_PARAMETERS]

    def filter_text(self) -> str:
        return self.values.get("filter", "")

    def sort_text(self) -> str:
        return self.values.get("sort", "").strip()

    def includes(self) -> set[str]:
        return {part.strip() for part in self.values.get("include", "").split(",") if part.strip()}

    def clauses(self, *, quoted: bool) -> tuple[Clause, ...]:
        try:
            return parse_filter(self.filter_text(), quoted=quoted)
        except FilterError as exc:
            raise errors.bad_filter(self._explain(exc.reason)) from None

    def _explain(self, reason: str) -> str:
        if self.stray:
            return (
                f"{reason}; the query also has the unexpected parameter {self.stray[0]!r}: a raw '&' or '#' "
                "in a filter value cuts the query short, so send them encoded as %26 and %23"
            )
        return reason

    def query(self, location_id: str, *, quoted: bool = True) -> FilteredOrderQuery:
        found: list[Condition] = []
        for clause in self.clauses(quoted=quoted):
            try:
                found.extend(conditions(clause))
            except FilterError as exc:
                raise errors.bad_filter(exc.reason) from None
        return FilteredOrderQuery(
            location_id=location_id,
            conditions=tuple(found),
            sort=self.sort(),
            limit=self.page("page[limit]", DEFAULT_LIMIT, 1, MAX_LIMIT),
            offset=self.page("page[offset]", 0, 0, MAX_OFFSET),
        )

    def sort(self) -> Sort:
        text = self.sort_text()
        if not text:
            return Sort()
        descending = text.startswith("-")
        field = SORTS.get(text.removeprefix("-"))
        if field is None:
            raise errors.bad_request(
                f"Invalid sort {text!r}: sort by one of {', '.join(SORTS)}, with a leading - for descending",
                source="sort",
            )
        return Sort(field=field, descending=descending)

    def page(self, name: str, default: int, minimum: int, maximum: int) -> int:
        raw = self.values.get(name, "").strip()
        if not raw:
            return default
        if _INTEGER.fullmatch(raw) is None:
            raise errors.bad_request(f"{name} must be a whole number", source=name)
        number = int(raw)
        if name == "page[offset]" and number > maximum:
            raise errors.bad_request(
                f"The maximum page offset is {maximum}: use a filter to reach orders beyond it", source=name
            )
        if not minimum <= number <= maximum:
            raise errors.bad_request(f"{name} must be between {minimum} and {maximum}", source=name)
        return number
