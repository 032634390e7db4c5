"""Permanent database errors end `worker` and `health` at once with exit code 2 and one
line naming the cause and the fix (issue 15: release 0.1 retried them for 30 s and ended
with `PoolTimeout: pool initialization incomplete`). Transient ones are waited out."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from orchestrator.tooling import localdb, localpool
from tests.probe_servers import refused_port
from tests.worker_procs import finish, orchestrator, start, worker_env

LOOPS = [("worker", "--once"), ("worker",), ("health", "--once"), ("health",)]


@pytest.fixture(scope="module")
def undeployed_db(cluster: localdb.LocalCluster) -> Iterator[str]:
    """A database of the session cluster where the package was never deployed."""
    with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER), autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS never_deployed")
        conn.execute("CREATE DATABASE never_deployed")
    yield cluster.dsn(user="worker_login", dbname="never_deployed")
    with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER), autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS never_deployed WITH (FORCE)")


@pytest.fixture(scope="module")
def password_bouncer(cluster: localdb.LocalCluster) -> Iterator[localpool.PgBouncer]:
    """PgBouncer checking passwords (the test cluster itself trusts 127.0.0.1)."""
    with localpool.pgbouncer(cluster, users={"worker_login": "right"}, auth_type="md5") as b:
        yield b


def fails_fast(dsn: str, args: tuple[str, ...]) -> str:
    started = time.monotonic()
    code, out, err = finish(start(orchestrator(dsn, *args), worker_env()), timeout=60)
    elapsed = time.monotonic() - started
    assert code == 2, (code, out, err)
    lines = [line for line in err.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, err
    assert "Traceback" not in err and "PoolTimeout" not in err, err
    assert elapsed < 30, f"took {elapsed:.1f} s"  # generous: startup of the interpreter
    return lines[0]


@pytest.mark.parametrize("args", LOOPS[1:3])
def test_missing_role(cluster: localdb.LocalCluster, args: tuple[str, ...]) -> None:
    line = fails_fast(cluster.dsn(user="no_such_login"), args)
    assert "login does not exist" in line and "no_such_login" in line


@pytest.mark.parametrize("args", LOOPS[3:])
def test_missing_database(cluster: localdb.LocalCluster, args: tuple[str, ...]) -> None:
    line = fails_fast(cluster.dsn(user="worker_login", dbname="no_such_db"), args)
    assert "database does not exist" in line and "fix the database name" in line


@pytest.mark.parametrize("args", LOOPS[:1] + LOOPS[3:])
def test_schema_not_deployed(undeployed_db: str, args: tuple[str, ...]) -> None:
    line = fails_fast(undeployed_db, args)
    assert "run `orchestrator db deploy`" in line


@pytest.mark.parametrize("dsn", ["host=127.0.0.1 port", "postgresql://w@127.0.0.1:notaport/db"])
def test_malformed_dsn(dsn: str) -> None:
    line = fails_fast(dsn, ("worker", "--once"))
    assert "malformed DSN" in line and "ORCHESTRATOR_DSN" in line


@pytest.mark.parametrize("args", LOOPS[1:3])
def test_wrong_password(password_bouncer: localpool.PgBouncer, args: tuple[str, ...]) -> None:
    line = fails_fast(password_bouncer.dsn(user="worker_login") + " password=wrong", args)
    assert "authentication failed" in line and "password" in line


def test_the_right_password_works(
    password_bouncer: localpool.PgBouncer, admin_conn: psycopg.Connection[Any]
) -> None:
    dsn = password_bouncer.dsn(user="worker_login") + " password=right"
    code, _, err = finish(start(orchestrator(dsn, "health", "--once"), worker_env()))
    assert code == 0, err


def test_the_login_without_integration_worker(cluster: localdb.LocalCluster) -> None:
    with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER), autocommit=True) as conn:
        conn.execute(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bare_login') "
            "THEN CREATE ROLE bare_login LOGIN; END IF; END $$"
        )
    line = fails_fast(cluster.dsn(user="bare_login"), ("worker", "--once"))
    assert "GRANT integration_worker" in line


def test_an_unreachable_database_in_once_mode_is_exit_1_after_waiting() -> None:
    """Transient (refused): one line per kind of error, then exit 1 when --once gives up."""
    with refused_port() as port:
        dsn = f"host=127.0.0.1 port={port} user=worker_login dbname=postgres"
        env = worker_env(ORCHESTRATOR_ONCE_DB_WAIT="2")
        proc = start(orchestrator(dsn, "health", "--once"), env)
        code, _, err = finish(proc, timeout=120)
    assert code == 1, err
    assert err.count("database unavailable") == 1, err
    assert "Traceback" not in err
