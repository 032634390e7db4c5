"""Prometheus metrics and the liveness/readiness endpoints of `orchestrator serve`.

`Metrics` is an observer on the runtime's events hook (`runtime/events.py`): the loops
and the database boundary call it; it only counts. `EndpointServer` answers HTTP on
the process's own asyncio loop (so an answer at all proves the loop is not blocked):

- `/metrics`: the Prometheus text format (`prometheus-client`, a registry per process);
- `/healthz`: 200 whenever the process lives and none of its loops has ended, from
  start-up on (also while the database is still awaited); else 503;
- `/readyz`: 200 when the database passed the version handshake, no reconnect is under
  way, and it answers the release and `get_worker_settings()` within 2 s; else 503.

Off unless `--metrics-port` / ORCHESTRATOR_METRICS_PORT is given; binds 127.0.0.1
unless `--metrics-host` says otherwise. The port is bound before the database is
opened: a port in use or a host that cannot be bound is one line and exit 2
(`bind_error_line`), never a restart loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Final

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from .runtime.errors import DbError
from .runtime.events import NoEvents
from .runtime.shell import EXIT_CONFIGURATION, ShellExit

log = logging.getLogger("orchestrator.metrics")

CALL_BUCKETS: Final = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)
READY_TIMEOUT_S: Final = 2.0


class Metrics(NoEvents):
    """The runtime observer that feeds the Prometheus metrics (names are the contract)."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        r = self.registry
        self.sync_runs = Counter(
            "orchestrator_sync_runs",
            "Sync runs finished by this process, by outcome (completed, failed, cut_short, "
            "unreported), error_code and integration_type.",
            ["outcome", "error_code", "integration_type"],
            registry=r,
        )
        self.sync_call_seconds = Histogram(
            "orchestrator_sync_call_seconds",
            "Seconds from claim to outcome of one sync run (the integration call).",
            buckets=CALL_BUCKETS,
            registry=r,
        )
        self.sync_in_flight = Gauge(
            "orchestrator_sync_in_flight", "Sync runs claimed and not yet finished.", registry=r
        )
        self.health_checks = Counter(
            "orchestrator_health_checks",
            "Health checks finished by this process, by status and integration_type.",
            ["status", "integration_type"],
            registry=r,
        )
        self.reports_retried = Counter(
            "orchestrator_reports_retried",
            "Reports that met a transient database error and were retried.",
            registry=r,
        )
        self.db_errors = Counter(
            "orchestrator_db_errors",
            "Database errors at the runtime's boundary (transient, permanent, refused).",
            registry=r,
        )
        self.last_poll = Gauge(
            "orchestrator_last_poll_timestamp_seconds",
            "Unix time of the last successful claim, by loop (sync, health).",
            ["loop"],
            registry=r,
        )

    # --- the events hook -----------------------------------------------------------------

    def on_poll(self, service: str, claimed: int) -> None:
        self.last_poll.labels(loop=service).set(time.time())
        if service == "sync" and claimed:
            self.sync_in_flight.inc(claimed)

    def on_item_finished(
        self, service: str, item: object, outcome: object | None, latency_s: float, reported: bool
    ) -> None:
        integration_type = str(getattr(item, "integration_type", "") or "")
        if service == "sync":
            self.sync_in_flight.dec()
            self.sync_call_seconds.observe(latency_s)
            if outcome is None:
                name, code = "cut_short", ""
            else:
                name = str(getattr(outcome, "status", "unknown"))
                code = str(getattr(outcome, "error_code", "") or "")
            if not reported:
                name = "unreported" if outcome is not None else name
            self.sync_runs.labels(
                outcome=name, error_code=code, integration_type=integration_type
            ).inc()
        elif service == "health" and outcome is not None and reported:
            status = str(getattr(outcome, "status", "unknown"))
            self.health_checks.labels(status=status, integration_type=integration_type).inc()

    def on_report_retried(self, service: str, error: DbError) -> None:
        self.reports_retried.inc()

    def on_db_error(self, error: DbError) -> None:
        self.db_errors.inc()

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


@dataclass
class Liveness:
    """The loops of the process: alive until one of them has ended (before the loops
    start, while the database is awaited, the process is alive: that is /readyz's
    business)."""

    tasks: dict[str, asyncio.Task[object]] = field(default_factory=dict)

    def watch(self, name: str, task: asyncio.Task[object]) -> None:
        self.tasks[name] = task

    def alive(self) -> bool:
        return not any(t.done() for t in self.tasks.values())


ReadyCheck = Callable[[], Awaitable[bool]]


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    content_type: str = "text/plain; charset=utf-8"


