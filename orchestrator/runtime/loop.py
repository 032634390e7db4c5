"""One loop for every worker: claim → perform → report, with bounded concurrency.

- Never more than `concurrency` items in flight; a claim asks only for free slots.
- A wake-up (NOTIFY), a freed slot or the poll interval triggers the next claim; with
  `once`, the loop ends when a claim finds nothing and nothing is in flight.
- `perform` (the HTTP call) never raises into the loop; an exception becomes
  `work.crashed(item, exc)`.
- Reports go through one `Reporter` per loop, in batches (issue 24): a finished item's
  report joins the queue, and the reporter sends what is queued, up to
  `work.report_batch_size`, as soon as it is idle and the event loop has run what was
  ready (the calls that finished in the same turn join the batch). A lone report is
  sent at once; under load, reports that finish while a batch is on its way go in the
  next one. Never a fixed wait.
- Reports are retried on transient database errors with backoff (50 ms doubling to
  2 s; a reconnect of the database retries at once) until they land, or, once a stop
  was requested, until the grace period ends. Reports are harmless to repeat. A
  refused report (e.g. `invalid_transition`: the reaper took the run) is logged and
  counted `unreported`; the others of its batch land. A batch the database refuses as
  a whole (data no report of it may carry) is sent again report by report.
- Stop (`Lifecycle.request_stop`, SIGTERM/SIGINT): no more claims; in-flight items get
  the grace period; then their calls are cancelled and `work.cut_short(item)` is
  reported (one attempt). A second stop ends the grace period at once.
- A `PermanentDbError` from a claim or a report (say, a worker newer than the deployed
  package) ends the loop (after the same drain) and reaches the command, which exits
  with code 2.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Coroutine, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from .errors import DbError, PermanentDbError, TransientDbError
from .events import NO_EVENTS, RuntimeEvents

log = logging.getLogger("orchestrator.runtime")

ItemT = TypeVar("ItemT")
OutcomeT = TypeVar("OutcomeT")

REPORT_BACKOFF_START_S = 0.05
REPORT_BACKOFF_MAX_S = 2.0
CLAIM_BACKOFF_MAX_S = 5.0


class Lifecycle:
    """Stop requests shared by every loop of a process: the first asks for a graceful
    stop, the second forces it."""

    def __init__(self) -> None:
        self.stopping = asyncio.Event()
        self.forced = asyncio.Event()
        self._listeners: list[Callable[[], None]] = []

    def request_stop(self) -> None:
        if self.stopping.is_set():
            self.forced.set()
        self.stopping.set()
        for listener in self._listeners:
            listener()

    def on_stop(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)


@contextlib.contextmanager
def stop_on_signals(life: Lifecycle) -> Iterator[None]:
    """SIGTERM/SIGINT → graceful stop; a second signal ends the grace period at once."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach the main thread only; its loop handles them
        return
    loop = asyncio.get_running_loop()
    sigs = (signal.SIGTERM, signal.SIGINT)
    for sig in sigs:
        loop.add_signal_handler(sig, life.request_stop)
    try:
        yield
    finally:
        for sig in sigs:
            loop.remove_signal_handler(sig)


@dataclass(frozen=True)
class RunSummary:
    """What one loop did: items claimed, how many ended in each outcome (reported ones),
    and how many outcomes could not be reported."""

    service: str
    claimed: int = 0
    outcomes: Mapping[str, int] = field(default_factory=dict)
    unreported: int = 0

    def count(self, outcome: str) -> int:
        return self.outcomes.get(outcome, 0)

    def line(self) -> str:
        counts = ", ".join(f"{name} {n}" for name, n in self.outcomes.items())
        return (
            f"{self.service}: claimed {self.claimed}; {counts or 'nothing'}; "
            f"unreported {self.unreported}"
        )


class Work(Protocol[ItemT, OutcomeT]):
    """What a loop runs: sync runs or health checks."""

    name: str  # "sync", "health": names the logs, the summary and the events
    outcome_names: Sequence[str]  # listed in the summary even when 0

    def key(self, item: ItemT) -> Hashable: ...

    async def claim(self, max_items: int) -> Sequence[ItemT]: ...

    async def perform(self, item: ItemT) -> OutcomeT: ...

    def crashed(self, item: ItemT, exc: BaseException) -> OutcomeT: ...

    def cut_short(self, item: ItemT) -> OutcomeT | None: ...

    report_batch_size: int  # reports sent in one call at most (1: each on its own)

    async def report_batch(self, done: Sequence[tuple[ItemT, OutcomeT]]) -> Sequence[str | None]:
        """Report finished items in one call: per item, in order, None when it was applied,
        else why it was refused. A `DbError` is the whole call's. Must be harmless to
        repeat (a batch whose answer was lost is sent again)."""
        ...

    def outcome_name(self, outcome: OutcomeT) -> str: ...

    def log_result(
        self, item: ItemT, outcome: OutcomeT, latency_ms: int, reported: bool
    ) -> None: ...

    async def heartbeat(self, items: Sequence[ItemT]) -> float | None:
        """Tell the database these items are alive; seconds until the next heartbeat."""
        ...

    def heartbeat_interval(self) -> float | None: ...


