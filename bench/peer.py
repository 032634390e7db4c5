"""Side by side, same cluster, same client, same run:

- the claim -> finish cycle of 5,000 queued items through this package's
  claim_sync_runs / complete_sync_run against procrastinate's own fetch_job / finish_job
  SQL functions (its schema applied to a separate database of the same cluster), with
  the same table sizes: procrastinate_jobs holds as many finished jobs as sync_run_log
  holds runs (90 days of history) before the queue is filled;
- "last run per integration" through the RPC against the query a user would write
  without the package (DISTINCT ON, and GROUP BY max).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from importlib import resources
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from orchestrator.tooling import localdb

from .dataset import Dataset, org_id
from .stats import Row, percentile
from .targets import target

ITEMS = 5_000


def _queue_runs(ds: Dataset, items: int) -> None:
    """One pending manual run for each of `items` pairs that have no active run."""
    with psycopg.connect(ds.superuser_dsn, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO public.sync_run_log (org_id, integration_type, status, triggered_by)"
            " SELECT org_id, integration_type, 'pending', 'manual'"
            "   FROM public.organization_integrations o"
            "  WHERE NOT EXISTS (SELECT 1 FROM public.sync_run_log r WHERE r.org_id = o.org_id"
            "    AND r.integration_type = o.integration_type AND r.status IN ('pending','running'))"
            "  ORDER BY org_id, integration_type LIMIT %s",
            (items,),
        )


def _ours_items_per_s(ds: Dataset, items: int) -> float:
    _queue_runs(ds, items)
    with psycopg.connect(ds.worker_dsn, autocommit=True) as conn:
        start = time.perf_counter()
        done = 0
        while done < items:
            row = conn.execute(
                "SELECT run_id FROM integration_ops.claim_sync_runs(worker_id => 'peer-bench',"
                " max_runs => 1)",
                prepare=True,
            ).fetchone()
            if row is None:
                break
            conn.execute(
                "SELECT 1 FROM integration_ops.complete_sync_run(run_id => %s,"
                " records_processed => 1, records_failed => 0)",
                (row[0],),
                prepare=True,
            )
            done += 1
        elapsed = time.perf_counter() - start
    if done < items:
        raise RuntimeError(f"only {done} of {items} runs were claimable")
    return done / elapsed


def _ours_batched_items_per_s(ds: Dataset, items: int, batch: int) -> float:
    """claim_sync_runs(max_runs => batch) then finish_sync_runs with one report per run."""
    _queue_runs(ds, items)
    with psycopg.connect(ds.worker_dsn, autocommit=True) as conn:
        start = time.perf_counter()
        done = 0
        while done < items:
            ids = [
                str(r[0])
                for r in conn.execute(
                    "SELECT run_id FROM integration_ops.claim_sync_runs(worker_id => 'peer-batch',"
                    " max_runs => %s)",
                    (batch,),
                    prepare=True,
                ).fetchall()
            ]
            if not ids:
                break
            reports = Jsonb(
                [
                    {"run_id": i, "status": "completed", "records_processed": 1}
                    | {"records_failed": 0}
                    for i in ids
                ]
            )
            refused = conn.execute(
                "SELECT count(*) FILTER (WHERE refused_with IS NOT NULL)"
                " FROM integration_ops.finish_sync_runs(worker_id => 'peer-batch', reports => %s)",
                (reports,),
                prepare=True,
            ).fetchone()
            if refused is None or refused[0]:
                raise RuntimeError(f"finish_sync_runs refused {refused} reports")
            done += len(ids)
        elapsed = time.perf_counter() - start
    if done < items:
        raise RuntimeError(f"only {done} of {items} runs were claimable")
    return done / elapsed


_THEIRS: dict[int, float] = {}


def _procrastinate_items_per_s(ds: Dataset, items: int, history: int) -> float:
    """Measured once per bench run (the first caller's history size; the second comparison
    runs after 5,000 more runs, a rounding error beside 90 days of history)."""
    if items not in _THEIRS:
        _THEIRS[items] = _measure_procrastinate(ds, items, history)
    return _THEIRS[items]


def _measure_procrastinate(ds: Dataset, items: int, history: int) -> float:
    schema = (resources.files("procrastinate") / "sql" / "schema.sql").read_text()
    with psycopg.connect(ds.superuser_dsn, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS procrastinate_peer")
        conn.execute("CREATE DATABASE procrastinate_peer")
    dsn = ds.cluster.dsn(user=localdb.SUPERUSER, dbname="procrastinate_peer")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(schema.encode())
        # The same table size as ours: finished jobs for every run in sync_run_log.
        conn.execute("SET session_replication_role = replica")  # no events for history
        conn.execute(
            "INSERT INTO procrastinate_jobs (queue_name, task_name, args, status, attempts)"
            " SELECT 'default', 'bench_task', '{}'::jsonb, 'succeeded', 1"
            " FROM generate_series(1, %s)",
            (history,),
        )
        conn.execute("SET session_replication_role = origin")
        conn.execute("VACUUM ANALYZE procrastinate_jobs")
        conn.execute(
            "SELECT procrastinate_defer_jobs_v1(array_agg(ROW('default', 'bench_task', 0, NULL,"
            " NULL, '{}'::jsonb, NULL)::procrastinate_job_to_defer_v1))"
            " FROM generate_series(1, %s)",
            (items,),
        )
        wid_row = conn.execute(
            "SELECT worker_id FROM procrastinate_register_worker_v1()"
        ).fetchone()
        assert wid_row is not None
        start = time.perf_counter()
        done = 0
        while done < items:
            row = conn.execute(
                "SELECT id FROM procrastinate_fetch_job_v2(%s::varchar[], %s)",
                (["default"], wid_row[0]),
                prepare=True,
            ).fetchone()
            if row is None or row[0] is None:
                break
            conn.execute(
                "SELECT procrastinate_finish_job_v1(%s, 'succeeded', false)",
                (row[0],),
                prepare=True,
            )
            done += 1
        elapsed = time.perf_counter() - start
    if done < items:
        raise RuntimeError(f"procrastinate fetched only {done} of {items} jobs")
    return done / elapsed


BATCH = 50


def queue_peer(ds: Dataset) -> Row:
    """claim_sync_runs(max_runs 1) + complete_sync_run per item, against procrastinate."""
    return _compare(
        ds,
        "claim -> finish",
        "claim_sync_runs + complete_sync_run",
        lambda items: _ours_items_per_s(ds, items),
    )


def queue_peer_batched(ds: Dataset) -> Row:
    """Claims of 50 and one finish_sync_runs call per claim, against procrastinate's
    one-job-at-a-time fetch/finish (it has no batched fetch or finish)."""
    return _compare(
        ds,
        "claim -> finish, batched",
        f"claim_sync_runs(max_runs {BATCH}) + finish_sync_runs",
        lambda items: _ours_batched_items_per_s(ds, items, BATCH),
    )


def _compare(ds: Dataset, goal_name: str, ours_what: str, measure: Callable[[int], float]) -> Row:
    # One pending run per pair at a time (the active-run guard): at most one per pair.
    items = min(ITEMS, ds.orgs * 10)
    with psycopg.connect(ds.superuser_dsn) as conn:
        row = conn.execute("SELECT count(*) FROM public.sync_run_log").fetchone()
        history = int(row[0]) if row else 0
    ours = measure(items)
    goal = target(goal_name)
    name = f"{goal_name}, {items:,} items, one client"
    try:
        theirs = _procrastinate_items_per_s(ds, items, history)
    except ModuleNotFoundError:
        return Row(
            name=name,
            figure=f"{ours:,.0f} items/s (ours)",
            comparison="procrastinate not installed (pip install -e '.[bench]')",
        )
    return Row(
        name=name,
        figure=f"{ours:,.0f} items/s ({ours_what})",
        budget=goal.target,
        previous=goal.previous,
        comparison=f"procrastinate {theirs:,.0f} items/s; ours/theirs {ours / theirs:.2f}",
        note=(
            "procrastinate_fetch_job_v2 + procrastinate_finish_job_v1 (one job per call),"
            f" separate database; both tables hold {history:,} finished rows first"
        ),
        data={"ours_items_per_s": ours, "procrastinate_items_per_s": theirs, "history": history},
    )


NAIVE = {
    "DISTINCT ON": (
        "SELECT DISTINCT ON (integration_type) * FROM public.sync_run_log"
        " WHERE org_id = %(o)s ORDER BY integration_type, started_at DESC"
    ),
    "GROUP BY max": (
        "SELECT r.* FROM public.sync_run_log r JOIN (SELECT integration_type,"
        " max(started_at) AS m FROM public.sync_run_log WHERE org_id = %(o)s"
        " GROUP BY integration_type) x ON x.integration_type = r.integration_type"
        " AND x.m = r.started_at WHERE r.org_id = %(o)s"
    ),
}


def _time_query(conn: psycopg.Connection[Any], query: str, orgs: int, samples: int) -> float:
    rng = random.Random(3)
    times: list[float] = []
    for _ in range(samples):
        start = time.perf_counter()
        conn.execute(query, {"o": org_id(rng.randint(1, orgs))}, prepare=True).fetchall()
        times.append((time.perf_counter() - start) * 1000)
    return percentile(times, 50)


def naive_last_run(ds: Dataset, samples: int) -> Row:
    with psycopg.connect(ds.superuser_dsn, autocommit=True) as conn:
        conn.execute("SET ROLE service_role")
        conn.execute(
            "SELECT set_config('request.jwt.claims', '{\"role\":\"service_role\"}', false)"
        )
        ours = _time_query(
            conn,
            "SELECT * FROM public.get_last_run_per_integration(org_id => %(o)s)",
            ds.orgs,
            samples,
        )
        naive = {name: _time_query(conn, q, ds.orgs, samples) for name, q in NAIVE.items()}
    return Row(
        name="last run per integration: RPC vs hand-written SQL",
        figure=f"RPC p50 {ours:.2f} ms",
        budget="-",
        comparison="; ".join(f"{k} p50 {v:.2f} ms" for k, v in naive.items()),
        note="service_role, same orgs, prepared",
        data={"rpc_p50_ms": ours, **{f"{k}_p50_ms": v for k, v in naive.items()}},
    )
