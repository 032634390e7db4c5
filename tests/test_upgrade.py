"""Upgrade path: a database at @v0.1.0 (and one at @v0.2.0) holding data upgrades to HEAD
with `sqitch deploy`, keeps its rows, serves the old worker's calls, and reverts back to its
release with its rows. Its catalog (tests/catalog.py) is then exactly a fresh deploy's:
after the upgrade HEAD's, after each revert the release's."""

from __future__ import annotations

import io
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from orchestrator.tooling import localdb
from orchestrator.tooling.sqitch import PROJECT_ROOT, run_sqitch

from .catalog import Row, catalog_fingerprint, fingerprint_diff
from .conftest import deployed_cluster, install_test_helpers
from .http_fixtures import RecordingServer
from .worker_procs import SERVICE_KEY, finish, orchestrator, worker_env

# This file reverts its cluster to older releases: it gets a cluster of its own, deployed
# release by release like the session's, with each release's fresh catalog (rows other files
# leave behind would change what a revert gives back; a failed revert must not leave the
# session cluster at an old release for the files pytest-xdist runs after it).
_CATALOGS: dict[str, set[Row]] = {}


@pytest.fixture(scope="module", name="cluster")
def upgrade_cluster() -> Iterator[localdb.LocalCluster]:
    with deployed_cluster(_CATALOGS) as c:
        yield c


@pytest.fixture(scope="module", name="fresh_catalogs")
def upgrade_catalogs(cluster: localdb.LocalCluster) -> dict[str, set[Row]]:
    return _CATALOGS


Conn = psycopg.Connection[Any]
TABLES = (
    "public.organization_integrations",
    "public.sync_run_log",
    "public.integration_health_status",
    "public.integration_health_history",
    "integration_ops.sync_trigger_audit",
    "integration_ops.org_members",
)


def sqitch(cluster: localdb.LocalCluster, *args: str) -> None:
    result = run_sqitch(args[0], cluster.sqitch_target(), list(args[1:]), capture=True)
    assert result.returncode == 0, f"sqitch {args} failed:\n{result.stdout}\n{result.stderr}"


