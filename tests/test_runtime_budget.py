"""Connection budget (issue 24): a real worker and a real health runner under load hold no
more connections than their documented ceiling (`--max-db-connections`, default
`DEFAULT_MAX_DB_CONNECTIONS`), counted in `pg_stat_activity` by application name.

0.2 sized the pools by concurrency: a health runner held 21 connections and a sync
worker concurrency + 2 (+ LISTEN), so two of each took 56 of a small Supabase
instance's 60.
"""

from __future__ import annotations

import json
import signal
import threading
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import psycopg
import pytest

from orchestrator.runtime.db import DEFAULT_MAX_DB_CONNECTIONS
from orchestrator.tooling import localdb
from tests.health_pairs import HealthPairs, isolated_pairs
from tests.http_fixtures import RecordingServer
from tests.probe_servers import ProbeServer, probe_server
from tests.sync_db import add_pair, add_pending_run, runs_of
from tests.worker_procs import finish, orchestrator, start, worker_env

SYNC_APP = "orchestrator-sync-worker"
HEALTH_APP = "orchestrator-health"


class ConnectionSampler:
    """Samples pg_stat_activity on its own connection and keeps the largest number of
    backends seen per application-name prefix (the `-listen`/`-probe` suffixes count
    towards their process). Missing a peak can only make the bound easier to meet."""

    def __init__(self, dsn: str, prefixes: tuple[str, ...]) -> None:
        self.dsn = dsn
        self.prefixes = prefixes
        self.peak: Counter[str] = Counter()
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            while not self._stop.is_set():
                rows = conn.execute(
                    "SELECT application_name FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
                ).fetchall()
                now: Counter[str] = Counter()
                for (name,) in rows:
                    for prefix in self.prefixes:
                        if (name or "").startswith(prefix):
                            now[prefix] += 1
                for prefix in self.prefixes:
                    self.peak[prefix] = max(self.peak[prefix], now[prefix])
                self.samples += 1
                time.sleep(0.002)

    def __enter__(self) -> ConnectionSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


@pytest.fixture()
def server() -> Iterator[ProbeServer]:
    with probe_server() as s:
        yield s


@pytest.fixture()
def pairs(admin_conn: psycopg.Connection[Any]) -> Iterator[HealthPairs]:
    with isolated_pairs(admin_conn) as p:
        yield p


def wait_until(predicate: Any, timeout: float = 120.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.usefixtures("cron_paused")
def test_a_worker_and_a_health_runner_under_load_stay_within_their_ceiling(
    cluster: localdb.LocalCluster,
    admin_conn: psycopg.Connection[Any],
    worker_dsn: str,
    http_server: RecordingServer,
    server: ProbeServer,
    pairs: HealthPairs,
    orgs: list[UUID],
) -> None:
    url = http_server.route("/sync", delay=0.02, json={"records_processed": 1})
    for _ in range(300):
        org = add_pair(admin_conn, url)
        orgs.append(org)
        add_pending_run(admin_conn, org)
    for i in range(300):
        pairs.add("xledger", {"url": server.route(f"/probe/{i}", delay_s=0.02)})

    env = worker_env(ORCHESTRATOR_LOG_LEVEL="WARNING")
    with ConnectionSampler(cluster.dsn(user=localdb.SUPERUSER), (SYNC_APP, HEALTH_APP)) as seen:
        # the long-running worker (LISTEN included) and a health pass, both at concurrency 50
        sync = start(
            orchestrator(worker_dsn, "worker", "--concurrency", "50", "--poll-interval", "0.2"),
            env,
        )
        health = start(orchestrator(worker_dsn, "health", "--once", "--concurrency", "50"), env)
        try:
            code, out, err = finish(health, timeout=180)
            assert code == 0, err[-3000:]
            assert "claimed 300" in out, out
            assert wait_until(
                lambda: {r["status"] for r in runs_of(admin_conn, orgs)} == {"completed"}
            ), Counter(r["status"] for r in runs_of(admin_conn, orgs))
        finally:
            sync.send_signal(signal.SIGTERM)
            sync_code, _, sync_err = finish(sync, timeout=60)
    assert sync_code == 0, sync_err[-3000:]
    assert seen.samples > 10
    assert seen.peak[SYNC_APP] >= 1 and seen.peak[HEALTH_APP] >= 1, "the sampler saw them"
    peaks = json.dumps(dict(seen.peak))
    assert seen.peak[SYNC_APP] <= DEFAULT_MAX_DB_CONNECTIONS, peaks
    assert seen.peak[HEALTH_APP] <= DEFAULT_MAX_DB_CONNECTIONS, peaks


@pytest.mark.usefixtures("cron_paused")
def test_the_ceiling_is_an_option(
    cluster: localdb.LocalCluster,
    admin_conn: psycopg.Connection[Any],
    worker_dsn: str,
    http_server: RecordingServer,
    orgs: list[UUID],
) -> None:
    url = http_server.route("/sync", delay=0.02, json={"records_processed": 1})
    for _ in range(100):
        org = add_pair(admin_conn, url)
        orgs.append(org)
        add_pending_run(admin_conn, org)
    env = worker_env(ORCHESTRATOR_LOG_LEVEL="WARNING", ORCHESTRATOR_MAX_DB_CONNECTIONS="2")
    with ConnectionSampler(cluster.dsn(user=localdb.SUPERUSER), (SYNC_APP,)) as seen:
        code, _, err = finish(
            start(orchestrator(worker_dsn, "worker", "--once", "--concurrency", "50"), env),
            timeout=180,
        )
    assert code == 0, err[-3000:]
    assert {r["status"] for r in runs_of(admin_conn, orgs)} == {"completed"}
    assert 1 <= seen.peak[SYNC_APP] <= 2, dict(seen.peak)


def test_the_ceiling_is_validated(worker_dsn: str) -> None:
    for command in ("worker", "health", "serve"):
        code, _, err = finish(
            start(orchestrator(worker_dsn, command, "--max-db-connections", "1"), worker_env())
        )
        assert code == 2, err
        assert "--max-db-connections" in err, err
