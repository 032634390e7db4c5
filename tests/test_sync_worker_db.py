"""The sync worker against a real Postgres (the `sync` SQL) and real HTTP servers.

In-process runs use `run_worker` (real pool, LISTEN connection, aiohttp); the CLI tests
start `python -m orchestrator` subprocesses. No wall-clock assertions: overlap and
ordering come from the server's own timestamps.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
from collections.abc import Callable, Iterator
from typing import Any
from uuid import UUID

import psycopg
import pytest

from orchestrator.runtime.loop import Lifecycle, LoopConfig, RunSummary
from orchestrator.sync.service import dispatch, dispatch_once, run_worker
from orchestrator.tooling import localdb
from tests.http_fixtures import RecordedRequest, RecordingServer, Reply, overlapping
from tests.signing_keys import sync_options
from tests.sync_db import add_pair, add_pending_run, runs_of

# cron_paused before the shared `orgs` (conftest.py): a pg_cron tick between a test's
# due pair and its own dispatch would take the dispatch (only the test's own dispatches)
pytestmark = pytest.mark.usefixtures("cron_paused")


@pytest.fixture()
def stale_timeout(admin_conn: psycopg.Connection[Any]) -> Iterator[Callable[[str], None]]:
    row = admin_conn.execute("SELECT stale_run_timeout FROM integration_ops.settings").fetchone()
    assert row is not None

    def set_timeout(value: str) -> None:
        admin_conn.execute("UPDATE integration_ops.settings SET stale_run_timeout = %s", (value,))

    yield set_timeout
    admin_conn.execute("UPDATE integration_ops.settings SET stale_run_timeout = %s", (row[0],))


async def run_once(dsn: str, concurrency: int = 5, call_timeout: float = 10.0) -> RunSummary:
    config = LoopConfig(
        worker_id="test-worker", concurrency=concurrency, poll_interval=0.2, once=True
    )
    return await run_worker(dsn, config, sync_options(call_timeout))


def statuses(admin_conn: psycopg.Connection[Any], org_ids: list[UUID]) -> list[str]:
    return [r["status"] for r in runs_of(admin_conn, org_ids)]


async def test_single_due_integration_pending_running_completed(
    cluster: localdb.LocalCluster,
    admin_conn: psycopg.Connection[Any],
    worker_dsn: str,
    http_server: RecordingServer,
    orgs: list[UUID],
) -> None:
    seen_during_call: list[tuple[str, str | None]] = []

    def respond(req: RecordedRequest) -> Reply:
        with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER)) as conn:
            row = conn.execute(
                "SELECT status, worker_id FROM public.sync_run_log WHERE id = %s",
                (req.json()["run_id"],),
            ).fetchone()
        assert row is not None
        seen_during_call.append((row[0], row[1]))
        return Reply(200, b'{"records_processed": 42, "records_failed": 3}')

    url = http_server.route("/sync", responder=respond)
    orgs.append(add_pair(admin_conn, url, due=True))

    result = await dispatch(worker_dsn)
    assert result["triggered"] >= 1
    (pending,) = runs_of(admin_conn, orgs)
    assert pending["status"] == "pending"
    assert str(pending["id"]) in {str(r) for r in result["run_ids"]}

    summary = await run_once(worker_dsn)
    assert summary.count("completed") >= 1
    assert seen_during_call == [("running", "test-worker")]
    (done,) = runs_of(admin_conn, orgs)
    assert done["status"] == "completed"
    assert (done["records_processed"], done["records_failed"]) == (42, 3)
    assert done["ended_at"] is not None and done["error_code"] is None


async def test_endpoint_error_fails_with_code_and_sanitised_message(
    admin_conn: psycopg.Connection[Any],
    worker_dsn: str,
    http_server: RecordingServer,
    orgs: list[UUID],
) -> None:
    url = http_server.route(
        "/sync",
        status=500,
        body="upstream exploded: password=hunter2 while calling https://bob:pw123@erp.example/api",
    )
    org = add_pair(admin_conn, url)
    orgs.append(org)
    add_pending_run(admin_conn, org)

    await run_once(worker_dsn)

    run, retry = runs_of(admin_conn, orgs)
    assert run["status"] == "failed"
    assert run["error_code"] == "http_500"
    assert (retry["status"], retry["retry_of"]) == ("pending", run["id"])  # a 500 is transient
    assert "upstream exploded" in run["error_message"]
    assert "[redacted]" in run["error_message"]
    assert "hunter2" not in run["error_message"]
    assert "pw123" not in run["error_message"]


async def test_five_integrations_run_concurrently_and_all_complete(
    admin_conn: psycopg.Connection[Any],
    worker_dsn: str,
    http_server: RecordingServer,
    orgs: list[UUID],
) -> None:
    url = http_server.route("/sync", delay=0.5, json={"records_processed": 1})
    for kind in ("xledger", "dynamics", "bufdir", "xledger", "dynamics"):
        org = add_pair(admin_conn, url, integration_type=kind)
        orgs.append(org)
        add_pending_run(admin_conn, org, kind)

    summary = await run_once(worker_dsn, concurrency=5)

    assert summary.count("completed") == 5
    assert statuses(admin_conn, orgs) == ["completed"] * 5
    assert overlapping(http_server.requests_to("/sync")) == 5  # all five at one instant


async def test_concurrency_cap_is_never_exceeded(
    admin_conn: psycopg.Connection[Any],
    worker_dsn: str,
    http_server: RecordingServer,
    orgs: list[UUID],
) -> None:
    url = http_server.route("/sync", delay=0.3, json={})
    for _ in range(12):
        org = add_pair(admin_conn, url)
        orgs.append(org)
        add_pending_run(admin_conn, org)

    summary = await run_once(worker_dsn, concurrency=5)

    assert summary.count("completed") == 12
    assert http_server.max_in_flight == 5
    assert overlapping(http_server.requests_to("/sync")) <= 5


async def test_a_notify_wakes_the_listening_worker(
    admin_conn: psycopg.Connection[Any],
    worker_dsn: str,
    http_server: RecordingServer,
    orgs: list[UUID],
) -> None:
    """Polling once an hour: only the LISTEN connection can bring the run in."""
    url = http_server.route("/sync", json={"records_processed": 5})
    org = add_pair(admin_conn, url, due=True)
    orgs.append(org)
    config = LoopConfig(worker_id="listener", concurrency=2, poll_interval=3600.0)
    life = Lifecycle()
    task = asyncio.create_task(
        run_worker(worker_dsn, config, sync_options(45.0, poll_only=False), life)
    )
    try:
        for _ in range(200):  # let the worker start, LISTEN and find the queue empty
            await asyncio.sleep(0.05)
            if admin_conn.execute(  # the self-test's UNLISTEN comes after LISTEN took
                "SELECT 1 FROM pg_stat_activity WHERE query LIKE 'UNLISTEN%'"
            ).fetchone():
                break
        await asyncio.to_thread(dispatch_once, worker_dsn)  # inserts the run and NOTIFYs
        for _ in range(400):
            if statuses(admin_conn, orgs) == ["completed"]:
                break
            await asyncio.sleep(0.025)
        assert statuses(admin_conn, orgs) == ["completed"]
    finally:
        life.request_stop()
        await task


async def test_heartbeats_keep_a_long_call_from_being_reaped(
    admin_conn: psycopg.Connection[Any],
    worker_dsn: str,
    http_server: RecordingServer,
    orgs: list[UUID],
    stale_timeout: Callable[[str], None],
) -> None:
    stale_timeout("1 second")  # heartbeats every ~0.33 s
    url = http_server.route("/slow", delay=2.5, json={})
    org = add_pair(admin_conn, url)
    orgs.append(org)
    add_pending_run(admin_conn, org)

    task = asyncio.create_task(run_once(worker_dsn))
    assert await asyncio.to_thread(http_server.wait_for_in_flight, 1)
    # until a heartbeat has come later than the stale timeout after the claim: from then on
    # the claim alone would be reaped, only the heartbeats keep the run (an event, not a wait)
    for _ in range(200):  # up to 10 s
        row = admin_conn.execute(
            "SELECT heartbeat_at - started_at > interval '1 second' FROM public.sync_run_log"
            " WHERE org_id = %s",
            (org,),
        ).fetchone()
        if row is not None and row[0]:
            break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError("no heartbeat past the stale timeout")
    with psycopg.connect(worker_dsn, autocommit=True) as conn:
        conn.execute("SELECT integration_ops.reap_stale_sync_runs()")
    assert statuses(admin_conn, orgs) == ["running"]
    await task
    assert statuses(admin_conn, orgs) == ["completed"]


async def test_graceful_shutdown_in_process_leaves_nothing_running(
    admin_conn: psycopg.Connection[Any],
    worker_dsn: str,
    http_server: RecordingServer,
    orgs: list[UUID],
) -> None:
    url = http_server.route("/stuck", delay=60)
    for _ in range(3):
        org = add_pair(admin_conn, url)
        orgs.append(org)
        add_pending_run(admin_conn, org)
    config = LoopConfig(worker_id="w", concurrency=5, poll_interval=0.2, grace_period=0.2)
    options = sync_options(120.0)
    task = asyncio.create_task(run_worker(worker_dsn, config, options))
    assert await asyncio.to_thread(http_server.wait_for_in_flight, 3)
    os.kill(os.getpid(), signal.SIGTERM)
    summary = await task
    assert summary.count("failed") == 3
    runs = runs_of(admin_conn, orgs)
    assert {r["status"] for r in runs} == {"failed"}
    assert {r["error_code"] for r in runs} == {"worker_shutdown"}


def test_dispatch_returns_the_contract_json(worker_dsn: str, orgs: list[UUID]) -> None:
    result = dispatch_once(worker_dsn)
    assert set(result) >= {"triggered", "skipped", "failed", "run_ids"}
    json.dumps(result)
