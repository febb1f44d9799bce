"""From parsed clauses to canonical conditions: vocabularies, dates, amounts, and what is refused."""

from __future__ import annotations

import pytest

from ordergate.domain.clock import DAY_MS, parse_day
from ordergate.domain.order_filter import Condition, Op, OrderField, Sort
from ordergate.elasticpath import ids
from ordergate.elasticpath.errors import EpError
from ordergate.elasticpath.filters import Clause, FilterError
from ordergate.elasticpath.params import ATTRIBUTES, ListParams, conditions

DAY = parse_day("2024-02-29")


def cond(field: OrderField, op: Op, *values: str | int) -> Condition:
    return Condition(field=field, op=op, values=values)


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        (Clause("eq", "status", ("incomplete",)), cond(OrderField.STATUS, Op.IN, "pending", "failed")),
        (Clause("eq", "status", ("complete",)), cond(OrderField.STATUS, Op.IN, "completed")),
        (Clause("eq", "payment", ("authorized",)), cond(OrderField.PAYMENT_STATUS, Op.IN)),
        (Clause("eq", "payment", ("paid",)), cond(OrderField.PAYMENT_STATUS, Op.IN, "paid")),
        (
            Clause("eq", "shipping", ("unfulfilled",)),
            cond(OrderField.FULFILLMENT_STATUS, Op.IN, "unfulfilled", "partially_fulfilled"),
        ),
        (
            Clause("in", "status", ("complete", "incomplete", "complete")),
            cond(OrderField.STATUS, Op.IN, "completed", "pending", "failed"),
        ),
        (Clause("eq", "currency", ("usd",)), cond(OrderField.CURRENCY, Op.IN, "USD")),
        (
            Clause("like", "email", ("*@EXAMPLE.com",)),
            cond(OrderField.CONTACT_EMAIL, Op.LIKE, "*@EXAMPLE.com"),
        ),
        (Clause("eq", "contact.name", ("Ana Lima",)), cond(OrderField.CONTACT_NAME, Op.IN, "Ana Lima")),
        (Clause("eq", "account_id", ("x",)), cond(OrderField.CONTACT_ID, Op.IN)),
        (Clause("like", "account_member_id", ("x*",)), cond(OrderField.CONTACT_ID, Op.IN)),
        (Clause("ge", "with_tax", ("10000",)), cond(OrderField.TOTAL, Op.GE, 10000)),
        (Clause("lt", "without_tax", ("-5",)), cond(OrderField.TOTAL_WITHOUT_TAX, Op.LT, -5)),
        (Clause("gt", "created_at", ("1709164800123",)), cond(OrderField.CREATED_AT, Op.GE, 1709164800124)),
        (Clause("ge", "created_at", ("2024-02-29",)), cond(OrderField.CREATED_AT, Op.GE, DAY)),
        (Clause("gt", "created_at", ("2024-02-29",)), cond(OrderField.CREATED_AT, Op.GE, DAY + DAY_MS)),
        (Clause("lt", "updated_at", ("2024-02-29",)), cond(OrderField.UPDATED_AT, Op.LT, DAY)),
        (Clause("le", "updated_at", ("2024-02-29",)), cond(OrderField.UPDATED_AT, Op.LT, DAY + DAY_MS)),
        (
            Clause("ge", "created_at", ("2024-02-29T10:00:00.500Z",)),
            cond(OrderField.CREATED_AT, Op.GE, DAY + 36_000_500),
        ),
        (
            Clause("ge", "created_at", ("2024-02-29T12:00:00 02:00",)),  # `+` decoded to a space
            cond(OrderField.CREATED_AT, Op.GE, DAY + 36_000_000),
        ),
    ],
)
def test_one_condition(clause: Clause, expected: Condition) -> None:
    assert conditions(clause) == [expected]


def test_a_day_with_eq_is_the_whole_day() -> None:
    assert conditions(Clause("eq", "created_at", ("2024-02-29",))) == [
        cond(OrderField.CREATED_AT, Op.GE, DAY),
        cond(OrderField.CREATED_AT, Op.LT, DAY + DAY_MS),
    ]


def test_an_instant_with_eq_is_that_millisecond() -> None:
    assert conditions(Clause("eq", "updated_at", (str(DAY + 7),))) == [
        cond(OrderField.UPDATED_AT, Op.GE, DAY + 7),
        cond(OrderField.UPDATED_AT, Op.LT, DAY + 8),
    ]


