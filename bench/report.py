"""The generated sections of BENCHMARKS.md: machine, versions, targets, import rates, results, plans.

Each mode (`full`, `quick`) owns the text between its two markers; everything else in BENCHMARKS.md is
written by hand and left alone.
"""

from __future__ import annotations

import os
import platform
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import asyncpg

from bench.explain import Plan

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("uvicorn", "uvloop", "httptools", "asyncpg", "aiosqlite", "msgspec", "fastapi", "sqlalchemy")
SINGLE_FILTER = (
    "list_first",
    "list_status",
    "list_payment_status",
    "list_date",
    "list_contact",
    "list_transactions",
    "ep_list_status",
)
IMPORT_TARGETS = {"postgresql": 20_000, "sqlite": 10_000}
RSS_TARGET_MB = 150


@dataclass(frozen=True)
class Run:
    mode: str
    orders: int
    seconds: float
    connections: dict[str, int]
    elapsed: float
    rows: list[dict[str, Any]]
    imports: dict[str, tuple[int, float]]  # database -> (orders, seconds)
    skipped: list[tuple[str, str, str]]  # (scenario, database, reason)
    disagreements: list[str]  # a comparison server whose answer differed from ordergate's
    plans: list[Plan]
    prism: str | None  # why Prism did not run, if it did not


def _command(*argv: str) -> str:
    if shutil.which(argv[0]) is None:
        return "not installed"
    done = subprocess.run(argv, capture_output=True, text=True, check=False)  # noqa: S603
    return (done.stdout or done.stderr).strip().splitlines()[0] if (done.stdout or done.stderr) else "?"


async def postgres_version(url: str) -> str:
    conn = await asyncpg.connect(url)
    try:
        return str(await conn.fetchval("SHOW server_version"))
    finally:
        await conn.close()