def snapshot(conn: Conn, org: uuid.UUID) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of one org in every package table, by primary key order (0.1 columns)."""
    shots: dict[str, list[tuple[Any, ...]]] = {}
    shots["organization_integrations"] = conn.execute(
        "SELECT org_id, integration_type, enabled, sync_interval, next_sync_at, endpoint_url"
        " FROM public.organization_integrations WHERE org_id = %s ORDER BY 2",
        (org,),
    ).fetchall()
    shots["sync_run_log"] = conn.execute(
        "SELECT id, status, triggered_by, records_processed, error_code, error_message"
        " FROM public.sync_run_log WHERE org_id = %s ORDER BY id",
        (org,),
    ).fetchall()
    shots["health"] = conn.execute(
        # results only: 0.2 adds status-NULL bookkeeping rows (the health schedule) at deploy
        "SELECT integration_type, status, latency_ms FROM public.integration_health_status"
        " WHERE org_id = %s AND status IS NOT NULL ORDER BY 1",
        (org,),
    ).fetchall()
    shots["history"] = conn.execute(
        "SELECT id, status FROM public.integration_health_history WHERE org_id = %s ORDER BY id",
        (org,),
    ).fetchall()
    shots["audit"] = conn.execute(
        "SELECT id, run_id, user_id FROM integration_ops.sync_trigger_audit WHERE org_id = %s",
        (org,),
    ).fetchall()
    shots["members"] = conn.execute(
        "SELECT user_id, role FROM integration_ops.org_members WHERE org_id = %s", (org,)
    ).fetchall()
    return shots


def assert_catalog(conn: Conn, expected: set[Row], what: str) -> None:
    """The package's catalog (functions with definitions, ACLs and comments, relations,
    columns, indexes, constraints, triggers, policies, cron jobs) equals `expected`."""
    actual = catalog_fingerprint(conn)
    assert actual == expected, f"{what}:\n{fingerprint_diff(expected, actual)}"


def seed_0_1_data(conn: Conn, org: uuid.UUID) -> dict[str, uuid.UUID]:
    runs = {s: uuid.uuid4() for s in ("pending", "running", "completed", "failed")}
    conn.execute(
        """INSERT INTO public.organization_integrations
             (org_id, integration_type, sync_interval, endpoint_url, health_mode)
           VALUES (%(o)s, 'xledger', '1 hour', 'http://127.0.0.1:9/x', 'active'),
                  (%(o)s, 'dynamics', NULL, 'http://127.0.0.1:9/d', 'passive'),
                  (%(o)s, 'bufdir', '15 minutes', 'http://127.0.0.1:9/b', 'active')""",
        {"o": org},
    )
    identifier = f"upgrade_{org.hex[:12]}"
    conn.execute("SELECT tests.add_member(%s, %s, 'admin')", (org, identifier))
    row = conn.execute("SELECT tests.get_user_id(%s)", (identifier,)).fetchone()
    assert row is not None
    user = row[0]
    conn.execute(
        """INSERT INTO public.sync_run_log
             (id, org_id, integration_type, status, triggered_by, worker_id, heartbeat_at, ended_at,
              records_processed, error_code, error_message)
           VALUES (%(p)s, %(o)s, 'xledger', 'pending', 'manual', NULL, NULL, NULL, 0, NULL, NULL),
                  (%(r)s, %(o)s, 'dynamics', 'running', 'scheduler', 'w-0.1', now(), NULL, 0,
                   NULL, NULL),
                  (%(c)s, %(o)s, 'bufdir', 'completed', 'scheduler', 'w-0.1', now(), now(), 7,
                   NULL, NULL),
                  (%(f)s, %(o)s, 'bufdir', 'failed', 'manual', 'w-0.1', now(), now(), 0, 'http_500',
                   'endpoint answered HTTP 500')""",
        {
            "o": org,
            "p": runs["pending"],
            "r": runs["running"],
            "c": runs["completed"],
            "f": runs["failed"],
        },
    )
    conn.execute(
        """INSERT INTO integration_ops.sync_trigger_audit
             (run_id, user_id, org_id, integration_type)
           VALUES (%s, %s, %s, 'xledger')""",
        (runs["pending"], user, org),
    )
    for status in ("healthy", "degraded", "unreachable"):
        conn.execute(
            "SELECT integration_ops.record_health_check(%s, 'xledger', %s, 12, NULL)",
            (org, status),
        )
    return runs


@pytest.mark.usefixtures("cron_paused")
def test_v0_1_database_with_data_upgrades_and_reverts(
    cluster: localdb.LocalCluster,
    admin_conn: Conn,
    worker_dsn: str,
    fresh_catalogs: dict[str, set[Row]],
) -> None:
    org = uuid.uuid4()
    try:
        sqitch(cluster, "revert", "-y", "--to", "@v0.1.0")
        assert admin_conn.execute(
            "SELECT to_regprocedure('integration_ops.clock()')"
        ).fetchone() == (None,), "the database is at 0.1"
        assert_catalog(admin_conn, fresh_catalogs["@v0.1.0"], "reverted to 0.1 != a fresh 0.1")
        runs = seed_0_1_data(admin_conn, org)
        before = snapshot(admin_conn, org)

        sqitch(cluster, "deploy")
        sqitch(cluster, "verify")
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

        sqitch(cluster, "revert", "-y", "--to", "@v0.1.0")
        assert snapshot(admin_conn, org) == after, "the revert keeps every row"
        assert_catalog(admin_conn, fresh_catalogs["@v0.1.0"], "reverted to 0.1 != a fresh 0.1")
        assert admin_conn.execute(
            "SELECT to_regprocedure('integration_ops.complete_sync_run(uuid, integer, integer)')"
            " IS NOT NULL"
        ).fetchone() == (True,), "the 0.1 worker RPCs are back"
    finally:
        run_sqitch("deploy", cluster.sqitch_target(), capture=True)
        install_test_helpers(cluster)
        # audit rows are append-only (even for the superuser): they stay, as in production
        for table in TABLES:
            if table != "integration_ops.sync_trigger_audit":
                admin_conn.execute(f"DELETE FROM {table} WHERE org_id = %s", (org,))


# --- 0.2 -> HEAD -> 0.2 (issues 21-23) --------------------------------------------------------

V0_2_RELEASE = "@v0.2.0"


def release_worker_package(tmp: Path) -> Path:
    """The 0.2 release's `orchestrator` package, from the commit that tagged @v0.2.0."""
    commit = subprocess.run(
        [
            "git",
            "-C",
            str(PROJECT_ROOT),
            "log",
            "--reverse",
            "--format=%H",
            "-G",
            r"^@v0\.2\.0 ",
            "--",
            "sqitch.plan",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[0]
    archive = subprocess.run(
        ["git", "-C", str(PROJECT_ROOT), "archive", commit, "orchestrator"],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(tmp, filter="data")
    return tmp


def snapshot_0_2(conn: Conn, org: uuid.UUID) -> dict[str, list[tuple[Any, ...]]]:
    """The 0.1 snapshot plus what 0.2 added: warm-ups, alerts, cold_start, worker ids."""
    shots = snapshot(conn, org)
    shots["cold_start"] = conn.execute(
        "SELECT id, cold_start, worker_id FROM public.sync_run_log WHERE org_id = %s ORDER BY id",
        (org,),
    ).fetchall()
    shots["warmups"] = conn.execute(
        "SELECT integration_type, warmed_for, answered_at, http_status"
        " FROM integration_ops.integration_warmups WHERE org_id = %s ORDER BY 1",
        (org,),
    ).fetchall()
    shots["alerts"] = conn.execute(
        "SELECT id, kind, integration_type, run_id, resolved_at IS NULL"
        " FROM integration_ops.alerts WHERE org_id = %s ORDER BY id",
        (org,),
    ).fetchall()
    return shots


def seed_0_2_data(conn: Conn, org: uuid.UUID) -> dict[str, uuid.UUID]:
    runs = seed_0_1_data(conn, org)
    conn.execute(
        "UPDATE public.organization_integrations SET warmup_url = 'http://127.0.0.1:9/warm'"
        " WHERE org_id = %s AND integration_type = 'xledger'",
        (org,),
    )
    conn.execute(
        """INSERT INTO integration_ops.integration_warmups (org_id, integration_type,
             warmed_for, claimed_by, claimed_at, answered_at, http_status)
           VALUES (%s, 'xledger', now(), 'w-0.2', now(), now(), 204)""",
        (org,),
    )
    conn.execute(
        """INSERT INTO integration_ops.alerts (kind, org_id, integration_type, run_id, detail)
           VALUES ('worker_lost', %s, 'bufdir', %s, '{}'),
                  ('repeated_failures', %s, 'bufdir', %s, '{"consecutive_failures": 3}')""",
        (org, runs["failed"], org, runs["failed"]),
    )
    conn.execute(
        "UPDATE public.sync_run_log SET cold_start = true WHERE id = %s", (runs["failed"],)
    )
    return runs


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
    fresh_0_2 = fresh_catalogs[V0_2_RELEASE]
    try:
        sqitch(cluster, "revert", "-y", "--to", V0_2_RELEASE)
        assert admin_conn.execute(
            "SELECT to_regprocedure('integration_ops.package_version()')"
        ).fetchone() == (None,), "the database is at 0.2"
        assert_catalog(admin_conn, fresh_0_2, "reverted to 0.2 != a fresh 0.2")
        seed_0_2_data(admin_conn, org)
        before = snapshot_0_2(admin_conn, org)

        sqitch(cluster, "deploy")
        sqitch(cluster, "verify")
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

        sqitch(cluster, "revert", "-y", "--to", V0_2_RELEASE)
        assert snapshot_0_2(admin_conn, org) == after, "the revert keeps every row"
        assert_catalog(admin_conn, fresh_0_2, "reverted to 0.2 != a fresh 0.2")
        assert admin_conn.execute(
            "SELECT to_regprocedure('integration_ops.fail_sync_run(uuid, text, text, text)')"
            " IS NOT NULL"
        ).fetchone() == (True,), "the 0.2 worker RPCs are back"
    finally:
        run_sqitch("deploy", cluster.sqitch_target(), capture=True)
        install_test_helpers(cluster)
        for table in TABLES:
            if table != "integration_ops.sync_trigger_audit":
                admin_conn.execute(f"DELETE FROM {table} WHERE org_id = %s", (org,))
        admin_conn.execute("DELETE FROM integration_ops.alerts WHERE org_id = %s", (org,))
