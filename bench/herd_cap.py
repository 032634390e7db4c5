"""The herd with a cap on one type (issue 22, flow control): N hourly pairs due at once across
the three shipped types, one of them (bufdir, a national endpoint) capped with
`integration_types.max_concurrent_runs`, on the small-compute cluster of `bench.herd`.

The same herd is run twice, without the cap and with it, each time from a fresh seed:
- the dispatch alone (`dispatch_due_syncs()` until nothing is due, nobody claiming), the
  figure `bench.herd` reports, with and without the cap;
- then the dispatch while played workers drain the queue: each worker is a thread with its own
  connection that calls the real `claim_sync_runs(worker_id, free slots)`, holds every claimed
  run for a fixed time (the integration call, played: no HTTP) and reports the ended ones in
  batches of up to 50 through `finish_sync_runs`, as the shipped worker does. Polls every
  20 ms while it has free slots and nothing was claimed (the shipped worker LISTENs instead).

Figures: dispatch time with the cap beside without it; the time from the first dispatch call
until the last run of the uncapped types has been claimed (started), with the cap beside
without it; when the capped type drained; the capped type's runs in flight, counted in the
database right after every claim that returned runs (never above the cap); whether it drained
oldest first (by the claim's order, `coalesce(not_before, created_at), id`); and the claim's
latency by the capped type's backlog (flat: the claim is O(claimed)).

Run: `python -m bench.herd_cap` (also part of `make bench`); `--herd 2000` for a quick check.
Never a timed test.
"""

from __future__ import annotations

import heapq
import itertools
import os
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
import psycopg
from psycopg.types.json import Jsonb

from orchestrator.tooling import localdb
from orchestrator.tooling.localdb import PROJECT_ROOT

from .herd import Conn, batch_calls, deploy, once_per_period, seed_herd, small_compute_cluster
from .report import print_table, write_json
from .stats import Row, percentile

RESULTS = PROJECT_ROOT / "bench" / "results"
TYPES = ("xledger", "dynamics", "bufdir")
CAPPED = "bufdir"
POLL_S = 0.020
REPORTS_PER_CALL = 50
# The capped type's backlog (pending runs, counted after each claim) in these ranges.
BACKLOG_EDGES = (0, 100, 1_000, 3_000, 6_000)

CLAIM = (
    "SELECT run_id, integration_type FROM integration_ops.claim_sync_runs("
    "worker_id => %s::text, max_runs => %s::integer)"
)
FINISH = (
    "SELECT count(*) FROM integration_ops.finish_sync_runs("
    "worker_id => %s::text, reports => %s::jsonb) WHERE refused_with IS NULL"
)
CAPPED_NOW = """
SELECT count(*) FILTER (WHERE status = 'running'), count(*) FILTER (WHERE status = 'pending')
  FROM public.sync_run_log WHERE integration_type = %s AND status IN ('pending', 'running')
"""


@dataclass(frozen=True)
class Claim:
    """One claim that returned runs: when (seconds since the first dispatch call), how long
    the call took, what it returned, and the capped type's runs right after it."""

    t_call: float
    t_return: float
    claimed: int
    capped_ids: tuple[uuid.UUID, ...]
    capped_running: int
    capped_pending: int


@dataclass
class Drain:
    """What one herd with played workers measured."""

    cap: int | None
    per_type: dict[str, int]
    dispatch_s: float = 0.0
    dispatch_calls: int = 0
    slowest_call_s: float = 0.0
    uncapped_started_s: float = 0.0
    capped_started_s: float = 0.0
    done_s: float = 0.0
    claims: list[Claim] = field(default_factory=list)
    exactly_once: bool = False
    completed: int = 0
    out_of_order: int = 0


