"""The four systems `bench.e2e` runs side by side on one Postgres cluster: our shipped
worker, graphile-worker, pg-boss and procrastinate. Each knows how to start its worker
processes, how to enqueue jobs inside the driver's open transaction (so the driver takes
the commit's time itself), and how to count what is still to do.

Every system's job makes the same HTTP call: one POST of a JSON body shaped like our
run's (DESIGN §11) to the loopback endpoint, the JSON answer read.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import psycopg

from orchestrator.tooling import localdb

Conn = psycopg.Connection[Any]
PEERS_DIR = localdb.PROJECT_ROOT / "bench" / "peers"
NODE_MODULES = localdb.PROJECT_ROOT / ".tools" / "bench" / "node_modules"
WORKER_LOGIN = "bench_worker"
E2E_TYPE = "xledger"
FAR_FUTURE = "2100-01-01 00:00+00"
# A key in the Standard Webhooks form (whsec_ + base64): from 0.3 the worker signs its calls
# with ORCHESTRATOR_WEBHOOK_SECRET; the endpoint does not check signatures.
WEBHOOK_SECRET = "whsec_" + base64.b64encode(b"bench-e2e-webhook-secret-32bytes").decode()


class PeersMissing(RuntimeError):
    pass


def body_sql(i: str) -> str:
    """A job payload shaped like our run's request body (DESIGN §11), from SQL int `i`."""
    return (
        f"jsonb_build_object('run_id', md5('run-' || {i})::uuid, 'org_id', md5('org-' || {i})"
        f"::uuid, 'integration_type', 'xledger', 'triggered_by', 'scheduler', 'scheduled_for',"
        f" now(), 'idempotency_key', 'bench:' || {i})"
    )


@dataclass
class Workers:
    """Running worker processes of one system, their log files beside."""

    processes: list[subprocess.Popen[bytes]]
    logs: list[Path]

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.processes]

    def check_alive(self) -> None:
        for proc, log in zip(self.processes, self.logs, strict=True):
            if proc.poll() is not None:
                tail = log.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"worker {proc.args!r} exited {proc.returncode}:\n{tail}")

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Until every process printed READY (the peers do; ours is proven by its warm-up)."""
        deadline = time.monotonic() + timeout
        for log in self.logs:
            while "READY" not in log.read_text(errors="replace"):
                self.check_alive()
                if time.monotonic() > deadline:
                    raise RuntimeError(f"no READY in {log} within {timeout:.0f} s")
                time.sleep(0.05)

    def stop(self) -> None:
        for proc in self.processes:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.processes:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


class System(Protocol):
    name: str
    dsn: str  # the driver's connection (a superuser) to the system's database

    def command(self, concurrency: int, url: str) -> list[str]: ...

    def env(self) -> dict[str, str]: ...

    def needs_ready_line(self) -> bool: ...

    def enqueue(self, conn: Conn, n: int) -> None:
        """Add n jobs inside the driver's open transaction (the driver commits)."""
        ...

    def enqueue_one_as_app(self, conn: Conn) -> None:
        """One job the way an app would start one (ours: a manual trigger), not committed."""
        ...

    def progress(self, conn: Conn) -> tuple[int, int]:
        """(jobs still to do, jobs failed so far)."""
        ...

    def tidy(self, conn: Conn) -> None:
        """Between cells, outside every window: VACUUM ANALYZE the system's tables."""
        ...


def vacuum(conn: Conn, table: str) -> None:
    """VACUUM ANALYZE `table` once it exists (a peer creates its schema at first start)."""
    row = conn.execute("SELECT to_regclass(%s) IS NOT NULL", (table,)).fetchone()
    if row is not None and row[0]:
        conn.execute(f"VACUUM ANALYZE {table}")


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("ORCHESTRATOR_")}


@contextmanager
def running(
    system: System, concurrency: int, url: str, logdir: Path, processes: int = 1
) -> Iterator[Workers]:
    procs: list[subprocess.Popen[bytes]] = []
    logs: list[Path] = []
    workers = Workers(procs, logs)
    try:
        for n in range(processes):
            log = logdir / f"{system.name}-c{concurrency}-{n}-{time.monotonic_ns()}.log"
            with log.open("wb") as out:
                procs.append(
                    subprocess.Popen(
                        system.command(concurrency, url),
                        cwd=localdb.PROJECT_ROOT,
                        env=system.env(),
                        stdin=subprocess.DEVNULL,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                    )
                )
            logs.append(log)
        if system.needs_ready_line():
            workers.wait_ready()
        yield workers
    finally:
        workers.stop()


