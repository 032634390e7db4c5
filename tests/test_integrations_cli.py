"""`orchestrator integrations add|list|enable|disable` (issue 23) against the real cluster, as
an operator runs it: through public.configure_integration as service_role."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner

from orchestrator.cli import main
from orchestrator.tooling import localdb

Conn = psycopg.Connection[Any]


@pytest.fixture()
def org(admin_conn: Conn) -> Iterator[uuid.UUID]:
    org_id = uuid.uuid4()
    yield org_id
    admin_conn.execute("DELETE FROM public.sync_run_log WHERE org_id = %s", (org_id,))
    admin_conn.execute("DELETE FROM public.organization_integrations WHERE org_id = %s", (org_id,))


def cli(cluster: localdb.LocalCluster, *args: str, user: str = localdb.DEPLOY_USER) -> Any:
    return CliRunner().invoke(main, ["--dsn", cluster.dsn(user=user), "integrations", *args])


def row(admin_conn: Conn, org: uuid.UUID, integration_type: str) -> tuple[Any, ...] | None:
    return admin_conn.execute(
        "SELECT endpoint_url, sync_interval, delivery, enabled, warmup_url, health_mode"
        " FROM public.organization_integrations WHERE org_id = %s AND integration_type = %s",
        (org, integration_type),
    ).fetchone()


def test_add_list_disable_enable(
    cluster: localdb.LocalCluster, admin_conn: Conn, org: uuid.UUID
) -> None:
    out = cli(
        cluster,
        "add",
        str(org),
        "xledger",
        "https://erp.example.com/sync",
        "--interval",
        "15m",
        "--warmup-url",
        "https://erp.example.com/warm",
    )
    assert out.exit_code == 0, out.output
    assert "xledger" in out.output and "https://erp.example.com/sync" in out.output
    got = row(admin_conn, org, "xledger")
    assert got is not None
    assert got[0] == "https://erp.example.com/sync" and got[1].total_seconds() == 900
    assert got[2:] == ("worker", True, "https://erp.example.com/warm", "active")

    out = cli(
        cluster,
        "add",
        str(org),
        "bufdir",
        "https://bufdir.example.no/x",
        "--interval",
        "manual",
        "--health-mode",
        "passive",
    )
    assert out.exit_code == 0, out.output
    listed = cli(cluster, "list", "--org", str(org), "--json")
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.output)
    assert [(r["integration_type"], r["sync_interval"]) for r in rows] == [
        ("bufdir", None),
        ("xledger", 900.0),
    ]

    admin_conn.execute(
        "INSERT INTO public.sync_run_log (org_id, integration_type, status, triggered_by)"
        " VALUES (%s, 'xledger', 'pending', 'manual')",
        (org,),
    )
    out = cli(cluster, "disable", str(org), "xledger")
    assert out.exit_code == 0, out.output
    assert row(admin_conn, org, "xledger")[3] is False  # type: ignore[index]
    assert admin_conn.execute(
        "SELECT error_code FROM public.sync_run_log WHERE org_id = %s", (org,)
    ).fetchone() == ("integration_disabled",), "the pending run was cancelled"
    out = cli(cluster, "enable", str(org), "xledger")
    assert out.exit_code == 0, out.output
    assert row(admin_conn, org, "xledger")[3] is True  # type: ignore[index]


def test_refusals_name_the_rule_and_write_nothing(
    cluster: localdb.LocalCluster, admin_conn: Conn, org: uuid.UUID
) -> None:
    out = cli(cluster, "add", str(org), "xledger", "http://erp.example.com/sync")
    assert out.exit_code == 1
    assert "invalid_argument" in out.output and "plain http" in out.output
    out = cli(cluster, "add", str(org), "xledger", "https://169.254.169.254/latest")
    assert out.exit_code == 1 and "link-local" in out.output
    out = cli(cluster, "add", str(org), "salesforce", "https://s.example.com/x")
    assert out.exit_code == 1 and "unknown_integration_type" in out.output
    out = cli(
        cluster, "add", str(org), "xledger", "https://erp.example.com/x", "--interval", "often"
    )
    assert out.exit_code == 1 and "invalid --interval" in out.output
    out = cli(cluster, "add", "not-a-uuid", "xledger", "https://erp.example.com/x")
    assert out.exit_code == 2 and "uuid" in out.output
    out = cli(cluster, "disable", str(org), "dynamics")
    assert out.exit_code == 1 and "no dynamics integration" in out.output
    assert row(admin_conn, org, "xledger") is None


def test_a_login_that_may_not_act_as_service_role_is_told_so(
    cluster: localdb.LocalCluster, org: uuid.UUID
) -> None:
    out = cli(cluster, "list", user="worker_login")
    assert out.exit_code == 1
    assert "SET ROLE service_role" in out.output


def test_sync_starts_a_manual_run_as_service_role(
    cluster: localdb.LocalCluster, admin_conn: Conn, org: uuid.UUID
) -> None:
    assert cli(cluster, "add", str(org), "xledger", "https://erp.example.com/sync").exit_code == 0
    out = cli(cluster, "sync", str(org), "xledger")
    assert out.exit_code == 0, out.output
    run_id = uuid.UUID(out.output.strip())
    assert admin_conn.execute(
        "SELECT status, triggered_by, triggered_by_user_id, idempotency_key"
        " FROM public.sync_run_log WHERE id = %s",
        (run_id,),
    ).fetchone() == ("pending", "manual", None, str(run_id))
    assert admin_conn.execute(
        "SELECT actor, action, user_id FROM integration_ops.sync_trigger_audit WHERE org_id = %s",
        (org,),
    ).fetchall() == [("service_role", "trigger", None)]
    again = cli(cluster, "sync", str(org), "xledger")
    assert again.exit_code == 1
    assert "sync_already_in_progress" in again.output
    missing = cli(cluster, "sync", str(org), "dynamics")
    assert missing.exit_code == 1 and "integration_not_configured" in missing.output
