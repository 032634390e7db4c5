"""`orchestrator status --org` through the app's RPCs as service_role, and the CLI's
refusal of bad input."""

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

from .health_pairs import isolated_pairs


@pytest.fixture()
def org(admin_conn: psycopg.Connection[Any]) -> Iterator[UUID]:
    """An org with a checked xledger pair, a never-checked bufdir pair and one run."""
    with isolated_pairs(admin_conn) as pairs:
        org_id = pairs.add("xledger", {"url": "https://xl.test/graphql"})
        pairs.add("bufdir", {"base_url": "https://bufdir.test"}, org_id=org_id)
        admin_conn.execute(
            "SELECT integration_ops.record_health_check(org_id => %s, "
            "integration_type => 'xledger', status => 'degraded', latency_ms => 2345, "
            "error_message => 'slow | response\nsecond line')",
            (org_id,),
        )
        admin_conn.execute(
            "INSERT INTO public.sync_run_log (org_id, integration_type, status, triggered_by, "
            "ended_at, records_processed) VALUES (%s, 'xledger', 'completed', 'manual', now(), 7)",
            (org_id,),
        )
        try:
            yield org_id
        finally:
            admin_conn.execute("DELETE FROM public.sync_run_log WHERE org_id = %s", (org_id,))


def invoke(dsn: str, *args: str) -> Any:
    return CliRunner().invoke(main, ["--dsn", dsn, *args], env={"ORCHESTRATOR_DSN": None})


def test_status_json(cluster: localdb.LocalCluster, org: UUID) -> None:
    result = invoke(cluster.dsn(), "status", "--org", str(org), "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["org_id"] == str(org)
    health = {row["integration_type"]: row for row in doc["health"]}
    assert health["xledger"]["status"] == "degraded"
    assert health["xledger"]["latency_ms"] == 2345
    assert health["xledger"]["display_name"]
    assert health["bufdir"]["status"] is None
    [run] = doc["last_runs"]
    assert (run["integration_type"], run["status"], run["records_processed"]) == (
        "xledger",
        "completed",
        7,
    )
    assert run["id"] and run["started_at"]


def test_status_text_tables(cluster: localdb.LocalCluster, org: UUID) -> None:
    result = invoke(cluster.dsn(), "status", "--org", str(org))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Organisation {org}"
    header = lines[lines.index("Health") + 1]
    assert header.split() == [
        "integration_type",
        "display_name",
        "status",
        "latency_ms",
        "checked_at",
        "error_message",
    ]
    xl = next(line for line in lines if line.startswith("xledger ") and "degraded" in line)
    assert "slow | response second line" in xl  # one line per row
    # columns are aligned: every row of the health table starts its status column alike
    at = header.index("status")
    rows = lines[lines.index("Health") + 3 : lines.index("Health") + 5]
    assert {r[at:].split()[0] for r in rows} == {"-", "degraded"}
    runs_header = lines[lines.index("Last runs") + 1].split()
    assert runs_header[:3] == ["integration_type", "status", "triggered_by"]


def test_status_empty_org(cluster: localdb.LocalCluster) -> None:
    result = invoke(cluster.dsn(), "status", "--org", str(uuid4()))
    assert result.exit_code == 0, result.output
    assert result.output.count("(none)") == 2


def test_status_needs_a_login_that_may_act_as_service_role(worker_dsn: str) -> None:
    result = invoke(worker_dsn, "status", "--org", str(uuid4()))
    assert result.exit_code == 1
    assert "may not SET ROLE service_role" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["status", "--org", "not-a-uuid"], "--org must be a uuid"),
        (["status"], "Missing option '--org'"),
        (["health", "--once", "--concurrency", "0"], "Invalid value for '--concurrency'"),
        (["health", "--once", "--timeout", "0"], "Invalid value for '--timeout'"),
        (["health", "--once", "--worker-id", " "], "--worker-id must be 1 to 100 characters"),
    ],
)
def test_bad_input_is_a_usage_error(args: list[str], message: str) -> None:
    result = invoke("host=127.0.0.1 port=1", *args)
    assert result.exit_code == 2
    assert message in result.output


def test_commands_need_a_dsn() -> None:
    for args in (["health", "--once"], ["status", "--org", str(uuid4())]):
        result = CliRunner().invoke(main, args, env={"ORCHESTRATOR_DSN": None})
        assert result.exit_code == 2
        assert "no database" in result.output


def test_status_reports_database_errors() -> None:
    result = invoke("host=127.0.0.1 port=1 connect_timeout=2", "status", "--org", str(uuid4()))
    assert result.exit_code == 1
    assert "database error" in result.output


def test_format_table_unit() -> None:
    from orchestrator.tooling.status import format_table

    assert format_table([], ["a"]) == "(none)"
    text = format_table([{"x": "y" * 100, "z": None}], ["nope"])
    assert text.splitlines()[0].split() == ["x", "z"]
    assert text.splitlines()[2].endswith("…  -")


def test_health_once_reports_database_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORCHESTRATOR_ONCE_DB_WAIT", "1")  # --once waits 30 s by default
    result = invoke("host=127.0.0.1 port=1 connect_timeout=2", "health", "--once")
    assert result.exit_code == 1
    assert "database error" in result.output
