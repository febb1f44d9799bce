"""NDJSON import: both formats, every rejection reason with its line number, and round trips."""

from __future__ import annotations

import copy
import time
from typing import Any

import msgspec
import pytest

from ordergate.domain.building import NewOrder
from ordergate.domain.errors import Invalid
from ordergate.domain.order import (
    FulfillmentStatus,
    Order,
    OrderStatus,
    PaymentStatus,
    PriceType,
    RecurringInterval,
    SourceSubType,
    SourceType,
)
from ordergate.highlevel.render import order_detail
from ordergate.importing import ImportProblem, parse_ndjson, partial_fulfillment
from ordergate.seeding import generate_orders, location_ids

SEED = 7
LOCATION = "Z4Bxl8J4SaPEPLq9IQ8g"


def line(data: dict[str, Any]) -> str:
    return msgspec.json.encode(data).decode()


def as_new_order(order: Order) -> NewOrder:
    data = msgspec.to_builtins(order)
    totals = data.pop("totals")
    del totals["subtotal"]
    return msgspec.convert({**data, **totals}, NewOrder)


def problem(lines: list[str], fmt: Any, location_id: str = LOCATION) -> ImportProblem:
    with pytest.raises(ImportProblem) as caught:
        parse_ndjson(lines, location_id, fmt)
    return caught.value


# A HighLevel order modelled on the OrderStatusUpdate webhook example: camelCase, extra keys everywhere,
# items without `_id`, a contact snapshot with keys ordergate does not keep.
WEBHOOK_ORDER: dict[str, Any] = {
    "type": "OrderStatusUpdate",
    "locationId": LOCATION,
    "_id": "660ed43bfdf9fc05a0de7a40",
    "altId": LOCATION,
    "altType": "location",
    "status": "completed",
    "taxSummary": [{"_id": "63770f5cecf298787c752075", "name": "10%", "rate": 10, "amount": 12.1}],
    "fulfillmentStatus": "unfulfilled",
    "contactId": "ff2JstbQJfRuofXzeT0M",
    "currency": "USD",
    "amount": 150.1,
    "liveMode": False,
    "amountSummary": {"subtotal": 138, "discount": 0, "tax": 12.1, "shipping": 0},
    "source": {
        "type": "website",
        "subType": "store",
        "id": "nohc1pPZJlpZTpxJfLCp",
        "name": "Ecom Store",
        "meta": {"pageId": "IoJJMciJZIRBSzGZcjl4", "domain": "shop.example.com", "pageUrl": "/checkout"},
    },
    "createdAt": "2024-04-04T16:24:27.036Z",
    "updatedAt": "2024-04-04T16:24:31.297Z",
    "contactSnapshot": {
        "id": "ff2JstbQJfRuofXzeT0M",
        "locationId": LOCATION,
        "firstName": "Maxwell",
        "lastName": "Schmidt",
        "email": "maxwell@example.com",
        "phone": "+2389372075506",
        "dnd": False,
        "tags": [],
        "city": "Praia",
        "postalCode": "61131",
        "country": "CV",
        "dateAdded": "2024-04-04T16:24:21.375Z",
    },
    "items": [
        {
            "name": "Men's classic tee - XL / Charcoal",
            "qty": 1,
            "product": {
                "_id": "660ed1ff95e1dc88d5b0d346",
                "name": "Men's classic tee",
                "availableInStore": True,
                "taxes": [],
                "variants": [{"id": "6xcxyf3ufjm", "name": "Size", "options": [{"id": "x", "name": "XL"}]}],
            },
            "price": {
                "_id": "660ed20095e1dcd37bb0d392",
                "name": "XL / Charcoal",
                "type": "one_time",
                "currency": "USD",
                "amount": 17,
                "variantOptionIds": ["100p40ngait", "yj1jw5ga5bk"],
            },
        },
        {
            "name": "Tshirt - Green / S",
            "qty": 1,
            "product": {
                "_id": "64f84dea1e2c5ae21f0714dd",
                "name": "Tshirt",
                "taxes": [{"_id": "t", "rate": 10}],
            },
            "price": {
                "_id": "64f84dec1e2c5ae21f0714e1",
                "name": "Green / S",
                "type": "one_time",
                "amount": 121,
            },
        },
    ],
}


