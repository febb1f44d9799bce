"""Bad input on the HighLevel routes: class-validator style 422 bodies that list every problem, and a
bounded fuzz run showing that nothing, whatever the query, path or headers, ever answers 500."""

from __future__ import annotations

import string
from collections.abc import Iterator
from urllib.parse import quote, urlencode

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Server
from tests.highlevel.hl_support import (
    ORDERS_PATH,
    VERSION,
    Made,
    Tenant,
    ms,
    object_id,
    page_of,
    unprocessable,
)

ALT_ID = ["altId should not be empty", "altId must be a string"]
STATUS = "status must be one of the following values: pending, processing, completed, cancelled, failed"
PAYMENT_STATUS = "paymentStatus must be one of the following values: paid, unpaid, refunded, partially_paid"
PAYMENT_MODE = "paymentMode must be one of the following values: live, test"
START_AT = "startAt must be a valid ISO 8601 date string"
END_AT = "endAt must be a valid ISO 8601 date string"
ORDER_ID = "orderId must be a mongodb id"


def _limit(problem: str) -> str:
    return {
        "number": "limit must be a number conforming to the specified constraints",
        "integer": "limit must be an integer number",
        "min": "limit must not be less than 1",
        "max": "limit must not be greater than 100",
    }[problem]


@pytest.fixture(scope="module")
def http(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        yield client


@pytest.fixture
def tenant(server: Server, http: httpx.Client) -> Tenant:
    return Tenant.create(server, http)


def _assert_422(response: httpx.Response, *messages: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == unprocessable(*messages)


@pytest.mark.parametrize(
    ("raw", "messages"),
    [
        ("", ALT_ID),
        ("altId=", ALT_ID),
        ("altId=&altId=", ALT_ID),
        ("altType=location", ALT_ID),
        ("status=open", [STATUS]),
        ("status=COMPLETED", [STATUS]),
        ("paymentStatus=partially_refunded", [PAYMENT_STATUS]),
        ("paymentStatus=Paid", [PAYMENT_STATUS]),
        ("paymentMode=sandbox", [PAYMENT_MODE]),
        ("startAt=2024-13-01", [START_AT]),
        ("startAt=2024-02-30", [START_AT]),
        ("startAt=2023-02-29", [START_AT]),
        ("startAt=yesterday", [START_AT]),
        ("startAt=2024-03-01T25:00:00Z", [START_AT]),
        ("startAt=1709251200000", [START_AT]),
        ("endAt=2024-02-30", [END_AT]),
        ("endAt=tomorrow", [END_AT]),
        ("endAt=2024-03-01T00:00:00%2B25:00", [END_AT]),
        ("startAt=2024-03-02&endAt=2024-03-01", ["startAt must not be after endAt"]),
        (
            "startAt=2024-03-01T00:00:00.001Z&endAt=2024-03-01T00:00:00.000Z",
            ["startAt must not be after endAt"],
        ),
        ("limit=-1", [_limit("min")]),
        ("limit=0", [_limit("min")]),
        ("limit=-0", [_limit("min")]),
        ("limit=ten", [_limit("number")]),
        ("limit=", []),  # blank is absent: the default applies
        ("limit=20.5", [_limit("integer")]),
        ("limit=101", [_limit("max")]),
        ("limit=1e3", [_limit("max")]),
        ("limit=NaN", [_limit("number")]),
        ("limit=1e999", [_limit("number")]),
        ("limit=-1e999", [_limit("number")]),
        ("limit=Infinity", [_limit("number")]),
        ("offset=-1", ["offset must not be less than 0"]),
        ("offset=0.5", ["offset must be an integer number"]),
        ("offset=abc", ["offset must be a number conforming to the specified constraints"]),
        ("limit=1_0", [_limit("number")]),
        ("limit=%D9%A2", [_limit("number")]),  # Arabic-Indic digit two
        ("limit=%EF%BC%92", [_limit("number")]),  # full-width digit two
        ("startAt=%D9%A2024-03-01", [START_AT]),
        ("startAt=2024-03-01T02:00:00+02:00", []),  # an unescaped `+` arrives as a space
        ("search=a%09b", ["search must not contain control characters"]),
        ("search=" + "x" * 201, ["search must be shorter than or equal to 200 characters"]),
    ],
    ids=lambda v: (v or "no-query")[:60] if isinstance(v, str) else "",
)
def test_list_rejects_each_bad_parameter(tenant: Tenant, raw: str, messages: list[str]) -> None:
    sends_alt_id = messages != ALT_ID
    response = tenant.list_orders(raw=raw, alt=sends_alt_id)
    if messages:
        _assert_422(response, *messages)
    else:
        assert response.status_code == 200, response.text


def test_list_lists_every_problem_at_once(tenant: Tenant) -> None:
    raw = (
        "altType=agency&status=open&paymentStatus=free&paymentMode=demo&startAt=2024-13-01"
        "&endAt=yesterday&limit=20.5&offset=-3&search=" + "y" * 250
    )
    _assert_422(
        tenant.list_orders(raw=raw, alt=False),
        *ALT_ID,
        STATUS,
        PAYMENT_STATUS,
        PAYMENT_MODE,
        START_AT,
        END_AT,
        "search must be shorter than or equal to 200 characters",
        _limit("integer"),
        "offset must not be less than 0",
    )
    _assert_422(
        tenant.list_orders(raw="startAt=2024-05-02&endAt=2024-05-01&limit=0&offset=x"),
        "startAt must not be after endAt",
        _limit("min"),
        "offset must be a number conforming to the specified constraints",
    )


@pytest.mark.parametrize(
    "name", ["status", "search", "contactId", "sourceId", "funnelProductIds", "funnelProductIds[]", "startAt"]
)
def test_nul_characters_are_refused_before_the_database(tenant: Tenant, name: str) -> None:
    """PostgreSQL text cannot hold NUL: `funnelProductIds=%00` was a 500 there (found by the fuzz test)."""
    message = f"{name.removesuffix('[]')} must not contain null characters"
    _assert_422(tenant.list_orders(raw=f"{name}=a%00b"), message)
    _assert_422(tenant.list_orders(raw=f"{name}=%00"), message)


def test_validation_never_leaks_orders(tenant: Tenant) -> None:
    t = ms("2024-01-01T00:00:00.000Z")
    tenant.create_order(Made(id=object_id(t, 1), created_at=t))
    assert page_of(tenant.list_orders()) == ([object_id(t, 1)], 1)
    _assert_422(tenant.list_orders(raw="limit=0"), _limit("min"))


@pytest.mark.parametrize(
    "order_id",
    [
        "123",
        "653f5e0cde5a1314e62a837",  # 23
        "653f5e0cde5a1314e62a837c0",  # 25
        "653f5e0cde5a1314e62a837g",
        "3SwdhCu3svxI8AKsPJt6",
        "null",
        "%20653f5e0cde5a1314e62a837c",
        "%E2%82%AC",
        "%ff",
    ],
)
def test_get_rejects_an_order_id_of_the_wrong_form(tenant: Tenant, order_id: str) -> None:
    _assert_422(tenant.get(order_id), ORDER_ID)


def test_get_lists_every_problem_at_once(tenant: Tenant) -> None:
    _assert_422(tenant.get("not-an-id", raw="altType=agency", alt=False), ORDER_ID, *ALT_ID)
    _assert_422(tenant.get("653f5e0cde5a1314e62a837c", alt=False), *ALT_ID)
    _assert_422(tenant.get("not-an-id", raw="altId=", alt=False), ORDER_ID, *ALT_ID)


def test_get_ignores_list_parameters(tenant: Tenant) -> None:
    t = ms("2024-01-01T00:00:00.000Z")
    made = tenant.create_order(Made(id=object_id(t, 1), created_at=t))
    response = tenant.get(made.id, raw=f"altType=location&locationId={tenant.location}&limit=0&status=x")
    assert response.status_code == 200, response.text
    assert response.json()["_id"] == made.id


@pytest.mark.parametrize("alt_type", ["location", "account", "agency", "Location", ""])
def test_alt_type_is_ignored(tenant: Tenant, alt_type: str) -> None:
    """The current spec dropped `altType` from these two routes; older clients send `location`, the
    white-label docs `account` (research 3.3, 5.6), so any value is accepted and ignored."""
    t = ms("2024-01-01T00:00:00.000Z")
    made = tenant.create_order(Made(id=object_id(t, 1), created_at=t))
    assert page_of(tenant.list_orders({"altType": alt_type})) == ([made.id], 1)
    assert tenant.get(made.id, {"altType": alt_type}).status_code == 200


def test_get_reads_an_upper_case_id_as_mongodb_does(tenant: Tenant) -> None:
    """IsMongoId accepts either case, and an ObjectId is the same whatever the case of its hex."""
    t = ms("2024-01-01T00:00:00.000Z")
    made = tenant.create_order(Made(id=object_id(t, 0xABCDEF), created_at=t))
    response = tenant.get(made.id.upper())
    assert response.status_code == 200, response.text
    assert response.json()["_id"] == made.id


# --- fuzzing: whatever arrives, the answer is one of a few statuses and always JSON -----------------------

ALLOWED = {200, 401, 404, 422}
FUZZ = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
KEYS = [
    "altId",
    "altType",
    "locationId",
    "status",
    "paymentStatus",
    "paymentMode",
    "startAt",
    "endAt",
    "search",
    "contactId",
    "funnelProductIds",
    "funnelProductIds[]",
    "sourceId",
    "limit",
    "offset",
]
VALUES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "live",
            "paid",
            "completed",
            "location",
            "2024-02-29",
            "2024-02-30",
            "2024-03-01T00:00:00+02:00",
            "0001-01-01T00:00:00+14:00",
            "9999-12-31T23:59:59.999-14:00",
            "99999-01-01",
            "1e308",
            "-0",
            "1_0",
            "0x10",
            "%",
            "_",
            "\\",
            "\x00",
            "'; DROP TABLE orders; --",
        ]
    ),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
