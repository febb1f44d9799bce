"""`POST /oauth/access_token` and the bearer check: 401 only for missing, unknown or expired tokens."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time

import httpx
import pytest

from ordergate.domain.access import token_digest
from ordergate.domain.oauth import AccessToken, GrantType
from ordergate.store import open_store
from tests.conftest import Server
from tests.elasticpath.ep_support import ORDERS, TOKEN_PATH, Shop, access_token, client_credentials, error

TOKEN_KEYS = {"access_token", "expires", "expires_in", "identifier", "token_type"}


def test_client_credentials_token_is_top_level(shop: Shop, http: httpx.Client) -> None:
    before = int(time.time())
    response = http.post(
        TOKEN_PATH,
        data={"grant_type": "client_credentials", "client_id": shop.client_id, "client_secret": shop.secret},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == TOKEN_KEYS
    assert body["identifier"] == "client_credentials"
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert before + 3600 <= body["expires"] <= int(time.time()) + 3601
    assert len(body["access_token"]) == 40
    assert http.get(ORDERS, headers={"Authorization": f"Bearer {body['access_token']}"}).status_code == 200


def test_form_body_whatever_the_content_type_says(shop: Shop, http: httpx.Client) -> None:
    form = f"grant_type=client_credentials&client_id={shop.client_id}&client_secret={shop.secret}"
    response = http.post(TOKEN_PATH, content=form, headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    response = http.post(TOKEN_PATH, content=form)  # no Content-Type at all
    assert response.status_code == 200, response.text


def test_a_json_body_works_too(shop: Shop, http: httpx.Client) -> None:
    body = {"grant_type": "client_credentials", "client_id": shop.client_id, "client_secret": shop.secret}
    response = http.post(TOKEN_PATH, content=json.dumps(body), headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.text


def test_implicit_token_exists_but_cannot_read_orders(shop: Shop, http: httpx.Client) -> None:
    response = http.post(TOKEN_PATH, data={"grant_type": "implicit", "client_id": shop.client_id})
    assert response.status_code == 200, response.text
    assert response.json()["identifier"] == "implicit"
    headers = {"Authorization": f"Bearer {response.json()['access_token']}"}
    order_id = shop.all_orders()[0]["id"]
    for path in (
        ORDERS,
        f"{ORDERS}/{order_id}",
        f"{ORDERS}/{order_id}/items",
        f"{ORDERS}/{order_id}/transactions",
    ):
        item = error(http.get(path, headers=headers), 403)
        assert item["title"] == "Forbidden"
    error(http.put(f"{ORDERS}/{order_id}", json={"data": {"type": "order"}}, headers=headers), 403)


@pytest.mark.parametrize(
    ("form", "status"),
    [
        ({"grant_type": "client_credentials", "client_secret": "x"}, 401),
        ({"grant_type": "client_credentials", "client_id": "nobody", "client_secret": "x"}, 401),
        ({"grant_type": "client_credentials", "client_id": "{id}"}, 401),
        ({"grant_type": "client_credentials", "client_id": "{id}", "client_secret": "wrong"}, 401),
        ({"grant_type": "implicit", "client_id": "nobody"}, 401),
        ({"client_id": "{id}", "client_secret": "{secret}"}, 400),
        ({"grant_type": "password", "client_id": "{id}"}, 400),
        ({"grant_type": "refresh_token", "client_id": "{id}"}, 400),
    ],
)
def test_token_refusals(shop: Shop, http: httpx.Client, form: dict[str, str], status: int) -> None:
    filled = {k: v.format(id=shop.client_id, secret=shop.secret) for k, v in form.items()}
    error(http.post(TOKEN_PATH, data=filled), status)


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Basic abc", "Bearer 0000000000000000000000000000000000000000", "pit-x"],
)
def test_missing_or_unknown_tokens_are_401(shop: Shop, http: httpx.Client, authorization: str | None) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    item = error(http.get(ORDERS, headers=headers), 401)
    assert item["title"] == "Unable to validate access token"


def test_bearer_is_case_insensitive(shop: Shop, http: httpx.Client) -> None:
    assert http.get(ORDERS, headers={"Authorization": f"bearer  {shop.token}"}).status_code == 200


def test_a_highlevel_token_is_not_an_elastic_path_token(
    server: Server, shop: Shop, http: httpx.Client
) -> None:
    pit = server.new_token(shop.location)
    error(http.get(ORDERS, headers={"Authorization": f"Bearer {pit}"}), 401)


def test_an_expired_token_is_401(server: Server, shop: Shop, http: httpx.Client) -> None:
    secret = "e" * 40
    now = int(time.time() * 1000)

    async def plant() -> None:
        store = await open_store(server.database_url)
        try:
            await store.save_access_token(
                AccessToken(
                    token_hash=token_digest(secret),
                    location_id=shop.location,
                    client_id=shop.client_id,
                    grant_type=GrantType.CLIENT_CREDENTIALS,
                    created_at=now - 3_700_000,
                    expires_at=now - 100_000,
                )
            )
        finally:
            await store.close()

    asyncio.run(plant())
    item = error(http.get(ORDERS, headers={"Authorization": f"Bearer {secret}"}), 401)
    assert item["detail"] == "The access token has expired"


def test_a_token_sees_only_its_own_location(server: Server, shop: Shop, http: httpx.Client) -> None:
    other = server.new_location("Elsewhere")
    other_id, other_secret = client_credentials(server, other)
    headers = {"Authorization": f"Bearer {access_token(http, other_id, other_secret)}"}
    page = http.get(ORDERS, headers=headers).json()
    assert page["data"] == []
    assert page["meta"]["results"]["total"] == 0
    order_id = shop.all_orders()[0]["id"]
    error(http.get(f"{ORDERS}/{order_id}", headers=headers), 404)


def test_clients_for_unknown_locations_are_refused(server: Server) -> None:
    assert server.admin.post("/admin/locations/NoSuchLocation000000/clients").status_code == 404


def test_cli_creates_working_credentials(server: Server, shop: Shop, http: httpx.Client) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ordergate.cli", "clients", "create", "--location", shop.location, "--json"],
        env={**os.environ, "ORDERGATE_DATABASE_URL": server.database_url},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    made = json.loads(done.stdout)
    assert set(made) == {"client_id", "client_secret", "location"}
    assert made["location"] == shop.location
    token = access_token(http, made["client_id"], made["client_secret"])
    assert http.get(ORDERS, headers={"Authorization": f"Bearer {token}"}).status_code == 200
