"""Property: any valid filter finds, through the server and its SQL, exactly the orders that the same
condition finds when evaluated in Python on the orders as Elastic Path shows them.

The reference below reads only the wire shape (`customer.email`, `meta.display_price.with_tax.amount`,
`meta.timestamps.created_at`, item `sku`s...) and knows nothing of columns or SQL, so it checks the
whole path: grammar, attribute table, status vocabularies, date ranges, case-folding, LIKE escaping.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ordergate.elasticpath import ids
from ordergate.elasticpath.filters import Clause, format_filter
from ordergate.elasticpath.params import ATTRIBUTES
from tests.elasticpath.ep_support import ORDERS, Shop

DAY_MS = 86_400_000
PROPERTY = settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _ms(stamp: str) -> int:
    return int(dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp() * 1000)


def wire_values(order: dict[str, Any], attribute: str) -> list[Any]:
    """What the order holds for an attribute, read from its Elastic Path rendering; [] when nothing."""
    customer = order.get("customer") or {}
    prices = order["meta"]["display_price"]
    simple: dict[str, Any] = {
        "status": order["status"],
        "payment": order["payment"],
        "shipping": order["shipping"],
        "currency": prices["with_tax"]["currency"],
        "name": customer.get("name"),
        "email": customer.get("email"),
        "contact.name": (order.get("contact") or {}).get("name"),
        "contact.email": (order.get("contact") or {}).get("email"),
        "customer_id": customer.get("id"),
        "shipping_postcode": order["shipping_address"]["postcode"],
        "billing_postcode": order["billing_address"]["postcode"],
        "external_ref": order.get("external_ref"),
        "order_number": order.get("order_number"),
        "with_tax": prices["with_tax"]["amount"],
        "without_tax": prices["without_tax"]["amount"],
        "created_at": _ms(order["meta"]["timestamps"]["created_at"]),
        "updated_at": _ms(order["meta"]["timestamps"]["updated_at"]),
    }
    if attribute == "product_id":
        return [item["product_id"] for item in order["items"]]
    if attribute == "product_sku":
        return [item["sku"] for item in order["items"] if item["sku"]]
    if attribute in ("account_id", "account_member_id"):
        return []
    value = simple[attribute]
    return [] if value is None or value == "" else [value]


def _interval(value: str) -> tuple[int, int]:
    if value.isdigit():
        return int(value), int(value) + 1
    start = int(dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC).timestamp() * 1000)
    return start, start + DAY_MS


def _as_uuid(value: str) -> str:
    return ids.to_uuid(value.lower()) if re.fullmatch(r"[0-9a-fA-F]{24}", value) else value


def _like(pattern: str, text: str) -> bool:
    regex = ".*".join(re.escape(part) for part in pattern.lower().split("*"))
    return re.fullmatch(regex, text.lower(), flags=re.DOTALL) is not None


def holds(order: dict[str, Any], clause: Clause) -> bool:
    found = wire_values(order, clause.field)
    if clause.field in ("created_at", "updated_at"):
        start, end = _interval(clause.values[0])
        at: int = found[0]
        return {
            "eq": start <= at < end,
            "gt": at >= end,
            "ge": at >= start,
            "lt": at < start,
            "le": at < end,
        }[clause.op]
    if clause.field in ("with_tax", "without_tax"):
        bound = int(clause.values[0])
        at = int(found[0])
        return {"gt": at > bound, "ge": at >= bound, "lt": at < bound, "le": at <= bound}[clause.op]
    if clause.op == "like":
        return any(_like(clause.values[0], str(v)) for v in found)
    if clause.field == "product_id":  # either id form names the same product
        return any(v == _as_uuid(w) for v in found for w in clause.values)
    if clause.field in ("status", "payment", "shipping"):
        return any(v == w for v in found for w in clause.values)
    if clause.field == "currency":
        return any(v == w.upper() for v in found for w in clause.values)
    return any(str(v).lower() == w.lower() for v in found for w in clause.values)


# --- drawing valid filters from the data, so that they find something ---------------------------------------

VOCABULARY = {
    "status": ["incomplete", "processing", "complete", "cancelled"],
    "payment": ["unpaid", "authorized", "partially_authorized", "paid", "partially_paid", "refunded"],
    "shipping": ["unfulfilled", "fulfilled"],
}
NOISE = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc"], blacklist_characters="\x00"),
    min_size=1,
    max_size=6,
)


def _shuffle_case(text: str, flips: list[bool]) -> str:
    return "".join(c.upper() if flip else c.lower() for c, flip in zip(text, flips * len(text), strict=False))


@st.composite
def text_value(draw: st.DrawFn, seen: list[str], op: str) -> str:
    if not seen or draw(st.integers(0, 9)) == 0:
        return draw(NOISE).strip() or "x"
    value = draw(st.sampled_from(seen))
    value = _shuffle_case(value, draw(st.lists(st.booleans(), min_size=1, max_size=3)))
    if op != "like" or len(value) < 2:
        return value
    cut = draw(st.integers(1, len(value) - 1))
    return draw(st.sampled_from([value[:cut] + "*", "*" + value[cut:], "*" + value[1:cut] + "*", value, "*"]))


class Orders(list[dict[str, Any]]):
    """The seeded orders, with a short repr for hypothesis's reports."""

    def __repr__(self) -> str:
        return f"<{len(self)} orders>"


