"""The cold-start changes on top of the 0.2 engine (issue 18): reverting
`function_archive_sync_run_log_cold_start` gives back exactly the 0.2 definition of
`integration_ops.archive_sync_run_log()` (deploy/function_archive_sync_run_log@v0.2.0.sql: one
batch per call, upsert then delete), body, privileges and comment; deploying it again
carries `cold_start` into the archive.

On a database at @v0.2.0, where the released change is the newest instance: 0.3 reworked
it (issue 25), and reverting 0.3 back to @v0.2.0 is tests/test_upgrade_from_0_2.py (whose
catalog must then be a fresh 0.2's).
"""

from __future__ import annotations

from typing import Any

import psycopg

from orchestrator.tooling import localdb
from orchestrator.tooling.sqitch import PROJECT_ROOT, run_sqitch

from .conftest import own_cluster_fixture

# it reverts part of the plan: a cluster of its own at 0.2 (tests/conftest.py)
RELEASE = "@v0.2.0"
cluster = own_cluster_fixture(RELEASE)

ARCHIVE = "integration_ops.archive_sync_run_log()"
COLD_CHANGE = "function_archive_sync_run_log_cold_start"


def sqitch_ok(cluster: localdb.LocalCluster, *args: str) -> None:
    result = run_sqitch(args[0], cluster.sqitch_target(), list(args[1:]), capture=True)
    assert result.returncode == 0, f"sqitch {' '.join(args)}:\n{result.stdout}\n{result.stderr}"


def archive_definition(conn: psycopg.Connection[Any]) -> tuple[Any, ...]:
    row = conn.execute(
        """SELECT pg_get_functiondef(p.oid), obj_description(p.oid, 'pg_proc'),
                  array(SELECT a.grantee::regrole::text || ':' || a.privilege_type
                          FROM aclexplode(p.proacl) AS a ORDER BY 1)
             FROM pg_proc AS p WHERE p.oid = %s::regprocedure""",
        (ARCHIVE,),
    ).fetchone()
    assert row is not None
    return tuple(row)


def main_0_2_definition(conn: psycopg.Connection[Any]) -> tuple[Any, ...]:
    """What deploy/function_archive_sync_run_log@v0.2.0.sql (the 0.2 instance) defines,
    read inside a transaction that is rolled back (its BEGIN/COMMIT lines left out)."""
    script = (PROJECT_ROOT / "deploy" / "function_archive_sync_run_log@v0.2.0.sql").read_text()
    body = "\n".join(
        line for line in script.splitlines() if line.strip() not in ("BEGIN;", "COMMIT;")
    )
    with conn.transaction(force_rollback=True):
        conn.execute(body)
        return archive_definition(conn)


def test_reverting_the_cold_start_archive_restores_the_0_2_definition(
    cluster: localdb.LocalCluster,
) -> None:
    with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER), autocommit=True) as conn:
        deployed = archive_definition(conn)
        assert "b.cold_start" in deployed[0]
        # the released instance's parent
        sqitch_ok(cluster, "revert", "-y", "--to", f"{COLD_CHANGE}{RELEASE}^")
        reverted = archive_definition(conn)
        assert "cold_start" not in reverted[0]
        assert reverted == main_0_2_definition(conn)
        sqitch_ok(cluster, "deploy", "--to", RELEASE)
        assert archive_definition(conn) == deployed
