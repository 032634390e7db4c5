"""The pg_net changes revert, deploy and verify with the stand-in `net` schema present
(the plain round trip in test_migrations.py covers the case without it).

The scripts are what this is about, not Sqitch (whose revert and deploy the round trip and
the upgrade tests run): from the first pg_net-aware change on, the revert scripts run by
hand newest first, then each deploy script followed by its verify script, in plan order, a
session each (tests/plan_scripts.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest

from orchestrator.tooling import localdb

from .conftest import own_cluster_fixture
from .plan_scripts import deploy_and_verify, psql_files, reverts, script_stems

# It reverts part of the plan: a cluster of its own.
cluster = own_cluster_fixture()

FIRST_PG_NET_AWARE_CHANGE = "function_wake_sync_delivery@v0.1.0"  # its first (0.1) instance


@pytest.mark.usefixtures("cron_paused")
def test_pg_net_changes_round_trip_with_the_standin(
    cluster: localdb.LocalCluster, admin_conn: psycopg.Connection[Any], tmp_path: Path
) -> None:
    if admin_conn.execute("SELECT to_regnamespace('net')").fetchone() != (None,):
        pytest.skip("a net schema already exists (real pg_net): covered by the plain round trip")
    assert admin_conn.execute("SELECT tests.install_pg_net_standin()").fetchone() == (True,)
    stems = script_stems(FIRST_PG_NET_AWARE_CHANGE)
    assert len(stems) > 200, "from 0.1 on: most of the plan"
    psql_files(cluster, reverts(stems), tmp_path / "revert.sql")
    assert admin_conn.execute(
        "SELECT to_regprocedure('integration_ops.reconcile_pg_net_responses()')"
    ).fetchone() == (None,)
    assert admin_conn.execute("SELECT to_regnamespace('net')").fetchone() != (None,)
    psql_files(cluster, deploy_and_verify(stems), tmp_path / "deploy.sql")  # net present
    assert admin_conn.execute("SELECT integration_ops.reconcile_pg_net_responses()").fetchone() == (
        0,
    )
