"""get_engine_status() on a busy day (issue 17: "index-backed: <= 5 ms at 2,000 orgs with
90 days of runs"), and the every-minute jobs behind it.

The full dataset (`sql/bench_generate.sql`: 90 days of daily runs per pair, 1.8 M runs at
2,000 orgs) gets the last 24 hours on top (`DAY_SQL`): one scheduled run per pair that ended
in the last 24 hours (about one in ten failed, one in 200 cancelled; drift of a few seconds,
one in 101 over settings.drift_alert), about 200 running runs on four workers, 50 pending
runs of which some are stale, and a streak of three failures for one pair in 201. The
generator's health rows make one pair in five unreachable (4,000 pairs at 2,000 orgs: far
more than the 100 `failing` reports). refresh_alerts() then opens the alerts.

Figures (server time from EXPLAIN ANALYZE and client round trip; each sample one rolled-back
PostgREST-shaped transaction, as bench/rpcs.py measures every RPC; the indexes its samples
used):
- get_engine_status() as service_role and as a global admin, with the snapshot
  integration_ops.engine_stats fresh (what pg_cron keeps it);
- the same without a snapshot (pg_cron stopped: each call computes the last 24 hours);
- refresh_engine_stats() and refresh_alerts() per call and per hour (each runs every minute).

Run: `python -m bench.engine_status` (also part of `make bench`). Never a timed test.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

import click
import psycopg
from psycopg import sql

from .dataset import Dataset, dataset, user_id
from .report import print_table, write_json
from .rpcs import SERVICE, Call, Timings, time_calls
from .stats import Row, percentile
from .targets import target

RESULTS = Path(__file__).resolve().parent / "results"

DAY_SQL = """
SET session_replication_role = replica;  -- bulk load: the run-log triggers are skipped
CREATE TEMP TABLE bench_day_pairs AS
SELECT oi.org_id, oi.integration_type,
       row_number() OVER (ORDER BY oi.org_id, oi.integration_type) AS n
  FROM public.organization_integrations AS oi;
-- One scheduled run per pair, ended in the last 24 hours, in time order.
INSERT INTO public.sync_run_log
  (org_id, integration_type, status, triggered_by, created_at, scheduled_for, idempotency_key,
   started_at, ended_at, records_processed, error_code, error_message, worker_id, heartbeat_at)
SELECT p.org_id, p.integration_type, s.status, 'scheduler', s.period, s.period,
       p.org_id || ':' || p.integration_type || ':bench-day', s.started,
       s.started + (10 + p.n % 50) * interval '1 second', p.n % 5000,
       CASE s.status WHEN 'failed' THEN 'http_500' WHEN 'cancelled' THEN 'integration_disabled' END,
       CASE s.status WHEN 'failed' THEN 'vendor returned 500' END,
       CASE WHEN s.status <> 'cancelled' THEN 'bench-worker-' || p.n / 10 % 4 END,
       CASE WHEN s.status <> 'cancelled' THEN s.started END
  FROM bench_day_pairs AS p
 CROSS JOIN LATERAL (
   SELECT CASE WHEN p.n % 201 = 0 OR p.n % 11 = 3 THEN 'failed'
               WHEN p.n % 199 = 7 THEN 'cancelled' ELSE 'completed' END AS status,
          now() - interval '23 hours 55 minutes' + (p.n * 7919 % 86000) * interval '1 second'
            - interval '5 minutes' AS started,
          now() - interval '23 hours 55 minutes' + (p.n * 7919 % 86000) * interval '1 second'
            - interval '5 minutes'
            - CASE WHEN p.n % 101 = 1 THEN interval '8 minutes'
                   ELSE (p.n % 9) * interval '1 second' END AS period) AS s
 ORDER BY s.started;
-- A streak of three failures for one pair in 201 (two more before the one above).
INSERT INTO public.sync_run_log
  (org_id, integration_type, status, triggered_by, created_at, started_at, ended_at,
   error_code, error_message, worker_id)
