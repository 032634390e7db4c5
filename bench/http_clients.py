"""`python -m bench.http_clients`: asyncio HTTP clients on the worker's workload (issue 24).

A loopback HTTP/1.1 endpoint (its own process, so it never shares the client's GIL;
TCP_NODELAY on every accepted socket; a small JSON answer at once, keep-alive) receives
POSTs of the worker's shape (the run's JSON body, the signed-call headers, the streamed
read of at most 1 MiB and the JSON parse of the answer) at concurrency 24 and 50, from:

- `httpx-0.2`: httpx as the 0.2 worker configured it (one client, a pool of C connections)
  with sniffio absent, as it is in the worker's environment: httpcore then tries
  `import sniffio` on every request (emulated here as a missing module costs: a search of
  every sys.path entry, then ModuleNotFoundError);
- `httpx+sniffio`: the same client with sniffio importable;
- `httpx+sniffio+shards`: sniffio importable and the pool sharded: ceil(C/8) clients of at
  most 8 connections each, taken in turn (httpcore's pool bookkeeping grows with the square
  of the pool size);
- `aiohttp`: one ClientSession, a TCPConnector of C connections;
- `curl_cffi`: libcurl's multi interface on the asyncio loop (AsyncSession, C handles);
- `worker-0.3`: the shipped call path on aiohttp (`sync.http_call.HttpIntegrationCaller`:
  the URL rules, the Standard Webhooks signature, the capped streamed read, the
  classification) — the worker's own cost per call, without its database work.

Each (client, concurrency) runs in a fresh process, three repeats interleaved (client
order rotated per repeat); figures: requests/s (wall) and the client process's CPU seconds
per 1,000 requests (user + system), median of the repeats. The machine's load average is
printed before and after. A client whose library is missing is reported, not measured.
"""

from __future__ import annotations

import asyncio
import importlib.abc
import importlib.machinery
import json
import math
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any, Final

import click

from orchestrator.tooling.localdb import PROJECT_ROOT

CLIENTS: Final = (
    "httpx-0.2",
    "httpx+sniffio",
    "httpx+sniffio+shards",
    "aiohttp",
    "curl_cffi",
    "worker-0.3",
)
SHARD_SIZE: Final = 8
MAX_BODY: Final = 1024 * 1024
ANSWER: Final = json.dumps({"records_processed": 1, "records_failed": 0}).encode()
RESULTS: Final = PROJECT_ROOT / "bench" / "results"

# ---------------------------------------------------------------------------------------
# The endpoint: a minimal HTTP/1.1 server on asyncio (keep-alive, Content-Length bodies).


class _Endpoint(asyncio.Protocol):
    answer = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
        + str(len(ANSWER)).encode()
        + b"\r\n\r\n"
        + ANSWER
    )

    def __init__(self) -> None:
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end].decode("latin-1").lower()
            length = 0
            for line in head.split("\r\n")[1:]:
                name, _, value = line.partition(":")
                if name.strip() == "content-length":
                    length = int(value)
            if len(self.buffer) < end + 4 + length:
                return
            self.buffer = self.buffer[end + 4 + length :]
            assert self.transport is not None
            self.transport.write(self.answer)


def serve_endpoint() -> None:
    """Run the endpoint on 127.0.0.1 (free port), print the port, serve until stdin ends."""

    async def main() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(_Endpoint, "127.0.0.1", 0, backlog=1024)
        port = server.sockets[0].getsockname()[1]
        print(port, flush=True)
        await loop.run_in_executor(None, sys.stdin.read)  # the parent closes stdin to stop us
        server.close()

    asyncio.run(main())


# ---------------------------------------------------------------------------------------
# The clients: one request of the worker's shape each.

Request = Callable[[str, bytes, dict[str, str]], Awaitable[int]]


