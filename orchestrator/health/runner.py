"""Claim due checks, probe them all in parallel (bounded), record every result.

- `claim_health_checks` pushes each claimed pair's next check time forward, so two
  workers never probe the same pair; `--once` claims batches until nothing is due.
- Every claimed pair is probed concurrently, at most `concurrency` at a time
  (a semaphore, never an unbounded gather); the time spent waiting for a slot does
  not count towards the probe's timeout.
- A probe running past `health_check_timeout` (settings, or the `timeout_s` override)
  is cancelled and recorded `unreachable`; any exception, including a bad
  `health_config`, is recorded `unreachable` with its message (SQL sanitises it).
- Every result goes through `integration_ops.record_health_check`; a failure to
  probe or to record one pair never stops the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import psycopg
from psycopg.rows import dict_row

from . import queries
from .adapters import HealthChecker, make_client
from .classify import classify_exception
from .config import HealthConfig, parse_health_config
from .models import ClaimedCheck, HealthResult
from .protocol import HealthCheck

log = logging.getLogger("orchestrator.health")

AsyncConn = psycopg.AsyncConnection[Any]


def default_worker_id() -> str:
    return f"health-{socket.gethostname()}-{os.getpid()}"


@dataclass(frozen=True)
class RunnerOptions:
    worker_id: str
    concurrency: int = 50
    max_checks: int = 200
    timeout_s: float | None = None  # None: integration_ops settings.health_check_timeout
    poll_interval_s: float = 30.0

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        if self.max_checks < 1:
            raise ValueError("max_checks must be at least 1")
        if self.timeout_s is not None and self.timeout_s <= 0:
            raise ValueError("timeout_s must be positive")
        if self.poll_interval_s <= 0:
            raise ValueError("poll_interval_s must be positive")


@dataclass(frozen=True)
class RunSummary:
    claimed: int = 0
    healthy: int = 0
    degraded: int = 0
    unreachable: int = 0
    not_recorded: int = 0

    def __add__(self, other: RunSummary) -> RunSummary:
        return RunSummary(
            self.claimed + other.claimed,
            self.healthy + other.healthy,
            self.degraded + other.degraded,
            self.unreachable + other.unreachable,
            self.not_recorded + other.not_recorded,
        )

    def line(self) -> str:
        return (
            f"health: claimed {self.claimed}; healthy {self.healthy}, degraded {self.degraded}, "
            f"unreachable {self.unreachable}; not recorded {self.not_recorded}"
        )


async def fetch_timeout_s(conn: AsyncConn) -> float:
    async with conn.cursor() as cur:
        await cur.execute(queries.WORKER_SETTINGS)
        row = await cur.fetchone()
    if row is None or not isinstance(row[0], timedelta):
        raise RuntimeError("integration_ops.get_worker_settings() returned no health_check_timeout")
    return row[0].total_seconds()


async def claim(conn: AsyncConn, worker_id: str, max_checks: int) -> list[ClaimedCheck]:
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(
            queries.CLAIM_HEALTH_CHECKS, {"worker_id": worker_id, "max_checks": max_checks}
        )
        rows = await cur.fetchall()
    return [
        ClaimedCheck(
            org_id=r["org_id"],
            integration_type=r["integration_type"],
            health_config=r["health_config"] if r["health_config"] is not None else {},
            secret_ref=r["secret_ref"],
        )
        for r in rows
    ]


async def record(conn: AsyncConn, check: ClaimedCheck, result: HealthResult) -> None:
    async with conn.cursor() as cur:
        await cur.execute(
            queries.RECORD_HEALTH_CHECK,
            {
                "org_id": check.org_id,
                "integration_type": check.integration_type,
                "status": result.status,
                "latency_ms": result.latency_ms,
                "error_message": result.error,
            },
        )


async def check_one(
    checker: HealthCheck[HealthConfig], check: ClaimedCheck, timeout_s: float
) -> HealthResult:
    """Probe one pair; never raises (except for cancellation of the whole run)."""
    try:
        config = parse_health_config(check.integration_type, check.health_config, check.secret_ref)
        async with asyncio.timeout(timeout_s):
            return await checker.check(check.org_id, config)
    except TimeoutError as exc:
        return classify_exception(exc, timeout_s)
    except Exception as exc:
        return classify_exception(exc)


async def probe_and_record(
    conn: AsyncConn,
    checker: HealthCheck[HealthConfig],
    claimed: Sequence[ClaimedCheck],
    concurrency: int,
    timeout_s: float,
) -> RunSummary:
    slots = asyncio.Semaphore(concurrency)

    async def one(check: ClaimedCheck) -> str:
        async with slots:
            result = await check_one(checker, check, timeout_s)
        log.info(
            "checked org=%s type=%s status=%s latency_ms=%s",
            check.org_id,
            check.integration_type,
            result.status,
            result.latency_ms,
        )
        try:
            await record(conn, check, result)
        except Exception as exc:  # the database refused or went away: keep the others going
            log.error(
                "could not record org=%s type=%s: %s",
                check.org_id,
                check.integration_type,
                type(exc).__name__,
            )
            return "not_recorded"
        return result.status

    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(one(c)) for c in claimed]
    counts = Counter(t.result() for t in tasks)
    return RunSummary(
        claimed=len(claimed),
        healthy=counts["healthy"],
        degraded=counts["degraded"],
        unreachable=counts["unreachable"],
        not_recorded=counts["not_recorded"],
    )


async def run_once(
    conn: AsyncConn, options: RunnerOptions, checker: HealthCheck[HealthConfig] | None = None
) -> RunSummary:
    """Claim what is due now (in batches of `max_checks`), probe, record; return counts.

    `conn` must be in autocommit mode: each claim and each record is its own transaction.
    """
    timeout_s = options.timeout_s if options.timeout_s is not None else await fetch_timeout_s(conn)
    async with contextlib.AsyncExitStack() as stack:
        if checker is None:
            client = await stack.enter_async_context(make_client(timeout_s, options.concurrency))
            checker = HealthChecker(client)
        total = RunSummary()
        while True:
            claimed = await claim(conn, options.worker_id, options.max_checks)
            if claimed:
                total += await probe_and_record(
                    conn, checker, claimed, options.concurrency, timeout_s
                )
            if len(claimed) < options.max_checks:
                return total


async def connect(dsn: str) -> AsyncConn:
    return await psycopg.AsyncConnection.connect(dsn, autocommit=True)


async def run_forever(
    dsn: str,
    options: RunnerOptions,
    *,
    stop: asyncio.Event | None = None,
    checker: HealthCheck[HealthConfig] | None = None,
    install_signal_handlers: bool = False,
) -> None:
    """Run `run_once` every `poll_interval_s` until `stop` is set (SIGINT/SIGTERM when
    `install_signal_handlers`). A batch in flight finishes (each probe is bounded by the
    timeout) before the loop exits. Lost database connections are re-opened."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    signals = (signal.SIGINT, signal.SIGTERM) if install_signal_handlers else ()
    for sig in signals:
        loop.add_signal_handler(sig, stop.set)
    try:
        while not stop.is_set():
            try:
                async with await connect(dsn) as conn:
                    while not stop.is_set():
                        summary = await run_once(conn, options, checker)
                        if summary.claimed:
                            log.info(summary.line())
                        await _sleep_unless_stopped(stop, options.poll_interval_s)
            except psycopg.Error as exc:  # connection lost or refused: reconnect and go on
                first_line = (str(exc).splitlines() or [""])[0]
                log.error("database error (%s: %s); retrying", type(exc).__name__, first_line)
                await _sleep_unless_stopped(stop, options.poll_interval_s)
    finally:
        for sig in signals:
            loop.remove_signal_handler(sig)


async def _sleep_unless_stopped(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            await stop.wait()
