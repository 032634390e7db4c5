"""What the package costs a large database when nothing is due (issue 16).

- The polling calls one at a time, server side (EXPLAIN ANALYZE) and client round trip:
  claim_health_checks (every health poll), claim_sync_runs (every worker poll),
  dispatch_due_syncs (pg_cron, every minute), get_global_health_summary.
- The idle cost: with pg_stat_statements, the worker, the health runner and the pg_cron
  jobs run at their defaults for a measured period; the package's database time is
  summed per source and scaled to one hour. A job whose schedule does not come round
  in the period (the reaper, the hourly cleanup, the nightly archive) is run once by
  hand as its owner and counted at its schedule's rate.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from orchestrator.tooling import localdb

from .dataset import BENCH_HEALTH, BENCH_WORKER, Dataset, user_id
from .rpcs import Call, Timings, time_calls
from .stats import Row
from .targets import target

DEPLOY_ROLE = localdb.DEPLOY_USER  # pg_cron runs the package's jobs as their owner
SETTLE_S = 5.0


def _worker_call(query: str) -> Any:
    def make(rng: random.Random, orgs: int) -> Call:
        return Call("integration_worker", {"role": "integration_worker"}, sql.SQL(query), {})

    return make


def _summary_call(rng: random.Random, orgs: int) -> Call:
    claims = {"sub": user_id(1, "admin"), "role": "authenticated", "user_role": "global_admin"}
    return Call(
        "authenticated", claims, sql.SQL("SELECT * FROM public.get_global_health_summary()"), {}
    )


POLLS: list[tuple[str, str, Any]] = [
    (
        "claim_health_checks",
        "claim_health_checks(max_checks 200), every health poll",
        _worker_call(
            "SELECT * FROM integration_ops.claim_health_checks(worker_id => 'bench-idle',"
            " max_checks => 200)"
        ),
    ),
    (
        "get_global_health_summary idle",
        "get_global_health_summary (global admin)",
        _summary_call,
    ),
    (
        "dispatch_due_syncs",
        "dispatch_due_syncs(), pg_cron every minute",
        _worker_call("SELECT integration_ops.dispatch_due_syncs()"),
    ),
    (
        "claim_sync_runs",
        "claim_sync_runs(max_runs 5), every worker poll",
        _worker_call(
            "SELECT * FROM integration_ops.claim_sync_runs(worker_id => 'bench-idle',"
            " max_runs => 5)"
        ),
    ),
]


def polling_calls(ds: Dataset, samples: int) -> list[Row]:
    rows: list[Row] = []
    with psycopg.connect(ds.superuser_dsn) as conn:
        for key, label, make in POLLS:
            t: Timings = time_calls(conn, make, ds.orgs, samples)
            goal = target(key)
            rows.append(
                Row(
                    name=f"idle {label}, {ds.pairs:,} pairs",
                    figure=t.figure(),
                    budget=goal.target,
                    previous=goal.previous,
                    note="nothing due; indexes: " + (", ".join(t.indexes) or "none"),
                    data=t.data(),
                )
            )
    return rows


# The idle cost ---------------------------------------------------------------------------


def runs_per_hour(schedule: str) -> float:
    """How often a pg_cron schedule fires per hour (minute and hour fields; 'N seconds')."""
    parts = schedule.split()
    if len(parts) == 2 and parts[1].startswith("second"):
        return 3600.0 / float(parts[0])
    minute, hour = parts[0], parts[1]

    def per(field: str, span: int) -> float:
        if field == "*":
            return float(span)
        if field.startswith("*/"):
            return span / int(field[2:])
        return float(len(field.split(",")))

    return per(minute, 60) * per(hour, 24) / 24


@dataclass(frozen=True)
class Job:
    name: str
    schedule: str
    command: str


@dataclass(frozen=True)
class Stat:
    calls: int
    ms: float


def _statements(conn: psycopg.Connection[Any]) -> dict[tuple[str, str], Stat]:
    """pg_stat_statements of this database by (role, query): calls and total time."""
    rows = conn.execute(
        "SELECT r.rolname, s.query, sum(s.calls)::bigint,"
        "       sum(s.total_exec_time + s.total_plan_time)"
        "  FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid"
        " WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
        " GROUP BY 1, 2"
    ).fetchall()
    return {(str(r[0]), str(r[1])): Stat(int(r[2]), float(r[3])) for r in rows}


def _same_sql(a: str, b: str) -> bool:
    return " ".join(a.strip().rstrip(";").split()) == " ".join(b.strip().rstrip(";").split())


def _start(dsn: str, *args: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.setdefault("ORCHESTRATOR_WEBHOOK_SECRET", "whsec_YmVuY2gtd2ViaG9vay1zaWduaW5nLWtleQ==")
    cmd = [sys.executable, "-m", "orchestrator", "--dsn", dsn, *args]
    return subprocess.Popen(
        cmd,
        env=env,
        cwd=localdb.PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _stop(proc: subprocess.Popen[bytes]) -> str:
    if proc.poll() is not None:
        _, err = proc.communicate()
        raise RuntimeError(
            f"{proc.args!r} exited early ({proc.returncode}):\n{err.decode()[-2000:]}"
        )
    proc.send_signal(signal.SIGTERM)
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
    return err.decode()


def idle_cost(ds: Dataset, seconds: float) -> list[Row]:
    with psycopg.connect(ds.superuser_dsn, autocommit=True) as admin:
        jobs = [
            Job(str(r[0]), str(r[1]), str(r[2]))
            for r in admin.execute(
                "SELECT jobname, schedule, command FROM cron.job"
                " WHERE jobname LIKE 'integration%' ORDER BY jobname"
            ).fetchall()
        ]
        admin.execute("UPDATE cron.job SET active = true WHERE jobname LIKE 'integration%'")
        procs = [_start(ds.worker_dsn, "worker"), _start(ds.health_dsn, "health")]
        try:
            time.sleep(SETTLE_S)  # start-up (connections, settings) is not the idle cost
            admin.execute("SELECT pg_stat_statements_reset()")
            start = time.monotonic()
            time.sleep(seconds)
            window = _statements(admin)
            elapsed = time.monotonic() - start
        finally:
            for proc in procs:
                _stop(proc)
            admin.execute("UPDATE cron.job SET active = false WHERE jobname LIKE 'integration%'")

        scale = 3600.0 / elapsed
        worker_ms = health_ms = other_ms = 0.0
        worker_calls = health_calls = 0
        job_ms: dict[str, tuple[float, float, str]] = {}  # name -> (ms per run, runs/h, how)
        for (role, query), stat in window.items():
            if role == BENCH_WORKER:
                worker_ms += stat.ms
                worker_calls += stat.calls
            elif role == BENCH_HEALTH:
                health_ms += stat.ms
                health_calls += stat.calls
            elif role == DEPLOY_ROLE:
                job = next((j for j in jobs if _same_sql(j.command, query)), None)
                if job is None:
                    other_ms += stat.ms
                else:
                    job_ms[job.name] = (stat.ms / stat.calls, runs_per_hour(job.schedule), "seen")
        # Jobs whose schedule did not come round: once by hand, as their owner.
        for job in jobs:
            if job.name in job_ms:
                continue
            before = _statements(admin)
            admin.execute(f"SET ROLE {DEPLOY_ROLE}")
            admin.execute(job.command.encode())
            admin.execute("RESET ROLE")
            after = _statements(admin)
            ms = sum(
                s.ms - before.get(k, Stat(0, 0.0)).ms
                for k, s in after.items()
                if k[0] == DEPLOY_ROLE and _same_sql(job.command, k[1])
            )
            job_ms[job.name] = (ms, runs_per_hour(job.schedule), "run once by hand")

    rows: list[Row] = []
    total_s = (worker_ms + health_ms + other_ms) * scale / 1000 + sum(
        ms * rate / 1000 for ms, rate, _ in job_ms.values()
    )
    goal = target("idle cost")
    rows.append(
        Row(
            name=f"idle cost: package database time per hour, {ds.pairs:,} pairs",
            figure=f"{total_s:.2f} s per hour",
            budget=goal.target,
            previous=goal.previous,
            comparison=f"{total_s / 3600 * 100:.3f}% of one core",
            note=(
                f"pg_stat_statements over {elapsed:.0f} s: `orchestrator worker` + "
                "`orchestrator health` at their defaults, pg_cron jobs at their schedules"
            ),
            data={"total_s_per_h": total_s, "window_s": elapsed},
        )
    )
    parts = [
        ("worker (LISTEN + polls)", worker_ms * scale / 1000, worker_calls * scale),
        ("health runner (polls)", health_ms * scale / 1000, health_calls * scale),
    ]
    for name, s_per_h, calls_per_h in parts:
        rows.append(
            Row(
                name=f"  {name}",
                figure=f"{s_per_h:.3f} s per hour",
                note=f"{calls_per_h:,.0f} statements per hour",
                data={"s_per_h": s_per_h, "calls_per_h": calls_per_h},
            )
        )
    for name, (ms, rate, how) in sorted(job_ms.items()):
        rows.append(
            Row(
                name=f"  pg_cron {name}",
                figure=f"{ms * rate / 1000:.3f} s per hour",
                note=f"{ms:.2f} ms per run x {rate:g} runs/h ({how})",
                data={"ms_per_run": ms, "runs_per_h": rate},
            )
        )
    if other_ms:
        rows.append(
            Row(
                name=f"  other statements as {DEPLOY_ROLE}",
                figure=f"{other_ms * scale / 1000:.3f} s per hour",
            )
        )
    return rows
