"""The asyncio run loop: claim → call → report, bounded, heartbeated, shut down gracefully.

The runner holds no business rule: Postgres decides what is claimable, what a transition
means and how errors are sanitised. The runner only keeps at most `concurrency` calls in
flight, never claims more runs than it has free slots for, heartbeats its in-flight runs,
and on shutdown fails what it could not finish with `worker_shutdown`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from . import models
from .http_call import IntegrationCaller
from .models import CallOutcome, ClaimedRun
from .store import RunStore, WakeupListener

log = logging.getLogger(__name__)
run_log = logging.getLogger("orchestrator.sync.run")


@dataclass(frozen=True)
class RunnerConfig:
    worker_id: str
    concurrency: int = 5
    poll_interval: float = 10.0
    grace_period: float = 30.0
    once: bool = False

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        if self.poll_interval <= 0:
            raise ValueError("poll_interval must be positive")
        if self.grace_period < 0:
            raise ValueError("grace_period must not be negative")


@dataclass(frozen=True)
class RunSummary:
    completed: int
    failed: int
    unreported: int  # outcome known but the report to Postgres failed (the reaper takes it)


@dataclass
class _Slot:
    run: ClaimedRun
    started: float
    task: asyncio.Task[None] | None = None
    call: asyncio.Task[CallOutcome] | None = None


@dataclass
class _Counters:
    completed: int = 0
    failed: int = 0
    unreported: int = 0
    by_code: dict[str, int] = field(default_factory=dict)


class SyncRunner:
    def __init__(
        self,
        store: RunStore,
        caller: IntegrationCaller,
        config: RunnerConfig,
        listener: WakeupListener | None = None,
    ) -> None:
        self._store = store
        self._caller = caller
        self._config = config
        self._listener = listener
        self._slots: dict[UUID, _Slot] = {}
        self._wake = asyncio.Event()
        self._force = asyncio.Event()
        self._stopping = False
        self._counters = _Counters()

    # --- control -------------------------------------------------------------------

    def request_stop(self) -> None:
        """Stop claiming; in-flight calls get the grace period. A second call ends the grace."""
        if self._stopping:
            self._force.set()
        self._stopping = True
        self._wake.set()

    @property
    def in_flight(self) -> int:
        return len(self._slots)

    # --- the loop ------------------------------------------------------------------

    async def run(self) -> RunSummary:
        settings = await self._store.get_worker_settings()
        background = [
            asyncio.create_task(self._heartbeats(settings.heartbeat_interval()), name="heartbeats")
        ]
        if self._listener is not None and not self._config.once:
            background.append(
                asyncio.create_task(self._listener.listen(self._wake.set), name="listen")
            )
        log.info(
            "sync worker %s started: concurrency=%d once=%s listen=%s heartbeat=%.1fs",
            self._config.worker_id,
            self._config.concurrency,
            self._config.once,
            self._listener is not None and not self._config.once,
            settings.heartbeat_interval(),
        )
        try:
            await self._claim_loop()
        finally:
            await self._drain()
            for task in background:
                task.cancel()
            await asyncio.gather(*background, return_exceptions=True)
        c = self._counters
        log.info(
            "sync worker %s stopped: completed=%d failed=%d unreported=%d",
            self._config.worker_id,
            c.completed,
            c.failed,
            c.unreported,
        )
        return RunSummary(c.completed, c.failed, c.unreported)

    async def _claim_loop(self) -> None:
        cfg = self._config
        while not self._stopping:
            # Consume the wake-up that brought us here: only a later NOTIFY, freed slot or
            # stop may end the next wait (a stale one would spin this loop without awaiting).
            self._wake.clear()
            free = cfg.concurrency - len(self._slots)
            claimed: list[ClaimedRun] = []
            if free > 0:
                try:
                    claimed = await self._store.claim(cfg.worker_id, free)
                except Exception:
                    if cfg.once:
                        raise
                    log.exception("claim_sync_runs failed; retrying in %.1fs", cfg.poll_interval)
                    await self._sleep(cfg.poll_interval)
                    continue
                for run in claimed:
                    self._start(run)
                if cfg.once and not claimed and not self._slots:
                    return  # nothing pending, nothing in flight
                if claimed and len(claimed) == free:
                    continue  # a full batch: there may be more, claim as slots free
            # Wait for a NOTIFY, a freed slot or a stop; poll as the backstop.
            await self._sleep(None if cfg.once else cfg.poll_interval)

    async def _sleep(self, seconds: float | None) -> None:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._wake.wait()

    # --- one run -------------------------------------------------------------------

    def _start(self, run: ClaimedRun) -> None:
        slot = _Slot(run=run, started=time.monotonic())
        self._slots[run.run_id] = slot
        slot.task = asyncio.create_task(self._execute(slot), name=f"run-{run.run_id}")

    async def _safe_call(self, run: ClaimedRun) -> CallOutcome:
        try:
            return await self._caller.call(run)
        except Exception as exc:  # one run's trouble never reaches the others
            log.exception("integration call of run %s raised", run.run_id)
            return CallOutcome.failed(models.WORKER_ERROR, f"{type(exc).__name__}: {exc}"[:500])

    async def _execute(self, slot: _Slot) -> None:
        run = slot.run
        slot.call = asyncio.create_task(self._safe_call(run), name=f"call-{run.run_id}")
        try:
            await asyncio.wait({slot.call})
            if slot.call.cancelled():
                outcome = CallOutcome.failed(
                    models.WORKER_SHUTDOWN,
                    f"worker {self._config.worker_id} shut down before the call finished",
                )
            else:
                outcome = slot.call.result()
            latency_ms = int((time.monotonic() - slot.started) * 1000)
            reported = await self._report(run, outcome)
            self._account(outcome, reported)
            self._log_run(run, outcome, latency_ms, reported)
        finally:
            if not slot.call.done():
                slot.call.cancel()
            self._slots.pop(run.run_id, None)
            self._wake.set()

    async def _report(self, run: ClaimedRun, outcome: CallOutcome) -> bool:
        try:
            if outcome.ok:
                await self._store.complete(
                    run.run_id, outcome.records_processed, outcome.records_failed
                )
            else:
                await self._store.fail(
                    run.run_id,
                    outcome.error_code or models.WORKER_ERROR,
                    outcome.error_message or "",
                )
        except Exception:
            log.exception("could not report run %s; the reaper will fail it", run.run_id)
            return False
        return True

    def _account(self, outcome: CallOutcome, reported: bool) -> None:
        c = self._counters
        if not reported:
            c.unreported += 1
        elif outcome.ok:
            c.completed += 1
        else:
            c.failed += 1
            code = outcome.error_code or models.WORKER_ERROR
            c.by_code[code] = c.by_code.get(code, 0) + 1

    def _log_run(
        self, run: ClaimedRun, outcome: CallOutcome, latency_ms: int, reported: bool
    ) -> None:
        fields = {
            "run_id": str(run.run_id),
            "org_id": str(run.org_id),
            "integration_type": run.integration_type,
            "outcome": outcome.status if reported else f"{outcome.status}_unreported",
            "error_code": outcome.error_code,
            "http_status": outcome.http_status,
            "latency_ms": latency_ms,
            "records_processed": outcome.records_processed,
            "records_failed": outcome.records_failed,
            "worker_id": self._config.worker_id,
        }
        run_log.log(
            logging.INFO if outcome.ok and reported else logging.WARNING,
            " ".join(f"{k}={v if v is not None else '-'}" for k, v in fields.items()),
            extra={"sync_run": fields},
        )

    # --- heartbeats and shutdown ---------------------------------------------------

    async def _heartbeats(self, interval: float) -> None:
        """Heartbeat in-flight runs; the cadence follows changes of stale_run_timeout."""
        while True:
            await asyncio.sleep(interval)
            run_ids = list(self._slots)
            if not run_ids:
                continue
            try:
                await self._store.heartbeat(self._config.worker_id, run_ids)
                interval = (await self._store.get_worker_settings()).heartbeat_interval()
            except Exception:
                log.exception("heartbeat_sync_runs failed for %d runs", len(run_ids))

    async def _wait_force(self) -> object:
        return await self._force.wait()

    async def _drain(self) -> None:
        """Let in-flight calls finish within the grace period, then cut the rest short."""
        tasks = {s.task for s in self._slots.values() if s.task is not None}
        if not tasks:
            return
        if self._stopping:
            log.info(
                "stopping: waiting up to %.1fs for %d in-flight runs",
                self._config.grace_period,
                len(tasks),
            )
        deadline = time.monotonic() + self._config.grace_period
        force: asyncio.Task[object] = asyncio.create_task(self._wait_force())
        try:
            pending: set[asyncio.Task[Any]] = set(tasks)
            while pending and not self._force.is_set():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                _, pending = await asyncio.wait(
                    pending | {force}, timeout=remaining, return_when=asyncio.FIRST_COMPLETED
                )
                pending.discard(force)
        finally:
            force.cancel()
        leftover = [s for s in self._slots.values() if s.task is not None]
        if leftover:
            log.warning("grace period over: failing %d runs with worker_shutdown", len(leftover))
            for slot in leftover:
                if slot.call is not None:
                    slot.call.cancel()
            await asyncio.gather(
                *(s.task for s in leftover if s.task is not None), return_exceptions=True
            )


@contextlib.contextmanager
def stop_on_signals(runner: SyncRunner) -> Iterator[None]:
    """SIGTERM/SIGINT → graceful stop; a second signal ends the grace period at once."""
    loop = asyncio.get_running_loop()
    sigs = (signal.SIGTERM, signal.SIGINT)
    for sig in sigs:
        loop.add_signal_handler(sig, runner.request_stop)
    try:
        yield
    finally:
        for sig in sigs:
            loop.remove_signal_handler(sig)