@st.composite
def clause(draw: st.DrawFn, orders: Orders) -> Clause:
    attribute = draw(st.sampled_from(sorted(ATTRIBUTES)))
    op = draw(st.sampled_from(sorted(ATTRIBUTES[attribute].ops)))
    if attribute in VOCABULARY:
        words = VOCABULARY[attribute]
        values = draw(st.lists(st.sampled_from(words), min_size=1, max_size=3 if op == "in" else 1))
        return Clause(op, attribute, tuple(values))
    seen = sorted({str(v) for o in orders for v in wire_values(o, attribute)})
    if attribute in ("created_at", "updated_at"):
        at = int(draw(st.sampled_from(seen))) if seen else 0
        shift = draw(st.sampled_from([0, 0, 1, -1, DAY_MS, -DAY_MS]))
        if draw(st.booleans()):
            return Clause(op, attribute, (str(at + shift),))
        day = dt.datetime.fromtimestamp((at + shift) / 1000, tz=dt.UTC).date().isoformat()
        return Clause(op, attribute, (day,))
    if attribute in ("with_tax", "without_tax"):
        at = int(draw(st.sampled_from(seen)))
        return Clause(
            op,
            attribute,
            (
                str(
                    at + draw(st.sampled_from([0, 0, 1, -1, 1000])),
                ),
            ),
        )
    if attribute == "currency":
        values = draw(
            st.lists(st.sampled_from([*seen, "usd", "XTS"]), min_size=1, max_size=3 if op == "in" else 1)
        )
        return Clause(op, attribute, tuple(values))
    if attribute == "product_id":
        picked = draw(st.lists(st.sampled_from(seen), min_size=1, max_size=3 if op == "in" else 1))
        return Clause(
            op, attribute, tuple(ids.from_uuid(v) or v if draw(st.booleans()) else v for v in picked)
        )
    count = draw(st.integers(1, 3)) if op == "in" else 1
    return Clause(op, attribute, tuple(draw(text_value(seen, op)) for _ in range(count)))


def _ids(shop: Shop, clauses: list[Clause]) -> tuple[list[str], int]:
    page = shop.ok(ORDERS, {"filter": format_filter(clauses), "page[limit]": "100", "sort": "created_at"})
    return [o["id"] for o in page["data"]], int(page["meta"]["results"]["total"])


@PROPERTY
@given(data=st.data())
def test_a_random_filter_finds_what_python_finds(shop: Shop, data: st.DataObject) -> None:
    orders = Orders(shop.all_orders())
    clauses = data.draw(st.lists(clause(orders), min_size=1, max_size=3), label="clauses")
    expected = sorted(
        (o for o in orders if all(holds(o, c) for c in clauses)),
        key=lambda o: (o["meta"]["timestamps"]["created_at"], o["id"]),
    )
    found, total = _ids(shop, clauses)
    assert found == [o["id"] for o in expected], format_filter(clauses)
    assert total == len(expected)


def test_the_generator_reaches_every_attribute_and_finds_orders(shop: Shop) -> None:
    """Guard against a vacuous property: single clauses built from real values do find orders."""
    orders = shop.all_orders()
    for attribute in sorted(ATTRIBUTES):
        if attribute in ("account_id", "account_member_id"):
            continue
        values = wire_values(orders[0], attribute) or next(
            wire_values(o, attribute) for o in orders if wire_values(o, attribute)
        )
        op = "eq" if "eq" in ATTRIBUTES[attribute].ops else "ge"
        value = str(values[0])
        if attribute in ("created_at", "updated_at", "with_tax", "without_tax"):
            value = str(values[0])
        found, _ = _ids(shop, [Clause(op, attribute, (value,))])
        assert found, attribute
