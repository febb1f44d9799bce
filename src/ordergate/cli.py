"""`ordergate`: serve, migrate, and manage locations, tokens and orders from the shell.

Every command that prints data takes `--json` and then prints exactly one JSON object on stdout;
messages for people go to stderr.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click
import msgspec

from ordergate.domain.access import Scope
from ordergate.domain.building import NewOrder
from ordergate.domain.errors import DomainError, Invalid
from ordergate.lifecycle import OrderLifecycle
from ordergate.management import ImportFormat, Management
from ordergate.settings import DEFAULT_DATABASE_URL, Settings
from ordergate.store import open_store
from ordergate.store.migrate import migrate as run_migrations

T = TypeVar("T")
DEMO_SEED = 7
DEMO_LOCATIONS = 3
DEMO_ORDERS = 120


def _emit(as_json: bool, payload: dict[str, Any], human: str) -> None:
    if as_json:
        click.echo(msgspec.json.encode(payload).decode())
    else:
        click.echo(human)


def _run(work: Callable[[Management], Awaitable[T]]) -> T:
    """Open the configured store, run `work`, close it; domain errors become a clean exit 1."""

    async def main() -> T:
        settings = Settings.from_env()
        await run_migrations(settings.database)
        store = await open_store(settings.database.url)
        try:
            return await work(Management(store))
        finally:
            await store.close()

    try:
        return asyncio.run(main())
    except Invalid as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        sys.exit(1)
    except DomainError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


@click.group()
@click.option(
    "--database-url",
    envvar="ORDERGATE_DATABASE_URL",
    default=DEFAULT_DATABASE_URL,
    show_default=True,
    help="sqlite:///path.db or postgresql://user@host/db (env ORDERGATE_DATABASE_URL).",
)
def main(database_url: str) -> None:
    """ordergate: a stateful orders service that speaks the HighLevel Orders API."""
    os.environ["ORDERGATE_DATABASE_URL"] = database_url


@main.command()
def migrate() -> None:
    """Apply pending schema migrations."""
    settings = Settings.from_env()
    before, after = asyncio.run(run_migrations(settings.database))
    click.echo(f"schema at revision {after} (was {before or 'empty'})", err=True)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option("--demo", is_flag=True, help="Seed demo data into an empty database and print a ready token.")
def serve(host: str, port: int, workers: int, demo: bool) -> None:
    """Migrate, then serve the API."""
    import uvicorn

    settings = Settings.from_env()
    asyncio.run(run_migrations(settings.database))
    if demo:
        _demo(host, port)
    uvicorn.run(
        "ordergate.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,
        log_level=settings.log_level.lower(),
        lifespan="on",
    )


def _demo(host: str, port: int) -> None:
    async def prepare(manage: Management) -> tuple[str, str]:
        locations = await manage.store.list_locations()
        if not locations:
            made = await manage.seed(DEMO_LOCATIONS, DEMO_ORDERS, DEMO_SEED)
            location_id = made[0][0]
        else:
            location_id = locations[0].id
        secret, _ = await manage.create_token(location_id, (), label="demo")
        return location_id, secret

    location_id, secret = _run(prepare)
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104
    base = f"http://{shown_host}:{port}"
    click.echo(
        "\nordergate demo is ready\n"
        f"  location: {location_id}\n"
        f"  token:    {secret}\n\n"
        "Try:\n"
        f"  curl -s '{base}/payments/orders?altId={location_id}&limit=2' \\\n"
        f"    -H 'Authorization: Bearer {secret}' -H 'Version: 2021-07-28'\n",
        err=True,
    )


@main.group()
def locations() -> None:
    """Create and list locations (HighLevel sub-accounts)."""


@locations.command("create")
@click.option("--id", "location_id", help="20 letters or digits; generated when omitted.")
@click.option("--name", help="A display name.")
@click.option("--json", "as_json", is_flag=True)
def locations_create(location_id: str | None, name: str | None, as_json: bool) -> None:
    location = _run(lambda m: m.create_location(location_id, name))
    _emit(as_json, {"id": location.id, "name": location.name}, location.id)


@locations.command("list")
@click.option("--json", "as_json", is_flag=True)
def locations_list(as_json: bool) -> None:
    found = _run(lambda m: m.store.list_locations())
    rows = [{"id": loc.id, "name": loc.name} for loc in found]
    _emit(as_json, {"locations": rows}, "\n".join(f"{r['id']}  {r['name']}" for r in rows))


@main.group()
def tokens() -> None:
    """Private Integration Tokens: create, list, revoke."""


@tokens.command("create")
@click.option("--location", "location_id", required=True)
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    type=click.Choice([s.value for s in Scope]),
    help="Repeatable; default all.",
)
@click.option("--label", help="A note to recognise the token by.")
@click.option("--json", "as_json", is_flag=True)
def tokens_create(location_id: str, scopes: tuple[str, ...], label: str | None, as_json: bool) -> None:
    secret, record = _run(lambda m: m.create_token(location_id, scopes, label))
    payload = {
        "token": secret,
        "id": record.id,
        "location": record.location_id,
        "scopes": [s.value for s in record.scopes],
    }
    _emit(as_json, payload, secret)


@tokens.command("list")
@click.option("--location", "location_id", required=True)
@click.option("--json", "as_json", is_flag=True)
def tokens_list(location_id: str, as_json: bool) -> None:
    from ordergate.admin.endpoints import token_json

    records = _run(lambda m: m.list_tokens(location_id))
    rows = [token_json(r) for r in records]
    human = "\n".join(
        f"{r['id']}  {'revoked' if r['revokedAt'] else 'live':8} {' '.join(r['scopes'])}" for r in rows
    )
    _emit(as_json, {"tokens": rows}, human)


@tokens.command("revoke")
@click.option("--location", "location_id", required=True)
@click.argument("token_id")
def tokens_revoke(location_id: str, token_id: str) -> None:
    _run(lambda m: m.revoke_token(location_id, token_id))
    click.echo(f"revoked {token_id}", err=True)


@main.group()
def clients() -> None:
    """API client credentials for Elastic Path's /oauth/access_token."""