def webhook_order(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(WEBHOOK_ORDER)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def import_one(data: dict[str, Any], location_id: str = LOCATION) -> Order:
    (order,) = parse_ndjson([line(data)], location_id, "highlevel")
    return order


# --- canonical -------------------------------------------------------------------------------------------


def test_canonical_round_trip_is_exact() -> None:
    loc = location_ids(1, SEED)[0]
    orders = list(generate_orders(loc, 300, SEED))
    lines = [msgspec.json.encode(as_new_order(o)) + b"\n" for o in orders]  # bytes, with newlines
    imported = parse_ndjson(lines, loc, "canonical")
    assert [msgspec.json.encode(o) for o in imported] == [msgspec.json.encode(o) for o in orders]


def test_canonical_fills_what_the_server_derives() -> None:
    minimal = {
        "items": [
            {
                "name": "Mug",
                "quantity": 2,
                "product": {"id": "p1", "name": "Mug"},
                "price": {"id": "pr1", "name": "Mug", "type": "one_time", "amount": 1250},
            }
        ],
        "amount_paid": 2500,
    }
    (order,) = parse_ndjson([line(minimal)], LOCATION, "canonical")
    assert order.location_id == LOCATION
    assert order.totals.subtotal == 2500
    assert order.payment_status is PaymentStatus.PAID
    assert order.name == "Mug"
    assert order.currency == "USD"


CANONICAL_OK = line(
    {
        "id": "653f5e0cde5a1314e62a837c",
        "items": [
            {
                "name": "Mug",
                "quantity": 1,
                "product": {"id": "p1", "name": "Mug"},
                "price": {"id": "pr1", "name": "Mug", "type": "one_time", "amount": 1250},
            }
        ],
    }
)


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ('{"items": [', "invalid JSON: Input data was truncated"),
        ("{'items': []}", "invalid JSON: JSON is malformed"),
        ('{"items": [], "colour": "red"}', "Object contains unknown field `colour`"),
        (
            CANONICAL_OK.replace('"quantity":1', '"quantity":"1"'),
            "Expected `int`, got `str` - at `$.items[0].quantity`",
        ),
        (
            CANONICAL_OK.replace('"one_time"', '"monthly"'),
            "Invalid enum value 'monthly' - at `$.items[0].price.type`",
        ),
        ('{"currency": "USD"}', "Object missing required field `items`"),
        ("[1, 2]", "Expected `object`, got `array`"),
        (
            CANONICAL_OK.replace("}]}", '}], "amount_paid": 5000, "discount": -1}'),
            "discount must not be negative; amount_paid must not exceed the order total",
        ),
        (
            CANONICAL_OK.replace("}]}", '}], "location_id": "otherLocation0000000"}'),
            "location_id 'otherLocation0000000' does not match the target location",
        ),
        (
            CANONICAL_OK.replace("}]}", '}], "currency": "usd"}'),
            "currency must be an ISO 4217 code, got 'usd'",
        ),
        (
            CANONICAL_OK.replace('"quantity":1', '"quantity":1,"fulfilled_quantity":2'),
            "items[0].fulfilled_quantity must be between 0 and quantity",
        ),
    ],
)
def test_canonical_rejections_name_the_line_and_reason(bad: str, reason: str) -> None:
    lines = [CANONICAL_OK.replace("7c", "7d"), "", "   ", bad, "not even looked at"]
    caught = problem(lines, "canonical")
    assert caught.line_number == 4  # blank lines are skipped but counted
    assert reason in caught.reason
    assert caught.problems == [f"line 4: {caught.reason}"]
    assert isinstance(caught, Invalid)


