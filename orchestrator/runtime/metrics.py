"""Prometheus metrics and the liveness/readiness endpoints of `orchestrator serve`.

`Metrics` is an observer on the runtime's events hook (`runtime/events.py`): the loops
and the database boundary call it; it only counts. `EndpointServer` answers HTTP on
the process's own asyncio loop (so an answer at all proves the loop is not blocked):

- `/metrics`: the Prometheus text format (`prometheus-client`, a registry per process);
- `/healthz`: 200 whenever the process lives and none of its loops has ended, from
  start-up on (also while the database is still awaited); else 503;
- `/readyz`: 200 when the database passed the version handshake, no reconnect is under
  way, and it answers the release and `get_worker_settings()` within 2 s; else 503.

Beside what this process counts, `EngineFigures` exports the engine's own figures
(`orchestrator_engine_*`): retries, exhausted chains, cold starts, drift and the open
alerts are decided in Postgres, not by the worker, so a process with a metrics port reads
`integration_ops.get_engine_metrics()` at start and once a minute (`read_engine_figures`)
and exports what it answered, as gauges. Every such process exports the same figures.

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
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric

from .errors import DbError, TransientDbError
from .events import NoEvents
from .shell import EXIT_CONFIGURATION, ShellExit

log = logging.getLogger("orchestrator.metrics")

CALL_BUCKETS: Final = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)
READY_TIMEOUT_S: Final = 2.0
ENGINE_FIGURES_INTERVAL_S: Final = 60.0


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
        self.engine = EngineFigures()
        r.register(self.engine)

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


RUN_OUTCOMES_24H: Final = ("completed", "failed", "cancelled", "skipped")
PER_TYPE_24H: Final = (
    (
        "retries",
        "orchestrator_engine_retries_24h",
        "Attempts after the first (retries) that ended in the last 24 h, by integration_type.",
    ),
    (
        "retries_exhausted",
        "orchestrator_engine_retries_exhausted_24h",
        "Chains whose last attempt failed with a transient code after "
        "settings.retry_max_attempts, ended in the last 24 h, by integration_type.",
    ),
    (
        "cold_starts",
        "orchestrator_engine_cold_starts_24h",
        "Runs that met a cold endpoint (warmed and retried once), ended in the last 24 h, "
        "by integration_type.",
    ),
    (
        "cold_starts_failed",
        "orchestrator_engine_cold_starts_failed_24h",
        "Cold starts whose retry failed too, ended in the last 24 h, by integration_type.",
    ),
)
DRIFT_QUANTILES: Final = (("0.5", "p50_seconds"), ("0.95", "p95_seconds"), ("1", "max_seconds"))


class EngineFigures:
    """A collector of the engine's figures (`integration_ops.get_engine_metrics()`): the
    last answer, exported as it is; nothing before the first read."""

    def __init__(self) -> None:
        self._doc: Mapping[str, Any] | None = None
        self._read_at = 0.0

    def update(self, doc: Mapping[str, Any], read_at: float) -> None:
        self._doc, self._read_at = doc, read_at

    def collect(self) -> Iterator[Metric]:
        doc = self._doc
        if doc is None:
            return
        queue = doc.get("queue") or {}
        for key, name, help_text in (
            (
                "pending",
                "orchestrator_engine_runs_pending",
                "Pending runs now, waiting retries included (engine-wide).",
            ),
            (
                "waiting_retries",
                "orchestrator_engine_retries_waiting",
                "Pending retries whose not_before is still ahead (engine-wide).",
            ),
            (
                "running",
                "orchestrator_engine_runs_running",
                "Running runs now, every worker and pg_net (engine-wide).",
            ),
        ):
            yield GaugeMetricFamily(name, help_text, value=_number(queue.get(key)))

        runs = doc.get("runs_24h") or {}
        family = GaugeMetricFamily(
            "orchestrator_engine_runs_24h",
            "Runs that ended in the last 24 h, by integration_type and outcome (engine-wide, "
            "pg_net included).",
            labels=["integration_type", "outcome"],
        )
        for integration_type, counts in sorted(runs.items()):
            for outcome in RUN_OUTCOMES_24H:
                family.add_metric([integration_type, outcome], _number(counts.get(outcome)))
        yield family
        for key, name, help_text in PER_TYPE_24H:
            family = GaugeMetricFamily(name, help_text, labels=["integration_type"])
            for integration_type, counts in sorted(runs.items()):
                family.add_metric([integration_type], _number(counts.get(key)))
            yield family

        drift = doc.get("drift_24h") or {}
        family = GaugeMetricFamily(
            "orchestrator_engine_drift_24h_seconds",
            "Dispatch drift of scheduled runs ended in the last 24 h or running: quantile "
            "0.5, 0.95 and 1 (the maximum); 0 without such runs.",
            labels=["quantile"],
        )
        for quantile, key in DRIFT_QUANTILES:
            family.add_metric([quantile], _number(drift.get(key)))
        yield family
        yield GaugeMetricFamily(
            "orchestrator_engine_drift_alert_seconds",
            "settings.drift_alert: the drift above which the engine opens a drift alert.",
            value=_number(drift.get("alert_seconds")),
        )

        family = GaugeMetricFamily(
            "orchestrator_engine_open_alerts",
            "Open integration_ops.alerts by kind (every kind, zeros included).",
            labels=["kind"],
        )
        for kind, n in sorted((doc.get("open_alerts") or {}).items()):
            family.add_metric([kind], _number(n))
        yield family

        yield GaugeMetricFamily(
            "orchestrator_engine_figures_timestamp_seconds",
            "Unix time the 24-hour figures were computed at (as_of).",
            value=_timestamp(doc.get("as_of")),
        )
        yield GaugeMetricFamily(
            "orchestrator_engine_snapshot_timestamp_seconds",
            "Unix time pg_cron last stored the engine_stats snapshot (0: none); it stops "
            "moving when pg_cron stops.",
            value=_timestamp(doc.get("snapshot_at")),
        )
        yield GaugeMetricFamily(
            "orchestrator_engine_read_timestamp_seconds",
            "Unix time this process last read the engine's figures.",
            value=self._read_at,
        )


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float | str) and value != "" else 0.0


def _timestamp(value: object) -> float:
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, str) and value:
        return datetime.fromisoformat(value).timestamp()
    return 0.0


async def read_engine_figures(
    fetch: Callable[[], Awaitable[Mapping[str, Any]]],
    figures: EngineFigures,
    stop: asyncio.Event,
    interval_s: float = ENGINE_FIGURES_INTERVAL_S,
) -> None:
    """Read the engine's figures now and every `interval_s` until `stop`. A failed read
    keeps the last figures (their read time tells how old they are); it never ends the
    process."""
    while not stop.is_set():
        try:
            figures.update(await fetch(), time.time())
        except TransientDbError as err:  # an outage: the database's own lines say it
            log.debug("engine figures not read: %s", err.message)
        except DbError as err:
            log.warning("engine figures not read: %s", err.message)
        except Exception:  # a bad answer must not stop the process
            log.exception("engine figures not read")
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(interval_s):
                await stop.wait()


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
