"""The runtime loop running SyncWork, with a fake RunStore and a fake IntegrationCaller
(pure units, no I/O)."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from orchestrator.runtime.errors import (
    DbError,
    PermanentDbError,
    RefusedError,
    TransientDbError,
)
from orchestrator.runtime.events import NoEvents
from orchestrator.runtime.loop import ClaimLoop, LoopConfig
from orchestrator.runtime.models import FinishedReport
from orchestrator.sync.models import CallOutcome, ClaimedRun, WorkerSettings
from orchestrator.sync.work import SyncWork

SETTINGS = WorkerSettings(timedelta(seconds=60), timedelta(seconds=10))


async def until(predicate: Callable[[], bool], seconds: float = 10.0) -> None:
    """Yield to the loop until `predicate()` holds; fails (not hangs) after `seconds`."""
    for _ in range(int(seconds / 0.002)):
        if predicate():
            return
        await asyncio.sleep(0.002)
    raise AssertionError("condition not reached")


def new_run(kind: str = "xledger") -> ClaimedRun:
    return ClaimedRun(uuid4(), uuid4(), kind, "http://x.invalid/", "scheduler", None, None, None)


class FakeStore:
    """An in-memory queue with the claim/finish semantics of DESIGN §8 and §12:
    finish_sync_runs applies or refuses each report on its own, and answers a repeated
    report like the first."""

    def __init__(self, runs: Sequence[ClaimedRun] = (), stale: float = 60.0) -> None:
        self.pending: list[ClaimedRun] = list(runs)
        self.status: dict[UUID, str] = {r.run_id: "pending" for r in runs}
        self.results: dict[UUID, tuple[object, ...]] = {}
        self.reports: dict[UUID, Mapping[str, Any]] = {}
        self.claim_sizes: list[int] = []
        self.finish_calls: list[int] = []  # reports per finish_sync_runs call
        self.heartbeats: list[tuple[str, list[UUID]]] = []
        self.fail_reports_for: set[UUID] = set()
        self.poison: set[UUID] = set()  # a call carrying one of these is refused whole
        self.transient_reports: dict[UUID, int] = {}  # run → transient failures left
        self.report_workers: set[str] = set()
        self.stale = stale

    def add(self, run: ClaimedRun) -> None:
        self.pending.append(run)
        self.status[run.run_id] = "pending"

    async def get_worker_settings(self) -> WorkerSettings:
        return WorkerSettings(timedelta(seconds=self.stale), timedelta(seconds=10))

    async def claim_sync_runs(self, worker_id: str, max_runs: int) -> list[ClaimedRun]:
        self.claim_sizes.append(max_runs)
        got, self.pending = self.pending[:max_runs], self.pending[max_runs:]
        for r in got:
            self.status[r.run_id] = "running"
        return got

    async def heartbeat_sync_runs(self, worker_id: str, run_ids: Sequence[UUID]) -> int:
        self.heartbeats.append((worker_id, list(run_ids)))
        return len(run_ids)

    async def finish_sync_runs(
        self, worker_id: str, reports: Sequence[Mapping[str, Any]]
    ) -> list[FinishedReport]:
        assert 1 <= len(reports) <= 50
        self.finish_calls.append(len(reports))
        self.report_workers.add(worker_id)
        ids = [UUID(r["run_id"]) for r in reports]
        if self.poison & set(ids) and len(ids) > 1:
            raise RefusedError("untranslatable character", "22P05")
        for run_id in ids:  # a lost connection fails the call as a whole
            if self.transient_reports.get(run_id, 0) > 0:
                self.transient_reports[run_id] -= 1
                raise TransientDbError("AdminShutdown: terminating connection", "57P01")
        answers = []
        for run_id, report in zip(ids, reports, strict=True):
            status = report["status"]
            result: tuple[object, ...] = (
                (report["records_processed"], report["records_failed"])
                if status == "completed"
                else (report["error_code"], report["error_message"])
            )
            if run_id in self.fail_reports_for or run_id in self.poison:
                answers.append(FinishedReport(run_id, self.status[run_id], "invalid_transition"))
            elif self.status[run_id] == "running":
                self.status[run_id] = status
                self.results[run_id] = result
                self.reports[run_id] = report
                answers.append(FinishedReport(run_id, status, None))
            elif (self.status[run_id], self.results.get(run_id)) == (status, result):
                answers.append(FinishedReport(run_id, status, None))  # a repeat: as the first
            else:
                answers.append(FinishedReport(run_id, self.status[run_id], "invalid_transition"))
        return answers


class FakeCaller:
    """Counts in-flight calls; each call waits for `gate` (when set) or returns at once."""

    def __init__(self, behave: Callable[[ClaimedRun], CallOutcome] | None = None) -> None:
        self.in_flight = 0
        self.max_in_flight = 0
        self.calls: list[UUID] = []
        self.gate: asyncio.Event | None = None
        self.started = asyncio.Event()
        self.behave = behave or (lambda run: CallOutcome.completed(3, 1))

    async def call(self, run: ClaimedRun) -> CallOutcome:
        self.calls.append(run.run_id)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        self.started.set()
        try:
            if self.gate is not None:
                await self.gate.wait()
            else:
                await asyncio.sleep(0.001)
            return self.behave(run)
        finally:
            self.in_flight -= 1


def config(**over: object) -> LoopConfig:
    values: dict[str, object] = {"worker_id": "w1", "concurrency": 5, "poll_interval": 0.05}
    values.update(over)
    return LoopConfig(**values)  # type: ignore[arg-type]


def sync_loop(
    store: FakeStore,
    caller: FakeCaller,
    cfg: LoopConfig,
    listener: FakeListener | None = None,
    events: NoEvents | None = None,
) -> ClaimLoop[ClaimedRun, CallOutcome]:
    settings = WorkerSettings(timedelta(seconds=store.stale), timedelta(seconds=10))
    work = SyncWork(store, caller, cfg.worker_id, settings)
    return ClaimLoop(
        work,
        cfg,
        listen=None if listener is None else listener.listen,
        events=events or NoEvents(),
    )


async def test_once_runs_everything_within_the_cap() -> None:
    store = FakeStore([new_run() for _ in range(23)])
    caller = FakeCaller()
    summary = await sync_loop(store, caller, config(once=True)).run()
    assert summary.count("completed") == 23
    assert set(store.status.values()) == {"completed"}
    assert all(res == (3, 1) for res in store.results.values())
    assert caller.max_in_flight == 5
    assert max(store.claim_sizes) == 5  # never claims more than its free slots
    assert len(caller.calls) == len(set(caller.calls)) == 23


async def test_one_failing_run_never_affects_the_others() -> None:
    runs = [new_run() for _ in range(6)]
    bad = runs[2].run_id

    def behave(run: ClaimedRun) -> CallOutcome:
        if run.run_id == bad:
            raise ValueError("adapter bug")
        return CallOutcome.completed(1, 0)

    store = FakeStore(runs)
    store.fail_reports_for.add(runs[4].run_id)  # and one report that cannot be written
    summary = await sync_loop(store, FakeCaller(behave), config(once=True)).run()
    assert store.status[bad] == "failed"
    assert store.results[bad][0] == "worker_error"
    assert store.status[runs[4].run_id] == "running"  # refused: left as it is
    assert (summary.count("completed"), summary.count("failed"), summary.unreported) == (4, 1, 1)
    assert store.report_workers == {"w1"}  # every report names the worker


async def test_failed_outcome_is_reported_with_its_code() -> None:
    run = new_run()
    store = FakeStore([run])
    caller = FakeCaller(lambda r: CallOutcome.failed("http_503", "busy", http_status=503))
    await sync_loop(store, caller, config(once=True)).run()
    assert store.results[run.run_id] == ("http_503", "busy")


async def draining(caplog: pytest.LogCaptureFixture) -> None:
    """Until the loop has stopped claiming and waits for its in-flight items (its
    "stopping: waiting up to …" line): an event, not a sleep window."""
    await until(lambda: any(r.getMessage().startswith("stopping: waiting") for r in caplog.records))


async def test_stop_lets_in_flight_calls_finish_within_the_grace_period(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="orchestrator.runtime")
    store = FakeStore([new_run() for _ in range(3)])
    caller = FakeCaller()
    caller.gate = asyncio.Event()
    runner = sync_loop(store, caller, config(grace_period=30.0))
    task = asyncio.create_task(runner.run())
    await caller.started.wait()
    await until(lambda: caller.in_flight >= 3)
    runner.request_stop()
    store.add(new_run())  # arrives after the stop: must not be claimed
    await draining(caplog)  # the claim loop has ended without claiming it
    caller.gate.set()
    summary = await task
    assert summary.count("completed") == 3
    assert list(store.status.values()).count("pending") == 1
    assert "running" not in store.status.values()


async def test_grace_period_over_fails_the_rest_with_worker_shutdown() -> None:
    runs = [new_run() for _ in range(7)]
    store = FakeStore(runs)
    caller = FakeCaller()
    caller.gate = asyncio.Event()  # never opened
    runner = sync_loop(store, caller, config(grace_period=0.05))
    task = asyncio.create_task(runner.run())
    await until(lambda: caller.in_flight >= 5)
    runner.request_stop()
    summary = await task
    assert summary.count("failed") == 5
    assert sorted(store.status.values()) == ["failed"] * 5 + ["pending"] * 2
    codes = {res[0] for res in store.results.values()}
    assert codes == {"worker_shutdown"}


async def test_second_stop_ends_the_grace_period(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="orchestrator.runtime")
    store = FakeStore([new_run()])
    caller = FakeCaller()
    caller.gate = asyncio.Event()
    runner = sync_loop(store, caller, config(grace_period=3600.0))
    task = asyncio.create_task(runner.run())
    await caller.started.wait()
    runner.request_stop()
    await draining(caplog)  # the first stop: the loop waits out its grace period
    assert not task.done()
    runner.request_stop()
    summary = await task
    assert summary.count("failed") == 1
    assert "running" not in store.status.values()


async def test_heartbeats_name_the_in_flight_runs() -> None:
    run = new_run()
    store = FakeStore([run], stale=0.3)  # heartbeat every 0.1 s
    caller = FakeCaller()
    caller.gate = asyncio.Event()
    runner = sync_loop(store, caller, config(once=True))
    task = asyncio.create_task(runner.run())
    await until(lambda: len(store.heartbeats) >= 2)
    caller.gate.set()
    await task
    assert all(hb == ("w1", [run.run_id]) for hb in store.heartbeats)


class FakeListener:
    def __init__(self) -> None:
        self.wake: Callable[[], None] | None = None
        self.ready = asyncio.Event()

    async def listen(self, wake: Callable[[], None]) -> None:
        self.wake = wake
        self.ready.set()
        await asyncio.Event().wait()


async def test_a_wakeup_claims_without_waiting_for_the_poll() -> None:
    store = FakeStore()
    caller = FakeCaller()
    listener = FakeListener()
    runner = sync_loop(store, caller, config(poll_interval=3600.0), listener)
    task = asyncio.create_task(runner.run())
    await listener.ready.wait()
    await until(lambda: bool(store.claim_sizes))
    run = new_run()
    store.add(run)
    assert listener.wake is not None
    listener.wake()
    await caller.started.wait()
    await until(lambda: store.status[run.run_id] == "completed")
    runner.request_stop()
    await task


async def test_polling_picks_up_work_without_a_wakeup() -> None:
    store = FakeStore()
    caller = FakeCaller()
    runner = sync_loop(store, caller, config(poll_interval=0.02))
    task = asyncio.create_task(runner.run())
    await until(lambda: bool(store.claim_sizes))
    run = new_run()
    store.add(run)
    await until(lambda: store.status[run.run_id] == "completed")
    runner.request_stop()
    await task


def test_config_is_validated() -> None:
    for bad in (
        {"concurrency": 0},
        {"poll_interval": 0},
        {"grace_period": -1},
        {"max_claim": 0},
    ):
        with pytest.raises(ValueError):
            LoopConfig(worker_id="w", **bad)  # type: ignore[arg-type]


class FlakyStore(FakeStore):
    def __init__(
        self, runs: Sequence[ClaimedRun], failures: int, error: DbError | None = None
    ) -> None:
        super().__init__(runs)
        self.failures = failures
        self.error = error or TransientDbError("OperationalError: connection refused")

    async def claim_sync_runs(self, worker_id: str, max_runs: int) -> list[ClaimedRun]:
        if self.failures:
            self.failures -= 1
            raise self.error
        return await super().claim_sync_runs(worker_id, max_runs)


async def test_a_failing_claim_is_retried_by_the_long_running_worker() -> None:
    run = new_run()
    store = FlakyStore([run], failures=2)
    runner = sync_loop(store, FakeCaller(), config(poll_interval=0.01))
    task = asyncio.create_task(runner.run())
    await until(lambda: store.status[run.run_id] == "completed")
    runner.request_stop()
    assert (await task).count("completed") == 1


async def test_once_mode_rides_out_a_short_outage() -> None:
    store = FlakyStore([new_run()], failures=2)
    summary = await sync_loop(store, FakeCaller(), config(once=True)).run()
    assert summary.count("completed") == 1


async def test_once_mode_ends_with_the_error_when_the_outage_lasts() -> None:
    store = FlakyStore([new_run()], failures=1000)
    with pytest.raises(TransientDbError):
        await sync_loop(store, FakeCaller(), config(once=True, once_patience_s=0.2)).run()


async def test_a_refused_claim_ends_once_mode_and_is_retried_otherwise() -> None:
    refused = RefusedError("invalid_argument: max_runs", "PT400", "invalid_argument")
    with pytest.raises(RefusedError):
        await sync_loop(FlakyStore([new_run()], 1, refused), FakeCaller(), config(once=True)).run()
    run = new_run()
    store = FlakyStore([run], 1, refused)
    runner = sync_loop(store, FakeCaller(), config(poll_interval=0.01))
    task = asyncio.create_task(runner.run())
    await until(lambda: store.status[run.run_id] == "completed")
    runner.request_stop()
    await task


async def test_a_permanent_error_ends_the_loop_after_draining() -> None:
    gone = PermanentDbError("the integration package is missing", "run `orchestrator db deploy`")
    first = new_run()
    store = FlakyStore([first], 0, gone)
    caller = FakeCaller()
    caller.gate = asyncio.Event()
    runner = sync_loop(store, caller, config(poll_interval=0.01))
    task = asyncio.create_task(runner.run())
    await caller.started.wait()
    store.failures = 1  # the next claim finds the schema gone
    await until(lambda: store.failures == 0)
    caller.gate.set()  # the in-flight run still finishes and is reported
    with pytest.raises(PermanentDbError):
        await task
    assert store.status[first.run_id] == "completed"


class Recorder(NoEvents):
    def __init__(self) -> None:
        self.retried: list[str] = []
        self.finished: list[tuple[str, bool]] = []
        self.polls: list[int] = []

    def on_report_retried(self, service: str, error: DbError) -> None:
        self.retried.append(error.message)

    def on_run_finished(self, service: str, outcome: str, latency_s: float, reported: bool) -> None:
        self.finished.append((outcome, reported))

    def on_poll(self, service: str, claimed: int) -> None:
        self.polls.append(claimed)


async def test_a_report_meeting_transient_errors_is_retried_until_it_lands() -> None:
    runs = [new_run() for _ in range(3)]
    store = FakeStore(runs)
    store.transient_reports = {runs[0].run_id: 3, runs[1].run_id: 1}
    events = Recorder()
    summary = await sync_loop(store, FakeCaller(), config(once=True), events=events).run()
    assert summary.count("completed") == 3 and summary.unreported == 0
    assert set(store.status.values()) == {"completed"}
    assert len(events.retried) >= 4  # each failed call counts every report it carried
    assert len(store.finish_calls) >= 5  # four failed calls, then what landed
    assert events.finished == [("completed", True)] * 3
    assert sum(events.polls) == 3


async def test_a_report_still_failing_when_the_grace_period_ends_is_given_up() -> None:
    run = new_run()
    store = FakeStore([run])
    store.transient_reports = {run.run_id: 10**9}  # the database never comes back
    caller = FakeCaller()
    runner = sync_loop(store, caller, config(grace_period=0.3))
    task = asyncio.create_task(runner.run())
    await until(lambda: store.transient_reports[run.run_id] < 10**9 - 2)  # retrying
    runner.request_stop()
    summary = await task
    assert summary.unreported == 1
    assert store.status[run.run_id] == "running"  # the reaper's, as before


class EagerListener(FakeListener):
    """Wakes the runner as soon as it listens, as the real listener does after LISTEN."""

    async def listen(self, wake: Callable[[], None]) -> None:
        wake()
        await super().listen(wake)


def test_a_full_batch_with_a_pending_wakeup_does_not_starve_the_calls() -> None:
    """Regression: with every slot taken and a wake-up already set, the claim loop must
    still yield to the calls (it once spun without awaiting, so no call ever started).
    The runner runs on its own thread so a spinning loop fails this test, not the suite."""
    store = FakeStore([new_run() for _ in range(5)])
    caller = FakeCaller()
    runner = sync_loop(store, caller, config(poll_interval=3600.0), EagerListener())
    done = threading.Event()

    async def scenario() -> None:
        task = asyncio.create_task(runner.run())
        await until(lambda: all(s == "completed" for s in store.status.values()))
        runner.request_stop()
        await task
        done.set()

    thread = threading.Thread(target=asyncio.run, args=(scenario(),), daemon=True)
    thread.start()
    thread.join(timeout=30)
    assert done.is_set(), f"runs stuck: {store.status}"


class OutdatedStore(FakeStore):
    """The deployed package predates the worker: every report is a PermanentDbError."""

    async def finish_sync_runs(
        self, worker_id: str, reports: Sequence[Mapping[str, Any]]
    ) -> list[FinishedReport]:
        raise PermanentDbError("the integration package is older", "run `orchestrator db deploy`")


async def test_a_permanent_error_in_a_report_stops_the_loop_with_it() -> None:
    store = OutdatedStore([new_run() for _ in range(3)])
    with pytest.raises(PermanentDbError, match="older"):
        await sync_loop(store, FakeCaller(), config(poll_interval=0.01)).run()
    assert set(store.status.values()) <= {"running", "pending"}


# --- batched reports (issue 24) --------------------------------------------------------


async def test_calls_that_finish_together_are_reported_together() -> None:
    runs = [new_run() for _ in range(120)]
    store = FakeStore(runs)
    caller = FakeCaller()
    caller.gate = asyncio.Event()
    runner = sync_loop(store, caller, config(concurrency=100, poll_interval=3600.0))
    task = asyncio.create_task(runner.run())
    await until(lambda: caller.in_flight == 100)
    caller.gate.set()  # 100 calls finish in the same turn of the event loop
    await until(lambda: all(s == "completed" for s in store.status.values()))
    runner.request_stop()
    summary = await task
    assert summary.count("completed") == 120
    assert sum(store.finish_calls) == 120 and max(store.finish_calls) <= 50
    assert store.finish_calls[:2] == [50, 50], store.finish_calls  # the 100 in two calls


async def test_a_lone_report_goes_at_once_in_its_own_call() -> None:
    run = new_run()
    store = FakeStore([run])
    summary = await sync_loop(store, FakeCaller(), config(once=True)).run()
    assert summary.count("completed") == 1
    assert store.finish_calls == [1]


async def test_one_refused_report_in_a_batch_leaves_the_others_applied() -> None:
    runs = [new_run() for _ in range(10)]
    store = FakeStore(runs)
    store.fail_reports_for.add(runs[3].run_id)
    caller = FakeCaller()
    caller.gate = asyncio.Event()
    runner = sync_loop(store, caller, config(concurrency=10, poll_interval=3600.0))
    task = asyncio.create_task(runner.run())
    await until(lambda: caller.in_flight == 10)
    caller.gate.set()
    await until(lambda: list(store.status.values()).count("completed") == 9)
    runner.request_stop()
    summary = await task
    assert store.finish_calls == [10]
    assert (summary.count("completed"), summary.unreported) == (9, 1)
    assert store.status[runs[3].run_id] == "running"  # the reaper's, as before


async def test_a_batch_refused_as_a_whole_is_sent_again_report_by_report() -> None:
    runs = [new_run() for _ in range(4)]
    store = FakeStore(runs)
    store.poison.add(runs[1].run_id)
    caller = FakeCaller()
    caller.gate = asyncio.Event()
    runner = sync_loop(store, caller, config(concurrency=4, poll_interval=3600.0))
    task = asyncio.create_task(runner.run())
    await until(lambda: caller.in_flight == 4)
    caller.gate.set()
    await until(lambda: list(store.status.values()).count("completed") == 3)
    runner.request_stop()
    summary = await task
    assert store.finish_calls == [4, 1, 1, 1, 1]
    assert (summary.count("completed"), summary.unreported) == (3, 1)


async def test_a_failed_report_carries_retry_after_only_when_the_answer_had_one() -> None:
    later, soon = new_run(), new_run()
    store = FakeStore([later, soon])

    def behave(run: ClaimedRun) -> CallOutcome:
        failed = CallOutcome.failed("http_503", "busy\x00 now", http_status=503)
        return replace(failed, retry_after="120") if run is later else failed

    await sync_loop(store, FakeCaller(behave), config(once=True)).run()
    assert store.reports[later.run_id]["retry_after"] == "120"
    assert "retry_after" not in store.reports[soon.run_id]
    assert store.reports[soon.run_id]["error_message"] == "busy now"  # jsonb holds no NUL
    assert set(store.reports[soon.run_id]) == {"run_id", "status", "error_code", "error_message"}