# --- ours ------------------------------------------------------------------------------


class Ours:
    """`orchestrator serve` (the sync worker and the health runner; no pair has a health
    check, so the runner only polls), logged in as a role holding integration_worker."""

    name = "ours"

    def __init__(self, cluster: localdb.LocalCluster, pairs: int) -> None:
        self.cluster = cluster
        self.dsn = cluster.dsn(user=localdb.SUPERUSER)
        self.worker_dsn = cluster.dsn(user=WORKER_LOGIN)
        self.pairs = pairs
        self.orgs: list[str] = []
        self.users: list[str] = []
        self._next = 0  # the next pair to use (rotating)
        self._period = 0  # every enqueue gets periods of its own (one run per period)
        self.profile_out: Path | None = None

    def setup(self, url: str) -> None:
        """`pairs` orgs with one hourly pair each and an admin, nothing due; the worker login."""
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            conn.execute("UPDATE cron.job SET active = false WHERE jobname LIKE 'integration%'")
            conn.execute(f"CREATE ROLE {WORKER_LOGIN} LOGIN")
            conn.execute(f"GRANT integration_worker TO {WORKER_LOGIN}")
            conn.execute(
                "INSERT INTO auth.users (id, aud, role, email)"
                " SELECT md5('e2e-user-' || i)::uuid, 'authenticated', 'authenticated',"
                "        'e2e' || i || '@bench.example' FROM generate_series(1, %(n)s) AS i",
                {"n": self.pairs},
            )
            conn.execute(
                "INSERT INTO public.organization_integrations (org_id, integration_type,"
                "   sync_interval, next_sync_at, endpoint_url, health_mode)"
                " SELECT md5('e2e-org-' || i)::uuid, %(t)s, interval '1 hour', %(future)s,"
                "        %(url)s, 'disabled' FROM generate_series(1, %(n)s) AS i",
                {"n": self.pairs, "t": E2E_TYPE, "future": FAR_FUTURE, "url": url},
            )
            conn.execute(
                "INSERT INTO integration_ops.org_members (org_id, user_id, role)"
                " SELECT md5('e2e-org-' || i)::uuid, md5('e2e-user-' || i)::uuid, 'admin'"
                " FROM generate_series(1, %(n)s) AS i",
                {"n": self.pairs},
            )
            rows = conn.execute(
                "SELECT md5('e2e-org-' || i)::uuid::text, md5('e2e-user-' || i)::uuid::text"
                " FROM generate_series(1, %(n)s) AS i ORDER BY i",
                {"n": self.pairs},
            ).fetchall()
            self.orgs = [r[0] for r in rows]
            self.users = [r[1] for r in rows]
            conn.execute("VACUUM ANALYZE")

    def set_url(self, url: str) -> None:
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            conn.execute("UPDATE public.organization_integrations SET endpoint_url = %s", (url,))

    def command(self, concurrency: int, url: str) -> list[str]:
        cli = ["--dsn", self.worker_dsn, "serve", "--concurrency", str(concurrency)]
        if self.profile_out is not None:
            return [sys.executable, "-m", "bench.profile_worker", str(self.profile_out), *cli]
        return [sys.executable, "-m", "orchestrator", *cli]

    def env(self) -> dict[str, str]:
        return clean_env() | {
            "ORCHESTRATOR_SERVICE_KEY": "bench-key",
            "ORCHESTRATOR_FUNCTIONS_KEY": "bench-anon-key",
            "ORCHESTRATOR_WEBHOOK_SECRET": WEBHOOK_SECRET,
        }

    def needs_ready_line(self) -> bool:
        return False

    def take(self, n: int) -> list[str]:
        if n > self.pairs:
            raise ValueError(f"{n} runs at once need {n} pairs; there are {self.pairs}")
        if self._next + n > self.pairs:
            self._next = 0
        orgs = self.orgs[self._next : self._next + n]
        self._next += n
        return orgs

    def make_due(self, conn: Conn, orgs: Sequence[str]) -> None:
        """Make the pairs due for exactly one period that none of them has had a run for:
        every call moves the pairs' anchor one second on (hourly slots at hh:00:01,
        hh:00:02, ...) and sets the current slot; the next one is an hour ahead."""
        self._period += 1
        conn.execute(
            "UPDATE public.organization_integrations"
            "   SET sync_anchor = a.anchor,"
            "       next_sync_at = date_bin(interval '1 hour', now(), a.anchor)"
            "  FROM (SELECT timestamptz '2000-01-01 00:00+00'"
            "               + make_interval(secs => %(k)s) AS anchor) AS a"
            " WHERE org_id = ANY(%(orgs)s::uuid[])",
            {"k": self._period % 3600, "orgs": list(orgs)},
        )

    def not_due(self, conn: Conn, orgs: Sequence[str] | None = None) -> None:
        """Nothing due until 2100, so no later dispatch (a herd's CALL) picks these up."""
        conn.execute(
            "UPDATE public.organization_integrations SET next_sync_at = %s"
            + ("" if orgs is None else " WHERE org_id = ANY(%s::uuid[])"),
            (FAR_FUTURE,) if orgs is None else (FAR_FUTURE, list(orgs)),
        )

    def enqueue(self, conn: Conn, n: int) -> None:
        """The scheduler's path: n pairs made due, then dispatch_due_syncs() (bounded
        batches) until nothing is due, all in the driver's transaction; the NOTIFY goes out
        at its commit."""
        orgs = self.take(n)
        self.make_due(conn, orgs)
        triggered = 0
        while True:
            row = conn.execute("SELECT integration_ops.dispatch_due_syncs()").fetchone()
            assert row is not None
            triggered += int(row[0]["triggered"])
            if not row[0]["run_ids"]:
                break
        self.not_due(conn, orgs)
        if triggered != n:
            raise RuntimeError(f"dispatch created {triggered} runs, expected {n}")

    def enqueue_one_as_app(self, conn: Conn) -> None:
        """A manual run as the app starts one: PostgREST's transaction for an org admin
        (role authenticated, the JWT claims) calling public.trigger_integration_sync — the
        engine's insert path, the audit row and the wake-up (NOTIFY with the run id)."""
        org = self.take(1)[0]
        user = self.users[self.orgs.index(org)]
        claims = json.dumps({"sub": user, "role": "authenticated", "org_id": org})
        conn.execute(
            "SELECT set_config('role', 'authenticated', true),"
            " set_config('request.jwt.claims', %s, true)",
            (claims,),
        )
        conn.execute(
            "SELECT public.trigger_integration_sync(org_id => %s, integration_type => %s)",
            (org, E2E_TYPE),
        )

    def herd_due(self, conn: Conn, n: int) -> None:
        """The first n pairs due at once, each for one period (committed by the caller)."""
        self.make_due(conn, self.orgs[:n])

    def progress(self, conn: Conn) -> tuple[int, int]:
        row = conn.execute(
            "SELECT count(*) FILTER (WHERE status IN ('pending', 'running')),"
            " count(*) FILTER (WHERE status = 'failed') FROM public.sync_run_log"
            " WHERE status IN ('pending', 'running', 'failed')"
        ).fetchone()
        assert row is not None
        return int(row[0]), int(row[1])

    def tidy(self, conn: Conn) -> None:
        conn.execute("VACUUM ANALYZE public.sync_run_log, public.organization_integrations")