@dataclass(frozen=True)
class LoopConfig:
    worker_id: str
    concurrency: int = 5
    poll_interval: float = 10.0
    grace_period: float = 30.0
    once: bool = False
    max_claim: int | None = None  # cap per claim (health: --max-checks)
    once_patience_s: float = 30.0  # `once`: how long claims may fail transiently

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        if self.poll_interval <= 0:
            raise ValueError("poll_interval must be positive")
        if self.grace_period < 0:
            raise ValueError("grace_period must not be negative")
        if self.max_claim is not None and self.max_claim < 1:
            raise ValueError("max_claim must be at least 1")


@dataclass
class _Slot(Generic[ItemT, OutcomeT]):
    item: ItemT
    started: float
    task: asyncio.Task[None] | None = None
    call: asyncio.Task[OutcomeT] | None = None


@dataclass
class _Report(Generic[ItemT, OutcomeT]):
    item: ItemT
    outcome: OutcomeT
    landed: asyncio.Future[bool]


class Reporter(Generic[ItemT, OutcomeT]):
    """Sends the loop's reports in batches, one batch at a time (see the module
    docstring); `submit` answers whether the report landed."""

    def __init__(
        self,
        work: Work[ItemT, OutcomeT],
        events: RuntimeEvents,
        grace_over: asyncio.Event,
        on_fatal: Callable[[PermanentDbError], None],
    ) -> None:
        self.work = work
        self.events = events
        self._grace_over = grace_over
        self._on_fatal = on_fatal
        self._queue: deque[_Report[ItemT, OutcomeT]] = deque()
        self._queued = asyncio.Event()
        self._retry_now = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"{self.work.name}-reports")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        while self._queue:  # nothing is left when the loop drained; never hang a caller
            report = self._queue.popleft()
            if not report.landed.done():
                report.landed.set_result(False)

    def submit(self, item: ItemT, outcome: OutcomeT) -> asyncio.Future[bool]:
        landed: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._queue.append(_Report(item, outcome, landed))
        self._queued.set()
        return landed

    def retry_now(self) -> None:
        """The database is back: a report waiting out its backoff is sent at once."""
        self._retry_now.set()

    async def _run(self) -> None:
        while True:
            await self._queued.wait()
            # Let what is ready run first: calls that finished in this turn of the event
            # loop add their reports to this batch. One turn, not a timer.
            await asyncio.sleep(0)
            while self._queue:
                size = max(1, self.work.report_batch_size)
                batch = [self._queue.popleft() for _ in range(min(size, len(self._queue)))]
                try:
                    landed = await self._send(batch)
                except Exception:  # a bug must not stop the reports that follow
                    log.exception("%s: reporting %d item(s) failed", self.work.name, len(batch))
                    landed = [False] * len(batch)
                except BaseException:
                    for report in batch:
                        if not report.landed.done():
                            report.landed.set_result(False)
                    raise
                for report, ok in zip(batch, landed, strict=True):
                    if not report.landed.done():
                        report.landed.set_result(ok)
            self._queued.clear()

    async def _send(self, batch: list[_Report[ItemT, OutcomeT]]) -> list[bool]:
        name = self.work.name
        delay = REPORT_BACKOFF_START_S
        while True:
            try:
                refusals = list(await self.work.report_batch([(r.item, r.outcome) for r in batch]))
            except TransientDbError as err:
                if self._grace_over.is_set():
                    log.warning(
                        "%s: gave up reporting %d item(s) after the grace period (%s); "
                        "the reaper will take them",
                        name,
                        len(batch),
                        err.message,
                    )
                    return [False] * len(batch)
                for _ in batch:
                    self.events.on_report_retried(name, err)
                self._retry_now.clear()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(delay):
                        await _first(self._grace_over, self._retry_now)
                delay = min(delay * 2, REPORT_BACKOFF_MAX_S)
                continue
            except PermanentDbError as err:
                # e.g. a worker newer than the deployed package: stop, exit 2 with the fix
                log.error("%s: cannot report %d item(s): %s", name, len(batch), err.message)
                self._on_fatal(err)
                return [False] * len(batch)
            except DbError as err:
                if len(batch) > 1:  # the call as a whole was refused: each report alone
                    return [ok for report in batch for ok in await self._send([report])]
                log.warning("%s: report of %s refused: %s", name, batch[0].item, err.message)
                return [False]
            if len(refusals) != len(batch):
                raise RuntimeError(f"{len(refusals)} answers to {len(batch)} reports")
            for report, refused in zip(batch, refusals, strict=True):
                if refused is not None:
                    log.warning("%s: report of %s refused: %s", name, report.item, refused)
            return [refused is None for refused in refusals]


