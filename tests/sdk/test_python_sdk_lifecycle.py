"""An order's life through the official Python SDK (PyPI `gohighlevel-api-client`, module `highlevel`).

Covers the write and history routes: `record_order_payment(order_id, request_body)`,
`create_order_fulfillment(order_id, request_body)`, `list_order_fulfillment(alt_id, alt_type, order_id)`,
`list_order_notes(alt_id, alt_type, order_id)`, `list_transactions(alt_id, alt_type, ...)` and
`get_transaction_by_id(transaction_id, alt_id, alt_type)`. The SDK is used unchanged (research 2.2): it
sends `Version: v3`, bodies as JSON, `limit`/`offset` as floats (`limit=20.0`), and raises one `GHLError`
for every status >= 400. Orders are created through the admin API; everything after that goes through the
SDK, and every state change is read back through it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from highlevel import GHLError

from tests.conftest import Server
from tests.sdk.sdk_support import (
    ALL_SCOPES,
    FUNNEL_ID,
    INVOICE_ID,
    JANE,
    JANE_CONTACT,
    MISSING_ID,
    NO_COLLECT_SCOPES,
    POS_ID,
    SITE_ID,
    TOM,
    TOM_CONTACT,
    PythonSdkWorld,
    Sdk,
    create_orders,
    item,
    label,
    ms,
    new_location,
    price_id,
    states,
)

PROD_LAMP = "67ff6a71b077f712a5f73001"
PROD_SHADE = "67ff6a71b077f712a5f73002"
PROD_TEA = "67ff6a71b077f712a5f73003"
PROD_KETTLE = "67ff6a71b077f712a5f73004"
PROD_CUPS = "67ff6a71b077f712a5f73005"
PROD_MATCHA = "67ff6a71b077f712a5f73006"
CASH_NOTES = "Deposit, paid at the counter"
FAIR_NOTES = "Deposit at the Leeds & York, Ltd fair"


def _lamp_order() -> dict[str, Any]:
    """3 x 20.00 lamps + 1 x 15.00 shade + 5.00 shipping = 80.00 USD, unpaid, nothing shipped."""
    return {
        "items": [item("Desk lamp", 3, PROD_LAMP, 2000), item("Lamp shade", 1, PROD_SHADE, 1500)],
        "currency": "USD",
        "status": "pending",
        "shipping": 500,
        "contact": JANE_CONTACT,
        "source": {"type": "website", "id": SITE_ID},
    }


def _ledger_orders() -> dict[str, dict[str, Any]]:
    """Orders whose transactions the filters are checked against; amounts in minor units. Paid orders
    arrive with an opening transaction dated when they were paid (their creation time here)."""
    return {
        # 30.00 USD, paid on 10 Jan 2024
        "tea": {
            "items": [item("Sencha tea", 1, PROD_TEA, 3000)],
            "status": "completed",
            "contact": JANE_CONTACT,
            "source": {"type": "funnel", "id": FUNNEL_ID, "sub_type": "one_step_order_form"},
            "created_at": ms("2024-01-10T09:00:00+00:00"),
            "amount_paid": 3000,
        },
        # 45.00 USD, paid on 20 Feb 2024, test mode
        "kettle": {
            "items": [item("Kettle", 1, PROD_KETTLE, 4500)],
            "status": "completed",
            "contact": TOM_CONTACT,
            "source": {"type": "website", "id": SITE_ID},
            "created_at": ms("2024-02-20T15:30:00+00:00"),
            "amount_paid": 4500,
            "live_mode": False,
        },
        # 12.00 USD, unpaid: the fixture pays it through the SDK (5.00 cash, then 7.00 by cheque)
        "cups": {
            "items": [item("Tea cups", 4, PROD_CUPS, 300)],
            "status": "pending",
            "contact": JANE_CONTACT,
            "source": {"type": "invoice", "id": INVOICE_ID},
            "created_at": ms("2024-03-05T12:00:00+00:00"),
        },
        # 1500 JPY, paid on 15 Mar 2024, no contact
        "matcha": {
            "items": [item("Matcha tin", 1, PROD_MATCHA, 1500)],
            "currency": "JPY",
            "status": "completed",
            "source": {"type": "point_of_sale", "id": POS_ID},
            "created_at": ms("2024-03-15T09:00:00+00:00"),
            "amount_paid": 1500,
        },
    }


@dataclass
class World(PythonSdkWorld):
    no_collect_token: str  # everything but payments/orders.collectPayment
    orders_readonly_token: str
    transactions_only_token: str
    ledger_location: str
    ledger_token: str
    ledger: dict[str, str]  # key -> order id

    def new_order(self, **changes: Any) -> str:
        """A fresh 80.00 USD lamp order in `location`, so that no test sees another's changes."""
        return str(self.server.create_order(self.location, {**_lamp_order(), **changes})["id"])


