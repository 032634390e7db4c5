"""Session fixtures: a real, throwaway Postgres 15 cluster with pg_cron and pgTAP.

The cluster is started by the harness itself (temporary data dir, a free port on
127.0.0.1): a copy of the run's deployed HEAD (tests/cluster_templates.py: a cluster
prepared with the Supabase compatibility script as the superuser, the Sqitch plan deployed
as the non-superuser `postgres`, release by release, once per run). A database that cannot
be started or reached FAILS the run: `pgtap_connection` is overridden here, so
pytest-pgtap's skip-on-no-connection path is never taken.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
import pytest

from orchestrator.tooling import localdb

from . import cluster_templates
from .catalog import Row
from .cluster_templates import HEAD
from .sync_db import clear_active_runs, forget

pytest_plugins = (
    "tests.http_fixtures",  # the `http_server` fixture (a real HTTP server)
    "tests.adopter",  # the built wheel installed in a venv outside the checkout
)

TESTS_DIR = Path(__file__).resolve().parent


def pytest_configure(config: pytest.Config) -> None:
    """The controlling process makes the run's folder of deployed stages
    (tests/cluster_templates.py); pytest-xdist's workers inherit its name."""
    config.addinivalue_line(
        "markers",
        "deploys: the file runs Sqitch over much of the plan (tens of seconds); started early",
    )
    root = cluster_templates.create_root()
    if root is None:
        return
    config.stash[_TEMPLATES_ROOT] = root
    if config.getoption("numprocesses", default=None):  # pytest-xdist's -n: build meanwhile
        config.stash[_TEMPLATES_BUILD] = cluster_templates.build_in_background(root)


def pytest_unconfigure(config: pytest.Config) -> None:
    build = config.stash.get(_TEMPLATES_BUILD, None)
    if build is not None:
        build.join()  # its cluster stopped before the folder goes
    root = config.stash.get(_TEMPLATES_ROOT, None)
    if root is not None:
        cluster_templates.remove_root(root)


_TEMPLATES_ROOT = pytest.StashKey[Path]()
_TEMPLATES_BUILD = pytest.StashKey[threading.Thread]()


CLUSTER_FIXTURES = frozenset({"pgtap_connection", "admin_conn", "worker_dsn", "fresh_catalogs"})


def uses_a_cluster(item: pytest.Item) -> bool:
    """Whether the test needs the run's deployed stages: the session cluster, a module's
    own, or a copy at a release (fixtures named `*cluster*`, and those built on them)."""
    if item.nodeid.split("::")[0].endswith(".sql"):  # pytest-pgtap's: pgtap_connection
        return True
    names = getattr(item, "fixturenames", ())
    return any("cluster" in name or name in CLUSTER_FIXTURES for name in names)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Files that need no deployed cluster first, then the rest; within each, the files
    marked `deploys` first. While the stages are built (tests/cluster_templates.py, half a
    minute) the workers run tests that can start at once, and the longest files do not
    come last, when the other workers would have nothing left to do. pytest-xdist hands
    out whole files (--dist loadfile) in this order with --no-loadscope-reorder (the
    Makefile's; without it, files with the most tests first); every worker sorts alike."""
    key: dict[str, tuple[bool, bool]] = {}
    for item in items:
        path = item.nodeid.split("::")[0]
        needs, deploys = key.get(path, (False, False))
        key[path] = (
            needs or uses_a_cluster(item),
            deploys or item.get_closest_marker("deploys") is not None,
        )
    items.sort(key=lambda item: (key[path := item.nodeid.split("::")[0]][0], not key[path][1]))


@contextmanager
def deployed_cluster(stage: str = HEAD) -> Iterator[localdb.LocalCluster]:
    """A throwaway cluster of the caller's own, a copy of the run's deployed `stage`
    (HEAD: the plan deployed and the test helpers installed)."""
    with cluster_templates.cluster_at(stage) as c:
        yield c


@pytest.fixture(scope="session")
def cluster() -> Iterator[localdb.LocalCluster]:
    with deployed_cluster() as c:
        yield c


def own_cluster_fixture(stage: str = HEAD) -> Any:
    """A module's own `cluster` (module scope) for a test file that reverts the plan: rows
    other files leave in the session cluster (a service_role audit row keeps
    sync_trigger_audit.user_id nullable on a revert) must not change what a revert gives
    back, and a failed revert must not leave the session cluster at an old release for the
    files that pytest-xdist runs after it on the same worker. Use as
    `cluster = own_cluster_fixture()` at the top of the module: a copy of the run's deployed
    HEAD, about a second. With a release (`own_cluster_fixture("@v0.2.0")`), a copy of the
    plan deployed to it, the test helpers installed (they create users and the worker's
    login)."""

    @pytest.fixture(scope="module", name="cluster")
    def _cluster() -> Iterator[localdb.LocalCluster]:
        with deployed_cluster(stage) as c:
            if stage != HEAD:
                cluster_templates.install_test_helpers(c)
            yield c

    return _cluster


@pytest.fixture(scope="session")
def fresh_catalogs() -> dict[str, set[Row]]:
    """Release tag (and "@HEAD") -> the catalog fingerprint of a fresh deploy to it."""
    return cluster_templates.templates().catalogs


@pytest.fixture(scope="session")
def pgtap_connection(cluster: localdb.LocalCluster) -> Iterator[psycopg.Connection[Any]]:
    """pytest-pgtap's connection, as the superuser; failure to connect is an error."""
    conn = psycopg.connect(
        cluster.dsn(user=localdb.SUPERUSER), options="-c search_path=public,extensions"
    )
    with conn:
        yield conn


@pytest.fixture()
def admin_conn(cluster: localdb.LocalCluster) -> Iterator[psycopg.Connection[Any]]:
    """A superuser connection in autocommit mode, for arranging test data."""
    with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER), autocommit=True) as conn:
        yield conn


@pytest.fixture()
def worker_dsn(cluster: localdb.LocalCluster) -> str:
    """DSN of a login that holds only integration_worker, as the real worker would."""
    return cluster.dsn(user="worker_login")


# Reports tests want shown in the terminal summary (e.g. plpgsql statement coverage),
# printed even without `-s`.
TERMINAL_REPORTS: list[str] = []


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for report in TERMINAL_REPORTS:
        terminalreporter.write_line(report)


@pytest.fixture()
def cron_paused(admin_conn: psycopg.Connection[Any]) -> Iterator[None]:
    """Deactivate the package's pg_cron jobs (they run every minute in the test cluster)
    so a test that commits data sees only its own dispatches; restored afterwards."""
    rows = admin_conn.execute(
        "SELECT jobid, active FROM cron.job WHERE jobname LIKE 'integration\\_%'"
    ).fetchall()
    admin_conn.execute("UPDATE cron.job SET active = false WHERE jobname LIKE 'integration\\_%'")
    try:
        yield
    finally:
        for jobid, active in rows:
            admin_conn.execute("UPDATE cron.job SET active = %s WHERE jobid = %s", (active, jobid))


@pytest.fixture()
def orgs(admin_conn: psycopg.Connection[Any]) -> Iterator[list[UUID]]:
    """Org ids a test creates (append each): no other test's pending or running run is
    left to be claimed, and afterwards the orgs' runs, pairs and alerts are removed. A
    module that needs pg_cron paused first says `pytest.mark.usefixtures("cron_paused")`."""
    clear_active_runs(admin_conn)
    created: list[UUID] = []
    yield created
    forget(admin_conn, created)
    admin_conn.execute(
        "DELETE FROM integration_ops.alerts WHERE org_id = ANY(%s)", (list(created),)
    )
