"""HighLevel routes that change an order or read its history: record-payment, fulfillments, notes and
transactions. Authentication, version and scope checks happen before these run (see endpoints.py)."""

from __future__ import annotations

import hashlib
from typing import Any

import msgspec

from ordergate.domain.access import TokenRecord
from ordergate.domain.errors import Conflict, Invalid, NotFound
from ordergate.domain.money import to_minor
from ordergate.domain.order import Order
from ordergate.highlevel import errors
from ordergate.highlevel.bodies import fulfillment_body, parse_json_object, payment_body
from ordergate.highlevel.params import (
    QueryReader,
    list_transactions_query,
    object_id_problems,
    order_id_problems,
    read_alt_id,
    read_alt_type,
)
from ordergate.highlevel.render_history import (
    fulfillment_json,
    note_json,
    transaction_detail,
    transaction_summary,
)
from ordergate.lifecycle import ORDER_NOT_FOUND, OrderLifecycle
from ordergate.store import Store
from ordergate.web import BodyTooLarge, Request, Response, json_response

MAX_BODY = 256 * 1024
MAX_IDEMPOTENCY_KEY = 255


def _foreign(alt_id: object, token: TokenRecord) -> None:
    if isinstance(alt_id, str) and alt_id and alt_id != token.location_id:
        raise errors.unauthorized(errors.FOREIGN_LOCATION)


def _state_error(exc: Conflict | Invalid | NotFound) -> errors.HighLevelError:
    """Domain refusals as HighLevel answers them: a missing order 404, a broken business rule 400."""
    if isinstance(exc, NotFound):
        return errors.not_found(str(exc))
    if isinstance(exc, Invalid):
        return errors.unprocessable(exc.problems)
    return errors.bad_request(str(exc))


def request_fingerprint(order_id: str, body: dict[str, Any]) -> str:
    """The same payment request always has the same fingerprint, whatever the key order of its JSON."""
    canonical = msgspec.json.encode(body, order="sorted")
    return hashlib.sha256(order_id.encode() + b"\n" + canonical).hexdigest()


class HistoryRoutes:
    def __init__(self, store: Store, lifecycle: OrderLifecycle) -> None:
        self._store = store
        self._lifecycle = lifecycle

    async def _body(self, request: Request) -> dict[str, Any]:
        try:
            return parse_json_object(await request.body(limit=MAX_BODY))
        except BodyTooLarge:
            raise errors.HighLevelError(
                json_response(413, {"statusCode": 413, "message": "request entity too large"})
            ) from None

    async def _order(self, token: TokenRecord, order_id: str) -> Order:
        order = await self._store.get_order(token.location_id, order_id.lower())
        if order is None:
            raise errors.not_found(ORDER_NOT_FOUND)
        return order

    async def record_payment(self, request: Request, token: TokenRecord, reader: QueryReader) -> Response:
        """`POST /payments/orders/{orderId}/record-payment`."""
        order_id = request.params["orderId"]
        body = await self._body(request)
        if order_id_problems(order_id):
            raise errors.unprocessable(order_id_problems(order_id))
        _foreign(body.get("altId"), token)  # the guard's check comes before the body's validation
        _, command, amount = payment_body(body)
        key = request.header(b"idempotency-key")
        if key is not None and not 0 < len(key) <= MAX_IDEMPOTENCY_KEY:
            raise errors.unprocessable([f"Idempotency-Key must be 1 to {MAX_IDEMPOTENCY_KEY} characters"])
        order = await self._order(token, order_id)
        assert command is not None
        try:
            if amount is not None:
                command = msgspec.structs.replace(command, amount=to_minor(amount, order.currency))
            await self._lifecycle.record_payment(
                token.location_id,
                order.id,
                command,
                request_hash=request_fingerprint(order.id, body),
                idempotency_key=key,
            )
        except (Conflict, Invalid, NotFound) as exc:
            raise _state_error(exc) from None
        return json_response(200, {"success": True})

    async def create_fulfillment(self, request: Request, token: TokenRecord, reader: QueryReader) -> Response:
        """`POST /payments/orders/{orderId}/fulfillments`."""
        order_id = request.params["orderId"]
        body = await self._body(request)
        if order_id_problems(order_id):
            raise errors.unprocessable(order_id_problems(order_id))
        _foreign(body.get("altId"), token)
        _, command = fulfillment_body(body)
        order = await self._order(token, order_id)
        try:
            fulfillment = await self._lifecycle.create_fulfillment(token.location_id, order.id, command)
        except (Conflict, Invalid, NotFound) as exc:
            raise _state_error(exc) from None
        return json_response(200, {"status": True, "data": fulfillment_json(fulfillment, order.currency)})

    async def _read_order_query(self, request: Request, reader: QueryReader) -> str:
        order_id = request.params["orderId"]
        read_alt_id(reader)
        read_alt_type(reader, enum=True)
        problems = order_id_problems(order_id) + reader.problems
        if problems:
            raise errors.unprocessable(problems)
        return order_id

    async def list_fulfillments(self, request: Request, token: TokenRecord, reader: QueryReader) -> Response:
        """`GET /payments/orders/{orderId}/fulfillments`."""
        order = await self._order(token, await self._read_order_query(request, reader))
        found = await self._store.order_fulfillments(token.location_id, order.id)
        return json_response(
            200, {"status": True, "data": [fulfillment_json(f, order.currency) for f in found]}
        )

    async def list_notes(self, request: Request, token: TokenRecord, reader: QueryReader) -> Response:
        """`GET /payments/orders/{orderId}/notes`: the order's timeline, oldest first."""
        order = await self._order(token, await self._read_order_query(request, reader))
        events = await self._store.order_events(token.location_id, order.id)
        return json_response(200, {"status": True, "data": [note_json(e, order.currency) for e in events]})

    async def list_transactions(self, request: Request, token: TokenRecord, reader: QueryReader) -> Response:
        """`GET /payments/transactions`."""
        query = list_transactions_query(reader, token.location_id)
        if reader.problems:
            raise errors.unprocessable(reader.problems)
        found, total = await self._store.list_transactions(query)
        return json_response(200, {"data": [transaction_summary(t) for t in found], "totalCount": total})

    async def get_transaction(self, request: Request, token: TokenRecord, reader: QueryReader) -> Response:
        """`GET /payments/transactions/{transactionId}`."""
        transaction_id = request.params["transactionId"]
        read_alt_id(reader)
        read_alt_type(reader, enum=False)
        problems = object_id_problems("transactionId", transaction_id) + reader.problems
        if problems:
            raise errors.unprocessable(problems)
        transaction = await self._store.get_transaction(token.location_id, transaction_id.lower())
        if transaction is None:
            raise errors.not_found("Transaction not found")
        return json_response(200, transaction_detail(transaction))