class _Shared:
    """The played workers' common state: counts, the claims, the clock's zero."""

    def __init__(self, per_type: dict[str, int]) -> None:
        self.lock = threading.Lock()
        self.total = sum(per_type.values())
        self.uncapped_total = self.total - per_type.get(CAPPED, 0)
        self.capped_total = per_type.get(CAPPED, 0)
        self.uncapped_claimed = 0
        self.capped_claimed = 0
        self.finished = 0
        self.uncapped_started_s = 0.0
        self.capped_started_s = 0.0
        self.claims: list[Claim] = []
        self.dispatch_done = threading.Event()
        self.stop = threading.Event()
        self.errors: list[BaseException] = []
        self.t0 = 0.0

    def now(self) -> float:
        return time.perf_counter() - self.t0

    def claimed(self, claim: Claim, uncapped: int) -> None:
        with self.lock:
            self.claims.append(claim)
            self.uncapped_claimed += uncapped
            self.capped_claimed += len(claim.capped_ids)
            if uncapped and self.uncapped_claimed == self.uncapped_total:
                self.uncapped_started_s = claim.t_return
            if claim.capped_ids and self.capped_claimed == self.capped_total:
                self.capped_started_s = claim.t_return

    def reported(self, n: int) -> None:
        with self.lock:
            self.finished += n
            if self.finished >= self.total:
                self.stop.set()


def _dispatcher(dsn: str, shared: _Shared, go: threading.Event, drain: Drain) -> None:
    try:
        with psycopg.connect(dsn, autocommit=True) as conn:
            go.wait()
            while True:
                t = time.perf_counter()
                row = conn.execute("SELECT integration_ops.dispatch_due_syncs()").fetchone()
                drain.slowest_call_s = max(drain.slowest_call_s, time.perf_counter() - t)
                drain.dispatch_calls += 1
                assert row is not None
                if not row[0]["run_ids"]:
                    break
            drain.dispatch_s = shared.now()
    except BaseException as exc:  # reported by the caller
        shared.errors.append(exc)
        shared.stop.set()
    finally:
        shared.dispatch_done.set()


def _worker(dsn: str, name: str, slots: int, run_s: float, shared: _Shared) -> None:
    in_flight: list[tuple[float, str]] = []  # (ends at, run id), a heap
    try:
        with psycopg.connect(dsn, autocommit=True) as conn:
            while not shared.stop.is_set():
                now = shared.now()
                ended: list[str] = []
                while in_flight and in_flight[0][0] <= now:
                    ended.append(heapq.heappop(in_flight)[1])
                for i in range(0, len(ended), REPORTS_PER_CALL):
                    reports = [
                        {"run_id": r, "status": "completed", "records_processed": 1,
                         "records_failed": 0}
                        for r in ended[i : i + REPORTS_PER_CALL]
                    ]  # fmt: skip
                    row = conn.execute(FINISH, (name, Jsonb(reports))).fetchone()
                    assert row is not None and row[0] == len(reports), row
                    shared.reported(len(reports))
                rows: list[tuple[Any, ...]] = []
                if len(in_flight) < slots:
                    t_call = shared.now()
                    rows = conn.execute(CLAIM, (name, slots - len(in_flight))).fetchall()
                    t_return = shared.now()
                    if rows:
                        counts = conn.execute(CAPPED_NOW, (CAPPED,)).fetchone()
                        assert counts is not None
                        capped = tuple(r[0] for r in rows if r[1] == CAPPED)
                        claim = Claim(t_call, t_return, len(rows), capped, counts[0], counts[1])
                        shared.claimed(claim, len(rows) - len(capped))
                        for r in rows:
                            heapq.heappush(in_flight, (t_return + run_s, str(r[0])))
                if not rows:
                    wake = in_flight[0][0] if in_flight else shared.now() + POLL_S
                    if len(in_flight) < slots:
                        wake = min(wake, shared.now() + POLL_S)
                    time.sleep(max(0.0, wake - shared.now()))
    except BaseException as exc:  # reported by the caller
        shared.errors.append(exc)
        shared.stop.set()


