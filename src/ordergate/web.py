"""The few pieces of HTTP ordergate needs, straight on ASGI.

A thin layer on purpose: the web layer, not the database, bounds an orders API's throughput, so the hot
path is a dictionary lookup for the route, `parse_qsl` for the query and one msgspec encode.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl

import msgspec

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

_encode = msgspec.json.Encoder().encode
MAX_BODY = 64 * 1024 * 1024


class Request:
    __slots__ = ("_query", "headers", "method", "params", "path", "query_string", "receive")

    def __init__(self, scope: Scope, receive: Receive, params: dict[str, str]) -> None:
        self.method: str = scope["method"]
        self.path: str = scope["path"]
        self.query_string: bytes = scope["query_string"]
        self.headers: list[tuple[bytes, bytes]] = scope["headers"]
        self.receive = receive
        self.params = params
        self._query: list[tuple[str, str]] | None = None

    def header(self, name: bytes) -> str | None:
        """The first value of header `name` (lowercase bytes), decoded as Latin-1."""
        for key, value in self.headers:
            if key == name:
                return value.decode("latin-1")
        return None

    @property
    def query(self) -> list[tuple[str, str]]:
        """Query pairs in order, `+` and `%20` as spaces, blank values kept, bad UTF-8 replaced."""
        if self._query is None:
            text = self.query_string.decode("latin-1")
            if "%" in text or "+" in text:
                self._query = parse_qsl(text, keep_blank_values=True, errors="replace")
            else:  # nothing to unquote: what parse_qsl would answer, without its per-pair work
                pairs = []
                for part in text.split("&"):
                    if part:
                        key, _, value = part.partition("=")
                        pairs.append((key, value))
                self._query = pairs
        return self._query

    async def body(self, limit: int = MAX_BODY) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await self.receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise BodyTooLarge(limit)
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)


class BodyTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"request body larger than {limit} bytes")


class Response:
    __slots__ = ("body", "headers", "status")

    def __init__(self, status: int, body: bytes, headers: Iterable[tuple[bytes, bytes]] = ()) -> None:
        self.status = status
        self.body = body
        self.headers = list(headers)

    async def send(self, send: Send) -> None:
        headers = [
            (b"content-type", b"application/json; charset=utf-8"),
            (b"content-length", str(len(self.body)).encode()),
            *self.headers,
        ]
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": self.body})


def json_response(status: int, payload: Any, headers: Iterable[tuple[bytes, bytes]] = ()) -> Response:
    return Response(status, _encode(payload), headers)


Handler = Callable[[Request], Awaitable[Response]]


class Router:
    """Routes by method and path; `{name}` segments capture one path segment each. A path matches its
    exact route first, then the first pattern added (of its method and number of segments) that fits."""

    def __init__(self) -> None:
        self._exact: dict[tuple[str, str], Handler] = {}
        self._patterns: dict[tuple[str, int], list[tuple[tuple[str, ...], Handler]]] = {}

    def add(self, method: str, path: str, handler: Handler) -> None:
        if "{" in path:
            pattern = tuple(path.strip("/").split("/"))
            self._patterns.setdefault((method, len(pattern)), []).append((pattern, handler))
        else:
            self._exact[(method, path)] = handler

    def match(self, method: str, path: str) -> tuple[Handler, dict[str, str]] | None:
        handler = self._exact.get((method, path))
        if handler is not None:
            return handler, {}
        if len(path) > 1 and path.endswith("/"):
            handler = self._exact.get((method, path[:-1]))
            if handler is not None:
                return handler, {}
        segments = path.strip("/").split("/")
        for pattern, route_handler in self._patterns.get((method, len(segments)), ()):
            params: dict[str, str] = {}
            for want, got in zip(pattern, segments, strict=True):
                if want[0] == "{":
                    if not got:
                        break
                    params[want[1:-1]] = got
                elif want != got:
                    break
            else:
                return route_handler, params
        return None
