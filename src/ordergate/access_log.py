"""The access log: one line per request (method, path, status, duration), never headers or tokens.

Each line reads like every other log line (`LOG_FORMAT`, logger `ordergate.access`), but it is made
without a `LogRecord` and its formatter, and lines are written in batches: at most `FLUSH_SECONDS` after
the first line of a batch, or at once when `MAX_BATCH` lines are waiting, and whatever is left on
shutdown. Through `logging`, the line alone (a record, its formatting, a write and a flush per request)
cost more than the rest of a cached read's Python. Lines go to standard error, where `create_app`
configures logging to write; a process killed without shutdown loses at most the last batch.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import time
from typing import TextIO

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
LOGGER = "ordergate.access"
FLUSH_SECONDS = 0.05
MAX_BATCH = 512


class AccessLog:
    def __init__(self, loop: asyncio.AbstractEventLoop, stream: TextIO | None = None) -> None:
        self._loop = loop
        self._stream = stream
        self._lines: list[str] = []
        self._flush_due = False
        self._second = -1
        self._stamp = ""
        # As `logging` decides: silent when the access logger (or the level) leaves out INFO.
        self.enabled = logging.getLogger(LOGGER).isEnabledFor(logging.INFO)

    def request(self, method: str, path: str, status: int, started: float) -> None:
        """Log one answered request; `started` is its `time.perf_counter()` at arrival."""
        elapsed_ms = (time.perf_counter() - started) * 1000
        now = time.time()
        second = int(now)
        if second != self._second:  # `asctime`, as logging's default Formatter writes it
            self._second = second
            self._stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(second))
        millis = int((now - second) * 1000)
        self._lines.append(
            f"{self._stamp},{millis:03d} INFO {LOGGER} {method} {path} {status} {elapsed_ms:.2f}ms\n"
        )
        if len(self._lines) >= MAX_BATCH:
            self.flush()
        elif not self._flush_due:
            self._flush_due = True
            self._loop.call_later(FLUSH_SECONDS, self._flush_later)

    def _flush_later(self) -> None:
        self._flush_due = False
        self.flush()

    def flush(self) -> None:
        if not self._lines:
            return
        text = "".join(self._lines)
        self._lines.clear()
        stream = self._stream or sys.stderr
        with contextlib.suppress(OSError, ValueError):  # a closed stream: as logging, never fail a request
            stream.write(text)
            stream.flush()
