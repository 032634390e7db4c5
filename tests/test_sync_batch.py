"""Batched reports in the shipped worker (issue 24), against the real cluster and a real
HTTP server on 127.0.0.1: `finish_sync_runs(worker_id, reports)` carries up to 50
reports per call, each applied or refused on its own; a repeated batch is harmless; a
worker killed between claim and report loses nothing."""

from __future__ import annotations

import asyncio
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import Any
from uuid import UUID

import psycopg
import pytest

from orchestrator.runtime.db import Database, DbConfig
from orchestrator.runtime.loop import LoopConfig
from orchestrator.runtime.models import FinishedReport
from orchestrator.runtime.store import WorkerStore
from orchestrator.sync.service import run_worker
from tests.http_fixtures import RecordedRequest, RecordingServer, Reply
from tests.signing_keys import sync_options
from tests.sync_db import add_pair, add_pending_run, runs_of
from tests.worker_procs import finish, orchestrator, start, worker_env

Conn = psycopg.Connection[Any]


@pytest.fixture()
def stale_timeout(admin_conn: Conn) -> Iterator[Callable[[str], None]]:
    row = admin_conn.execute("SELECT stale_run_timeout FROM integration_ops.settings").fetchone()
    assert row is not None

    def set_timeout(value: str) -> None:
        admin_conn.execute("UPDATE integration_ops.settings SET stale_run_timeout = %s", (value,))

    yield set_timeout
    set_timeout(row[0])


def gated_route(server: RecordingServer, path: str) -> tuple[str, threading.Event]:
    """A route whose answers wait until the gate opens (then all answer at once)."""
    gate = threading.Event()

    def respond(req: RecordedRequest) -> Reply:
        gate.wait(60)
        return Reply(200, b'{"records_processed": 7, "records_failed": 1}')

    return server.route(path, responder=respond), gate