SELECT p.org_id, p.integration_type, 'failed', 'manual', t, t, t + interval '5 seconds',
       'http_500', 'vendor returned 500', 'bench-worker-0'
  FROM bench_day_pairs AS p
 CROSS JOIN LATERAL (VALUES (now() - interval '23 hours 58 minutes'),
                            (now() - interval '23 hours 57 minutes')) AS k (t)
 WHERE p.n % 201 = 0;
-- In flight: 200 running runs on four workers.
INSERT INTO public.sync_run_log
  (org_id, integration_type, status, triggered_by, created_at, started_at, worker_id, heartbeat_at)
SELECT p.org_id, p.integration_type, 'running', 'manual', now() - interval '40 seconds',
       now() - interval '40 seconds', 'bench-worker-' || p.n / 100 % 4,
       now() - (p.n % 20) * interval '1 second'
  FROM bench_day_pairs AS p WHERE p.n % 101 = 50;
-- Waiting: 50 pending runs, 10 of them stale.
INSERT INTO public.sync_run_log
  (org_id, integration_type, status, triggered_by, created_at, started_at)
SELECT p.org_id, p.integration_type, 'pending', 'manual',
       now() - CASE WHEN p.n / 101 % 5 = 0 THEN interval '30 minutes' ELSE interval '5 seconds' END,
       now() - CASE WHEN p.n / 101 % 5 = 0 THEN interval '30 minutes' ELSE interval '5 seconds' END
  FROM (SELECT * FROM bench_day_pairs WHERE n % 101 = 25 ORDER BY n LIMIT 50) AS p;
SET session_replication_role = origin;
"""

ENGINE_STATUS = "SELECT public.get_engine_status()"
REFRESH_STATS = "SELECT integration_ops.refresh_engine_stats()"
REFRESH_ALERTS = "SELECT integration_ops.refresh_alerts()"
JOB_CALLS = 20
TARGET_MS = 5.0


def build_day(ds: Dataset) -> dict[str, int]:
    """The last 24 hours on top of the 90 days, VACUUM ANALYZE, then the alerts (as the
    every-minute job would have opened them for the last hour)."""
    with psycopg.connect(ds.superuser_dsn, autocommit=True) as conn:
        conn.execute(DAY_SQL.encode())
        conn.execute("VACUUM (ANALYZE) public.sync_run_log")
        conn.execute("SELECT integration_ops.refresh_alerts()")
        conn.execute("VACUUM (ANALYZE) integration_ops.alerts")
        row = conn.execute(
            "SELECT (SELECT count(*) FROM public.sync_run_log),"
            "       (SELECT count(*) FROM public.sync_run_log"
            "         WHERE ended_at >= now() - interval '24 hours'),"
            "       (SELECT count(*) FROM integration_ops.alerts WHERE resolved_at IS NULL),"
            "       (SELECT count(*) FROM public.integration_health_status"
            "         WHERE status = 'unreachable'),"
            "       (SELECT count(*) FROM public.sync_run_log WHERE status = 'running'),"
            "       (SELECT count(*) FROM public.sync_run_log WHERE status = 'pending')"
        ).fetchone()
    assert row is not None
    keys = ("runs", "runs_24h", "open_alerts", "unreachable", "running", "pending")
    return {k: int(v) for k, v in zip(keys, row, strict=True)}


def _engine_status_call(role: str) -> Callable[[random.Random, int], Call]:
    if role == "service_role":
        call = Call("service_role", SERVICE, sql.SQL(ENGINE_STATUS), {})
    else:
        claims = {"sub": user_id(1, "admin"), "role": "authenticated", "user_role": "global_admin"}
        call = Call("authenticated", claims, sql.SQL(ENGINE_STATUS), {})

    def make(_rng: random.Random, _orgs: int) -> Call:
        return call

    return make


def _job_calls(ds: Dataset, statement: str) -> list[float]:
    """Server time of `statement` as the pg_cron job runs it (committed: each call sees the
    previous one's rows)."""
    times: list[float] = []
    with psycopg.connect(ds.superuser_dsn, autocommit=True) as conn:
        for _ in range(JOB_CALLS):
            plan = conn.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}").fetchone()
            assert plan is not None
            times.append(float(plan[0][0]["Execution Time"]))
    return times


