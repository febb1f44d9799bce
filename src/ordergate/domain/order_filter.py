"""A general order query: conditions on canonical order attributes, joined by AND, plus a sort.

A dialect whose clients write their own filters (Elastic Path's `eq(status,paid):gt(with_tax,1000)`)
translates them into this; the store compiles it to SQL. Values are already typed and in the canonical
vocabulary: the dialect maps its own status words, dates and amounts before it gets here.
"""

from __future__ import annotations

from enum import StrEnum

import msgspec


class OrderField(StrEnum):
    """Filterable and sortable attributes of an order."""

    STATUS = "status"  # OrderStatus values
    PAYMENT_STATUS = "payment_status"  # PaymentStatus values (derived)
    FULFILLMENT_STATUS = "fulfillment_status"  # FulfillmentStatus values (derived)
    CURRENCY = "currency"  # ISO 4217, upper case
    CONTACT_ID = "contact_id"  # text, case-insensitive
    CONTACT_NAME = "contact_name"  # text, case-insensitive: first name, a space, last name
    CONTACT_EMAIL = "contact_email"  # text, case-insensitive
    ORDER_NUMBER = "order_number"  # text, case-insensitive
    EXTERNAL_REF = "external_ref"  # text, case-insensitive
    SHIPPING_POSTCODE = "shipping_postcode"  # text, case-insensitive
    BILLING_POSTCODE = "billing_postcode"  # text, case-insensitive
    PRODUCT_ID = "product_id"  # text, exact: the order holds an item of this product
    PRODUCT_SKU = "product_sku"  # text, case-insensitive: the order holds an item with this SKU
    TOTAL = "total"  # integer minor units, tax included
    TOTAL_WITHOUT_TAX = "total_without_tax"  # integer minor units
    CREATED_AT = "created_at"  # epoch milliseconds
    UPDATED_AT = "updated_at"  # epoch milliseconds


TEXT_FIELDS = frozenset(
    {
        OrderField.CONTACT_ID,
        OrderField.CONTACT_NAME,
        OrderField.CONTACT_EMAIL,
        OrderField.ORDER_NUMBER,
        OrderField.EXTERNAL_REF,
        OrderField.SHIPPING_POSTCODE,
        OrderField.BILLING_POSTCODE,
        OrderField.PRODUCT_SKU,
    }
)
"""Free-text attributes: compared case-insensitively (both sides lowercased), `LIKE` allowed."""

NUMBER_FIELDS = frozenset(
    {OrderField.TOTAL, OrderField.TOTAL_WITHOUT_TAX, OrderField.CREATED_AT, OrderField.UPDATED_AT}
)
"""Integer attributes: ordered comparisons allowed."""


class Op(StrEnum):
    IN = "in"  # the attribute equals one of `values` (no values: nothing matches)
    LIKE = "like"  # one value, a pattern in which every `*` stands for any run of characters
    GT = "gt"
    GE = "ge"
    LT = "lt"
    LE = "le"


class Condition(msgspec.Struct, frozen=True, kw_only=True):
    field: OrderField
    op: Op
    values: tuple[str | int, ...]


class Sort(msgspec.Struct, frozen=True, kw_only=True):
    """Sort by `field`; ties are broken by the order id in the same direction."""

    field: OrderField = OrderField.UPDATED_AT
    descending: bool = True


class FilteredOrderQuery(msgspec.Struct, frozen=True, kw_only=True):
    location_id: str
    conditions: tuple[Condition, ...] = ()
    sort: Sort = msgspec.field(default_factory=Sort)
    limit: int = 20
    offset: int = 0

    @property
    def matches_nothing(self) -> bool:
        """True when a condition can never hold (an empty `IN`), so no database work is needed."""
        return any(c.op is Op.IN and not c.values for c in self.conditions)
