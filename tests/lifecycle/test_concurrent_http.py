"""Concurrency across processes: two `ordergate serve` processes (one of them with two workers) on one
database, fifty requests at once on one order, split between them. Whatever interleaving the database
allows, an order never collects more than its total nor ships more than it holds, a retried request is
recorded once, and every refusal is HighLevel's 400, never a 500."""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.conftest import BACKENDS, Server, fresh_database, start_server
from tests.highlevel.hl_support import VERSION
from tests.lifecycle.lc_support import ALL_SCOPES, item, minor, order_body

CONCURRENT = 50
PAYMENT_REFUSED = re.compile(
    r"^(Order is already paid|Amount \$\d+\.\d\d exceeds the balance due of \$\d+\.\d\d)$"
)
NOTHING_LEFT = re.compile(r"^Cannot fulfil 1 of price p[ab]: 0 left to fulfil$")


@dataclass
class Cluster:
    servers: list[Server]
    location: str
    token: str

    def headers(self, **more: str) -> dict[str, str]:
        return {"Version": VERSION, "Authorization": f"Bearer {self.token}", **more}

    def new_order(self, *items: dict[str, Any]) -> str:
        return str(self.servers[1].create_order(self.location, order_body(*items))["id"])

    def canonical(self, order_id: str) -> dict[str, Any]:
        response = self.servers[0].admin.get(f"/admin/locations/{self.location}/orders/{order_id}")
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    def get(self, path: str, **params: str) -> dict[str, Any]:
        response = httpx.get(
            f"{self.servers[1].base_url}{path}",
            params={"altId": self.location, "altType": "location", **params},
            headers=self.headers(),
        )
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    async def fire(
        self, path: str, bodies: list[dict[str, Any]], headers: dict[str, str]
    ) -> list[httpx.Response]:
        """POST every body at once, alternating between the servers."""
        clients = [httpx.AsyncClient(base_url=s.base_url, timeout=60) for s in self.servers]
        try:
            return list(
                await asyncio.gather(
                    *(
                        clients[n % len(clients)].post(path, json=body, headers=headers)
                        for n, body in enumerate(bodies)
                    )
                )
            )
        finally:
            for client in clients:
                await client.aclose()

    def assert_no_server_error(self) -> None:
        for server in self.servers:
            log = server.log_path.read_text(errors="replace")
            assert "unhandled error" not in log, log[-4000:]
            assert server.process.poll() is None


