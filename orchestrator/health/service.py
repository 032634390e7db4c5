"""Wiring for the CLI: the runtime shell, an HTTP client and the health loop."""

from __future__ import annotations

from ..runtime.db import Database, DbConfig
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


def db_config(dsn: str, concurrency: int) -> DbConfig:
    """Reports of every probe in flight plus the claim (never one shared connection)."""
    return DbConfig(dsn, APPLICATION_NAME, max_size=min(concurrency, 20) + 1, min_size=1)


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
        return await ClaimLoop(work, config, events=events).run(life)


async def run_health(
    dsn: str,
    config: LoopConfig,
    timeout_s: float | None = None,
    checker: HealthCheck[HealthConfig] | None = None,
    life: Lifecycle | None = None,
) -> RunSummary:
    async def main(life: Lifecycle, db: Database) -> RunSummary:
        return await run_health_loop(life, db, config, timeout_s, checker)

    return await with_database(
        db_config(dsn, config.concurrency), main, once=config.once, life=life
    )
