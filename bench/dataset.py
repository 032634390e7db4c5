"""A throwaway cluster with the plan deployed and N orgs of generated data."""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg

from orchestrator.tooling import localdb
from orchestrator.tooling.sqitch import run_sqitch

GENERATOR = localdb.PROJECT_ROOT / "sql" / "bench_generate.sql"
BENCH_WORKER = "bench_worker"
# The health runner logs in as its own role: its statements stand apart in pg_stat_statements.
BENCH_HEALTH = "bench_health"
# What the bench cluster preloads: the harness's libraries plus pg_stat_statements
# (Supabase has it), which the idle-cost figure reads.
PRELOAD = ("pg_cron", "plpgsql_check", "pg_stat_statements")
GENERATED_TABLES = (
    "public.organization_integrations",
    "integration_ops.org_members",
    "public.integration_health_status",
    "public.integration_health_history",
    "public.sync_run_log",
    "integration_ops.health_status_counts",
)


@dataclass(frozen=True)
class Dataset:
    cluster: localdb.LocalCluster
    orgs: int
    full: bool
    generate_seconds: float

    @property
    def pairs(self) -> int:
        return self.orgs * 10

    @property
    def superuser_dsn(self) -> str:
        return self.cluster.dsn(user=localdb.SUPERUSER)

    @property
    def worker_dsn(self) -> str:
        return self.cluster.dsn(user=BENCH_WORKER)

    @property
    def health_dsn(self) -> str:
        return self.cluster.dsn(user=BENCH_HEALTH)


def org_id(n: int) -> str:
    """The generator's org ids: md5('bench-org-' || n)::uuid."""
    return str(uuid.UUID(hashlib.md5(f"bench-org-{n}".encode()).hexdigest()))


def user_id(n: int, role: str) -> str:
    return str(uuid.UUID(hashlib.md5(f"bench-user-{n}-{role}".encode()).hexdigest()))


def _with_stat_statements(cluster: localdb.LocalCluster) -> None:
    """Restart the cluster with pg_stat_statements preloaded and create the extension."""
    with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER), autocommit=True) as conn:
        libraries = ", ".join(PRELOAD)  # a list: one quoted string would be one library
        conn.execute(f"ALTER SYSTEM SET shared_preload_libraries = {libraries}")
    localdb.stop_cluster(cluster.datadir)
    localdb.start_cluster(cluster.datadir, cluster.port)
    with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER), autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")


@contextmanager
def dataset(orgs: int, *, full: bool = True) -> Iterator[Dataset]:
    """N orgs x 10 pairs; `full` adds 96 history rows and 90 days of runs per pair."""
    with localdb.temporary_cluster() as cluster:
        _with_stat_statements(cluster)
        result = run_sqitch("deploy", cluster.sqitch_target(), capture=True)
        if result.returncode != 0:
            raise RuntimeError(f"sqitch deploy failed:\n{result.stdout}{result.stderr}")
        with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER), autocommit=True) as conn:
            # The benchmark drives dispatch itself: keep pg_cron's jobs from racing it
            # (the idle-cost figure switches them back on).
            conn.execute("UPDATE cron.job SET active = false WHERE jobname LIKE 'integration%'")
            for login in (BENCH_WORKER, BENCH_HEALTH):
                conn.execute(f"CREATE ROLE {login} LOGIN")
                conn.execute(f"GRANT integration_worker TO {login}")
            conn.execute("SELECT set_config('bench.orgs', %s, false)", (str(orgs),))
            conn.execute("SELECT set_config('bench.full', %s, false)", ("on" if full else "off",))
            start = time.monotonic()
            conn.execute(GENERATOR.read_text().encode())
            # What autovacuum would have done by now on a database that has been running:
            # statistics, and the visibility map that index-only scans rely on.
            conn.execute(f"VACUUM (ANALYZE) {', '.join(GENERATED_TABLES)}")
            generate_seconds = time.monotonic() - start
        yield Dataset(cluster=cluster, orgs=orgs, full=full, generate_seconds=generate_seconds)
