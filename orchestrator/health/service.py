"""Wiring for the CLI: the runtime shell, an HTTP client and the health loop."""

from __future__ import annotations

from ..runtime.db import DEFAULT_MAX_DB_CONNECTIONS, Database, DbConfig
from ..runtime.events import NO_EVENTS, RuntimeEvents
from ..runtime.http import load_url_policy
from ..runtime.loop import ClaimLoop, Lifecycle, LoopConfig, RunSummary
from ..runtime.shell import with_database
from ..runtime.store import WorkerStore
from .adapters import HealthChecker, make_client
from .config import HealthConfig
from .protocol import HealthCheck
from .work import HealthWork

APPLICATION_NAME = "orchestrator-health"


def db_config(dsn: str, max_connections: int = DEFAULT_MAX_DB_CONNECTIONS) -> DbConfig:
    """The pool within the process's ceiling (no LISTEN). Sized by need, not by
    concurrency: one claim and one result's record at a time (issue 24; 0.2 held up to
    21 connections)."""
    return DbConfig(dsn, APPLICATION_NAME, max_size=max_connections, min_size=1)


async def run_health_loop(
    life: Lifecycle,
    db: Database,
    config: LoopConfig,
    timeout_s: float | None = None,
    checker: HealthCheck[HealthConfig] | None = None,
    events: RuntimeEvents = NO_EVENTS,
) -> RunSummary:
    store = WorkerStore(db)
    if timeout_s is None:
        timeout_s = (await store.get_worker_settings()).health_check_timeout.total_seconds()
    policy = await load_url_policy(db)
    async with make_client(timeout_s, config.concurrency, policy) as client:
        work = HealthWork(store, checker or HealthChecker(client), config.worker_id, timeout_s)
        loop = ClaimLoop(work, config, events=events)
        db.on_reconnected(loop.wake)  # claim and record at once when the database is back
        return await loop.run(life)


async def run_health(
    dsn: str,
    config: LoopConfig,
    timeout_s: float | None = None,
    checker: HealthCheck[HealthConfig] | None = None,
    life: Lifecycle | None = None,
    max_connections: int = DEFAULT_MAX_DB_CONNECTIONS,
) -> RunSummary:
    async def main(life: Lifecycle, db: Database) -> RunSummary:
        return await run_health_loop(life, db, config, timeout_s, checker)

    return await with_database(db_config(dsn, max_connections), main, once=config.once, life=life)