@pytest.fixture(scope="module")
async def world(server: Server) -> World:
    location, token, no_collect_token, orders_readonly_token, transactions_only_token = new_location(
        server,
        "Python SDK lifecycle",
        ALL_SCOPES,
        NO_COLLECT_SCOPES,
        ["payments/orders.readonly"],
        ["payments/transactions.readonly"],
    )
    ledger_location, ledger_token = new_location(server, "Python SDK ledger", ALL_SCOPES)
    built = World(
        server=server,
        location=location,
        foreign_location=server.new_location("Someone else"),
        token=token,
        no_collect_token=no_collect_token,
        orders_readonly_token=orders_readonly_token,
        transactions_only_token=transactions_only_token,
        ledger_location=ledger_location,
        ledger_token=ledger_token,
        ledger=create_orders(server, ledger_location, _ledger_orders()),
    )
    owner = {"altId": ledger_location, "altType": "location"}
    async with built.connect(built.ledger_token) as sdk:
        deposit = {**owner, "mode": "cash", "amount": 5, "isPartialPayment": True, "notes": FAIR_NOTES}
        rest = {**owner, "mode": "cheque", "cheque": {"number": "129-129-129-912"}}
        for body in (deposit, rest):
            assert await sdk.payments.record_order_payment(built.ledger["cups"], body) == {"success": True}
    return built


async def _order(sdk: Sdk, world: World, order_id: str) -> dict[str, Any]:
    order: dict[str, Any] = await sdk.payments.get_order_by_id(order_id=order_id, alt_id=world.location)
    return order


