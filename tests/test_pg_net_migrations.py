"""The pg_net changes revert, deploy and verify with the stand-in `net` schema present
(the plain round trip in test_migrations.py covers the case without it)."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from orchestrator.tooling import localdb
from orchestrator.tooling.sqitch import run_sqitch

from .conftest import own_cluster_fixture

# Sqitch over much of the plan: started early (tests/conftest.py)
pytestmark = pytest.mark.deploys

# It reverts part of the plan: a cluster of its own.
cluster = own_cluster_fixture()

FIRST_PG_NET_AWARE_CHANGE = "function_wake_sync_delivery@v0.1.0"  # its first (0.1) instance


def _sqitch(cluster: localdb.LocalCluster, *args: str) -> str:
    result = run_sqitch(args[0], cluster.sqitch_target(), list(args[1:]), capture=True)
    assert result.returncode == 0, f"sqitch {args} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.mark.usefixtures("cron_paused")
def test_pg_net_changes_round_trip_with_the_standin(
    cluster: localdb.LocalCluster, admin_conn: psycopg.Connection[Any]
) -> None:
    if admin_conn.execute("SELECT to_regnamespace('net')").fetchone() != (None,):
        pytest.skip("a net schema already exists (real pg_net): covered by the plain round trip")
    assert admin_conn.execute("SELECT tests.install_pg_net_standin()").fetchone() == (True,)
    _sqitch(cluster, "revert", "-y", "--to", f"{FIRST_PG_NET_AWARE_CHANGE}^")
    assert admin_conn.execute(
        "SELECT to_regprocedure('integration_ops.reconcile_pg_net_responses()')"
    ).fetchone() == (None,)
    _sqitch(cluster, "deploy", "--verify")  # each change verified after it, net present
    assert admin_conn.execute("SELECT integration_ops.reconcile_pg_net_responses()").fetchone() == (
        0,
    )