def out_of_order(conn: Conn, claims: Sequence[Claim]) -> int:
    """Claims of the capped type that break oldest first, by the claim's order key.

    Claims of a capped type serialise on its lock, so the key ranges of two claims never
    interleave, and a claim that returned before another was called holds older runs. A
    count of the claims that break either rule (0: drained oldest first)."""
    keys = {
        r[0]: (r[1], r[0])
        for r in conn.execute(
            "SELECT id, coalesce(not_before, created_at) FROM public.sync_run_log"
            " WHERE integration_type = %s",
            (CAPPED,),
        )
    }
    spans = sorted(
        (
            (min(keys[i] for i in c.capped_ids), max(keys[i] for i in c.capped_ids), c)
            for c in claims
            if c.capped_ids
        ),
        key=lambda span: span[0],
    )
    bad = 0
    # interleaved key ranges
    for (_, hi, _), (lo, _, _) in itertools.pairwise(spans):
        bad += hi > lo
    # a claim holding newer runs that returned before a claim of older runs was called
    newest_return = float("inf")
    for _, _, c in reversed(spans):
        bad += newest_return < c.t_call
        newest_return = min(newest_return, c.t_return)
    return bad


def drain_herd(
    dsn: str, n: int, cap: int | None, workers: int, slots: int, run_s: float, timeout: float
) -> Drain:
    """Seed the herd, set the cap, then dispatch and drain it with played workers."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        seed_herd(conn, n, TYPES)
        conn.execute(
            "UPDATE public.integration_types SET max_concurrent_runs = %s"
            " WHERE integration_type = %s",
            (cap, CAPPED),
        )
        per_type = {
            r[0]: r[1]
            for r in conn.execute(
                "SELECT integration_type, count(*)::int FROM public.organization_integrations"
                " GROUP BY 1"
            )
        }
    drain = Drain(cap=cap, per_type=per_type)
    shared = _Shared(per_type)
    go = threading.Event()
    threads = [threading.Thread(target=_dispatcher, args=(dsn, shared, go, drain))] + [
        threading.Thread(target=_worker, args=(dsn, f"bench-cap-{w}", slots, run_s, shared))
        for w in range(workers)
    ]
    for t in threads:
        t.start()
    time.sleep(0.5)  # the connections are open
    shared.t0 = time.perf_counter()
    go.set()
    if not shared.stop.wait(timeout):
        shared.errors.append(TimeoutError(f"the herd did not drain in {timeout:.0f} s"))
        shared.stop.set()
    for t in threads:
        t.join()
    if shared.errors:
        raise shared.errors[0]
    drain.done_s = shared.now()
    drain.uncapped_started_s = shared.uncapped_started_s
    drain.capped_started_s = shared.capped_started_s
    drain.claims = shared.claims
    with psycopg.connect(dsn, autocommit=True) as conn:
        drain.exactly_once = once_per_period(conn, n)
        row = conn.execute(
            "SELECT count(*) FROM public.sync_run_log WHERE status = 'completed'"
        ).fetchone()
        assert row is not None
        drain.completed = int(row[0])
        drain.out_of_order = out_of_order(conn, drain.claims)
    return drain


def backlog_rows(claims: Sequence[Claim], cap: int) -> list[Row]:
    """Claim latency by the capped type's backlog (runs waiting after the claim)."""
    rows = []
    edges = [*BACKLOG_EDGES, 10**9]
    for lo, hi in itertools.pairwise(edges):
        these = [c for c in claims if lo <= c.capped_pending < hi]
        if not these:
            continue
        ms = [(c.t_return - c.t_call) * 1000 for c in these]
        full = sum(c.capped_running >= cap for c in these)
        label = f"{lo:,}-{hi - 1:,}" if hi < 10**9 else f">= {lo:,}"
        rows.append(
            Row(
                name=f"  claim_sync_runs, {CAPPED} backlog {label}",
                figure=f"p50 {percentile(ms, 50):.2f} / p99 {percentile(ms, 99):.2f} ms",
                budget="flat as the backlog grows (O(claimed))",
                note=(
                    f"{len(these):,} claims, {sum(c.claimed for c in these) / len(these):.1f}"
                    f" runs each; {CAPPED} at its cap after {full:,} of them"
                ),
                data={
                    "backlog_from": lo,
                    "claims": len(these),
                    "p50_ms": percentile(ms, 50),
                    "p99_ms": percentile(ms, 99),
                },
            )
        )
    return rows


