"""Both loops through a REAL PgBouncer in transaction mode (issue 15).

PgBouncer hands each transaction to any of its few server connections, so a named
prepared statement made on one is missing on the next, and LISTEN registers on a server
connection the listener never sees again. Release 0.1 left 118 of 200 runs `running`
here; the runtime sends no server-side prepared statements and detects the dead LISTEN.
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
import pytest

from orchestrator.tooling import localdb, localpool
from tests.health_pairs import isolated_pairs
from tests.http_fixtures import RecordingServer
from tests.probe_servers import probe_server
from tests.sync_db import add_pair, add_pending_run, runs_of
from tests.worker_procs import ROOT, finish, orchestrator, start, worker_env


@pytest.fixture(scope="module")
def bouncer(cluster: localdb.LocalCluster) -> Iterator[localpool.PgBouncer]:
    with localpool.pgbouncer(cluster, pool_size=4) as b:
        yield b


def test_200_runs_through_pgbouncer_with_poll_only(
    admin_conn: psycopg.Connection[Any],
    bouncer: localpool.PgBouncer,
    http_server: RecordingServer,
    orgs: list[UUID],
) -> None:
    url = http_server.route("/sync", json={"records_processed": 1})
    for _ in range(200):
        org = add_pair(admin_conn, url)
        orgs.append(org)
        add_pending_run(admin_conn, org)

    dsn = bouncer.dsn(user="worker_login")
    proc = start(
        orchestrator(dsn, "worker", "--once", "--poll-only", "--concurrency", "20"),
        worker_env(ORCHESTRATOR_LOG_LEVEL="WARNING"),
    )
    code, _, err = finish(proc)
    runs = runs_of(admin_conn, orgs)
    assert Counter(r["status"] for r in runs) == {"completed": 200}, err[-3000:]
    assert code == 0, err[-3000:]
    calls = Counter(req.json()["run_id"] for req in http_server.requests_to("/sync"))
    assert len(calls) == 200 and set(calls.values()) == {1}


def test_listen_through_pgbouncer_falls_back_to_polling_with_one_warning(
    admin_conn: psycopg.Connection[Any],
    bouncer: localpool.PgBouncer,
    http_server: RecordingServer,
    orgs: list[UUID],
    tmp_path: Path,
) -> None:
    """Without --poll-only: the NOTIFY self-test finds LISTEN dead and the worker polls."""
    url = http_server.route("/sync", json={"records_processed": 1})
    dsn = bouncer.dsn(user="worker_login")
    log = tmp_path / "worker.log"
    warning = "LISTEN does not work through this connection"
    with log.open("w") as sink:
        proc = subprocess.Popen(
            orchestrator(dsn, "worker", "--poll-interval", "0.3", "--concurrency", "10"),
            cwd=ROOT,
            env=worker_env(),
            stderr=sink,
            stdout=subprocess.DEVNULL,
        )
        try:
            for _ in range(20):
                org = add_pair(admin_conn, url)
                orgs.append(org)
                add_pending_run(admin_conn, org)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                done = {r["status"] for r in runs_of(admin_conn, orgs)} == {"completed"}
                if done and warning in log.read_text():
                    break
                time.sleep(0.1)
        finally:
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=60)
    err = log.read_text()
    assert {r["status"] for r in runs_of(admin_conn, orgs)} == {"completed"}, err[-3000:]
    assert code == 0, err[-3000:]
    assert err.count(warning) == 1, err[-3000:]
    assert "Traceback" not in err


def test_health_once_through_pgbouncer_records_every_result(
    admin_conn: psycopg.Connection[Any], bouncer: localpool.PgBouncer
) -> None:
    with probe_server() as server, isolated_pairs(admin_conn) as pairs:
        url = server.route("/ok")
        orgs = [pairs.add("bufdir", {"url": url}) for _ in range(300)]
        proc = start(
            orchestrator(bouncer.dsn(user="worker_login"), "health", "--once"), worker_env()
        )
        code, out, err = finish(proc)
        assert code == 0, err[-3000:]
        assert "claimed 300; healthy 300, degraded 0, unreachable 0; unreported 0" in out
        assert {pairs.current_status(org, "bufdir") for org in orgs} == {"healthy"}
