"""Starting the servers under test one at a time, pinned to a core, and reading their peak memory.

Each server runs in its own process group (so that npx's children stop with it) with its output in
`bench/data/logs/`. Peak RSS is the kernel's high-water mark (`VmHWM`) of the largest process of the
group, read just before it is stopped.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PRISM_PACKAGE = "@stoplight/prism-cli@5.14.2"
PRISM_SPEC = REPO.parent / "shared" / "specs" / "highlevel" / "apps" / "payments.json"
SERVER_CPU = 0
LOAD_CPU = 1


def pinning_available() -> bool:
    return shutil.which("taskset") is not None and (os.cpu_count() or 1) >= 2


def pinned(argv: list[str], cpu: int) -> list[str]:
    """`argv` run on one core (`taskset`) where the machine has two or more."""
    return ["taskset", "-c", str(cpu), *argv] if pinning_available() else argv


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class ServerSpec:
    name: str  # "ordergate", "ceiling", "naive" or "prism"
    argv: list[str]  # with `{port}` where the port goes
    env: dict[str, str] = field(default_factory=dict)
    ready_path: str = "/healthz"  # answers 200 once the server is ready (Prism: any answer will do)
    start_timeout: float = 60.0


def ordergate(database_url: str) -> ServerSpec:
    """The real thing, as deployed: one worker, access log, token checks, tenant scoping all on."""
    return ServerSpec(
        "ordergate",
        [str(REPO / ".venv" / "bin" / "ordergate"), "serve", "--port", "{port}", "--workers", "1"],
        {"ORDERGATE_DATABASE_URL": database_url, "ORDERGATE_ACCESS_LOG": "1", "ORDERGATE_LOG_LEVEL": "info"},
    )


def _uvicorn(name: str, app: str, database_url: str, *extra: str) -> ServerSpec:
    argv = [sys.executable, "-m", "uvicorn", app, "--port", "{port}", "--workers", "1"]
    argv += ["--loop", "uvloop", "--http", "httptools", *extra]
    return ServerSpec(name, argv, {"BENCH_DATABASE_URL": database_url})


def ceiling(database_url: str) -> ServerSpec:
    """Same server, same driver, same SQL; no auth, no parsing beyond the query string, no logging."""
    return _uvicorn("ceiling", "bench.ceiling:app", database_url, "--no-access-log", "--log-level", "warning")


def naive(database_url: str) -> ServerSpec:
    """FastAPI + SQLAlchemy ORM as a typical user runs it: uvicorn's defaults, access log included."""
    return _uvicorn("naive", "bench.naive:app", database_url)


def prism() -> ServerSpec:
    argv = ["npx", "--yes", PRISM_PACKAGE, "mock", "--port", "{port}", "--host", "127.0.0.1", str(PRISM_SPEC)]
    return ServerSpec("prism", argv, ready_path="/payments/orders?altId=x", start_timeout=180.0)


def prism_available() -> str | None:
    """None when Prism can run here, else why not."""
    if shutil.which("npx") is None:
        return "npx is not installed"
    if not PRISM_SPEC.is_file():
        return f"{PRISM_SPEC} is missing"
    return None


class Server:
    def __init__(self, spec: ServerSpec, logs: Path) -> None:
        self.spec = spec
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        logs.mkdir(parents=True, exist_ok=True)
        self.log_path = logs / f"{spec.name}.log"
        self.started = time.monotonic()
        argv = [part.replace("{port}", str(self.port)) for part in spec.argv]
        env = {**os.environ, **spec.env}
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 (the bench's own commands)
                pinned(argv, SERVER_CPU),
                cwd=REPO,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )

    def wait_ready(self) -> None:
        deadline = time.monotonic() + self.spec.start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.spec.name} exited at start-up; see {self.log_path}")
            status = http_status(self.url + self.spec.ready_path)
            if status == 200 or (status is not None and self.spec.name == "prism"):
                return
            time.sleep(0.1)
        raise RuntimeError(
            f"{self.spec.name} not ready in {self.spec.start_timeout:.0f} s; see {self.log_path}"
        )

    def uptime(self) -> float:
        return time.monotonic() - self.started

    def peak_rss_mb(self) -> float:
        """The largest high-water mark of resident memory among the server's processes."""
        peaks = [_vm_hwm_kb(pid) for pid in _group_pids(self.process.pid)]
        return max(peaks, default=0) / 1024

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def __enter__(self) -> Server:
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def http_status(url: str, headers: dict[str, str] | None = None) -> int | None:
    """The status of a GET, or None when nothing answers."""
    return http_get(url, headers)[0]


def http_get(
    url: str, headers: dict[str, str] | None = None, timeout: float = 30
) -> tuple[int | None, bytes]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (loopback only)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            return int(answer.status), bytes(answer.read())
    except urllib.error.HTTPError as failure:
        return failure.code, failure.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None, b""


def _group_pids(leader: int) -> list[int]:
    """The processes of `leader`'s process group (the server and anything it started)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == leader:  # field 5 of stat, the process group
            found.append(int(entry.name))
    return found


def _vm_hwm_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0
