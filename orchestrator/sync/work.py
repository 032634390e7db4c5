"""The sync worker as a `runtime.loop.Work`: claim runs, POST them, report the outcome.

Reports go in batches through `finish_sync_runs(worker_id, reports)` (DESIGN §12: 1 to
50 reports, each applied or refused on its own, refused ones answering their §6 code).
The call passes this worker's id, so Postgres refuses to finish a run another worker
holds (`invalid_transition`) and treats a repeated report of the same outcome as done:
the loop may resend a batch whose answer was lost. A failed report carries the answer's
`Retry-After` (DESIGN §13) when there was one.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, Mapping, Sequence
from typing import Any, Final, Protocol
from uuid import UUID

from ..runtime.models import FinishedReport
from . import models
from .http_call import IntegrationCaller
from .models import CallOutcome, ClaimedRun, WorkerSettings
from .warmup import ColdStartRetry

run_log = logging.getLogger("orchestrator.sync.run")

OUTCOMES: Final = ("completed", "failed")
MAX_REPORTS_PER_CALL: Final = 50  # finish_sync_runs takes 1 to 50 reports (DESIGN §12)


class RunStore(Protocol):
    """The worker RPCs the sync worker uses (runtime.store.WorkerStore implements them)."""

    async def get_worker_settings(self) -> WorkerSettings: ...

    async def claim_sync_runs(self, worker_id: str, max_runs: int) -> list[ClaimedRun]: ...

    async def heartbeat_sync_runs(self, worker_id: str, run_ids: Sequence[UUID]) -> int: ...

    async def finish_sync_runs(
        self, worker_id: str, reports: Sequence[Mapping[str, Any]]
    ) -> list[FinishedReport]: ...


def _jsonb_text(text: str) -> str:
    """jsonb cannot hold U+0000: one NUL would make the database refuse the whole batch."""
    return text.replace("\x00", "")


def report_of(run: ClaimedRun, outcome: CallOutcome) -> dict[str, Any]:
    """One report of finish_sync_runs for `run`'s outcome."""
    run_id = str(outcome.run_id_of(run))
    if outcome.ok:
        return {
            "run_id": run_id,
            "status": "completed",
            "records_processed": outcome.records_processed,
            "records_failed": outcome.records_failed,
        }
    report: dict[str, Any] = {
        "run_id": run_id,
        "status": "failed",
        "error_code": _jsonb_text(outcome.error_code or models.WORKER_ERROR),
        "error_message": _jsonb_text(outcome.error_message or ""),
    }
    if outcome.retry_after is not None:
        report["retry_after"] = _jsonb_text(outcome.retry_after)
    return report


class SyncWork:
    name: str = "sync"
    outcome_names: Sequence[str] = OUTCOMES
    report_batch_size: int = MAX_REPORTS_PER_CALL

    def __init__(
        self,
        store: RunStore,
        caller: IntegrationCaller,
        worker_id: str,
        settings: WorkerSettings,
        cold: ColdStartRetry | None = None,
    ) -> None:
        self.store = store
        self.caller = caller
        self.worker_id = worker_id
        self.settings = settings
        self.cold = cold

    def key(self, item: ClaimedRun) -> Hashable:
        return item.run_id

    async def claim(self, max_items: int) -> Sequence[ClaimedRun]:
        return await self.store.claim_sync_runs(self.worker_id, max_items)

    async def perform(self, item: ClaimedRun) -> CallOutcome:
        outcome = await self.caller.call(item)
        if self.cold is not None:  # a cold start is warmed and retried once
            outcome = await self.cold.after(item, outcome, self.caller.call)
        return outcome

    def crashed(self, item: ClaimedRun, exc: BaseException) -> CallOutcome:
        return CallOutcome.failed(models.WORKER_ERROR, f"{type(exc).__name__}: {exc}"[:500])

    def cut_short(self, item: ClaimedRun) -> CallOutcome:
        return CallOutcome.failed(
            models.WORKER_SHUTDOWN, f"worker {self.worker_id} shut down before the call finished"
        )

    async def report_batch(
        self, done: Sequence[tuple[ClaimedRun, CallOutcome]]
    ) -> list[str | None]:
        answers = await self.store.finish_sync_runs(
            self.worker_id, [report_of(run, outcome) for run, outcome in done]
        )
        refused = {a.run_id: a.refused_with for a in answers}
        return [
            refused.get(outcome.run_id_of(run), "no answer to this report") for run, outcome in done
        ]

    def outcome_name(self, outcome: CallOutcome) -> str:
        return outcome.status

    def heartbeat_interval(self) -> float:
        return self.settings.heartbeat_interval()

    async def heartbeat(self, items: Sequence[ClaimedRun]) -> float:
        """Heartbeat in-flight runs; the cadence follows changes of stale_run_timeout."""
        await self.store.heartbeat_sync_runs(self.worker_id, [r.run_id for r in items])
        self.settings = await self.store.get_worker_settings()
        return self.settings.heartbeat_interval()

    def log_result(
        self, item: ClaimedRun, outcome: CallOutcome, latency_ms: int, reported: bool
    ) -> None:
        fields = {
            "run_id": str(outcome.run_id_of(item)),
            "org_id": str(item.org_id),
            "integration_type": item.integration_type,
            "outcome": outcome.status if reported else f"{outcome.status}_unreported",
            "error_code": outcome.error_code,
            "http_status": outcome.http_status,
            "latency_ms": latency_ms,
            "records_processed": outcome.records_processed,
            "records_failed": outcome.records_failed,
            "cold_start": str(outcome.cold_start).lower(),
            "worker_id": self.worker_id,
        }
        run_log.log(
            logging.INFO if outcome.ok and reported else logging.WARNING,
            " ".join(f"{k}={v if v is not None else '-'}" for k, v in fields.items()),
            extra={"sync_run": fields},
        )