def environment(postgres: str) -> list[tuple[str, str]]:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in PACKAGES)
    commit = _command("git", "-C", str(REPO), "rev-parse", "--short", "HEAD")
    dirty = subprocess.run(  # noqa: S603
        ["git", "-C", str(REPO), "status", "--porcelain", "--", "src", "bench", ":!bench/results.json"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return [
        ("date", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("commit", commit + (" (with uncommitted changes in src/ or bench/)" if dirty else "")),
        ("machine", f"{cpu}, {_cores()} cores, {memory_kb / 1024 / 1024:.0f} GiB RAM"),
        ("system", f"{platform.system()} {platform.release()}, Python {sys.version.split()[0]}"),
        ("databases", f"PostgreSQL {postgres}, SQLite {sqlite3.sqlite_version}"),
        ("packages", versions),
        ("load", f"{_command('wrk', '-v').split(' [')[0]}; Node {_command('node', '--version')}"),
    ]


def _cores() -> int:
    return os.cpu_count() or 1


def _number(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def _ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _find(rows: list[dict[str, Any]], scenario: str, database: str, server: str) -> dict[str, Any] | None:
    for row in rows:
        if (row["scenario"], row["database"], row["server"]) == (scenario, database, server):
            return row
    return None


def _cell(figure: tuple[str, bool] | None) -> str:
    return figure[0] if figure is not None else "–"


def targets(run: Run) -> list[tuple[str, str, str, str]]:
    """(target, postgresql, sqlite, met) for every target of the issue that this run measured."""
    found: list[tuple[str, str, str, str]] = []
    databases = ("postgresql", "sqlite")

    def line(label: str, figures: dict[str, tuple[str, bool] | None]) -> None:
        measured = [f for f in figures.values() if f is not None]
        if not measured:
            return
        met = "yes" if all(ok for _, ok in measured) else "**no**"
        cells = [_cell(figures.get(d)) for d in databases]
        found.append((label, cells[0], cells[1], met))

    for key, label, floor in (
        ("ratio_ceiling", "get by id: ordergate / ceiling >= 0.70", 0.70),
        ("ratio_naive", "get by id: ordergate / naive >= 2.5", 2.5),
        ("ratio_prism", "get by id: ordergate / Prism >= 3", 3.0),
    ):
        figures: dict[str, tuple[str, bool] | None] = {}
        for d in databases:
            row = _find(run.rows, "get_order", d, "ordergate")
            value = row.get(key) if row else None
            figures[d] = (f"{value:.2f}", value >= floor) if value is not None else None
        line(label, figures)
    for names, label, ceiling in (
        (SINGLE_FILTER, "single-filter lists, p99 <= 50 ms (worst)", 50.0),
        (("list_search",), "search, p99 <= 100 ms", 100.0),
        (("list_offset",), "offset 5,000, p99 <= 100 ms", 100.0),
    ):
        figures = {}
        for d in databases:
            worst = [
                r
                for r in run.rows
                if r["database"] == d and r["server"] == "ordergate" and r["scenario"] in names
            ]
            if worst:
                top = max(worst, key=lambda r: float(r["p99_ms"]))
                figures[d] = (f"{top['p99_ms']:.1f} ms ({top['scenario']})", float(top["p99_ms"]) <= ceiling)
            else:
                figures[d] = None
        line(label, figures)
    figures = {}
    for d in databases:
        if d in run.imports:
            orders, seconds = run.imports[d]
            figures[d] = (f"{orders / seconds:,.0f} orders/s", orders / seconds >= IMPORT_TARGETS[d])
    line("bulk import >= 20,000/s (PostgreSQL), 10,000/s (SQLite)", figures)
    figures = {}
    for d in databases:
        rss = [float(r["rss_mb"]) for r in run.rows if r["database"] == d and r["server"] == "ordergate"]
        figures[d] = (f"{max(rss):.0f} MB", max(rss) <= RSS_TARGET_MB) if rss else None
    line(f"peak RSS of one ordergate worker <= {RSS_TARGET_MB} MB", figures)
    figures = {}
    for d in databases:
        errors = [int(r["errors"]) for r in run.rows if r["database"] == d and r["server"] == "ordergate"]
        figures[d] = (str(sum(errors)), sum(errors) == 0) if errors else None
    line("no errors (ordergate, every scenario)", figures)
    return found


def render(run: Run, environment_lines: list[tuple[str, str]]) -> str:
    out: list[str] = []
    title = "Full run (`make bench`)" if run.mode == "full" else "Quick run (`make bench-quick`)"
    out.append(f"### {title}\n")
    out.append(
        f"Generated by `python -m bench.run{' --quick' if run.mode == 'quick' else ''}`; do not edit.\n"
    )
    for key, value in environment_lines:
        out.append(f"- **{key}**: {value}")
    connections = ", ".join(f"{kind} {n}" for kind, n in run.connections.items())
    out.append(
        f"- **method**: {run.orders:,} orders; wrk, 1 thread, connections: {connections}; "
        f"{run.seconds:g} s measured per scenario and server after a warm-up; run took {run.elapsed:.0f} s"
    )
    if run.prism:
        out.append(f"- **Prism**: not run ({run.prism})")
    out.append("\n#### Targets\n")
    out.append("| target | PostgreSQL | SQLite | met |")
    out.append("|---|---|---|---|")
    out.extend(f"| {t} | {pg} | {lite} | {met} |" for t, pg, lite, met in targets(run))
    out.append("\n#### Bulk import (`Management.seed` -> `Store.insert_orders`)\n")
    out.append("| database | orders | seconds | orders/s |")
    out.append("|---|---:|---:|---:|")
    for database, (orders, seconds) in run.imports.items():
        out.append(f"| {database} | {orders:,} | {seconds:.1f} | {orders / seconds:,.0f} |")
    out.append("\n#### Requests\n")
    out.append(
        "| scenario | database | server | req/s | p50 ms | p99 ms | errors | peak RSS MB "
        "| vs ceiling | vs naive | vs Prism |"
    )
    out.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in run.rows:
        ratios = [
            _ratio(row.get(f"ratio_{peer}")) if row["server"] == "ordergate" else ""
            for peer in ("ceiling", "naive", "prism")
        ]
        out.append(
            f"| {row['scenario']} | {row['database']} | {row['server']} | {_number(row['rps'])} "
            f"| {_number(row['p50_ms'], 1)} | {_number(row['p99_ms'], 1)} | {row['errors']} "
            f"| {row['rss_mb']:.0f} | " + " | ".join(ratios) + " |"
        )
    if run.disagreements:
        out.append(
            "\n**Answers that differed from ordergate's** (those comparisons are not like for like):\n"
        )
        out.extend(f"- {note}" for note in run.disagreements)
    else:
        out.append(
            "\nThe ceiling and naive apps answered each scenario's first request with the same ids and "
            "totalCount as ordergate."
        )
    if run.skipped:
        out.append("\nSkipped (picked up automatically once the endpoint answers):\n")
        out.extend(f"- {scenario} on {database}: {reason}" for scenario, database, reason in run.skipped)
    if run.plans:
        out.append("\n#### Query plans of the list scenarios\n")
        for plan in run.plans:
            out.append(
                f"<details><summary>{plan.database} {plan.scenario}: {plan.best_ms:.1f} ms "
                f"(<code>{plan.path.split('?', 1)[1]}</code>)</summary>\n"
            )
            out.append("```sql")
            for sql, explained in plan.statements:
                out.extend((sql, explained, ""))
            out.append("```\n</details>\n")
    return "\n".join(out) + "\n"


def update(path: Path, run: Run, environment_lines: list[tuple[str, str]]) -> None:
    """Replace this mode's generated section of `path` (appended when it has none yet)."""
    start, end = f"<!-- bench:{run.mode}:start -->", f"<!-- bench:{run.mode}:end -->"
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    section = f"{start}\n{render(run, environment_lines)}{end}"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        text = before + section + after
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text)