RAW_CHARS = string.ascii_letters + string.digits + "%&=+,;[]._-~!$'()*:@/?"


@pytest.fixture(scope="module")
def fuzz_tenant(server: Server, http: httpx.Client) -> Tenant:
    owner = Tenant.create(server, http)
    base = ms("2024-02-01T00:00:00.000Z")
    owner.create_orders(
        Made(id=object_id(base + n * 3_600_000, n), created_at=base + n * 3_600_000, name=f"Order {n}")
        for n in range(5)
    )
    return owner


def _assert_answered(response: httpx.Response) -> None:
    assert response.status_code in ALLOWED, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert isinstance(body, dict)
    if response.status_code == 200:
        assert set(body) == {"data", "totalCount"} or "_id" in body


@FUZZ
@given(
    pairs=st.lists(st.tuples(st.sampled_from(KEYS) | st.text(max_size=8), VALUES), max_size=6),
    with_alt_id=st.booleans(),
)
def test_fuzz_list_query(fuzz_tenant: Tenant, pairs: list[tuple[str, str]], with_alt_id: bool) -> None:
    query = urlencode(pairs, quote_via=quote)
    _assert_answered(fuzz_tenant.list_orders(raw=query, alt=with_alt_id))


@FUZZ
@given(raw=st.text(alphabet=RAW_CHARS, max_size=60))
def test_fuzz_raw_query_string(fuzz_tenant: Tenant, raw: str) -> None:
    for path in (ORDERS_PATH, f"{ORDERS_PATH}/653f5e0cde5a1314e62a837c"):
        url = f"{path}?altId={fuzz_tenant.location}&{raw}"
        _assert_answered(fuzz_tenant.http.get(url, headers=fuzz_tenant.headers()))