REASONS: Final = {
    200: "OK",
    404: "Not Found",
    405: "Method Not Allowed",
    503: "Service Unavailable",
}


class EndpointServer:
    """/metrics, /healthz and /readyz on the running asyncio loop (HTTP/1.0 style: one
    request per connection)."""

    def __init__(self, metrics: Metrics, liveness: Liveness, ready: ReadyCheck) -> None:
        self.metrics = metrics
        self.liveness = liveness
        self.ready = ready
        self._server: asyncio.Server | None = None

    async def start(self, host: str, port: int) -> tuple[str, int]:
        """Bind and serve; a port or host that cannot be bound is a ShellExit (exit 2)."""
        try:
            self._server = await asyncio.start_server(self._handle, host, port)
        except OSError as exc:
            raise ShellExit(EXIT_CONFIGURATION, bind_error_line(host, port, exc)) from None
        sockname = self._server.sockets[0].getsockname()
        log.info("metrics on http://%s:%d/metrics (also /healthz, /readyz)", host, sockname[1])
        return str(sockname[0]), int(sockname[1])

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def respond(self, method: str, path: str) -> Response:
        path = path.split("?", 1)[0]
        if method not in ("GET", "HEAD"):
            return Response(405, b"method not allowed\n")
        if path == "/metrics":
            return Response(200, self.metrics.exposition(), CONTENT_TYPE_LATEST)
        if path == "/healthz":
            ok = self.liveness.alive()
            return Response(200 if ok else 503, b"ok\n" if ok else b"loop not running\n")
        if path == "/readyz":
            ok = await self.ready()
            return Response(200 if ok else 503, b"ready\n" if ok else b"database not ready\n")
        return Response(404, b"not found\n")

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            async with asyncio.timeout(10):
                request_line = (await reader.readline()).decode("latin-1").strip()
                while (await reader.readline()).strip():
                    pass  # headers are not needed
            parts = request_line.split()
            if len(parts) < 2:
                return
            response = await self.respond(parts[0].upper(), parts[1])
            body = b"" if parts[0].upper() == "HEAD" else response.body
            head = (
                f"HTTP/1.1 {response.status} {REASONS.get(response.status, '')}\r\n"
                f"Content-Type: {response.content_type}\r\n"
                f"Content-Length: {len(response.body)}\r\n"
                "Connection: close\r\n\r\n"
            )
            writer.write(head.encode("latin-1") + body)
            await writer.drain()
        except (TimeoutError, ConnectionError) as exc:
            log.debug("metrics endpoint: %s", exc)
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()


def bind_error_line(host: str, port: int, exc: OSError) -> str:
    """One line naming the option to fix (no traceback, no mention of the database)."""
    where = f"cannot serve metrics on {host}:{port}"
    reason = (exc.strerror or str(exc) or type(exc).__name__).strip()
    if isinstance(exc, socket.gaierror):
        return (
            f"{where}: --metrics-host {host!r} does not resolve ({reason}); "
            "fix --metrics-host (env ORCHESTRATOR_METRICS_HOST)"
        )
    if exc.errno == errno.EADDRNOTAVAIL:
        return (
            f"{where}: --metrics-host {host!r} is not an address of this machine; "
            "fix --metrics-host (env ORCHESTRATOR_METRICS_HOST)"
        )
    if exc.errno == errno.EADDRINUSE:
        return (
            f"{where}: the port is already in use; pick another --metrics-port "
            "(env ORCHESTRATOR_METRICS_PORT) or stop what listens there"
        )
    if exc.errno == errno.EACCES:
        return (
            f"{where}: permission denied (ports below 1024 need privileges); "
            "pick another --metrics-port (env ORCHESTRATOR_METRICS_PORT)"
        )
    return (
        f"{where}: --metrics-host {host!r} cannot be bound ({reason}); "
        "fix --metrics-host (env ORCHESTRATOR_METRICS_HOST)"
    )


@contextlib.asynccontextmanager
async def serving(
    metrics: Metrics, liveness: Liveness, ready: ReadyCheck, host: str, port: int
) -> AsyncIterator[EndpointServer]:
    """The endpoints, served for as long as the block runs."""
    server = EndpointServer(metrics, liveness, ready)
    await server.start(host, port)
    try:
        yield server
    finally:
        await server.close()


def ready_check(probe: Callable[[], Awaitable[object]]) -> ReadyCheck:
    """`probe` (a database call) answering within 2 s means ready."""

    async def check() -> bool:
        try:
            async with asyncio.timeout(READY_TIMEOUT_S):
                await probe()
        except (DbError, TimeoutError):
            return False
        return True

    return check
