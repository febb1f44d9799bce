"""Shared fixtures: fresh databases on both backends, and real `ordergate serve` processes.

PostgreSQL tests read `ORDERGATE_TEST_POSTGRES_URL` (a server URL whose database may be `postgres`);
each test database is created with a unique name from a migrated template and dropped afterwards.
Without the variable those tests are skipped with a message; with `ORDERGATE_TEST_STRICT=1` (CI) a
missing or unreachable server is a failure instead, so the PostgreSQL half can never be skipped silently.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from ordergate.store import Store, open_store, parse_database_url
from ordergate.store.migrate import migrate

BACKENDS = ["sqlite", "postgresql"]
PG_ENV = "ORDERGATE_TEST_POSTGRES_URL"
STRICT = os.environ.get("ORDERGATE_TEST_STRICT") == "1"
ADMIN_TOKEN = "test-admin-token-0123456789"
REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


def _pg_server_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        message = f"{PG_ENV} is not set: PostgreSQL tests skipped (set it, e.g. postgresql://postgres@127.0.0.1/postgres)"
        if STRICT:
            pytest.fail(message)
        pytest.skip(message)
    return url


def _with_database(server_url: str, name: str) -> str:
    base, _, _ = server_url.rpartition("/")
    return f"{base}/{name}"


class PostgresDatabases:
    """Creates throwaway databases from one migrated template per test session."""

    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        self.template = f"og_tpl_{uuid.uuid4().hex[:10]}"
        self.created: list[str] = []

    async def _admin(self) -> asyncpg.Connection:
        try:
            return await asyncpg.connect(self.server_url, timeout=5)
        except (OSError, asyncpg.PostgresError) as exc:
            message = f"PostgreSQL at {self.server_url} is unreachable: {exc}"
            if STRICT:
                pytest.fail(message)
            pytest.skip(message)

    async def prepare_template(self) -> None:
        conn = await self._admin()
        try:
            await conn.execute(f'CREATE DATABASE "{self.template}"')
        finally:
            await conn.close()
        await migrate(parse_database_url(_with_database(self.server_url, self.template)))

    async def new(self) -> str:
        name = f"og_test_{uuid.uuid4().hex[:12]}"
        conn = await self._admin()
        try:
            await conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        finally:
            await conn.close()
        self.created.append(name)
        return _with_database(self.server_url, name)

    async def drop_all(self) -> None:
        conn = await self._admin()
        try:
            for name in [*self.created, self.template]:
                await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()


_pg: dict[str, PostgresDatabases] = {}


async def _postgres() -> PostgresDatabases:
    if "databases" not in _pg:
        databases = PostgresDatabases(_pg_server_url())
        await databases.prepare_template()
        _pg["databases"] = databases
    return _pg["databases"]


@pytest.fixture(scope="session", autouse=True)
def _drop_postgres_databases() -> Iterator[None]:
    yield
    if "databases" in _pg:
        asyncio.run(_pg["databases"].drop_all())


async def fresh_database(backend: str, tmp_path: Path) -> str:
    """A new, migrated, empty database of `backend`; returns its URL."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / f'og-{uuid.uuid4().hex[:8]}.db'}"
        await migrate(parse_database_url(url))
        return url
    return await (await _postgres()).new()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def database_url(backend: str, tmp_path: Path) -> str:
    return await fresh_database(backend, tmp_path)


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[Store]:
    opened = await open_store(database_url)
    try:
        yield opened
    finally:
        await opened.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A running `ordergate serve` process and helpers to drive its admin API."""

    base_url: str
    database_url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    admin: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self.admin = httpx.Client(
            base_url=self.base_url, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}, timeout=30
        )

    def new_location(self, name: str = "Test location") -> str:
        response = self.admin.post("/admin/locations", json={"name": name})
        response.raise_for_status()
        return str(response.json()["id"])

    def new_token(self, location_id: str, scopes: list[str] | None = None) -> str:
        response = self.admin.post(f"/admin/locations/{location_id}/tokens", json={"scopes": scopes or []})
        response.raise_for_status()
        return str(response.json()["token"])

    def create_order(self, location_id: str, order: dict[str, Any]) -> dict[str, Any]:
        response = self.admin.post(f"/admin/locations/{location_id}/orders", json=order)
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def seed(self, locations: int, orders: int, seed: int) -> list[str]:
        response = self.admin.post(
            "/admin/seed", json={"locations": locations, "orders": orders, "seed": seed}
        )
        response.raise_for_status()
        return [str(row["id"]) for row in response.json()["locations"]]

    def stop(self) -> None:
        self.admin.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_server(
    database_url: str, log_path: Path, *, workers: int = 1, extra_env: dict[str, str] | None = None
) -> Server:
    port = free_port()
    env = {
        **os.environ,
        "ORDERGATE_DATABASE_URL": database_url,
        "ORDERGATE_ADMIN_TOKEN": ADMIN_TOKEN,
        "ORDERGATE_TOKEN_CACHE_SECONDS": "0",
        **(extra_env or {}),
    }
    log = log_path.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "ordergate.cli", "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"ordergate exited early:\n{log_path.read_text()}")
        try:
            if httpx.get(f"{base_url}/readyz", timeout=1).status_code == 200:
                return Server(base_url, database_url, process, log_path)
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"ordergate did not become ready:\n{log_path.read_text()}")


@pytest.fixture(scope="module", params=BACKENDS)
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server per backend per test module, on its own fresh database."""
    tmp = tmp_path_factory.mktemp(f"server-{request.param}")
    url = asyncio.run(fresh_database(str(request.param), tmp))
    running = start_server(url, tmp / "server.log")
    try:
        yield running
    finally:
        running.stop()
