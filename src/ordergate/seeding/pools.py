"""Per-seed pools of realistic people and products, filled by Faker once and drawn from many times.

Faker is far too slow to call per order (tens of microseconds a name), so a seed's pools are built once and
cached. Each Faker instance is seeded with `seed_instance`, so the same seed gives the same pools with the
same Faker version.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from faker import Faker

from ordergate.domain.order import Recurring, RecurringInterval

# Faker locale, currency, country, calling code, people in the pool (500 in all). The currency a person pays
# in follows their country, so a location's JPY orders come from customers in Japan.
LOCALES = (
    ("en_US", "USD", "US", "+1", 200),
    ("en_CA", "CAD", "CA", "+1", 50),
    ("en_GB", "GBP", "GB", "+44", 60),
    ("de_DE", "EUR", "DE", "+49", 50),
    ("fr_FR", "EUR", "FR", "+33", 40),
    ("en_AU", "AUD", "AU", "+61", 40),
    ("ja_JP", "JPY", "JP", "+81", 60),
)
PRODUCTS = 60
_NOUNS = {
    "PHYSICAL": ("Tee", "Hoodie", "Cap", "Mug", "Tote Bag", "Water Bottle", "Notebook", "Candle", "Backpack"),
    "DIGITAL": ("E-book", "Video Course", "Template Pack", "Masterclass", "Preset Bundle", "Workbook"),
    "SERVICE": ("Coaching Session", "Consultation", "Strategy Call", "Website Audit", "Photo Shoot"),
}
_ADJECTIVES = ("Classic", "Premium", "Essential", "Signature", "Deluxe", "Everyday", "Organic", "Vintage")
_SIZES = ("XS", "S", "M", "L", "XL", "2XL")
# Recurring price options: label, price as a share of the one-time price, interval, interval count.
_PLANS = (
    ("Monthly", 0.4, RecurringInterval.MONTH, 1),
    ("Every 3 months", 1.1, RecurringInterval.MONTH, 3),
    ("Yearly", 3.5, RecurringInterval.YEAR, 1),
    ("Weekly", 0.15, RecurringInterval.WEEK, 1),
    ("Daily", 0.05, RecurringInterval.DAY, 1),
)


@dataclass(frozen=True, slots=True)
class Person:
    first_name: str
    last_name: str
    email: str
    phone: str
    company: str
    address1: str
    city: str
    state: str
    postal_code: str
    country: str


@dataclass(frozen=True, slots=True)
class PriceOption:
    name: str
    factor: float  # of the product's base price
    recurring: Recurring | None = None


@dataclass(frozen=True, slots=True)
class PoolProduct:
    name: str
    product_type: str  # PHYSICAL, DIGITAL, SERVICE
    description: str
    base_usd: float
    options: tuple[PriceOption, ...]

    @property
    def recurring(self) -> int | None:
        """The index of the product's recurring price option, if it has one."""
        return next((i for i, option in enumerate(self.options) if option.recurring is not None), None)


@dataclass(frozen=True, slots=True)
class Pools:
    people: dict[str, tuple[Person, ...]]  # by the currency they pay in
    products: tuple[PoolProduct, ...]
    brands: tuple[str, ...]
    domains: tuple[str, ...]


@lru_cache(maxsize=8)
def pools(seed: int) -> Pools:
    people: dict[str, list[Person]] = {}
    for locale, currency, country, calling, size in LOCALES:
        fake = Faker(locale)
        fake.seed_instance(f"{seed}:{locale}")
        group = people.setdefault(currency, [])
        group.extend(_person(fake, locale, country, calling) for _ in range(size))
    fake = Faker("en_US")
    fake.seed_instance(f"{seed}:catalogue")
    rng = random.Random(f"{seed}:catalogue")
    used: set[str] = set()
    return Pools(
        people={currency: tuple(group) for currency, group in people.items()},
        products=tuple(_product(fake, rng, used) for _ in range(PRODUCTS)),
        brands=tuple(fake.company() for _ in range(40)),
        domains=tuple(fake.domain_name() for _ in range(40)),
    )


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return "".join(ch for ch in plain if ch.isalnum() or ch == ".")


def _person(fake: Faker, locale: str, country: str, calling: str) -> Person:
    if locale == "ja_JP":  # kanji names, a romanised e-mail handle, a Japanese street address
        (first, _, first_latin), (last, _, last_latin) = fake.first_name_pair(), fake.last_name_pair()
        handle = f"{first_latin}.{last_latin}"
        address1 = f"{fake.town()}{fake.chome()}{fake.ban()}{fake.gou()}"
    else:
        first, last = fake.first_name(), fake.last_name()
        handle = f"{first}.{last}"
        address1 = fake.street_address()
    suffix = str(fake.random_int(1, 99)) if fake.random_int(0, 2) == 0 else ""
    return Person(
        first_name=first,
        last_name=last,
        email=f"{_ascii(handle)}{suffix}@{fake.free_email_domain()}",
        phone=f"{calling}{fake.random_int(2, 9)}{fake.numerify('#########')}",
        company=fake.company() if fake.random_int(0, 9) < 4 else "",
        address1=address1,
        city=fake.city(),
        state=fake.administrative_unit(),
        postal_code=fake.postcode(),
        country=country,
    )


def _product(fake: Faker, rng: random.Random, used: set[str]) -> PoolProduct:
    """A branded product ("Garcia Classic Hoodie"), with size/colour variants or a subscription plan."""
    product_type = rng.choice(("PHYSICAL", "PHYSICAL", "DIGITAL", "SERVICE"))
    noun = rng.choice(_NOUNS[product_type])
    name = ""
    while not name or name in used:
        name = f"{fake.last_name()} {rng.choice(_ADJECTIVES)} {noun}"
    used.add(name)
    options: list[PriceOption]
    if product_type == "PHYSICAL":
        base = rng.uniform(8, 120)
        colors = [fake.safe_color_name().title() for _ in range(rng.randint(1, 2))]
        sizes = rng.sample(_SIZES, 2)
        options = [PriceOption(f"{size} / {color}", 1.0) for color in colors for size in sizes]
    else:
        base = rng.uniform(9, 300) if product_type == "DIGITAL" else rng.uniform(49, 500)
        options = [PriceOption("Standard" if product_type == "DIGITAL" else "Single session", 1.0)]
        if rng.random() < 0.5:
            label, factor, interval, count = _PLANS[0] if rng.random() < 0.5 else rng.choice(_PLANS)
            options.append(PriceOption(label, factor, Recurring(interval=interval, interval_count=count)))
    description = f"{fake.catch_phrase()}." if rng.random() < 0.7 else ""
    return PoolProduct(name, product_type, description, base, tuple(options))