def test_a_repeated_order_id_is_refused() -> None:
    caught = problem([CANONICAL_OK, CANONICAL_OK], "canonical")
    assert (caught.line_number, caught.reason) == (
        2,
        "duplicate order id 653f5e0cde5a1314e62a837c (first on line 1)",
    )


def test_blank_lines_a_byte_order_mark_and_bytes_are_fine() -> None:
    lines: list[str | bytes] = ["\ufeff" + CANONICAL_OK, "", b"\n", b"  \r\n"]
    assert len(parse_ndjson(lines, LOCATION, "canonical")) == 1
    assert parse_ndjson([], LOCATION, "canonical") == []


def test_an_unknown_format_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown import format"):
        parse_ndjson([], LOCATION, "csv")  # type: ignore[arg-type]


# --- highlevel: a realistic export line ------------------------------------------------------------------


def test_a_webhook_shaped_order_imports() -> None:
    order = import_one(WEBHOOK_ORDER)
    assert order.id == "660ed43bfdf9fc05a0de7a40"
    assert order.location_id == LOCATION
    assert (order.totals.subtotal, order.totals.tax, order.total) == (13_800, 1_210, 15_010)
    assert order.status is OrderStatus.COMPLETED
    assert order.payment_status is PaymentStatus.PAID  # completed, no paymentStatus: assumed paid
    assert order.amount_paid == 15_010
    assert order.fully_paid_at == order.updated_at
    assert order.fulfillment_status is FulfillmentStatus.UNFULFILLED
    assert order.live_mode is False
    assert order.created_at == 1_712_247_867_036
    assert order.updated_at == 1_712_247_871_297
    assert order.source.type is SourceType.WEBSITE
    assert order.source.sub_type is SourceSubType.STORE
    assert order.source.meta["pageUrl"] == "/checkout"
    assert order.contact is not None
    assert (order.contact.id, order.contact.name, order.contact.postal_code) == (
        "ff2JstbQJfRuofXzeT0M",
        "Maxwell Schmidt",
        "61131",
    )
    assert [(i.name, i.quantity, i.price.amount, i.product.id) for i in order.items] == [
        ("Men's classic tee - XL / Charcoal", 1, 1_700, "660ed1ff95e1dc88d5b0d346"),
        ("Tshirt - Green / S", 1, 12_100, "64f84dea1e2c5ae21f0714dd"),
    ]
    assert order.name == "Men's classic tee - XL / Charcoal, Tshirt - Green / S"


def test_missing_ids_are_derived_the_same_way_every_time() -> None:
    first, second = import_one(WEBHOOK_ORDER), import_one(WEBHOOK_ORDER)
    assert msgspec.json.encode(first) == msgspec.json.encode(second)
    item_ids = [item.id for item in first.items]
    assert all(i.startswith("660ed43b") and len(i) == 24 for i in item_ids)
    assert len(set(item_ids)) == 2


def test_spec_quirks_numbers_and_booleans_as_strings() -> None:
    data = webhook_order(
        amount="150.1",
        liveMode="false",
        amountSummary={"subtotal": "138", "discount": "0", "tax": "12.1", "shipping": "0"},
    )
    data["items"][0]["qty"] = "1"
    data["items"][0]["price"]["amount"] = "17"
    order = import_one(data)
    assert order.total == 15_010
    assert order.live_mode is False
    assert order.items[0].quantity == 1


def test_snake_case_contact_snapshot_and_a_single_name() -> None:
    snake = webhook_order(
        contactSnapshot={"id": "ff2JstbQJfRuofXzeT0M", "first_name": "Rogan", "company_name": "Jordan"}
    )
    contact = import_one(snake).contact
    assert contact is not None
    assert (contact.first_name, contact.company_name) == ("Rogan", "Jordan")
    named = webhook_order(contactSnapshot={"name": "James Bond"})
    contact = import_one(named).contact
    assert contact is not None
    assert (contact.id, contact.first_name, contact.last_name) == ("ff2JstbQJfRuofXzeT0M", "James", "Bond")
    assert import_one(webhook_order(contactSnapshot=None, contactId=None)).contact is None