async def test_an_order_paid_in_two_parts_and_shipped_in_two(world: World) -> None:
    order_id = world.new_order()
    loc = world.location
    async with world.connect() as sdk:
        payments = sdk.payments
        created = await _order(sdk, world, order_id)
        deposit = await payments.record_order_payment(
            order_id,
            world.body(mode="cash", amount=32.5, isPartialPayment=True, notes=CASH_NOTES),
        )
        part_paid = await _order(sdk, world, order_id)
        rest = await payments.record_order_payment(
            order_id=order_id,
            request_body=world.body(
                mode="card", card={"type": "visa", "last4": "4242"}, meta={"terminal": "front-desk"}
            ),
        )
        paid = await _order(sdk, world, order_id)
        first = await payments.create_order_fulfillment(
            order_id,
            world.body(
                trackings=[
                    {
                        "trackingNumber": "1Z999AA10123456784",
                        "shippingCarrier": "UPS",
                        "trackingUrl": "https://www.ups.com/track?tracknum=1Z999AA10123456784",
                    }
                ],
                items=[{"priceId": price_id(PROD_LAMP), "qty": 2}],
                notifyCustomer=True,
            ),
        )
        part_shipped = await _order(sdk, world, order_id)
        second = await payments.create_order_fulfillment(
            order_id=order_id,
            request_body=world.body(
                trackings=[],
                items=[
                    {"priceId": price_id(PROD_SHADE), "qty": 1},
                    {"priceId": price_id(PROD_LAMP), "qty": 1},
                ],
                notifyCustomer=False,
            ),
        )
        done = await _order(sdk, world, order_id)
        fulfillments = await payments.list_order_fulfillment(
            alt_id=loc, alt_type="location", order_id=order_id
        )
        notes = await payments.list_order_notes(alt_id=loc, alt_type="location", order_id=order_id)
        listed = await payments.list_transactions(
            alt_id=loc, alt_type="location", entity_id=order_id, limit=20.0, offset=0.0
        )
        details = [
            await payments.get_transaction_by_id(transaction_id=t["_id"], alt_id=loc, alt_type="location")
            for t in listed["data"]
        ]
        sent = list(sdk.sent)

    # The order, read back through get_order_by_id after every step.
    assert created["amount"] == 80
    assert states(created) == ("pending", "unpaid", "unfulfilled")
    assert deposit == {"success": True}
    assert states(part_paid)[1:] == ("partially_paid", "unfulfilled")
    assert rest == {"success": True}
    assert states(paid) == ("completed", "paid", "unfulfilled")
    assert states(part_shipped) == ("completed", "paid", "partially_fulfilled")
    assert states(done) == ("completed", "paid", "fulfilled")

    # The fulfillments, as created and as listed.
    assert first["status"] is True
    shipped = first["data"]
    assert (shipped["altId"], shipped["altType"]) == (loc, "location")
    assert shipped["trackings"] == [
        {
            "trackingNumber": "1Z999AA10123456784",
            "shippingCarrier": "UPS",
            "trackingUrl": "https://www.ups.com/track?tracknum=1Z999AA10123456784",
        }
    ]
    (line,) = shipped["items"]
    assert (line["name"], line["qty"]) == ("Desk lamp", 2)
    assert line["product"]["_id"] == PROD_LAMP
    assert (line["price"]["_id"], line["price"]["amount"]) == (price_id(PROD_LAMP), 20)
    assert line["_id"] == created["items"][0]["_id"]
    assert second["status"] is True
    assert sorted((i["name"], i["qty"]) for i in second["data"]["items"]) == [
        ("Desk lamp", 1),
        ("Lamp shade", 1),
    ]
    assert second["data"]["trackings"] == []

    assert fulfillments["status"] is True
    assert [f["_id"] for f in fulfillments["data"]] == [shipped["_id"], second["data"]["_id"]]
    assert fulfillments["data"][0] == shipped
    shipped_per_item: dict[str, int] = {}
    for fulfillment in fulfillments["data"]:
        for entry in fulfillment["items"]:
            shipped_per_item[entry["name"]] = shipped_per_item.get(entry["name"], 0) + entry["qty"]
    assert shipped_per_item == {"Desk lamp": 3, "Lamp shade": 1}

    # The timeline, oldest first.
    assert notes["status"] is True
    timeline = notes["data"]
    assert [(n["type"], n["text"]) for n in timeline] == [
        ("order_created", "Order created for $80.00"),
        ("payment_recorded", "Partial payment of $32.50 recorded (cash)"),
        ("payment_recorded", "Payment of $47.50 recorded (card)"),
        ("status_changed", "Order status changed from pending to completed"),
        (
            "fulfillment_created",
            "Fulfilled 2 items; order is partially_fulfilled (tracking 1Z999AA10123456784)",
        ),
        ("fulfillment_created", "Fulfilled 2 items; order is fulfilled"),
    ]
    assert {(n["orderId"], n["altId"], n["altType"]) for n in timeline} == {(order_id, loc, "location")}
    assert [n["createdAt"] for n in timeline] == sorted(n["createdAt"] for n in timeline)
    assert [n["meta"]["fulfillmentId"] for n in timeline[4:]] == [f["_id"] for f in fulfillments["data"]]

    # The transactions, newest first: together they are the order's total.
    assert listed["totalCount"] == 2
    card, cash = listed["data"]
    assert [n["meta"]["transactionId"] for n in timeline[1:3]] == [cash["_id"], card["_id"]]
    assert [n["meta"]["amount"] for n in timeline[1:3]] == [32.5, 47.5]
    assert (cash["amount"], card["amount"]) == (32.5, 47.5)
    assert sum(t["amount"] for t in listed["data"]) == done["amount"] == 80
    for transaction in listed["data"]:
        assert (transaction["entityId"], transaction["entityType"]) == (order_id, "order")
        assert (transaction["altId"], transaction["altType"]) == (loc, "location")
        assert (transaction["status"], transaction["currency"], transaction["liveMode"]) == (
            "succeeded",
            "USD",
            True,
        )
        assert (transaction["contactId"], transaction["contactName"]) == (JANE, "Jane Doe")
        assert (transaction["entitySourceType"], transaction["entitySourceId"]) == ("website", SITE_ID)
        assert transaction["amountRefunded"] == 0
    assert cash["paymentMethod"] == {"type": "cash"}
    assert card["paymentMethod"] == {"card": {"brand": "visa", "last4": "4242"}}

    card_detail, cash_detail = details
    assert [d["_id"] for d in details] == [card["_id"], cash["_id"]]
    assert (cash_detail["amount"], cash_detail["notes"]) == (32.5, CASH_NOTES)
    assert (card_detail["amount"], card_detail["meta"]) == (47.5, {"terminal": "front-desk"})
    assert card_detail["paymentMethod"] == {"card": {"brand": "visa", "last4": "4242"}}
    for detail in details:
        assert (detail["entityId"], detail["entityType"]) == (order_id, "order")
        assert detail["entitySource"] == {"type": "website", "id": SITE_ID}
        assert detail["contactSnapshot"]["email"] == "jane.doe@example.com"
        assert (detail["altId"], detail["altType"], detail["markAsTest"]) == (loc, "location", False)

    # What the SDK put on the wire.
    posts = [r for r in sent if r.method == "POST"]
    assert [r.url.path for r in posts] == [
        f"/payments/orders/{order_id}/record-payment",
        f"/payments/orders/{order_id}/record-payment",
        f"/payments/orders/{order_id}/fulfillments",
        f"/payments/orders/{order_id}/fulfillments",
    ]
    assert json.loads(posts[0].content) == world.body(
        mode="cash", amount=32.5, isPartialPayment=True, notes=CASH_NOTES
    )
    assert {r.headers["Version"] for r in sent} == {"v3"}
    assert {r.headers["Content-Type"] for r in posts} == {"application/json"}
    listing = next(r for r in sent if r.url.path == "/payments/transactions")
    assert listing.url.params["altType"] == "location"
    assert (listing.url.params["limit"], listing.url.params["offset"]) == ("20.0", "0.0")


