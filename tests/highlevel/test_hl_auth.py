"""Who may read what: the Version header, Private Integration Tokens, scopes, and locations (research 3.1,
3.2, 3.5). Every failure is a 401 with the platform's exact body; a token never sees another location."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import Server
from tests.highlevel.hl_support import (
    BAD_VERSION,
    FOREIGN_LOCATION,
    INVALID_PIT,
    INVALID_TOKEN,
    MISSING_SCOPE,
    NO_VERSION,
    ORDERS_PATH,
    READ_SCOPE,
    VERSION,
    Made,
    Tenant,
    assert_not_found,
    ms,
    object_id,
    page_of,
)

T0 = ms("2024-04-01T09:30:00.000Z")


@pytest.fixture(scope="module")
def http(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        yield client


@pytest.fixture
def tenant(server: Server, http: httpx.Client) -> Tenant:
    return Tenant.create(server, http)


@pytest.fixture
def order(tenant: Tenant) -> Made:
    return tenant.create_order(Made(id=object_id(T0, 1), created_at=T0))


def _both_routes(tenant: Tenant, order: Made, headers: dict[str, str]) -> list[httpx.Response]:
    query = f"?altId={tenant.location}"
    return [
        tenant.http.get(f"{ORDERS_PATH}{query}", headers=headers),
        tenant.http.get(f"{ORDERS_PATH}/{order.id}{query}", headers=headers),
    ]


def _assert_401(responses: list[httpx.Response], body: dict[str, object]) -> None:
    for response in responses:
        assert response.status_code == 401, (response.request.url, response.text)
        assert response.json() == body


# --- Version header --------------------------------------------------------------------------------------


def test_missing_version_header(tenant: Tenant, order: Made) -> None:
    headers = {"Authorization": f"Bearer {tenant.token}"}
    _assert_401(_both_routes(tenant, order, headers), NO_VERSION)


@pytest.mark.parametrize("version", ["2020-01-01", "", "2021-07-29", "V3", "v2", "latest", "v3.0"])
def test_unknown_version_header(tenant: Tenant, order: Made, version: str) -> None:
    headers = {"Version": version, "Authorization": f"Bearer {tenant.token}"}
    _assert_401(_both_routes(tenant, order, headers), BAD_VERSION)


@pytest.mark.parametrize("version", ["2021-07-28", "2021-04-15", "2023-02-21", "v3"])
@pytest.mark.parametrize("header_name", ["Version", "version", "VERSION", "vErSiOn"])
def test_published_versions_are_accepted(tenant: Tenant, order: Made, version: str, header_name: str) -> None:
    headers = {header_name: version, "Authorization": f"Bearer {tenant.token}"}
    listed, detail = _both_routes(tenant, order, headers)
    assert page_of(listed) == ([order.id], 1)
    assert detail.status_code == 200
    assert detail.json()["_id"] == order.id


def test_version_is_checked_before_the_token_and_the_parameters(tenant: Tenant) -> None:
    no_version = tenant.http.get(f"{ORDERS_PATH}?limit=0", headers={"Authorization": "Bearer nope"})
    assert (no_version.status_code, no_version.json()) == (401, NO_VERSION)
    bad = tenant.http.get(f"{ORDERS_PATH}/x?limit=0", headers={"Version": "1999-01-01"})
    assert (bad.status_code, bad.json()) == (401, BAD_VERSION)


# --- the token ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Basic dXNlcjpwYXNz",
        "Token pit-0ff1a0d1-f6a0-477f-912e-c3a1a6f56ca3",
        "Bearer eyJhbGciOiJIUzI1NiJ9.eyJhdXRoQ2xhc3MiOiJMb2NhdGlvbiJ9.c2lnbmF0dXJl",
        "Bearer 0ff1a0d1-f6a0-477f-912e-c3a1a6f56ca3",
        "Bearer PIT-0ff1a0d1-f6a0-477f-912e-c3a1a6f56ca3",
        "pit-0ff1a0d1-f6a0-477f-912e-c3a1a6f56ca3",
    ],
)
def test_missing_or_non_pit_token(tenant: Tenant, order: Made, authorization: str | None) -> None:
    headers = {"Version": VERSION}
    if authorization is not None:
        headers["Authorization"] = authorization
    _assert_401(_both_routes(tenant, order, headers), INVALID_TOKEN)


def test_bearer_scheme_is_case_insensitive(tenant: Tenant, order: Made) -> None:
    for scheme in ("bearer", "BEARER"):
        listed, detail = _both_routes(
            tenant, order, {"Version": VERSION, "Authorization": f"{scheme} {tenant.token}"}
        )
        assert page_of(listed) == ([order.id], 1)
        assert detail.status_code == 200


@pytest.mark.parametrize("secret", [f"pit-{uuid.uuid4()}", "pit-", "pit-not-a-uuid"])
def test_unknown_pit(tenant: Tenant, order: Made, secret: str) -> None:
    headers = {"Version": VERSION, "Authorization": f"Bearer {secret}"}
    _assert_401(_both_routes(tenant, order, headers), INVALID_PIT)


def test_revoked_pit_stops_working_at_once(server: Server, tenant: Tenant, order: Made) -> None:
    created = server.admin.post(f"/admin/locations/{tenant.location}/tokens", json={"scopes": [READ_SCOPE]})
    assert created.status_code == 201, created.text
    secret, token_id = created.json()["token"], created.json()["id"]
    headers = {"Version": VERSION, "Authorization": f"Bearer {secret}"}
    assert [r.status_code for r in _both_routes(tenant, order, headers)] == [200, 200]

    revoked = server.admin.delete(f"/admin/locations/{tenant.location}/tokens/{token_id}")
    assert revoked.status_code == 200, revoked.text
    _assert_401(_both_routes(tenant, order, headers), INVALID_PIT)
    # the location's other token is untouched
    assert page_of(tenant.list_orders()) == ([order.id], 1)
    # revoking twice is a 404 on the admin API, and changes nothing
    assert server.admin.delete(f"/admin/locations/{tenant.location}/tokens/{token_id}").status_code == 404
    _assert_401(_both_routes(tenant, order, headers), INVALID_PIT)


@pytest.mark.parametrize(
    "scopes",
    [
        ["payments/orders.write"],
        ["payments/orders.collectPayment", "payments/transactions.readonly"],
    ],
)
def test_token_without_the_read_scope(server: Server, tenant: Tenant, order: Made, scopes: list[str]) -> None:
    secret = server.new_token(tenant.location, scopes)
    headers = {"Version": VERSION, "Authorization": f"Bearer {secret}"}
    _assert_401(_both_routes(tenant, order, headers), MISSING_SCOPE)


def test_token_with_every_scope_reads(server: Server, tenant: Tenant, order: Made) -> None:
    secret = server.new_token(tenant.location, [])  # no scopes asked: all of them
    headers = {"Version": VERSION, "Authorization": f"Bearer {secret}"}
    assert [r.status_code for r in _both_routes(tenant, order, headers)] == [200, 200]


def test_auth_is_checked_before_the_parameters(server: Server, tenant: Tenant) -> None:
    bad_query = f"{ORDERS_PATH}?limit=0&status=nope"
    for headers, body in [
        ({"Version": VERSION}, INVALID_TOKEN),
        ({"Version": VERSION, "Authorization": f"Bearer pit-{uuid.uuid4()}"}, INVALID_PIT),
        (
            {
                "Version": VERSION,
                "Authorization": f"Bearer {server.new_token(tenant.location, ['payments/orders.write'])}",
            },
            MISSING_SCOPE,
        ),
    ]:
        for path in (bad_query, f"{ORDERS_PATH}/not-an-id?altType=x"):
            response = tenant.http.get(path, headers=headers)
            assert (response.status_code, response.json()) == (401, body)


# --- locations -------------------------------------------------------------------------------------------


@pytest.fixture
def neighbour(server: Server, http: httpx.Client) -> tuple[Tenant, Made]:
    other = Tenant.create(server, http)
    made = other.create_order(Made(id=object_id(T0 + 5, 2), created_at=T0 + 5, name="Neighbour's order"))
    return other, made


def test_alt_id_or_location_id_of_another_location(
    tenant: Tenant, order: Made, neighbour: tuple[Tenant, Made]
) -> None:
    other, theirs = neighbour
    unknown = "ZZZZZZZZZZZZZZZZZZZZ"
    for raw in (
        f"altId={other.location}",
        f"altId={tenant.location}&locationId={other.location}",
        f"altId={other.location}&locationId={tenant.location}",
        f"altId={unknown}",
        f"altId={tenant.location}&locationId={unknown}",
        f"altId={tenant.location}&altId={other.location}",
    ):
        for response in (
            tenant.list_orders(raw=raw, alt=False),
            tenant.get(order.id, raw=raw, alt=False),
            tenant.get(theirs.id, raw=raw, alt=False),
        ):
            assert (response.status_code, response.json()) == (401, FOREIGN_LOCATION), raw


def test_location_is_checked_before_the_parameters(tenant: Tenant, neighbour: tuple[Tenant, Made]) -> None:
    other, _ = neighbour
    response = tenant.list_orders(raw=f"altId={other.location}&limit=0&status=nope", alt=False)
    assert (response.status_code, response.json()) == (401, FOREIGN_LOCATION)


def test_a_token_never_sees_another_locations_orders(
    tenant: Tenant, order: Made, neighbour: tuple[Tenant, Made]
) -> None:
    other, theirs = neighbour
    assert page_of(tenant.list_orders()) == ([order.id], 1)
    assert page_of(other.list_orders()) == ([theirs.id], 1)
    for query in (
        {"search": "neighbour"},
        {"sourceId": theirs.source_id},
        {"funnelProductIds": ",".join(theirs.products)},
        {"limit": "100"},
    ):
        ids, total = page_of(tenant.list_orders(query))
        assert theirs.id not in ids
        assert total == (1 if order.matches(query) else 0)

    assert_not_found(tenant.get(theirs.id))
    assert other.get(theirs.id).status_code == 200


def test_unknown_order_is_not_found_with_a_fresh_trace_id(tenant: Tenant, order: Made) -> None:
    missing = object_id(T0, 0xDEAD)
    first, second = tenant.get(missing), tenant.get(missing)
    assert_not_found(first)
    assert_not_found(second)
    assert first.json()["traceId"] != second.json()["traceId"]


def test_locations_with_no_token_exist_but_are_not_readable(server: Server, tenant: Tenant) -> None:
    """A location without tokens is still somebody else's: 401, never an empty list."""
    lonely = server.new_location()
    response = tenant.list_orders(raw=f"altId={lonely}", alt=False)
    assert (response.status_code, response.json()) == (401, FOREIGN_LOCATION)