# --- the Node.js peers ------------------------------------------------------------------


def node() -> str:
    found = shutil.which("node")
    if found is None or not (NODE_MODULES / "graphile-worker").is_dir():
        raise PeersMissing(
            "graphile-worker and pg-boss are not installed: run `make bench-peers` "
            "(npm packages into .tools/bench)"
        )
    return found


class _NodePeer:
    name: str
    script: str
    dsn: str
    database: str

    def __init__(self, cluster: localdb.LocalCluster) -> None:
        self.cluster = cluster
        self.dsn = cluster.dsn(user=localdb.SUPERUSER, dbname=self.database)
        self.uri = cluster.uri(user=localdb.SUPERUSER, dbname=self.database)

    def create_database(self) -> None:
        with psycopg.connect(self.cluster.dsn(user=localdb.SUPERUSER), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {self.database}")

    def command(self, concurrency: int, url: str) -> list[str]:
        args = {"connectionString": self.uri, "concurrency": concurrency, "url": url}
        return [node(), str(PEERS_DIR / self.script), json.dumps(args)]

    def env(self) -> dict[str, str]:
        return clean_env() | {"NODE_PATH": str(NODE_MODULES)}

    def needs_ready_line(self) -> bool:
        return True

    def enqueue(self, conn: Conn, n: int) -> None:
        raise NotImplementedError

    def enqueue_one_as_app(self, conn: Conn) -> None:
        self.enqueue(conn, 1)


class GraphileWorker(_NodePeer):
    """graphile-worker 0.17: jobs through graphile_worker.add_jobs (its SQL API, one
    statement for all; it NOTIFYs jobs:insert); done jobs are deleted."""

    name = "graphile-worker"
    script = "graphile.cjs"
    database = "graphile"
    _n = 0

    def enqueue(self, conn: Conn, n: int) -> None:
        first = self._n
        self._n += n
        conn.execute(
            "SELECT count(*) FROM graphile_worker.add_jobs(ARRAY(SELECT ROW('bench', "
            + body_sql("i")
            + "::json, NULL, NULL, NULL, NULL, NULL, NULL)::graphile_worker.job_spec"
            " FROM generate_series(%s::int, %s::int) AS i))",
            (first + 1, first + n),
        )

    def progress(self, conn: Conn) -> tuple[int, int]:
        row = conn.execute(
            "SELECT count(*) FILTER (WHERE last_error IS NULL),"
            " count(*) FILTER (WHERE last_error IS NOT NULL) FROM graphile_worker._private_jobs"
        ).fetchone()
        assert row is not None
        return int(row[0]), int(row[1])

    def tidy(self, conn: Conn) -> None:
        vacuum(conn, "graphile_worker._private_jobs")


class PgBoss(_NodePeer):
    """pg-boss 10: jobs inserted as its send() inserts them (queue `bench`, the queue's
    policy, every other column its default); done jobs stay `completed`."""

    name = "pg-boss"
    script = "pgboss.cjs"
    database = "pgboss"
    _n = 0

    def enqueue(self, conn: Conn, n: int) -> None:
        first = self._n
        self._n += n
        conn.execute(
            "INSERT INTO pgboss.job (name, data, policy) SELECT q.name, "
            + body_sql("i")
            + ", q.policy FROM pgboss.queue AS q, generate_series(%s::int, %s::int) AS i"
            " WHERE q.name = 'bench'",
            (first + 1, first + n),
        )

    def progress(self, conn: Conn) -> tuple[int, int]:
        row = conn.execute(
            "SELECT count(*) FILTER (WHERE state IN ('created', 'active')),"
            " count(*) FILTER (WHERE state IN ('retry', 'failed'))"
            " FROM pgboss.job WHERE name = 'bench' AND state <> 'completed'"
        ).fetchone()
        assert row is not None
        return int(row[0]), int(row[1])

    def tidy(self, conn: Conn) -> None:
        vacuum(conn, "pgboss.job")


# --- procrastinate --------------------------------------------------------------------


class Procrastinate:
    """procrastinate 3: its schema in a database of its own; jobs through
    procrastinate_defer_jobs_v1 (what its defer does; a trigger NOTIFYs); done jobs stay
    `succeeded`."""

    name = "procrastinate"
    database = "procrastinate"
    _n = 0

    def __init__(self, cluster: localdb.LocalCluster) -> None:
        self.cluster = cluster
        self.dsn = cluster.dsn(user=localdb.SUPERUSER, dbname=self.database)

    def create_database(self) -> None:
        schema = (resources.files("procrastinate") / "sql" / "schema.sql").read_text()
        with psycopg.connect(self.cluster.dsn(user=localdb.SUPERUSER), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {self.database}")
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            conn.execute(schema.encode())

    def command(self, concurrency: int, url: str) -> list[str]:
        args = {"dsn": self.dsn, "concurrency": concurrency, "url": url}
        return [sys.executable, "-m", "bench.peers.procrastinate_worker", json.dumps(args)]

    def env(self) -> dict[str, str]:
        return clean_env()

    def needs_ready_line(self) -> bool:
        return True

    def enqueue(self, conn: Conn, n: int) -> None:
        first = self._n
        self._n += n
        conn.execute(
            "SELECT count(*) FROM procrastinate_defer_jobs_v1(ARRAY(SELECT ROW('default',"
            " 'bench_call', 0, NULL, NULL, "
            + body_sql("i")
            + ", NULL)::procrastinate_job_to_defer_v1"
            " FROM generate_series(%s::int, %s::int) AS i))",
            (first + 1, first + n),
        )

    def enqueue_one_as_app(self, conn: Conn) -> None:
        self.enqueue(conn, 1)

    def progress(self, conn: Conn) -> tuple[int, int]:
        row = conn.execute(
            "SELECT count(*) FILTER (WHERE status IN ('todo', 'doing')),"
            " count(*) FILTER (WHERE status = 'failed') FROM procrastinate_jobs"
            " WHERE status IN ('todo', 'doing', 'failed')"
        ).fetchone()
        assert row is not None
        return int(row[0]), int(row[1])

    def tidy(self, conn: Conn) -> None:
        vacuum(conn, "procrastinate_jobs")
