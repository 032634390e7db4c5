"""A real Postgres restart (`pg_ctl restart -m fast`) under load (issue 15).

On its own throwaway cluster: restarting the session cluster would cut the connections
other tests hold. Release 0.1 never retried a report, so runs whose call ended while the
server was down stayed `running` until the reaper failed them `worker_lost`.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any
from uuid import UUID

import psycopg
import pytest

from orchestrator import localdb
from tests.conftest import deploy_plan, install_test_helpers
from tests.http_fixtures import RecordingServer
from tests.sync_db import add_pair, add_pending_run, runs_of
from tests.worker_procs import finish, orchestrator, start, worker_env


@pytest.fixture(scope="module")
def own_cluster() -> Iterator[localdb.LocalCluster]:
    with localdb.temporary_cluster() as c:
        deploy_plan(c)
        install_test_helpers(c)
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
