"""The sync worker: its HTTP call (`http_call`), the classification of the answer
(`classify`) and the `SyncWork` the runtime loop runs (`work`).

Every business rule (what is due, transitions, retries, sanitising) lives in Postgres;
the database boundary, the loop, signals and logging are the runtime's
(`orchestrator.runtime`).
"""

from .models import CallOutcome, ClaimedRun, WorkerSettings

__all__ = ["CallOutcome", "ClaimedRun", "WorkerSettings"]
