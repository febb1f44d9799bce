"""Module fixtures for the Elastic Path HTTP tests: an HTTP client and a seeded shop per server."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import Server
from tests.elasticpath.ep_support import Shop

SEEDED_ORDERS = 80


@pytest.fixture(scope="module")
def http(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def shop(server: Server, http: httpx.Client) -> Shop:
    """A location with `SEEDED_ORDERS` deterministic orders (every status, payment and shipping state)."""
    (location,) = server.seed(1, SEEDED_ORDERS, 4)
    return Shop.open(server, http, location)
