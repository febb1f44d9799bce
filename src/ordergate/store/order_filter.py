"""SQL for `FilteredOrderQuery`: conditions on canonical order attributes, a sort, a page.

The same `?`-placeholder SQL as the rest of the store, location first. Free-text columns hold lowercased
copies (see migration 0003), so text values are lowercased here in Python and `LIKE` behaves the same on
SQLite (case-insensitive for ASCII) and PostgreSQL (case-sensitive): neither side has upper case left.
"""

from __future__ import annotations

from typing import Any

from ordergate.domain.order_filter import TEXT_FIELDS, Condition, FilteredOrderQuery, Op, OrderField, Sort
from ordergate.store.search_index import escape_like

COLUMNS: dict[OrderField, str] = {
    OrderField.STATUS: "status",
    OrderField.PAYMENT_STATUS: "payment_status",
    OrderField.FULFILLMENT_STATUS: "fulfillment_status",
    OrderField.CURRENCY: "currency",
    OrderField.CONTACT_ID: "contact_id_lower",
    OrderField.CONTACT_NAME: "contact_name",
    OrderField.CONTACT_EMAIL: "contact_email",
    OrderField.ORDER_NUMBER: "order_number",
    OrderField.EXTERNAL_REF: "external_ref",
    OrderField.SHIPPING_POSTCODE: "shipping_postcode",
    OrderField.BILLING_POSTCODE: "billing_postcode",
    OrderField.TOTAL: "total",
    OrderField.TOTAL_WITHOUT_TAX: "total_without_tax",
    OrderField.CREATED_AT: "created_at",
    OrderField.UPDATED_AT: "updated_at",
}
_PRODUCT_COLUMNS = {OrderField.PRODUCT_ID: "product_id", OrderField.PRODUCT_SKU: "sku"}
_COMPARE = {Op.GT: ">", Op.GE: ">=", Op.LT: "<", Op.LE: "<="}


def like_pattern(pattern: str) -> str:
    """A `*`-wildcard pattern as SQL LIKE (with `\\` as the escape): `%`, `_` and `\\` are literal."""
    return escape_like(pattern).replace("*", "%")


def _value(field: OrderField, value: str | int) -> str | int:
    return value.lower() if field in TEXT_FIELDS and isinstance(value, str) else value


def _test(column: str, condition: Condition) -> tuple[str, list[Any]]:
    """`column <op> ?` for one condition."""
    values = [_value(condition.field, v) for v in condition.values]
    if condition.op is Op.IN:
        if len(values) == 1:
            return f"{column} = ?", values
        return f"{column} IN ({', '.join('?' for _ in values)})", values
    if condition.op is Op.LIKE:
        return f"{column} LIKE ? ESCAPE '\\'", [like_pattern(str(values[0]))]
    return f"{column} {_COMPARE[condition.op]} ?", values[:1]


def _clause(location_id: str, condition: Condition) -> tuple[str, list[Any]]:
    product_column = _PRODUCT_COLUMNS.get(condition.field)
    if product_column is None:
        return _test(COLUMNS[condition.field], condition)
    test, args = _test(product_column, condition)
    return (
        f"id IN (SELECT order_id FROM order_products WHERE location_id = ? AND {test})",
        [location_id, *args],
    )


def where_clause(query: FilteredOrderQuery) -> tuple[str, list[Any]]:
    """The WHERE clause (location first) and its arguments. Callers check `matches_nothing` first."""
    clauses = ["location_id = ?"]
    args: list[Any] = [query.location_id]
    for condition in query.conditions:
        clause, more = _clause(query.location_id, condition)
        clauses.append(clause)
        args.extend(more)
    return " AND ".join(clauses), args


def order_by(sort: Sort) -> str:
    """The sort column, then the id in the same direction, so that pages never overlap."""
    if sort.field in _PRODUCT_COLUMNS:
        raise ValueError(f"cannot sort orders by {sort.field}")
    direction = " DESC" if sort.descending else ""
    return f"{COLUMNS[sort.field]}{direction}, id{direction}"
