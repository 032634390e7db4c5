"""Deployed clusters built once per test run and copied: a cluster at each release
(@v0.1.0, @v0.2.0) and at HEAD, each a stopped data directory that a test's cluster starts
from (`localdb.temporary_cluster(template=...)`) instead of running the whole plan again.

A full `sqitch deploy` spawns psql twice per change (deploy and verify): about twenty
seconds of a core's time (twice that through Debian's psql wrapper, which
`sqitch.sqitch_env` now steps around), which every module that needs a cluster of its
own used to pay.
Now one deploy builds the three stages, release by release (the way a database that lived
through the releases got there), and a copy costs a second.

The stages live under one folder per run, made by the controlling pytest process in
`pytest_configure` (tests/conftest.py) and named in $ISYNC_TEST_TEMPLATES, which the
pytest-xdist workers inherit. They are built under an exclusive lock by the controller (a
thread, under `-n`) or else by the first process that needs them; the others wait on the
lock and then only read. The controller removes the folder when the
run ends. The catalog fingerprint of each stage (tests/catalog.py) is kept beside it: a
revert to a release must give back exactly that catalog, an upgrade exactly HEAD's.
"""

from __future__ import annotations

import fcntl
import functools
import os
import pickle
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

from orchestrator.tooling import localdb
from orchestrator.tooling.sqitch import run_sqitch

from .catalog import Row, catalog_fingerprint

ENV = "ISYNC_TEST_TEMPLATES"
RELEASES = ("@v0.1.0", "@v0.2.0")
HEAD = "@HEAD"
STAGES = (*RELEASES, HEAD)
DONE = "catalogs.pickle"  # written last: the stages are built
HELPERS_SQL = Path(__file__).resolve().parent / "helpers" / "pgtap_helpers.sql"


def deploy_plan(cluster: localdb.LocalCluster, to: str | None = None, verify: bool = True) -> None:
    extra = (["--to", to] if to is not None else []) + ([] if verify else ["--no-verify"])
    result = run_sqitch("deploy", cluster.sqitch_target(), extra, capture=True)
    if result.returncode != 0:
        raise RuntimeError(f"sqitch deploy failed:\n{result.stdout}\n{result.stderr}")


def install_test_helpers(cluster: localdb.LocalCluster) -> None:
    """The `tests` schema's helpers (re-runnable), as the superuser."""
    with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER), autocommit=True) as conn:
        conn.execute(HELPERS_SQL.read_text().encode())


def fingerprint(cluster: localdb.LocalCluster) -> set[Row]:
    with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER)) as conn:
        return catalog_fingerprint(conn)


# --- the run's folder (the controlling process) -------------------------------------------


def create_root() -> Path | None:
    """Make the run's folder and name it in the environment, unless a parent run already
    did (then None): pytest-xdist workers, and a pytest started by a test, share it."""
    if os.environ.get(ENV):
        return None
    root = Path(tempfile.mkdtemp(prefix="isync-templates-"))
    root.chmod(0o755)
    localdb.hand_to_server_user(root)
    os.environ[ENV] = str(root)
    return root


def remove_root(root: Path) -> None:
    shutil.rmtree(root, ignore_errors=True)
    if os.environ.get(ENV) == str(root):
        del os.environ[ENV]


# --- the stages (any process) ---------------------------------------------------------------


@dataclass(frozen=True)
class Templates:
    root: Path
    catalogs: dict[str, set[Row]]

    def datadir(self, stage: str) -> Path:
        return self.root / stage.lstrip("@") / "data"


def run_root() -> Path:
    """The run's folder, shared by the pytest-xdist workers (what is built once per run)."""
    named = os.environ.get(ENV)
    if not named:
        raise RuntimeError(f"${ENV} is not set: tests/conftest.py's pytest_configure sets it")
    return Path(named)


@functools.cache
def templates() -> Templates:
    """The run's stages: built by the first process that asks (under the lock), read after."""
    root = run_root()
    with (root / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _build_unless_built(root)
    return Templates(root, pickle.loads((root / DONE).read_bytes()))


def build_in_background(root: Path) -> threading.Thread:
    """Take the lock now and build the stages in a thread of the controlling process (idle
    under pytest-xdist), so that the workers' first tests find them built or being built.
    A failed build only releases the lock: the first test that needs the stages builds
    them again, and fails with the reason."""
    lock = (root / "lock").open("w")
    fcntl.flock(lock, fcntl.LOCK_EX)

    def build() -> None:
        try:
            _build_unless_built(root)
        except Exception:
            pass
        finally:
            lock.close()

    thread = threading.Thread(target=build, name="cluster-templates", daemon=True)
    thread.start()
    return thread


def _build_unless_built(root: Path) -> None:
    """Under the lock: build the stages unless a process did already."""
    if not (root / DONE).exists():
        shutil.rmtree(root / "build", ignore_errors=True)
        for stage in STAGES:
            shutil.rmtree(Templates(root, {}).datadir(stage).parent, ignore_errors=True)
        (root / DONE).write_bytes(pickle.dumps(_build(root)))


def _build(root: Path) -> dict[str, set[Row]]:
    """Deploy release by release in one cluster; after each stage, a stopped copy of it."""
    layout = Templates(root, {})
    build = root / "build"
    build.mkdir()
    localdb.hand_to_server_user(build)
    datadir = build / "data"
    localdb.init_cluster(datadir)
    port = localdb.free_port()
    cluster = localdb.start_cluster(datadir, port)
    catalogs: dict[str, set[Row]] = {}
    try:
        localdb.prepare(cluster)
        for stage in STAGES:
            # verify scripts run in the tests that deploy for real (test_migrations, the
            # wheel's, the CLI's, the docs'); here they would hold every worker up
            deploy_plan(cluster, to=None if stage == HEAD else stage, verify=False)
            catalogs[stage] = fingerprint(cluster)
            if stage == HEAD:
                install_test_helpers(cluster)
            localdb.stop_cluster(datadir)
            target = layout.datadir(stage)
            target.parent.mkdir()
            localdb.hand_to_server_user(target.parent)
            localdb.copy_cluster(datadir, target)
            if stage != HEAD:
                cluster = localdb.start_cluster(datadir, port)
    finally:
        localdb.stop_cluster(datadir)
        shutil.rmtree(build, ignore_errors=True)
    return catalogs


@contextmanager
def cluster_at(stage: str = HEAD) -> Iterator[localdb.LocalCluster]:
    """A cluster of the test's own, started from a copy of the stage (HEAD: the plan
    deployed and the test helpers installed; a release: the plan deployed to it)."""
    with localdb.temporary_cluster(template=templates().datadir(stage)) as c:
        yield c
