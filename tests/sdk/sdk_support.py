"""What the SDK client tests share: orders in the canonical form, the module's own location with its tokens,
the official Python SDK pointed at the test server, and the node scripts that drive the npm SDKs.

The node scripts (`tests/sdk/js/client.js` for `@gohighlevel/api-client`, `tests/sdk/ep/client.js` for
`@elasticpath/js-sdk`) read one JSON job with a list of calls on stdin and print one JSON line per call: what
the call returned, or `{"error": ...}`. They need `node` and `npm ci` in their folder (`make install` does
it); without them their tests are skipped, or fail under ORDERGATE_TEST_STRICT=1.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from highlevel import HighLevel

from tests.conftest import STRICT, Server

SDK_DIR = Path(__file__).resolve().parent

# The ids the fixtures' orders are made of, where two or more test modules use the same ones.
JANE = "JaneDoe0Contact00001"
TOM = "TomJerryContact00002"
ANA = "AnaLimaContact000001"
BOB = "BobSmithContact00002"
JANE_CONTACT = {"id": JANE, "first_name": "Jane", "last_name": "Doe", "email": "jane.doe@example.com"}
TOM_CONTACT = {"id": TOM, "first_name": "Tom", "last_name": "Jerry", "email": "tom@example.org"}
ANA_CONTACT = {"id": ANA, "first_name": "Ana", "last_name": "Lima", "email": "ana@example.com"}
BOB_CONTACT = {"id": BOB, "first_name": "Bob", "last_name": "Smith", "email": "bob@example.net"}
FUNNEL_ID = "61dd0c7dc077f712a5f787ff"
SITE_ID = "62aa1b2cc077f712a5f70001"
INVOICE_ID = "63bb2c3dd077f712a5f70002"
POS_ID = "64cc3d4ee077f712a5f70003"
STORE_ID = "62aa1b2cc077f712a5f70011"
MISSING_ID = "0123456789abcdef01234567"
UNKNOWN_TOKEN = "pit-00000000-0000-4000-8000-000000000000"

ALL_SCOPES = [
    "payments/orders.readonly",
    "payments/orders.write",
    "payments/orders.collectPayment",
    "payments/transactions.readonly",
]
NO_COLLECT_SCOPES = ["payments/orders.readonly", "payments/orders.write", "payments/transactions.readonly"]


def ms(iso: str) -> int:
    """An ISO 8601 instant as milliseconds since the epoch (the canonical form's `created_at`)."""
    return int(dt.datetime.fromisoformat(iso).timestamp() * 1000)


def price_id(product_id: str) -> str:
    """The id `item` gives the price of `product_id`."""
    return f"pr{product_id[2:]}"


def item(
    name: str, quantity: int, product_id: str, amount: int, *, recurring: bool = False
) -> dict[str, Any]:
    """An order line in the canonical form: `amount` in minor units, a one-time or a monthly price."""
    price: dict[str, Any] = {
        "id": price_id(product_id),
        "name": "Monthly" if recurring else "Standard",
        "type": "recurring" if recurring else "one_time",
        "amount": amount,
    }
    if recurring:
        price["recurring"] = {"interval": "month", "interval_count": 1}
    return {"name": name, "quantity": quantity, "product": {"id": product_id, "name": name}, "price": price}


def new_location(server: Server, name: str, *scopes: list[str]) -> list[str]:
    """A new location called `name` and a token for it per list of scopes: `[location, token, ...]`."""
    location = server.new_location(name)
    return [location, *(server.new_token(location, wanted) for wanted in scopes)]


def create_orders(server: Server, location: str, orders: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Creates `orders` in `location` through the admin API, in their order; their ids by key."""
    return {key: str(server.create_order(location, order)["id"]) for key, order in orders.items()}


@dataclass
class SdkWorld:
    """A test module's own location on the test server, a token for it, and someone else's location."""

    server: Server
    location: str
    foreign_location: str
    token: str

    def body(self, **fields: Any) -> dict[str, Any]:
        """A request body that names this module's location."""
        return {"altId": self.location, "altType": "location", **fields}


def label(transaction: dict[str, Any], ledger: dict[str, str]) -> str:
    """`cups:5`: the ledger order (its key) a transaction belongs to and its amount."""
    keys = {order_id: key for key, order_id in ledger.items()}
    return f"{keys[transaction['entityId']]}:{transaction['amount']:g}"


def ok(result: Any) -> Any:
    """`result`, which must not be an `{"error": ...}` answer."""
    assert not (isinstance(result, dict) and "error" in result), result
    return result


def error_of(result: Any) -> dict[str, Any]:
    """The error of an `{"error": ...}` answer."""
    assert isinstance(result, dict), result
    assert "error" in result, result
    found: dict[str, Any] = result["error"]
    return found


def order_ids(result: dict[str, Any]) -> list[str]:
    """The ids of a listed page of orders, in the order listed."""
    return [str(order["_id"]) for order in ok(result)["data"]]


def states(order: dict[str, Any]) -> tuple[str, str, str]:
    """An order's status, payment status and fulfillment status."""
    ok(order)
    return order["status"], order["paymentStatus"], order["fulfillmentStatus"]


# The official Python SDK (PyPI `gohighlevel-api-client`, module `highlevel`).


@dataclass
class Sdk:
    ghl: Any
    sent: list[httpx.Request]

    @property
    def payments(self) -> Any:
        return self.ghl.payments


@asynccontextmanager
async def connect(server: Server, token: str, *, api_version: str | None = None) -> AsyncIterator[Sdk]:
    """The SDK exactly as an integrator builds it, pointed at the test server; records what it sends."""
    ghl = HighLevel(private_integration_token=token, log_level="none")
    ghl.http_client.base_url = server.base_url
    if api_version is not None:
        ghl.API_VERSION = api_version
    sent: list[httpx.Request] = []

    async def record(request: httpx.Request) -> None:
        sent.append(request)

    hooks = ghl.http_client.event_hooks
    ghl.http_client.event_hooks = {"request": [record], "response": list(hooks["response"])}
    try:
        yield Sdk(ghl, sent)
    finally:
        await ghl.close()


@dataclass
class PythonSdkWorld(SdkWorld):
    def connect(
        self, token: str | None = None, *, api_version: str | None = None
    ) -> AbstractAsyncContextManager[Sdk]:
        """The Python SDK with `token` (the module's own by default)."""
        return connect(self.server, token or self.token, api_version=api_version)


# The npm SDKs, driven by a node script each.


@dataclass(frozen=True)
class NodeHarness:
    """`<directory>/client.js`, which drives the npm package `package`, pinned at `version`."""

    title: str
    directory: Path
    package: str
    version: str

    @property
    def package_json(self) -> Path:
        return self.directory / "node_modules" / self.package / "package.json"

    def node(self) -> str:
        """The node binary; skips (or fails under STRICT) when node or the installed SDK is missing."""
        node = shutil.which("node")
        problem = None
        if node is None:
            problem = "node is not installed (Node.js >= 18 is needed)"
        elif not self.package_json.exists():
            problem = (
                f"{self.directory / 'node_modules'} has no {self.package} "
                f"(run `make install`, or `npm ci` in tests/sdk/{self.directory.name})"
            )
        if problem is not None:
            if STRICT:
                pytest.fail(f"{self.title} tests cannot run under ORDERGATE_TEST_STRICT=1: {problem}")
            pytest.skip(f"{self.title} tests skipped: {problem}")
        assert node is not None
        return node

    def run(self, node: str, job: dict[str, Any]) -> list[Any]:
        """Runs `job` (its `calls` and what the script needs to reach the server); one result per call."""
        calls = job["calls"]
        done = subprocess.run(
            [node, str(self.directory / "client.js")],
            input=json.dumps(job),
            capture_output=True,
            text=True,
            timeout=60,
            cwd=self.directory,
            check=False,
        )
        assert done.returncode == 0, f"client.js failed ({done.returncode}):\n{done.stderr}"
        results = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
        assert len(results) == len(calls), (
            f"expected {len(calls)} results, got:\n{done.stdout}\n{done.stderr}"
        )
        return results


NPM = NodeHarness("npm SDK", SDK_DIR / "js", "@gohighlevel/api-client", "3.1.0")
EP = NodeHarness("Elastic Path SDK", SDK_DIR / "ep", "@elasticpath/js-sdk", "35.0.0")

# The npm SDK's pseudo-call: what it put on the wire so far.
SENT = {"method": "sentRequests"}


@dataclass
class NpmSdkWorld(SdkWorld):
    node: str

    def run(
        self, calls: list[dict[str, Any]], *, token: str | None = None, api_version: str | None = None
    ) -> list[Any]:
        """Runs `calls` through the npm SDK; one result per call (data, or {"error": {...}})."""
        job: dict[str, Any] = {"baseUrl": self.server.base_url, "token": token or self.token, "calls": calls}
        if api_version is not None:
            job["apiVersion"] = api_version
        return NPM.run(self.node, job)
