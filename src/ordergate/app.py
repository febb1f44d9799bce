"""The ASGI application: one router for both the HighLevel routes and the admin API.

Each server process opens its own connection pool at start-up; all state lives in the database, so any
number of processes on any number of machines behave as one. Migrations are applied by `ordergate serve`
(or `ordergate migrate`) before the workers start; a worker refuses to be ready on an older schema.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from typing import Any

from ordergate.access_log import LOG_FORMAT, AccessLog
from ordergate.admin.endpoints import AdminApi
from ordergate.auth import TokenAuthority
from ordergate.elasticpath import errors as ep_errors
from ordergate.elasticpath.endpoints import ElasticPathApi
from ordergate.highlevel import errors as hl_errors
from ordergate.highlevel.endpoints import HighLevelApi
from ordergate.lifecycle import OrderLifecycle
from ordergate.management import Management
from ordergate.settings import Settings
from ordergate.store import Store, open_store
from ordergate.web import Receive, Request, Response, Router, Scope, Send, json_response

log = logging.getLogger("ordergate")


class OrdergateApp:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.router = Router()
        self.store: Store | None = None
        self._access: AccessLog | None = None

    async def startup(self) -> None:
        store = await open_store(self.settings.database.url)
        self.store = store
        tokens = TokenAuthority(store, ttl=self.settings.token_cache_seconds)
        lifecycle = OrderLifecycle(store)
        HighLevelApi(store, tokens, lifecycle).mount(self.router)
        AdminApi(Management(store), lifecycle, tokens, self.settings.admin_token).mount(self.router)
        ElasticPathApi(store, self.settings.token_cache_seconds).mount(self.router)
        self.router.add("GET", "/healthz", self.healthz)
        self.router.add("GET", "/health", self.healthz)  # what the npm SDK's healthCheck() asks
        self.router.add("GET", "/readyz", self.readyz)
        if self.settings.access_log:
            access = AccessLog(asyncio.get_running_loop())
            self._access = access if access.enabled else None
        # What start-up made lives as long as the process: out of the collector's way, so that a full
        # collection (tens of ms in a busy worker) only walks what requests have made since.
        gc.freeze()
        log.info("serving %s database %s", store.kind, self.settings.database.redacted())

    async def shutdown(self) -> None:
        if self._access is not None:
            self._access.flush()
        if self.store is not None:
            await self.store.close()

    async def healthz(self, request: Request) -> Response:
        return json_response(200, {"status": "ok"})

    async def readyz(self, request: Request) -> Response:
        assert self.store is not None
        try:
            await self.store.ping()
        except Exception as exc:  # any failure to reach the database means not ready
            return json_response(503, {"status": "unavailable", "reason": type(exc).__name__})
        return json_response(200, {"status": "ready", "database": self.store.kind})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            await self._http(scope, receive, send)
        elif kind == "lifespan":
            await self._lifespan(receive, send)

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        method: str = scope["method"]
        path: str = scope["path"]
        found = self.router.match(method, path)
        if found is None:
            response = _route_not_found(method, path, scope)
        else:
            handler, params = found
            try:
                response = await handler(Request(scope, receive, params))
            except Exception:
                log.exception("unhandled error on %s %s", method, path)
                response = hl_errors.internal_error()
        await response.send(send)
        if self._access is not None:
            self._access.request(method, path, response.status, started)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message: dict[str, Any] = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await self.startup()
                except Exception as exc:
                    log.exception("start-up failed")
                    await send({"type": "lifespan.startup.failed", "message": str(exc)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.shutdown()
                await send({"type": "lifespan.shutdown.complete"})
                return


def _route_not_found(method: str, path: str, scope: Scope) -> Response:
    """Each dialect's own answer for a route it does not have: Elastic Path's envelope under its prefixes,
    NestJS's `Cannot GET /path` (HighLevel) everywhere else."""
    if path.startswith(("/v2/", "/oauth/")) or path == "/v2":
        return ep_errors.not_found(f"No route for {method} {path}").response
    return hl_errors.route_not_found(method, _original_url(scope))


def _original_url(scope: Scope) -> str:
    """The path as the client sent it, with its query string (what Express calls `originalUrl`)."""
    raw: bytes = scope.get("raw_path") or scope["path"].encode()
    query: bytes = scope.get("query_string", b"")
    return (raw + b"?" + query if query else raw).decode("latin-1")


def create_app() -> OrdergateApp:
    """Factory used by the server (`uvicorn --factory ordergate.app:create_app`)."""
    settings = Settings.from_env()
    logging.basicConfig(level=settings.log_level, format=LOG_FORMAT)
    return OrdergateApp(settings)
