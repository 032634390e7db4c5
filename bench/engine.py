"""The engine end to end: dispatch + worker against a slow loopback endpoint, the health
runner against probes of 50-500 ms, the worker's peak memory, and the per-call cost of
record_health_check and dispatch_due_syncs at scale."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from typing import Any

import psycopg

from orchestrator.tooling import localdb

from .dataset import Dataset, org_id
from .stats import Row, percentile

ENGINE_RUNS = 20
ENGINE_DELAY_MS = 2000
ENGINE_CONCURRENCY = 5
ENGINE_BUDGET_S = 50.0
PROBES = 100
RSS_RUNS = 1000


def _orchestrator(dsn: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "orchestrator", "--dsn", dsn, *args]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("ORCHESTRATOR_WEBHOOK_SECRET", "whsec_YmVuY2gtd2ViaG9vay1zaWduaW5nLWtleQ==")
    return env


def _check(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    out = subprocess.run(
        cmd, env=_env(), cwd=localdb.PROJECT_ROOT, capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[3:])} failed ({out.returncode}):\n{out.stderr[-2000:]}")
    return out


def _pairs(conn: psycopg.Connection[Any], first_org: int, count: int) -> list[tuple[str, str]]:
    """`count` distinct (org, type) pairs starting at org number `first_org`."""
    out: list[tuple[str, str]] = []
    n = first_org
    while len(out) < count:
        types = conn.execute(
            "SELECT integration_type FROM public.organization_integrations WHERE org_id = %s"
            " ORDER BY 1",
            (org_id(n),),
        ).fetchall()
        out.extend((org_id(n), t[0]) for t in types)
        n += 1
    return out[:count]


def startup_seconds(ds: Dataset, *args: str) -> float:
    """Wall time of a command with nothing to do: the fixed cost inside the figures."""
    start = time.monotonic()
    _check(_orchestrator(ds.worker_dsn, *args))
    return time.monotonic() - start


def engine_wall_time(ds: Dataset, base_url: str) -> Row:
    idle = startup_seconds(ds, "worker", "--once")
    with psycopg.connect(ds.superuser_dsn, autocommit=True) as conn:
        pairs = _pairs(conn, ds.orgs - 10, ENGINE_RUNS)
        for org, itype in pairs:
            conn.execute(
                "UPDATE public.organization_integrations SET endpoint_url = %s,"
                " next_sync_at = now() - interval '1 second' WHERE org_id = %s"
                " AND integration_type = %s",
                (f"{base_url}/sleep/{ENGINE_DELAY_MS}", org, itype),
            )
        start = time.monotonic()
        dispatched = json.loads(_check(_orchestrator(ds.worker_dsn, "dispatch")).stdout)
        _check(
            _orchestrator(
                ds.worker_dsn, "worker", "--once", "--concurrency", str(ENGINE_CONCURRENCY)
            )
        )
        wall = time.monotonic() - start
        done = conn.execute(
            "SELECT count(*) FROM public.sync_run_log WHERE id = ANY(%s::uuid[])"
            " AND status = 'completed'",
            (dispatched["run_ids"],),
        ).fetchone()
    bound = ENGINE_RUNS / ENGINE_CONCURRENCY * ENGINE_DELAY_MS / 1000
    return Row(
        name=f"engine: {ENGINE_RUNS} due integrations, 2 s endpoint, concurrency 5",
        figure=f"{wall:.1f} s wall ({done[0] if done else 0}/{ENGINE_RUNS} completed)",
        budget=f"{ENGINE_BUDGET_S:.0f} s",
        comparison=f"physical bound {bound:.0f} s; {wall / bound:.2f}x bound",
        note=f"dispatch + `worker --once` subprocesses; an idle `worker --once` takes {idle:.2f} s",
        data={"wall_s": wall, "bound_s": bound, "budget_s": ENGINE_BUDGET_S, "idle_s": idle},
    )


def health_runner_wall_time(ds: Dataset, base_url: str) -> Row:
    with psycopg.connect(ds.superuser_dsn, autocommit=True) as conn:
        # Only the benchmark's own loopback probes may run: no vendor default URLs.
        conn.execute("UPDATE public.organization_integrations SET health_mode = 'disabled'")
    idle = startup_seconds(ds, "health", "--once")
    rng = random.Random(11)
    delays = [rng.randint(50, 500) for _ in range(PROBES)]
    delays[0] = 500
    with psycopg.connect(ds.superuser_dsn, autocommit=True) as conn:
        pairs = _pairs(conn, 1, PROBES)
        for (org, itype), delay in zip(pairs, delays, strict=True):
            conn.execute(
                "UPDATE public.organization_integrations SET health_mode = 'active',"
                " health_config = jsonb_build_object('url', %s::text) WHERE org_id = %s"
                " AND integration_type = %s",
                (f"{base_url}/sleep/{delay}", org, itype),
            )
            conn.execute(
                "UPDATE public.integration_health_status SET next_check_at = now() - interval"
                " '1 second' WHERE org_id = %s AND integration_type = %s",
                (org, itype),
            )
        start = time.monotonic()
        _check(_orchestrator(ds.worker_dsn, "health", "--once", "--concurrency", str(PROBES)))
        wall = time.monotonic() - start
        recorded = conn.execute(
            "SELECT count(*) FROM public.integration_health_status"
            " WHERE checked_at > now() - make_interval(secs => %s)",
            (wall + 1,),
        ).fetchone()
    slowest = max(delays) / 1000
    return Row(
        name=f"health runner: {PROBES} probes of 50-500 ms",
        figure=f"{wall:.2f} s wall ({recorded[0] if recorded else 0} recorded)",
        budget="-",
        comparison=f"slowest probe {slowest:.2f} s; {wall / slowest:.1f}x",
        note=f"`health --once` subprocess; an idle `health --once` takes {idle:.2f} s",
        data={"wall_s": wall, "slowest_probe_s": slowest, "idle_s": idle},
    )


RSS_SCRIPT = """
import resource, sys
from orchestrator.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code or 0
print("MAXRSS_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
sys.exit(code)
"""


def worker_peak_rss(ds: Dataset, base_url: str) -> Row:
    with psycopg.connect(ds.superuser_dsn, autocommit=True) as conn:
        pairs = _pairs(conn, 1, RSS_RUNS)
        conn.execute(
            "UPDATE public.organization_integrations SET endpoint_url = %s",
            (f"{base_url}/sleep/0",),
        )
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO public.sync_run_log (org_id, integration_type, status, triggered_by)"
                " VALUES (%s, %s, 'pending', 'manual')",
                pairs,
            )
    cmd = [
        sys.executable,
        "-c",
        RSS_SCRIPT,
        "--dsn",
        ds.worker_dsn,
        "worker",
        "--once",
        "--concurrency",
        "5",
    ]
    start = time.monotonic()
    out = _check(cmd)
    wall = time.monotonic() - start
    kb = next(
        int(line.split()[1]) for line in out.stderr.splitlines() if line.startswith("MAXRSS_KB")
    )
    return Row(
        name=f"worker peak RSS over {RSS_RUNS} runs (fast endpoint)",
        figure=f"{kb / 1024:.1f} MiB",
        budget="-",
        comparison=f"{RSS_RUNS / wall:.0f} runs/s end to end",
        note="ru_maxrss of the worker process",
        data={"max_rss_kib": kb, "runs_per_s": RSS_RUNS / wall},
    )


def record_health_check_cost(ds: Dataset, samples: int) -> Row:
    rng = random.Random(5)
    times: list[float] = []
    with psycopg.connect(ds.worker_dsn, autocommit=True) as conn:
        for _ in range(samples):
            n = rng.randint(1, ds.orgs)
            start = time.perf_counter()
            conn.execute(
                "SELECT * FROM integration_ops.record_health_check(org_id => %(o)s,"
                " integration_type => %(t)s, status => %(s)s, latency_ms => %(l)s,"
                " error_message => NULL)",
                {
                    "o": org_id(n),
                    "t": rng.choice(["xledger", "dynamics", "bufdir"]),
                    "s": rng.choice(["healthy", "degraded"]),
                    "l": rng.randint(20, 900),
                },
                prepare=True,
            )
            times.append((time.perf_counter() - start) * 1000)
    return Row(
        name="record_health_check (upsert + history trigger + prune at cap 96)",
        figure=f"p50 {percentile(times, 50):.2f} / p99 {percentile(times, 99):.2f} ms",
        budget="-",
        comparison=f"{1000 / percentile(times, 50):,.0f} results/s on one connection",
        note="client round trip, committed",
        data={"p50_ms": percentile(times, 50), "p99_ms": percentile(times, 99)},
    )


def dispatch_cost(ds: Dataset) -> Row:
    """dispatch_due_syncs() with 1% of pairs due, rolled back after each measurement."""
    times: list[float] = []
    triggered = 0
    with psycopg.connect(ds.superuser_dsn) as conn:
        for _ in range(5):
            conn.execute(
                "UPDATE public.organization_integrations SET next_sync_at = now() - interval '1 s'"
                " WHERE abs(hashtext(org_id::text || integration_type)) % 100 = 0"
            )
            conn.execute("SET LOCAL ROLE integration_worker")
            start = time.perf_counter()
            row = conn.execute("SELECT integration_ops.dispatch_due_syncs()").fetchone()
            times.append((time.perf_counter() - start) * 1000)
            triggered = int(row[0]["triggered"]) if row else 0
            conn.rollback()
    return Row(
        name=f"dispatch_due_syncs() with 1% due ({triggered} of {ds.orgs * 10} pairs)",
        figure=f"p50 {percentile(times, 50):.1f} / max {max(times):.1f} ms",
        budget="-",
        comparison=f"{triggered / (percentile(times, 50) / 1000):,.0f} runs/s dispatched",
        note="one call, one batch INSERT; rolled back between samples",
        data={"p50_ms": percentile(times, 50), "triggered": triggered},
    )
