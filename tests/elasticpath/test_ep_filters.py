"""The filter grammar on its own: what parses, into what, and every malformed input refused with a reason."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ordergate.elasticpath.filters import (
    MAX_CLAUSES,
    MAX_LENGTH,
    OPERATORS,
    Clause,
    FilterError,
    format_filter,
    parse_filter,
)


def test_one_clause() -> None:
    assert parse_filter("eq(status,complete)") == (Clause("eq", "status", ("complete",)),)


def test_clauses_joined_by_colons_in_order() -> None:
    assert parse_filter("eq(status,complete):eq(payment,paid):gt(with_tax,1000)") == (
        Clause("eq", "status", ("complete",)),
        Clause("eq", "payment", ("paid",)),
        Clause("gt", "with_tax", ("1000",)),
    )


@pytest.mark.parametrize("op", OPERATORS)
def test_every_operator(op: str) -> None:
    assert parse_filter(f"{op}(name,x)") == (Clause(op, "name", ("x",)),)


def test_in_takes_a_list() -> None:
    assert parse_filter("in(currency,USD,EUR, JPY )") == (Clause("in", "currency", ("USD", "EUR", "JPY")),)


def test_dotted_attributes_as_the_sdk_writes_nested_objects() -> None:
    assert parse_filter("eq(contact.email,ana@example.com)") == (
        Clause("eq", "contact.email", ("ana@example.com",)),
    )


def test_whitespace_around_parts_is_dropped_as_in_the_docs_examples() -> None:
    assert parse_filter(" eq( customer_id , e5a0d684 ) : like(external_ref, 16be*) ") == (
        Clause("eq", "customer_id", ("e5a0d684",)),
        Clause("like", "external_ref", ("16be*",)),
    )


def test_bare_values_keep_inner_spaces_commas_colons_and_stars() -> None:
    assert parse_filter("eq(name,Lovelace, Ada):like(name,*a:b*)") == (
        Clause("eq", "name", ("Lovelace, Ada",)),
        Clause("like", "name", ("*a:b*",)),
    )


def test_dates_and_epoch_milliseconds_are_plain_values() -> None:
    assert parse_filter("ge(created_at,2024-01-01):lt(updated_at,1704067200000)") == (
        Clause("ge", "created_at", ("2024-01-01",)),
        Clause("lt", "updated_at", ("1704067200000",)),
    )


def test_quoted_values_hold_anything() -> None:
    assert parse_filter(r'eq(name,"Ron Swanson"):eq(name,"a,b)c:d"):eq(name,"say \"hi\" \\o/")') == (
        Clause("eq", "name", ("Ron Swanson",)),
        Clause("eq", "name", ("a,b)c:d",)),
        Clause("eq", "name", ('say "hi" \\o/',)),
    )


def test_quoted_values_in_a_list() -> None:
    assert parse_filter('in(name, "a,b" ,c)') == (Clause("in", "name", ("a,b", "c")),)


def test_quotes_are_plain_characters_when_beta_filtering_is_off() -> None:
    assert parse_filter('eq(name,"Ron")', quoted=False) == (Clause("eq", "name", ('"Ron"',)),)


def test_a_quote_inside_a_bare_value_is_a_character() -> None:
    assert parse_filter('eq(name,Dwayne "The Rock")') == (Clause("eq", "name", ('Dwayne "The Rock"',)),)


@pytest.mark.parametrize("text", ["", "   "])
def test_an_empty_filter_has_no_clauses(text: str) -> None:
    assert parse_filter(text) == ()


def test_ten_clauses_are_allowed() -> None:
    assert len(parse_filter(":".join(["eq(status,complete)"] * MAX_CLAUSES))) == MAX_CLAUSES


MALFORMED = [
    ("eq(status,complete", "expected ')'"),
    ("eq(status,complete))", "expected ':'"),
    ("eq(status,complete)eq(payment,paid)", "expected ':'"),
    ("eq(status,complete):", "expected an operator"),
    (":eq(status,complete)", "expected an operator"),
    ("eq(status,complete)::eq(payment,paid)", "expected an operator"),
    ("eq status,complete)", "expected '('"),
    ("eq", "expected '('"),
    ("eq()", "missing attribute"),
    ("eq(status)", "expected ','"),
    ("eq(status,)", "missing value"),
    ("eq(status,   )", "missing value"),
    ("eq(,complete)", "missing attribute"),
    ("in(currency,USD,)", "missing value"),
    ("in(currency,,USD)", "missing value"),
    ("foo(status,complete)", "unknown operator 'foo'"),
    ("EQ(status,complete)", "unknown operator 'EQ'"),
    ("is_null(external_ref)", "is_null is not supported"),
    ("(eq(status,complete)|eq(payment,paid))", "OR groups"),
    ("eq(status,complete)|eq(payment,paid)", "expected ':'"),
    ("eq(Status,complete)", "expected an attribute name"),
    ("eq(sta tus,complete)", "expected an attribute name"),
    ("eq(status;x,complete)", "expected an attribute name"),
    ("eq(.status,complete)", "expected an attribute name"),
    ("eq(contact.,complete)", "expected an attribute name"),
    ('eq(name,"unterminated)', "unterminated quoted value"),
    ('eq(name,"Ron"x)', "expected ')'"),
    ('eq(name,"a","b")', "expected ')'"),
    ("eq(name,a)x", "expected ':'"),
    ("1(status,complete)", "expected an operator"),
    ("eq(status,com\x00plete)", "NUL"),
    (":".join(["eq(status,complete)"] * (MAX_CLAUSES + 1)), "at most 10"),
    ("eq(name," + "x" * MAX_LENGTH + ")", "longer than"),
]


@pytest.mark.parametrize(("text", "reason"), MALFORMED)
def test_malformed(text: str, reason: str) -> None:
    with pytest.raises(FilterError) as failure:
        parse_filter(text)
    assert reason in failure.value.reason


def test_the_reason_says_where() -> None:
    with pytest.raises(FilterError, match=r"at position 19$"):
        parse_filter("eq(status,complete")


def test_the_sdk_mangled_query_cannot_parse() -> None:
    """A raw `&` or `#` in a value ends the filter early on the client: what arrives never parses."""
    for arrived in ("eq(name,Rock ", "like(name,*", "eq(status,paid):eq(name,a"):
        with pytest.raises(FilterError):
            parse_filter(arrived)


# --- the formatter is the parser's inverse --------------------------------------------------------------

FIELDS = st.sampled_from(
    ["status", "name", "email", "contact.name", "with_tax", "created_at", "order_number"]
)
VALUES = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), min_size=1, max_size=12
)


@st.composite
def clauses(draw: st.DrawFn) -> Clause:
    op = draw(st.sampled_from(OPERATORS))
    count = draw(st.integers(1, 4)) if op == "in" else 1
    return Clause(op, draw(FIELDS), tuple(draw(VALUES) for _ in range(count)))


@settings(max_examples=300, deadline=None)
@given(st.lists(clauses(), min_size=1, max_size=MAX_CLAUSES))
def test_format_then_parse_gives_the_clauses_back(found: list[Clause]) -> None:
    assert parse_filter(format_filter(found)) == tuple(found)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_any_text_parses_or_fails_with_a_reason(text: str) -> None:
    try:
        parse_filter(text)
    except FilterError as failure:
        reason = failure.reason
    else:
        return
    assert reason
