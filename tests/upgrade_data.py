"""What the upgrade tests (tests/test_upgrade_from_0_1.py, tests/test_upgrade_from_0_2.py)
seed into a database at a release and compare across its upgrade to HEAD and its revert:
the rows of one org in every package table, and the package's catalog."""

from __future__ import annotations

import io
import subprocess
import tarfile
import uuid
from pathlib import Path
from typing import Any

import psycopg

from orchestrator.tooling import localdb
from orchestrator.tooling.sqitch import PROJECT_ROOT, run_sqitch

from .catalog import Row, catalog_fingerprint, fingerprint_diff

Conn = psycopg.Connection[Any]


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
