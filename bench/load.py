"""Driving a server with wrk from another core, and installing wrk where it is missing.

wrk runs one thread on the load core with a fixed number of connections (a closed loop: each connection
sends its next request as soon as the previous answer arrives). `bench/wrk/paths.lua` picks a random path
per request and prints one JSON line of results. Runs shorter than a second (quick mode) stop wrk with
SIGINT, on which it still reports what it measured.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from bench.servers import LOAD_CPU, pinned

SCRIPT = Path(__file__).resolve().parent / "wrk" / "paths.lua"
INSTALL_HINT = "install it with: sudo apt-get install -y wrk (Debian/Ubuntu)"


@dataclass(frozen=True)
class Measured:
    requests: int
    seconds: float
    errors: int  # connection errors, timeouts and answers other than 2xx/3xx
    p50_ms: float | None  # None when no request completed
    p99_ms: float | None

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def ensure_wrk() -> str:
    """The path of wrk, installing the Debian package first when it is missing and we may."""
    found = shutil.which("wrk")
    if found:
        return found
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        raise SystemExit(f"wrk is not installed; {INSTALL_HINT}")
    print("wrk is missing: apt-get install -y wrk", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = [apt, "install", "-y", "-q", "wrk"]
    if subprocess.run(install, env=env, check=False).returncode != 0:  # noqa: S603
        subprocess.run([apt, "update", "-q"], env=env, check=False)  # noqa: S603
        subprocess.run(install, env=env, check=True)  # noqa: S603
    found = shutil.which("wrk")
    if not found:
        raise SystemExit(f"wrk could not be installed; {INSTALL_HINT}")
    return found


def drive(
    wrk: str, base_url: str, paths: Path, *, headers: dict[str, str], connections: int, seconds: float
) -> Measured:
    """Load `base_url` for `seconds` with `connections` connections; what wrk measured."""
    argv = [wrk, "-t1", f"-c{connections}", f"-d{math.ceil(seconds) + 5}s", "--timeout", "10s"]
    for name, value in headers.items():
        argv += ["-H", f"{name}: {value}"]
    argv += ["-s", str(SCRIPT), base_url, "--", str(paths)]
    with subprocess.Popen(  # noqa: S603 (the bench's own command line)
        pinned(argv, LOAD_CPU), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        time.sleep(seconds)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    for line in reversed(out.splitlines()):
        if line.startswith("{"):
            return _measured(json.loads(line))
    raise RuntimeError(f"wrk printed no result: {out}\n{err}")


def _measured(raw: dict[str, int]) -> Measured:
    errors = sum(
        raw[key] for key in ("connect_errors", "read_errors", "write_errors", "timeouts", "status_errors")
    )
    done = raw["requests"] > 0
    return Measured(
        requests=raw["requests"],
        seconds=raw["duration_us"] / 1e6,
        errors=errors,
        p50_ms=raw["p50_us"] / 1000 if done else None,
        p99_ms=raw["p99_us"] / 1000 if done else None,
    )
