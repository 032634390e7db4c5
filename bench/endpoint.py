"""The loopback integration endpoint of the end-to-end benchmarks (`bench.e2e`), in its own
process so that it never shares a core's time slice (or a GIL) with a worker under test.

`python -m bench.endpoint` listens on 127.0.0.1 (an ephemeral port, printed as
`PORT <n>` on stdout), HTTP/1.1 keep-alive, with Nagle's algorithm off on every accepted
socket (TCP_NODELAY: a reused connection otherwise waits ~40 ms on delayed ACKs, which
capped graphile-worker in the 0.2 measurement). Plain asyncio protocol, no framework: a
request costs tens of microseconds, so the endpoint does not bound the figures (its own
CPU time is reported beside every figure).

- `POST /delay/<ms>[/...]` (any other POST path: no delay) answers 200
  `{"records_processed": 1, "records_failed": 0}` after `<ms>` milliseconds, and records
  its arrival: CLOCK_MONOTONIC (ns) when the request's first byte was read.
- `GET /_stats` → `{"count": n, "first_ns": …, "last_ns": …}` over the recorded POSTs.
- `GET /_wait?count=K&timeout=S` → waits (at most S seconds) until K POSTs have arrived;
  `{"count": n, "kth_ns": <arrival of the K-th> | null}`.
- `POST /_reset` forgets the recorded arrivals.

Ends on SIGTERM/SIGINT or when its stdin closes (the parent died).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.client import HTTPConnection
from typing import Any
from urllib.parse import parse_qs, urlsplit

from orchestrator.tooling import localdb

ANSWER = b'{"records_processed": 1, "records_failed": 0}'
MAX_HEAD = 64 * 1024


class Recorder:
    """Arrival times of the POSTs (CLOCK_MONOTONIC ns) and the waiters on their count."""

    def __init__(self) -> None:
        self.times = array("q")
        self._changed = asyncio.Event()

    def record(self, t_ns: int) -> None:
        self.times.append(t_ns)
        self._changed.set()

    def reset(self) -> None:
        self.times = array("q")

    async def wait_for(self, count: int, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while len(self.times) < count:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(left):
                    await self._changed.wait()

    def stats(self) -> dict[str, Any]:
        n = len(self.times)
        return {
            "count": n,
            "first_ns": self.times[0] if n else None,
            "last_ns": self.times[-1] if n else None,
        }


def _response(body: bytes, status: str = "200 OK") -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("ascii") + body


class _Connection(asyncio.Protocol):
    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder
        self.buffer = bytearray()
        self.first_byte_ns: int | None = None
        self.transport: asyncio.Transport | None = None
        self.busy = False  # a request is being answered (no pipelining is expected)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def data_received(self, data: bytes) -> None:
        if self.first_byte_ns is None:
            self.first_byte_ns = time.monotonic_ns()
        self.buffer += data
        if not self.busy:
            self._next()

    def _next(self) -> None:
        """Parse one complete request from the buffer, if there is one, and answer it."""
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            if len(self.buffer) > MAX_HEAD and self.transport is not None:
                self.transport.close()
            return
        head = bytes(self.buffer[:end]).decode("latin-1").split("\r\n")
        method, target = head[0].split(" ")[:2]
        headers = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        body_start = end + 4
        if "chunked" in headers.get("transfer-encoding", "").lower():
            consumed = _chunked_length(self.buffer, body_start)
            if consumed is None:
                return
            total = body_start + consumed
        else:
            total = body_start + int(headers.get("content-length") or 0)
            if len(self.buffer) < total:
                return
        del self.buffer[:total]
        arrived = self.first_byte_ns or time.monotonic_ns()
        self.first_byte_ns = time.monotonic_ns() if self.buffer else None
        close = headers.get("connection", "").lower() == "close"
        self.busy = True
        asyncio.get_running_loop().create_task(self._answer(method, target, arrived, close))

    async def _answer(self, method: str, target: str, arrived: int, close: bool) -> None:
        url = urlsplit(target)
        if url.path.startswith("/_"):
            body = await self._control(method, url.path, parse_qs(url.query))
        else:
            if method == "POST":
                self.recorder.record(arrived)
                parts = url.path.strip("/").split("/")
                if len(parts) >= 2 and parts[0] == "delay" and parts[1].isdigit():
                    await asyncio.sleep(int(parts[1]) / 1000.0)
            body = ANSWER if method == "POST" else b""
        if self.transport is None or self.transport.is_closing():
            return
        self.transport.write(_response(body))
        self.busy = False
        if close:
            self.transport.close()
        elif self.buffer:
            self._next()

    async def _control(self, method: str, path: str, query: dict[str, list[str]]) -> bytes:
        if path == "/_reset" and method == "POST":
            self.recorder.reset()
            return b"{}"
        if path == "/_wait":
            count = int(query.get("count", ["1"])[0])
            await self.recorder.wait_for(count, float(query.get("timeout", ["10"])[0]))
            times = self.recorder.times
            kth = times[count - 1] if len(times) >= count else None
            return json.dumps({"count": len(times), "kth_ns": kth}).encode()
        return json.dumps(self.recorder.stats()).encode()

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None


def _chunked_length(buf: bytearray, start: int) -> int | None:
    """Bytes a complete chunked body takes from `start`, or None while it is incomplete."""
    pos = start
    while True:
        eol = buf.find(b"\r\n", pos)
        if eol < 0:
            return None
        size = int(bytes(buf[pos:eol]).split(b";")[0], 16)
        pos = eol + 2 + size + 2
        if len(buf) < pos:
            return None
        if size == 0:
            return pos - start


async def serve(port: int) -> None:
    loop = asyncio.get_running_loop()
    recorder = Recorder()
    server = await loop.create_server(
        lambda: _Connection(recorder), "127.0.0.1", port, backlog=1024, reuse_address=True
    )
    bound = server.sockets[0].getsockname()[1]
    print(f"PORT {bound}", flush=True)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.add_reader(sys.stdin.fileno(), lambda: stop.set() if not os.read(0, 4096) else None)
    async with server:
        await stop.wait()


# --- the parent's side -------------------------------------------------------------------


@dataclass
class Endpoint:
    """A running endpoint process and a control connection to it."""

    process: subprocess.Popen[bytes]
    port: int

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, delay_ms: int = 0) -> str:
        return f"{self.base_url}/delay/{delay_ms}/sync"

    def _get(self, method: str, path: str, timeout: float = 10.0) -> dict[str, Any]:
        conn = HTTPConnection("127.0.0.1", self.port, timeout=timeout + 5)
        try:
            conn.request(method, path)
            data: dict[str, Any] = json.loads(conn.getresponse().read())
            return data
        finally:
            conn.close()

    def stats(self) -> dict[str, Any]:
        return self._get("GET", "/_stats")

    def count(self) -> int:
        return int(self.stats()["count"])

    def reset(self) -> None:
        self._get("POST", "/_reset")

    def wait_for(self, count: int, timeout: float) -> int | None:
        """Arrival (CLOCK_MONOTONIC ns) of the `count`-th POST, or None after `timeout` s."""
        answer = self._get("GET", f"/_wait?count={count}&timeout={timeout}", timeout)
        kth = answer.get("kth_ns")
        return int(kth) if kth is not None else None


@contextmanager
def endpoint_process() -> Iterator[Endpoint]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.endpoint"],
        cwd=localdb.PROJECT_ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().decode().split()
        if len(line) != 2 or line[0] != "PORT":
            raise RuntimeError(f"the bench endpoint did not start: {line}")
        yield Endpoint(proc, int(line[1]))
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1]) if len(sys.argv) > 1 else 0))
