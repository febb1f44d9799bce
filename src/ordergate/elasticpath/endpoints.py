"""Elastic Path routes: `/oauth/access_token` and `/v2/orders...`, over the same store as every dialect.

Each route parses the wire request, asks the store or the service, and renders Elastic Path's shape;
every failure becomes Elastic Path's error envelope, never another dialect's. Order and transaction ids
are accepted in both forms, our UUID and the 24-hex ObjectId (`elasticpath.ids`).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from ordergate.domain.errors import Conflict, Invalid, NotFound
from ordergate.domain.oauth import AccessToken
from ordergate.elasticpath import bodies, errors, ids, pages, render, vocabulary
from ordergate.elasticpath.auth import EpAuthority
from ordergate.elasticpath.params import ListParams
from ordergate.elasticpath.service import ElasticPathOrders, NotEligible
from ordergate.store import Store
from ordergate.web import BodyTooLarge, Request, Response, Router, json_response

log = logging.getLogger("ordergate.elasticpath")
EpHandler = Callable[[Request, AccessToken], Awaitable[Response]]
INCLUDABLE = ("items", "tax_items", "custom_discounts", "promotions")
MAX_BODY = 1024 * 1024


def _order_id(request: Request) -> str:
    found = ids.object_id_of(request.params["orderId"])
    if found is None:
        raise errors.not_found()
    return found


def _base_url(request: Request) -> str:
    scheme = request.header(b"x-forwarded-proto") or "http"
    host = request.header(b"host") or "localhost"
    return f"{scheme}://{host}/v2/orders"


def _included(requested: set[str], items: Callable[[], list[dict[str, Any]]]) -> dict[str, Any] | None:
    """`included` for the requested kinds; ordergate has no tax items, custom discounts or promotions.
    Items are rendered only when asked for."""
    wanted = [kind for kind in INCLUDABLE if kind in requested]
    if not wanted:
        return None
    return {kind: items() if kind == "items" else [] for kind in wanted}


def _ineligible(order_id: str, failure: NotEligible) -> errors.EpError:
    order = failure.order
    state = (
        f"order:{vocabulary.status_word(order.status)}, "
        f"payment:{vocabulary.payment_word(order.payment_status)}, "
        f"shipping:{vocabulary.shipping_word(order.fulfillment_status)}"
    )
    return errors.unprocessable(
        f"Order has status: {state}; {failure}",
        title="Could not anonymize orders",
        meta={"order_id": order_id},
    )


class ElasticPathApi:
    def __init__(self, store: Store, token_cache_seconds: float = 5.0) -> None:
        self._store = store
        self._auth = EpAuthority(store, ttl=token_cache_seconds)
        self._orders = ElasticPathOrders(store)

    def mount(self, router: Router) -> None:
        router.add("POST", "/oauth/access_token", self._answering(self.access_token))
        routes: list[tuple[str, str, EpHandler]] = [
            ("GET", "/v2/orders", self.list_orders),
            ("POST", "/v2/orders/anonymize", self.anonymize),
            ("GET", "/v2/orders/{orderId}", self.get_order),
            ("PUT", "/v2/orders/{orderId}", self.update_order),
            ("GET", "/v2/orders/{orderId}/items", self.order_items),
            ("GET", "/v2/orders/{orderId}/transactions", self.transactions),
            ("GET", "/v2/orders/{orderId}/transactions/{transactionId}", self.transaction),
        ]
        for method, path, handler in routes:
            router.add(method, path, self._answering(self._authorized(handler)))

    def _authorized(self, handler: EpHandler) -> Callable[[Request], Awaitable[Response]]:
        async def run(request: Request) -> Response:
            return await handler(request, await self._auth.authorize(request))

        return run

    def _answering(
        self, handler: Callable[[Request], Awaitable[Response]]
    ) -> Callable[[Request], Awaitable[Response]]:
        """Every outcome in Elastic Path's envelope, including the unexpected ones."""

        async def run(request: Request) -> Response:
            try:
                return await handler(request)
            except errors.EpError as failure:
                return failure.response
            except NotFound:
                return errors.not_found().response
            except Conflict as exc:
                return errors.unprocessable(errors.CANNOT_UPDATE, meta={"reason": str(exc)}).response
            except Invalid as exc:
                return errors.bad_request("; ".join(exc.problems)).response
            except BodyTooLarge as exc:
                return errors.EpError(413, "Payload Too Large", str(exc)).response
            except Exception:
                log.exception("unhandled error on %s %s", request.method, request.path)
                return errors.internal_error()

        return run

    async def access_token(self, request: Request) -> Response:
        return json_response(200, await self._auth.issue(request))

    async def list_orders(self, request: Request, token: AccessToken) -> Response:
        params = ListParams(request.query)
        quoted = (request.header(b"ep-disable-beta-filtering") or "").strip().lower() != "true"
        query = params.query(token.location_id, quoted=quoted)
        found, total = await self._store.filter_orders(query)
        body: dict[str, Any] = {"data": [render.order(o) for o in found]}
        included = _included(params.includes(), lambda: [i for o in found for i in render.items(o)])
        if included is not None:
            body["included"] = included
        body.update(
            pages.envelope(
                _base_url(request),
                query.offset,
                query.limit,
                total,
                filter_text=params.filter_text(),
                sort_text=params.sort_text(),
            )
        )
        return json_response(200, body)

    async def get_order(self, request: Request, token: AccessToken) -> Response:
        order = await self._store.get_order(token.location_id, _order_id(request))
        if order is None:
            raise errors.not_found()
        body: dict[str, Any] = {"data": render.order(order)}
        included = _included(ListParams(request.query).includes(), lambda: render.items(order))
        if included is not None:
            body["included"] = included
        return json_response(200, body)

    async def order_items(self, request: Request, token: AccessToken) -> Response:
        order = await self._store.get_order(token.location_id, _order_id(request))
        if order is None:
            raise errors.not_found()
        return json_response(200, {"data": render.items(order)})

    async def update_order(self, request: Request, token: AccessToken) -> Response:
        order_id = _order_id(request)
        change = bodies.order_change(await request.body(limit=MAX_BODY))
        try:
            order = await self._orders.update(token.location_id, order_id, change)
        except Conflict as exc:
            raise errors.unprocessable(
                errors.CANNOT_UPDATE, meta={"order_id": ids.to_uuid(order_id), "reason": str(exc)}
            ) from None
        return json_response(200, {"data": render.order(order)})

    async def anonymize(self, request: Request, token: AccessToken) -> Response:
        wanted = bodies.order_ids(await request.body(limit=MAX_BODY))
        resolved: dict[str, str] = {}
        for given in wanted:
            found = ids.object_id_of(given)
            if found is None:
                raise errors.not_found(meta={"order_id": given})
            resolved[found] = given
        try:
            orders = await self._orders.anonymize(token.location_id, list(resolved))
        except NotEligible as failure:
            raise _ineligible(ids.to_uuid(failure.order.id), failure) from None
        except NotFound as missing:
            raise errors.not_found(meta={"order_id": resolved.get(str(missing), str(missing))}) from None
        return json_response(200, {"data": [render.order(o) for o in orders]})

    async def transactions(self, request: Request, token: AccessToken) -> Response:
        order_id = _order_id(request)
        if await self._store.get_order(token.location_id, order_id) is None:
            raise errors.not_found()
        found = await self._store.order_transactions(token.location_id, order_id)
        return json_response(200, {"data": [render.transaction(t) for t in found]})

    async def transaction(self, request: Request, token: AccessToken) -> Response:
        order_id = _order_id(request)
        transaction_id = ids.object_id_of(request.params["transactionId"])
        found = (
            await self._store.get_transaction(token.location_id, transaction_id)
            if transaction_id is not None
            else None
        )
        if found is None or found.order_id != order_id:
            raise errors.not_found("Transaction not found")
        return json_response(200, {"data": render.transaction(found)})
