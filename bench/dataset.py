"""A throwaway cluster with the plan deployed and N orgs of generated data."""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg

from orchestrator import localdb
from orchestrator.sqitch import run_sqitch

GENERATOR = localdb.PROJECT_ROOT / "sql" / "bench_generate.sql"
BENCH_WORKER = "bench_worker"


@dataclass(frozen=True)
class Dataset:
    cluster: localdb.LocalCluster
    orgs: int
    generate_seconds: float

    @property
    def superuser_dsn(self) -> str:
        return self.cluster.dsn(user=localdb.SUPERUSER)

    @property
    def worker_dsn(self) -> str:
        return self.cluster.dsn(user=BENCH_WORKER)


def org_id(n: int) -> str:
    """The generator's org ids: md5('bench-org-' || n)::uuid."""
    return str(uuid.UUID(hashlib.md5(f"bench-org-{n}".encode()).hexdigest()))


def user_id(n: int, role: str) -> str:
    return str(uuid.UUID(hashlib.md5(f"bench-user-{n}-{role}".encode()).hexdigest()))


@contextmanager
def dataset(orgs: int) -> Iterator[Dataset]:
    with localdb.temporary_cluster() as cluster:
        result = run_sqitch("deploy", cluster.sqitch_target(), capture=True)
        if result.returncode != 0:
            raise RuntimeError(f"sqitch deploy failed:\n{result.stdout}{result.stderr}")
        with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER), autocommit=True) as conn:
            # The benchmark drives dispatch itself: keep pg_cron's jobs from racing it.
            conn.execute("UPDATE cron.job SET active = false WHERE jobname LIKE 'integration%'")
            conn.execute(f"CREATE ROLE {BENCH_WORKER} LOGIN")
            conn.execute(f"GRANT integration_worker TO {BENCH_WORKER}")
            conn.execute("SELECT set_config('bench.orgs', %s, false)", (str(orgs),))
            start = time.monotonic()
            conn.execute(GENERATOR.read_text().encode())
            generate_seconds = time.monotonic() - start
        yield Dataset(cluster=cluster, orgs=orgs, generate_seconds=generate_seconds)
