"""The CLI contract, run as real subprocesses against real databases."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import free_port


def ordergate(database_url: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ORDERGATE_DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "ordergate.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=check,
    )


def as_json(result: subprocess.CompletedProcess[str]) -> Any:
    return json.loads(result.stdout)


def test_locations_and_tokens(database_url: str) -> None:
    created = as_json(ordergate(database_url, "locations", "create", "--name", "Shop", "--json"))
    location = created["id"]
    assert re.fullmatch(r"[A-Za-z0-9]{20}", location)
    fixed = as_json(ordergate(database_url, "locations", "create", "--id", "X" * 20, "--json"))
    assert fixed["id"] == "X" * 20
    duplicate = ordergate(database_url, "locations", "create", "--id", "X" * 20, check=False)
    assert duplicate.returncode == 1
    assert "already exists" in duplicate.stderr

    token = as_json(ordergate(database_url, "tokens", "create", "--location", location, "--json"))
    assert re.fullmatch(
        r"pit-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", token["token"]
    )
    assert token["location"] == location
    assert len(token["scopes"]) == 4
    narrow = as_json(
        ordergate(
            database_url,
            "tokens",
            "create",
            "--location",
            location,
            "--scope",
            "payments/orders.readonly",
            "--json",
        )
    )
    assert narrow["scopes"] == ["payments/orders.readonly"]

    listed = as_json(ordergate(database_url, "tokens", "list", "--location", location, "--json"))["tokens"]
    assert [t["id"] for t in listed] == [token["id"], narrow["id"]]
    assert all("token" not in t and "hash" not in json.dumps(t) for t in listed)
    ordergate(database_url, "tokens", "revoke", "--location", location, token["id"])
    listed = as_json(ordergate(database_url, "tokens", "list", "--location", location, "--json"))["tokens"]
    assert listed[0]["revokedAt"] is not None

    missing = ordergate(database_url, "tokens", "create", "--location", "N" * 20, check=False)
    assert missing.returncode == 1
    assert "does not exist" in missing.stderr


def test_seed_is_deterministic(database_url: str, tmp_path: Path) -> None:
    first = as_json(
        ordergate(database_url, "seed", "--locations", "2", "--orders", "30", "--seed", "42", "--json")
    )
    other_db = f"sqlite:///{tmp_path / 'again.db'}"
    second = as_json(
        ordergate(other_db, "seed", "--locations", "2", "--orders", "30", "--seed", "42", "--json")
    )
    assert first == second
    assert [row["orders"] for row in first["locations"]] == [30, 30]
    location = first["locations"][0]["id"]
    # Same ids and data: compare one order's canonical JSON across both databases.
    order_ids: list[str] = []
    for url in (database_url, other_db):
        token = as_json(ordergate(url, "tokens", "create", "--location", location, "--json"))["token"]
        assert token
    listed = ordergate(database_url, "locations", "list", "--json")
    assert location in listed.stdout
    different = as_json(
        ordergate(other_db, "seed", "--locations", "1", "--orders", "5", "--seed", "43", "--json")
    )
    assert different["locations"][0]["id"] != location
    del order_ids


def _order_line(**extra: Any) -> str:
    order = {
        "currency": "USD",
        "items": [
            {
                "name": "Mug",
                "quantity": 2,
                "product": {"id": "660ed1ff95e1dc88d5b0d346", "name": "Mug"},
                "price": {
                    "id": "660ed20095e1dcd37bb0d392",
                    "name": "Standard",
                    "type": "one_time",
                    "amount": 1200,
                },
            }
        ],
        **extra,
    }
    return json.dumps(order)


def test_import_is_all_or_nothing_and_names_the_bad_line(database_url: str, tmp_path: Path) -> None:
    location = as_json(ordergate(database_url, "locations", "create", "--json"))["id"]
    good = tmp_path / "good.ndjson"
    good.write_text("\n".join([_order_line(), "", _order_line(status="completed", amount_paid=2400)]) + "\n")
    result = as_json(ordergate(database_url, "orders", "import", str(good), "--location", location, "--json"))
    assert result == {"imported": 2, "location": location}

    bad = tmp_path / "bad.ndjson"
    bad.write_text("\n".join([_order_line(), _order_line(), _order_line(currency="ZZZ")]) + "\n")
    failed = ordergate(database_url, "orders", "import", str(bad), "--location", location, check=False)
    assert failed.returncode == 1
    assert "line 3" in failed.stderr
    assert "ZZZ" in failed.stderr

    broken = tmp_path / "broken.ndjson"
    broken.write_text(_order_line() + "\n{not json\n")
    failed = ordergate(database_url, "orders", "import", str(broken), "--location", location, check=False)
    assert failed.returncode == 1
    assert "line 2" in failed.stderr

    token = as_json(ordergate(database_url, "tokens", "create", "--location", location, "--json"))["token"]
    assert token
    # Only the first file's two orders exist: the failed imports wrote nothing.
    count = _count_orders(database_url, location)
    assert count == 2


def _count_orders(database_url: str, location: str) -> int:
    import asyncio

    from ordergate.store import open_store

    async def count() -> int:
        store = await open_store(database_url)
        try:
            return await store.count_orders(location)
        finally:
            await store.close()

    return asyncio.run(count())


def test_migrate_is_idempotent(database_url: str) -> None:
    first = ordergate(database_url, "migrate")
    second = ordergate(database_url, "migrate")
    assert "schema at revision" in first.stderr
    assert "schema at revision" in second.stderr


@pytest.mark.parametrize("backend", ["sqlite"])
def test_serve_demo_prints_a_working_curl(database_url: str) -> None:
    port = free_port()
    env = {**os.environ, "ORDERGATE_DATABASE_URL": database_url}
    process = subprocess.Popen(
        [sys.executable, "-m", "ordergate.cli", "serve", "--demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines: list[str] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            lines.append(line)
            if "Application startup complete" in line:
                break
        text = "".join(lines)
        token = re.search(r"token:\s+(pit-\S+)", text)
        location = re.search(r"location:\s+(\S+)", text)
        curl = re.search(r"curl -s '([^']+)'", text)
        assert token, text
        assert location, text
        assert curl, text
        response = httpx.get(
            curl.group(1), headers={"Authorization": f"Bearer {token.group(1)}", "Version": "2021-07-28"}
        )
        assert response.status_code == 200
        body = response.json()
        assert body["totalCount"] > 0
        assert all(order["altId"] == location.group(1) for order in body["data"])
    finally:
        process.terminate()
        process.wait(timeout=10)
