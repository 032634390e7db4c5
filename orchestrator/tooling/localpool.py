"""A real PgBouncer in transaction mode in front of a local cluster, for tests and benchmarks.

Debian's `pgbouncer` (installed by `make deps`) is started in the foreground on a free
port of 127.0.0.1, with `pool_mode = transaction` (what Supabase's Supavisor port 6543
is) and a small server pool, so client transactions are spread over server connections
and anything that relies on session state (named prepared statements, LISTEN) shows.
PgBouncer refuses to run as root: when the effective uid is 0 it runs as the `postgres`
OS user, like the cluster itself (see `localdb`).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import localdb

PGBOUNCER_CANDIDATES = ("/usr/sbin/pgbouncer", "/usr/bin/pgbouncer")


class PgBouncerError(RuntimeError):
    """PgBouncer is missing or did not start; the sentence says what to do."""


@dataclass(frozen=True)
class PgBouncer:
    port: int
    host: str = "127.0.0.1"

    def dsn(self, user: str = localdb.DEPLOY_USER, dbname: str = localdb.DATABASE) -> str:
        return f"host={self.host} port={self.port} user={user} dbname={dbname}"


def pgbouncer_binary() -> str:
    found = shutil.which("pgbouncer")
    if found:
        return found
    for candidate in PGBOUNCER_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    raise PgBouncerError("pgbouncer not found; run `make deps` (Debian package pgbouncer)")


def _config(
    cluster: localdb.LocalCluster, port: int, folder: Path, pool_size: int, auth_type: str
) -> str:
    return "\n".join(
        [
            "[databases]",
            f"{localdb.DATABASE} = host={cluster.host} port={cluster.port} "
            f"dbname={localdb.DATABASE}",
            "[pgbouncer]",
            "listen_addr = 127.0.0.1",
            f"listen_port = {port}",
            "unix_socket_dir =",
            "pool_mode = transaction",
            f"auth_type = {auth_type}",
            f"auth_file = {folder / 'users.txt'}",
            f"default_pool_size = {pool_size}",
            "max_client_conn = 1000",
            "server_login_retry = 1",
            "ignore_startup_parameters = extra_float_digits,options",
            f"logfile = {folder / 'pgbouncer.log'}",
            f"pidfile = {folder / 'pgbouncer.pid'}",
            "log_connections = 0",
            "log_disconnections = 0",
            "",
        ]
    )


def _wait_listening(port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise PgBouncerError(f"pgbouncer exited with {proc.returncode}:\n{tail}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise PgBouncerError(f"pgbouncer did not listen on 127.0.0.1:{port} within 20 s")


@contextmanager
def pgbouncer(
    cluster: localdb.LocalCluster,
    users: Mapping[str, str] | None = None,
    pool_size: int = 5,
    auth_type: str = "trust",
) -> Iterator[PgBouncer]:
    """PgBouncer (transaction mode) in front of `cluster`, stopped and removed afterwards.

    `users` maps the logins it accepts to their passwords (checked with `auth_type`
    md5 or plain; ignored with trust); the cluster itself trusts 127.0.0.1."""
    if users is None:
        users = {localdb.DEPLOY_USER: "", "worker_login": ""}
    binary = pgbouncer_binary()
    folder = Path(tempfile.mkdtemp(prefix="isync-pgbouncer-"))
    port = localdb.free_port()
    (folder / "users.txt").write_text("".join(f'"{u}" "{p}"\n' for u, p in users.items()))
    ini = folder / "pgbouncer.ini"
    ini.write_text(_config(cluster, port, folder, pool_size, auth_type))
    localdb.hand_to_server_user(folder, recursive=True)
    proc = subprocess.Popen(
        localdb.server_cmd([binary, str(ini)]),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_listening(port, proc, folder / "pgbouncer.log")
        yield PgBouncer(port=port)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)