@clients.command("create")
@click.option("--location", "location_id", required=True)
@click.option("--json", "as_json", is_flag=True)
def clients_create(location_id: str, as_json: bool) -> None:
    """New client id and secret for a location; the secret is shown once."""
    secret, client = _run(lambda m: m.create_client(location_id))
    payload = {"client_id": client.client_id, "client_secret": secret, "location": client.location_id}
    _emit(as_json, payload, f"client_id:     {client.client_id}\nclient_secret: {secret}")


@main.command()
@click.option("--locations", "location_count", default=1, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--orders", "order_count", default=50, show_default=True, type=click.IntRange(0, 10_000_000))
@click.option("--seed", default=1, show_default=True, type=int)
@click.option("--json", "as_json", is_flag=True)
def seed(location_count: int, order_count: int, seed: int, as_json: bool) -> None:
    """Create N locations with M realistic orders each; the same seed gives the same ids and data."""
    with click.progressbar(
        length=location_count * order_count, label="seeding orders", file=sys.stderr
    ) as bar:
        made = _run(lambda m: m.seed(location_count, order_count, seed, progress=bar.update))
    payload = {"locations": [{"id": i, "orders": n} for i, n in made]}
    _emit(as_json, payload, "\n".join(f"{i}  {n} orders" for i, n in made))


@main.group()
def orders() -> None:
    """Create and import orders (HighLevel's public API has no create-order endpoint)."""


def _lines(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        yield from handle


def _location_of_first_line(path: Path) -> str:
    for raw in _lines(path):
        if raw.strip():
            try:
                first = msgspec.json.decode(raw)
            except msgspec.DecodeError:
                break
            if isinstance(first, dict):
                found = first.get("location_id") or first.get("altId")
                if isinstance(found, str):
                    return found
            break
    raise click.UsageError("--location is required when the first line names no location_id/altId")


@orders.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--location", "location_id", help="Target location; default: the first line's own.")
@click.option("--format", "fmt", type=click.Choice(["canonical", "highlevel"]), default="canonical")
@click.option("--json", "as_json", is_flag=True)
def orders_import(file: Path, location_id: str | None, fmt: ImportFormat, as_json: bool) -> None:
    """Import NDJSON orders: every line is checked first, then all go in, or none."""
    target = location_id or _location_of_first_line(file)
    count = _run(lambda m: m.import_lines(target, _lines(file), fmt))
    _emit(as_json, {"imported": count, "location": target}, f"imported {count} orders into {target}")


@orders.command("create")
@click.option("--location", "location_id", required=True)
@click.argument("file", type=click.File("rb"), default="-")
@click.option("--json", "as_json", is_flag=True)
def orders_create(location_id: str, file: Any, as_json: bool) -> None:
    """Create one order from its canonical JSON (a file, or stdin)."""
    try:
        new = msgspec.json.decode(file.read(), type=NewOrder)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise click.UsageError(f"not a valid order: {exc}") from None
    order = _run(lambda m: m.create_order(location_id, new))
    _emit(as_json, msgspec.to_builtins(order), order.id)


@orders.command("cancel")
@click.option("--location", "location_id", required=True)
@click.argument("order_id")
@click.option("--json", "as_json", is_flag=True)
def orders_cancel(location_id: str, order_id: str, as_json: bool) -> None:
    """Cancel an order (money already collected stays until refunded)."""
    order = _run(lambda m: OrderLifecycle(m.store).cancel(location_id, order_id))
    _emit(as_json, msgspec.to_builtins(order), f"{order.id} {order.status.value}")


@orders.command("refund")
@click.option("--location", "location_id", required=True)
@click.argument("order_id")
@click.option(
    "--amount", type=click.IntRange(min=1), help="Minor units (cents); default: all that is refundable."
)
@click.option("--json", "as_json", is_flag=True)
def orders_refund(location_id: str, order_id: str, amount: int | None, as_json: bool) -> None:
    """Refund an order fully or partly."""
    order = _run(lambda m: OrderLifecycle(m.store).refund(location_id, order_id, amount))
    _emit(as_json, msgspec.to_builtins(order), f"{order.id} {order.payment_status.value}")


@orders.command("note")
@click.option("--location", "location_id", required=True)
@click.argument("order_id")
@click.argument("text")
@click.option("--json", "as_json", is_flag=True)
def orders_note(location_id: str, order_id: str, text: str, as_json: bool) -> None:
    """Add a free-text note to the order's timeline."""
    event = _run(lambda m: OrderLifecycle(m.store).add_note(location_id, order_id, text))
    _emit(as_json, msgspec.to_builtins(event), event.id)


@orders.command("get")
@click.option("--location", "location_id", required=True)
@click.argument("order_id")
def orders_get(location_id: str, order_id: str) -> None:
    """Print one order's canonical JSON."""
    found = _run(lambda m: m.store.get_order(location_id, order_id))
    if found is None:
        click.echo(f"error: location {location_id} has no order {order_id}", err=True)
        sys.exit(1)
    click.echo(msgspec.json.encode(found).decode())


if __name__ == "__main__":
    main()
