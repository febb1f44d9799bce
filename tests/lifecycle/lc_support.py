"""Helpers for the lifecycle HTTP tests: orders in the canonical form, and a client that speaks the new
HighLevel routes (record-payment, fulfillments, notes, transactions) plus the admin cancel/refund/notes."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx

from tests.conftest import Server
from tests.highlevel.hl_support import VERSION, Tenant

ALL_SCOPES = [
    "payments/orders.readonly",
    "payments/orders.write",
    "payments/orders.collectPayment",
    "payments/transactions.readonly",
]
ORDERS = "/payments/orders"
TRANSACTIONS = "/payments/transactions"


def item(price_id: str, amount: int, quantity: int = 1, *, product: str | None = None) -> dict[str, Any]:
    """A canonical order item; `amount` is the unit price in minor units."""
    return {
        "name": f"Item {price_id}",
        "quantity": quantity,
        "product": {"id": product or f"6578278e879ad2646715{sum(map(ord, price_id)):04x}", "name": "Lamp"},
        "price": {"id": price_id, "name": "Standard", "type": "one_time", "amount": amount},
    }


def order_body(*items: dict[str, Any], **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"items": list(items) or [item("pr0", 10_000)], "currency": "USD"}
    body.update(extra)
    return body


def minor(amount: float | int | str, exponent: int = 2) -> int:
    """A major-unit JSON number as exact minor units."""
    return int(Decimal(str(amount)).scaleb(exponent))


def assert_not_found(response: httpx.Response, message: str) -> None:
    assert response.status_code == 404, response.text
    body = response.json()
    assert set(body) == {"status", "message", "name", "traceId"}, body
    assert (body["status"], body["message"], body["name"]) == (404, message, "HttpException")
    assert str(uuid.UUID(body["traceId"])) == body["traceId"]


def bad_request(message: str) -> dict[str, Any]:
    return {"statusCode": 400, "message": message}


@dataclass
class Shop:
    """A location with an all-scopes token, and every lifecycle route as a method."""

    tenant: Tenant

    @classmethod
    def create(cls, server: Server, http: httpx.Client, scopes: list[str] | None = None) -> Shop:
        return cls(Tenant.create(server, http, scopes or ALL_SCOPES))

    @property
    def location(self) -> str:
        return self.tenant.location

    @property
    def server(self) -> Server:
        return self.tenant.server

    @property
    def http(self) -> httpx.Client:
        return self.tenant.http

    def headers(self, token: str | None = None, **more: str) -> dict[str, str]:
        return {"Version": VERSION, "Authorization": f"Bearer {token or self.tenant.token}", **more}

    # --- admin ----------------------------------------------------------------------------------------

    def new_order(self, *items: dict[str, Any], **extra: Any) -> str:
        return str(self.server.create_order(self.location, order_body(*items, **extra))["id"])

    def canonical(self, order_id: str) -> dict[str, Any]:
        response = self.server.admin.get(f"/admin/locations/{self.location}/orders/{order_id}")
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    def cancel(self, order_id: str, location: str | None = None) -> httpx.Response:
        return self.server.admin.post(
            f"/admin/locations/{location or self.location}/orders/{order_id}/cancel"
        )

    def refund(self, order_id: str, amount: int | None = None, location: str | None = None) -> httpx.Response:
        body = {} if amount is None else {"amount": amount}
        return self.server.admin.post(
            f"/admin/locations/{location or self.location}/orders/{order_id}/refund", json=body
        )

    def note(self, order_id: str, text: str, location: str | None = None) -> httpx.Response:
        return self.server.admin.post(
            f"/admin/locations/{location or self.location}/orders/{order_id}/notes", json={"text": text}
        )

    # --- HighLevel ------------------------------------------------------------------------------------

    def payment(self, **fields: Any) -> dict[str, Any]:
        body: dict[str, Any] = {"altId": self.location, "altType": "location", "mode": "cash"}
        body.update(fields)
        return body

    def pay(
        self,
        order_id: str,
        amount: float | None = None,
        *,
        partial: bool = False,
        key: str | None = None,
        token: str | None = None,
        **fields: Any,
    ) -> httpx.Response:
        body = self.payment(**fields)
        if amount is not None:
            body["amount"] = amount
        if partial:
            body["isPartialPayment"] = True
        headers = self.headers(token) if key is None else self.headers(token, **{"Idempotency-Key": key})
        return self.http.post(f"{ORDERS}/{order_id}/record-payment", json=body, headers=headers)

    def post_payment(self, order_id: str, body: Any, token: str | None = None) -> httpx.Response:
        """record-payment with any JSON body (or raw bytes)."""
        url = f"{ORDERS}/{order_id}/record-payment"
        if isinstance(body, bytes):
            headers = self.headers(token, **{"Content-Type": "application/json"})
            return self.http.post(url, content=body, headers=headers)
        return self.http.post(url, json=body, headers=self.headers(token))

    def shipment(self, *lines: tuple[str, int], **fields: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "altId": self.location,
            "altType": "location",
            "trackings": [
                {
                    "trackingNumber": "40012345678",
                    "shippingCarrier": "FedEx",
                    "trackingUrl": "https://www.fedex.com/wtrk/track/?trknbr=40012345678",
                }
            ],
            "items": [{"priceId": price_id, "qty": qty} for price_id, qty in lines],
            "notifyCustomer": True,
        }
        body.update(fields)
        return body

    def fulfil(
        self, order_id: str, *lines: tuple[str, int], token: str | None = None, **fields: Any
    ) -> httpx.Response:
        return self.post_fulfillment(order_id, self.shipment(*lines, **fields), token)

    def post_fulfillment(self, order_id: str, body: Any, token: str | None = None) -> httpx.Response:
        url = f"{ORDERS}/{order_id}/fulfillments"
        if isinstance(body, bytes):
            headers = self.headers(token, **{"Content-Type": "application/json"})
            return self.http.post(url, content=body, headers=headers)
        return self.http.post(url, json=body, headers=self.headers(token))

    def _query(self, params: Mapping[str, str] | None) -> dict[str, str]:
        return {"altId": self.location, "altType": "location"} if params is None else dict(params)

    def fulfillments(
        self, order_id: str, params: Mapping[str, str] | None = None, token: str | None = None
    ) -> httpx.Response:
        return self.http.get(
            f"{ORDERS}/{order_id}/fulfillments", params=self._query(params), headers=self.headers(token)
        )

    def notes(
        self, order_id: str, params: Mapping[str, str] | None = None, token: str | None = None
    ) -> httpx.Response:
        return self.http.get(
            f"{ORDERS}/{order_id}/notes", params=self._query(params), headers=self.headers(token)
        )

    def transactions(
        self,
        params: Mapping[str, str] | Sequence[tuple[str, str]] = (),
        *,
        token: str | None = None,
        alt: bool = True,
    ) -> httpx.Response:
        pairs: list[tuple[str, str | int | float | bool | None]] = list(
            params.items() if isinstance(params, Mapping) else params
        )
        if alt:
            pairs = [("altId", self.location), ("altType", "location"), *pairs]
        return self.http.get(TRANSACTIONS, params=pairs, headers=self.headers(token))

    def transaction(
        self, transaction_id: str, params: Mapping[str, str] | None = None, token: str | None = None
    ) -> httpx.Response:
        return self.http.get(
            f"{TRANSACTIONS}/{transaction_id}", params=self._query(params), headers=self.headers(token)
        )

    def order(self, order_id: str) -> dict[str, Any]:
        """`GET /payments/orders/{id}` as HighLevel renders it."""
        response = self.http.get(
            f"{ORDERS}/{order_id}", params={"altId": self.location}, headers=self.headers()
        )
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    def order_transactions(self, order_id: str) -> list[dict[str, Any]]:
        """Every transaction of one order, newest first (all pages)."""
        found: list[dict[str, Any]] = []
        while True:
            response = self.transactions({"entityId": order_id, "limit": "100", "offset": str(len(found))})
            assert response.status_code == 200, response.text
            page = response.json()["data"]
            found += page
            if len(page) < 100:
                return found
