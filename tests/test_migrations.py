"""The whole plan deploys, verifies, reverts to nothing and re-deploys; every deploy
script is re-runnable on its own. Runs against the non-superuser `postgres` deploy."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import psycopg
import pytest

from orchestrator.tooling import localdb
from orchestrator.tooling.bundle import _code, plan_changes, top_level_statements
from orchestrator.tooling.sqitch import PROJECT_ROOT, run_sqitch

from .conftest import own_cluster_fixture
from .plan_scripts import psql_file, psql_files, reverts, script_stems

# Sqitch over much of the plan: started early (tests/conftest.py)
pytestmark = pytest.mark.deploys

# It reverts the whole plan: a cluster of its own (a copy of the run's deployed HEAD).
cluster = own_cluster_fixture()

PACKAGE_SCHEMAS = ("public", "integration_ops")


def package_relations(conn: psycopg.Connection[Any]) -> list[str]:
    rows = conn.execute(
        """SELECT n.nspname || '.' || c.relname
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ANY(%s)""",
        (list(PACKAGE_SCHEMAS),),
    ).fetchall()
    return sorted(r[0] for r in rows)


def package_functions(conn: psycopg.Connection[Any]) -> list[str]:
    rows = conn.execute(
        """SELECT p.oid::regprocedure::text FROM pg_proc p
             JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = ANY(%s)""",
        (list(PACKAGE_SCHEMAS),),
    ).fetchall()
    return sorted(r[0] for r in rows)


def cron_jobs(conn: psycopg.Connection[Any]) -> list[str]:
    rows = conn.execute("SELECT jobname FROM cron.job WHERE jobname LIKE 'integration_%'")
    return sorted(r[0] for r in rows.fetchall())


def sqitch(cmd: str, cluster: localdb.LocalCluster, *extra: str) -> str:
    result = run_sqitch(cmd, cluster.sqitch_target(), list(extra), capture=True)
    assert result.returncode == 0, f"sqitch {cmd} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_plan_round_trip_and_every_deploy_script_twice(
    cluster: localdb.LocalCluster, tmp_path: Path
) -> None:
    """The whole plan reverts to nothing with Sqitch. Then, seed 001
    (migrations are idempotent): every deploy script runs twice in a row, in plan order,
    with its verify script after (so each verify script runs against the state its change
    leaves, as `sqitch deploy --verify` runs it); the revert scripts undo them all in
    reverse order. Sqitch deploys the plan again (once: a second deploy has nothing to do)
    and verifies it: the package's relations, functions and cron jobs are those it started
    with."""
    steps = script_stems()
    by_hand = [
        PROJECT_ROOT / kind / f"{stem}.sql"
        for stem in steps
        for kind in ("deploy", "deploy", "verify")
    ] + reverts(steps)
    with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER), autocommit=True) as conn:
        deployed = (package_relations(conn), package_functions(conn), cron_jobs(conn))
        assert all(deployed), "the plan is deployed to begin with"
        sqitch("revert", cluster, "-y")
        assert (package_relations(conn), package_functions(conn), cron_jobs(conn)) == ([], [], [])
        assert conn.execute("SELECT to_regnamespace('integration_ops')").fetchone() == (None,)

        psql_files(cluster, by_hand, tmp_path / "by_hand.sql")
        assert (package_relations(conn), package_functions(conn), cron_jobs(conn)) == (
            [],
            [],
            [],
        ), "the revert scripts, run by hand, leave nothing"

        # each verify script ran after its change above; here the whole plan, once deployed
        sqitch("deploy", cluster, "--no-verify")
        again = sqitch("deploy", cluster)
        assert "Nothing to deploy" in again
        sqitch("verify", cluster)
        assert (package_relations(conn), package_functions(conn), cron_jobs(conn)) == deployed


def reverts_something(change: str) -> bool:
    """Whether the change's revert script does more than BEGIN, SET LOCAL, COMMIT. Some
    revert nothing on purpose (issue 25): a rework that only handed objects to the changes
    named after them, a change that only took over the definition of an object its
    container's released script created."""
    script = (PROJECT_ROOT / "revert" / f"{change}.sql").read_text()
    return any(
        not re.fullmatch(r"(BEGIN|COMMIT|SET LOCAL \w+ = '[^']*')\s*;?", _code(script[a:b]))
        for a, b in top_level_statements(script)
        if _code(script[a:b])
    )


def test_verify_scripts_raise_on_failure(cluster: localdb.LocalCluster) -> None:
    """A verify script must fail when its object is missing: revert by hand (outside
    Sqitch) the newest change whose revert does something, check that `sqitch verify` now
    reports failure, and deploy the change's script again by hand."""
    last = next(c for c in reversed(plan_changes()) if reverts_something(c))
    psql_file(cluster, PROJECT_ROOT / "revert" / f"{last}.sql")
    # from that change on: the changes before it are verified by the round trip
    from_last = ["--from", f"{last}@HEAD"]  # its newest instance, if it was reworked
    try:
        result = run_sqitch("verify", cluster.sqitch_target(), from_last, capture=True)
        assert result.returncode != 0
        assert last in result.stdout + result.stderr
    finally:
        psql_file(cluster, PROJECT_ROOT / "deploy" / f"{last}.sql")  # deploys are re-runnable
    sqitch("verify", cluster, *from_last)
