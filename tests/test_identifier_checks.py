"""Rows that predate the identifier checks (issue 21, DESIGN §13).

The checks on worker_id, error_code and claimed_by are added NOT VALID, but Postgres tests
a check on every write of a row, old rows included: an old row holding a value the check
refuses could never be updated again (the reaper could not end its run). Deploying the
checks therefore clears such values in the live tables first; the archive, whose rows are
never updated, is left as it was. Reverting drops the checks and leaves the values cleared.
The checks themselves, and the RPCs: tests/pgtap/test_identifiers.sql.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import psycopg
import pytest

from orchestrator.tooling import localdb
from orchestrator.tooling.sqitch import run_sqitch

from .conftest import own_cluster_fixture

# Sqitch over much of the plan: started early (tests/conftest.py)
# and pg_cron paused: its reaper would fail the test's old running run meanwhile
pytestmark = [pytest.mark.deploys, pytest.mark.usefixtures("cron_paused")]

# it reverts part of the plan: a cluster of its own (tests/conftest.py)
cluster = own_cluster_fixture()

FIRST_CHECK = "table_sync_run_log_identifier_checks"
CHECKS = {
    "public.sync_run_log": ["sync_run_log_error_code_format", "sync_run_log_worker_id_format"],
    "integration_ops.sync_run_log_archive": [
        "sync_run_log_archive_error_code_format",
        "sync_run_log_archive_worker_id_format",
    ],
    "public.integration_health_status": ["integration_health_status_claimed_by_format"],
    "integration_ops.integration_warmups": ["integration_warmups_claimed_by_format"],
}
ORG = UUID("1dc0ffee-0000-0000-0000-000000000021")
BAD = "host-1 password=hunter2"
RUNNING = UUID("1dc0ffee-0000-0000-0000-0000000000a1")
FAILED = UUID("1dc0ffee-0000-0000-0000-0000000000a2")
ARCHIVED = UUID("1dc0ffee-0000-0000-0000-0000000000a3")


def sqitch_ok(cluster: localdb.LocalCluster, *args: str) -> None:
    result = run_sqitch(args[0], cluster.sqitch_target(), list(args[1:]), capture=True)
    assert result.returncode == 0, f"sqitch {' '.join(args)}:\n{result.stdout}\n{result.stderr}"


def checks(conn: psycopg.Connection[Any]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for table, names in CHECKS.items():
        rows = conn.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND conname = ANY(%s)"
            " ORDER BY 1",
            (table, names),
        ).fetchall()
        found[table] = [r[0] for r in rows]
    return found


RUN_CODES = "SELECT worker_id, error_code FROM public.sync_run_log WHERE id = %s"


def stored(conn: psycopg.Connection[Any]) -> dict[str, Any]:
    def one(sql: str, *params: Any) -> Any:
        row = conn.execute(sql, params).fetchone()
        assert row is not None, sql
        return row[0] if len(row) == 1 else tuple(row)

    return {
        "running": one(RUN_CODES, RUNNING),
        "failed": one(RUN_CODES, FAILED),
        "archived": one(
            "SELECT worker_id, error_code FROM integration_ops.sync_run_log_archive WHERE id = %s",
            ARCHIVED,
        ),
        "health": one(
            "SELECT claimed_by FROM public.integration_health_status"
            " WHERE org_id = %s AND integration_type = 'xledger'",
            ORG,
        ),
        "warmup": one(
            "SELECT claimed_by FROM integration_ops.integration_warmups"
            " WHERE org_id = %s AND integration_type = 'xledger'",
            ORG,
        ),
    }


def add_old_rows(conn: psycopg.Connection[Any]) -> None:
    """Rows as 0.2 could store them (no check yet)."""
    conn.execute(
        """INSERT INTO public.organization_integrations (org_id, integration_type, endpoint_url)
           VALUES (%(o)s, 'xledger', 'https://x.example/sync'),
                  (%(o)s, 'bufdir', 'https://b.example/sync')""",
        {"o": ORG},
    )
    conn.execute(
        """INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by)
           VALUES (%(r)s, %(o)s, 'xledger', 'pending', 'scheduler')""",
        {"r": RUNNING, "o": ORG},
    )
    conn.execute(
        """UPDATE public.sync_run_log
              SET status = 'running', worker_id = %(bad)s, heartbeat_at = now() - interval '2 hours'
            WHERE id = %(r)s""",
        {"r": RUNNING, "bad": BAD},
    )
    conn.execute(
        """INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by,
                                            ended_at, worker_id, error_code)
           VALUES (%(f)s, %(o)s, 'bufdir', 'failed', 'manual', now(), 'w-ok',
                   'HTTP 500 ' || %(bad)s)""",
        {"f": FAILED, "o": ORG, "bad": BAD},
    )
    conn.execute(
        """INSERT INTO integration_ops.sync_run_log_archive
             (id, org_id, integration_type, status, triggered_by, created_at, started_at,
              records_processed, records_failed, worker_id, error_code)
           VALUES (%(a)s, %(o)s, 'xledger', 'failed', 'manual', now(), now(), 0, 0, %(bad)s,
                   'Timeout')""",
        {"a": ARCHIVED, "o": ORG, "bad": BAD},
    )
    conn.execute(
        """UPDATE public.integration_health_status SET claimed_by = %(bad)s
            WHERE org_id = %(o)s AND integration_type = 'xledger'""",
        {"o": ORG, "bad": BAD},
    )
    conn.execute(
        """INSERT INTO integration_ops.integration_warmups (org_id, integration_type, claimed_by)
           VALUES (%(o)s, 'xledger', %(bad)s)""",
        {"o": ORG, "bad": BAD},
    )


def test_old_rows_are_cleared_so_the_checks_never_block_them(cluster: localdb.LocalCluster) -> None:
    with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER), autocommit=True) as conn:
        sqitch_ok(cluster, "revert", "-y", "--to", f"{FIRST_CHECK}^")
        assert checks(conn) == {table: [] for table in CHECKS}
        add_old_rows(conn)

        # Why the deploy clears them: a NOT VALID check still tests the old row's next write.
        with conn.transaction(force_rollback=True):
            conn.execute(
                "ALTER TABLE public.sync_run_log ADD CONSTRAINT probe_worker_id CHECK"
                " (worker_id IS NULL OR integration_ops.is_worker_id(worker_id)) NOT VALID"
            )
            with pytest.raises(psycopg.errors.CheckViolation), conn.transaction():
                conn.execute(
                    "UPDATE public.sync_run_log SET heartbeat_at = now() WHERE id = %s",
                    (RUNNING,),
                )

        sqitch_ok(cluster, "deploy", "--verify")
        assert checks(conn) == {table: sorted(names) for table, names in CHECKS.items()}
        assert stored(conn) == {
            "running": (None, None),
            "failed": ("w-ok", None),
            "archived": (BAD, "Timeout"),  # never updated, not scanned
            "health": None,
            "warmup": None,
        }
        # The run of the vanished worker can be ended (as the reaper does).
        conn.execute(
            """UPDATE public.sync_run_log
                  SET status = 'failed', ended_at = now(), error_code = 'worker_lost'
                WHERE id = %s""",
            (RUNNING,),
        )

        sqitch_ok(cluster, "revert", "-y", "--to", f"{FIRST_CHECK}^")
        assert checks(conn) == {table: [] for table in CHECKS}
        assert stored(conn)["health"] is None, "reverting leaves cleared values cleared"
        sqitch_ok(cluster, "deploy", "--verify")
        assert checks(conn) == {table: sorted(names) for table, names in CHECKS.items()}