def record_batches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of every finish_sync_runs call the worker sends (the real method runs)."""
    sizes: list[int] = []
    original = WorkerStore.finish_sync_runs

    async def finish_sync_runs(
        self: WorkerStore, worker_id: str, reports: Sequence[Any]
    ) -> list[FinishedReport]:
        sizes.append(len(reports))
        return await original(self, worker_id, reports)

    monkeypatch.setattr(WorkerStore, "finish_sync_runs", finish_sync_runs)
    return sizes


async def test_a_batch_with_one_refused_report_finishes_all_the_others(
    admin_conn: Conn,
    worker_dsn: str,
    http_server: RecordingServer,
    orgs: list[UUID],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    url, gate = gated_route(http_server, "/held")
    runs = []
    for _ in range(10):
        org = add_pair(admin_conn, url)
        orgs.append(org)
        runs.append(add_pending_run(admin_conn, org))
    sizes = record_batches(monkeypatch)
    config = LoopConfig(worker_id="batch-worker", concurrency=10, poll_interval=0.2, once=True)
    task = asyncio.create_task(run_worker(worker_dsn, config, sync_options(30.0)))
    assert await asyncio.to_thread(http_server.wait_for_in_flight, 10, 60)
    # another worker holds one of the runs now: its report must be refused on its own
    admin_conn.execute(
        "UPDATE public.sync_run_log SET worker_id = 'someone-else' WHERE id = %s", (runs[3],)
    )
    gate.set()
    summary = await asyncio.wait_for(task, 60)

    by_id = {r["id"]: r for r in runs_of(admin_conn, orgs)}
    assert (summary.count("completed"), summary.unreported) == (9, 1)
    assert by_id[runs[3]]["status"] == "running"  # left to its holder (or the reaper)
    others = [by_id[r] for r in runs if r != runs[3]]
    assert {(r["status"], r["records_processed"], r["records_failed"]) for r in others} == {
        ("completed", 7, 1)
    }
    assert sum(sizes) == 10 and max(sizes) > 1, sizes  # reported in batches
    refused = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert len(refused) == 1 and "invalid_transition" in refused[0], refused


async def test_a_repeated_batch_is_harmless(
    admin_conn: Conn, worker_dsn: str, orgs: list[UUID]
) -> None:
    runs = []
    for _ in range(3):
        org = add_pair(admin_conn, "http://127.0.0.1:9/never")
        orgs.append(org)
        runs.append(add_pending_run(admin_conn, org))
    db = Database(DbConfig(worker_dsn, "batch-repeat"))
    await db.open(wait_s=5)
    async with db:
        store = WorkerStore(db)
        claimed = await store.claim_sync_runs("repeat-worker", 3)
        assert {c.run_id for c in claimed} == set(runs)
        reports = [
            {"run_id": str(runs[0]), "status": "completed", "records_processed": 5,
             "records_failed": 0},
            {"run_id": str(runs[1]), "status": "failed", "error_code": "http_503",
             "error_message": "busy", "retry_after": "120"},
            {"run_id": str(runs[2]), "status": "failed", "error_code": "timeout",
             "error_message": "no answer"},
        ]  # fmt: skip
        first = await store.finish_sync_runs("repeat-worker", reports)
        rows_after_first = runs_of(admin_conn, orgs)
        again = await store.finish_sync_runs("repeat-worker", reports)  # an answer was lost
        rows_after_again = runs_of(admin_conn, orgs)
        other = await store.finish_sync_runs(
            "repeat-worker",
            [{"run_id": str(runs[0]), "status": "failed", "error_code": "timeout",
              "error_message": "x"}],
        )  # fmt: skip
    assert [(a.status, a.refused_with) for a in first] == [
        ("completed", None),
        ("failed", None),
        ("failed", None),
    ]
    assert again == first, "a repeat is answered like the first"
    assert rows_after_again == rows_after_first, "and changes nothing"
    assert [(a.status, a.refused_with) for a in other] == [("completed", "invalid_transition")]


def test_a_worker_killed_between_claim_and_report_loses_nothing(
    admin_conn: Conn,
    worker_dsn: str,
    http_server: RecordingServer,
    orgs: list[UUID],
    stale_timeout: Callable[[str], None],
) -> None:
    """SIGKILL while some calls have been answered and others are still in flight: every
    run still ends, through the report the worker got out or through the reaper. None
    is left `running`, none vanishes."""
    fast = http_server.route("/fast", json={"records_processed": 1})
    slow, gate = gated_route(http_server, "/slow")
    runs: dict[UUID, str] = {}
    for i in range(40):
        org = add_pair(admin_conn, fast if i % 2 else slow)
        orgs.append(org)
        runs[add_pending_run(admin_conn, org)] = "fast" if i % 2 else "slow"

    proc = start(
        orchestrator(worker_dsn, "worker", "--concurrency", "40", "--poll-interval", "0.2"),
        worker_env(ORCHESTRATOR_LOG_LEVEL="WARNING"),
    )
    try:
        assert http_server.wait_for_in_flight(20, timeout=60)  # the slow half is held
        deadline = time.monotonic() + 60
        while len(http_server.requests_to("/fast")) < 20 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        proc.send_signal(signal.SIGKILL)
        finish(proc, timeout=30)
        gate.set()

    stale_timeout("1 second")
    with psycopg.connect(worker_dsn, autocommit=True) as conn:
        for _ in range(200):  # heartbeats age past one second
            conn.execute("SELECT integration_ops.reap_stale_sync_runs()")
            if all(r["status"] != "running" for r in runs_of(admin_conn, orgs)):
                break
            time.sleep(0.05)
    rows = {r["id"]: r for r in runs_of(admin_conn, orgs)}
    assert set(runs) <= set(rows), "no run vanished"
    ends = Counter((runs[i], rows[i]["status"], rows[i]["error_code"]) for i in runs)
    assert ends[("slow", "failed", "worker_lost")] == 20, ends
    fast_ends = {k: v for k, v in ends.items() if k[0] == "fast"}
    assert sum(fast_ends.values()) == 20
    assert set(fast_ends) <= {("fast", "completed", None), ("fast", "failed", "worker_lost")}