@FUZZ
@given(
    segment=st.one_of(
        st.text(max_size=40).map(lambda text: quote(text, safe="")),
        st.text(alphabet="0123456789abcdefABCDEF", min_size=20, max_size=28),
        st.binary(max_size=16).map(lambda raw: "".join(f"%{byte:02x}" for byte in raw)),
    )
)
def test_fuzz_order_id(fuzz_tenant: Tenant, segment: str) -> None:
    """`segment` is already percent-encoded, as it travels in the path."""
    response = fuzz_tenant.http.get(
        f"{ORDERS_PATH}/{segment}?altId={fuzz_tenant.location}", headers=fuzz_tenant.headers()
    )
    _assert_answered(response)


HEADER_BYTES = st.binary(max_size=60).map(
    lambda b: bytes(c for c in b if c == 0x09 or 0x20 <= c <= 0x7E or c >= 0x80).strip(b" \t")
)


@FUZZ
@given(
    version=st.none() | st.sampled_from([VERSION, "v3", "2023-02-21"]).map(str.encode) | HEADER_BYTES,
    authorization=st.none() | HEADER_BYTES | HEADER_BYTES.map(lambda b: (b"Bearer " + b).strip()),
    real_token=st.booleans(),
    on_detail=st.booleans(),
)
def test_fuzz_headers(
    fuzz_tenant: Tenant,
    version: bytes | None,
    authorization: bytes | None,
    real_token: bool,
    on_detail: bool,
) -> None:
    headers: dict[bytes, bytes] = {}
    if version is not None:
        headers[b"Version"] = version
    if real_token:
        headers[b"Authorization"] = f"Bearer {fuzz_tenant.token}".encode()
    elif authorization is not None:
        headers[b"Authorization"] = authorization
    path = f"{ORDERS_PATH}/653f5e0cde5a1314e62a837c" if on_detail else ORDERS_PATH
    _assert_answered(fuzz_tenant.http.get(f"{path}?altId={fuzz_tenant.location}", headers=headers))