def report(
    n: int,
    cap: int,
    workers: int,
    slots: int,
    run_s: float,
    alone: dict[str, tuple[float, float, int, bool]],
    free: Drain,
    capped: Drain,
) -> list[Row]:
    a_free, a_cap = alone["free"], alone["capped"]
    capped_runs = capped.per_type.get(CAPPED, 0)
    ms_free = [(c.t_return - c.t_call) * 1000 for c in free.claims]
    ms_cap = [(c.t_return - c.t_call) * 1000 for c in capped.claims]
    max_cap = max((c.capped_running for c in capped.claims), default=0)
    max_free = max((c.capped_running for c in free.claims), default=0)
    play = f"{workers} played workers x {slots} slots, each run held {run_s * 1000:.0f} ms"
    bound = capped_runs / cap * run_s
    return [
        Row(
            name=f"{n:,} due over {len(TYPES)} types, {CAPPED} capped at {cap}: dispatch alone",
            figure=f"{a_cap[0]:.2f} s in {a_cap[2]} calls (slowest {a_cap[1] * 1000:.0f} ms)",
            budget="as without the cap (+-10%); bench.herd: <= 3 s",
            comparison=f"without the cap {a_free[0]:.2f} s: {a_cap[0] / a_free[0]:.2f}x",
            note=f"one run per pair: {a_cap[3]}",
            data={"capped_s": a_cap[0], "uncapped_s": a_free[0]},
        ),
        Row(
            name="  dispatch while the workers claim",
            figure=f"{capped.dispatch_s:.2f} s in {capped.dispatch_calls} calls"
            f" (slowest {capped.slowest_call_s * 1000:.0f} ms)",
            budget="as without the cap (+-10%)",
            comparison=f"without the cap {free.dispatch_s:.2f} s:"
            f" {capped.dispatch_s / free.dispatch_s:.2f}x",
            note=play,
            data={"capped_s": capped.dispatch_s, "uncapped_s": free.dispatch_s},
        ),
        Row(
            name="  uncapped types: first dispatch -> their last run started",
            figure=f"{capped.uncapped_started_s:.2f} s",
            budget="no later than without the cap (<= 1.10x)",
            comparison=f"without the cap {free.uncapped_started_s:.2f} s:"
            f" {capped.uncapped_started_s / free.uncapped_started_s:.2f}x",
            note=f"{sum(capped.per_type.values()) - capped_runs:,} runs",
            data={"capped_s": capped.uncapped_started_s, "uncapped_s": free.uncapped_started_s},
        ),
        Row(
            name=f"  {CAPPED}: its last run started / the herd done",
            figure=f"{capped.capped_started_s:.1f} s / {capped.done_s:.1f} s",
            budget=f"~ its runs / cap x run time = {bound:.1f} s",
            comparison=f"without the cap {free.capped_started_s:.1f} s / {free.done_s:.1f} s",
            note=f"{capped_runs:,} runs",
            data={"capped_started_s": capped.capped_started_s, "done_s": capped.done_s},
        ),
        Row(
            name=f"  {CAPPED} running, counted after each claim",
            figure=f"max {max_cap}",
            budget=f"<= {cap}, always",
            comparison=f"without the cap: max {max_free}",
            note=f"{len(capped.claims):,} claims that returned runs",
            data={"max_running": max_cap, "max_running_uncapped": max_free},
        ),
        Row(
            name=f"  {CAPPED} drained oldest first",
            figure=f"{capped.out_of_order} claims out of order",
            budget="0",
            note=f"{sum(bool(c.capped_ids) for c in capped.claims):,} claims of {CAPPED}",
            data={"out_of_order": capped.out_of_order},
        ),
        Row(
            name="  every period exactly once, every run completed",
            figure=f"{capped.exactly_once and capped.completed == n}"
            f" ({capped.completed:,} of {n:,} completed)",
            budget="True",
            comparison=f"without the cap: {free.exactly_once and free.completed == n}",
        ),
        Row(
            name="  claim_sync_runs latency, every claim that returned runs",
            figure=f"p50 {percentile(ms_cap, 50):.2f} / p99 {percentile(ms_cap, 99):.2f} ms",
            budget="as without the cap",
            comparison=f"without the cap p50 {percentile(ms_free, 50):.2f}"
            f" / p99 {percentile(ms_free, 99):.2f} ms",
            note="client round trip, loopback",
        ),
        *backlog_rows(capped.claims, cap),
    ]


