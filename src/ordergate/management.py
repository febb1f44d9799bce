"""What HighLevel's public API cannot do, shared by the CLI and the admin API: locations, tokens,
order creation, bulk import and deterministic seeding."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Literal

from ordergate.domain import ids
from ordergate.domain.access import (
    ALL_SCOPES,
    Location,
    Scope,
    TokenRecord,
    new_token_secret,
    token_digest,
)
from ordergate.domain.building import NewOrder, build_order
from ordergate.domain.clock import now_ms
from ordergate.domain.errors import Conflict, Invalid, NotFound
from ordergate.domain.oauth import ApiClient, new_client_id, new_client_secret
from ordergate.domain.order import Order
from ordergate.store import Store

if TYPE_CHECKING:
    from ordergate.seeding.worker import OrderWorker

ImportFormat = Literal["canonical", "highlevel"]
SEED_BATCH = 10_000
SEED_IN_FLIGHT = 2
# From this many orders in one seeding, they are generated in a separate process (`seeding.worker`); below,
# starting one costs more than it saves.
WORKER_MIN_ORDERS = 10_000


class Management:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def create_location(self, location_id: str | None = None, name: str | None = None) -> Location:
        if location_id is not None and not ids.is_alnum20(location_id):
            raise Invalid(["location id must be 20 letters or digits"])
        location = Location(
            id=location_id or ids.new_alnum20(),
            name=name or "Location",
            created_at=now_ms(),
        )
        try:
            await self.store.create_location(location)
        except Conflict:
            raise Conflict(f"location {location.id} already exists") from None
        return location

    async def require_location(self, location_id: str) -> Location:
        location = await self.store.get_location(location_id)
        if location is None:
            raise NotFound(f"location {location_id} does not exist")
        return location

    async def create_token(
        self, location_id: str, scopes: Sequence[str] = (), label: str | None = None
    ) -> tuple[str, TokenRecord]:
        """A new Private Integration Token; the secret is returned once and never stored."""
        await self.require_location(location_id)
        chosen = _scopes(scopes)
        secret = new_token_secret()
        record = TokenRecord(
            id=f"tok_{secrets.token_hex(8)}",
            location_id=location_id,
            scopes=chosen,
            token_hash=token_digest(secret),
            created_at=now_ms(),
            label=label,
        )
        await self.store.create_token(record)
        return secret, record

    async def list_tokens(self, location_id: str) -> list[TokenRecord]:
        await self.require_location(location_id)
        return await self.store.list_tokens(location_id)

    async def revoke_token(self, location_id: str, token_id: str) -> None:
        if not await self.store.revoke_token(location_id, token_id, now_ms()):
            raise NotFound(f"location {location_id} has no live token {token_id}")

    async def create_client(self, location_id: str) -> tuple[str, ApiClient]:
        """New API client credentials for Elastic Path's `/oauth/access_token`; the secret is returned
        once and never stored."""
        await self.require_location(location_id)
        secret = new_client_secret()
        client = ApiClient(
            client_id=new_client_id(),
            location_id=location_id,
            secret_hash=token_digest(secret),
            created_at=now_ms(),
        )
        await self.store.create_api_client(client)
        return secret, client

    async def create_order(self, location_id: str, new: NewOrder) -> Order:
        await self.require_location(location_id)
        order = build_order(new, location_id)
        try:
            await self.store.insert_orders([order])
        except Conflict:
            raise Conflict(f"order {order.id} already exists") from None
        return order

    async def import_lines(self, location_id: str, lines: Iterable[str | bytes], fmt: ImportFormat) -> int:
        """Parse and check every line first, then insert them all in one transaction: all or nothing."""
        from ordergate.importing import parse_ndjson

        await self.require_location(location_id)
        orders = parse_ndjson(lines, location_id, fmt)  # refuses a repeated id with both line numbers
        try:
            await self.store.insert_orders(orders)
        except Conflict:
            raise Conflict("the file holds an order id that already exists; nothing was imported") from None
        return len(orders)

    async def seed(
        self,
        locations: int,
        orders: int,
        seed: int,
        progress: Callable[[int], None] | None = None,
    ) -> list[tuple[str, int]]:
        """`locations` locations with `orders` orders each; the same seed gives the same ids and data."""
        from ordergate.seeding import location_ids

        made: list[tuple[str, int]] = []
        worker: OrderWorker | None = None
        try:
            for number, location_id in enumerate(location_ids(locations, seed), start=1):
                if await self.store.get_location(location_id) is None:
                    await self.store.create_location(
                        Location(id=location_id, name=f"Seeded location {number}", created_at=now_ms())
                    )
                existing = await self.store.count_orders(location_id)
                if existing:  # seeded before: the same seed would write the same ids again
                    made.append((location_id, existing))
                    if progress is not None:
                        progress(orders)
                    continue
                if worker is None and locations * orders >= WORKER_MIN_ORDERS:
                    from ordergate.seeding.worker import OrderWorker

                    worker = await OrderWorker.start()
                await self._insert_in_batches(_batches(location_id, orders, seed, worker), progress)
                made.append((location_id, orders))
        finally:
            if worker is not None:
                await worker.close()
        return made

    async def _insert_in_batches(
        self, batches: AsyncIterator[list[Order]], progress: Callable[[int], None] | None
    ) -> None:
        """Insert each batch in its own transaction, keeping the database busy: up to `SEED_IN_FLIGHT`
        batches are being written at once (on PostgreSQL by as many server processes; SQLite's single
        writer takes them in turn) while the next ones are generated."""
        writing: set[asyncio.Task[int]] = set()

        async def settle(keep: int) -> None:
            nonlocal writing
            while len(writing) > keep:
                done, writing = await asyncio.wait(writing, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    count = task.result()
                    if progress is not None:
                        progress(count)

        async def write(batch: list[Order]) -> int:
            await self.store.insert_orders(batch)
            return len(batch)

        try:
            async for batch in batches:
                await settle(SEED_IN_FLIGHT - 1)
                writing.add(asyncio.create_task(write(batch)))
            await settle(0)
        finally:
            for task in writing:
                task.cancel()


async def _batches(
    location_id: str, count: int, seed: int, worker: OrderWorker | None
) -> AsyncIterator[list[Order]]:
    """The location's seeded orders, `SEED_BATCH` at a time: from the worker process when there is one,
    else drawn from the generator in a thread."""
    from ordergate.seeding import ANCHOR_MS, generate_orders

    if worker is not None:
        async for batch in worker.batches(location_id, count, seed, ANCHOR_MS, SEED_BATCH):
            yield batch
        return
    orders = generate_orders(location_id, count, seed)

    def take() -> list[Order]:
        return list(islice(orders, SEED_BATCH))

    while batch := await asyncio.to_thread(take):
        yield batch


def _scopes(names: Sequence[str]) -> tuple[Scope, ...]:
    if not names:
        return ALL_SCOPES
    known = {scope.value: scope for scope in Scope}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise Invalid([f"unknown scope {name!r}; known: {', '.join(known)}" for name in unknown])
    return tuple(dict.fromkeys(known[name] for name in names))
