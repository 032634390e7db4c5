"""Upgrade path from 0.1: a database at @v0.1.0 holding data upgrades to HEAD with `sqitch
deploy`, keeps its rows, serves the 0.1 worker's calls, and reverts back to @v0.1.0 with its
rows. Its catalog (tests/catalog.py) is then exactly a fresh deploy's: after the upgrade
HEAD's, after the revert 0.1's. The 0.2 path: tests/test_upgrade_from_0_2.py."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from orchestrator.tooling import localdb

from .catalog import Row
from .conftest import own_cluster_fixture
from .upgrade_data import Conn, assert_catalog, seed_0_1_data, snapshot, sqitch

# Sqitch over much of the plan: started early (tests/conftest.py)
pytestmark = pytest.mark.deploys

RELEASE = "@v0.1.0"


# a cluster of this file's own at the release (a copy of the run's deployed release)
cluster = own_cluster_fixture(RELEASE)


@pytest.mark.usefixtures("cron_paused")
def test_v0_1_database_with_data_upgrades_and_reverts(
    cluster: localdb.LocalCluster,
    admin_conn: Conn,
    worker_dsn: str,
    fresh_catalogs: dict[str, set[Row]],
) -> None:
    org = uuid.uuid4()
    assert admin_conn.execute("SELECT to_regprocedure('integration_ops.clock()')").fetchone() == (
        None,
    ), "the database is at 0.1"
    runs = seed_0_1_data(admin_conn, org)
    before = snapshot(admin_conn, org)

    # as a DBA upgrades: each change verified as it deploys (sqitch.conf); the catalog
    # check below compares the whole result with a fresh HEAD, which a full verify adds nothing to
    sqitch(cluster, "deploy")
    assert snapshot(admin_conn, org) == before, "the upgrade keeps every row"
    assert_catalog(admin_conn, fresh_catalogs["@HEAD"], "0.1 upgraded != a fresh HEAD")

    # a 0.1 worker (positional three-argument reports) keeps working after the upgrade
    with psycopg.connect(worker_dsn, autocommit=True) as worker:
        done = worker.execute(
            "SELECT status FROM integration_ops.complete_sync_run("
            "%s::uuid, %s::integer, %s::integer)",
            (runs["running"], 3, 0),
        ).fetchone()
    assert done == ("completed",)
    # the upgraded engine takes over the 0.1 pending run's pair: disabling it ends the run
    admin_conn.execute(
        "UPDATE public.organization_integrations SET enabled = false"
        " WHERE org_id = %s AND integration_type = 'xledger'",
        (org,),
    )
    after = snapshot(admin_conn, org)

    sqitch(cluster, "revert", "-y", "--to", RELEASE)
    assert snapshot(admin_conn, org) == after, "the revert keeps every row"
    assert_catalog(admin_conn, fresh_catalogs[RELEASE], "reverted to 0.1 != a fresh 0.1")
    assert admin_conn.execute(
        "SELECT to_regprocedure('integration_ops.complete_sync_run(uuid, integer, integer)')"
        " IS NOT NULL"
    ).fetchone() == (True,), "the 0.1 worker RPCs are back"
