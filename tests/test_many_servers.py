"""Several `serve` processes on one database behave as one: all state lives in the database."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.conftest import start_server

HEADERS = {"Version": "2021-07-28"}
ORDER = {
    "items": [
        {
            "name": "Lamp",
            "quantity": 1,
            "product": {"id": "6578278e879ad2646715ba9c", "name": "Lamp"},
            "price": {
                "id": "6578278e879ad2646715ba9d",
                "name": "Standard",
                "type": "one_time",
                "amount": 4999,
            },
        }
    ]
}


def test_two_processes_share_locations_tokens_and_orders(database_url: str, tmp_path: Path) -> None:
    first = start_server(database_url, tmp_path / "first.log", workers=2)
    second = start_server(database_url, tmp_path / "second.log")
    try:
        location = first.new_location()
        token = first.new_token(location)
        auth = {**HEADERS, "Authorization": f"Bearer {token}"}
        created = second.create_order(location, ORDER)
        for server in (first, second):
            for _ in range(4):  # several requests, so both of the first server's workers answer
                response = httpx.get(
                    f"{server.base_url}/payments/orders/{created['id']}",
                    params={"altId": location},
                    headers=auth,
                )
                assert response.status_code == 200
                assert response.json()["amount"] == 49.99

        token_id = second.admin.get(f"/admin/locations/{location}/tokens").json()["data"][0]["id"]
        assert second.admin.delete(f"/admin/locations/{location}/tokens/{token_id}").status_code == 200
        refused = httpx.get(f"{first.base_url}/payments/orders", params={"altId": location}, headers=auth)
        assert refused.status_code == 401
        assert refused.json() == {"statusCode": 401, "message": "Invalid Private Integration token"}
    finally:
        first.stop()
        second.stop()
