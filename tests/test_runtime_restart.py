"""A real Postgres restart (`pg_ctl restart -m fast`) under load (issue 15).

On its own throwaway cluster: restarting the session cluster would cut the connections
other tests hold. Release 0.1 never retried a report, so runs whose call ended while the
server was down stayed `running` until the reaper failed them `worker_lost`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest

from orchestrator.health.service import db_config as health_db_config
from orchestrator.health.service import run_health_loop
from orchestrator.runtime.db import Database
from orchestrator.runtime.errors import DbError
from orchestrator.runtime.events import NoEvents
from orchestrator.runtime.loop import Lifecycle, LoopConfig
from orchestrator.runtime.shell import with_database
from orchestrator.runtime.store import WorkerStore
from orchestrator.sync.service import db_config as sync_db_config
from orchestrator.sync.service import run_sync_loop
from orchestrator.tooling import localdb
from orchestrator.tooling.sqitch import run_sqitch
from tests.conftest import deployed_cluster
from tests.http_fixtures import RecordingServer
from tests.signing_keys import sync_options
from tests.sync_db import add_pair, add_pending_run, runs_of
from tests.worker_procs import finish, orchestrator, start, worker_env

# Sqitch over much of the plan: started early (tests/conftest.py)
pytestmark = pytest.mark.deploys


@pytest.fixture(scope="module")
def own_cluster() -> Iterator[localdb.LocalCluster]:
    with deployed_cluster() as c:
        yield c


@pytest.fixture()
def own_admin(own_cluster: localdb.LocalCluster) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(own_cluster.dsn(user=localdb.SUPERUSER), autocommit=True) as conn:
        conn.execute("UPDATE cron.job SET active = false")  # no reaper behind our back
        conn.execute("UPDATE integration_ops.settings SET stale_run_timeout = '30 minutes'")
        conn.execute("DELETE FROM public.sync_run_log")
        yield conn


def restart_fast(cluster: localdb.LocalCluster, server: RecordingServer) -> None:
    localdb.restart_cluster(cluster)


def outage_across_the_reports(cluster: localdb.LocalCluster, server: RecordingServer) -> None:
    """Down from mid-call until every call has been answered: each report meets it."""
    localdb.stop_cluster(cluster.datadir)
    deadline = time.monotonic() + 60
    while len(server.requests_to("/sync")) < 100 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    localdb.start_cluster(cluster.datadir, cluster.port)


@pytest.mark.parametrize("fault", [restart_fast, outage_across_the_reports])
def test_restart_while_100_calls_are_in_flight_loses_nothing(
    own_cluster: localdb.LocalCluster,
    own_admin: psycopg.Connection[Any],
    http_server: RecordingServer,
    fault: Callable[[localdb.LocalCluster, RecordingServer], None],
) -> None:
    url = http_server.route("/sync", delay=1.0, json={"records_processed": 2})
    orgs: list[UUID] = []
    for _ in range(100):
        org = add_pair(own_admin, url)
        orgs.append(org)
        add_pending_run(own_admin, org)

    proc = start(
        orchestrator(
            own_cluster.dsn(user="worker_login"),
            "worker",
            "--once",
            "--concurrency",
            "100",
            "--poll-interval",
            "0.2",
        ),
        worker_env(),
    )
    try:
        assert http_server.wait_for_in_flight(100, timeout=60)
        restarter = threading.Thread(target=fault, args=(own_cluster, http_server))
        restarter.start()
        restarter.join(timeout=120)
    finally:
        code, _, err = finish(proc, timeout=180)

    with psycopg.connect(own_cluster.dsn(user=localdb.SUPERUSER), autocommit=True) as admin:
        runs = runs_of(admin, orgs)
        admin.execute("UPDATE integration_ops.settings SET stale_run_timeout = '1 second'")
        admin.execute("SELECT pg_sleep(1.1)")
        admin.execute("SELECT integration_ops.reap_stale_sync_runs()")
        after_reaper = runs_of(admin, orgs)
    assert Counter(r["status"] for r in runs) == {"completed": 100}, err[-3000:]
    assert all(r["records_processed"] == 2 for r in runs)
    assert not [r for r in after_reaper if r["error_code"] == "worker_lost"]
    assert code == 0, err[-3000:]
    assert "Traceback" not in err, err[-3000:]
    if fault is outage_across_the_reports:  # one line per kind of error, then a summary
        assert err.count("database unavailable") >= 1, err[-3000:]
        assert "database reachable again after" in err, err[-3000:]


# --- Recovery after a restart (issue 24): within a claim or two, one log line each way ----


class Timeline(NoEvents):
    """The runner's events in order, with the test's own marker between them."""

    def __init__(self) -> None:
        self.events: list[tuple[str, object]] = []

    def on_item_finished(
        self, service: str, item: object, outcome: object | None, latency_s: float, reported: bool
    ) -> None:
        if reported:
            self.events.append(("recorded", service))

    def mark(self, name: str) -> None:
        self.events.append((name, None))

    def count(self, name: str) -> int:
        return sum(1 for event, _ in self.events if event == name)

    def after(self, marker: str) -> list[str]:
        names = [event for event, _ in self.events]
        return names[names.index(marker) + 1 :]


def count_claims(monkeypatch: pytest.MonkeyPatch, timeline: Timeline, method: str) -> None:
    """Every claim the runner sends, in the timeline (the real method runs)."""
    original = getattr(WorkerStore, method)

    async def claim(self: WorkerStore, *args: Any) -> Any:
        try:
            result = await original(self, *args)
        except DbError:
            timeline.mark("claim_failed")
            raise
        timeline.mark("claimed")
        return result

    monkeypatch.setattr(WorkerStore, method, claim)


async def wait_for(predicate: Callable[[], bool], seconds: float = 120.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if predicate():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition not reached")


def make_checks_due(cluster: localdb.LocalCluster, orgs: list[UUID]) -> None:
    with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER), autocommit=True) as admin:
        admin.execute(
            "UPDATE public.integration_health_status SET next_check_at = now()"
            " WHERE org_id = ANY(%s)",
            (orgs,),
        )


def add_runs(cluster: localdb.LocalCluster, orgs: list[UUID]) -> None:
    with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER)) as admin, admin.transaction():
        for org in orgs:  # one commit
            add_pending_run(admin, org)


@pytest.mark.parametrize("service", ["health", "sync"])
async def test_after_a_restart_the_first_claim_that_reaches_postgres_records(
    own_cluster: localdb.LocalCluster,
    own_admin: psycopg.Connection[Any],
    http_server: RecordingServer,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    service: str,
) -> None:
    """A runner that has used its pool (50 probes or calls at once) meets a restart
    (`pg_ctl restart -m fast`). Once Postgres is back and work is due, the runner's
    claims must reach Postgres and its results be recorded: no claim may be spent on a
    pooled connection the restart broke (0.2 handed each one out once, with backoff in
    between: 35-98 s of silence; this test counted 11 and 8 failed claims on 0.2).
    Ordering, not time: the claims that failed between "Postgres is back and work is
    due" and the first record after it (at most the one that finds the connection gone,
    when nothing found it during the restart). The outage is logged as one line when it
    starts and one when it ends."""
    caplog.set_level(logging.INFO)
    timeline = Timeline()
    url = http_server.route("/ok", delay=0.05, json={"records_processed": 1})
    orgs: list[UUID] = []
    if service == "health":
        own_admin.execute("DELETE FROM public.integration_health_history")
        own_admin.execute("DELETE FROM public.integration_health_status")
        own_admin.execute("DELETE FROM public.organization_integrations")
        for _ in range(100):
            org = uuid4()
            orgs.append(org)
            own_admin.execute(
                "INSERT INTO public.organization_integrations (org_id, integration_type,"
                " health_mode, health_config, health_check_interval)"
                " VALUES (%s, 'xledger', 'active', %s::jsonb, '1 hour')",
                (org, json.dumps({"url": url})),
            )
        count_claims(monkeypatch, timeline, "claim_health_checks")
    else:
        for _ in range(100):
            org = add_pair(own_admin, url)
            orgs.append(org)
            add_pending_run(own_admin, org)
        count_claims(monkeypatch, timeline, "claim_sync_runs")

    life = Lifecycle()
    dsn = own_cluster.dsn(user="worker_login")
    loop_config = LoopConfig(worker_id="restart-test", concurrency=50, poll_interval=0.1)
    if service == "health":
        db_config = replace(health_db_config(dsn), outage_settle_s=0.5)

        async def main(life: Lifecycle, db: Database) -> Any:
            return await run_health_loop(life, db, loop_config, 5.0, events=timeline)
    else:
        db_config = replace(sync_db_config(dsn, listen=False), outage_settle_s=0.5)

        async def main(life: Lifecycle, db: Database) -> Any:
            options = sync_options(10.0)
            return await run_sync_loop(life, db, loop_config, options, events=timeline)

    task = asyncio.create_task(with_database(db_config, main, once=False, life=life))
    try:
        await wait_for(lambda: timeline.count("recorded") >= 100)  # the pool has been used
        caplog.clear()
        await asyncio.to_thread(localdb.restart_cluster, own_cluster)
        if service == "health":
            await asyncio.to_thread(make_checks_due, own_cluster, orgs)
        else:
            await asyncio.to_thread(add_runs, own_cluster, orgs[:10])
        timeline.mark("postgres_back_and_work_due")
        await wait_for(lambda: "recorded" in timeline.after("postgres_back_and_work_due"))
        await wait_for(lambda: any("reachable again" in r.getMessage() for r in caplog.records))
    finally:
        life.request_stop()
        await asyncio.wait_for(task, 60)

    after = timeline.after("postgres_back_and_work_due")
    before_first_record = after[: after.index("recorded")]
    assert before_first_record.count("claim_failed") <= 1, before_first_record
    assert "claimed" in before_first_record
    outage_lines = [
        r.getMessage()
        for r in caplog.records
        if r.name == "orchestrator.runtime.db" and r.levelno >= logging.WARNING
    ]
    assert [m.split(":")[0].split(" after")[0] for m in outage_lines] == [
        "database unavailable",
        "database reachable again",
    ], outage_lines


def test_after_a_reconnect_an_older_database_stops_the_worker_before_it_claims(
    http_server: RecordingServer,
) -> None:
    """The version handshake runs again after every reconnect (issue 21): a database
    reverted to @v0.2.0 under a running worker is found when the worker reconnects, and
    the worker exits 2 with the one line before it claims anything more. A cluster of this
    test's own: it is left at 0.2."""
    url = http_server.route("/sync", json={"records_processed": 1})
    with deployed_cluster() as cluster:
        admin_dsn = cluster.dsn(user=localdb.SUPERUSER)
        with psycopg.connect(admin_dsn, autocommit=True) as admin:
            admin.execute("UPDATE cron.job SET active = false")  # no reaper behind our back
            first = add_pair(admin, url)
            add_pending_run(admin, first)
        proc = start(
            orchestrator(cluster.dsn(user="worker_login"), "worker", "--poll-interval", "0.2"),
            worker_env(ORCHESTRATOR_LOG_LEVEL="WARNING"),
        )
        try:
            deadline = time.monotonic() + 60
            while not http_server.requests_to("/sync") and time.monotonic() < deadline:
                time.sleep(0.05)
            assert len(http_server.requests_to("/sync")) == 1, "the worker runs on HEAD"
            result = run_sqitch(
                "revert", cluster.sqitch_target(), ["-y", "--to", "@v0.2.0"], capture=True
            )
            assert result.returncode == 0, result.stdout + result.stderr
            localdb.restart_cluster(cluster)
            with psycopg.connect(admin_dsn, autocommit=True) as admin:
                second = add_pair(admin, url)
                add_pending_run(admin, second)
            code, _, err = finish(proc, timeout=120)
            with psycopg.connect(admin_dsn, autocommit=True) as admin:
                [run] = runs_of(admin, [second])
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate(timeout=30)
    assert code == 2, err[-3000:]
    assert err.strip().splitlines()[-1] == (
        "Error: database at 0.2.0, this worker needs 0.3.0: run orchestrator db deploy"
    ), err[-3000:]
    assert "Traceback" not in err, err[-3000:]
    assert (run["status"], run["worker_id"]) == ("pending", None), "nothing claimed after"
    assert len(http_server.requests_to("/sync")) == 1
