"""Upgrade path from 0.2 (issues 21-23): a database at @v0.2.0 holding data upgrades to HEAD,
keeps its rows, serves the 0.2 release's own worker, unchanged, and reverts back to @v0.2.0
with its rows and exactly a fresh 0.2's catalog (tests/catalog.py)."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from orchestrator.tooling import localdb

from .catalog import Row
from .conftest import own_cluster_fixture
from .http_fixtures import RecordingServer
from .upgrade_data import (
    Conn,
    assert_catalog,
    release_worker_package,
    seed_0_2_data,
    snapshot_0_2,
    sqitch,
)
from .worker_procs import SERVICE_KEY, finish, orchestrator, worker_env

# Sqitch over much of the plan: started early (tests/conftest.py)
pytestmark = pytest.mark.deploys

RELEASE = "@v0.2.0"


# a cluster of this file's own at the release (a copy of the run's deployed release)
cluster = own_cluster_fixture(RELEASE)


@pytest.mark.usefixtures("cron_paused")
def test_v0_2_database_with_data_upgrades_serves_a_0_2_worker_and_reverts(
    cluster: localdb.LocalCluster,
    admin_conn: Conn,
    worker_dsn: str,
    http_server: RecordingServer,
    tmp_path: Path,
    fresh_catalogs: dict[str, set[Row]],
) -> None:
    org = uuid.uuid4()
    assert admin_conn.execute(
        "SELECT to_regprocedure('integration_ops.package_version()')"
    ).fetchone() == (None,), "the database is at 0.2"
    seed_0_2_data(admin_conn, org)
    before = snapshot_0_2(admin_conn, org)

    # as a DBA upgrades: each change verified as it deploys (sqitch.conf); the catalog
    # check below compares the whole result with a fresh HEAD, which a full verify adds nothing to
    sqitch(cluster, "deploy")
    assert snapshot_0_2(admin_conn, org) == before, "the upgrade keeps every row"
    assert_catalog(admin_conn, fresh_catalogs["@HEAD"], "0.2 upgraded != a fresh HEAD")

    # The 0.2 release's own worker, unchanged, against the upgraded database: it claims a
    # pending run, calls the endpoint (0.2 sends its service key; nothing checks it here)
    # and its report is taken.
    url = http_server.route("/v02", json={"records_processed": 4, "records_failed": 0})
    admin_conn.execute(
        "UPDATE public.organization_integrations SET endpoint_url = %s"
        " WHERE org_id = %s AND integration_type = 'xledger'",
        (url, org),
    )
    old = release_worker_package(tmp_path)
    version = subprocess.run(
        [sys.executable, "-c", "import orchestrator; print(orchestrator.__version__)"],
        cwd=old,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert version == "0.2.0", f"the worker under test is {version}"
    proc = subprocess.Popen(  # from the 0.2 tree: `python -m` imports from its cwd first
        orchestrator(worker_dsn, "worker", "--once"),
        cwd=old,
        env=worker_env(ORCHESTRATOR_SERVICE_KEY=SERVICE_KEY),  # 0.2 needs one
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    code, _, err = finish(proc)
    assert code == 0, err[-3000:]
    done = admin_conn.execute(
        "SELECT status, records_processed FROM public.sync_run_log"
        " WHERE org_id = %s AND integration_type = 'xledger' AND status <> 'pending'"
        " ORDER BY created_at DESC LIMIT 1",
        (org,),
    ).fetchone()
    assert done == ("completed", 4), (done, err[-2000:])
    assert [r.path for r in http_server.requests] == ["/v02"]
    after = snapshot_0_2(admin_conn, org)

    sqitch(cluster, "revert", "-y", "--to", RELEASE)
    assert snapshot_0_2(admin_conn, org) == after, "the revert keeps every row"
    assert_catalog(admin_conn, fresh_catalogs[RELEASE], "reverted to 0.2 != a fresh 0.2")
    assert admin_conn.execute(
        "SELECT to_regprocedure('integration_ops.fail_sync_run(uuid, text, text, text)')"
        " IS NOT NULL"
    ).fetchone() == (True,), "the 0.2 worker RPCs are back"
