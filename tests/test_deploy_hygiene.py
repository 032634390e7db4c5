"""A deploy that leaves the adopter's database alone (issue 14, DESIGN §12).

- The deploy changes no default privileges: a function the adopter creates afterwards,
  in any schema, keeps PUBLIC EXECUTE; reverting the 0.2 rework restores exactly the 0.1
  state and leaves the adopter's own default privileges as they were.
- Verify scripts raise whatever the settings: with `plpgsql.check_asserts = off` a
  dropped object or an extra grant still fails verification.
- Changes after @v0.1.0 take their locks politely (lock_timeout) and pass squawk.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from orchestrator.tooling import localdb
from orchestrator.tooling.plan import plan_steps
from orchestrator.tooling.sqitch import PROJECT_ROOT, run_sqitch, sqitch_env

from .conftest import own_cluster_fixture

# Sqitch over much of the plan: started early (tests/conftest.py)
pytestmark = pytest.mark.deploys

# Its verify tests break objects (and repair them): a cluster of its own.
cluster = own_cluster_fixture()

RELEASE_TAG = "@v0.1.0"
ASSERTS_OFF = "-c plpgsql.check_asserts=off -c client_min_messages=warning"

# Verify scripts other helpers rewrite with their reworks of 0.2 (issue 14 assigns them
# there); the lead empties this list as those land.
VERIFY_REWRITTEN_ELSEWHERE: frozenset[str] = frozenset()  # every verify script is ASSERT-free now


def changes_after_release() -> list[str]:
    """Change names planned after the 0.1 tag (their latest scripts)."""
    names: list[str] = []
    seen_tag = False
    for raw in (PROJECT_ROOT / "sqitch.plan").read_text().splitlines():
        line = raw.strip()
        if line.startswith(RELEASE_TAG + " "):
            seen_tag = True
        elif seen_tag and line and line[0] not in "%#@":
            name = line.split()[0]
            if name not in names:
                names.append(name)
    return names


def sqitch_ok(cluster: localdb.LocalCluster, *args: str) -> None:
    result = run_sqitch(args[0], cluster.sqitch_target(), list(args[1:]), capture=True)
    assert result.returncode == 0, f"sqitch {' '.join(args)}:\n{result.stdout}\n{result.stderr}"


def default_acl(conn: psycopg.Connection[Any]) -> set[tuple[str, str, str, str]]:
    rows = conn.execute(
        """SELECT d.defaclrole::regrole::text, coalesce(d.defaclnamespace::regnamespace::text, '-'),
                  d.defaclobjtype::text, d.defaclacl::text
             FROM pg_default_acl d"""
    ).fetchall()
    return {(r[0], r[1], r[2], r[3]) for r in rows}


def public_can_execute(conn: psycopg.Connection[Any], signature: str) -> bool:
    row = conn.execute(
        """SELECT EXISTS (SELECT FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
                           WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE')
             FROM pg_proc p WHERE p.oid = %s::regprocedure""",
        (signature,),
    ).fetchone()
    assert row is not None
    return bool(row[0])


@pytest.fixture()
def adopter_cluster() -> Iterator[tuple[localdb.LocalCluster, psycopg.Connection[Any]]]:
    """An adopter's database before the package: a fresh cluster (the Supabase
    compatibility script only) with the adopter's own schema and default privileges."""
    with (
        localdb.temporary_cluster() as cluster,
        psycopg.connect(cluster.dsn(user=localdb.SUPERUSER), autocommit=True) as conn,
    ):
        conn.execute("CREATE SCHEMA adopter_app AUTHORIZATION postgres")
        conn.execute("CREATE ROLE adopter_reporting NOLOGIN")
        conn.execute(
            "ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA adopter_app"
            " GRANT EXECUTE ON FUNCTIONS TO adopter_reporting"
        )
        conn.execute(
            "ALTER DEFAULT PRIVILEGES FOR ROLE postgres GRANT SELECT ON TABLES TO adopter_reporting"
        )
        yield cluster, conn


