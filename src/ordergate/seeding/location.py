"""One location's fake business (catalogue, customers, sources, coupons) and the orders it takes.

Everything a location needs more than once is built up front, so an order costs a handful of random draws
and struct constructions. The first `COVERAGE` orders walk fixed scenarios so that even a small location
shows every status, payment status, fulfillment status, source type, both modes and the main currencies;
later orders are drawn with realistic weights. Only coherent combinations exist: a cancelled order is unpaid
or refunded and unshipped, a completed one is paid (perhaps refunded), a failed one unpaid.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Generic, TypeVar

from ordergate.domain import ids
from ordergate.domain.clock import DAY_MS
from ordergate.domain.money import exponent
from ordergate.domain.order import (
    Address,
    ContactSnapshot,
    Coupon,
    FulfillmentStatus,
    Order,
    OrderItem,
    OrderSource,
    OrderStatus,
    Price,
    PriceType,
    Product,
    SourceSubType,
    SourceType,
    Totals,
)
from ordergate.importing import partial_fulfillment
from ordergate.seeding.pools import Person, PoolProduct, pools

YEAR_MS = 365 * DAY_MS
CURRENCIES = ("USD", "EUR", "JPY", "GBP", "CAD", "AUD")
_USD_RATE = {"USD": 1.0, "EUR": 0.92, "GBP": 0.79, "CAD": 1.36, "AUD": 1.52, "JPY": 150.0}
_SHIPPING = {"USD": 499, "EUR": 450, "GBP": 399, "CAD": 699, "AUD": 895, "JPY": 800}  # minor units
_TAX_RATES = (500, 725, 800, 1000, 2000)  # basis points
_PROMOS = ("WELCOME", "SPRING", "SUMMER", "FEST", "VIP", "FLASH", "HOLIDAY", "LOYAL", "FRIENDS")
_CATALOGUE = 30  # products a location sells, out of the seed's pool
_T = TypeVar("_T")
_S = SourceSubType
_F = FulfillmentStatus


class Payment(Enum):
    """What has happened to the money; it maps onto the derived `PaymentStatus`."""

    UNPAID = "unpaid"
    PARTIAL = "partially_paid"
    PAID = "paid"
    PARTIAL_REFUND = "paid, partly refunded"
    REFUNDED = "refunded"


@dataclass(frozen=True, slots=True)
class Scenario:
    status: OrderStatus
    payment: Payment
    fulfillment: FulfillmentStatus
    weight: int  # once the coverage phase is over
    settle_ms: tuple[int, int]  # how long after creation the order was last touched


_HOUR = 3_600_000
SCENARIOS = (
    Scenario(OrderStatus.COMPLETED, Payment.PAID, _F.FULFILLED, 40, (60_000, 14 * DAY_MS)),
    Scenario(OrderStatus.PENDING, Payment.UNPAID, _F.UNFULFILLED, 12, (0, 1_800_000)),
    Scenario(OrderStatus.PROCESSING, Payment.PARTIAL, _F.UNFULFILLED, 3, (_HOUR, 7 * DAY_MS)),
    Scenario(OrderStatus.COMPLETED, Payment.PARTIAL_REFUND, _F.FULFILLED, 4, (DAY_MS, 30 * DAY_MS)),
    Scenario(OrderStatus.CANCELLED, Payment.REFUNDED, _F.UNFULFILLED, 3, (_HOUR, 30 * DAY_MS)),
    Scenario(OrderStatus.FAILED, Payment.UNPAID, _F.UNFULFILLED, 6, (1_000, 300_000)),
    Scenario(OrderStatus.PROCESSING, Payment.PAID, _F.PARTIALLY_FULFILLED, 3, (_HOUR, 7 * DAY_MS)),
    Scenario(OrderStatus.CANCELLED, Payment.UNPAID, _F.UNFULFILLED, 6, (_HOUR, 30 * DAY_MS)),
    Scenario(OrderStatus.COMPLETED, Payment.REFUNDED, _F.FULFILLED, 2, (DAY_MS, 30 * DAY_MS)),
    Scenario(OrderStatus.PENDING, Payment.PARTIAL, _F.UNFULFILLED, 3, (0, DAY_MS)),
    Scenario(OrderStatus.COMPLETED, Payment.PAID, _F.UNFULFILLED, 8, (60_000, 2 * DAY_MS)),
    Scenario(OrderStatus.PROCESSING, Payment.PAID, _F.UNFULFILLED, 6, (_HOUR, 3 * DAY_MS)),
)


@dataclass(frozen=True, slots=True)
class SourceKind:
    type: SourceType
    weight: int
    sub_types: tuple[SourceSubType | None, ...]
    checkout: bool = False  # a checkout page: the order carries trackingId and fingerprint
    staff: bool = False  # entered by a user: the order carries createdBy


SOURCE_KINDS = (
    SourceKind(
        SourceType.FUNNEL, 25, (_S.ONE_STEP_ORDER_FORM, _S.TWO_STEP_ORDER_FORM, _S.UPSELL), checkout=True
    ),
    SourceKind(SourceType.WEBSITE, 20, (_S.STORE, _S.STORE_UPSELL), checkout=True),
    SourceKind(
        SourceType.INVOICE, 10, (_S.CONTACT_VIEW, _S.PAYMENTS_DASHBOARD, _S.EMAIL_CAMPAIGN), staff=True
    ),
    SourceKind(SourceType.CALENDAR, 5, (_S.SERVICE, _S.MEETING)),
    SourceKind(SourceType.TEXT2PAY, 4, (_S.CONTACT_VIEW,), staff=True),
    SourceKind(SourceType.DOCUMENT_CONTRACTS, 2, (None,), staff=True),
    SourceKind(SourceType.MEMBERSHIP, 4, (_S.SUBSCRIPTION_VIEW,)),
    SourceKind(SourceType.MOBILE_APP, 2, (_S.TAP_TO_PAY, _S.CARD_PAYMENT)),
    SourceKind(SourceType.COMMUNITIES, 2, (None,)),
    SourceKind(SourceType.POINT_OF_SALE, 6, (_S.TAP_TO_PAY, _S.CARD_PAYMENT, _S.QR_CODE), staff=True),
    SourceKind(SourceType.MANUAL, 6, (_S.PAYMENTS_DASHBOARD, _S.CONTACT_VIEW), staff=True),
    SourceKind(SourceType.FORM, 3, (None,), checkout=True),
    SourceKind(SourceType.SURVEY, 1, (None,), checkout=True),
    SourceKind(SourceType.PAYMENT_LINK, 8, (_S.QR_CODE, _S.EMAIL_CAMPAIGN), checkout=True),
    SourceKind(
        SourceType.EXTERNAL,
        2,
        (_S.SHOPIFY, _S.WOOCOMMERCE, _S.IMPORTED_CSV, _S.SAAS_ONE_TIME, _S.SAAS_SUBSCRIPTION),
    ),
)
COVERAGE = len(SOURCE_KINDS)  # the first orders walk scenarios, currencies and source types in turn


class _Table(Generic[_T]):
    """Weighted choice from one uniform draw (cheaper than `random.choices`)."""

    def __init__(self, weighted: Sequence[tuple[_T, float]]) -> None:
        total = sum(weight for _, weight in weighted)
        running = 0.0
        self.bounds: list[float] = []
        for _, weight in weighted:
            running += weight
            self.bounds.append(running / total)
        self.values = [value for value, _ in weighted]
        self.last = len(self.values) - 1

    def pick(self, u: float) -> _T:
        return self.values[min(bisect(self.bounds, u), self.last)]


_SCENARIO_TABLE = _Table([(s, s.weight) for s in SCENARIOS])
_CURRENCY_TABLE = _Table(list(zip(CURRENCIES, (50, 15, 10, 10, 8, 7), strict=True)))
_KIND_TABLE = _Table([(index, kind.weight) for index, kind in enumerate(SOURCE_KINDS)])


def uuid4_str(rng: random.Random) -> str:
    """Equal to `str(uuid.UUID(int=rng.getrandbits(128), version=4))`, at half the cost."""
    bits = (rng.getrandbits(128) & ~(0xC000 << 48) & ~(0xF000 << 64)) | (0x8000 << 48) | (0x4000 << 64)
    h = bits.to_bytes(16, "big").hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def price_in(base_usd: float, currency: str) -> int:
    """A shop-like price in minor units: 19.99 in two-decimal currencies, whole tens of yen."""
    exp = exponent(currency)
    major = base_usd * _USD_RATE[currency]
    if exp == 0:
        return max(10, round(major / 10) * 10)
    return max(1, round(major)) * int(10**exp) - 1


@dataclass(slots=True)
class _Entry:
    """A product the location sells; its prices (one per option) are made per currency when first sold."""

    product: Product
    pooled: PoolProduct
    item_names: tuple[str, ...]  # per option: "Garcia Classic Hoodie - M / Navy"
    physical: bool
    recurring: int | None  # index of the subscription option, if any
    prices: dict[str, tuple[Price, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Customer:
    contact: ContactSnapshot
    address: Address


class LocationFactory:
    """Builds a location's fixtures from its own random stream, then its orders one by one."""

    def __init__(self, location_id: str, seed: int, anchor: int) -> None:
        pool = pools(seed)
        rng = self.rng = random.Random(f"{seed}:{location_id}")
        self.location_id = location_id
        self.anchor = anchor
        opened = self.opened = anchor - YEAR_MS - int(rng.random() * YEAR_MS)  # when the shop opened
        picks = rng.sample(range(len(pool.products)), _CATALOGUE)
        if all(pool.products[i].recurring is None for i in picks):
            picks[-1] = next(i for i, p in enumerate(pool.products) if p.recurring is not None)
        self.catalogue = [self._entry(pool.products[i], opened) for i in picks]
        self.subscription = next(i for i, e in enumerate(self.catalogue) if e.recurring is not None)
        # Each currency's customers: a fifth of the pool's people who pay in it, given a contact (and so a
        # contact id) when they first order, which keeps a location cheap to set up.
        self.people = {
            currency: rng.sample(group, max(3, len(group) // 5)) for currency, group in pool.people.items()
        }
        self.customers: dict[str, list[_Customer | None]] = {
            c: [None] * len(g) for c, g in self.people.items()
        }
        brand, domain = rng.choice(pool.brands), rng.choice(pool.domains)
        self.sources = [self._sources(kind.type, kind.sub_types, brand, domain) for kind in SOURCE_KINDS]
        promos = zip(rng.sample(_PROMOS, 4), rng.sample((10, 15, 20, 25, 30), 4), strict=True)
        self.coupons = [
            (Coupon(id=ids.new_object_id(opened, rng), code=f"{p}{pct}"), pct) for p, pct in promos
        ]
        self.staff = [ids.new_alnum20(rng) for _ in range(3)]

    def _entry(self, pooled: PoolProduct, opened: int) -> _Entry:
        rng = self.rng
        product_id = ids.new_object_id(opened, rng)
        physical = pooled.product_type == "PHYSICAL"
        product = Product(
            id=product_id,
            name=pooled.name,
            product_type=pooled.product_type,
            description=pooled.description or None,
            image=f"https://cdn.ordergate.example/{self.location_id}/{product_id}.jpg" if physical else None,
            sku=f"SKU-{rng.randrange(100_000):05d}" if physical else None,
        )
        names = tuple(f"{pooled.name} - {option.name}" for option in pooled.options)
        return _Entry(product, pooled, names, physical, pooled.recurring)

    def _prices(self, entry: _Entry, currency: str) -> tuple[Price, ...]:
        rng = self.rng
        row: list[Price] = []
        for option in entry.pooled.options:
            amount = price_in(entry.pooled.base_usd * option.factor, currency)
            on_sale = option.recurring is None and rng.random() < 0.25
            row.append(
                Price(
                    id=ids.new_object_id(self.opened, rng),
                    name=option.name,
                    type=PriceType.ONE_TIME if option.recurring is None else PriceType.RECURRING,
                    amount=amount,
                    recurring=option.recurring,
                    compare_at=amount + amount // 4 if on_sale else None,
                )
            )
        prices = entry.prices[currency] = tuple(row)
        return prices

    def _customer(self, person: Person) -> _Customer:
        contact = ContactSnapshot(
            id=ids.new_alnum20(self.rng),
            first_name=person.first_name,
            last_name=person.last_name,
            email=person.email,
            phone=person.phone,
            company_name=person.company,
            address1=person.address1,
            city=person.city,
            state=person.state,
            postal_code=person.postal_code,
            country=person.country,
        )
        address = Address(
            first_name=person.first_name,
            last_name=person.last_name,
            phone_number=person.phone,
            company_name=person.company,
            line_1=person.address1,
            city=person.city,
            postcode=person.postal_code,
            region=person.state,
            country=person.country,
        )
        return _Customer(contact, address)

    def _sources(
        self, kind: SourceType, sub_types: tuple[SourceSubType | None, ...], brand: str, domain: str
    ) -> list[OrderSource]:
        """One or two sources of a kind (two funnels, say), each under every plausible sub type."""
        rng = self.rng
        variants: list[OrderSource] = []
        label = kind.value.replace("_", " ").replace("text2Pay", "Text2Pay").title()
        for number in range(1, 2 + (rng.random() < 0.4)):
            if kind in (SourceType.INVOICE, SourceType.DOCUMENT_CONTRACTS, SourceType.PAYMENT_LINK):
                source_id = ids.new_object_id(self.anchor - YEAR_MS, rng)  # documents have ObjectIds
            else:
                source_id = ids.new_alnum20(rng)  # funnels, sites, calendars have 20-character ids
            name = f"{brand} {label} {number}" if number > 1 else f"{brand} {label}"
            meta: dict[str, str] = {}
            if kind in (SourceType.FUNNEL, SourceType.WEBSITE):
                page_id = ids.new_alnum20(rng)
                meta = {"domain": domain, "pageId": page_id, "pageUrl": "/checkout", "stepId": uuid4_str(rng)}
            for sub_type in sub_types:
                variants.append(OrderSource(type=kind, id=source_id, sub_type=sub_type, name=name, meta=meta))
        return variants

    def order(self, index: int) -> Order:
        rng = self.rng
        rand = rng.random
        covering = index < COVERAGE
        if covering:
            scenario = SCENARIOS[index % len(SCENARIOS)]
            currency = CURRENCIES[index % len(CURRENCIES)]
            kind_index = index
            live = index % 5 != 1
        else:
            scenario = _SCENARIO_TABLE.pick(rand())
            currency = _CURRENCY_TABLE.pick(rand())
            kind_index = _KIND_TABLE.pick(rand())
            live = rand() < 0.9
        kind = SOURCE_KINDS[kind_index]
        sources = self.sources[kind_index]
        source = sources[int(rand() * len(sources))]
        low, high = scenario.settle_ms
        created = self.anchor - 1 - int(rand() * YEAR_MS)
        updated = min(created + low + int(rand() * (high - low)), self.anchor)
        items, subtotal, physical = self._items(index, created, currency, scenario.fulfillment)
        totals, coupon = self._totals(index, subtotal, currency, physical)
        total = totals.total
        paid, refunded = _amounts(scenario.payment, total, rand)
        customer: _Customer | None = None
        if covering or kind.type is not SourceType.POINT_OF_SALE or rand() < 0.5:  # else a walk-in
            group = self.customers[currency]
            slot = int(len(group) * rand() ** 2.2)  # loyal customers order most
            customer = group[slot]
            if customer is None:
                customer = group[slot] = self._customer(self.people[currency][slot])
        by_provider = totals.tax > 0 and kind.type is SourceType.WEBSITE
        external = kind.type is SourceType.EXTERNAL
        return Order(
            id=ids.new_object_id(created, rng),
            location_id=self.location_id,
            name=", ".join([item.name for item in items]),
            currency=currency,
            status=scenario.status,
            items=items,
            totals=totals,
            contact=customer.contact if customer is not None else None,
            source=source,
            created_at=created,
            updated_at=updated,
            amount_paid=paid,
            amount_refunded=refunded,
            live_mode=live,
            coupon=coupon,
            tracking_id=uuid4_str(rng) if kind.checkout else None,
            fingerprint=uuid4_str(rng) if kind.checkout else None,
            trace_id=uuid4_str(rng),
            created_by=self.staff[int(rand() * 3)] if kind.staff else None,
            order_number=str(10_001 + index) if external or kind.type is SourceType.WEBSITE else None,
            external_ref=f"{source.sub_type}-{100_000 + index}" if external else None,
            billing_address=customer.address if customer is not None and rand() < 0.6 else None,
            shipping_address=customer.address if customer is not None and physical else None,
            automatic_taxes_calculated=by_provider,
            tax_calculation_provider="taxjar" if by_provider else None,
            meta={"couponSessionExpired": False} if coupon is not None else {},
            fully_paid_at=min(created + int(rand() * 120_000), updated) if paid >= total else None,
        )

    def _items(
        self, index: int, created: int, currency: str, fulfillment: FulfillmentStatus
    ) -> tuple[list[OrderItem], int, bool]:
        """Distinct products, best sellers most often; quantities above one only for physical goods."""
        rng = self.rng
        rand = rng.random
        u = rand()
        count = 1 if u < 0.55 else 2 if u < 0.83 else 3 if u < 0.95 else 4
        subscribe = index == 2  # the coverage phase wants a subscription early on
        slots = [self.subscription] if subscribe else []
        size = len(self.catalogue)
        while len(slots) < count:
            slot = int(size * rand() ** 1.7)
            if slot not in slots:
                slots.append(slot)
        entries = [self.catalogue[slot] for slot in slots]
        options: list[int] = []
        quantities: list[int] = []
        physical = False
        for entry in entries:
            if entry.physical:
                physical = True
                options.append(int(rand() * len(entry.item_names)))
                u = rand()
                quantities.append(1 if u < 0.7 else 2 if u < 0.9 else 3 if u < 0.97 else 5)
            else:
                wants_plan = entry.recurring is not None and (subscribe or rand() < 0.5)
                options.append(entry.recurring if wants_plan and entry.recurring is not None else 0)
                quantities.append(1)
        if fulfillment is _F.PARTIALLY_FULFILLED and sum(quantities) < 2:
            quantities[0] = 2
        if fulfillment is _F.FULFILLED:
            shipped = quantities
        elif fulfillment is _F.PARTIALLY_FULFILLED:
            shipped = partial_fulfillment(quantities)
        else:
            shipped = [0] * count
        items: list[OrderItem] = []
        subtotal = 0
        for entry, option, quantity, done in zip(entries, options, quantities, shipped, strict=True):
            price = (entry.prices.get(currency) or self._prices(entry, currency))[option]
            subtotal += price.amount * quantity
            items.append(
                OrderItem(
                    id=ids.new_object_id(created, rng),
                    name=entry.item_names[option],
                    quantity=quantity,
                    product=entry.product,
                    price=price,
                    fulfilled_quantity=done,
                )
            )
        return items, subtotal, physical

    def _totals(
        self, index: int, subtotal: int, currency: str, physical: bool
    ) -> tuple[Totals, Coupon | None]:
        """A coupon on some orders, tax on some, shipping whenever something ships (sometimes waived)."""
        rand = self.rng.random
        covering = index < COVERAGE
        coupon: Coupon | None = None
        discount = tax = shipping = waived = 0
        if (index % 4 == 1) if covering else rand() < 0.2:
            coupon, pct = self.coupons[int(rand() * len(self.coupons))]
            discount = subtotal * pct // 100
        if (index % 3 == 0) if covering else rand() < 0.4:
            tax = (subtotal - discount) * _TAX_RATES[int(rand() * len(_TAX_RATES))] // 10_000
        if physical:
            shipping = _SHIPPING[currency]
            waived = shipping if rand() < 0.15 else 0
        totals = Totals(
            subtotal=subtotal, discount=discount, tax=tax, shipping=shipping, shipping_discount=waived
        )
        return totals, coupon


def _amounts(payment: Payment, total: int, rand: Callable[[], float]) -> tuple[int, int]:
    """Amount paid and amount refunded for a payment scenario."""
    if payment is Payment.UNPAID:
        return 0, 0
    if payment is Payment.PARTIAL:
        return max(1, total * (20 + int(rand() * 60)) // 100), 0
    if payment is Payment.PARTIAL_REFUND:
        return total, max(1, total * (10 + int(rand() * 50)) // 100)
    if payment is Payment.REFUNDED:
        return total, total
    return total, 0