# Newest first: the two cups payments were recorded just now, the rest are dated when they were paid.
ALL_TRANSACTIONS = ("cups:7", "cups:5", "matcha:1500", "kettle:45", "tea:30")

FILTERS: list[tuple[str, dict[str, Any], tuple[str, ...]]] = [
    ("all", {}, ALL_TRANSACTIONS),
    ("entity", {"entity_id": "cups"}, ("cups:7", "cups:5")),
    ("contact", {"contact_id": JANE}, ("cups:7", "cups:5", "tea:30")),
    ("mode-test", {"payment_mode": "test"}, ("kettle:45",)),
    ("mode-live", {"payment_mode": "live"}, ("cups:7", "cups:5", "matcha:1500", "tea:30")),
    ("days", {"start_at": "2024-01-10", "end_at": "2024-02-20"}, ("kettle:45", "tea:30")),
    (
        "instants",
        {"start_at": "2024-02-20T15:30:00.000Z", "end_at": "2024-03-15T09:00:00.000Z"},
        ("matcha:1500", "kettle:45"),
    ),
    ("search-notes", {"search": "leeds & YORK, ltd"}, ("cups:5",)),
    ("search-contact", {"search": "tom jerry"}, ("kettle:45",)),
    ("search-email", {"search": "jane.doe@example.com"}, ("cups:7", "cups:5", "tea:30")),
    ("search-none", {"search": "nobody, & nothing"}, ()),
    ("source-type", {"entity_source_type": "invoice"}, ("cups:7", "cups:5")),
    ("source-sub-type", {"entity_source_sub_type": "one_step_order_form"}, ("tea:30",)),
    (
        "combined",
        {
            "contact_id": JANE,
            "entity_source_type": "funnel",
            "start_at": "2024-01-01",
            "end_at": "2024-12-31",
        },
        ("tea:30",),
    ),
]


@pytest.mark.parametrize(
    ("filters", "expected"), [(f, e) for _, f, e in FILTERS], ids=[n for n, _, _ in FILTERS]
)
async def test_list_transactions_filters(
    world: World, filters: dict[str, Any], expected: tuple[str, ...]
) -> None:
    if "entity_id" in filters:
        filters = {**filters, "entity_id": world.ledger[filters["entity_id"]]}
    async with world.connect(world.ledger_token) as sdk:
        result = await sdk.payments.list_transactions(
            alt_id=world.ledger_location, alt_type="location", limit=20.0, offset=0.0, **filters
        )

    assert [label(t, world.ledger) for t in result["data"]] == list(expected)
    assert result["totalCount"] == len(expected)


