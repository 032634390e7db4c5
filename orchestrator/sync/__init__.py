"""The sync worker: claims pending runs from Postgres, POSTs them, reports the outcome.

Every business rule (what is due, transitions, retries, sanitising) lives in Postgres;
this package only performs the outbound HTTP call and reports back through the
worker RPCs of DESIGN §8.
"""

from .models import CallOutcome, ClaimedRun, WorkerSettings

__all__ = ["CallOutcome", "ClaimedRun", "WorkerSettings"]
