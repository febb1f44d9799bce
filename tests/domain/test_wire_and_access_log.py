"""The hot path's shortcuts say exactly what the slow, obvious code says: `wire` against `clock.iso_ms` and
`money.to_major`, and the access log's lines against the documented format, written within their deadline."""

from __future__ import annotations

import asyncio
import io
import re

from hypothesis import given
from hypothesis import strategies as st

from ordergate import access_log, wire
from ordergate.access_log import AccessLog
from ordergate.domain.clock import iso_ms
from ordergate.domain.money import to_major

LINE = re.compile(
    r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO ordergate\.access GET /payments/orders 200 \d+\.\d\dms\n"
)


@given(st.integers(min_value=-2_208_988_800_000, max_value=7_258_118_400_000))  # 1900 to 2200
def test_iso_ms_is_the_clocks(epoch_ms: int) -> None:
    assert wire.iso_ms(epoch_ms) == iso_ms(epoch_ms)


@given(
    st.sampled_from(["USD", "JPY", "BHD", "EUR", "CLF", "KWD"]),
    st.integers(min_value=-(10**15), max_value=10**15),
)
def test_major_is_to_major(currency: str, minor: int) -> None:
    got = wire.major(minor, wire.minor_per_major(currency))
    want = to_major(minor, currency)
    assert got == want
    assert type(got) is type(want)


async def test_access_lines_are_written_within_their_deadline() -> None:
    stream = io.StringIO()
    log = AccessLog(asyncio.get_running_loop(), stream)
    log.request("GET", "/payments/orders", 200, 0.0)
    assert stream.getvalue() == ""  # batched...
    await asyncio.sleep(access_log.FLUSH_SECONDS * 3)
    assert LINE.fullmatch(stream.getvalue())  # ...and written within FLUSH_SECONDS


async def test_a_full_batch_is_written_at_once() -> None:
    stream = io.StringIO()
    log = AccessLog(asyncio.get_running_loop(), stream)
    for _ in range(access_log.MAX_BATCH):
        log.request("GET", "/payments/orders", 200, 0.0)
    lines = stream.getvalue().splitlines(keepends=True)
    assert len(lines) == access_log.MAX_BATCH
    assert all(LINE.fullmatch(line) for line in lines)
