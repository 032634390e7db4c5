"""Values the database hands the loops (rows of the worker RPCs of DESIGN §8)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID


@dataclass(frozen=True)
class WorkerSettings:
    """integration_ops.get_worker_settings(): the tunables the loops obey."""

    stale_run_timeout: timedelta
    health_check_timeout: timedelta

    def heartbeat_interval(self) -> float:
        """Seconds between heartbeats: a third of the stale timeout, so two may be missed."""
        return max(self.stale_run_timeout.total_seconds() / 3.0, 0.2)


@dataclass(frozen=True)
class ClaimedRun:
    """One row of integration_ops.claim_sync_runs(): a run now `running` for this worker."""

    run_id: UUID
    org_id: UUID
    integration_type: str
    endpoint_url: str | None
    triggered_by: str
    scheduled_for: datetime | None
    idempotency_key: str | None
    secret_ref: str | None

    @property
    def pair(self) -> str:
        return f"{self.org_id}/{self.integration_type}"


@dataclass(frozen=True)
class ClaimedCheck:
    """A row of integration_ops.claim_health_checks(): a due (org, integration) pair."""

    org_id: UUID
    integration_type: str
    health_config: Mapping[str, Any] = field(default_factory=dict)
    secret_ref: str | None = None


@dataclass(frozen=True)
class FinishedReport:
    """A row of integration_ops.finish_sync_runs(): the run's status after its report, and
    the DESIGN §6 code of a report that was refused (changed nothing), else None."""

    run_id: UUID | None
    status: str | None
    refused_with: str | None


@dataclass(frozen=True)
class ClaimedWarmup:
    """A row of integration_ops.claim_warmups(): a pair to warm before its next period."""

    org_id: UUID
    integration_type: str
    warmup_url: str
    secret_ref: str | None
    warmed_for: datetime


@dataclass(frozen=True)
class ColdVerdict:
    """integration_ops.mark_cold_start()'s answer: whether the failure was a cold start,
    the URL to warm, and the period's next attempt, running on this worker (0.3)."""

    cold_start: bool
    warmup_url: str | None
    retry_run_id: UUID | None = None