async def test_list_transactions_pages_with_float_limit_and_offset(world: World) -> None:
    async with world.connect(world.ledger_token) as sdk:
        first = await sdk.payments.list_transactions(
            alt_id=world.ledger_location, alt_type="location", limit=2.0, offset=0.0
        )
        second = await sdk.payments.list_transactions(
            alt_id=world.ledger_location, alt_type="location", limit=2.0, offset=2.0
        )
        default = await sdk.payments.list_transactions(alt_id=world.ledger_location, alt_type="location")
        query = sdk.sent[1].url.query.decode()

    assert query.endswith("limit=2.0&offset=2.0")
    assert [label(t, world.ledger) for t in first["data"]] == list(ALL_TRANSACTIONS[:2])
    assert [label(t, world.ledger) for t in second["data"]] == list(ALL_TRANSACTIONS[2:4])
    assert first["totalCount"] == second["totalCount"] == default["totalCount"] == 5
    assert len(default["data"]) == 5


async def test_ledger_transactions_read_back_by_id(world: World) -> None:
    async with world.connect(world.ledger_token) as sdk:
        listed = await sdk.payments.list_transactions(
            alt_id=world.ledger_location, alt_type="location", limit=20.0
        )
        by_label = {label(t, world.ledger): t for t in listed["data"]}
        cheque = await sdk.payments.get_transaction_by_id(
            by_label["cups:7"]["_id"], world.ledger_location, "location"
        )
        kettle = await sdk.payments.get_transaction_by_id(
            transaction_id=by_label["kettle:45"]["_id"], alt_id=world.ledger_location, alt_type="location"
        )
        matcha = await sdk.payments.get_transaction_by_id(
            transaction_id=by_label["matcha:1500"]["_id"].upper(),
            alt_id=world.ledger_location,
            alt_type="location",
        )

    assert cheque["paymentMethod"] == {"cheque": {"number": "129-129-129-912"}}
    assert (cheque["entityId"], cheque["amount"]) == (world.ledger["cups"], 7)
    assert by_label["cups:5"]["paymentMethod"] == {"type": "cash"}
    assert (kettle["liveMode"], kettle["markAsTest"], kettle["contactId"]) == (False, True, TOM)
    assert kettle["createdAt"] == "2024-02-20T15:30:00.000Z"
    assert (matcha["_id"], matcha["currency"], matcha["amount"]) == (
        by_label["matcha:1500"]["_id"],
        "JPY",
        1500,
    )
    assert "contactId" not in matcha
    assert matcha["entitySource"] == {"type": "point_of_sale", "id": POS_ID}


async def test_paying_a_paid_order_is_400(world: World) -> None:
    order_id = world.new_order()
    prepaid = world.new_order(amount_paid=8000, status="completed")
    async with world.connect() as sdk:
        assert await sdk.payments.record_order_payment(order_id, world.body(mode="cash")) == {"success": True}
        with pytest.raises(GHLError) as again:
            await sdk.payments.record_order_payment(order_id, world.body(mode="bank_transfer", notes="twice"))
        with pytest.raises(GHLError) as already:
            await sdk.payments.record_order_payment(prepaid, world.body(mode="other", amount=1))
        order = await _order(sdk, world, order_id)
        listed = await sdk.payments.list_transactions(
            alt_id=world.location, alt_type="location", entity_id=order_id
        )

    for caught in (again, already):
        assert caught.value.status_code == 400
        assert caught.value.message == "Order is already paid"
        assert caught.value.response == {"statusCode": 400, "message": "Order is already paid"}
    assert order["paymentStatus"] == "paid"
    assert listed["totalCount"] == 1
    assert listed["data"][0]["amount"] == 80