def test_timestamps_default_to_the_object_id_second() -> None:
    order = import_one(webhook_order(createdAt=None, updatedAt=None))
    assert order.created_at == order.updated_at == 0x660ED43B * 1000


def test_mark_as_test_stands_in_for_a_missing_live_mode() -> None:
    assert import_one(webhook_order(liveMode=None, markAsTest=True)).live_mode is False
    assert import_one(webhook_order(liveMode=None)).live_mode is True


def test_tax_provider_as_a_name_or_an_object() -> None:
    assert import_one(webhook_order(taxCalculationProvider="taxjar")).tax_calculation_provider == "taxjar"
    named = webhook_order(taxCalculationProvider={"name": "avalara"})
    assert import_one(named).tax_calculation_provider == "avalara"


def test_recurring_prices_and_coupons() -> None:
    data = webhook_order(coupon={"code": "FEST10"}, amount=None)
    data["items"][1]["price"].update(type="recurring", recurring={"interval": "month", "intervalCount": "3"})
    data["items"][0]["price"]["compareAtPrice"] = 20
    order = import_one(data)
    price = order.items[1].price
    assert price.type is PriceType.RECURRING
    assert price.recurring is not None
    assert (price.recurring.interval, price.recurring.interval_count) == (RecurringInterval.MONTH, 3)
    assert order.items[0].price.compare_at == 2_000
    assert order.coupon is not None
    assert order.coupon.code == "FEST10"
    assert len(order.coupon.id) == 24


def test_payment_status_and_extension_amounts() -> None:
    def paid(**changes: Any) -> tuple[int, int, PaymentStatus]:
        order = import_one(webhook_order(**changes))
        return order.amount_paid, order.amount_refunded, order.payment_status

    assert paid(paymentStatus="unpaid") == (0, 0, PaymentStatus.UNPAID)
    assert paid(status="pending") == (0, 0, PaymentStatus.UNPAID)
    assert paid(paymentStatus="paid") == (15_010, 0, PaymentStatus.PAID)
    assert paid(paymentStatus="refunded") == (15_010, 15_010, PaymentStatus.REFUNDED)
    assert paid(paymentStatus="partially_paid") == (7_505, 0, PaymentStatus.PARTIALLY_PAID)
    assert paid(paymentStatus="partially_paid", amountPaid=50) == (5_000, 0, PaymentStatus.PARTIALLY_PAID)
    assert paid(paymentStatus="paid", amountRefunded="10.5") == (15_010, 1_050, PaymentStatus.PAID)
    assert paid(status="pending", amountPaid=20) == (2_000, 0, PaymentStatus.PARTIALLY_PAID)


def test_fulfillment_status_sets_fulfilled_quantities() -> None:
    data = webhook_order(fulfillmentStatus="partially_fulfilled")
    data["items"][0]["qty"] = 2
    data["amount"] = 167.1
    data["amountSummary"]["subtotal"] = 155
    order = import_one(data)
    assert [i.fulfilled_quantity for i in order.items] == [2, 0] == partial_fulfillment([2, 1])
    assert order.fulfillment_status is FulfillmentStatus.PARTIALLY_FULFILLED
    order = import_one(webhook_order(fulfillmentStatus="fulfilled"))
    assert [i.fulfilled_quantity for i in order.items] == [1, 1]
    assert partial_fulfillment([3]) == [2]


def test_an_export_without_items_gets_a_stand_in_item() -> None:
    order = import_one(webhook_order(items=None))
    (item,) = order.items
    assert item.name == "Order 660ed43bfdf9fc05a0de7a40"
    assert item.quantity == 1
    assert item.price.amount == order.totals.subtotal == 13_800
    assert order.total == 15_010
    assert msgspec.json.encode(import_one(webhook_order(items=None))) == msgspec.json.encode(order)
    bare = import_one(webhook_order(items=[], amountSummary=None, name="Consulting"))
    assert bare.total == 15_010
    assert bare.items[0].name == "Consulting" == bare.name


