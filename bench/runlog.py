"""Which of sync_run_log's indexes pay for themselves (issue 16: "the indexes each write
maintains: sync_run_log has eight"). Evidence only: this package leaves the run log's
indexes to its owner; the benchmark reports.

- Each index: its size, and how often the whole `make bench` workload (RPCs, claims,
  dispatch, the engine, the worker) used it (pg_stat_user_indexes.idx_scan).
- The heartbeat experiment: 1,000 claimed runs get 5 heartbeats each (heartbeat_sync_runs,
  one call per round, as the worker sends them), then complete; measured
  as deployed, on pages with room (fillfactor 90), and then also without
  sync_run_log_running_idx. The running index's key is coalesce(heartbeat_at,
  started_at): a heartbeat changes an indexed value, so it can never be a HOT update, and
  every heartbeat writes a new entry into each index whose predicate the row matches (5
  of the 8 while running), plus WAL. Without that index a heartbeat changes no indexed
  column, and on a page with free space it is a HOT update: no index entry, less WAL,
  less to vacuum. (Pages the bulk of the table is written on are full: fillfactor 100.)
  The runs are then completed one by one, with 1,000 running: the planner, whose
  statistics see almost no running rows, serves the `WHERE id = $1 AND status =
  'running'` guard from the tiny running index and walks every running run instead of
  probing the primary key.
Runs after every other figure of the full dataset: it drops an index.
"""

from __future__ import annotations

import time
from typing import Any

import psycopg

from .dataset import Dataset
from .stats import Row

RUNS = 1000
BEATS = 5
WORKER = "bench-heartbeat"


def index_usage(ds: Dataset) -> list[Row]:
    with psycopg.connect(ds.superuser_dsn, autocommit=True) as conn:
        conn.execute("SELECT pg_stat_force_next_flush()")
        rows = conn.execute(
            "SELECT s.indexrelname, s.idx_scan, pg_relation_size(s.indexrelid),"
            "       pg_get_indexdef(s.indexrelid)"
            "  FROM pg_stat_user_indexes s"
            " WHERE s.relid = 'public.sync_run_log'::regclass ORDER BY s.indexrelname"
        ).fetchall()
        table = conn.execute(
            "SELECT pg_relation_size('public.sync_run_log'), count(*) FROM public.sync_run_log"
        ).fetchone()
    assert table is not None
    out = [
        Row(
            name=f"sync_run_log: heap {table[0] / 2**20:,.0f} MiB, {table[1]:,} rows, "
            f"{len(rows)} indexes",
            figure="",
            note="idx_scan = scans over the whole make bench workload on this dataset",
        )
    ]
    for name, scans, size, definition in rows:
        using = definition.split(" USING ", 1)[1] if " USING " in definition else definition
        out.append(
            Row(
                name=f"  {name}",
                figure=f"{size / 2**20:,.1f} MiB, {scans:,} scans",
                note=using,
                data={"bytes": int(size), "idx_scan": int(scans)},
            )
        )
    return out


def _lsn(conn: psycopg.Connection[Any]) -> int:
    row = conn.execute("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn").fetchone()
    assert row is not None
    return int(row[0])


def _updates(conn: psycopg.Connection[Any], writer: psycopg.Connection[Any]) -> tuple[int, int]:
    """sync_run_log's update counters, once `writer` has flushed its pending statistics
    (a backend flushes them when it goes idle after this call)."""
    writer.execute("SELECT pg_stat_force_next_flush()")
    conn.execute("SELECT pg_stat_clear_snapshot()")
    row = conn.execute(
        "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables"
        " WHERE relid = 'public.sync_run_log'::regclass"
    ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def _cycle(ds: Dataset, admin: psycopg.Connection[Any]) -> dict[str, float]:
    """RUNS runs: pending -> claimed -> BEATS heartbeat rounds -> completed."""
    admin.execute(
        "INSERT INTO public.sync_run_log (org_id, integration_type, status, triggered_by)"
        " SELECT o.org_id, o.integration_type, 'pending', 'manual'"
        "   FROM public.organization_integrations o"
        "  WHERE NOT EXISTS (SELECT FROM public.sync_run_log r WHERE r.org_id = o.org_id"
        "    AND r.integration_type = o.integration_type AND r.status IN ('pending','running'))"
        "  ORDER BY o.org_id, o.integration_type LIMIT %s",
        (RUNS,),
    )
    with psycopg.connect(ds.worker_dsn, autocommit=True) as worker:
        ids = [
            r[0]
            for r in worker.execute(
                "SELECT run_id FROM integration_ops.claim_sync_runs(%s, %s)", (WORKER, RUNS)
            ).fetchall()
        ]
        upd0, hot0 = _updates(admin, worker)
        wal0 = _lsn(admin)
        start = time.perf_counter()
        for _ in range(BEATS):
            worker.execute(
                "SELECT integration_ops.heartbeat_sync_runs(%s, %s::uuid[])", (WORKER, ids)
            )
        beat_s = time.perf_counter() - start
        wal = _lsn(admin) - wal0
        upd1, hot1 = _updates(admin, worker)
        start = time.perf_counter()
        for run_id in ids:
            worker.execute(
                "SELECT 1 FROM integration_ops.complete_sync_run(%s, 1, 0)", (run_id,), prepare=True
            )
        complete_s = time.perf_counter() - start
    beats = len(ids) * BEATS
    return {
        "runs": len(ids),
        "us_per_heartbeat": beat_s / beats * 1e6,
        "wal_bytes_per_heartbeat": wal / beats,
        "hot_fraction": (hot1 - hot0) / max(upd1 - upd0, 1),
        "ms_per_complete": complete_s / max(len(ids), 1) * 1000,
    }


def heartbeat_experiment(ds: Dataset) -> list[Row]:
    results: list[tuple[str, dict[str, float]]] = []
    with psycopg.connect(ds.superuser_dsn, autocommit=True) as admin:
        # 0.1's index on coalesce(heartbeat_at, started_at), put back for the comparison;
        # 0.2 dropped it (change index_sync_run_log_running_drop).
        admin.execute(
            "CREATE INDEX sync_run_log_running_idx ON public.sync_run_log"
            " (coalesce(heartbeat_at, started_at)) WHERE status = 'running'"
        )
        results.append(("with 0.1's sync_run_log_running_idx", _cycle(ds, admin)))
        admin.execute("DROP INDEX public.sync_run_log_running_idx")
        results.append(("as deployed (0.2: no running index)", _cycle(ds, admin)))
        admin.execute("ALTER TABLE public.sync_run_log SET (fillfactor = 90)")
        results.append(("as deployed, fillfactor 90 (new pages)", _cycle(ds, admin)))
    base = results[0][1]
    rows = []
    for label, r in results:
        rows.append(
            Row(
                name=f"  heartbeat, {label}",
                figure=(
                    f"{r['us_per_heartbeat']:.1f} us and {r['wal_bytes_per_heartbeat']:.0f} B WAL"
                    f" per run heartbeat; {r['hot_fraction'] * 100:.0f}% HOT; then"
                    f" complete_sync_run {r['ms_per_complete']:.2f} ms each"
                ),
                comparison=(
                    f"WAL x{r['wal_bytes_per_heartbeat'] / base['wal_bytes_per_heartbeat']:.2f},"
                    f" time x{r['us_per_heartbeat'] / base['us_per_heartbeat']:.2f}"
                ),
                note=f"{int(r['runs'])} runs x {BEATS} heartbeat rounds (heartbeat_sync_runs)",
                data=dict(r),
            )
        )
    return rows
