"""A throwaway, Supabase-shaped PostgreSQL 15 cluster for tests, the demo and benchmarks.

The cluster's bootstrap superuser is ``supabase_admin`` (as on Supabase); the local
Supabase compatibility script (``sql/supabase_compat.sql``) is applied as that
superuser, and migrations are then deployed as ``postgres``, a non-superuser role
shaped like Supabase's. ``initdb`` refuses to run as root, so when the effective uid
is 0 every server-side command runs as the ``postgres`` OS user.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

from . import project

SUPERUSER = "supabase_admin"
DEPLOY_USER = "postgres"
DATABASE = "postgres"
# The source checkout (benchmarks use its other folders). The compatibility script comes
# from the located Sqitch project (`orchestrator.tooling.project`), which a wheel ships too.
PROJECT_ROOT = project.CHECKOUT_ROOT
PG_VERSION = "15"


class LocalDbError(RuntimeError):
    """Raised with a sentence that says what to do next."""


@dataclass(frozen=True)
class LocalCluster:
    datadir: Path
    port: int
    host: str = "127.0.0.1"

    def dsn(self, user: str = DEPLOY_USER, dbname: str = DATABASE) -> str:
        return f"host={self.host} port={self.port} user={user} dbname={dbname}"

    def uri(self, user: str = DEPLOY_USER, dbname: str = DATABASE) -> str:
        return f"postgresql://{user}@{self.host}:{self.port}/{dbname}"

    def sqitch_target(self, user: str = DEPLOY_USER, dbname: str = DATABASE) -> str:
        return f"db:pg://{user}@{self.host}:{self.port}/{dbname}"


def pg_bindir() -> Path:
    override = os.environ.get("ORCHESTRATOR_PG_BINDIR")
    if override:
        if not (Path(override) / "initdb").exists():
            raise LocalDbError(f"ORCHESTRATOR_PG_BINDIR={override} holds no initdb")
        return Path(override)
    candidates = [Path(f"/usr/lib/postgresql/{PG_VERSION}/bin")]
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        if out.returncode == 0:
            candidates.append(Path(out.stdout.strip()))
    for cand in candidates:
        if (cand / "initdb").exists() and (cand / "pg_ctl").exists():
            return cand
    raise LocalDbError(
        f"PostgreSQL {PG_VERSION} server binaries not found; run `make deps` "
        f"(Debian package postgresql-{PG_VERSION})."
    )


def _as_root() -> bool:
    return os.geteuid() == 0


def _server_cmd(args: list[str]) -> list[str]:
    """Prefix a server-side command so it runs as the `postgres` OS user when we are root."""
    if _as_root():
        return ["runuser", "-u", "postgres", "--", *args]
    return args


def _run_server_cmd(args: list[str], what: str) -> None:
    """Run `args` as the cluster's OS user; LocalDbError naming `what` with its output."""
    out = subprocess.run(_server_cmd(args), capture_output=True, text=True)
    if out.returncode != 0:
        raise LocalDbError(f"{what} failed:\n{out.stdout}\n{out.stderr}")


def _hand_to_server_user(path: Path) -> None:
    if _as_root():
        shutil.chown(path, "postgres", "postgres")


def server_cmd(args: list[str]) -> list[str]:
    """`args` run as the cluster's OS user (`postgres` when we are root), e.g. PgBouncer."""
    return _server_cmd(args)


def hand_to_server_user(path: Path, recursive: bool = False) -> None:
    """Give `path` (and, if `recursive`, everything under it) to the cluster's OS user."""
    _hand_to_server_user(path)
    if recursive and path.is_dir():
        for child in path.rglob("*"):
            _hand_to_server_user(child)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


SERVER_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "unix_socket_directories": "''",
    "shared_preload_libraries": "'pg_cron,plpgsql_check'",
    "cron.database_name": f"'{DATABASE}'",
    "cron.use_background_workers": "on",
    "max_worker_processes": "32",
    "max_connections": "200",
    "wal_level": "logical",
    # A throwaway cluster: trade durability for speed.
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "log_min_messages": "warning",
    "shared_buffers": "256MB",
}


def init_cluster(datadir: Path) -> None:
    bindir = pg_bindir()
    datadir.mkdir(parents=True, exist_ok=True)
    _hand_to_server_user(datadir)
    datadir.chmod(0o700)
    cmd = [
        str(bindir / "initdb"),
        "-D",
        str(datadir),
        "-U",
        SUPERUSER,
        "--auth=trust",
        "--encoding=UTF8",
        "--locale=C",
        "--no-sync",
    ]
    _run_server_cmd(cmd, "initdb")
    conf = datadir / "postgresql.auto.conf"
    lines = [f"{k} = {v}" for k, v in SERVER_SETTINGS.items()]
    with conf.open("a") as f:
        f.write("\n".join(lines) + "\n")


def start_cluster(datadir: Path, port: int) -> LocalCluster:
    if _port_in_use(port):
        raise LocalDbError(
            f"port {port} on 127.0.0.1 is in use; stop what listens there or pick another port"
        )
    bindir = pg_bindir()
    log = datadir / "server.log"
    cmd = [
        str(bindir / "pg_ctl"),
        "-D",
        str(datadir),
        "-l",
        str(log),
        "-o",
        f"-p {port}",
        "-w",
        "-t",
        "60",
        "start",
    ]
    out = subprocess.run(_server_cmd(cmd), capture_output=True, text=True)
    if out.returncode != 0:
        tail = log.read_text()[-3000:] if log.exists() else ""
        raise LocalDbError(f"pg_ctl start failed:\n{out.stdout}\n{out.stderr}\n{tail}")
    (datadir / "harness.port").write_text(str(port))
    cluster = LocalCluster(datadir=datadir, port=port)
    _wait_ready(cluster)
    return cluster


