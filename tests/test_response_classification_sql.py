"""The SQL side of the one response classification (DESIGN §12): the case table that the
worker's tests load drives integration_ops.classify_sync_response and the pg_net
reconciler, which handles every response on its own (one bad body never blocks others)."""

from __future__ import annotations

import uuid
from typing import Any

import psycopg
import pytest

from .cases import sync_response_cases

CASES = sync_response_cases()


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_sql_classifier_follows_the_case_table(
    admin_conn: psycopg.Connection[Any], case: dict[str, Any]
) -> None:
    row = admin_conn.execute(
        "SELECT outcome, error_code, records_processed, records_failed, message"
        " FROM integration_ops.classify_sync_response(%s, %s, %s)",
        (case.get("status"), case.get("body"), case.get("transport")),
    ).fetchone()
    assert row is not None
    outcome, error_code, processed, failed, message = row
    assert (outcome, error_code) == (case["outcome"], case["error_code"])
    assert (processed, failed) == (case["records_processed"], case["records_failed"])
    assert (message is None) == (outcome == "completed")


@pytest.mark.usefixtures("cron_paused")
def test_reconciler_finishes_every_response_on_its_own(
    admin_conn: psycopg.Connection[Any],
) -> None:
    """One pg_net run per case, all reconciled in one call: each ends as its case says.
    On 0.1 the `5.0` body raised inside the loop and left every other run running."""
    org = uuid.uuid4()
    with admin_conn.transaction(force_rollback=True):  # the stand-in schema included
        created = admin_conn.execute("SELECT tests.install_pg_net_standin()").fetchone()
        if created != (True,):
            pytest.skip("the real pg_net is installed: responses cannot be inserted by hand")
        runs: dict[str, uuid.UUID] = {}
        for n, case in enumerate(CASES, start=1):
            run_id = uuid.uuid4()
            runs[case["name"]] = run_id
            admin_conn.execute(
                """INSERT INTO public.sync_run_log
                     (id, org_id, integration_type, status, triggered_by, worker_id,
                      net_request_id, heartbeat_at)
                   VALUES (%s, %s, 'xledger', 'running', 'manual', 'pg_net', %s, now())""",
                (run_id, uuid.UUID(int=org.int + n), 10_000 + n),
            )
            admin_conn.execute(
                """INSERT INTO net._http_response
                     (id, status_code, content, timed_out, error_msg)
                   VALUES (%s, %s, %s, %s, %s)""",
                (
                    10_000 + n,
                    case.get("status"),
                    case.get("body"),
                    case.get("transport") == "timeout",
                    "could not connect" if case.get("transport") == "connection_error" else None,
                ),
            )
        # One call finishes at most 50 (pump_pg_net_runs commits between calls): call it
        # until it finds nothing, as the job does.
        done, calls = 0, 0
        while True:
            row = admin_conn.execute(
                "SELECT integration_ops.reconcile_pg_net_responses()"
            ).fetchone()
            assert row is not None
            calls += 1
            if row[0] == 0:
                break
            assert row[0] <= 50
            done += row[0]
        assert done == len(CASES)
        assert calls == -(-len(CASES) // 50) + 1
        for case in CASES:
            row = admin_conn.execute(
                "SELECT status, error_code, records_processed, records_failed"
                " FROM public.sync_run_log WHERE id = %s",
                (runs[case["name"]],),
            ).fetchone()
            expected_counts = (
                (case["records_processed"], case["records_failed"])
                if case["outcome"] == "completed"
                else (0, 0)
            )
            assert row == (case["outcome"], case["error_code"], *expected_counts), case["name"]
