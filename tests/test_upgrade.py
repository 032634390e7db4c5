"""Upgrade path: a database at @v0.1.0 holding data upgrades to HEAD with `sqitch deploy`,
keeps its rows, serves a 0.1 worker's calls, and reverts back to @v0.1.0 with its rows."""

from __future__ import annotations

import uuid
from typing import Any

import psycopg
import pytest

from orchestrator import localdb
from orchestrator.sqitch import run_sqitch

from .conftest import install_test_helpers

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
    cluster: localdb.LocalCluster, admin_conn: Conn, worker_dsn: str
) -> None:
    org = uuid.uuid4()
    try:
        sqitch(cluster, "revert", "-y", "--to", "@v0.1.0")
        assert admin_conn.execute(
            "SELECT to_regprocedure('integration_ops.clock()')"
        ).fetchone() == (None,), "the database is at 0.1"
        runs = seed_0_1_data(admin_conn, org)
        before = snapshot(admin_conn, org)

        sqitch(cluster, "deploy")
        sqitch(cluster, "verify")
        assert snapshot(admin_conn, org) == before, "the upgrade keeps every row"

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
