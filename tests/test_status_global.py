"""`orchestrator status --global`: get_engine_status() as tables and as JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest
from click.testing import CliRunner

from orchestrator import localdb
from orchestrator.cli import main


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