@click.command()
@click.option("--herd", type=int, default=20_000, show_default=True, help="Pairs due at once.")
@click.option("--cap", type=int, default=20, show_default=True, help=f"{CAPPED}'s cap.")
@click.option("--workers", type=int, default=4, show_default=True, help="Played workers.")
@click.option("--slots", type=int, default=50, show_default=True, help="Runs in flight each.")
@click.option("--run-ms", type=int, default=200, show_default=True, help="Each run's time.")
@click.option("--timeout", type=float, default=900.0, show_default=True, help="Per drain, s.")
@click.option(
    "--jit/--no-jit",
    default=True,
    show_default=True,
    help="Leave Postgres' jit at its default (on), or switch it off in the bench cluster.",
)
@click.option("--results-dir", type=click.Path(path_type=Path), default=RESULTS)
def main(
    herd: int,
    cap: int,
    workers: int,
    slots: int,
    run_ms: int,
    timeout: float,
    jit: bool,
    results_dir: Path,
) -> None:
    """Measure the capped herd on a throwaway small-compute cluster."""
    if not 1 <= slots <= 1000:
        raise click.UsageError("--slots must be 1 to 1000 (claim_sync_runs' max_runs)")
    load_before = os.getloadavg()
    started = time.monotonic()
    run_s = run_ms / 1000
    with small_compute_cluster() as cluster:
        deploy(cluster)
        if not jit:
            with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER), autocommit=True) as conn:
                conn.execute("ALTER SYSTEM SET jit = off")
                conn.execute("SELECT pg_reload_conf()")
        dsn = cluster.dsn(user="postgres")
        alone: dict[str, tuple[float, float, int, bool]] = {}
        with psycopg.connect(dsn, autocommit=True) as conn:
            for label, value in (("free", None), ("capped", cap)):
                conn.execute(
                    "UPDATE public.integration_types SET max_concurrent_runs = %s"
                    " WHERE integration_type = %s",
                    (value, CAPPED),
                )
                click.echo(f"dispatch alone, {label} ...", err=True)
                alone[label] = batch_calls(conn, herd, TYPES)
        click.echo("the herd drained without the cap ...", err=True)
        free = drain_herd(dsn, herd, None, workers, slots, run_s, timeout)
        click.echo("the herd drained with the cap ...", err=True)
        capped = drain_herd(dsn, herd, cap, workers, slots, run_s, timeout)
    rows = report(herd, cap, workers, slots, run_s, alone, free, capped)
    load_after = os.getloadavg()
    title = f"The herd with a cap on one type (python -m bench.herd_cap, {herd:,} due)"
    print_table(f"{title}, jit {'on' if jit else 'off'}", rows)
    meta: dict[str, object] = {
        "herd": herd,
        "cap": cap,
        "workers": workers,
        "slots": slots,
        "run_ms": run_ms,
        "jit": jit,
        "cpus": os.cpu_count() or 0,
        "load_start": load_before,
        "load_end": load_after,
        "total_s": round(time.monotonic() - started, 1),
    }
    path = write_json(results_dir, "herd-cap", meta, rows)
    click.echo(
        f"\nresults: {path} (load {load_before[0]:.2f} before, {load_after[0]:.2f} after;"
        f" {meta['total_s']} s)"
    )


if __name__ == "__main__":
    main()
