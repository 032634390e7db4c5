"""`orchestrator db …` as an operator runs it, against a cluster of its own.

The deploy keeps the deployer's name, refuses a database without pg_cron before Sqitch
touches it, `revert` without a terminal needs -y, and the password never reaches
sqitch's argv. A separate cluster: these tests revert, and a broken refusal would
otherwise revert the session's database under every other test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from orchestrator.tooling import localdb
from orchestrator.tooling.bundle import plan_changes
from orchestrator.tooling.sqitch import (
    PG_LIB_ROOT,
    PROJECT_ROOT,
    Target,
    client_folder,
    run_sqitch,
    split_target,
    target_from_dsn,
)

# Sqitch over much of the plan: started early (tests/conftest.py)
pytestmark = pytest.mark.deploys

DEPLOYER = ("Ada Deployer", "ada@example.org")


def orchestrator(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """The CLI in a child process with no terminal on stdin (as in CI or a pipeline)."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SQITCH_") and k not in ("ORCHESTRATOR_DSN", "ORCHESTRATOR_PROJECT_DIR")
    }
    return subprocess.run(
        [sys.executable, "-m", "orchestrator", *args],
        cwd=cwd or PROJECT_ROOT,
        env=base | (env or {}),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def user_config(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A deployer who set their name in Sqitch's user configuration (not the environment)."""
    conf = tmp_path_factory.mktemp("sqitch-user") / "sqitch.conf"
    conf.write_text(f"[user]\n\tname = {DEPLOYER[0]}\n\temail = {DEPLOYER[1]}\n")
    return {"SQITCH_USER_CONFIG": str(conf)}


# Deployed up to the first release, through the CLI with the deployer's configuration: what
# is tested here (the registry's names, the refusals, revert) needs no more, and it is a
# fifth of the plan's Sqitch work. The installed CLI deploys the whole plan in
# tests/test_wheel.py, the first-sync page in tests/test_first_sync.py.
DEPLOYED_TO = "@v0.1.0"


@pytest.fixture(scope="module")
def deployed(user_config: dict[str, str]) -> Iterator[localdb.LocalCluster]:
    with localdb.temporary_cluster() as cluster:
        out = orchestrator(
            "--dsn", cluster.uri(), "db", "deploy", "--to", DEPLOYED_TO, env=user_config
        )
        assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
        yield cluster


def query(cluster: localdb.LocalCluster, sql: str, dbname: str = "postgres") -> list[Any]:
    with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER, dbname=dbname)) as conn:
        return conn.execute(sql.encode()).fetchall()


def deployed_changes(cluster: localdb.LocalCluster) -> list[str]:
    rows = query(cluster, "SELECT change FROM sqitch.changes ORDER BY committed_at, change")
    return [r[0] for r in rows]


def test_the_registry_keeps_the_deployers_name_from_their_sqitch_config(
    deployed: localdb.LocalCluster,
) -> None:
    names = query(
        deployed,
        "SELECT committer_name, committer_email FROM sqitch.events WHERE event = 'deploy' "
        "UNION SELECT committer_name, committer_email FROM sqitch.changes",
    )
    assert names == [DEPLOYER]


def test_revert_without_a_terminal_and_without_yes_is_refused(
    deployed: localdb.LocalCluster,
) -> None:
    before = deployed_changes(deployed)
    assert len(before) == len(plan_lines(DEPLOYED_TO))  # every change up to the release
    for extra in ([], ["--to", "@HEAD^"]):
        out = orchestrator("--dsn", deployed.uri(), "db", "revert", *extra)
        assert out.returncode != 0
        assert "-y" in out.stderr and "terminal" in out.stderr
    assert deployed_changes(deployed) == before
    assert query(deployed, "SELECT to_regnamespace('integration_ops') IS NOT NULL") == [(True,)]


def test_revert_with_yes_proceeds_and_records_who_reverted(
    deployed: localdb.LocalCluster, user_config: dict[str, str]
) -> None:
    """-y reverts; SQITCH_FULLNAME/SQITCH_EMAIL in the environment name the operator."""
    last = plan_lines(DEPLOYED_TO)[-1].split()[0]
    env = user_config | {"SQITCH_FULLNAME": "Grace Ops", "SQITCH_EMAIL": "grace@example.org"}
    before = deployed_changes(deployed)
    try:
        out = orchestrator("--dsn", deployed.uri(), "db", "revert", "-y", "--to", "@HEAD^", env=env)
        assert out.returncode == 0, out.stderr
        # The newest change is gone (a reworked change keeps its earlier version).
        assert Counter(before) - Counter(deployed_changes(deployed)) == Counter([last])
        assert query(
            deployed,
            "SELECT committer_name, committer_email FROM sqitch.events "
            f"WHERE event = 'revert' AND change = '{last}'",
        ) == [("Grace Ops", "grace@example.org")]
    finally:
        out = orchestrator(
            "--dsn", deployed.uri(), "db", "deploy", "--to", DEPLOYED_TO, env=user_config
        )
        assert out.returncode == 0, out.stderr
    assert deployed_changes(deployed) == before


