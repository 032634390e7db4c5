"""Version handshake (issue 21, DESIGN §13): a worker that needs a newer database than
the deployed one exits 2 before it claims anything, with one line naming the fix.

Observed on 0.2: a newer worker on an older database claimed a run, called the endpoint
(the export happened), then exited 2 at its report and left the run `running` until the
reaper failed it 30 minutes later, while /readyz stayed green.

The module's own cluster is at @v0.2.0: a copy of the run's deployed 0.2
(tests/cluster_templates.py).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from uuid import UUID

import psycopg
import pytest

from orchestrator.runtime.db import Database, DbConfig
from orchestrator.runtime.errors import PermanentDbError
from orchestrator.runtime.handshake import REQUIRED_PACKAGE_VERSION
from orchestrator.tooling import localdb
from tests.conftest import own_cluster_fixture
from tests.http_fixtures import RecordingServer
from tests.sync_db import add_pair, add_pending_run, clear_active_runs, forget, runs_of
from tests.worker_procs import finish, orchestrator, start, worker_env

LINE = "database at 0.2.0, this worker needs 0.3.0: run orchestrator db deploy"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# a cluster of this module's own at @v0.2.0 (a copy of the run's deployed 0.2)
cluster = own_cluster_fixture("@v0.2.0")


@pytest.fixture(scope="module")
def cluster_at_v0_2(cluster: localdb.LocalCluster) -> localdb.LocalCluster:
    """The module's 0.2 cluster with pg_cron's jobs paused."""
    with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER), autocommit=True) as admin:
        admin.execute("UPDATE cron.job SET active = false")
    return cluster


@pytest.fixture()
def pending_run(
    cluster_at_v0_2: localdb.LocalCluster, http_server: RecordingServer
) -> Iterator[tuple[UUID, RecordingServer]]:
    with psycopg.connect(cluster_at_v0_2.dsn(user=localdb.SUPERUSER), autocommit=True) as admin:
        assert admin.execute(
            "SELECT to_regprocedure('integration_ops.package_version()')"
        ).fetchone() == (None,), "the database is at 0.2"
        clear_active_runs(admin)
        org = add_pair(admin, http_server.route("/sync", json={"records_processed": 1}))
        add_pending_run(admin, org)
        yield org, http_server
        forget(admin, [org])


def test_the_needed_version_is_this_release() -> None:
    assert REQUIRED_PACKAGE_VERSION == "0.3.0"


@pytest.mark.parametrize(
    "args",
    [
        ("worker", "--once"),
        ("worker", "--poll-interval", "0.2"),
        ("health", "--once"),
        ("serve", "--metrics-port", "{port}"),
    ],
    ids=["worker-once", "worker", "health-once", "serve-with-metrics"],
)
def test_a_newer_worker_on_an_older_database_exits_2_before_it_claims(
    cluster_at_v0_2: localdb.LocalCluster,
    pending_run: tuple[UUID, RecordingServer],
    args: tuple[str, ...],
) -> None:
    org, server = pending_run
    argv = [a.format(port=free_port()) for a in args]
    code, _, err = finish(
        start(
            orchestrator(cluster_at_v0_2.dsn(user="worker_login"), *argv),
            worker_env(ORCHESTRATOR_LOG_LEVEL="WARNING"),
        ),
        timeout=60,
    )
    assert code == 2, err[-3000:]
    assert err.strip().splitlines() == [f"Error: {LINE}"], err[-3000:]
    assert server.requests == [], "no integration call was made"
    with psycopg.connect(cluster_at_v0_2.dsn(user=localdb.SUPERUSER), autocommit=True) as admin:
        [run] = runs_of(admin, [org])
    assert (run["status"], run["worker_id"]) == ("pending", None), "nothing was claimed"


async def test_not_ready_while_the_database_is_older(cluster_at_v0_2: localdb.LocalCluster) -> None:
    db = Database(DbConfig(cluster_at_v0_2.dsn(user="worker_login"), "handshake-test"))
    assert not await db.ready(), "not ready before the handshake"
    with pytest.raises(PermanentDbError) as caught:
        await db.open(wait_s=5)
    assert caught.value.message == LINE
    assert not await db.ready()
    await db.close()