class _SniffioAbsent(importlib.abc.MetaPathFinder):
    """`import sniffio` fails as for a module that is not installed: every sys.path entry
    is searched (for a name that exists nowhere), then ModuleNotFoundError."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != "sniffio":
            return None
        importlib.machinery.PathFinder.find_spec("sniffio_is_not_installed_here")
        raise ModuleNotFoundError("No module named 'sniffio'", name="sniffio")


def _worker_headers(i: int) -> dict[str, str]:
    return {
        "Idempotency-Key": f"org:xledger:2026-01-01T12:00:00Z:{i}",
        "Content-Type": "application/json",
        "Accept": "application/json",
        "Accept-Encoding": "identity",
        "webhook-id": f"org:xledger:2026-01-01T12:00:00Z:{i}",
        "webhook-timestamp": str(int(time.time())),
        "webhook-signature": "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=",
    }


def _body(i: int) -> bytes:
    return json.dumps(
        {
            "run_id": f"00000000-0000-0000-0000-{i:012d}",
            "org_id": "11111111-1111-1111-1111-111111111111",
            "integration_type": "xledger",
            "triggered_by": "scheduler",
            "scheduled_for": "2026-01-01T12:00:00+00:00",
            "idempotency_key": f"org:xledger:2026-01-01T12:00:00Z:{i}",
        }
    ).encode()


async def _httpx_client(concurrency: int, shards: int) -> tuple[Request, Callable[[], Any]]:
    import httpx

    size = math.ceil(concurrency / shards)
    clients = [
        httpx.AsyncClient(
            limits=httpx.Limits(max_connections=size, max_keepalive_connections=size),
            follow_redirects=False,
        )
        for _ in range(shards)
    ]
    turn = [0]

    async def request(url: str, body: bytes, headers: dict[str, str]) -> int:
        client = clients[turn[0] % shards]
        turn[0] += 1
        async with client.stream("POST", url, content=body, headers=headers) as response:
            data = bytearray()
            async for chunk in response.aiter_raw():
                data += chunk
                if len(data) > MAX_BODY:
                    break
            json.loads(data)
            return response.status_code

    async def close() -> None:
        for c in clients:
            await c.aclose()

    return request, close


async def _aiohttp_client(concurrency: int) -> tuple[Request, Callable[[], Any]]:
    import aiohttp

    session = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=concurrency, limit_per_host=concurrency),
        auto_decompress=False,
    )

    async def request(url: str, body: bytes, headers: dict[str, str]) -> int:
        async with session.post(url, data=body, headers=headers, allow_redirects=False) as r:
            data = bytearray()
            while len(data) <= MAX_BODY:
                chunk = await r.content.read(65536)
                if not chunk:
                    break
                data += chunk
            json.loads(data)
            return r.status

    return request, session.close


async def _curl_client(concurrency: int) -> tuple[Request, Callable[[], Any]]:
    from curl_cffi.requests import AsyncSession

    session: Any = AsyncSession(max_clients=concurrency)

    async def request(url: str, body: bytes, headers: dict[str, str]) -> int:
        r = await session.post(url, data=body, headers=headers, allow_redirects=False, stream=True)
        data = bytearray()
        async for chunk in r.aiter_content():
            data += chunk
            if len(data) > MAX_BODY:
                break
        await r.aclose()
        json.loads(data)
        return int(r.status_code)

    return request, session.close


async def _worker_client(concurrency: int) -> tuple[Request, Callable[[], Any]]:
    from datetime import UTC, datetime
    from uuid import uuid4

    from orchestrator.runtime.urls import UrlPolicy
    from orchestrator.sync.http_call import HttpIntegrationCaller, new_http_client
    from orchestrator.sync.models import ClaimedRun
    from orchestrator.sync.signing import CallAuth, new_webhook_secret

    client = new_http_client(UrlPolicy.with_hosts(), concurrency)
    await client.__aenter__()
    auth = CallAuth.from_environ({"ORCHESTRATOR_WEBHOOK_SECRET": new_webhook_secret()})
    caller = HttpIntegrationCaller(client, auth, 45.0, environ={})
    org, at = uuid4(), datetime(2026, 1, 1, 12, tzinfo=UTC)

    async def request(url: str, body: bytes, headers: dict[str, str]) -> int:
        run = ClaimedRun(uuid4(), org, "xledger", url, "scheduler", at, headers["webhook-id"], None)
        outcome = await caller.call(run)
        return outcome.http_status or 0 if outcome.ok else -1

    async def close() -> None:
        await client.__aexit__()

    return request, close


async def _make(kind: str, concurrency: int) -> tuple[Request, Callable[[], Any]]:
    if kind == "httpx-0.2":
        sys.meta_path.insert(0, _SniffioAbsent())
        return await _httpx_client(concurrency, 1)
    if kind == "httpx+sniffio":
        return await _httpx_client(concurrency, 1)
    if kind == "httpx+sniffio+shards":
        return await _httpx_client(concurrency, math.ceil(concurrency / SHARD_SIZE))
    if kind == "aiohttp":
        return await _aiohttp_client(concurrency)
    if kind == "curl_cffi":
        return await _curl_client(concurrency)
    if kind == "worker-0.3":
        return await _worker_client(concurrency)
    raise click.BadParameter(f"unknown client {kind}")


async def _drive(request: Request, url: str, concurrency: int, count: int) -> None:
    left = [count]

    async def one_slot() -> None:
        while left[0] > 0:
            left[0] -= 1
            i = left[0]
            status = await request(url, _body(i), _worker_headers(i))
            if status != 200:
                raise RuntimeError(f"HTTP {status}")

    await asyncio.gather(*(one_slot() for _ in range(concurrency)))


def measure_client(kind: str, url: str, concurrency: int, count: int) -> dict[str, float]:
    """In this process: warm up, then `count` requests at `concurrency`."""

    async def main() -> dict[str, float]:
        request, close = await _make(kind, concurrency)
        try:
            await _drive(request, url, concurrency, max(concurrency * 4, 200))  # warm-up
            cpu0, wall0 = time.process_time(), time.perf_counter()
            await _drive(request, url, concurrency, count)
            cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
        finally:
            await close()
        return {"rps": count / wall, "cpu_s_per_1000": cpu / count * 1000}

    return asyncio.run(main())


# ---------------------------------------------------------------------------------------
# The report.


def _available(kind: str) -> bool:
    module = {"aiohttp": "aiohttp", "curl_cffi": "curl_cffi", "worker-0.3": "aiohttp"}.get(
        kind, "httpx"
    )
    probe = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, check=False
    )
    if kind.startswith("httpx+sniffio"):
        probe = (
            probe
            if probe.returncode
            else subprocess.run(
                [sys.executable, "-c", "import sniffio"], capture_output=True, check=False
            )
        )
    return probe.returncode == 0


def _run_child(kind: str, url: str, concurrency: int, count: int) -> dict[str, float]:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.http_clients",
            "--child",
            kind,
            "--url",
            url,
            "--concurrency-one",
            str(concurrency),
            "--requests",
            str(count),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT_ROOT,
        timeout=600,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} (1/5/15 min, {os.cpu_count()} cores)"


@click.command()
@click.option("--requests", "count", type=int, default=3000, show_default=True)
@click.option("--repeats", type=int, default=3, show_default=True)
@click.option("--concurrency", default="24,50", show_default=True)
@click.option("--clients", default=",".join(CLIENTS), show_default=True)
@click.option("--child", default=None, hidden=True)
@click.option("--url", default=None, hidden=True)
@click.option("--concurrency-one", type=int, default=0, hidden=True)
@click.option("--serve", is_flag=True, hidden=True)
@click.option("--results-dir", type=click.Path(path_type=Path), default=RESULTS)
def main(
    count: int,
    repeats: int,
    concurrency: str,
    clients: str,
    child: str | None,
    url: str | None,
    concurrency_one: int,
    serve: bool,
    results_dir: Path,
) -> None:
    if serve:
        serve_endpoint()
        return
    if child is not None:
        assert url is not None
        click.echo(json.dumps(measure_client(child, url, concurrency_one, count)))
        return
    levels = [int(c) for c in concurrency.split(",")]
    kinds = [k for k in clients.split(",") if k]
    missing = [k for k in kinds if not _available(k)]
    kinds = [k for k in kinds if k not in missing]
    load_before = _load()
    endpoint = subprocess.Popen(
        [sys.executable, "-m", "bench.http_clients", "--serve"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=PROJECT_ROOT,
    )
    try:
        assert endpoint.stdout is not None
        target = f"http://127.0.0.1:{int(endpoint.stdout.readline())}/sync"
        samples: dict[tuple[str, int], list[dict[str, float]]] = {}
        for r in range(repeats):
            order = kinds[r % len(kinds) :] + kinds[: r % len(kinds)]  # interleaved, rotated
            for level in levels:
                for kind in order:
                    got = _run_child(kind, target, level, count)
                    samples.setdefault((kind, level), []).append(got)
                    click.echo(
                        f"  repeat {r + 1} {kind:<22} c={level:<3} {got['rps']:8.0f} req/s "
                        f"{got['cpu_s_per_1000']:6.3f} CPU s/1000",
                        err=True,
                    )
    finally:
        assert endpoint.stdin is not None
        endpoint.stdin.close()
        endpoint.wait(timeout=10)
    load_after = _load()
    lines = [
        f"HTTP clients, {count} POSTs per measurement, median of {repeats} interleaved repeats; "
        f"endpoint: asyncio HTTP/1.1, TCP_NODELAY, own process",
        f"load before: {load_before}; after: {load_after}",
        "",
        "| client | " + " | ".join(f"c={c} req/s | c={c} CPU s/1000" for c in levels) + " |",
        "|---|" + "---:|---:|" * len(levels),
    ]
    report: dict[str, Any] = {"load_before": load_before, "load_after": load_after, "rows": {}}
    for kind in kinds:
        cells = []
        for level in levels:
            runs = samples[(kind, level)]
            rps = statistics.median(s["rps"] for s in runs)
            cpu = statistics.median(s["cpu_s_per_1000"] for s in runs)
            report["rows"][f"{kind}@{level}"] = {"rps": rps, "cpu_s_per_1000": cpu, "runs": runs}
            cells.append(f"{rps:,.0f} | {cpu:.3f}")
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    for kind in missing:
        lines.append(f"| {kind} | not installed (pip install -e '.[bench]') |")
    click.echo("\n".join(lines))
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / "http_clients.json").write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
