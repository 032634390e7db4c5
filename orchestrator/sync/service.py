"""Wiring for the CLI: the runtime shell, an HTTP client and the sync loop."""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass
from typing import Any

from ..runtime.db import DEFAULT_MAX_DB_CONNECTIONS, Database, DbConfig, pool_share
from ..runtime.events import NO_EVENTS, RuntimeEvents
from ..runtime.http import load_url_policy
from ..runtime.loop import ClaimLoop, Lifecycle, LoopConfig, RunSummary
from ..runtime.queries import WAKEUP_CHANNEL
from ..runtime.shell import with_database
from ..runtime.store import WorkerStore
from .http_call import HttpIntegrationCaller, new_http_client
from .signing import CallAuth
from .warmup import (
    DEFAULT_WARMUP_INTERVAL_S,
    MAX_WARMUPS_PER_PASS,
    ColdStartRetry,
    Warmer,
    run_warmups,
)
from .work import SyncWork

APPLICATION_NAME = "orchestrator-sync-worker"


@dataclass(frozen=True)
class SyncOptions:
    auth: CallAuth  # signs every call (ORCHESTRATOR_WEBHOOK_SECRET); the gateway key
    call_timeout: float = 45.0
    poll_only: bool = False
    warmup_interval: float = DEFAULT_WARMUP_INTERVAL_S  # seconds between warm-up passes


def db_config(
    dsn: str, max_connections: int = DEFAULT_MAX_DB_CONNECTIONS, *, listen: bool = True
) -> DbConfig:
    """The pool within the process's ceiling (LISTEN holds one connection of it). Sized
    by need, not by concurrency: one claim, one batch of reports, heartbeats and
    warm-ups at a time (issue 24)."""
    return DbConfig(
        dsn, APPLICATION_NAME, max_size=pool_share(max_connections, listen=listen), min_size=1
    )


async def run_sync_loop(
    life: Lifecycle,
    db: Database,
    config: LoopConfig,
    options: SyncOptions,
    events: RuntimeEvents = NO_EVENTS,
) -> RunSummary:
    store = WorkerStore(db)
    settings = await store.get_worker_settings()
    policy = await load_url_policy(db)
    async with new_http_client(policy, config.concurrency + MAX_WARMUPS_PER_PASS) as client:
        warmer = Warmer(client, options.auth, options.call_timeout)
        work = SyncWork(
            store,
            HttpIntegrationCaller(client, options.auth, options.call_timeout),
            config.worker_id,
            settings,
            cold=ColdStartRetry(store, warmer, config.worker_id),
        )

        async def listen(wake: Any) -> None:
            await db.listen(WAKEUP_CHANNEL, wake, retry_s=config.poll_interval)

        loop = ClaimLoop(work, config, listen=None if options.poll_only else listen, events=events)
        db.on_reconnected(loop.wake)  # claim and report at once when the database is back
        if config.once:  # --once runs what is pending; warm-ups are for the long-running worker
            return await loop.run(life)
        warming = asyncio.create_task(
            run_warmups(life.stopping, store, warmer, config.worker_id, options.warmup_interval)
        )
        try:
            return await loop.run(life)
        finally:
            warming.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await warming


async def run_worker(
    dsn: str,
    config: LoopConfig,
    options: SyncOptions,
    life: Lifecycle | None = None,
    max_connections: int = DEFAULT_MAX_DB_CONNECTIONS,
) -> RunSummary:
    async def main(life: Lifecycle, db: Database) -> RunSummary:
        return await run_sync_loop(life, db, config, options)

    listens = not options.poll_only and not config.once
    return await with_database(
        db_config(dsn, max_connections, listen=listens), main, once=config.once, life=life
    )


async def dispatch(dsn: str) -> dict[str, Any]:
    """integration_ops.dispatch_due_syncs() once; its jsonb as a dict."""

    async def main(life: Lifecycle, db: Database) -> dict[str, Any]:
        return await WorkerStore(db).dispatch_due_syncs()

    return await with_database(DbConfig(dsn, APPLICATION_NAME, max_size=1), main, once=True)


def dispatch_once(dsn: str) -> dict[str, Any]:
    """`dispatch` for synchronous callers; raises runtime.errors.DbError."""
    return asyncio.run(dispatch(dsn))


def to_json(value: dict[str, Any]) -> str:
    return json.dumps(value, sort_keys=True, default=str)
