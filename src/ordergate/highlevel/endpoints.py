"""HighLevel routes: parse the wire request, ask the service, render the platform's exact answer.

Checks run in the order the platform's NestJS stack runs them: the `Version` header, then the token
(guard), its scope, the location it may see, and only then the parameters (validation pipe).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from ordergate.auth import TokenAuthority
from ordergate.domain.access import Scope, TokenRecord
from ordergate.highlevel import errors
from ordergate.highlevel.history_routes import HistoryRoutes
from ordergate.highlevel.params import QueryReader, list_orders_query, order_id_problems, read_alt_id
from ordergate.highlevel.render import order_detail, order_summary
from ordergate.lifecycle import OrderLifecycle
from ordergate.store import Store
from ordergate.web import Request, Response, Router, json_response

HighLevelHandler = Callable[[Request, TokenRecord, QueryReader], Awaitable[Response]]
ORDER = "/payments/orders/{orderId}"


class HighLevelApi:
    def __init__(self, store: Store, tokens: TokenAuthority, lifecycle: OrderLifecycle) -> None:
        self._store = store
        self._tokens = tokens
        self._history = HistoryRoutes(store, lifecycle)

    def mount(self, router: Router) -> None:
        history = self._history
        routes: list[tuple[str, str, Scope | None, HighLevelHandler]] = [
            ("GET", "/payments/orders", Scope.ORDERS_READONLY, self.list_orders),
            ("GET", "/payments/orders/{orderId}", Scope.ORDERS_READONLY, self.get_order),
            ("POST", f"{ORDER}/record-payment", Scope.ORDERS_COLLECT_PAYMENT, history.record_payment),
            ("POST", f"{ORDER}/fulfillments", Scope.ORDERS_WRITE, history.create_fulfillment),
            ("GET", f"{ORDER}/fulfillments", Scope.ORDERS_READONLY, history.list_fulfillments),
            ("GET", f"{ORDER}/notes", None, history.list_notes),  # the spec declares no scope
            ("GET", "/payments/transactions", Scope.TRANSACTIONS_READONLY, history.list_transactions),
            (
                "GET",
                "/payments/transactions/{transactionId}",
                Scope.TRANSACTIONS_READONLY,
                history.get_transaction,
            ),
        ]
        for method, path, scope, handler in routes:
            router.add(method, path, self._guarded(scope, handler))

    def _guarded(
        self, scope: Scope | None, handler: HighLevelHandler
    ) -> Callable[[Request], Awaitable[Response]]:
        async def run(request: Request) -> Response:
            try:
                token = await self._authorize(request, scope)
                reader = QueryReader(request.query)
                _check_location(reader, token)
                return await handler(request, token, reader)
            except errors.HighLevelError as failure:
                return failure.response

        return run

    async def _authorize(self, request: Request, scope: Scope | None) -> TokenRecord:
        version = request.header(b"version")
        if version is None:
            raise errors.unauthorized(errors.NO_VERSION)
        if version not in errors.VERSIONS:
            raise errors.unauthorized(errors.BAD_VERSION)
        authorization = request.header(b"authorization")
        if authorization is None or authorization[:7].lower() != "bearer ":
            raise errors.unauthorized(errors.INVALID_TOKEN, with_error=True)
        secret = authorization[7:].strip()
        if not secret.startswith("pit-"):
            raise errors.unauthorized(errors.INVALID_TOKEN, with_error=True)
        token = await self._tokens.resolve(secret)
        if token is None:
            raise errors.unauthorized(errors.INVALID_PIT)
        if scope is not None and scope not in token.scopes:
            raise errors.unauthorized(errors.MISSING_SCOPE)
        return token

    async def list_orders(self, request: Request, token: TokenRecord, reader: QueryReader) -> Response:
        query = list_orders_query(reader, token.location_id)
        if reader.problems:
            raise errors.unprocessable(reader.problems)
        orders, total = await self._store.list_orders(query)
        return json_response(200, {"data": [order_summary(o) for o in orders], "totalCount": total})

    async def get_order(self, request: Request, token: TokenRecord, reader: QueryReader) -> Response:
        order_id = request.params["orderId"]
        read_alt_id(reader)
        problems = order_id_problems(order_id) + reader.problems
        if problems:
            raise errors.unprocessable(problems)
        # An ObjectId is the same whatever the case of its hex; stored ids are lowercase.
        order = await self._store.get_order(token.location_id, order_id.lower())
        if order is None:
            raise errors.not_found("Order not found")
        return json_response(200, order_detail(order))


def _check_location(reader: QueryReader, token: TokenRecord) -> None:
    """A token sees one location: naming any other in `altId` or `locationId` is a 401, as on HighLevel."""
    for name in ("altId", "locationId"):
        for value in reader.values.get(name, ()):
            if value and value != token.location_id:
                raise errors.unauthorized(errors.FOREIGN_LOCATION)
