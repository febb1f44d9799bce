"""`/admin/...`: locations, tokens, orders, import and seed over HTTP, for the admin key only.

Errors use one simple body, `{"error": {"type", "message", "problems"}}`; this API is ordergate's own,
not a platform's.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import msgspec

from ordergate.auth import TokenAuthority
from ordergate.domain.access import TokenRecord
from ordergate.domain.building import NewOrder
from ordergate.domain.clock import iso_ms
from ordergate.domain.errors import Conflict, DomainError, Invalid, NotAllowed, NotFound
from ordergate.lifecycle import OrderLifecycle
from ordergate.management import ImportFormat, Management
from ordergate.web import BodyTooLarge, Request, Response, Router, json_response

AdminHandler = Callable[[Request], Awaitable[Response]]
_to_builtins = msgspec.to_builtins
T = TypeVar("T")


class _LocationBody(msgspec.Struct, forbid_unknown_fields=True):
    id: str | None = None
    name: str | None = None


class _TokenBody(msgspec.Struct, forbid_unknown_fields=True):
    scopes: list[str] = msgspec.field(default_factory=list)
    label: str | None = None


class _RefundBody(msgspec.Struct, forbid_unknown_fields=True):
    amount: int | None = None  # minor units; everything refundable when omitted


class _NoteBody(msgspec.Struct, forbid_unknown_fields=True):
    text: str
    created_by: str | None = None


class _SeedBody(msgspec.Struct, forbid_unknown_fields=True):
    locations: int = 1
    orders: int = 50
    seed: int = 1


def _error(status: int, kind: str, message: str, problems: list[str] | None = None) -> Response:
    return json_response(
        status, {"error": {"type": kind, "message": message, "problems": problems or [message]}}
    )


def token_json(record: TokenRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "location": record.location_id,
        "scopes": [s.value for s in record.scopes],
        "label": record.label,
        "createdAt": iso_ms(record.created_at),
        "revokedAt": None if record.revoked_at is None else iso_ms(record.revoked_at),
    }


async def _decode(request: Request, kind: type[T]) -> T:
    raw = await request.body(limit=1024 * 1024)
    try:
        return msgspec.json.decode(raw or b"{}", type=kind)
    except msgspec.ValidationError as exc:
        raise Invalid([str(exc)]) from None
    except msgspec.DecodeError as exc:
        raise Invalid([f"body is not valid JSON: {exc}"]) from None


class AdminApi:
    def __init__(
        self,
        management: Management,
        lifecycle: OrderLifecycle,
        tokens: TokenAuthority,
        admin_token: str | None,
    ) -> None:
        self._manage = management
        self._lifecycle = lifecycle
        self._tokens = tokens
        self._admin = admin_token.encode() if admin_token else None

    def mount(self, router: Router) -> None:
        routes: list[tuple[str, str, AdminHandler]] = [
            ("GET", "/admin/locations", self.list_locations),
            ("POST", "/admin/locations", self.create_location),
            ("GET", "/admin/locations/{locationId}/tokens", self.list_tokens),
            ("POST", "/admin/locations/{locationId}/tokens", self.create_token),
            ("POST", "/admin/locations/{locationId}/clients", self.create_client),
            ("DELETE", "/admin/locations/{locationId}/tokens/{tokenId}", self.revoke_token),
            ("POST", "/admin/locations/{locationId}/orders", self.create_order),
            ("GET", "/admin/locations/{locationId}/orders/{orderId}", self.get_order),
            ("POST", "/admin/locations/{locationId}/orders/import", self.import_orders),
            ("POST", "/admin/locations/{locationId}/orders/{orderId}/cancel", self.cancel_order),
            ("POST", "/admin/locations/{locationId}/orders/{orderId}/refund", self.refund_order),
            ("POST", "/admin/locations/{locationId}/orders/{orderId}/notes", self.add_note),
            ("POST", "/admin/seed", self.seed),
        ]
        for method, path, handler in routes:
            router.add(method, path, self._guarded(handler))

    def _guarded(self, handler: AdminHandler) -> AdminHandler:
        async def run(request: Request) -> Response:
            if self._admin is None:
                return _error(403, "disabled", "the admin API is off: set ORDERGATE_ADMIN_TOKEN to enable it")
            presented = (request.header(b"authorization") or "").removeprefix("Bearer ").encode()
            if not hmac.compare_digest(presented, self._admin):
                return _error(
                    401, "unauthorized", "a valid admin token is required (Authorization: Bearer ...)"
                )
            try:
                return await handler(request)
            except Invalid as exc:
                return _error(422, "invalid", str(exc), exc.problems)
            except NotFound as exc:
                return _error(404, "not_found", str(exc))
            except Conflict as exc:
                return _error(409, "conflict", str(exc))
            except NotAllowed as exc:
                return _error(403, "not_allowed", str(exc))
            except DomainError as exc:
                return _error(400, "bad_request", str(exc))
            except BodyTooLarge as exc:
                return _error(413, "too_large", str(exc))

        return run

    async def list_locations(self, request: Request) -> Response:
        locations = await self._manage.store.list_locations()
        return json_response(200, {"data": [_to_builtins(loc) for loc in locations]})

    async def create_location(self, request: Request) -> Response:
        body = await _decode(request, _LocationBody)
        location = await self._manage.create_location(body.id, body.name)
        return json_response(201, {"id": location.id, "name": location.name})

    async def list_tokens(self, request: Request) -> Response:
        records = await self._manage.list_tokens(request.params["locationId"])
        return json_response(200, {"data": [token_json(r) for r in records]})

    async def create_token(self, request: Request) -> Response:
        body = await _decode(request, _TokenBody)
        secret, record = await self._manage.create_token(
            request.params["locationId"], body.scopes, body.label
        )
        return json_response(201, {"token": secret, **token_json(record)})

    async def revoke_token(self, request: Request) -> Response:
        await self._manage.revoke_token(request.params["locationId"], request.params["tokenId"])
        self._tokens.forget()
        return json_response(200, {"revoked": True})

    async def create_client(self, request: Request) -> Response:
        secret, client = await self._manage.create_client(request.params["locationId"])
        return json_response(
            201, {"client_id": client.client_id, "client_secret": secret, "location": client.location_id}
        )

    async def create_order(self, request: Request) -> Response:
        new = await _decode(request, NewOrder)
        order = await self._manage.create_order(request.params["locationId"], new)
        return json_response(201, _to_builtins(order))

    async def get_order(self, request: Request) -> Response:
        location_id = request.params["locationId"]
        order = await self._manage.store.get_order(location_id, request.params["orderId"])
        if order is None:
            raise NotFound(f"location {location_id} has no order {request.params['orderId']}")
        return json_response(200, _to_builtins(order))

    async def import_orders(self, request: Request) -> Response:
        fmt = dict(request.query).get("format", "canonical")
        if fmt not in ("canonical", "highlevel"):
            raise Invalid(["format must be canonical or highlevel"])
        chosen: ImportFormat = "canonical" if fmt == "canonical" else "highlevel"
        body = await request.body()
        count = await self._manage.import_lines(request.params["locationId"], body.splitlines(), chosen)
        return json_response(200, {"imported": count})

    async def cancel_order(self, request: Request) -> Response:
        order = await self._lifecycle.cancel(request.params["locationId"], request.params["orderId"])
        return json_response(200, _to_builtins(order))

    async def refund_order(self, request: Request) -> Response:
        body = await _decode(request, _RefundBody)
        order = await self._lifecycle.refund(
            request.params["locationId"], request.params["orderId"], body.amount
        )
        return json_response(200, _to_builtins(order))

    async def add_note(self, request: Request) -> Response:
        body = await _decode(request, _NoteBody)
        event = await self._lifecycle.add_note(
            request.params["locationId"], request.params["orderId"], body.text, body.created_by
        )
        return json_response(201, _to_builtins(event))

    async def seed(self, request: Request) -> Response:
        body = await _decode(request, _SeedBody)
        if not (1 <= body.locations <= 1000 and 0 <= body.orders <= 1_000_000):
            raise Invalid(["locations must be 1..1000 and orders 0..1000000"])
        made = await self._manage.seed(body.locations, body.orders, body.seed)
        return json_response(200, {"locations": [{"id": i, "orders": n} for i, n in made]})
