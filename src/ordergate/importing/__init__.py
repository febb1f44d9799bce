"""NDJSON import: parse and check every line into orders, without touching a database.

The caller inserts the result in one transaction, so a file imports entirely or not at all. A line is one
order in one of two formats:

- `canonical`: the `NewOrder` creation form, exactly as the admin API takes it (unknown fields refused).
- `highlevel`: an order as HighLevel's `GET /payments/orders/{orderId}` returns it; see `highlevel`.

The first bad line stops the import with an `ImportProblem` that names the line (1-based, blank lines
counted) and every problem found on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import msgspec

from ordergate.domain.building import NewOrder, build_order
from ordergate.domain.errors import Invalid
from ordergate.domain.order import Order
from ordergate.importing.highlevel import decode_highlevel, order_from_highlevel, partial_fulfillment

__all__ = ["Format", "ImportProblem", "order_from_highlevel", "parse_ndjson", "partial_fulfillment"]

Format = Literal["canonical", "highlevel"]


class ImportProblem(Invalid):
    """A line of an import that cannot become an order; nothing of the file should be stored."""

    def __init__(self, line_number: int, reason: str) -> None:
        super().__init__([f"line {line_number}: {reason}"])
        self.line_number = line_number
        self.reason = reason


def parse_ndjson(lines: Iterable[str | bytes], location_id: str, fmt: Format) -> list[Order]:
    """Every non-blank line of `lines` as a checked order of `location_id`.

    Raises `ImportProblem` for the first line that is not valid JSON, does not fit the format, breaks a
    domain rule, or repeats an order id of an earlier line.
    """
    if fmt == "canonical":
        decode_canonical = msgspec.json.Decoder(NewOrder).decode

        def parse(line: str | bytes) -> Order:
            return build_order(decode_canonical(line), location_id)

    elif fmt == "highlevel":

        def parse(line: str | bytes) -> Order:
            return order_from_highlevel(decode_highlevel(line), location_id)

    else:
        raise ValueError(f"unknown import format {fmt!r}")
    orders: list[Order] = []
    first_seen: dict[str, int] = {}
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        line = raw
        if number == 1:  # a byte order mark from a text editor
            line = raw.removeprefix("\ufeff") if isinstance(raw, str) else raw.removeprefix(b"\xef\xbb\xbf")
        try:
            order = parse(line)
        except msgspec.ValidationError as exc:  # wrong shape; msgspec names the path, e.g. `$.items[0].qty`
            raise ImportProblem(number, str(exc)) from exc
        except msgspec.DecodeError as exc:
            raise ImportProblem(number, f"invalid JSON: {exc}") from exc
        except Invalid as exc:
            raise ImportProblem(number, "; ".join(exc.problems)) from exc
        if order.id in first_seen:
            raise ImportProblem(
                number, f"duplicate order id {order.id} (first on line {first_seen[order.id]})"
            )
        first_seen[order.id] = number
        orders.append(order)
    return orders
