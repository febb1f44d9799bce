"""Seeded orders generated in a separate process, for large seedings.

Generating an order is pure Python (tens of microseconds), and so is turning it into rows: in one process
the two take turns on one core while the database waits. A worker process (`python -m
ordergate.seeding.worker`) generates the orders on the other core and sends them over pickled: a batch's
orders share their products, prices, contacts and sources, pickle sends each of those once and shares
them again on arrival, and so a batch is read back in about 10 microseconds an order (msgpack, which
shares nothing, takes three times as long). The orders are the same, byte for byte: the worker runs the
same `LocationFactory`, and one worker generates a location's batches in turn.

The protocol is frames on the worker's stdin and stdout, each a 4-byte big-endian length and a body:
requests `[location_id, seed, anchor, start, count]` in msgpack, answers the pickled list of orders (from
the child this process started itself, never from anyone else). A plain subprocess rather
than `multiprocessing`, whose start methods import the parent's `__main__` again.
"""

from __future__ import annotations

import asyncio
import os
import pickle
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import BinaryIO

import msgspec

from ordergate.domain.order import Order

AHEAD = 3  # batches asked for beyond the one being taken
_LENGTH = 4

_encode = msgspec.msgpack.Encoder().encode
_decode_request = msgspec.msgpack.Decoder(tuple[str, int, int, int, int]).decode


class OrderWorker:
    """One generating process; `batches` yields a location's orders in order, a batch at a time."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self._process = process
        self._lock = asyncio.Lock()  # one location's batches at a time
        self._unread = 0  # batches asked for and not yet received

    @classmethod
    async def start(cls) -> OrderWorker:
        source = str(Path(__file__).parents[2])  # the directory holding the package
        path = os.environ.get("PYTHONPATH")
        env = {**os.environ, "PYTHONPATH": source if not path else f"{source}{os.pathsep}{path}"}
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "ordergate.seeding.worker",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            env=env,
        )
        return cls(process)

    async def batches(
        self, location_id: str, count: int, seed: int, anchor: int, size: int
    ) -> AsyncIterator[list[Order]]:
        writer, reader = self._process.stdin, self._process.stdout
        assert writer is not None
        assert reader is not None
        starts = iter(range(0, count, size))
        async with self._lock:
            if self._unread:
                raise RuntimeError("an earlier seeding stopped with batches still coming")
            for start in starts:
                _send(writer, location_id, seed, anchor, start, min(size, count - start))
                self._unread += 1
                if self._unread > AHEAD:
                    break
            await writer.drain()
            while self._unread:
                orders = await _receive(reader)
                self._unread -= 1
                following = next(starts, None)
                if following is not None:
                    _send(writer, location_id, seed, anchor, following, min(size, count - following))
                    self._unread += 1
                    await writer.drain()
                yield orders

    async def close(self) -> None:
        process = self._process
        if process.stdin is not None:
            process.stdin.close()
        if process.returncode is None:
            try:
                await asyncio.wait_for(process.wait(), timeout=5)
            except TimeoutError:
                process.kill()
                await process.wait()


def _send(writer: asyncio.StreamWriter, *request: str | int) -> None:
    body = _encode(request)
    writer.write(len(body).to_bytes(_LENGTH, "big") + body)


async def _receive(reader: asyncio.StreamReader) -> list[Order]:
    try:
        length = int.from_bytes(await reader.readexactly(_LENGTH), "big")
        body = await reader.readexactly(length)
    except asyncio.IncompleteReadError:
        raise RuntimeError("the order generating process stopped") from None
    orders: list[Order] = pickle.loads(body)  # noqa: S301 - our own child's answer
    return orders


def serve(requests: BinaryIO, answers: BinaryIO) -> None:
    """The worker's loop: answer each request with the orders it asks for, until stdin closes."""
    from ordergate.seeding.location import LocationFactory

    current: tuple[tuple[str, int, int], LocationFactory, int] | None = None
    while header := requests.read(_LENGTH):
        location_id, seed, anchor, start, count = _decode_request(
            requests.read(int.from_bytes(header, "big"))
        )
        key = (location_id, seed, anchor)
        if current is None or current[0] != key or current[2] > start:
            current = (key, LocationFactory(location_id, seed, anchor), 0)
        _, factory, index = current
        while index < start:  # batches are asked for in turn, so only a restart skips any
            factory.order(index)
            index += 1
        body = pickle.dumps([factory.order(i) for i in range(start, start + count)], protocol=5)
        current = (key, factory, start + count)
        answers.write(len(body).to_bytes(_LENGTH, "big") + body)
        answers.flush()


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
