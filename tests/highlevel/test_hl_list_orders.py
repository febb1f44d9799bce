"""`GET /payments/orders` on both databases: every filter alone and combined, paging, ordering and the
query encodings the SDKs produce. Expected answers come from `hl_support.Made`, never from the server."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import Server
from tests.highlevel.hl_support import (
    DAY_MS,
    PAYMENTS,
    STATUSES,
    Made,
    Tenant,
    contact_id,
    expected_page,
    ms,
    object_id,
    page_of,
    product_id,
)

P1, P2, P3, P4 = (product_id(n) for n in (1, 2, 3, 4))
ADA = (contact_id(1), "Ada", "Lovelace", "ada+orders@example.com")
GRACE = (contact_id(2), "Grace", "Hopper", "grace@navy.example")
ALAN = (contact_id(3), "Alan", "Turing", "alan.turing@example.org")
SOURCES = ("kDj7BHej9Zyyq3QakJmz", "SrcB0000000000000002", "SrcC0000000000000003")
NAMES = ("Blue Widget", "Red Gadget", "Green Gizmo", "Blue Gizmo")
PRODUCT_SETS = ((P1,), (P2,), (P1, P3), (P4,), (P2, P4))
BASE = ms("2024-02-20T08:00:00.000Z")


def _catalogue() -> list[Made]:
    """24 orders whose attributes cycle at different rates, so every combination has a few matches."""
    made = []
    for n in range(24):
        created = BASE + (n * 17 % 24) * (DAY_MS // 2) + n * 1000
        if n in (20, 21):  # same millisecond as order 5: ties are broken by id, descending
            created = BASE + (5 * 17 % 24) * (DAY_MS // 2) + 5 * 1000
        made.append(
            Made(
                id=object_id(created, 0xA0 + n),
                created_at=created,
                name=NAMES[(n // 4) % 4],
                status=STATUSES[n % 5],
                payment=list(PAYMENTS)[(n // 3) % 5],
                live=n % 3 != 0,
                contact=(None, ADA, GRACE, ALAN)[n % 4],
                source_id=SOURCES[(n // 2) % 3],
                products=PRODUCT_SETS[(n * 7 // 3) % 5],
            )
        )
    return made


@pytest.fixture(scope="module")
def http(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        yield client


@pytest.fixture
def tenant(server: Server, http: httpx.Client) -> Tenant:
    return Tenant.create(server, http)


@pytest.fixture(scope="module")
def catalogue(server: Server, http: httpx.Client) -> tuple[Tenant, list[Made]]:
    """One location holding the 24-order catalogue, created once per backend and only ever read."""
    owner = Tenant.create(server, http)
    return owner, owner.create_orders(_catalogue())


SINGLE_FILTERS: list[dict[str, str]] = [
    {},
    *({"status": s} for s in STATUSES),
    *({"paymentStatus": s} for s in ("unpaid", "partially_paid", "paid", "refunded")),
    {"paymentMode": "live"},
    {"paymentMode": "test"},
    {"startAt": "2024-02-25"},
    {"endAt": "2024-02-25"},
    {"startAt": "2024-02-23", "endAt": "2024-02-27"},
    {"startAt": "2024-02-23T08:00:00.000Z", "endAt": "2024-02-27T20:00:00Z"},
    {"startAt": "2024-02-23T10:00:00+02:00", "endAt": "2024-02-27T22:00:00.000+02:00"},
    {"search": "gizmo"},
    {"search": "BLUE"},
    {"search": "grace hopper"},
    {"search": "example.org"},
    NO_SUCH_SEARCH := {"search": "nothing matches this"},
    *({"contactId": c[0]} for c in (ADA, GRACE, ALAN)),
    NO_SUCH_CONTACT := {"contactId": contact_id(99)},
    *({"sourceId": s} for s in SOURCES),
    {"funnelProductIds": P1},
    {"funnelProductIds": f"{P3},{P4}"},
    NO_SUCH_PRODUCT := {"funnelProductIds": product_id(77)},
    {"limit": "5"},
    {"limit": "100"},
    {"limit": "20.0"},
    {"limit": "7", "offset": "7"},
    {"offset": "20"},
    {"offset": "24"},
    {"offset": "1000"},
]

COMBINED_FILTERS: list[dict[str, str]] = [
    {"status": "completed", "paymentMode": "live"},
    {"paymentStatus": "paid", "paymentMode": "test"},
    {"paymentStatus": "unpaid", "startAt": "2024-02-22", "endAt": "2024-03-01"},
    {"search": "blue", "contactId": ADA[0]},
    {"search": "gizmo", "sourceId": SOURCES[1], "limit": "2"},
    {"funnelProductIds": f"{P1},{P2}", "status": "pending", "paymentMode": "live"},
    {"funnelProductIds": P4, "paymentStatus": "paid", "limit": "1", "offset": "1"},
    {"contactId": GRACE[0], "sourceId": SOURCES[0], "startAt": "2024-02-21T00:00:00Z"},
    {"status": "cancelled", "search": "grace"},
    {
        "status": "processing",
        "paymentStatus": "refunded",
        "paymentMode": "live",
        "startAt": "2024-02-20",
        "endAt": "2024-03-05",
        "search": "GIZMO",
        "contactId": ALAN[0],
        "funnelProductIds": f"{P1},{P2},{P3},{P4}",
        "sourceId": SOURCES[2],
        "limit": "50",
        "offset": "0",
    },
]


@pytest.mark.parametrize("query", SINGLE_FILTERS + COMBINED_FILTERS, ids=str)
def test_list_matches_the_model(catalogue: tuple[Tenant, list[Made]], query: dict[str, str]) -> None:
    owner, made = catalogue
    assert page_of(owner.list_orders(query)) == expected_page(made, query)


def test_the_catalogue_exercises_every_filter(catalogue: tuple[Tenant, list[Made]]) -> None:
    """Guards the data above: a filter that matches nothing, or everything, would prove little."""
    _, made = catalogue
    filters = [q for q in SINGLE_FILTERS + COMBINED_FILTERS if set(q) - {"limit", "offset"}]
    deliberately_empty = [NO_SUCH_SEARCH, NO_SUCH_CONTACT, NO_SUCH_PRODUCT]
    for query in filters:
        total = expected_page(made, query)[1]
        assert 0 < total < len(made) or query in deliberately_empty, query


def test_total_count_does_not_depend_on_the_page(catalogue: tuple[Tenant, list[Made]]) -> None:
    owner, made = catalogue
    seen: list[str] = []
    for offset in range(0, 30, 7):
        ids, total = page_of(owner.list_orders({"paymentMode": "live", "limit": "7", "offset": str(offset)}))
        assert total == sum(1 for o in made if o.live)
        seen += ids
    assert seen == expected_page(made, {"paymentMode": "live", "limit": "100"})[0]


def test_default_limit_is_ten_and_float_limits_are_accepted(tenant: Tenant) -> None:
    made = tenant.create_orders(
        Made(id=object_id(BASE + n * 60_000, n), created_at=BASE + n * 60_000) for n in range(13)
    )
    newest = [o.id for o in reversed(made)]
    assert page_of(tenant.list_orders()) == (newest[:10], 13)
    assert page_of(tenant.list_orders({"limit": "20.0"})) == (newest, 13)
    assert page_of(tenant.list_orders(raw="limit=12.000&offset=2.0")) == (newest[2:13], 13)
    assert page_of(tenant.list_orders({"limit": "5", "offset": "10"})) == (newest[10:], 13)


def test_newest_first_with_ties_broken_by_id_descending(tenant: Tenant) -> None:
    t = ms("2024-05-01T12:00:00.000Z")
    ordered = [  # the expected order, newest first
        Made(id=object_id(t + 1, 9), created_at=t + 1),
        Made(id=object_id(t, 0xFFFF), created_at=t),
        Made(id=object_id(t, 0xFF00), created_at=t),
        Made(id=object_id(t, 0x0001), created_at=t),
        Made(id=object_id(t - 1000, 0xFFFFFF), created_at=t - 1000),
    ]
    tenant.create_orders([ordered[i] for i in (2, 4, 0, 3, 1)])
    ids = [o.id for o in ordered]
    assert page_of(tenant.list_orders()) == (ids, 5)
    pages = [page_of(tenant.list_orders({"limit": "2", "offset": str(offset)})) for offset in (0, 2, 4)]
    assert [i for ids_, _ in pages for i in ids_] == ids
    assert {total for _, total in pages} == {5}


@pytest.fixture
def day_edges(tenant: Tenant) -> dict[str, Made]:
    edges = {
        "a": "2024-02-29T23:59:59.999Z",
        "b": "2024-03-01T00:00:00.000Z",
        "c": "2024-03-01T12:00:00.000Z",
        "d": "2024-03-02T23:59:59.999Z",
        "e": "2024-03-03T00:00:00.000Z",
    }
    return {
        key: tenant.create_order(Made(id=object_id(ms(at), n), created_at=ms(at)))
        for n, (key, at) in enumerate(edges.items())
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"startAt": "2024-03-01", "endAt": "2024-03-02"}, "bcd"),
        ({"startAt": "2024-03-01"}, "bcde"),
        ({"endAt": "2024-03-02"}, "abcd"),
        ({"startAt": "2024-03-01", "endAt": "2024-03-01"}, "bc"),
        ({"startAt": "2024-02-29", "endAt": "2024-02-29"}, "a"),
        ({"startAt": "2024-03-01T00:00:00.000Z", "endAt": "2024-03-02T23:59:59.999Z"}, "bcd"),
        ({"startAt": "2024-03-01T00:00:00.001Z"}, "cde"),
        ({"endAt": "2024-03-02T23:59:59.998Z"}, "abc"),
        ({"startAt": "2024-03-01T12:00:00.000Z", "endAt": "2024-03-01T12:00:00.000Z"}, "c"),
        ({"startAt": "2024-03-01T02:00:00+02:00", "endAt": "2024-03-03T01:59:59.999+02:00"}, "bcd"),
        ({"startAt": "2024-03-01T02:00:00.001+02:00"}, "cde"),
        ({"startAt": "2024-02-29T19:00:00-05:00", "endAt": "2024-03-02T18:59:59.999-05:00"}, "bcd"),
        ({"startAt": "2024-03-01T00:00:00", "endAt": "2024-03-01T23:00:00"}, "bc"),  # no offset: UTC
        ({"startAt": "2024-03-04"}, ""),
    ],
    ids=str,
)
def test_date_range_is_inclusive_whole_utc_days(
    tenant: Tenant, day_edges: dict[str, Made], query: dict[str, str], expected: str
) -> None:
    want = [day_edges[key].id for key in reversed(expected)]
    assert page_of(tenant.list_orders(query)) == (want, len(want))
    assert page_of(tenant.list_orders(query)) == expected_page(day_edges.values(), query)


@pytest.fixture
def searchable(tenant: Tenant) -> dict[str, Made]:
    t = ms("2024-06-01T00:00:00.000Z")
    orders = {
        "percent": Made(id=object_id(t + 5, 1), created_at=t + 5, name="100% Cotton Tee", contact=ADA),
        "under": Made(id=object_id(t + 4, 2), created_at=t + 4, name="Cotton_Tee Deluxe", contact=GRACE),
        "plain": Made(id=object_id(t + 3, 3), created_at=t + 3, name="Cotton Tee"),
        "accent": Made(id=object_id(t + 2, 4), created_at=t + 2, name="Crème Brûlée Kit", contact=ALAN),
        "slash": Made(
            id=object_id(t + 1, 5),
            created_at=t + 1,
            name="Back\\slash Bundle",
            contact=(contact_id(5), "Ünal", "Öz", "unal@example.com"),
        ),
    }
    tenant.create_orders(orders.values())
    return orders


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("cotton", ["percent", "under", "plain"]),
        ("COTTON TEE", ["percent", "plain"]),
        ("%", ["percent"]),
        ("100%", ["percent"]),
        ("_", ["under"]),
        ("n_t", ["under"]),
        ("%cotton%", []),
        ("ada lovelace", ["percent"]),  # contact first + last name
        ("LOVELACE", ["percent"]),
        ("ada+orders@", ["percent"]),  # contact email, `+` sent encoded as %2B
        ("grace@navy", ["under"]),
        ("EXAMPLE.ORG", ["accent"]),
        ("CRÈME brû", ["accent"]),
        ("ünal öz", ["slash"]),
        ("\\", ["slash"]),
        ("  tee  ", ["percent", "under", "plain"]),  # surrounding blanks are trimmed
        ("tee ada", []),  # never across two fields
    ],
    ids=str,
)
def test_search_is_a_literal_case_insensitive_substring(
    tenant: Tenant, searchable: dict[str, Made], search: str, expected: list[str]
) -> None:
    want = [searchable[key].id for key in expected]
    assert page_of(tenant.list_orders({"search": search})) == (want, len(want))
    assert page_of(tenant.list_orders({"search": search})) == expected_page(
        searchable.values(), {"search": search}
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("search=ada+lovelace", ["percent"]),
        ("search=ada%20lovelace", ["percent"]),
        ("search=cotton+tee", ["percent", "plain"]),
        ("search=ada%2Borders", ["percent"]),
        ("search=ada+orders", []),  # `+` is a space, so this is "ada orders"
        ("search=100%25", ["percent"]),
        ("search=%5F", ["under"]),
    ],
    ids=str,
)
def test_search_decodes_plus_and_percent_escapes(
    tenant: Tenant, searchable: dict[str, Made], raw: str, expected: list[str]
) -> None:
    want = [searchable[key].id for key in expected]
    assert page_of(tenant.list_orders(raw=raw)) == (want, len(want))


@pytest.fixture
def with_products(tenant: Tenant) -> dict[str, Made]:
    t = ms("2024-07-01T00:00:00.000Z")
    orders = {
        "one": Made(id=object_id(t + 5, 1), created_at=t + 5, products=(P1,)),
        "two": Made(id=object_id(t + 4, 2), created_at=t + 4, products=(P2,)),
        "one_three": Made(id=object_id(t + 3, 3), created_at=t + 3, products=(P1, P3)),
        "four": Made(id=object_id(t + 2, 4), created_at=t + 2, products=(P4,)),
        "two_twice": Made(id=object_id(t + 1, 5), created_at=t + 1, products=(P2, P2)),
    }
    tenant.create_orders(orders.values())
    return orders


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (f"funnelProductIds={P1}", ["one", "one_three"]),
        (f"funnelProductIds={P1},{P2}", ["one", "two", "one_three", "two_twice"]),
        (f"funnelProductIds={P1}%2C{P4}", ["one", "one_three", "four"]),
        (f"funnelProductIds={P1}%2c{P4}", ["one", "one_three", "four"]),
        (f"funnelProductIds={P1},+{P4}", ["one", "one_three", "four"]),
        (f"funnelProductIds={P1},{P1}", ["one", "one_three"]),
        (f"funnelProductIds={P2}&funnelProductIds={P4}", ["two", "four", "two_twice"]),
        (f"funnelProductIds[]={P2}&funnelProductIds[]={P3}", ["two", "one_three", "two_twice"]),
        (f"funnelProductIds%5B%5D={P4}", ["four"]),
        (f"funnelProductIds={P3},&funnelProductIds=", ["one_three"]),
        (f"funnelProductIds={product_id(99)}", []),
        ("funnelProductIds=", ["one", "two", "one_three", "four", "two_twice"]),
    ],
    ids=str,
)
def test_funnel_product_ids_in_every_encoding(
    tenant: Tenant, with_products: dict[str, Made], raw: str, expected: list[str]
) -> None:
    want = [with_products[key].id for key in expected]
    assert page_of(tenant.list_orders(raw=raw)) == (want, len(want))


def test_extra_alt_type_and_matching_location_id_are_accepted(tenant: Tenant) -> None:
    t = ms("2024-08-01T00:00:00.000Z")
    made = tenant.create_orders(Made(id=object_id(t + n, n), created_at=t + n) for n in range(3))
    want = ([o.id for o in reversed(made)], 3)
    assert page_of(tenant.list_orders({"altType": "location"})) == want
    assert page_of(tenant.list_orders({"locationId": tenant.location})) == want
    assert page_of(tenant.list_orders({"locationId": tenant.location, "altType": "location"})) == want
    assert page_of(tenant.list_orders(raw=f"altId={tenant.location}")) == want  # a repeated, equal altId
    assert page_of(tenant.list_orders({"unknownParameter": "x"})) == want
    # the order of the parameters does not matter, nor does a JSON content type on a GET
    reordered = tenant.http.get(
        f"/payments/orders?limit=10&altType=location&altId={tenant.location}",
        headers={**tenant.headers(), "Content-Type": "application/json"},
    )
    assert page_of(reordered) == want