@pytest.fixture(scope="module", params=BACKENDS)
def cluster(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    tmp = tmp_path_factory.mktemp(f"cluster-{request.param}")
    url = asyncio.run(fresh_database(str(request.param), tmp))
    first = start_server(url, tmp / "first.log", workers=2)
    try:
        second = start_server(url, tmp / "second.log")
    except BaseException:
        first.stop()
        raise
    try:
        location = first.new_location("Concurrency")
        yield Cluster([first, second], location, second.new_token(location, ALL_SCOPES))
    finally:
        first.stop()
        second.stop()


def payment(cluster: Cluster, **fields: Any) -> dict[str, Any]:
    return {"altId": cluster.location, "altType": "location", "mode": "cash", **fields}


async def test_fifty_partial_payments_over_two_processes_never_exceed_the_total(cluster: Cluster) -> None:
    order_id = cluster.new_order(item("pr0", 10_000))
    amounts = [f"{3 + n / 100:.2f}" for n in range(CONCURRENT)]  # 3.00 .. 3.49: far more than 100.00 in all
    bodies = [
        payment(cluster, amount=float(a), isPartialPayment=True, notes=f"payment {n}")
        for n, a in enumerate(amounts)
    ]
    responses = await cluster.fire(f"/payments/orders/{order_id}/record-payment", bodies, cluster.headers())

    statuses = Counter(r.status_code for r in responses)
    assert set(statuses) <= {200, 400}, statuses
    accepted = [minor(amounts[n]) for n, r in enumerate(responses) if r.status_code == 200]
    for response in responses:
        body = response.json()
        if response.status_code == 200:
            assert body == {"success": True}
        else:
            assert set(body) == {"statusCode", "message"}, body
            assert body["statusCode"] == 400
            assert PAYMENT_REFUSED.match(body["message"]), body

    canonical = cluster.canonical(order_id)
    transactions = cluster.get("/payments/transactions", entityId=order_id, limit="100")
    assert transactions["totalCount"] == len(accepted)
    assert sorted(minor(t["amount"]) for t in transactions["data"]) == sorted(accepted)
    total = 10_000
    assert sum(accepted) == canonical["amount_paid"] <= total
    assert 10 <= len(accepted) <= 33
    balance = total - canonical["amount_paid"]
    refused = [minor(amounts[n]) for n, r in enumerate(responses) if r.status_code == 400]
    assert balance == 0 or all(amount > balance for amount in refused)  # nothing refused that would fit

    order = cluster.get(f"/payments/orders/{order_id}")
    expected = ("paid", "completed") if balance == 0 else ("partially_paid", "pending")
    assert (order["paymentStatus"], order["status"]) == expected
    notes = cluster.get(f"/payments/orders/{order_id}/notes")["data"]
    assert sum(1 for n in notes if n["type"] == "payment_recorded") == len(accepted)
    cluster.assert_no_server_error()


async def test_fifty_retries_with_one_idempotency_key_record_once(cluster: Cluster) -> None:
    order_id = cluster.new_order(item("pr0", 10_000))
    body = payment(cluster, amount=12.5, isPartialPayment=True, notes="retried")
    headers = cluster.headers(**{"Idempotency-Key": f"retry-{order_id}"})
    responses = await cluster.fire(
        f"/payments/orders/{order_id}/record-payment", [body] * CONCURRENT, headers
    )
    assert [(r.status_code, r.json()) for r in responses] == [(200, {"success": True})] * CONCURRENT
    transactions = cluster.get("/payments/transactions", entityId=order_id)
    assert [(t["amount"], t["status"]) for t in transactions["data"]] == [(12.5, "succeeded")]
    assert cluster.canonical(order_id)["amount_paid"] == 1_250
    cluster.assert_no_server_error()


async def test_fifty_identical_bodies_without_a_key_record_once(cluster: Cluster) -> None:
    order_id = cluster.new_order(item("pr0", 10_000))
    body = payment(cluster, amount=7, isPartialPayment=True, notes="double click")
    responses = await cluster.fire(
        f"/payments/orders/{order_id}/record-payment", [body] * CONCURRENT, cluster.headers()
    )
    assert {r.status_code for r in responses} == {200}
    assert cluster.get("/payments/transactions", entityId=order_id)["totalCount"] == 1
    assert cluster.canonical(order_id)["amount_paid"] == 700
    cluster.assert_no_server_error()


async def test_fifty_fulfillments_over_two_processes_never_over_ship(cluster: Cluster) -> None:
    order_id = cluster.new_order(item("pa", 1_000, quantity=10), item("pb", 500, quantity=5))
    bodies = [
        {
            "altId": cluster.location,
            "altType": "location",
            "trackings": [{"trackingNumber": f"TRK{n:03d}"}],
            "items": [{"priceId": "pa" if n % 2 else "pb", "qty": 1}],
            "notifyCustomer": False,
        }
        for n in range(CONCURRENT)
    ]
    responses = await cluster.fire(f"/payments/orders/{order_id}/fulfillments", bodies, cluster.headers())
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {200: 15, 400: CONCURRENT - 15}, statuses
    for response in responses:
        if response.status_code == 400:
            assert set(response.json()) == {"statusCode", "message"}
            assert NOTHING_LEFT.match(response.json()["message"]), response.json()
        else:
            assert response.json()["status"] is True
    fulfillments = cluster.get(f"/payments/orders/{order_id}/fulfillments")["data"]
    assert len(fulfillments) == 15
    shipped: Counter[str] = Counter()
    for fulfillment in fulfillments:
        for line in fulfillment["items"]:
            shipped[line["price"]["_id"]] += line["qty"]
    assert shipped == {"pa": 10, "pb": 5}
    assert [i["fulfilled_quantity"] for i in cluster.canonical(order_id)["items"]] == [10, 5]
    assert cluster.get(f"/payments/orders/{order_id}")["fulfillmentStatus"] == "fulfilled"
    cluster.assert_no_server_error()
