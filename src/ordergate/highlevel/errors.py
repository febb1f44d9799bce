"""HighLevel's error bodies, exactly as the platform sends them (research 1.4 and 3.5)."""

from __future__ import annotations

import uuid

from ordergate.web import Response, json_response

VERSIONS = frozenset({"2021-07-28", "2021-04-15", "2023-02-21", "v3"})

INVALID_TOKEN = "Invalid token: access token is invalid"  # noqa: S105 (a message, not a secret)
INVALID_PIT = "Invalid Private Integration token"
MISSING_SCOPE = "The token is not authorized for this scope."
FOREIGN_LOCATION = "This location is not accessible from this token!"
NO_VERSION = "version header was not found."
BAD_VERSION = "version header is invalid"


class HighLevelError(Exception):
    """Raised inside the dialect; `response` is the platform's exact answer."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status)
        self.response = response


def unauthorized(message: str, *, with_error: bool = False) -> HighLevelError:
    body: dict[str, object] = {"statusCode": 401, "message": message}
    if with_error:
        body["error"] = "Unauthorized"
    return HighLevelError(json_response(401, body))


def unprocessable(problems: list[str]) -> HighLevelError:
    """NestJS class-validator style: every violated constraint, as an array."""
    return HighLevelError(
        json_response(422, {"statusCode": 422, "message": problems, "error": "Unprocessable Entity"})
    )


def not_found(message: str) -> HighLevelError:
    """The serialised HttpException the live API answers for a missing order (research 1.7.3)."""
    return HighLevelError(
        json_response(
            404, {"status": 404, "message": message, "name": "HttpException", "traceId": str(uuid.uuid4())}
        )
    )


def bad_request(message: str, *, with_error: bool = False) -> HighLevelError:
    """BadRequestDTO; NestJS adds `"error": "Bad Request"` when it raises the exception itself."""
    body: dict[str, object] = {"statusCode": 400, "message": message}
    if with_error:
        body["error"] = "Bad Request"
    return HighLevelError(json_response(400, body))


def route_not_found(method: str, path: str) -> Response:
    """NestJS's default answer for a path or verb it has no route for."""
    return json_response(404, {"statusCode": 404, "message": f"Cannot {method} {path}", "error": "Not Found"})


def internal_error() -> Response:
    return json_response(500, {"statusCode": 500, "message": "Internal server error"})
