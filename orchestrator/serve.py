"""`orchestrator serve`: the sync worker and the health runner in one process.

Both loops run on one asyncio loop over one database pool and one `Lifecycle` (one
SIGTERM stops both; each drains within its own grace period). A loop that ends with an
error (a permanent database error, say) stops the other, and the error reaches the
command. With a metrics port, `/metrics`, `/healthz` and `/readyz` are served from
before the database is opened until the process ends (see `orchestrator.runtime.metrics`): a
port that cannot be bound ends the process at once (exit 2), and /healthz answers while
the database is awaited. `worker` and `health` given a metrics port run here too, with
their one loop and their own application name.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any

from .health.service import run_health_loop
from .runtime.db import DEFAULT_MAX_DB_CONNECTIONS, Database, DbConfig, pool_share
from .runtime.events import NO_EVENTS, RuntimeEvents
from .runtime.loop import Lifecycle, LoopConfig, RunSummary
from .runtime.metrics import Liveness, Metrics, read_engine_figures, serving
from .runtime.shell import with_database
from .runtime.store import WorkerStore
from .sync.service import SyncOptions, run_sync_loop

log = logging.getLogger("orchestrator.serve")

APPLICATION_NAME = "orchestrator-serve"


@dataclass(frozen=True)
class MetricsEndpoint:
    host: str
    port: int


@dataclass(frozen=True)
class ServeConfig:
    sync: LoopConfig | None  # None: --no-sync
    sync_options: SyncOptions | None
    health: LoopConfig | None  # None: --no-health
    health_timeout_s: float | None = None
    metrics: MetricsEndpoint | None = None
    application_name: str = APPLICATION_NAME
    max_db_connections: int = DEFAULT_MAX_DB_CONNECTIONS  # the process's ceiling, LISTEN included

    def __post_init__(self) -> None:
        if self.sync is None and self.health is None:
            raise ValueError("serve needs at least one loop (sync or health)")
        if self.sync is not None and self.sync_options is None:
            raise ValueError("the sync loop needs its options")

    @property
    def listens(self) -> bool:
        """The sync loop keeps a LISTEN connection (not with --poll-only or --once)."""
        return (
            self.sync is not None
            and self.sync_options is not None
            and not self.sync_options.poll_only
            and not self.sync.once
        )


def db_config(dsn: str, config: ServeConfig) -> DbConfig:
    """One pool for every loop: the ceiling, less the LISTEN connection."""
    size = pool_share(config.max_db_connections, listen=config.listens)
    return DbConfig(dsn, config.application_name, max_size=size, min_size=1)


async def serve_loops(
    life: Lifecycle,
    db: Database,
    config: ServeConfig,
    events: RuntimeEvents = NO_EVENTS,
    liveness: Liveness | None = None,
) -> dict[str, RunSummary]:
    """Run the enabled loops until a stop; the first loop to fail stops the others."""
    loops: dict[str, Coroutine[Any, Any, RunSummary]] = {}
    if config.sync is not None and config.sync_options is not None:
        loops["sync"] = run_sync_loop(life, db, config.sync, config.sync_options, events)
    if config.health is not None:
        loops["health"] = run_health_loop(
            life, db, config.health, config.health_timeout_s, events=events
        )
    tasks = {name: asyncio.create_task(coro, name=name) for name, coro in loops.items()}
    if liveness is not None:
        for name, task in tasks.items():
            liveness.watch(name, task)
    try:
        pending: set[asyncio.Task[RunSummary]] = set(tasks.values())
        while pending:
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                if task.exception() is not None and not life.stopping.is_set():
                    log.error("%s loop ended with an error; stopping the others", task.get_name())
                    life.request_stop()
                elif not life.stopping.is_set():
                    life.request_stop()  # a loop that ends (--once) ends the process
    finally:
        for task in tasks.values():
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
    for task in tasks.values():
        exc = task.exception()
        if exc is not None:
            raise exc
    return {name: task.result() for name, task in tasks.items()}


async def run_serve(
    dsn: str, config: ServeConfig, events: RuntimeEvents = NO_EVENTS, life: Lifecycle | None = None
) -> dict[str, RunSummary]:
    liveness = Liveness()
    engine_figures = events.engine if config.metrics and isinstance(events, Metrics) else None

    async def main(life: Lifecycle, db: Database) -> dict[str, RunSummary]:
        if engine_figures is None:
            return await serve_loops(life, db, config, events, liveness)
        # the engine's own figures (orchestrator_engine_*), read beside the loops
        reader = asyncio.create_task(
            read_engine_figures(WorkerStore(db).get_engine_metrics, engine_figures, life.stopping),
            name="engine-figures",
        )
        try:
            return await serve_loops(life, db, config, events, liveness)
        finally:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reader

    around = None
    if config.metrics is not None and isinstance(events, Metrics):
        metrics, endpoint = events, config.metrics

        def around(db: Database) -> AbstractAsyncContextManager[object]:
            return serving(metrics, liveness, db.ready, endpoint.host, endpoint.port)

    once = any(loop is not None and loop.once for loop in (config.sync, config.health))
    return await with_database(
        db_config(dsn, config), main, once=once, life=life, events=events, around=around
    )