def _refresh_snapshot(ds: Dataset) -> None:
    with psycopg.connect(ds.superuser_dsn, autocommit=True) as conn:
        conn.execute("SELECT integration_ops.refresh_engine_stats()")


def _drop_snapshot(ds: Dataset) -> None:
    with psycopg.connect(ds.superuser_dsn, autocommit=True) as conn:
        conn.execute("DELETE FROM integration_ops.engine_stats")


def _status_row(label: str, t: Timings, with_target: bool) -> Row:
    goal = target("get_engine_status")
    p99 = t.server(99)
    verdict = f"{TARGET_MS / p99:.1f}x under {TARGET_MS:.0f} ms" if p99 <= TARGET_MS else "OVER"
    return Row(
        name=f"get_engine_status() {label}",
        figure=t.figure(),
        budget=goal.target if with_target else "-",
        previous=goal.previous if with_target else "",
        comparison=verdict if with_target else "",
        note="indexes: " + (", ".join(t.indexes) if t.indexes else "none"),
        data=t.data(),
    )


def _job_row(name: str, times: list[float]) -> Row:
    p50 = percentile(times, 50)
    goal = target(name)
    return Row(
        name=f"{name}() (pg_cron, every minute)",
        figure=(
            f"server p50 {p50:.2f} / p99 {percentile(times, 99):.2f} ms; {p50 * 60 / 1000:.2f} s/h"
        ),
        budget=goal.target,
        previous=goal.previous,
        note=f"{JOB_CALLS} calls, committed",
        data={"server_p50_ms": p50, "server_p99_ms": percentile(times, 99)},
    )


def measure(ds: Dataset, samples: int) -> list[Row]:
    facts = build_day(ds)
    rows = [
        Row(
            name=f"engine status data: {ds.orgs:,} orgs x 10 integrations",
            figure=f"{facts['runs']:,} runs, {facts['runs_24h']:,} ended in 24 h",
            note=(
                f"{facts['open_alerts']:,} open alerts, {facts['unreachable']:,} unreachable"
                f" pairs, {facts['running']:,} running, {facts['pending']:,} pending"
            ),
            data=dict(facts),
        )
    ]
    with psycopg.connect(ds.superuser_dsn) as conn:
        for role in ("service_role", "global admin"):
            _refresh_snapshot(ds)  # fresh, as the every-minute job keeps it
            t = time_calls(conn, _engine_status_call(role), ds.orgs, samples)
            rows.append(_status_row(f"as {role}", t, with_target=True))
        _drop_snapshot(ds)
        live = time_calls(conn, _engine_status_call("service_role"), ds.orgs, max(samples // 4, 10))
        rows.append(_status_row("without a snapshot (pg_cron stopped)", live, with_target=False))
    rows.append(_job_row("refresh_engine_stats", _job_calls(ds, REFRESH_STATS)))
    rows.append(_job_row("refresh_alerts", _job_calls(ds, REFRESH_ALERTS)))
    return rows


@click.command()
@click.option("--orgs", type=int, default=2000, envvar="BENCH_ORGS", show_default=True)
@click.option("--samples", type=int, default=200, show_default=True)
@click.option("--results-dir", type=click.Path(path_type=Path), default=RESULTS)
def main(orgs: int, samples: int, results_dir: Path) -> None:
    """get_engine_status() on a busy day of N orgs with 90 days of runs."""
    started = time.monotonic()
    click.echo(f"building {orgs} orgs x 10 integrations, 90 days of runs ...", err=True)
    with dataset(orgs) as ds:
        click.echo(f"  generated in {ds.generate_seconds:.1f} s; adding the last day ...", err=True)
        rows = measure(ds, samples)
    meta: dict[str, object] = {
        "orgs": orgs,
        "samples": samples,
        "total_s": round(time.monotonic() - started, 1),
    }
    print_table(f"get_engine_status: {orgs} orgs x 10 integrations, 90 days of runs", rows)
    path = write_json(results_dir, f"engine-status-{orgs}", meta, rows)
    click.echo(f"\nwrote {path} (total {meta['total_s']} s)")


if __name__ == "__main__":
    main()