async def _first(*events: asyncio.Event) -> None:
    """Until any of `events` is set."""
    waiters = [asyncio.ensure_future(e.wait()) for e in events]
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()


class ClaimLoop(Generic[ItemT, OutcomeT]):
    def __init__(
        self,
        work: Work[ItemT, OutcomeT],
        config: LoopConfig,
        *,
        listen: Callable[[Callable[[], None]], Coroutine[Any, Any, None]] | None = None,
        events: RuntimeEvents = NO_EVENTS,
    ) -> None:
        self.work = work
        self.config = config
        self._listen = listen
        self.events = events
        self._slots: dict[Hashable, _Slot[ItemT, OutcomeT]] = {}
        self._wake = asyncio.Event()
        self._grace_over = asyncio.Event()
        self._life = Lifecycle()
        self._claimed = 0
        self._outcomes: Counter[str] = Counter({n: 0 for n in work.outcome_names})
        self._unreported = 0
        self._fatal: PermanentDbError | None = None
        self._reporter: Reporter[ItemT, OutcomeT] = Reporter(
            work, events, self._grace_over, self._fatal_error
        )

    @property
    def in_flight(self) -> int:
        return len(self._slots)

    def request_stop(self) -> None:
        self._life.request_stop()

    def wake(self) -> None:
        """Claim now, and send waiting reports now (the database has reconnected)."""
        self._wake.set()
        self._reporter.retry_now()

    def _fatal_error(self, err: PermanentDbError) -> None:
        if self._fatal is None:
            self._fatal = err
            self._life.request_stop()

    def summary(self) -> RunSummary:
        return RunSummary(self.work.name, self._claimed, dict(self._outcomes), self._unreported)

    # --- the loop ------------------------------------------------------------------------

    async def run(self, life: Lifecycle | None = None) -> RunSummary:
        if life is not None:
            self._life = life
        self._life.on_stop(self._wake.set)
        self._life.on_stop(self._on_stop)
        if self._life.stopping.is_set():
            self._on_stop()
        background: list[asyncio.Task[Any]] = []
        interval = self.work.heartbeat_interval()
        if interval is not None:
            background.append(asyncio.create_task(self._heartbeats(interval), name="heartbeats"))
        if self._listen is not None and not self.config.once:
            background.append(asyncio.create_task(self._listen(self._wake.set), name="listen"))
        cfg = self.config
        log.info(
            "%s worker %s started: concurrency=%d once=%s listen=%s",
            self.work.name,
            cfg.worker_id,
            cfg.concurrency,
            cfg.once,
            self._listen is not None and not cfg.once,
        )
        self._reporter.start()
        try:
            await self._claim_loop()
        finally:
            try:
                await self._drain()
            finally:
                await self._reporter.stop()
                for task in background:
                    task.cancel()
                await asyncio.gather(*background, return_exceptions=True)
        if self._fatal is not None:
            raise self._fatal
        summary = self.summary()
        log.info(
            "%s worker %s stopped: %s unreported=%d",
            self.work.name,
            cfg.worker_id,
            " ".join(f"{k}={v}" for k, v in summary.outcomes.items()),
            summary.unreported,
        )
        return summary

    async def _claim_loop(self) -> None:
        cfg = self.config
        backoff = 0.1
        failing_since: float | None = None
        while not self._life.stopping.is_set():
            # Clear before claiming: a wake-up that arrives during the claim stays set for
            # the next wait (a stale one would spin this loop without awaiting).
            self._wake.clear()
            free = cfg.concurrency - len(self._slots)
            if cfg.max_claim is not None:
                free = min(free, cfg.max_claim)
            claimed: Sequence[ItemT] = []
            if free > 0:
                try:
                    claimed = await self.work.claim(free)
                except TransientDbError:
                    now = time.monotonic()
                    failing_since = failing_since or now
                    if cfg.once and now - failing_since > cfg.once_patience_s:
                        raise
                    await self._sleep(min(backoff, cfg.poll_interval))
                    backoff = min(backoff * 2, CLAIM_BACKOFF_MAX_S)
                    continue
                except PermanentDbError:
                    raise
                except DbError as err:
                    if cfg.once:
                        raise
                    log.error("%s claim refused: %s", self.work.name, err.message)
                    await self._sleep(cfg.poll_interval)
                    continue
                backoff, failing_since = 0.1, None
                self.events.on_poll(self.work.name, len(claimed))
                self._claimed += len(claimed)
                for item in claimed:
                    self._start(item)
                if cfg.once and not claimed and not self._slots:
                    return  # nothing pending, nothing in flight
                if claimed and len(claimed) == free:
                    await asyncio.sleep(0)  # let the calls start; claim as slots free
                    continue
            # Wait for a NOTIFY, a freed slot or a stop; poll as the backstop.
            await self._sleep(None if cfg.once else cfg.poll_interval)

    async def _sleep(self, seconds: float | None) -> None:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._wake.wait()

    # --- one item ------------------------------------------------------------------------

    def _start(self, item: ItemT) -> None:
        slot: _Slot[ItemT, OutcomeT] = _Slot(item=item, started=time.monotonic())
        self._slots[self.work.key(item)] = slot
        slot.task = asyncio.create_task(self._execute(slot))

    async def _safe_perform(self, item: ItemT) -> OutcomeT:
        try:
            return await self.work.perform(item)
        except Exception as exc:  # one item's trouble never reaches the others
            log.error("%s: %s raised %s: %s", self.work.name, item, type(exc).__name__, exc)
            return self.work.crashed(item, exc)

    async def _execute(self, slot: _Slot[ItemT, OutcomeT]) -> None:
        item = slot.item
        slot.call = asyncio.create_task(self._safe_perform(item))
        try:
            await asyncio.wait({slot.call})
            outcome = None if slot.call.cancelled() else slot.call.result()
            if outcome is None:
                outcome = self.work.cut_short(item)
            latency = time.monotonic() - slot.started
            if outcome is None:
                self.events.on_run_finished(self.work.name, "cut_short", latency, False)
                self.events.on_item_finished(self.work.name, item, None, latency, False)
                return
            reported = await self._reporter.submit(item, outcome)
            name = self.work.outcome_name(outcome)
            if reported:
                self._outcomes[name] += 1
            else:
                self._unreported += 1
            self.events.on_run_finished(self.work.name, name, latency, reported)
            self.events.on_item_finished(self.work.name, item, outcome, latency, reported)
            self.work.log_result(item, outcome, int(latency * 1000), reported)
        finally:
            if not slot.call.done():
                slot.call.cancel()
            self._slots.pop(self.work.key(item), None)
            self._wake.set()

    # --- heartbeats and shutdown ---------------------------------------------------------

    async def _heartbeats(self, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            items = [s.item for s in self._slots.values()]
            if not items:
                continue
            try:
                interval = await self.work.heartbeat(items) or interval
            except TransientDbError as err:  # an outage: the database's own lines say it
                log.debug("%s heartbeat skipped: %s", self.work.name, err.message)
            except DbError as err:
                log.warning("%s heartbeat failed: %s", self.work.name, err.message)

    def _on_stop(self) -> None:
        if self._life.forced.is_set():
            self._grace_over.set()

    async def _drain(self) -> None:
        """Let in-flight items finish within the grace period, then cut the rest short."""
        tasks = {s.task for s in self._slots.values() if s.task is not None}
        if not tasks:
            return
        if self._life.stopping.is_set():
            log.info(
                "stopping: waiting up to %.1fs for %d in-flight %s items",
                self.config.grace_period,
                len(tasks),
                self.work.name,
            )
        deadline = time.monotonic() + self.config.grace_period
        force = asyncio.create_task(self._grace_over.wait())
        try:
            pending: set[asyncio.Future[Any]] = set(tasks)
            while pending and not self._grace_over.is_set():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                _, pending = await asyncio.wait(
                    pending | {force}, timeout=remaining, return_when=asyncio.FIRST_COMPLETED
                )
                pending.discard(force)
        finally:
            force.cancel()
        self._grace_over.set()  # reports still retrying give up; cut-short ones try once
        leftover = [s for s in self._slots.values() if s.task is not None]
        if leftover:
            log.warning(
                "grace period over: cutting %d %s items short", len(leftover), self.work.name
            )
            for slot in leftover:
                if slot.call is not None:
                    slot.call.cancel()
            await asyncio.gather(
                *(s.task for s in leftover if s.task is not None), return_exceptions=True
            )
