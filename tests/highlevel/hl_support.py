"""Helpers for the HighLevel HTTP tests: tenants (a location and its token), canonical orders, the
expected error bodies, and an independent model of what `GET /payments/orders` should answer.

The model never asks the server: a test describes each order it creates as an `Made` record and computes
the expected page from those records alone.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote, urlencode

import httpx

from tests.conftest import Server

VERSION = "2021-07-28"
READ_SCOPE = "payments/orders.readonly"
ORDERS_PATH = "/payments/orders"
DAY_MS = 86_400_000
TIMESTAMP_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
OBJECT_ID_RE = re.compile(r"^[0-9a-f]{24}$")
ALNUM20_RE = re.compile(r"^[A-Za-z0-9]{20}$")
STATUSES = ("pending", "processing", "completed", "cancelled", "failed")

Params = Mapping[str, str] | Sequence[tuple[str, str]]

# How a test makes each payment status: (the status HighLevel must show, total -> (paid, refunded)).
PAYMENTS: dict[str, tuple[str, Callable[[int], tuple[int, int]]]] = {
    "unpaid": ("unpaid", lambda total: (0, 0)),
    "partially_paid": ("partially_paid", lambda total: (total // 3, 0)),
    "paid": ("paid", lambda total: (total, 0)),
    "refunded": ("refunded", lambda total: (total, total)),
    # a partial refund leaves the order paid: the enum has no partially_refunded
    "paid_partly_refunded": ("paid", lambda total: (total, total // 4)),
}


def ms(iso: str) -> int:
    """Epoch milliseconds of an ISO 8601 timestamp with an offset (for test data; not the server's parser)."""
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)


def day_start_ms(day: str) -> int:
    return int(datetime.combine(date.fromisoformat(day), datetime.min.time(), UTC).timestamp() * 1000)


def object_id(created_ms: int, serial: int) -> str:
    """A 24-hex id laid out like an ObjectId: creation seconds, then a serial number."""
    return f"{created_ms // 1000:08x}{serial:016x}"


def contact_id(serial: int) -> str:
    return f"Contact{serial:013d}"


def product_id(serial: int) -> str:
    return f"61dd0c7dc077f712{serial:08x}"


# --- error bodies (research 3.1, 3.2, 3.5) -----------------------------------------------------------

NO_VERSION = {"statusCode": 401, "message": "version header was not found."}
BAD_VERSION = {"statusCode": 401, "message": "version header is invalid"}
INVALID_TOKEN = {
    "statusCode": 401,
    "message": "Invalid token: access token is invalid",
    "error": "Unauthorized",
}
INVALID_PIT = {"statusCode": 401, "message": "Invalid Private Integration token"}
MISSING_SCOPE = {"statusCode": 401, "message": "The token is not authorized for this scope."}
FOREIGN_LOCATION = {"statusCode": 401, "message": "This location is not accessible from this token!"}


def unprocessable(*messages: str) -> dict[str, Any]:
    return {"statusCode": 422, "message": list(messages), "error": "Unprocessable Entity"}


def assert_not_found(response: httpx.Response) -> None:
    """The live API's serialised HttpException for a missing order (research 1.7.3), with a fresh traceId."""
    assert response.status_code == 404, response.text
    body = response.json()
    assert set(body) == {"status", "message", "name", "traceId"}, body
    assert body["status"] == 404
    assert body["message"] == "Order not found"
    assert body["name"] == "HttpException"
    assert str(uuid.UUID(body["traceId"])) == body["traceId"]


# --- tenants -------------------------------------------------------------------------------------------


@dataclass
class Tenant:
    """A fresh location, a token for it, and a client that talks HighLevel to the server."""

    server: Server
    http: httpx.Client
    location: str
    token: str

    @classmethod
    def create(cls, server: Server, http: httpx.Client, scopes: list[str] | None = None) -> Tenant:
        location = server.new_location()
        return cls(server, http, location, server.new_token(location, scopes or [READ_SCOPE]))

    def headers(self, **overrides: str) -> dict[str, str]:
        return {"Version": VERSION, "Authorization": f"Bearer {self.token}", **overrides}

    def list_orders(self, params: Params = (), *, raw: str | None = None, alt: bool = True) -> httpx.Response:
        """`GET /payments/orders` with `altId` first (unless `alt` is false), then `params` or the
        already-encoded query string `raw` (httpx only escapes spaces and non-ASCII in it)."""
        return self.http.get(self._url(ORDERS_PATH, params, raw, alt), headers=self.headers())

    def get(
        self, order_id: str, params: Params = (), *, raw: str | None = None, alt: bool = True
    ) -> httpx.Response:
        return self.http.get(self._url(f"{ORDERS_PATH}/{order_id}", params, raw, alt), headers=self.headers())

    def _url(self, path: str, params: Params, raw: str | None, alt: bool) -> str:
        pairs = list(params.items()) if isinstance(params, Mapping) else list(params)
        parts = [f"altId={self.location}"] if alt else []
        if pairs:
            parts.append(urlencode(pairs, quote_via=quote))
        if raw:
            parts.append(raw)
        return f"{path}?{'&'.join(parts)}" if parts else path

    def create_order(self, made: Made) -> Made:
        created = self.server.create_order(self.location, made.canonical())
        assert created["id"] == made.id
        return made

    def create_orders(self, orders: Iterable[Made]) -> list[Made]:
        return [self.create_order(made) for made in orders]


