"""The run loop with a fake RunStore and a fake IntegrationCaller (pure units, no I/O)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from datetime import timedelta
from uuid import UUID, uuid4

import pytest

from orchestrator.sync.models import CallOutcome, ClaimedRun, WorkerSettings
from orchestrator.sync.runner import RunnerConfig, SyncRunner


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
    """An in-memory queue with the claim/complete/fail semantics of DESIGN §8."""

    def __init__(self, runs: Sequence[ClaimedRun] = (), stale: float = 60.0) -> None:
        self.pending: list[ClaimedRun] = list(runs)
        self.status: dict[UUID, str] = {r.run_id: "pending" for r in runs}
        self.results: dict[UUID, tuple[object, ...]] = {}
        self.claim_sizes: list[int] = []
        self.heartbeats: list[tuple[str, list[UUID]]] = []
        self.fail_reports_for: set[UUID] = set()
        self.stale = stale

    def add(self, run: ClaimedRun) -> None:
        self.pending.append(run)
        self.status[run.run_id] = "pending"

    async def get_worker_settings(self) -> WorkerSettings:
        return WorkerSettings(timedelta(seconds=self.stale), timedelta(seconds=10))

    async def claim(self, worker_id: str, max_runs: int) -> list[ClaimedRun]:
        self.claim_sizes.append(max_runs)
        got, self.pending = self.pending[:max_runs], self.pending[max_runs:]
        for r in got:
            self.status[r.run_id] = "running"
        return got

    async def heartbeat(self, worker_id: str, run_ids: Sequence[UUID]) -> int:
        self.heartbeats.append((worker_id, list(run_ids)))
        return len(run_ids)

    def _finish(self, run_id: UUID, status: str, *result: object) -> None:
        if run_id in self.fail_reports_for:
            raise RuntimeError("database went away")
        assert self.status[run_id] == "running", "invalid_transition"
        self.status[run_id] = status
        self.results[run_id] = result

    async def complete(self, run_id: UUID, records_processed: int, records_failed: int) -> None:
        self._finish(run_id, "completed", records_processed, records_failed)

    async def fail(self, run_id: UUID, error_code: str, error_message: str) -> None:
        self._finish(run_id, "failed", error_code, error_message)


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


def config(**over: object) -> RunnerConfig:
    values: dict[str, object] = {"worker_id": "w1", "concurrency": 5, "poll_interval": 0.05}
    values.update(over)
    return RunnerConfig(**values)  # type: ignore[arg-type]


async def test_once_runs_everything_within_the_cap() -> None:
    store = FakeStore([new_run() for _ in range(23)])
    caller = FakeCaller()
    summary = await SyncRunner(store, caller, config(once=True)).run()
    assert summary.completed == 23
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
    summary = await SyncRunner(store, FakeCaller(behave), config(once=True)).run()
    assert store.status[bad] == "failed"
    assert store.results[bad][0] == "worker_error"
    assert store.status[runs[4].run_id] == "running"  # left to the reaper
    assert (summary.completed, summary.failed, summary.unreported) == (4, 1, 1)


async def test_failed_outcome_is_reported_with_its_code() -> None:
    run = new_run()
    store = FakeStore([run])
    caller = FakeCaller(lambda r: CallOutcome.failed("http_503", "busy", http_status=503))
    await SyncRunner(store, caller, config(once=True)).run()
    assert store.results[run.run_id] == ("http_503", "busy")


async def test_stop_lets_in_flight_calls_finish_within_the_grace_period() -> None:
    store = FakeStore([new_run() for _ in range(3)])
    caller = FakeCaller()
    caller.gate = asyncio.Event()
    runner = SyncRunner(store, caller, config(grace_period=30.0))
    task = asyncio.create_task(runner.run())
    await caller.started.wait()
    await until(lambda: caller.in_flight >= 3)
    runner.request_stop()
    store.add(new_run())  # arrives after the stop: must not be claimed
    await asyncio.sleep(0.01)
    caller.gate.set()
    summary = await task
    assert summary.completed == 3
    assert list(store.status.values()).count("pending") == 1
    assert "running" not in store.status.values()


async def test_grace_period_over_fails_the_rest_with_worker_shutdown() -> None:
    runs = [new_run() for _ in range(7)]
    store = FakeStore(runs)
    caller = FakeCaller()
    caller.gate = asyncio.Event()  # never opened
    runner = SyncRunner(store, caller, config(grace_period=0.05))
    task = asyncio.create_task(runner.run())
    await until(lambda: caller.in_flight >= 5)
    runner.request_stop()
    summary = await task
    assert summary.failed == 5
    assert sorted(store.status.values()) == ["failed"] * 5 + ["pending"] * 2
    codes = {res[0] for res in store.results.values()}
    assert codes == {"worker_shutdown"}


async def test_second_stop_ends_the_grace_period() -> None:
    store = FakeStore([new_run()])
    caller = FakeCaller()
    caller.gate = asyncio.Event()
    runner = SyncRunner(store, caller, config(grace_period=3600.0))
    task = asyncio.create_task(runner.run())
    await caller.started.wait()
    runner.request_stop()
    await asyncio.sleep(0.01)
    assert not task.done()
    runner.request_stop()
    summary = await task
    assert summary.failed == 1
    assert "running" not in store.status.values()


async def test_heartbeats_name_the_in_flight_runs() -> None:
    run = new_run()
    store = FakeStore([run], stale=0.3)  # heartbeat every 0.1 s
    caller = FakeCaller()
    caller.gate = asyncio.Event()
    runner = SyncRunner(store, caller, config(once=True))
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
    runner = SyncRunner(store, caller, config(poll_interval=3600.0), listener)
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
    runner = SyncRunner(store, caller, config(poll_interval=0.02))
    task = asyncio.create_task(runner.run())
    await until(lambda: bool(store.claim_sizes))
    run = new_run()
    store.add(run)
    await until(lambda: store.status[run.run_id] == "completed")
    runner.request_stop()
    await task


def test_config_is_validated() -> None:
    with pytest.raises(ValueError):
        RunnerConfig(worker_id="w", concurrency=0)
    with pytest.raises(ValueError):
        RunnerConfig(worker_id="w", poll_interval=0)


class FlakyStore(FakeStore):
    def __init__(self, runs: Sequence[ClaimedRun], failures: int) -> None:
        super().__init__(runs)
        self.failures = failures

    async def claim(self, worker_id: str, max_runs: int) -> list[ClaimedRun]:
        if self.failures:
            self.failures -= 1
            raise OSError("connection refused")
        return await super().claim(worker_id, max_runs)


async def test_a_failing_claim_is_retried_by_the_long_running_worker() -> None:
    run = new_run()
    store = FlakyStore([run], failures=2)
    runner = SyncRunner(store, FakeCaller(), config(poll_interval=0.01))
    task = asyncio.create_task(runner.run())
    await until(lambda: store.status[run.run_id] == "completed")
    runner.request_stop()
    assert (await task).completed == 1


async def test_a_failing_claim_ends_once_mode_with_the_error() -> None:
    store = FlakyStore([new_run()], failures=1)
    with pytest.raises(OSError):
        await SyncRunner(store, FakeCaller(), config(once=True)).run()


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
    runner = SyncRunner(store, caller, config(poll_interval=3600.0), EagerListener())
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
