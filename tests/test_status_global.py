"""`orchestrator status --global`: get_engine_status() as tables and as JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest
from click.testing import CliRunner

from orchestrator.cli import main
from orchestrator.tooling import localdb


@pytest.fixture()
def stuck_org(admin_conn: psycopg.Connection[Any]) -> Iterator[UUID]:
    """An org whose xledger run has been pending for an hour (a stale pending run)."""
    org = uuid4()
    admin_conn.execute(
        "INSERT INTO public.organization_integrations (org_id, integration_type, endpoint_url, "
        "health_mode) VALUES (%s, 'xledger', 'http://127.0.0.1:9/x', 'disabled')",
        (org,),
    )
    admin_conn.execute(
        "INSERT INTO public.sync_run_log (org_id, integration_type, status, triggered_by, "
        "created_at, started_at) VALUES (%s, 'xledger', 'pending', 'manual', "
        "now() - interval '1 hour', now() - interval '1 hour')",
        (org,),
    )
    admin_conn.execute("SELECT integration_ops.refresh_alerts()")
    try:
        yield org
    finally:
        admin_conn.execute("DELETE FROM public.sync_run_log WHERE org_id = %s", (org,))
        admin_conn.execute("DELETE FROM integration_ops.alerts WHERE org_id = %s", (org,))
        admin_conn.execute("DELETE FROM public.organization_integrations WHERE org_id = %s", (org,))


def invoke(dsn: str, *args: str) -> Any:
    return CliRunner().invoke(main, ["--dsn", dsn, *args], env={"ORCHESTRATOR_DSN": None})


def test_status_global_json(cluster: localdb.LocalCluster, stuck_org: UUID) -> None:
    result = invoke(cluster.dsn(), "status", "--global", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert set(doc) == {
        "queue",
        "runs_24h",
        "lagging",
        "drift_24h",
        "failing",
        "workers",
        "alerts",
        "as_of",
    }
    assert doc["queue"]["stale_pending"] >= 1
    assert any(
        a["kind"] == "stale_pending" and a["org_id"] == str(stuck_org) for a in doc["alerts"]
    )


def test_status_global_tables(cluster: localdb.LocalCluster, stuck_org: UUID) -> None:
    result = invoke(cluster.dsn(), "status", "--global")
    assert result.exit_code == 0, result.output
    for title in ("Queue", "Runs (last 24 h", "Drift", "Failing pairs", "Workers", "Open alerts"):
        assert title in result.output
    assert "Runs (last 24 h, by end time, as of 20" in result.output
    alert_lines = [line for line in result.output.splitlines() if str(stuck_org) in line]
    assert alert_lines and alert_lines[0].startswith("stale_pending")


def test_status_global_refusals(cluster: localdb.LocalCluster, worker_dsn: str) -> None:
    result = invoke(worker_dsn, "status", "--global")
    assert result.exit_code == 1 and "SET ROLE service_role" in result.output
    result = invoke(cluster.dsn(), "status", "--global", "--org", str(uuid4()))
    assert result.exit_code == 2 and "not both" in result.output
    result = invoke(cluster.dsn(), "status")
    assert result.exit_code == 2 and "--org" in result.output


@pytest.fixture()
def retried_org(admin_conn: psycopg.Connection[Any]) -> Iterator[UUID]:
    """An org whose xledger period used up its attempts (attempt 5 of 5 failed with a
    timeout) and whose earlier run met a cold endpoint; the snapshot refreshed after."""
    org = uuid4()
    admin_conn.execute(
        "INSERT INTO public.organization_integrations (org_id, integration_type, endpoint_url, "
        "health_mode) VALUES (%s, 'xledger', 'http://127.0.0.1:9/x', 'disabled')",
        (org,),
    )
    first, key = uuid4(), f"status-global:{org}"
    admin_conn.execute(
        "INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by, "
        "created_at, started_at, ended_at, error_code, attempt, retry_of, idempotency_key, "
        "cold_start) VALUES "
        "(%(first)s, %(org)s, 'xledger', 'failed', 'manual', now() - interval '40 minutes', "
        " now() - interval '40 minutes', now() - interval '39 minutes', 'timeout', 1, NULL, "
        " %(key)s, true), "
        "(gen_random_uuid(), %(org)s, 'xledger', 'failed', 'manual', now() - interval '9 minutes',"
        " now() - interval '9 minutes', now() - interval '8 minutes', 'timeout', 5, %(first)s, "
        " %(key)s, false)",
        {"first": first, "org": org, "key": key},
    )
    admin_conn.execute("SELECT integration_ops.refresh_engine_stats()")
    try:
        yield org
    finally:
        admin_conn.execute("DELETE FROM public.sync_run_log WHERE org_id = %s", (org,))
        admin_conn.execute("DELETE FROM public.organization_integrations WHERE org_id = %s", (org,))
        admin_conn.execute("SELECT integration_ops.refresh_engine_stats()")


def test_status_global_shows_retries_and_cold_starts(
    cluster: localdb.LocalCluster, retried_org: UUID
) -> None:
    """The runs table carries get_engine_status()'s retries, exhausted chains, skipped
    periods and cold starts per type; the queue its waiting retries; lagging pairs have a
    table of their own."""
    doc = json.loads(invoke(cluster.dsn(), "status", "--global", "--json").output)
    xledger = doc["runs_24h"]["xledger"]
    assert xledger["retries"] >= 1 and xledger["retries_exhausted"] >= 1
    assert xledger["cold_starts"] >= 1

    result = invoke(cluster.dsn(), "status", "--global")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    runs_at = next(i for i, line in enumerate(lines) if line.startswith("Runs (last 24 h"))
    header = lines[runs_at + 1].split()
    assert header == [
        "integration_type",
        "completed",
        "failed",
        "cancelled",
        "skipped",
        "retries",
        "retries_exhausted",
        "cold_starts",
        "cold_starts_failed",
    ]
    row = next(line.split() for line in lines[runs_at + 3 :] if line.startswith("xledger "))
    # the figures the text shows are the document's, column by column (the text and the
    # JSON are read a moment apart: the snapshot of the fixture keeps them equal)
    assert row[1:] == [str(xledger[column]) for column in header[1:]]
    queue_at = next(i for i, line in enumerate(lines) if line.startswith("Queue"))
    assert "waiting_retries" in lines[queue_at + 1].split()
    assert any(line.startswith("Lagging pairs") for line in lines)