# --- canonical orders and the independent model ----------------------------------------------------------


@dataclass
class Made:
    """One order a test creates, described by the facts the filters look at."""

    id: str
    created_at: int
    name: str = "Widget"
    status: str = "pending"
    payment: str = "unpaid"  # a key of PAYMENTS: the amounts are chosen to produce that payment status
    live: bool = True
    contact: tuple[str, str, str, str] | None = None  # id, first name, last name, email
    source_id: str = "kDj7BHej9Zyyq3QakJmz"
    products: tuple[str, ...] = (product_id(1),)
    total: int = 10_000  # minor units, the sum of the items' prices
    extra: dict[str, Any] = field(default_factory=dict)

    def canonical(self) -> dict[str, Any]:
        count = len(self.products)
        prices = [self.total // count] * count
        prices[0] += self.total - sum(prices)
        paid, refunded = PAYMENTS[self.payment][1](self.total)
        body: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "currency": "USD",
            "status": self.status,
            "created_at": self.created_at,
            "live_mode": self.live,
            "amount_paid": paid,
            "amount_refunded": refunded,
            "source": {"type": "funnel", "id": self.source_id, "sub_type": "one_step_order_form"},
            "items": [
                {
                    "name": f"{self.name} item {index}",
                    "quantity": 1,
                    "product": {"id": product, "name": f"Product {product[-4:]}"},
                    "price": {"id": f"pr{index}", "name": "Standard", "type": "one_time", "amount": amount},
                }
                for index, (product, amount) in enumerate(zip(self.products, prices, strict=True))
            ],
        }
        if self.contact is not None:
            cid, first, last, email = self.contact
            body["contact"] = {"id": cid, "first_name": first, "last_name": last, "email": email}
        body.update(self.extra)
        return body

    def matches(self, query: Mapping[str, str]) -> bool:
        """Whether this order passes every filter in `query` (already-decoded values)."""
        checks: dict[str, Callable[[str], bool]] = {
            "status": lambda v: self.status == v,
            "paymentStatus": lambda v: PAYMENTS[self.payment][0] == v,
            "paymentMode": lambda v: self.live == (v == "live"),
            "startAt": lambda v: self.created_at >= _bound(v, end=False),
            "endAt": lambda v: self.created_at <= _bound(v, end=True),
            "search": self._found,
            "contactId": lambda v: self.contact is not None and self.contact[0] == v,
            "sourceId": lambda v: self.source_id == v,
            "funnelProductIds": lambda v: bool({p.strip() for p in v.split(",")} & set(self.products)),
        }
        return all(check(query[name]) for name, check in checks.items() if name in query)

    def _found(self, needle: str) -> bool:
        fields = [self.name]
        if self.contact is not None:
            _, first, last, email = self.contact
            fields += [f"{first} {last}".strip(), email]
        wanted = needle.strip().lower()
        return any(wanted in text.lower() for text in fields)


def _bound(value: str, *, end: bool) -> int:
    if len(value) == 10:
        start = day_start_ms(value)
        return start + DAY_MS - 1 if end else start
    return ms(value)


def newest_first(orders: Iterable[Made]) -> list[Made]:
    return sorted(orders, key=lambda o: (o.created_at, o.id), reverse=True)


def expected_page(orders: Iterable[Made], query: Mapping[str, str]) -> tuple[list[str], int]:
    """The ids and totalCount `GET /payments/orders` must answer for `query`, from the model alone."""
    matching = newest_first(o for o in orders if o.matches(query))
    limit = int(float(query.get("limit", "10")))
    offset = int(float(query.get("offset", "0")))
    return [o.id for o in matching[offset : offset + limit]], len(matching)


def page_of(response: httpx.Response) -> tuple[list[str], int]:
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"data", "totalCount"}, body.keys()
    return [order["_id"] for order in body["data"]], body["totalCount"]
