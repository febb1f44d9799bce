"""`python -m bench.run [--quick]`: one benchmark run, from an empty database to BENCHMARKS.md.

For each database: build the data set (timed), draw the request paths, write down the query plans, then
start ordergate, the ceiling, the naive app and Prism one at a time and drive every scenario each of them
serves with wrk. Ratios compare servers measured in this same run, never figures from elsewhere.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import dataset, explain, report, scenarios, servers
from bench.load import Measured, drive, ensure_wrk

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "bench" / "data"
RESULTS = REPO / "bench" / "results.json"
BENCH_DATABASE = "ordergate_bench"
HL_VERSION = "2021-07-28"


@dataclass(frozen=True)
class Mode:
    name: str
    orders: int
    warmup: float  # seconds of load before each measurement, not recorded (quick: before the first only)
    seconds: float  # seconds measured per scenario, server and round
    rounds: int  # each round starts every server once; the best round counts
    compared: frozenset[str] | None = None  # scenarios the ceiling and naive apps run (None: all they can)
    prism: frozenset[str] | None = None  # scenarios Prism runs (None: all it can)
    prism_databases: frozenset[str] = frozenset({"postgresql", "sqlite"})  # passes Prism runs in


FULL = Mode("full", 1_000_000, warmup=1.5, seconds=5.0, rounds=3)
QUICK = Mode(
    "quick",
    50_000,
    warmup=0.3,
    seconds=0.35,
    rounds=1,
    compared=frozenset({"get_order", "list_status"}),
    prism=frozenset({"get_order"}),
    prism_databases=frozenset({"postgresql"}),  # Prism reads no database; one pass is enough here
)
CONNECTIONS = {"get": 32, "list": 4}  # wrk connections per scenario kind; see BENCHMARKS.md
FEW_REQUESTS = 20  # a full run measures a scenario this slow again, for LONG_SECONDS
LONG_SECONDS = 30.0
AGREEMENT_TIMEOUT = 60.0
SAMPLE = 5_000


@dataclass
class Skip:
    scenario: str
    database: str
    reason: str


@dataclass
class Pass:
    """Everything measured on one database."""

    database: str
    imported: dataset.Imported
    measured: dict[tuple[str, str], Measured] = field(default_factory=dict)  # (scenario, server)
    rss_mb: dict[str, float] = field(default_factory=dict)
    skipped: list[Skip] = field(default_factory=list)
    plans: list[explain.Plan] = field(default_factory=list)
    answers: dict[str, object] = field(default_factory=dict)  # ordergate's answer to each first path
    disagreements: list[str] = field(default_factory=list)


def databases(postgres_admin_url: str, chosen: list[str]) -> list[dataset.Database]:
    found = []
    if "postgresql" in chosen:
        url = postgres_admin_url.rsplit("/", 1)[0] + "/" + BENCH_DATABASE
        found.append(dataset.Database("postgresql", url, admin_url=postgres_admin_url))
    if "sqlite" in chosen:
        found.append(dataset.Database("sqlite", f"sqlite:///{DATA / 'bench.db'}"))
    return found


def probe(base_url: str, path: str, headers: dict[str, str]) -> str | None:
    """None when the server answers the path with 200, else why the scenario is skipped."""
    status, body = servers.http_get(base_url + path, headers)
    if status == 200:
        return None
    if status == 404 and b"Cannot GET" in body:
        return "no such route yet (404)"
    return f"answered {status}: {body[:160].decode('utf-8', 'replace')}"


def elasticpath_access(
    base_url: str, client: tuple[str, str] | None
) -> tuple[dict[str, str], list[str]] | str:
    """Elastic Path bearer headers and some of the dialect's order ids, or why there are none."""
    if client is None:
        return "no API clients in Management yet"
    client_id, secret = client
    form = f"grant_type=client_credentials&client_id={client_id}&client_secret={secret}".encode()
    request = urllib.request.Request(base_url + "/oauth/access_token", data=form, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
            token = json.loads(answer.read())["access_token"]
    except Exception as exc:  # any failure means the dialect is not there yet
        return f"no access token: {exc}"
    headers = {"Authorization": f"Bearer {token}"}
    status, body = servers.http_get(base_url + "/v2/orders?page[limit]=100", headers)
    if status != 200:
        return f"/v2/orders answered {status}"
    return headers, [str(order["id"]) for order in json.loads(body)["data"]]


def gist(body: bytes) -> object:
    """What two servers must agree on: the ids answered and, for a list, its totalCount."""
    answer = json.loads(body)
    if "data" in answer and isinstance(answer["data"], list):
        return answer.get("totalCount"), [item.get("_id") or item.get("id") for item in answer["data"]]
    return answer.get("_id") or answer.get("id")


def drain(server: servers.Server, paths: Path, headers: dict[str, str]) -> None:
    """Wait until the server has finished what wrk left it when it stopped: requests still queued for a
    database connection would otherwise slow the next measurement. One more request that needs a connection
    queues behind them, so its answer means they are done."""
    with paths.open() as lines:
        servers.http_get(server.url + lines.readline().strip(), headers, timeout=600)


class Runner:
    def __init__(self, mode: Mode, wrk: str, with_prism: bool) -> None:
        self.mode = mode
        self.wrk = wrk
        self.prism_reason = None if with_prism else "turned off (--no-prism)"
        if self.prism_reason is None:
            self.prism_reason = servers.prism_available()

    def run_database(self, database: dataset.Database) -> Pass:
        phase = time.monotonic()
        print(f"\n== {database.kind}: importing {self.mode.orders:,} orders", flush=True)
        imported = asyncio.run(dataset.build(database, self.mode.orders))
        print(
            f"   {imported.orders:,} orders in {imported.seconds:.1f} s: {imported.rate:,.0f} orders/s",
            flush=True,
        )
        client = asyncio.run(dataset.api_client(database, imported.location_id))
        sample = asyncio.run(dataset.sample(database, imported.location_id, SAMPLE))
        paths_dir = DATA / "paths" / database.kind
        paths = {
            s.name: scenarios.write_paths(paths_dir, s.name, scenarios.highlevel_paths(s.name, sample))
            for s in scenarios.SCENARIOS
            if s.dialect == "highlevel"
        }
        result = Pass(database.kind, imported)
        result.plans = asyncio.run(explain.plans(database, paths))
        print(f"   data set ready after {time.monotonic() - phase:.0f} s", flush=True)
        hl_headers = {"Authorization": f"Bearer {imported.token}", "Version": HL_VERSION}
        logs = DATA / "logs" / database.kind

        headers = {s.name: hl_headers for s in scenarios.SCENARIOS}
        for round_ in range(self.mode.rounds):
            with servers.Server(servers.ordergate(database.url), logs) as server:
                if round_ == 0:
                    self.discover(server, client, paths, headers, result)
                self.measure(server, "ordergate", list(paths), paths, headers, result)
            compared = [s.name for s in scenarios.SCENARIOS if s.compared and s.name in paths]
            for spec in (servers.ceiling(database.url), servers.naive(database.url)):
                chosen = [n for n in compared if self.mode.compared is None or n in self.mode.compared]
                with servers.Server(spec, logs) as server:
                    if round_ == 0:
                        self.check_agreement(server, spec.name, chosen, paths, headers, result)
                    self.measure(server, spec.name, chosen, paths, headers, result)
            if self.prism_reason is None and database.kind in self.mode.prism_databases:
                chosen = [n for n in compared if self.mode.prism is None or n in self.mode.prism]
                with servers.Server(servers.prism(), logs) as server:
                    self.measure(server, "prism", chosen, paths, headers, result)
        return result

    def discover(
        self,
        server: servers.Server,
        client: tuple[str, str] | None,
        paths: dict[str, Path],
        headers: dict[str, dict[str, str]],
        result: Pass,
    ) -> None:
        """Keep the scenarios this ordergate answers (adding the Elastic Path ones where it has them)."""
        directory = DATA / "paths" / result.database
        ep = elasticpath_access(server.url, client)
        for s in scenarios.SCENARIOS:
            if s.dialect != "elasticpath":
                continue
            if isinstance(ep, str):
                result.skipped.append(Skip(s.name, result.database, f"Elastic Path: {ep}"))
                continue
            headers[s.name] = ep[0]
            paths[s.name] = scenarios.write_paths(
                directory, s.name, scenarios.elasticpath_paths(s.name, ep[1])
            )
        for name in list(paths):
            first = paths[name].read_text().splitlines()[0]
            reason = probe(server.url, first, headers[name])
            if reason is not None:
                result.skipped.append(Skip(name, result.database, reason))
                del paths[name]
                continue
            result.answers[name] = gist(servers.http_get(server.url + first, headers[name])[1])

    def check_agreement(  # noqa: PLR0917
        self,
        server: servers.Server,
        name: str,
        chosen: list[str],
        paths: dict[str, Path],
        headers: dict[str, dict[str, str]],
        result: Pass,
    ) -> None:
        """A comparison only counts if both answer the same: same ids, same totalCount as ordergate."""
        for scenario in chosen:
            first = paths[scenario].read_text().splitlines()[0]
            status, body = servers.http_get(server.url + first, headers[scenario], timeout=AGREEMENT_TIMEOUT)
            if status != 200:
                got = f"no answer in {AGREEMENT_TIMEOUT:.0f} s" if status is None else f"status {status}"
                note = f"{name} could not be checked on {scenario} ({got})"
            elif gist(body) != result.answers.get(scenario):
                note = f"{name} disagrees with ordergate on {scenario} ({first})"
            else:
                continue
            print(f"   warning: {note}", flush=True)
            result.disagreements.append(note)

    def measure(  # noqa: PLR0917
        self,
        server: servers.Server,
        name: str,
        chosen: list[str],
        paths: dict[str, Path],
        headers: dict[str, dict[str, str]],
        result: Pass,
    ) -> None:
        """Every chosen scenario on `server`; each figure kept is the best round's (by req/s)."""
        kinds = {s.name: s.kind for s in scenarios.SCENARIOS}
        for number, scenario in enumerate(chosen):
            connections = CONNECTIONS[kinds[scenario]]
            warm = number == 0 or self.mode.rounds > 1  # a quick run warms each server up once
            for seconds in (self.mode.warmup, self.mode.seconds) if warm else (self.mode.seconds,):
                measured = drive(
                    self.wrk,
                    server.url,
                    paths[scenario],
                    headers=headers[scenario],
                    connections=connections,
                    seconds=seconds,
                )
                drain(server, paths["get_order"], headers["get_order"])
            if measured.requests < FEW_REQUESTS and self.mode.rounds > 1:  # too few for a p99: go on longer
                measured = drive(
                    self.wrk,
                    server.url,
                    paths[scenario],
                    headers=headers[scenario],
                    connections=connections,
                    seconds=LONG_SECONDS,
                )
                drain(server, paths["get_order"], headers["get_order"])
            best = result.measured.get((scenario, name))
            if best is None or measured.rps > best.rps:
                result.measured[(scenario, name)] = measured
            print(
                f"   {name:9} {scenario:20} {measured.rps:8,.0f} rps  p50 {_ms(measured.p50_ms)}  "
                f"p99 {_ms(measured.p99_ms)}  errors {measured.errors}",
                flush=True,
            )
        rss = server.peak_rss_mb()
        result.rss_mb[name] = max(rss, result.rss_mb.get(name, 0.0))
        print(f"   {name:9} peak RSS {rss:.0f} MB (up {server.uptime():.0f} s)", flush=True)


def _ms(value: float | None) -> str:
    return f"{value:6.1f} ms" if value is not None else "   none"


def _round(value: float | None) -> float | None:
    return round(value, 2) if value is not None else None


def rows(passes: list[Pass]) -> list[dict[str, Any]]:
    """results.json: one object per scenario, database and server."""
    out: list[dict[str, Any]] = []
    for p in passes:
        for (scenario, server), m in p.measured.items():
            row: dict[str, Any] = {
                "scenario": scenario,
                "database": p.database,
                "server": server,
                "rps": round(m.rps, 1),
                "p50_ms": _round(m.p50_ms),
                "p99_ms": _round(m.p99_ms),
                "errors": m.errors,
                "rss_mb": round(p.rss_mb.get(server, 0.0), 1),
            }
            if server == "ordergate":
                for other in ("ceiling", "naive", "prism"):
                    peer = p.measured.get((scenario, other))
                    row[f"ratio_{other}"] = round(m.rps / peer.rps, 3) if peer and peer.rps else None
            out.append(row)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="50,000 orders and one-second runs")
    parser.add_argument("--orders", type=int, help="override the number of orders")
    parser.add_argument("--databases", default="postgresql,sqlite")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help=f"a PostgreSQL database to create and drop {BENCH_DATABASE} from (env BENCH_POSTGRES_URL)",
    )
    parser.add_argument("--no-prism", action="store_true")
    args = parser.parse_args(argv)
    mode = QUICK if args.quick else FULL
    if args.orders:
        mode = dataclasses.replace(mode, orders=args.orders)
    started = time.monotonic()
    runner = Runner(mode, ensure_wrk(), with_prism=not args.no_prism)
    if runner.prism_reason is not None:
        print(f"Prism skipped: {runner.prism_reason}", flush=True)
    passes = [runner.run_database(db) for db in databases(args.postgres_url, args.databases.split(","))]
    table = rows(passes)
    tmp = RESULTS.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(table, indent=1) + "\n")
    tmp.replace(RESULTS)
    elapsed = time.monotonic() - started
    run = report.Run(
        mode=mode.name,
        orders=mode.orders,
        seconds=mode.seconds,
        connections=CONNECTIONS,
        elapsed=elapsed,
        rows=table,
        imports={p.database: (p.imported.orders, p.imported.seconds) for p in passes},
        skipped=[(s.scenario, s.database, s.reason) for p in passes for s in p.skipped],
        disagreements=[f"{p.database}: {note}" for p in passes for note in p.disagreements],
        plans=[plan for p in passes for plan in p.plans],
        prism=runner.prism_reason,
    )
    postgres = (
        asyncio.run(report.postgres_version(args.postgres_url)) if "postgresql" in args.databases else "-"
    )
    report.update(REPO / "BENCHMARKS.md", run, report.environment(postgres))
    print(f"\nwrote {RESULTS.relative_to(REPO)} and BENCHMARKS.md in {elapsed:.0f} s", flush=True)


if __name__ == "__main__":
    main()
