"""The worker RPCs of DESIGN §8 as typed methods over `Database` (the "manager" on top
of the "connector", procrastinate's split): every statement of `queries`, the sync runs',
the health checks', the warm-ups' and the settings'. Row → value mapping only; every rule
is Postgres's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

from psycopg.types.json import Jsonb

from . import queries
from .db import Database
from .errors import PermanentDbError
from .models import (
    ClaimedCheck,
    ClaimedRun,
    ClaimedWarmup,
    ColdVerdict,
    FinishedReport,
    WorkerSettings,
)


class WorkerStore:
    """Implements `sync.work.RunStore`, `sync.warmup.WarmupStore` and
    `health.work.CheckStore`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def get_worker_settings(self) -> WorkerSettings:
        row = await self.db.fetch_one(queries.GET_WORKER_SETTINGS)
        if row is None:
            raise PermanentDbError(
                "integration_ops.get_worker_settings() returned no row",
                "restore the one row of integration_ops.settings",
            )
        return WorkerSettings(row["stale_run_timeout"], row["health_check_timeout"])

    async def allowed_http_hosts(self) -> object:
        """`settings.allowed_http_hosts` (a list of strings), or None when the deployed
        `get_worker_settings()` has no such column (a 0.2 database)."""
        row = await self.db.fetch_one(queries.ALLOWED_HTTP_HOSTS)
        return None if row is None else row["allowed_http_hosts"]

    async def get_engine_metrics(self) -> dict[str, Any]:
        """The engine's figures (`get_engine_metrics()`): queue, runs_24h, drift_24h,
        open_alerts, as_of, snapshot_at."""
        row = await self.db.fetch_one(queries.ENGINE_METRICS)
        value = None if row is None else row["engine_metrics"]
        return dict(value) if isinstance(value, dict) else {}

    async def claim_sync_runs(self, worker_id: str, max_runs: int) -> list[ClaimedRun]:
        rows = await self.db.fetch_all(
            queries.CLAIM_SYNC_RUNS, {"worker_id": worker_id, "max_runs": max_runs}
        )
        return [ClaimedRun(**row) for row in rows]

    async def heartbeat_sync_runs(self, worker_id: str, run_ids: Sequence[UUID]) -> int:
        row = await self.db.fetch_one(
            queries.HEARTBEAT_SYNC_RUNS, {"worker_id": worker_id, "run_ids": list(run_ids)}
        )
        value = None if row is None else next(iter(row.values()))
        return int(value) if value is not None else 0

    async def finish_sync_runs(
        self, worker_id: str, reports: Sequence[Mapping[str, Any]]
    ) -> list[FinishedReport]:
        """1 to 50 reports in one call; one answer per report, in order (DESIGN §12)."""
        rows = await self.db.fetch_all(
            queries.FINISH_SYNC_RUNS, {"worker_id": worker_id, "reports": Jsonb(list(reports))}
        )
        return [FinishedReport(r["run_id"], r["status"], r["refused_with"]) for r in rows]

    async def complete_sync_run(
        self, run_id: UUID, records_processed: int, records_failed: int, worker_id: str
    ) -> None:
        await self.db.fetch_all(
            queries.COMPLETE_SYNC_RUN,
            {
                "run_id": run_id,
                "records_processed": records_processed,
                "records_failed": records_failed,
                "worker_id": worker_id,
            },
        )

    async def fail_sync_run(
        self, run_id: UUID, error_code: str, error_message: str, worker_id: str
    ) -> None:
        await self.db.fetch_all(
            queries.FAIL_SYNC_RUN,
            {
                "run_id": run_id,
                "error_code": error_code,
                "error_message": error_message,
                "worker_id": worker_id,
            },
        )

    async def dispatch_due_syncs(self) -> dict[str, Any]:
        row = await self.db.fetch_one(queries.DISPATCH_DUE_SYNCS)
        value = None if row is None else next(iter(row.values()))
        if not isinstance(value, dict):
            raise PermanentDbError(
                f"dispatch_due_syncs() returned {value!r}", "check the deployed plan"
            )
        return value

    async def claim_warmups(self, worker_id: str, max_pairs: int) -> list[ClaimedWarmup]:
        rows = await self.db.fetch_all(
            queries.CLAIM_WARMUPS, {"worker_id": worker_id, "max_pairs": max_pairs}
        )
        return [ClaimedWarmup(**row) for row in rows]

    async def record_warmup(
        self, org_id: UUID, integration_type: str, http_status: int, worker_id: str
    ) -> None:
        await self.db.fetch_all(
            queries.RECORD_WARMUP,
            {
                "org_id": org_id,
                "integration_type": integration_type,
                "http_status": http_status,
                "worker_id": worker_id,
            },
        )

    async def mark_cold_start(self, run_id: UUID, error_code: str, worker_id: str) -> ColdVerdict:
        row = await self.db.fetch_one(
            queries.MARK_COLD_START,
            {"run_id": run_id, "error_code": error_code, "worker_id": worker_id},
        )
        if row is None:
            return ColdVerdict(False, None)
        return ColdVerdict(bool(row["cold_start"]), row["warmup_url"], row["retry_run_id"])

    async def claim_health_checks(self, worker_id: str, max_checks: int) -> list[ClaimedCheck]:
        rows = await self.db.fetch_all(
            queries.CLAIM_HEALTH_CHECKS, {"worker_id": worker_id, "max_checks": max_checks}
        )
        return [
            ClaimedCheck(
                org_id=r["org_id"],
                integration_type=r["integration_type"],
                health_config=r["health_config"] if r["health_config"] is not None else {},
                secret_ref=r["secret_ref"],
            )
            for r in rows
        ]

    async def record_health_check(
        self,
        org_id: UUID,
        integration_type: str,
        status: str,
        latency_ms: int | None,
        error_message: str | None,
    ) -> None:
        await self.db.fetch_all(
            queries.RECORD_HEALTH_CHECK,
            {
                "org_id": org_id,
                "integration_type": integration_type,
                "status": status,
                "latency_ms": latency_ms,
                "error_message": error_message,
            },
        )
