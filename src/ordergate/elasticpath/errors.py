"""Elastic Path's error envelope: `{"errors": [{"status", "title", "detail", "source"?, "meta"?}]}`.

`status` is an integer, as in Elastic Path's errors guide (its specs also show strings; the SDK never
reads it). Raised inside the dialect, rendered by the endpoint wrapper.
"""

from __future__ import annotations

from typing import Any

from ordergate.web import Response, json_response

BAD_FILTER = "Could not parse the supplied filter"
ORDER_NOT_FOUND = "Order not found"
CANNOT_UPDATE = "Order cannot be updated in its current state"


class EpError(Exception):
    def __init__(
        self,
        status: int,
        title: str,
        detail: str | None = None,
        *,
        source: str | None = None,
        meta: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.item: dict[str, Any] = {"status": status, "title": title}
        if detail is not None:
            self.item["detail"] = detail
        if source is not None:
            self.item["source"] = source
        if meta:
            self.item["meta"] = meta

    @property
    def response(self) -> Response:
        return json_response(self.status, {"errors": [self.item]})


def bad_request(detail: str, *, source: str | None = None, meta: dict[str, Any] | None = None) -> EpError:
    return EpError(400, "Bad Request", detail, source=source, meta=meta)


def bad_filter(reason: str) -> EpError:
    """Elastic Path's documented answer to a filter it cannot read, with ordergate's reason in `meta`."""
    return EpError(400, "Bad Request", BAD_FILTER, source="filter", meta={"reason": reason})


def unauthorized(detail: str) -> EpError:
    """Only for a missing, unknown or expired token: the SDK answers a 401 by re-authenticating."""
    return EpError(401, "Unable to validate access token", detail)


def forbidden(detail: str) -> EpError:
    return EpError(403, "Forbidden", detail)


def not_found(detail: str = ORDER_NOT_FOUND, *, meta: dict[str, Any] | None = None) -> EpError:
    return EpError(404, "Not Found", detail, meta=meta)


def unprocessable(
    detail: str, *, title: str = "Unprocessable Entity", meta: dict[str, Any] | None = None
) -> EpError:
    return EpError(422, title, detail, meta=meta)


def internal_error() -> Response:
    return EpError(500, "Internal Server Error", "Something went wrong on our side").response