async def test_amounts_outside_the_balance_are_400(world: World) -> None:
    order_id = world.new_order()
    async with world.connect() as sdk:
        with pytest.raises(GHLError) as short:
            await sdk.payments.record_order_payment(order_id, world.body(mode="cash", amount=10))
        with pytest.raises(GHLError) as over:
            await sdk.payments.record_order_payment(
                order_id, world.body(mode="cash", amount=100, isPartialPayment=True)
            )
        with pytest.raises(GHLError) as too_many:
            await sdk.payments.create_order_fulfillment(
                order_id,
                world.body(
                    trackings=[], items=[{"priceId": price_id(PROD_LAMP), "qty": 4}], notifyCustomer=False
                ),
            )
        order = await _order(sdk, world, order_id)

    assert short.value.status_code == 400
    assert short.value.message == (
        "Amount $10.00 is less than the balance due of $80.00: "
        "set isPartialPayment to record a partial payment"
    )
    assert over.value.status_code == 400
    assert over.value.message == "Amount $100.00 exceeds the balance due of $80.00"
    assert too_many.value.status_code == 400
    assert too_many.value.message == f"Cannot fulfil 4 of price {price_id(PROD_LAMP)}: 3 left to fulfil"
    assert states(order) == ("pending", "unpaid", "unfulfilled")


async def test_card_payment_without_last4_is_422(world: World) -> None:
    order_id = world.new_order()
    async with world.connect() as sdk:
        with pytest.raises(GHLError) as no_last4:
            await sdk.payments.record_order_payment(order_id, world.body(mode="card", card={"type": "visa"}))
        with pytest.raises(GHLError) as no_card:
            await sdk.payments.record_order_payment(order_id, world.body(mode="card"))
        with pytest.raises(GHLError) as bad_last4:
            await sdk.payments.record_order_payment(
                order_id, world.body(mode="card", card={"type": "amex", "last4": "42a2"})
            )
        order = await _order(sdk, world, order_id)

    assert no_last4.value.status_code == 422
    assert no_last4.value.message == "card.last4 should not be empty, card.last4 must be a string"
    assert no_last4.value.response == {
        "statusCode": 422,
        "message": ["card.last4 should not be empty", "card.last4 must be a string"],
        "error": "Unprocessable Entity",
    }
    assert (no_card.value.status_code, no_card.value.message) == (422, "card should not be empty")
    assert bad_last4.value.status_code == 422
    assert bad_last4.value.response["message"] == [
        "card.type must be one of the following values: visa, mastercard, other",
        "card.last4 must be 4 digits",
    ]
    assert order["paymentStatus"] == "unpaid"


async def test_token_without_the_scope_is_401(world: World) -> None:
    order_id = world.new_order()
    loc = world.location
    async with world.connect(world.no_collect_token) as sdk:
        with pytest.raises(GHLError) as paying:
            await sdk.payments.record_order_payment(order_id, world.body(mode="cash"))
        # The same token may ship and read: only the payment needs payments/orders.collectPayment.
        shipped = await sdk.payments.create_order_fulfillment(
            order_id,
            world.body(
                trackings=[], items=[{"priceId": price_id(PROD_SHADE), "qty": 1}], notifyCustomer=False
            ),
        )
        order = await _order(sdk, world, order_id)
    async with world.connect(world.orders_readonly_token) as sdk:
        with pytest.raises(GHLError) as shipping:
            await sdk.payments.create_order_fulfillment(
                order_id,
                world.body(
                    trackings=[], items=[{"priceId": price_id(PROD_LAMP), "qty": 1}], notifyCustomer=False
                ),
            )
        with pytest.raises(GHLError) as transactions:
            await sdk.payments.list_transactions(alt_id=loc, alt_type="location")
        fulfillments = await sdk.payments.list_order_fulfillment(loc, "location", order_id)
    async with world.connect(world.transactions_only_token) as sdk:
        # The spec declares no scope for the notes route.
        notes = await sdk.payments.list_order_notes(loc, "location", order_id)
        with pytest.raises(GHLError) as fulfillment_list:
            await sdk.payments.list_order_fulfillment(loc, "location", order_id)

    for caught in (paying, shipping, transactions, fulfillment_list):
        assert caught.value.status_code == 401
        assert caught.value.message == "The token is not authorized for this scope."
    assert shipped["status"] is True
    assert states(order) == ("pending", "unpaid", "partially_fulfilled")
    assert [f["_id"] for f in fulfillments["data"]] == [shipped["data"]["_id"]]
    assert [n["type"] for n in notes["data"]] == ["order_created", "fulfillment_created"]


