"""Warm-ups and cold starts (DESIGN §12 "Cold starts").

- **The warm-up pass** (`run_warmups`): every `interval` seconds the worker asks
  `claim_warmups(worker_id, max_pairs)` for the pairs whose next scheduled period starts
  within `settings.warmup_lead` (Postgres claims each period once, so two workers never
  both warm), sends one GET to each `warmup_url`, signed like the sync call (`webhook-id`
  `warmup:<org_id>:<integration_type>:<period>`, an empty body; the gateway key when set;
  `X-Integration-Secret` when the pair has a `secret_ref`), and reports every HTTP answer
  (any status: the endpoint is up) with `record_warmup`. No run is created, no health
  status changes. A `warmup_url` the URL rules refuse is not called (one WARNING).
- **Cold failure → one retry** (`ColdStartRetry`): a call that failed with `timeout` or
  `connection_error` is put to `mark_cold_start(run_id, error_code, worker_id,
  as_attempt => true)`; Postgres decides (a scheduler run whose pair had no completed run
  and no answered warm-up within `settings.cold_start_idle`, and an attempt left) and, 0.3,
  ends the run `failed` with `cold_start` set and starts the period's next attempt (same
  idempotency key, `attempt + 1`) running on this worker. Then the worker warms the
  endpoint (GET `warmup_url`, or the `endpoint_url` when the pair has none) and calls once
  more as that attempt (its run id, the same Idempotency-Key); the retry's outcome is
  reported on the new attempt. Against a database that returns no attempt (0.2) the retry
  stays inside the run, as 0.2 did.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import os
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from typing import Final, Protocol
from uuid import UUID

import aiohttp

from ..runtime.errors import DbError
from ..runtime.http import HttpClient, UrlNotAllowed, refusal_of, timeouts
from ..runtime.models import ClaimedWarmup, ColdVerdict
from ..runtime.secrets import MissingSecretError, resolve_secret
from . import models
from .http_call import SECRET_HEADER
from .models import CallOutcome, ClaimedRun
from .signing import CallAuth, warmup_id

log = logging.getLogger("orchestrator.sync.warmup")

COLD_ERRORS: Final = frozenset({models.TIMEOUT, models.CONNECTION_ERROR})
DEFAULT_WARMUP_INTERVAL_S: Final = 5.0
MAX_WARMUPS_PER_PASS: Final = 50


class WarmupStore(Protocol):
    """The warm-up RPCs (runtime.store.WorkerStore implements them)."""

    async def claim_warmups(self, worker_id: str, max_pairs: int) -> list[ClaimedWarmup]: ...

    async def record_warmup(
        self, org_id: UUID, integration_type: str, http_status: int, worker_id: str
    ) -> None: ...

    async def mark_cold_start(
        self, run_id: UUID, error_code: str, worker_id: str
    ) -> ColdVerdict: ...


class Warmer:
    """Sends one signed warm-up GET; the HTTP status, or None when nothing answered."""

    def __init__(
        self,
        client: HttpClient,
        auth: CallAuth,
        timeout: float,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self._client = client
        self._auth = auth
        self._timeouts = timeouts(timeout)
        self._environ = os.environ if environ is None else environ

    async def warm(self, url: str, secret_ref: str | None, webhook_id: str) -> int | None:
        headers = self._auth.headers(webhook_id, b"")
        try:
            secret = resolve_secret(secret_ref, self._environ)
        except MissingSecretError:
            secret = None
        if secret is not None:
            headers[SECRET_HEADER] = secret
        try:
            async with self._client.request(
                "GET", url, headers=headers, timeout=self._timeouts
            ) as reply:
                return reply.status  # the body is never read
        except UrlNotAllowed as exc:
            log.warning("warm-up not sent: url_not_allowed: %s", exc)
            return None
        except (TimeoutError, aiohttp.ClientError) as exc:
            refused = refusal_of(exc)
            if refused is not None:
                log.warning("warm-up not sent: url_not_allowed: %s", refused)
            else:
                log.info("warm-up GET got no answer: %s", type(exc).__name__)
            return None


async def warm_and_record(
    store: WarmupStore,
    warmer: Warmer,
    worker_id: str,
    org_id: UUID,
    integration_type: str,
    url: str,
    secret_ref: str | None,
    period: datetime,
) -> int | None:
    status = await warmer.warm(url, secret_ref, warmup_id(org_id, integration_type, period))
    if status is not None:
        try:
            await store.record_warmup(org_id, integration_type, status, worker_id)
        except DbError as exc:  # bookkeeping only: the warm-up itself happened
            log.warning("warm-up answer not recorded: %s", exc)
    return status


async def warmup_pass(
    store: WarmupStore, warmer: Warmer, worker_id: str, max_pairs: int = MAX_WARMUPS_PER_PASS
) -> int:
    """Claim the due warm-ups and send them concurrently; the number claimed."""
    claimed = await store.claim_warmups(worker_id, max_pairs)
    statuses = await asyncio.gather(
        *(
            warm_and_record(
                store,
                warmer,
                worker_id,
                w.org_id,
                w.integration_type,
                w.warmup_url,
                w.secret_ref,
                w.warmed_for,
            )
            for w in claimed
        )
    )
    for w, status in zip(claimed, statuses, strict=True):
        log.info(
            "warm-up org_id=%s integration_type=%s warmed_for=%s http_status=%s",
            w.org_id,
            w.integration_type,
            w.warmed_for.isoformat(),
            status if status is not None else "-",
        )
    return len(claimed)


async def run_warmups(
    stopping: asyncio.Event,
    store: WarmupStore,
    warmer: Warmer,
    worker_id: str,
    interval: float = DEFAULT_WARMUP_INTERVAL_S,
) -> None:
    """The warm-up pass every `interval` seconds until `stopping` is set. Database
    trouble skips a pass (logged once per kind); it never ends the worker."""
    last_error: str | None = None
    while not stopping.is_set():
        try:
            claimed = await warmup_pass(store, warmer, worker_id)
            log.debug("warm-up pass: %d claimed", claimed)
            last_error = None
        except DbError as exc:
            kind = type(exc).__name__
            if kind != last_error:
                log.warning("warm-up pass skipped: %s", exc)
            last_error = kind
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), timeout=interval)


Call = Callable[[ClaimedRun], Awaitable[CallOutcome]]


class ColdStartRetry:
    """After a failed call: ask Postgres whether it was a cold start; if so, warm and
    call once more as the period's next attempt (the same Idempotency-Key)."""

    def __init__(self, store: WarmupStore, warmer: Warmer, worker_id: str) -> None:
        self.store = store
        self.warmer = warmer
        self.worker_id = worker_id

    async def after(self, run: ClaimedRun, outcome: CallOutcome, call: Call) -> CallOutcome:
        if outcome.ok or outcome.error_code not in COLD_ERRORS:
            return outcome
        if run.triggered_by != "scheduler":
            return outcome
        try:
            verdict = await self.store.mark_cold_start(
                run.run_id, outcome.error_code or "", self.worker_id
            )
        except DbError as exc:  # report the first outcome rather than lose it
            log.warning("cold-start check failed for run %s: %s", run.run_id, exc)
            return outcome
        if not verdict.cold_start:
            return outcome
        url = verdict.warmup_url or run.endpoint_url
        if url:
            await warm_and_record(
                self.store,
                self.warmer,
                self.worker_id,
                run.org_id,
                run.integration_type,
                url,
                run.secret_ref,
                run.scheduled_for or datetime.now(UTC),
            )
        attempt = run
        if verdict.retry_run_id is not None:
            attempt = dataclasses.replace(
                run,
                run_id=verdict.retry_run_id,
                idempotency_key=run.idempotency_key or str(run.run_id),
            )
        retried = await call(attempt)
        return dataclasses.replace(retried, cold_start=True, attempt_run_id=verdict.retry_run_id)