def test_product_ids_are_read_in_either_form() -> None:
    object_id = "65a1b2c3d4e5f60718293a4b"
    for given in (object_id, ids.to_uuid(object_id), ids.to_uuid(object_id).upper()):
        assert conditions(Clause("eq", "product_id", (given,))) == [
            cond(OrderField.PRODUCT_ID, Op.IN, object_id)
        ]


@pytest.mark.parametrize(
    ("clause", "reason"),
    [
        (Clause("eq", "colour", ("red",)), "'colour' is not a filterable attribute"),
        (Clause("like", "status", ("comp*",)), "like cannot be used on status (allowed: eq, in)"),
        (Clause("gt", "name", ("a",)), "gt cannot be used on name"),
        (Clause("eq", "with_tax", ("100",)), "eq cannot be used on with_tax (allowed: gt, ge, lt, le)"),
        (Clause("in", "created_at", ("2024-01-01",)), "in cannot be used on created_at"),
        (Clause("like", "product_sku", ("a*",)), "like cannot be used on product_sku"),
        (Clause("eq", "status", ("completed",)), "status must be one of incomplete, processing"),
        (Clause("eq", "payment", ("partially_refunded",)), "payment must be one of"),
        (Clause("eq", "shipping", ("partially_fulfilled",)), "shipping must be one of"),
        (Clause("eq", "currency", ("dollars",)), "three-letter ISO 4217"),
        (Clause("gt", "with_tax", ("10.50",)), "whole minor units"),
        (Clause("gt", "with_tax", ("1e3",)), "whole minor units"),
        (Clause("gt", "with_tax", ("١٢",)), "whole minor units"),
        (Clause("gt", "created_at", ("yesterday",)), "is not a date"),
        (Clause("gt", "created_at", ("2024-02-30",)), "is not a date"),
        (Clause("gt", "created_at", ("2024-1-1",)), "is not a date"),
        (Clause("gt", "created_at", ("１７０９",)), "is not a date"),
        (Clause("gt", "created_at", ("9" * 16,)), "is not a date"),
    ],
)
def test_refused(clause: Clause, reason: str) -> None:
    with pytest.raises(FilterError) as failure:
        conditions(clause)
    assert reason in failure.value.reason


def test_every_documented_attribute_is_known() -> None:
    documented = {
        "status", "payment", "shipping", "name", "email", "customer_id", "account_id", "account_member_id",
        "contact.name", "contact.email", "shipping_postcode", "billing_postcode", "with_tax", "without_tax",
        "currency", "product_id", "product_sku", "created_at", "updated_at", "external_ref", "order_number",
    }  # fmt: skip
    assert set(ATTRIBUTES) == documented


def _error(params: ListParams) -> dict[str, object]:
    with pytest.raises(EpError) as failure:
        params.query("LOC")
    assert failure.value.status == 400
    return failure.value.item


def test_paging_defaults_and_bounds() -> None:
    query = ListParams([]).query("LOC")
    assert (query.limit, query.offset, query.sort) == (20, 0, Sort())
    query = ListParams([("page[limit]", "100"), ("page[offset]", "10000")]).query("LOC")
    assert (query.limit, query.offset) == (100, 10000)
    for name, value in [
        ("page[limit]", "0"),
        ("page[limit]", "101"),
        ("page[limit]", "ten"),
        ("page[limit]", "1.5"),
        ("page[offset]", "-1"),
        ("page[offset]", "10001"),
    ]:
        assert _error(ListParams([(name, value)]))["source"] == name


def test_sorts() -> None:
    assert ListParams([("sort", "-created_at")]).query("L").sort == Sort(field=OrderField.CREATED_AT)
    assert ListParams([("sort", "with_tax")]).query("L").sort == Sort(
        field=OrderField.TOTAL, descending=False
    )
    for bad in ("name", "--created_at", "created_at,status", "+status"):
        assert _error(ListParams([("sort", bad)]))["source"] == "sort"


def test_the_first_of_repeated_parameters_counts() -> None:
    assert ListParams([("page[limit]", "5"), ("page[limit]", "7")]).query("L").limit == 5


def test_a_cut_short_filter_explains_the_raw_ampersand() -> None:
    item = _error(ListParams([("filter", "eq(name,Rock "), (" Roll)", "")]))
    assert item["detail"] == "Could not parse the supplied filter"
    reason = item["meta"]["reason"]  # type: ignore[index]
    assert "' Roll)'" in reason
    assert "%26" in reason