async def test_unknown_transaction_is_404(world: World) -> None:
    other = world.server.create_order(world.foreign_location, {**_lamp_order(), "amount_paid": 8000})
    foreign_token = world.server.new_token(world.foreign_location, ALL_SCOPES)
    async with world.connect(foreign_token) as sdk:
        listed = await sdk.payments.list_transactions(
            alt_id=world.foreign_location, alt_type="location", entity_id=other["id"]
        )
    (foreign,) = listed["data"]
    async with world.connect() as sdk:
        with pytest.raises(GHLError) as missing:
            await sdk.payments.get_transaction_by_id(MISSING_ID, world.location, "location")
        with pytest.raises(GHLError) as elsewhere:
            await sdk.payments.get_transaction_by_id(foreign["_id"], world.location, "location")

    for caught in (missing, elsewhere):
        assert caught.value.status_code == 404
        assert caught.value.message == "Transaction not found"
        assert caught.value.response["name"] == "HttpException"


async def test_unknown_order_is_404_on_every_route(world: World) -> None:
    loc = world.location
    async with world.connect() as sdk:
        payments = sdk.payments
        calls = [
            payments.record_order_payment(MISSING_ID, world.body(mode="cash")),
            payments.create_order_fulfillment(
                MISSING_ID,
                world.body(
                    trackings=[], items=[{"priceId": price_id(PROD_LAMP), "qty": 1}], notifyCustomer=False
                ),
            ),
            payments.list_order_fulfillment(loc, "location", MISSING_ID),
            payments.list_order_notes(loc, "location", MISSING_ID),
        ]
        failures = []
        for call in calls:
            with pytest.raises(GHLError) as caught:
                await call
            failures.append(caught.value)

    for failure in failures:
        assert (failure.status_code, failure.message) == (404, "Order not found")


async def test_foreign_location_in_the_body_is_401(world: World) -> None:
    order_id = world.new_order()
    foreign = {"altId": world.foreign_location, "altType": "location"}
    async with world.connect() as sdk:
        with pytest.raises(GHLError) as paying:
            await sdk.payments.record_order_payment(order_id, {**foreign, "mode": "cash"})
        with pytest.raises(GHLError) as shipping:
            await sdk.payments.create_order_fulfillment(
                order_id,
                {
                    **foreign,
                    "trackings": [],
                    "items": [{"priceId": price_id(PROD_LAMP), "qty": 1}],
                    "notifyCustomer": True,
                },
            )
        order = await _order(sdk, world, order_id)

    for caught in (paying, shipping):
        assert caught.value.status_code == 401
        assert caught.value.message == "This location is not accessible from this token!"
    assert states(order) == ("pending", "unpaid", "unfulfilled")


async def test_retries_are_recorded_once(world: World) -> None:
    """The SDK never retries a POST by itself, but integrators do: an identical body within 10 seconds, or a
    repeated Idempotency-Key (passed through the SDK's `options`), is the same payment."""
    order_id = world.new_order()
    deposit = world.body(mode="cash", amount=20, isPartialPayment=True)
    keyed = world.body(mode="cash", amount=30, isPartialPayment=True)
    key = {"headers": {"Idempotency-Key": "deposit-2"}}
    async with world.connect() as sdk:
        payments = sdk.payments
        first = await payments.record_order_payment(order_id, deposit)
        again = await payments.record_order_payment(order_id, deposit)
        second = await payments.record_order_payment(order_id, keyed, options=key)
        replay = await payments.record_order_payment(order_id, keyed, options=key)
        with pytest.raises(GHLError) as reused:
            await payments.record_order_payment(
                order_id, world.body(mode="cash", amount=5, isPartialPayment=True), options=key
            )
        order = await _order(sdk, world, order_id)
        listed = await payments.list_transactions(
            alt_id=world.location, alt_type="location", entity_id=order_id
        )
        key_sent = [r.headers.get("Idempotency-Key") for r in sdk.sent if r.method == "POST"]

    assert [first, again, second, replay] == [{"success": True}] * 4
    assert (reused.value.status_code, reused.value.message) == (
        400,
        "Idempotency-Key was already used with a different request",
    )
    assert key_sent == [None, None, "deposit-2", "deposit-2", "deposit-2"]
    assert [t["amount"] for t in listed["data"]] == [30, 20]
    assert order["paymentStatus"] == "partially_paid"
