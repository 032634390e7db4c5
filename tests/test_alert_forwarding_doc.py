"""The alert-forwarding job of docs/operations.md really posts each new alert once (through
the pg_net stand-in of the test helpers) and marks it notified."""

from __future__ import annotations

import json
import re
import uuid

import psycopg

from orchestrator.tooling import localdb
from orchestrator.tooling.sqitch import PROJECT_ROOT

OPERATIONS = PROJECT_ROOT / "docs" / "operations.md"


def job_command() -> str:
    match = re.search(r"\$job\$(.*?)\$job\$", OPERATIONS.read_text(), re.DOTALL)
    assert match, "docs/operations.md has no forwarding job"
    return match.group(1)


def test_the_documented_forwarding_job_posts_new_alerts_once(
    cluster: localdb.LocalCluster,
) -> None:
    org = uuid.uuid4()
    with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER)) as conn:
        try:
            conn.execute("SELECT tests.install_pg_net_standin()")
            conn.execute("DELETE FROM integration_ops.alerts WHERE notified_at IS NULL")
            conn.execute("DELETE FROM net.http_request_queue")
            conn.execute(
                "INSERT INTO integration_ops.alerts (kind, org_id, integration_type, detail) "
                "VALUES ('stale_pending', %s, 'xledger', '{\"waiting_seconds\": 1200}')",
                (org,),
            )
            conn.execute("SET LOCAL ROLE postgres")
            conn.execute(job_command().encode())
            conn.execute(job_command().encode())  # the next minute: nothing new to send
            conn.execute("RESET ROLE")
            rows = conn.execute(
                "SELECT url, convert_from(body, 'UTF8') FROM net.http_request_queue"
            ).fetchall()
            notified = conn.execute(
                "SELECT notified_at IS NOT NULL FROM integration_ops.alerts WHERE org_id = %s",
                (org,),
            ).fetchone()
        finally:
            conn.rollback()
    assert len(rows) == 1
    url, body = rows[0]
    assert url == "https://hooks.example.com/integration-alerts"
    sent = json.loads(body)
    assert sent["alert"]["kind"] == "stale_pending" and sent["alert"]["org_id"] == str(org)
    assert sent["text"].startswith("stale_pending: xledger")
    assert notified == (True,)