def plan_lines(to_tag: str) -> list[str]:
    """The plan's change lines up to the tag (a reworked change has one per version)."""
    lines: list[str] = []
    for line in (PROJECT_ROOT / "sqitch.plan").read_text().splitlines():
        if line.startswith(f"{to_tag} "):
            return lines
        if line.strip() and line[0] not in "%#@":
            lines.append(line)
    raise AssertionError(f"{to_tag} is not in sqitch.plan")


def test_deploy_refuses_a_database_without_pg_cron_before_sqitch_touches_it(
    deployed: localdb.LocalCluster,
) -> None:
    """pg_cron lives only in cron.database_name; a second database is otherwise prepared
    like Supabase, so without the check Sqitch would deploy up to the first cron job."""
    with psycopg.connect(deployed.dsn(user=localdb.SUPERUSER), autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS no_cron")
        conn.execute("CREATE DATABASE no_cron OWNER postgres")
    with psycopg.connect(
        deployed.dsn(user=localdb.SUPERUSER, dbname="no_cron"), autocommit=True
    ) as conn:
        conn.execute((PROJECT_ROOT / "sql" / "supabase_compat.sql").read_text().encode())
    out = orchestrator("--dsn", deployed.uri(dbname="no_cron"), "db", "deploy")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "pg_cron is not installed" in out.stderr
    assert "Database → Extensions" in out.stderr
    assert "create extension pg_cron" in out.stderr
    assert "nothing was deployed" in out.stderr
    assert query(
        deployed,
        "SELECT to_regnamespace('sqitch'), to_regnamespace('integration_ops'), "
        "to_regclass('public.sync_run_log')",
        dbname="no_cron",
    ) == [(None, None, None)]


def test_the_password_reaches_sqitch_through_the_environment(
    deployed: localdb.LocalCluster, tmp_path: Path
) -> None:
    """A login that must give its password (scram): `db status` works with the password
    only in --dsn, so it reached psql and DBD::Pg; a wrong one fails."""
    hba = Path(query(deployed, "SHOW hba_file")[0][0])
    with psycopg.connect(deployed.dsn(user=localdb.SUPERUSER), autocommit=True) as conn:
        conn.execute("DROP ROLE IF EXISTS pw_deployer")
        conn.execute("CREATE ROLE pw_deployer LOGIN PASSWORD 'pa:ss@w/rd' IN ROLE postgres")
        hba.write_text("host all pw_deployer 127.0.0.1/32 scram-sha-256\n" + hba.read_text())
        conn.execute("SELECT pg_reload_conf()")
    good = f"postgresql://pw_deployer:pa%3Ass%40w%2Frd@127.0.0.1:{deployed.port}/postgres"
    bad = good.replace("pa%3Ass", "wrong")
    out = orchestrator("--dsn", good, "db", "status")
    assert out.returncode == 0, out.stderr
    assert "Undeployed change" in out.stdout, out.stdout  # it read the registry
    assert orchestrator("--dsn", bad, "db", "status").returncode != 0
    keyword = (
        f"host=127.0.0.1 port={deployed.port} user=pw_deployer dbname=postgres "
        "password='pa:ss@w/rd'"
    )
    assert orchestrator("--dsn", keyword, "db", "status").returncode == 0


def test_the_password_is_never_in_sqitchs_argv(tmp_path: Path) -> None:
    """A stand-in `sqitch` first on PATH records the argv and environment it gets."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    stub = bindir / "sqitch"
    stub.write_text(
        "#!/bin/sh\n"
        f'printf "%s\\n" "$@" > {tmp_path}/argv\n'
        f'printf "%s" "$SQITCH_PASSWORD" > {tmp_path}/password\n'
    )
    stub.chmod(0o755)
    env = {"PATH": f"{bindir}:{os.environ['PATH']}"}
    cases = [
        (["--dsn", "postgresql://deployer:s3cr%40t@db.example:6543/postgres"], []),
        (["--dsn", "host=db.example port=6543 user=deployer password=s3cr@t dbname=postgres"], []),
        ([], ["--target", "db:pg://deployer:s3cr%40t@db.example:6543/postgres"]),
    ]
    for group_args, target_args in cases:
        for command in (["status"],) if target_args else (["status"], ["revert", "-y"]):
            out = orchestrator(*group_args, "db", *command, *target_args, env=env)
            assert out.returncode == 0, out.stderr
            argv = (tmp_path / "argv").read_text()
            assert "s3cr" not in argv
            assert "db:pg://deployer@db.example:6543/postgres" in argv.splitlines()
            assert (tmp_path / "password").read_text() == "s3cr@t"


def test_targets_lose_their_password_to_the_environment() -> None:
    assert target_from_dsn("postgresql://u:p%20w@h:5432/d?sslmode=require") == Target(
        "db:pg://u@h:5432/d?sslmode=require", "p w"
    )
    assert target_from_dsn("host=/var/run/postgresql dbname=d") == Target(
        "db:pg:///d?host=%2Fvar%2Frun%2Fpostgresql", None
    )
    assert split_target("db:pg://u:p%40ss@[::1]:5432/d") == Target("db:pg://u@[::1]:5432/d", "p@ss")
    assert split_target("db:pg://:pw@h/d") == Target("db:pg://h/d", "pw")
    assert split_target("db:pg://u@h/d") == Target("db:pg://u@h/d", None)
    assert split_target("production") == Target("production", None)


def executable(path: Path, text: str = "") -> Path:
    path.write_text(text)
    path.chmod(0o755)
    return path


def fake_pg_wrapper(folder: Path, log: Path) -> Path:
    """A `psql` on PATH that, like Debian's, is a link to a script named pg_wrapper; this
    one notes each start, then starts the real client."""
    folder.mkdir()
    real = PG_LIB_ROOT / localdb.PG_VERSION / "bin" / "psql"
    wrapper = executable(
        folder / "pg_wrapper", f'#!/bin/sh\necho started >> "{log}"\nexec "{real}" "$@"\n'
    )
    (folder / "psql").symlink_to(wrapper)
    return folder


def test_sqitch_starts_the_client_itself_not_debians_wrapper(
    deployed: localdb.LocalCluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sqitch starts psql for every script; through Debian's pg_wrapper (Perl) each start
    costs 35 ms more, half of a deploy. With PGCLUSTER set the wrapper is left to choose."""
    log = tmp_path / "wrapper.log"
    folder = fake_pg_wrapper(tmp_path / "bin", log)
    monkeypatch.setenv("PATH", os.pathsep.join([str(folder), os.environ["PATH"]]))
    first = plan_changes()[0]
    verify_first = ["--from", first, "--to", first]
    result = run_sqitch("verify", deployed.sqitch_target(), verify_first, capture=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not log.exists(), "the wrapper was started"

    monkeypatch.setenv("PGCLUSTER", f"{localdb.PG_VERSION}/main")
    result = run_sqitch("verify", deployed.sqitch_target(), verify_first, capture=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert log.read_text() == "started\n", "PGCLUSTER: the wrapper chooses"


def test_the_client_folder_is_the_newest_installed_client(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    for version in ("9", "15", "14", "beta"):
        (lib / version / "bin").mkdir(parents=True)
        executable(lib / version / "bin" / "psql")
    (lib / "17" / "bin").mkdir(parents=True)  # a server-only folder: no client
    wrapped = fake_pg_wrapper(tmp_path / "wrapped", tmp_path / "log")
    assert client_folder(str(wrapped), lib) == lib / "15" / "bin"
    plain = tmp_path / "plain"
    plain.mkdir()
    executable(plain / "psql")
    assert client_folder(str(plain), lib) is None, "a psql of the user's own is kept"
    assert client_folder(str(tmp_path / "nowhere"), lib) is None


def test_project_dir_chooses_the_sqitch_project(tmp_path: Path) -> None:
    copy = tmp_path / "project"
    shutil.copytree(PROJECT_ROOT / "deploy", copy / "deploy")
    shutil.copy(PROJECT_ROOT / "sqitch.plan", copy / "sqitch.plan")
    first = plan_changes()[0]
    script = copy / "deploy" / f"{first}.sql"
    script.write_text(script.read_text() + "\n-- marker from the copied project\n")
    for args, env in (
        (["--project-dir", str(copy)], {}),
        ([], {"ORCHESTRATOR_PROJECT_DIR": str(copy)}),
    ):
        out = orchestrator(*args, "db", "bundle", env=env, cwd=tmp_path)
        assert out.returncode == 0, out.stderr
        assert "-- marker from the copied project" in out.stdout
    assert "marker from the copied project" not in orchestrator("db", "bundle").stdout
    out = orchestrator("--project-dir", str(tmp_path), "db", "status", cwd=tmp_path)
    assert out.returncode == 1
    assert "is not a Sqitch project" in out.stderr
    assert "Traceback" not in out.stderr


def test_version_names_the_package_and_the_plans_newest_tag() -> None:
    out = orchestrator("--version")
    assert out.returncode == 0, out.stderr
    version = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]["version"]
    tags = [
        line.split()[0]
        for line in (PROJECT_ROOT / "sqitch.plan").read_text().splitlines()
        if line.startswith("@")
    ]
    assert f"orchestrator {version} " in out.stdout
    assert f" {tags[-1]}" in out.stdout
