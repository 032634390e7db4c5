"""Values of the sync worker: a call's outcome and the error codes it reports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from uuid import UUID

from ..runtime.models import ClaimedRun, WorkerSettings

__all__ = ["CallOutcome", "ClaimedRun", "WorkerSettings", "http_error_code"]

# Error codes the worker reports through fail_sync_run (DESIGN §11, plus the
# worker-side ones documented in docs/worker.md).
TIMEOUT = "timeout"
CONNECTION_ERROR = "connection_error"
INVALID_RESPONSE = "invalid_response"
WORKER_SHUTDOWN = "worker_shutdown"
WORKER_ERROR = "worker_error"
SECRET_NOT_FOUND = "secret_not_found"
ENDPOINT_NOT_CONFIGURED = "endpoint_not_configured"


def http_error_code(status: int) -> str:
    return f"http_{status}"


@dataclass(frozen=True)
class CallOutcome:
    """What one integration call came to; `completed` carries counts, `failed` a code."""

    status: Literal["completed", "failed"]
    records_processed: int = 0
    records_failed: int = 0
    error_code: str | None = None
    error_message: str | None = None
    http_status: int | None = None
    cold_start: bool = False  # a cold start: warmed and retried once (DESIGN §12)
    retry_after: str | None = None  # the raw Retry-After header of a failed answer (DESIGN §13)
    # A cold start's retry is the period's next attempt (DESIGN §13): its own run, which
    # Postgres started (mark_cold_start's retry_run_id); this outcome is reported on it.
    attempt_run_id: UUID | None = None

    @classmethod
    def completed(
        cls, records_processed: int, records_failed: int, http_status: int | None = None
    ) -> CallOutcome:
        return cls("completed", records_processed, records_failed, http_status=http_status)

    @classmethod
    def failed(
        cls, error_code: str, error_message: str, http_status: int | None = None
    ) -> CallOutcome:
        return cls(
            "failed", error_code=error_code, error_message=error_message, http_status=http_status
        )

    @property
    def ok(self) -> bool:
        return self.status == "completed"

    def run_id_of(self, run: ClaimedRun) -> UUID:
        """The run this outcome is reported on: the claimed run, or the attempt a cold
        start made."""
        return self.attempt_run_id or run.run_id