def test_deploy_leaves_default_privileges_alone(
    adopter_cluster: tuple[localdb.LocalCluster, psycopg.Connection[Any]],
) -> None:
    cluster, conn = adopter_cluster
    before = default_acl(conn)
    sqitch_ok(cluster, "deploy", "--no-verify")  # verify scripts cannot touch default ACLs
    assert default_acl(conn) == before, "the deploy changed default privileges"

    # A function the adopter's postgres creates afterwards, outside the package's schemas.
    with psycopg.connect(cluster.dsn()) as pg:  # the deploying role, postgres
        pg.execute("CREATE FUNCTION adopter_app.f() RETURNS int LANGUAGE sql AS 'SELECT 1'")
        assert public_can_execute(pg, "adopter_app.f()"), "adopter's function lost PUBLIC EXECUTE"
        pg.rollback()

    # Reverting the rework gives back exactly the 0.1 state: the 0.1 database-wide revoke
    # for postgres, the adopter's own entries untouched.
    scripts = [stem for _, stem in plan_steps()]
    before_rework = scripts[scripts.index("privileges_revoke_function_execute") - 1]
    sqitch_ok(
        cluster,
        "revert",
        "-y",
        "--to",
        before_rework if "@" in before_rework else before_rework + "@HEAD",
    )
    after_revert = default_acl(conn)
    assert {r for r in after_revert if r[2] != "f" or r[1] != "-"} == {
        r for r in before if r[2] != "f" or r[1] != "-"
    }, "the adopter's own default privileges changed"
    assert ("postgres", "-", "f", "{postgres=X/postgres}") in after_revert
    with psycopg.connect(cluster.dsn()) as pg:
        pg.execute("CREATE FUNCTION adopter_app.g() RETURNS int LANGUAGE sql AS 'SELECT 1'")
        assert not public_can_execute(pg, "adopter_app.g()"), "not the 0.1 state after revert"
        pg.rollback()


# --- verify scripts raise without ASSERT ------------------------------------------------