# --- highlevel: rejections -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        (
            {"altId": "3SwdhCu3svxI8AKsPJt6"},
            f"altId '3SwdhCu3svxI8AKsPJt6' is not the target location '{LOCATION}'",
        ),
        ({"currency": "XYZ"}, "currency must be an ISO 4217 code, got 'XYZ'"),
        (
            {"amount": 151.1},
            "amount 151.1 does not match the total 150.1 (subtotal - discount + tax + shipping)",
        ),
        ({"amount": "NaN"}, "amount must be a number, got NaN"),
        ({"_id": "660ED43BFDF9FC05A0DE7A40"}, "_id must be 24 lowercase hexadecimal characters"),
        ({"_id": None}, "Object missing required field `_id`"),
        ({"status": "shipped"}, "Invalid enum value 'shipped' - at `$.status`"),
        ({"liveMode": "maybe"}, "Expected `bool | null`, got `str` - at `$.liveMode`"),
        ({"createdAt": "yesterday"}, "createdAt must be an ISO 8601 timestamp, got 'yesterday'"),
        ({"updatedAt": "2024-04-03T00:00:00Z"}, "updated_at must not precede it"),
        ({"updatedAt": "later"}, "updatedAt must be an ISO 8601 timestamp, got 'later'"),
        (
            {"amountSummary": {"subtotal": 138, "discount": 200}, "amount": None},
            "the discounts exceed the order's value",
        ),
        (
            {"amountSummary": {"subtotal": 140, "tax": 12.1}},
            "amountSummary.subtotal 140 is not the sum of the items' price x qty (138)",
        ),
        (
            {"amountSummary": {"subtotal": 138, "tax": 12.123}},
            "amountSummary.tax: amount 12.123 has more than 2",
        ),
        (
            {"amountSummary": {"subtotal": 138, "discount": -5}, "amount": None},
            "discount must not be negative",
        ),
        (
            {"paymentStatus": "paid", "amountPaid": 100},
            "paymentStatus 'paid' disagrees with the amounts: "
            "100 paid and 0 refunded of 150.1 is 'partially_paid'",
        ),
        ({"paymentStatus": "settled"}, "Invalid enum value 'settled' - at `$.paymentStatus`"),
        ({"amountPaid": 200}, "amount_paid must not exceed the order total"),
        (
            {"contactId": "someoneElse123456789"},
            "contactSnapshot.id 'ff2JstbQJfRuofXzeT0M' differs from contactId",
        ),
        ({"contactSnapshot": {"id": "short"}, "contactId": None}, "contact.id must be 20 letters or digits"),
        (
            {"contactSnapshot": {"phone": 2389372075506}},
            "contactSnapshot.phone must be a string, got 2389372075506",
        ),
        (
            {"source": {"type": "carrier_pigeon", "id": "x"}},
            "Invalid enum value 'carrier_pigeon' - at `$.source.type`",
        ),
        ({"items": None, "amountSummary": None, "amount": None}, "items is missing, and neither"),
        ({"items": [{"name": "Tee", "qty": 1}]}, "Object missing required field `price` - at `$.items[0]`"),
    ],
)
def test_highlevel_rejections_name_the_line_and_reason(changes: dict[str, Any], reason: str) -> None:
    good = webhook_order(_id="660ed43bfdf9fc05a0de7a41")
    caught = problem([line(good), "", line(webhook_order(**changes))], "highlevel")
    assert caught.line_number == 3
    assert reason in caught.reason


