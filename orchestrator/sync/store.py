"""The worker's database boundary: the RunStore protocol and its psycopg implementation.

Each method is one worker RPC (DESIGN §8), run in autocommit on a pooled connection,
so every state change is its own transaction decided by Postgres.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Any, Protocol
from uuid import UUID

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from . import queries
from .models import ClaimedRun, WorkerSettings

log = logging.getLogger(__name__)


class RunStore(Protocol):
    async def get_worker_settings(self) -> WorkerSettings: ...

    async def claim(self, worker_id: str, max_runs: int) -> list[ClaimedRun]: ...

    async def heartbeat(self, worker_id: str, run_ids: Sequence[UUID]) -> int: ...

    async def complete(self, run_id: UUID, records_processed: int, records_failed: int) -> None: ...

    async def fail(self, run_id: UUID, error_code: str, error_message: str) -> None: ...


class WakeupListener(Protocol):
    """Calls `wake()` whenever new work may be pending; runs until cancelled."""

    async def listen(self, wake: Callable[[], None]) -> None: ...


def _claimed(row: dict[str, Any]) -> ClaimedRun:
    return ClaimedRun(
        run_id=row["run_id"],
        org_id=row["org_id"],
        integration_type=row["integration_type"],
        endpoint_url=row["endpoint_url"],
        triggered_by=row["triggered_by"],
        scheduled_for=row["scheduled_for"],
        idempotency_key=row["idempotency_key"],
        secret_ref=row["secret_ref"],
    )


class PgRunStore:
    """RunStore over a psycopg AsyncConnectionPool (autocommit connections)."""

    def __init__(self, pool: AsyncConnectionPool[psycopg.AsyncConnection[Any]]) -> None:
        self._pool = pool

    async def get_worker_settings(self) -> WorkerSettings:
        async with self._pool.connection() as conn:
            cur = await conn.execute(queries.GET_WORKER_SETTINGS)
            row = await cur.fetchone()
        if row is None:
            raise RuntimeError("integration_ops.get_worker_settings() returned no row")
        return WorkerSettings(stale_run_timeout=row[0], health_check_timeout=row[1])

    async def claim(self, worker_id: str, max_runs: int) -> list[ClaimedRun]:
        async with self._pool.connection() as conn:
            cur = conn.cursor(row_factory=dict_row)
            await cur.execute(
                queries.CLAIM_SYNC_RUNS, {"worker_id": worker_id, "max_runs": max_runs}
            )
            return [_claimed(row) for row in await cur.fetchall()]

    async def heartbeat(self, worker_id: str, run_ids: Sequence[UUID]) -> int:
        async with self._pool.connection() as conn:
            cur = await conn.execute(
                queries.HEARTBEAT_SYNC_RUNS, {"worker_id": worker_id, "run_ids": list(run_ids)}
            )
            row = await cur.fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    async def complete(self, run_id: UUID, records_processed: int, records_failed: int) -> None:
        async with self._pool.connection() as conn:
            await conn.execute(
                queries.COMPLETE_SYNC_RUN,
                {
                    "run_id": run_id,
                    "records_processed": records_processed,
                    "records_failed": records_failed,
                },
            )

    async def fail(self, run_id: UUID, error_code: str, error_message: str) -> None:
        async with self._pool.connection() as conn:
            await conn.execute(
                queries.FAIL_SYNC_RUN,
                {"run_id": run_id, "error_code": error_code, "error_message": error_message},
            )


def new_pool(dsn: str, concurrency: int, application_name: str) -> AsyncConnectionPool[Any]:
    """A pool sized for every in-flight run's report plus the claim loop and heartbeats."""
    return AsyncConnectionPool(
        dsn,
        min_size=2,
        max_size=concurrency + 2,
        kwargs={"autocommit": True, "application_name": application_name},
        open=False,
        name="orchestrator-sync",
    )


class PgWakeupListener:
    """One dedicated connection (outside the pool) LISTENing on integration_sync_wakeup.

    Reconnects after `retry_delay` when the connection drops; the runner polls meanwhile.
    """

    def __init__(self, dsn: str, application_name: str, retry_delay: float) -> None:
        self._dsn = dsn
        self._application_name = application_name
        self._retry_delay = retry_delay

    async def listen(self, wake: Callable[[], None]) -> None:
        while True:
            try:
                conn = await psycopg.AsyncConnection.connect(
                    self._dsn, autocommit=True, application_name=self._application_name
                )
                async with conn:
                    await conn.execute(queries.LISTEN_WAKEUP)
                    wake()  # anything notified while we were not listening
                    async for _ in conn.notifies():
                        wake()
            except psycopg.Error as exc:
                log.warning(
                    "listen connection lost (%s); polling until it is back", type(exc).__name__
                )
                await asyncio.sleep(self._retry_delay)