def _wait_ready(cluster: LocalCluster, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with psycopg.connect(cluster.dsn(user=SUPERUSER), connect_timeout=2):
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def stop_cluster(datadir: Path) -> None:
    datadir = resolve_datadir(datadir)
    if not (datadir / "postmaster.pid").exists():
        return
    cmd = [str(pg_bindir() / "pg_ctl"), "-D", str(datadir), "-m", "fast", "-w", "stop"]
    subprocess.run(_server_cmd(cmd), capture_output=True, text=True)


def restart_cluster(cluster: LocalCluster) -> None:
    """`pg_ctl restart -m fast`: every session is terminated, the server comes back on the
    same port (fault-injection tests and the soak benchmark)."""
    bindir = pg_bindir()
    log = cluster.datadir / "server.log"
    cmd = [
        str(bindir / "pg_ctl"),
        "-D",
        str(cluster.datadir),
        "-l",
        str(log),
        "-o",
        f"-p {cluster.port}",
        "-m",
        "fast",
        "-w",
        "-t",
        "60",
        "restart",
    ]
    _run_server_cmd(cmd, "pg_ctl restart")
    _wait_ready(cluster)


def running_cluster(datadir: Path) -> LocalCluster | None:
    """The cluster in `datadir` if its server is up, else None."""
    datadir = resolve_datadir(datadir)
    port_file = datadir / "harness.port"
    if not (datadir / "postmaster.pid").exists() or not port_file.exists():
        return None
    cluster = LocalCluster(datadir=datadir, port=int(port_file.read_text()))
    try:
        with psycopg.connect(cluster.dsn(user=SUPERUSER), connect_timeout=2):
            return cluster
    except psycopg.OperationalError:
        return None


def apply_compat(cluster: LocalCluster, compat_script: Path | None = None) -> None:
    """Apply the local Supabase compatibility script as the superuser (by default the
    located project's `sql/supabase_compat.sql`)."""
    script = compat_script if compat_script is not None else project.locate().compat_script
    with psycopg.connect(cluster.dsn(user=SUPERUSER), autocommit=True) as conn:
        conn.execute(script.read_text().encode())


def prepare(cluster: LocalCluster, compat_script: Path | None = None) -> None:
    apply_compat(cluster, compat_script)


def server_user_can_reach(path: Path) -> bool:
    """Whether the server's OS user can traverse to `path` (always true when not root)."""
    if not _as_root():
        return True
    probe = path if path.exists() else path.parent
    while not probe.exists():
        probe = probe.parent
    out = subprocess.run(["runuser", "-u", "postgres", "--", "test", "-x", str(probe)], check=False)
    return out.returncode == 0


def resolve_datadir(datadir: Path) -> Path:
    """`datadir`, or, when we are root and the `postgres` OS user cannot reach it (say, a
    checkout under /root), a stable stand-in under /tmp named after it."""
    if server_user_can_reach(datadir):
        return datadir
    digest = hashlib.sha256(str(datadir.resolve()).encode()).hexdigest()[:12]
    base = Path(tempfile.gettempdir()) / f"isync-pg-{digest}"
    base.mkdir(mode=0o755, exist_ok=True)
    _hand_to_server_user(base)
    return base / "data"


def ensure_cluster(
    datadir: Path, port: int | None = None, compat_script: Path | None = None
) -> tuple[LocalCluster, bool]:
    """Start (or reuse) the cluster in `datadir`; returns it and whether it was created now."""
    if project.inside_installed_package(datadir):
        raise LocalDbError(
            f"{datadir} lies inside the installed package (site-packages); pass --datadir "
            f"with a folder of your own (the default is {project.default_localdb_dir()})"
        )
    datadir = resolve_datadir(datadir)
    existing = running_cluster(datadir)
    if existing is not None:
        return existing, False
    created = not (datadir / "PG_VERSION").exists()
    if created:
        init_cluster(datadir)
    else:
        stale = datadir / "postmaster.pid"
        if stale.exists():
            stop_cluster(datadir)
    cluster = start_cluster(datadir, port or free_port())
    if created:
        prepare(cluster, compat_script)
    return cluster, created


def copy_cluster(template: Path, datadir: Path) -> None:
    """Copy the stopped cluster in `template` to `datadir` (which must not exist yet), as
    the cluster's OS user so that the copy stays its own."""
    _run_server_cmd(["cp", "-a", str(template), str(datadir)], f"copying the cluster in {template}")


@contextmanager
def temporary_cluster(template: Path | None = None) -> Iterator[LocalCluster]:
    """A fresh cluster in a temporary directory, removed afterwards; with `template`, a
    copy of that stopped, already prepared cluster (the test harness's deployed stages)."""
    base = Path(tempfile.mkdtemp(prefix="isync-pg-"))
    _hand_to_server_user(base)
    datadir = base / "data"
    try:
        if template is None:
            init_cluster(datadir)
        else:
            copy_cluster(template, datadir)
        cluster = start_cluster(datadir, free_port())
        try:
            if template is None:
                prepare(cluster)
            yield cluster
        finally:
            stop_cluster(datadir)
    finally:
        shutil.rmtree(base, ignore_errors=True)
