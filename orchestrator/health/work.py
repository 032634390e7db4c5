"""The health runner as a `runtime.loop.Work`: claim due checks, probe, record.

- `claim_health_checks` pushes each claimed pair's next check time forward, so two
  workers never probe the same pair; the loop claims at most its free slots (and
  `--max-checks`) at a time, so a claimed check starts at once and the time spent
  waiting never counts towards its timeout.
- A probe running past `health_check_timeout` (settings, or `--timeout`) is cancelled
  and recorded `unreachable`; any exception, including a bad `health_config` or a
  missing secret, is recorded `unreachable` with its message (SQL sanitises it).
- A check cut short by a stop records nothing: the pair is due again after its interval.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Hashable, Sequence
from typing import Final, Protocol
from uuid import UUID

from .classify import classify_exception
from .config import HealthConfig, parse_health_config
from .models import ClaimedCheck, HealthResult
from .protocol import HealthCheck

log = logging.getLogger("orchestrator.health")

OUTCOMES: Final = ("healthy", "degraded", "unreachable")


class CheckStore(Protocol):
    """The worker RPCs the health runner uses (runtime.store.WorkerStore implements them)."""

    async def claim_health_checks(self, worker_id: str, max_checks: int) -> list[ClaimedCheck]: ...

    async def record_health_check(
        self,
        org_id: UUID,
        integration_type: str,
        status: str,
        latency_ms: int | None,
        error_message: str | None,
    ) -> None: ...


async def check_one(
    checker: HealthCheck[HealthConfig], check: ClaimedCheck, timeout_s: float
) -> HealthResult:
    """Probe one pair; never raises (except for cancellation)."""
    try:
        config = parse_health_config(check.integration_type, check.health_config, check.secret_ref)
        async with asyncio.timeout(timeout_s):
            return await checker.check(check.org_id, config)
    except TimeoutError as exc:
        return classify_exception(exc, timeout_s)
    except Exception as exc:
        return classify_exception(exc)


class HealthWork:
    name: str = "health"
    outcome_names: Sequence[str] = OUTCOMES
    # record_health_check writes history: a repeat is not harmless, so each result is
    # its own call (and only that call is retried).
    report_batch_size: int = 1

    def __init__(
        self,
        store: CheckStore,
        checker: HealthCheck[HealthConfig],
        worker_id: str,
        timeout_s: float,
    ) -> None:
        self.store = store
        self.checker = checker
        self.worker_id = worker_id
        self.timeout_s = timeout_s

    def key(self, item: ClaimedCheck) -> Hashable:
        return (item.org_id, item.integration_type)

    async def claim(self, max_items: int) -> Sequence[ClaimedCheck]:
        return await self.store.claim_health_checks(self.worker_id, max_items)

    async def perform(self, item: ClaimedCheck) -> HealthResult:
        return await check_one(self.checker, item, self.timeout_s)

    def crashed(self, item: ClaimedCheck, exc: BaseException) -> HealthResult:
        return classify_exception(exc)

    def cut_short(self, item: ClaimedCheck) -> None:
        return None

    async def report_batch(
        self, done: Sequence[tuple[ClaimedCheck, HealthResult]]
    ) -> list[str | None]:
        for item, outcome in done:
            await self.store.record_health_check(
                item.org_id,
                item.integration_type,
                outcome.status,
                outcome.latency_ms,
                outcome.error,
            )
        return [None] * len(done)

    def outcome_name(self, outcome: HealthResult) -> str:
        return outcome.status

    def heartbeat_interval(self) -> None:
        return None

    async def heartbeat(self, items: Sequence[ClaimedCheck]) -> None:
        return None

    def log_result(
        self, item: ClaimedCheck, outcome: HealthResult, latency_ms: int, reported: bool
    ) -> None:
        # The same fields as a sync run's line (orchestrator.sync.run), '-' for none.
        fields = {
            "org_id": str(item.org_id),
            "integration_type": item.integration_type,
            "outcome": outcome.status if reported else f"{outcome.status}_unreported",
            "error_code": None,
            "latency_ms": outcome.latency_ms,
            "worker_id": self.worker_id,
        }
        log.log(
            logging.INFO if reported else logging.WARNING,
            "checked " + " ".join(f"{k}={v if v is not None else '-'}" for k, v in fields.items()),
            extra={"health_check": fields},
        )
