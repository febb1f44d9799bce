"""JSON request bodies of the HighLevel routes, checked the way class-validator checks NestJS DTOs:
every violated constraint is reported, with the property path (`card.last4`, `items.0.qty`)."""

from __future__ import annotations

import math
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

import msgspec

from ordergate.domain.lifecycle import FulfillmentCommand, PaymentCommand
from ordergate.domain.transaction import Card, CardType, Cheque, PaymentMode, Tracking
from ordergate.highlevel import errors

E = TypeVar("E", bound=StrEnum)
MAX_FULFILLMENT_LINES = 500
MAX_AMOUNT = 10**12  # major units: beyond any real order, and far inside every integer type used


def parse_json_object(raw: bytes) -> dict[str, Any]:
    """The body as a JSON object, or HighLevel's 400 for anything else."""
    try:
        body = msgspec.json.decode(raw) if raw.strip() else {}
    except msgspec.DecodeError:
        raise errors.bad_request("Unexpected token in JSON body", with_error=True) from None
    if not isinstance(body, dict):
        raise errors.bad_request("Request body must be a JSON object", with_error=True)
    return body


class BodyReader:
    def __init__(self, body: dict[str, Any], prefix: str = "", problems: list[str] | None = None) -> None:
        self.body = body
        self.prefix = prefix
        self.problems: list[str] = [] if problems is None else problems

    def _name(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def nested(self, key: str) -> BodyReader | None:
        value = self.body.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.problems.append(f"{self._name(key)} must be an object")
            return None
        return BodyReader(value, f"{self._name(key)}.", self.problems)

    def string(self, key: str, *, required: bool = False) -> str | None:
        value = self.body.get(key)
        if value is None or value == "":
            if required:
                self.problems.append(f"{self._name(key)} should not be empty")
                if value is None:
                    self.problems.append(f"{self._name(key)} must be a string")
            return None
        if not isinstance(value, str):
            self.problems.append(f"{self._name(key)} must be a string")
            return None
        if "\x00" in value:
            self.problems.append(f"{self._name(key)} must not contain null characters")
            return None
        return value

    def enum(self, key: str, values: type[E], *, required: bool = False) -> E | None:
        value = self.body.get(key)
        try:
            return values(value) if isinstance(value, str) else values("\x00")
        except ValueError:
            if value is not None or required:
                allowed = ", ".join(v.value for v in values)
                self.problems.append(f"{self._name(key)} must be one of the following values: {allowed}")
            return None

    def number(self, key: str) -> Decimal | None:
        value = self.body.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            self.problems.append(
                f"{self._name(key)} must be a number conforming to the specified constraints"
            )
            return None
        return Decimal(str(value))

    def boolean(self, key: str, *, required: bool = False) -> bool | None:
        value = self.body.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, bool):
            self.problems.append(f"{self._name(key)} must be a boolean value")
            return None
        return value

    def mapping(self, key: str) -> dict[str, Any]:
        value = self.body.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problems.append(f"{self._name(key)} must be an object")
            return {}
        return value

    def array(self, key: str) -> list[BodyReader]:
        value = self.body.get(key)
        if not isinstance(value, list):
            self.problems.append(f"{self._name(key)} must be an array")
            return []
        readers: list[BodyReader] = []
        for index, element in enumerate(value[:MAX_FULFILLMENT_LINES]):
            if isinstance(element, dict):
                readers.append(BodyReader(element, f"{self._name(key)}.{index}.", self.problems))
            else:
                self.problems.append(f"nested property {self._name(key)} must be either object or array")
        if len(value) > MAX_FULFILLMENT_LINES:
            self.problems.append(
                f"{self._name(key)} must contain no more than {MAX_FULFILLMENT_LINES} elements"
            )
        return readers


def read_owner(reader: BodyReader) -> str | None:
    """`altId` and `altType` (`location`), required in every HighLevel write body."""
    alt_id = reader.string("altId", required=True)
    if reader.body.get("altType") != "location":
        reader.problems.append("altType must be one of the following values: location")
    return alt_id


def payment_body(body: dict[str, Any]) -> tuple[str | None, PaymentCommand | None, Decimal | None]:
    """`PostRecordOrderPaymentBody` -> (altId, command without its amount, amount in major units)."""
    reader = BodyReader(body)
    alt_id = read_owner(reader)
    mode = reader.enum("mode", PaymentMode, required=True)
    card: Card | None = None
    card_reader = reader.nested("card")
    if card_reader is not None:
        card_type = card_reader.enum("type", CardType, required=True)
        last4 = card_reader.string("last4", required=True)
        if last4 is not None and not (len(last4) == 4 and last4.isascii() and last4.isdigit()):
            reader.problems.append("card.last4 must be 4 digits")
        elif card_type is not None and last4 is not None:
            card = Card(type=card_type, last4=last4)
    elif mode is PaymentMode.CARD:
        reader.problems.append("card should not be empty")
    cheque: Cheque | None = None
    cheque_reader = reader.nested("cheque")
    if cheque_reader is not None:
        number = cheque_reader.string("number", required=True)
        cheque = Cheque(number=number) if number is not None else None
    notes = reader.string("notes")
    amount = reader.number("amount")
    if amount is not None and amount <= 0:
        reader.problems.append("amount must be a positive number")
    elif amount is not None and amount > MAX_AMOUNT:
        reader.problems.append(f"amount must not be greater than {MAX_AMOUNT}")
    meta = reader.mapping("meta")
    partial = reader.boolean("isPartialPayment")
    if reader.problems or mode is None:
        raise errors.unprocessable(reader.problems)
    command = PaymentCommand(
        mode=mode, is_partial=bool(partial), card=card, cheque=cheque, notes=notes, meta=meta
    )
    return alt_id, command, amount


def fulfillment_body(body: dict[str, Any]) -> tuple[str | None, FulfillmentCommand]:
    """`CreateFulfillmentDto` -> (altId, command)."""
    reader = BodyReader(body)
    alt_id = read_owner(reader)
    trackings: list[Tracking] = []
    for line in reader.array("trackings"):
        trackings.append(
            Tracking(
                number=line.string("trackingNumber"),
                carrier=line.string("shippingCarrier"),
                url=line.string("trackingUrl"),
            )
        )
    lines: list[tuple[str, int]] = []
    items = reader.array("items")
    if "items" in body and isinstance(body["items"], list) and not body["items"]:
        reader.problems.append("items should not be empty")
    for line in items:
        price_id = line.string("priceId", required=True)
        quantity = line.number("qty")
        if quantity is None and line.body.get("qty") is None:
            reader.problems.append(
                f"{line.prefix}qty must be a number conforming to the specified constraints"
            )
        elif quantity is not None and (quantity != quantity.to_integral_value() or quantity < 1):
            reader.problems.append(f"{line.prefix}qty must be a positive integer")
        elif quantity is not None and price_id is not None:
            lines.append((price_id, int(quantity)))
    notify = reader.boolean("notifyCustomer", required=True)
    if reader.problems:
        raise errors.unprocessable(reader.problems)
    return alt_id, FulfillmentCommand(lines=lines, trackings=trackings, notify_customer=bool(notify))
