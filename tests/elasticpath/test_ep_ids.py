"""UUIDs from ObjectIds and back, by arithmetic alone."""

from __future__ import annotations

import uuid

from hypothesis import given
from hypothesis import strategies as st

from ordergate.elasticpath import ids
from ordergate.elasticpath.render import formatted

OBJECT_IDS = st.binary(min_size=12, max_size=12).map(bytes.hex)


def test_the_documented_example() -> None:
    assert ids.to_uuid("65a1b2c3d4e5f60718293a4b") == "65a1b2c3-d4e5-8f60-8718-293a4b000000"
    assert ids.from_uuid("65a1b2c3-d4e5-8f60-8718-293a4b000000") == "65a1b2c3d4e5f60718293a4b"


@given(OBJECT_IDS)
def test_round_trip_and_a_valid_rfc_uuid(object_id: str) -> None:
    shown = ids.to_uuid(object_id)
    parsed = uuid.UUID(shown)
    assert str(parsed) == shown
    assert parsed.version == 8
    assert parsed.variant == uuid.RFC_4122
    assert ids.from_uuid(shown) == object_id
    assert ids.from_uuid(shown.upper()) == object_id
    assert ids.object_id_of(shown) == object_id
    assert ids.object_id_of(object_id) == object_id
    assert ids.object_id_of(object_id.upper()) == object_id
    assert ids.read(ids.show(object_id)) == object_id


def test_other_ids_are_shown_and_read_as_they_are() -> None:
    for other in ("vgIWTr7VPhOpVn7vAxRg", "sku-1", str(uuid.UUID(int=7, version=4))):
        assert ids.show(other) == other
        assert ids.read(other) == other
        assert ids.object_id_of(other) is None


def test_random_uuids_are_not_ours() -> None:
    assert ids.from_uuid(str(uuid.uuid4())) is None
    assert ids.from_uuid("65a1b2c3-d4e5-8f60-8718-293a4b000001") is None  # tail must be zeros
    assert ids.from_uuid("65a1b2c3d4e58f608718293a4b000000") is None  # hyphens are required


def test_formatted_amounts() -> None:
    assert formatted(123450, "USD") == "$1,234.50"
    assert formatted(-1000, "USD") == "-$10.00"
    assert formatted(0, "USD") == "$0.00"
    assert formatted(1450, "EUR") == "€14.50"
    assert formatted(500, "JPY") == "¥500"
    assert formatted(1234, "BHD") == "BHD1.234"  # CLDR en_US: no space after a code
