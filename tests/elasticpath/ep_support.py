"""Helpers for the Elastic Path HTTP tests: a seeded location, its API client and a token."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.conftest import Server

TOKEN_PATH = "/oauth/access_token"
ORDERS = "/v2/orders"


def client_credentials(server: Server, location: str) -> tuple[str, str]:
    response = server.admin.post(f"/admin/locations/{location}/clients")
    assert response.status_code == 201, response.text
    body = response.json()
    return str(body["client_id"]), str(body["client_secret"])


def access_token(http: httpx.Client, client_id: str, secret: str | None = None) -> str:
    form = {"grant_type": "client_credentials" if secret else "implicit", "client_id": client_id}
    if secret:
        form["client_secret"] = secret
    response = http.post(TOKEN_PATH, data=form)
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


@dataclass
class Shop:
    """A location as an Elastic Path client sees it."""

    server: Server
    http: httpx.Client
    location: str
    client_id: str
    secret: str
    token: str
    _all: list[dict[str, Any]] | None = field(default=None, repr=False)

    @classmethod
    def open(cls, server: Server, http: httpx.Client, location: str) -> Shop:
        client_id, secret = client_credentials(server, location)
        return cls(server, http, location, client_id, secret, access_token(http, client_id, secret))

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def get(
        self, path: str, params: dict[str, str] | None = None, *, raw: str | None = None
    ) -> httpx.Response:
        url = f"{path}?{raw}" if raw is not None else path
        return self.http.get(url, params=params, headers=self.headers)

    def ok(self, path: str, params: dict[str, str] | None = None, *, raw: str | None = None) -> Any:
        response = self.get(path, params, raw=raw)
        assert response.status_code == 200, response.text
        return response.json()

    def put(self, order_id: str, data: dict[str, Any]) -> httpx.Response:
        return self.http.put(f"{ORDERS}/{order_id}", json={"data": data}, headers=self.headers)

    def anonymize(self, order_ids: list[str]) -> httpx.Response:
        return self.http.post(
            f"{ORDERS}/anonymize", json={"data": {"order_ids": order_ids}}, headers=self.headers
        )

    def all_orders(self, *, refresh: bool = False) -> list[dict[str, Any]]:
        """Every order of the location (newest update first), each with its `items`."""
        if self._all is None or refresh:
            found: list[dict[str, Any]] = []
            offset = 0
            while True:
                page = self.ok(
                    ORDERS, {"page[limit]": "100", "page[offset]": str(offset), "include": "items"}
                )
                by_id: dict[str, list[dict[str, Any]]] = {}
                for item in page.get("included", {}).get("items", []):
                    by_id.setdefault(item["id"], []).append(item)
                for order in page["data"]:
                    item_ids = [ref["id"] for ref in order["relationships"]["items"]["data"]]
                    order["items"] = [by_id[i][0] for i in item_ids]
                    found.append(order)
                offset += 100
                if offset >= page["meta"]["results"]["total"]:
                    break
            self._all = found
        return self._all


def error(response: httpx.Response, status: int) -> dict[str, Any]:
    """The single error item of an Elastic Path error body, checking the envelope on the way."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"errors"}
    assert isinstance(body["errors"], list)
    assert len(body["errors"]) == 1
    item: dict[str, Any] = body["errors"][0]
    assert item["status"] == status
    assert isinstance(item["title"], str)
    return item