def psql_verify(cluster: localdb.LocalCluster, change: str) -> subprocess.CompletedProcess[str]:
    env = sqitch_env()
    env["PGOPTIONS"] = ASSERTS_OFF
    return subprocess.run(
        [
            "psql",
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            cluster.uri(),
            "-f",
            f"verify/{change}.sql",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def psql_run(cluster: localdb.LocalCluster, sql: str) -> None:
    """Run SQL as the deploying role (postgres), the owner of the package's objects."""
    with psycopg.connect(cluster.dsn(), autocommit=True) as conn:
        conn.execute(sql.encode())


# (change, how to break it, how to repair it)
BREAKAGES = [
    ("function_error_excerpt", "DROP FUNCTION integration_ops.error_excerpt(text)", "deploy"),
    ("function_jwt_claims", "DROP FUNCTION integration_ops.jwt_claims()", "deploy"),
    ("function_jwt_sub", "ALTER FUNCTION integration_ops.jwt_sub() SET search_path = ''", "deploy"),
    (
        "privileges_revoke_table_trigger",
        "GRANT TRIGGER ON public.sync_run_log TO service_role",
        "REVOKE TRIGGER ON public.sync_run_log FROM service_role",
    ),
    (
        "table_org_members",
        "GRANT SELECT ON integration_ops.org_members TO authenticated",
        "REVOKE SELECT ON integration_ops.org_members FROM authenticated",
    ),
    (
        "function_get_run_history",
        "GRANT EXECUTE ON FUNCTION public.get_run_history(uuid, text, integer) TO anon",
        "REVOKE EXECUTE ON FUNCTION public.get_run_history(uuid, text, integer) FROM anon",
    ),
    (
        "schema_integration_ops",
        "GRANT USAGE ON SCHEMA integration_ops TO anon",
        "REVOKE USAGE ON SCHEMA integration_ops FROM anon",
    ),
    # issue 25: an object's own change, and the container that created it until 0.2
    ("index_sync_run_log_manual", "DROP INDEX public.sync_run_log_manual_idx", "deploy"),
    (
        "trigger_organization_integrations_touch",
        "DROP TRIGGER organization_integrations_touch ON public.organization_integrations",
        "deploy",
    ),
    (
        "table_sync_run_log",
        "DROP INDEX public.sync_run_log_ended_idx",
        "deploy:index_sync_run_log_ended",
    ),
    (
        "function_claim_helpers",
        "ALTER FUNCTION integration_ops.jwt_org_id() SET search_path = ''",
        "deploy:function_jwt_org_id",
    ),
    (
        "privileges_revoke_sequences",
        "GRANT UPDATE ON SEQUENCE public.integration_health_status_id_seq TO anon",
        "REVOKE UPDATE ON SEQUENCE public.integration_health_status_id_seq FROM anon",
    ),
]


@pytest.mark.parametrize(("change", "breakage", "repair"), BREAKAGES, ids=[b[0] for b in BREAKAGES])
def test_verify_fails_with_asserts_off(
    cluster: localdb.LocalCluster, change: str, breakage: str, repair: str
) -> None:
    assert psql_verify(cluster, change).returncode == 0, "verifies before the breakage"
    psql_run(cluster, breakage)
    try:
        result = psql_verify(cluster, change)
        assert result.returncode != 0, (
            f"verify/{change}.sql passed with asserts off after: {breakage}"
        )
    finally:
        if repair == "deploy" or repair.startswith("deploy:"):
            redeploy = repair.partition(":")[2] or change
            psql_run(cluster, (PROJECT_ROOT / "deploy" / f"{redeploy}.sql").read_text())
        else:
            psql_run(cluster, repair)
    assert psql_verify(cluster, change).returncode == 0


def test_sqitch_verify_fails_with_asserts_off(cluster: localdb.LocalCluster) -> None:
    """The real tool, as a DBA runs it: one extra grant is one failed change (verified on
    its own: the other changes' scripts are the parametrized test above and every deploy)."""
    only_integration_types = ["--from", "table_integration_types"]
    only_integration_types += ["--to", "table_integration_types"]
    psql_run(cluster, "GRANT INSERT ON public.integration_types TO authenticated")
    try:
        exe = shutil.which("sqitch")
        assert exe is not None
        result = subprocess.run(
            [exe, "verify", "--target", cluster.sqitch_target(), *only_integration_types],
            cwd=PROJECT_ROOT,
            env={**sqitch_env(), "PGOPTIONS": ASSERTS_OFF},
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode != 0
        assert 'Verify script "verify/table_integration_types.sql" failed' in result.stdout, (
            result.stdout
        )
    finally:
        psql_run(cluster, "REVOKE INSERT ON public.integration_types FROM authenticated")


def test_no_verify_script_relies_on_assert() -> None:
    offenders = [
        path.name
        for path in sorted((PROJECT_ROOT / "verify").glob("*.sql"))
        if path.stem.split("@")[0] not in VERIFY_REWRITTEN_ELSEWHERE
        and re.search(r"^\s*ASSERT\b", path.read_text(), re.MULTILINE)
    ]
    assert offenders == []


# --- polite locks, squawk ------------------------------------------------------------------


def test_scripts_after_the_release_set_a_lock_timeout() -> None:
    missing = []
    for change in changes_after_release():
        for kind in ("deploy", "revert"):
            text = (PROJECT_ROOT / kind / f"{change}.sql").read_text()
            body = [
                ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("--")
            ]
            if body[:2] != ["BEGIN;", "SET LOCAL lock_timeout = '5s';"]:
                missing.append(f"{kind}/{change}.sql")
    assert missing == []


SQUAWK_ARGS = ["--pg-version=15.0", "--exclude=require-statement-timeout,prefer-bigint-over-int"]


def squawk(*paths: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("squawk") or str(Path(sys.executable).parent / "squawk")
    return subprocess.run(
        [exe, *SQUAWK_ARGS, *paths], cwd=PROJECT_ROOT, capture_output=True, text=True, check=False
    )


def test_squawk_passes_the_changes_after_the_release() -> None:
    result = squawk(*(f"deploy/{c}.sql" for c in changes_after_release()))
    assert result.returncode == 0, result.stdout + result.stderr


def test_squawk_flags_an_impolite_script(tmp_path: Path) -> None:
    script = tmp_path / "impolite.sql"
    script.write_text(
        "BEGIN;\nALTER TABLE public.sync_run_log ADD COLUMN note text;\n"
        "CREATE INDEX sync_run_log_note_idx ON public.sync_run_log (note);\nCOMMIT;\n"
    )
    result = squawk(str(script))
    assert result.returncode != 0
    assert "require-lock-timeout" in result.stdout


def test_requires_headers_match_the_plan() -> None:
    """A deploy script's `-- requires:` line, where it has one, names exactly the plan's
    dependencies of its change (issue 25: headers that cannot lie). The released scripts'
    headers were corrected in 0.3: a comment, not SQL (tests/test_frozen_releases.py)."""
    plan_lines = [
        line
        for line in (PROJECT_ROOT / "sqitch.plan").read_text().splitlines()
        if line.strip() and line[0] not in "%#@"
    ]
    steps = plan_steps(PROJECT_ROOT / "sqitch.plan")
    assert len(plan_lines) == len(steps)
    wrong = []
    for line, (change, stem) in zip(plan_lines, steps, strict=True):
        match = re.match(r"(\S+)(?: \[([^\]]*)\])?", line)
        assert match is not None and match.group(1) == change
        planned = sorted((match.group(2) or "").split())
        headers = re.findall(
            r"^-- requires:(.*)$", (PROJECT_ROOT / "deploy" / f"{stem}.sql").read_text(), re.M
        )
        named = sorted(name for header in headers for name in header.split())
        if len(headers) > 1 or (headers and named != planned):
            wrong.append(f"deploy/{stem}.sql: header {named}, plan {planned}")
    assert not wrong, "\n".join(wrong)