@pytest.mark.parametrize(
    ("path", "value", "reason"),
    [
        (("items", 0, "qty"), 1.5, "Expected `int`, got `float` - at `$.items[0].qty`"),
        (("items", 0, "qty"), 0, "items[0].quantity must be at least 1"),
        (
            ("items", 0, "price", "amount"),
            17.001,
            "items[0].price.amount: amount 17.001 has more than 2 decimal",
        ),
        (
            ("items", 1, "price", "currency"),
            "EUR",
            "items[1].price.currency 'EUR' differs from the order currency",
        ),
        (("items", 0, "_id"), "not-an-id", "items[0].id must be 24 lowercase hexadecimal characters"),
        (("items", 0, "price", "recurring"), {"interval": "fortnight"}, "Invalid enum value 'fortnight'"),
        (("fulfillmentStatus",), "partially_fulfilled", "'partially_fulfilled' needs at least two units"),
    ],
)
def test_highlevel_item_rejections(path: tuple[Any, ...], value: Any, reason: str) -> None:
    data = webhook_order()
    if path == ("fulfillmentStatus",):
        data["items"] = data["items"][:1]
        data["amountSummary"] = {"subtotal": 17}
        data["amount"] = 17
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    caught = problem([line(data)], "highlevel")
    assert caught.line_number == 1
    assert reason in caught.reason


def test_highlevel_json_syntax_error() -> None:
    caught = problem([line(WEBHOOK_ORDER), '{"_id": "660ed43bfdf9fc05a0de7a41",'], "highlevel")
    assert caught.line_number == 2
    assert caught.reason.startswith("invalid JSON: ")


def test_highlevel_reports_every_problem_of_the_line() -> None:
    caught = problem([line(webhook_order(altId="3SwdhCu3svxI8AKsPJt6", createdAt="soon"))], "highlevel")
    assert "altId" in caught.reason
    assert "createdAt" in caught.reason
    assert "; " in caught.reason


# --- highlevel: round trip through the renderer ----------------------------------------------------------


def test_seeded_orders_survive_render_and_reimport() -> None:
    """Everything `GET /payments/orders/{id}` carries comes back unchanged; the rest (order number, external
    reference, addresses, when it was fully paid, how a shipping discount split) is not on the wire."""
    loc = location_ids(1, SEED)[0]
    orders = list(generate_orders(loc, 400, SEED))
    bodies = [order_detail(o) for o in orders]
    imported = parse_ndjson([line(body) for body in bodies], loc, "highlevel")
    carried = [
        "id",
        "location_id",
        "name",
        "currency",
        "status",
        "live_mode",
        "created_at",
        "updated_at",
        "contact",
        "source",
        "coupon",
        "tracking_id",
        "fingerprint",
        "trace_id",
        "created_by",
        "meta",
        "automatic_taxes_calculated",
        "tax_calculation_provider",
        "items",
        "amount_refunded",
        "total",
        "payment_status",
        "fulfillment_status",
    ]
    for original, back, body in zip(orders, imported, bodies, strict=True):
        for field in carried:
            assert getattr(back, field) == getattr(original, field), (original.id, field)
        for field in ("subtotal", "discount", "tax"):
            assert getattr(back.totals, field) == getattr(original.totals, field), (original.id, field)
        net_shipping = original.totals.shipping - original.totals.shipping_discount
        assert back.totals.shipping == net_shipping
        if "amountPaid" in body or original.payment_status is not PaymentStatus.PARTIALLY_PAID:
            assert back.amount_paid == original.amount_paid, original.id


def test_import_speed(capsys: pytest.CaptureFixture[str]) -> None:
    loc = location_ids(1, SEED)[0]
    orders = list(generate_orders(loc, 5_000, SEED))
    canonical = [msgspec.json.encode(as_new_order(o)) for o in orders]
    highlevel = [msgspec.json.encode(order_detail(o)) for o in orders]
    report = []
    for fmt, lines in (("canonical", canonical), ("highlevel", highlevel)):
        start = time.perf_counter()
        parse_ndjson(lines, loc, fmt)  # type: ignore[arg-type]
        elapsed = time.perf_counter() - start
        report.append(f"{fmt} {len(lines) / elapsed:,.0f} orders/s")
    with capsys.disabled():
        print(f"\nimport parse: {', '.join(report)}")
