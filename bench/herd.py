"""The top-of-hour herd (issue 13): N hourly pairs due in the same minute, on a cluster shaped
like Supabase's small compute sizes (max_connections = 60, max_locks_per_transaction = 64).

Figures: every dispatch_due_syncs() call (one bounded batch) and the total for 20,000 due
pairs; the pg_cron procedure over 200,000 due pairs (no error, every period exactly once);
the per-pair loop form against the set-based form on the same herd; and release 0.1's
dispatcher on the same cluster (one transaction for the whole herd).

Run: `python -m bench.herd` (also part of `make bench`). Never a timed test.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import click
import psycopg

from orchestrator.tooling import localdb
from orchestrator.tooling.sqitch import run_sqitch

Conn = psycopg.Connection[Any]
SMALL_COMPUTE = {"max_connections": "60", "max_locks_per_transaction": "64"}

# The per-pair form, for comparison only: the same bounded batch, but one lock, one check
# and one INSERT per pair (0.1's shape). Lives in the bench's throwaway cluster only.
PER_PAIR_LOOP = """
CREATE SCHEMA IF NOT EXISTS bench;
CREATE OR REPLACE FUNCTION bench.dispatch_loop_batch(batch integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  v_pair record; v_slot timestamptz; v_n integer := 0; v_id uuid;
BEGIN
  FOR v_pair IN
    SELECT oi.org_id, oi.integration_type, oi.sync_interval, oi.sync_anchor, oi.next_sync_at
      FROM public.organization_integrations AS oi
     WHERE oi.enabled AND oi.sync_interval IS NOT NULL AND oi.next_sync_at <= now()
     ORDER BY oi.next_sync_at LIMIT batch FOR UPDATE SKIP LOCKED
  LOOP
    CONTINUE WHEN NOT pg_try_advisory_xact_lock(
      integration_ops.sync_pair_lock_key(v_pair.org_id, v_pair.integration_type));
    CONTINUE WHEN EXISTS (SELECT FROM public.sync_run_log AS r
                           WHERE r.org_id = v_pair.org_id
                             AND r.integration_type = v_pair.integration_type
                             AND r.status IN ('pending', 'running'));
    v_slot := date_bin(v_pair.sync_interval, v_pair.next_sync_at, v_pair.sync_anchor);
    SELECT e INTO v_id FROM integration_ops.enqueue_sync_runs(
      ARRAY[v_pair.org_id], ARRAY[v_pair.integration_type], 'scheduler', NULL, ARRAY[v_slot],
      ARRAY[v_pair.org_id::text || ':' || v_pair.integration_type || ':' || v_slot::text]) AS e;
    UPDATE public.organization_integrations AS oi
       SET next_sync_at = integration_ops.next_sync_slot(oi.sync_interval, oi.sync_anchor, v_slot)
     WHERE oi.org_id = v_pair.org_id AND oi.integration_type = v_pair.integration_type;
    v_n := v_n + 1;
  END LOOP;
  RETURN v_n;
END $$;
"""


@contextmanager
def small_compute_cluster() -> Iterator[localdb.LocalCluster]:
    with localdb.temporary_cluster() as cluster:
        with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER), autocommit=True) as conn:
            for key, value in SMALL_COMPUTE.items():
                conn.execute(f"ALTER SYSTEM SET {key} = {value}")
        localdb.stop_cluster(cluster.datadir)
        localdb.start_cluster(cluster.datadir, cluster.port)
        yield cluster


def deploy(cluster: localdb.LocalCluster, to: str | None = None) -> None:
    extra = ["--to", to] if to else []
    result = run_sqitch("deploy", cluster.sqitch_target(), extra, capture=True)
    if result.returncode != 0:
        raise click.ClickException(f"sqitch deploy failed:\n{result.stdout}\n{result.stderr}")


def seed_herd(conn: Conn, n: int, types: Sequence[str] = ("xledger",)) -> None:
    """N hourly pairs due now, one org each, their types taken from `types` in turn."""
    conn.execute("UPDATE cron.job SET active = false WHERE jobname LIKE 'integration%'")
    # TRUNCATE, not DELETE: the pairs' row trigger (settle_pending_sync_runs, 0.3) takes the
    # pair lock of every deleted row in one transaction, more than max_locks_per_transaction
    # 64 x max_connections 60 allows at 20,000 pairs ("out of shared memory").
    conn.execute("TRUNCATE public.sync_run_log, public.organization_integrations CASCADE")
    conn.execute(
        """INSERT INTO public.organization_integrations
             (org_id, integration_type, sync_interval, next_sync_at, endpoint_url, health_mode)
           SELECT gen_random_uuid(), (%s::text[])[1 + i %% cardinality(%s::text[])], '1 hour',
                  date_bin('1 hour', now(), '2000-01-01 00:00+00'), 'http://127.0.0.1:9/x',
                  'disabled'
             FROM generate_series(1, %s) AS i""",
        (list(types), list(types), n),
    )
    conn.execute("VACUUM ANALYZE public.organization_integrations")


def once_per_period(conn: Conn, n: int) -> bool:
    row = conn.execute(
        "SELECT count(*), count(DISTINCT idempotency_key) FROM public.sync_run_log"
    ).fetchone()
    return row == (n, n)


def batch_calls(
    conn: Conn, n: int, types: Sequence[str] = ("xledger",)
) -> tuple[float, float, int, bool]:
    """Repeated dispatch_due_syncs() calls until nothing is due: total s, slowest call s."""
    seed_herd(conn, n, types)
    slowest, calls = 0.0, 0
    started = time.perf_counter()
    while True:
        t = time.perf_counter()
        row = conn.execute("SELECT integration_ops.dispatch_due_syncs()").fetchone()
        slowest = max(slowest, time.perf_counter() - t)
        calls += 1
        assert row is not None
        if not row[0]["run_ids"]:
            break
    return time.perf_counter() - started, slowest, calls, once_per_period(conn, n)


def procedure(conn: Conn, n: int) -> tuple[float, int, bool]:
    """The pg_cron path: CALL dispatch_all_due_syncs() as each minute's tick would, until
    nothing is due. Returns total seconds, the number of calls (ticks), exactly-once."""
    seed_herd(conn, n)
    started, ticks = time.perf_counter(), 0
    while True:
        conn.execute("CALL integration_ops.dispatch_all_due_syncs()")
        ticks += 1
        left = conn.execute(
            "SELECT count(*) FROM public.organization_integrations WHERE next_sync_at <= now()"
        ).fetchone()
        if left == (0,):
            break
    return time.perf_counter() - started, ticks, once_per_period(conn, n)


def per_pair_loop(conn: Conn, n: int, batch: int) -> float:
    conn.execute(PER_PAIR_LOOP)
    seed_herd(conn, n)
    started = time.perf_counter()
    while True:
        row = conn.execute("SELECT bench.dispatch_loop_batch(%s)", (batch,)).fetchone()
        if row is None or row[0] == 0:
            break
    return time.perf_counter() - started


def measure(herd: int = 20_000, big_herd: int = 200_000) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    with small_compute_cluster() as cluster:
        dsn = cluster.dsn(user="postgres")
        # release 0.1's dispatcher: the whole herd in one transaction
        deploy(cluster, "@v0.1.0")
        with psycopg.connect(dsn, autocommit=True) as conn:
            seed_herd(conn, herd)
            try:
                conn.execute("SELECT integration_ops.dispatch_due_syncs()")
                old = "no error"
            except psycopg.Error as exc:
                old = f"{exc.diag.message_primary}"
        rows.append(
            {
                "figure": f"0.1 dispatch, {herd:,} due, max_connections 60",
                "value": old,
                "target": "(the defect)",
            }
        )
        deploy(cluster)
        with psycopg.connect(dsn, autocommit=True) as conn:
            batch = conn.execute(
                "SELECT dispatch_batch_size FROM integration_ops.settings"
            ).fetchone()
            assert batch is not None
            total, slowest, calls, exact = batch_calls(conn, herd)
            rows.append(
                {
                    "figure": f"{herd:,} due: all dispatch_due_syncs() calls ({calls})",
                    "value": f"{total:.2f} s",
                    "target": "<= 3 s (0.1: 2.0-2.5 s with enough locks; error at 60 connections)",
                }
            )
            rows.append(
                {
                    "figure": f"{herd:,} due: slowest call (batch {batch[0]})",
                    "value": f"{slowest * 1000:.0f} ms",
                    "target": "<= 1 s",
                }
            )
            rows.append(
                {
                    "figure": f"{herd:,} due: one run per pair and period",
                    "value": str(exact),
                    "target": "True",
                }
            )
            loop = per_pair_loop(conn, herd, int(batch[0]))
            rows.append(
                {
                    "figure": f"{herd:,} due: per-pair loop form, same batches",
                    "value": f"{loop:.2f} s",
                    "target": f"set-based {total:.2f} s",
                }
            )
            big_total, ticks, big_exact = procedure(conn, big_herd)
            rows.append(
                {
                    "figure": f"{big_herd:,} due: CALL dispatch_all_due_syncs()",
                    "value": f"{big_total:.1f} s in {ticks} call(s), once: {big_exact}",
                    "target": "no error, every period exactly once",
                }
            )
    return rows


@click.command()
@click.option("--herd", type=int, default=20_000, show_default=True)
@click.option("--big-herd", type=int, default=200_000, show_default=True)
def main(herd: int, big_herd: int) -> None:
    """Measure the herd figures on a throwaway small-compute cluster."""
    for row in measure(herd, big_herd):
        click.echo(f"{row['figure']:<58} {row['value']:>28}   target {row['target']}")


if __name__ == "__main__":
    main()
