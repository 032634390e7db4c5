"""End to end, side by side (issue 24): our shipped worker against graphile-worker, pg-boss
and procrastinate, in one run on one Postgres 15 cluster, every job making one POST to the
same loopback endpoint (its own process, TCP_NODELAY; `bench.endpoint`).

- **Throughput**: N runs queued in one transaction (ours: the scheduler's path,
  dispatch_due_syncs(); the peers: their own enqueue SQL), the worker already running
  and warmed up; from the commit to the moment nothing is left to do. Runs per second,
  and CPU seconds per 1,000 runs of the worker process(es) and of the whole Postgres
  cluster (every backend and background process, from /proc) in that window; the enqueue
  itself is outside it. Repeats are interleaved (every cell once, then again).
- **Pick-up latency**: one job at a time, from the moment the driver sends COMMIT to the
  moment the call's first byte reaches the endpoint (both CLOCK_MONOTONIC). Ours: a
  manual run as the app starts one (public.trigger_integration_sync in a PostgREST-shaped
  transaction of an org admin: the engine's insert, the audit row, the NOTIFY with the run
  id; the worker LISTENs, claims, calls).
- **Herd drain**: 20,000 pairs due at once, the endpoint answering after 20 ms, one
  `serve` at concurrency 100 and two; from the start of the dispatch
  (CALL dispatch_all_due_syncs(), pg_cron's procedure) to the last completed run, beside
  the bound 20,000 x 0.02 s / concurrency and beside graphile-worker draining 20,000 equal
  jobs (one add_jobs transaction) at the same concurrency.

Every cell also records how busy the machine was and what else ran on it (CPU of every
other process), so a figure from a shared machine says so. Where a target is missed, the
row says what bounds the figure (a worker at one full core, Postgres, the two cores) and a
cProfile pass of our worker splits its CPU by package.

Run: `python -m bench.e2e` (part of `make bench`; `make bench-e2e` alone). Never a test.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import click
import psycopg

from orchestrator.tooling import localdb
from orchestrator.tooling.sqitch import run_sqitch

from . import procfs
from .endpoint import Endpoint, endpoint_process
from .report import print_table, write_json
from .stats import Row, percentile
from .systems import (
    GraphileWorker,
    Ours,
    PgBoss,
    Procrastinate,
    System,
    Workers,
    running,
)

T = TypeVar("T")
RESULTS = localdb.PROJECT_ROOT / "bench" / "results"
SERVER_SETTINGS = {
    # Room for two workers at concurrency 100 each (pools of ~100 connections apiece)
    # beside the peers' pools; the rest is the harness's throwaway-cluster settings.
    "max_connections": "500",
}
HEADERS = ("benchmark", "measured", "target", "0.2", "comparison / what bounds it", "note")

# The 0.2 figures (issue 24, measured side by side on this machine's twin; the endpoint
# with Nagle's algorithm off unless said otherwise).
PREVIOUS = {
    "ours-5": "170 runs/s (1,000 runs, `worker --once` with start-up)",
    "ours-24": "500 runs/s (460 with Nagle on)",
    "ours-50": "409 runs/s (223 with Nagle on)",
    "graphile-worker-24": "1,429 runs/s",
    "graphile-worker-50": "1,370 runs/s",
    "pg-boss-50": "not measured",
    "procrastinate-50": "not measured end to end",
    "cpu-ours": "Postgres 0.8 s (worker: a full core)",
    "cpu-graphile-worker": "Postgres 0.32 s",
    "pickup": "~2-2.6 ms p50 (ours and graphile-worker)",
    "herd": "not measured (dispatch alone: 4.64 s for 20,000 due)",
}


@dataclass
class Bench:
    cluster: localdb.LocalCluster
    endpoint: Endpoint
    logdir: Path
    ours: Ours
    peers: dict[str, System]

    @property
    def postmaster(self) -> int:
        return procfs.postmaster_pid(self.cluster.datadir)

    def system(self, name: str) -> System:
        return self.ours if name == "ours" else self.peers[name]


@dataclass(frozen=True)
class Window:
    """One measured batch: n jobs from the commit to nothing left."""

    n: int
    seconds: float
    cpu: procfs.CpuWindow
    failed: int
    enqueue_s: float
    load1: float

    @property
    def per_s(self) -> float:
        return self.n / self.seconds

    def per_1000(self, cpu_s: float) -> float:
        return cpu_s / self.n * 1000


@dataclass
class Cell:
    system: str
    concurrency: int
    processes: int = 1
    windows: list[Window] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.system}-{self.concurrency}"

    def median(self, value: Callable[[Window], float]) -> float:
        return statistics.median(value(w) for w in self.windows)


# --- measuring -----------------------------------------------------------------------


def _sample(b: Bench, workers: Workers) -> procfs.CpuSample:
    return procfs.sample(workers.pids, b.postmaster, b.endpoint.process.pid)


def wait_done(
    b: Bench,
    system: System,
    workers: Workers,
    poll: psycopg.Connection[Any],
    arrivals: int,
    timeout: float,
    interval: float = 0.01,
) -> int:
    """Wait for `arrivals` calls at the endpoint, then poll until nothing is left to do;
    returns the time (monotonic ns) at which that was seen."""
    deadline = time.monotonic() + timeout
    while b.endpoint.wait_for(arrivals, timeout=1.0) is None:
        workers.check_alive()
        if time.monotonic() > deadline:
            left, failed = system.progress(poll)
            raise RuntimeError(
                f"{system.name}: {b.endpoint.count()} of {arrivals} calls arrived within "
                f"{timeout:.0f} s ({left} left, {failed} failed); logs in {b.logdir}"
            )
    while True:
        left, failed = system.progress(poll)
        if left == 0:
            return time.monotonic_ns()
        if time.monotonic() > deadline:
            raise RuntimeError(f"{system.name}: {left} jobs left after {timeout:.0f} s")
        time.sleep(interval)


def measure_batch(b: Bench, system: System, workers: Workers, n: int) -> Window:
    timeout = max(300.0, n / 5)  # only for a hang
    with (
        psycopg.connect(system.dsn) as tx,
        psycopg.connect(system.dsn, autocommit=True) as poll,
    ):
        _, failed_before = system.progress(poll)
        base = b.endpoint.count()
        started = time.monotonic()
        system.enqueue(tx, n)
        enqueue_s = time.monotonic() - started
        before = _sample(b, workers)
        t0 = time.monotonic_ns()
        tx.commit()
        t1 = wait_done(b, system, workers, poll, base + n, timeout)
        after = _sample(b, workers)
        _, failed_after = system.progress(poll)
    seconds = (t1 - t0) / 1e9
    return Window(
        n=n,
        seconds=seconds,
        cpu=procfs.window(before, after, seconds),
        failed=failed_after - failed_before,
        enqueue_s=enqueue_s,
        load1=procfs.loadavg()[0],
    )


def tidy(system: System) -> None:
    with psycopg.connect(system.dsn, autocommit=True) as conn:
        system.tidy(conn)
        conn.execute("CHECKPOINT")


def warm_up(b: Bench, system: System, workers: Workers, concurrency: int) -> None:
    """Connections opened, code paths compiled, pools filled: 2 x concurrency + 100 runs."""
    measure_batch(b, system, workers, 2 * concurrency + 100)
    time.sleep(0.3)


def throughput_window(b: Bench, cell: Cell, runs: int) -> Window:
    system = b.system(cell.system)
    tidy(system)
    with running(system, cell.concurrency, b.endpoint.url(0), b.logdir) as workers:
        warm_up(b, system, workers, cell.concurrency)
        window = measure_batch(b, system, workers, runs)
    click.echo(
        f"  {cell.key:<20} {window.per_s:8,.0f} runs/s  cpu/1000: worker "
        f"{window.per_1000(window.cpu.workers):.2f} s, postgres "
        f"{window.per_1000(window.cpu.postgres):.2f} s; others "
        f"{window.cpu.cores(window.cpu.others):.2f} cores; load {window.load1:.1f}",
        err=True,
    )
    return window


def pickup(b: Bench, system: System, concurrency: int, samples: int) -> list[float]:
    """Commit → first byte at the endpoint (ms), one job at a time."""
    rng = random.Random(24)
    latencies: list[float] = []
    tidy(system)
    with (
        running(system, concurrency, b.endpoint.url(0), b.logdir) as workers,
        psycopg.connect(system.dsn) as tx,
        psycopg.connect(system.dsn, autocommit=True) as poll,
    ):
        warm_up(b, system, workers, concurrency)
        for _ in range(samples):
            base = b.endpoint.count()
            system.enqueue_one_as_app(tx)
            t0 = time.monotonic_ns()
            tx.commit()
            arrived = b.endpoint.wait_for(base + 1, timeout=30.0)
            if arrived is None:
                workers.check_alive()
                raise RuntimeError(f"{system.name}: a job was not picked up within 30 s")
            latencies.append((arrived - t0) / 1e6)
            wait_done(b, system, workers, poll, base + 1, 30.0, interval=0.002)
            time.sleep(rng.uniform(0.005, 0.03))  # not in step with anyone's poll cycle
    return latencies


@dataclass(frozen=True)
class Herd:
    system: str
    processes: int
    concurrency: int
    n: int
    seconds: float
    dispatch_s: float  # ours: the CALL; graphile-worker: its add_jobs statement
    cpu: procfs.CpuWindow
    failed: int

    @property
    def bound_s(self) -> float:
        return self.n * 0.02 / (self.processes * self.concurrency)


def herd_ours(b: Bench, processes: int, concurrency: int, n: int, delay_ms: int) -> Herd:
    ours = b.ours
    ours.set_url(b.endpoint.url(delay_ms))
    tidy(ours)
    try:
        with running(ours, concurrency, b.endpoint.url(delay_ms), b.logdir, processes) as workers:
            warm_up(b, ours, workers, concurrency * processes)
            with psycopg.connect(ours.dsn) as conn:
                ours.herd_due(conn, n)
            tidy(ours)
            with (
                psycopg.connect(ours.dsn, autocommit=True) as call,
                psycopg.connect(ours.dsn, autocommit=True) as poll,
            ):
                _, failed_before = ours.progress(poll)
                base = b.endpoint.count()
                before = _sample(b, workers)
                t0 = time.monotonic_ns()
                call.execute("CALL integration_ops.dispatch_all_due_syncs()")
                dispatch_s = (time.monotonic_ns() - t0) / 1e9
                t1 = wait_done(b, ours, workers, poll, base + n, max(600.0, n / 5), 0.02)
                after = _sample(b, workers)
                _, failed_after = ours.progress(poll)
                ours.not_due(poll)
    finally:
        ours.set_url(b.endpoint.url(0))
    seconds = (t1 - t0) / 1e9
    return Herd(
        "ours",
        processes,
        concurrency,
        n,
        seconds,
        dispatch_s,
        procfs.window(before, after, seconds),
        failed_after - failed_before,
    )


def herd_peer(b: Bench, name: str, processes: int, concurrency: int, n: int, delay_ms: int) -> Herd:
    system = b.system(name)
    tidy(system)
    url = b.endpoint.url(delay_ms)
    with running(system, concurrency, url, b.logdir, processes) as workers:
        warm_up(b, system, workers, concurrency * processes)
        w = measure_batch(b, system, workers, n)
    return Herd(name, processes, concurrency, n, w.seconds, w.enqueue_s, w.cpu, w.failed)


def profile_ours(b: Bench, concurrency: int, runs: int) -> dict[str, Any]:
    """One throughput batch of our worker under cProfile: its CPU by package."""
    out = b.logdir / "profile.json"
    b.ours.profile_out = out
    try:
        throughput_window(b, Cell("ours", concurrency), runs)
    finally:
        b.ours.profile_out = None
    data: dict[str, Any] = json.loads(out.read_text())
    return data


def attempt(
    errors: list[tuple[str, str]], what: str, measure: Callable[..., T], *args: Any
) -> T | None:
    """One measurement; a failure is reported (and the run goes on) instead of ending a
    long unattended run."""
    try:
        return measure(*args)
    except (RuntimeError, psycopg.Error, OSError) as exc:
        click.echo(f"!! {what} failed: {exc}", err=True)
        errors.append((what, f"{type(exc).__name__}: {exc}"))
        return None


# --- the cluster -----------------------------------------------------------------------


@contextmanager
def bench_cluster() -> Iterator[localdb.LocalCluster]:
    with localdb.temporary_cluster() as cluster:
        with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER), autocommit=True) as conn:
            for key, value in SERVER_SETTINGS.items():
                conn.execute(f"ALTER SYSTEM SET {key} = {value}")
        localdb.stop_cluster(cluster.datadir)
        localdb.start_cluster(cluster.datadir, cluster.port)
        result = run_sqitch("deploy", cluster.sqitch_target(), capture=True)
        if result.returncode != 0:
            raise click.ClickException(f"sqitch deploy failed:\n{result.stdout}{result.stderr}")
        yield cluster


# --- the report ------------------------------------------------------------------------


def fmt_rate(x: float) -> str:
    return f"{x:,.0f} runs/s"


def bound_of(cpu: procfs.CpuWindow, processes: int, runtime: str) -> str:
    """What a CPU profile of the window says bounds it."""
    worker = cpu.cores(cpu.workers) / processes
    pg, busy = cpu.cores(cpu.postgres), cpu.cores(cpu.machine)
    split = (
        f"worker {cpu.cores(cpu.workers):.2f} cores, Postgres {pg:.2f}, endpoint "
        f"{cpu.cores(cpu.endpoint):.2f}, other processes {cpu.cores(cpu.others):.2f}"
    )
    if worker >= 0.9:
        return f"bounded by the worker process: one full core ({runtime}); {split}"
    if busy >= 1.8:
        return f"bounded by the 2 cores (machine busy {busy:.2f} of 2); {split}"
    if pg >= 0.9:
        return f"bounded by Postgres; {split}"
    return f"no CPU at its limit: round trips per run x concurrency; {split}"


SYSTEMS = ("ours", "graphile-worker", "pg-boss", "procrastinate")
PEER_CELLS = (
    ("graphile-worker", 24),
    ("graphile-worker", 50),
    ("pg-boss", 50),
    ("procrastinate", 50),
)
RUNTIME = {
    "ours": "Python",
    "procrastinate": "Python",
    "graphile-worker": "Node.js",
    "pg-boss": "Node.js",
}


def throughput_rows(cells: dict[str, Cell], runs: int) -> list[Row]:
    rows: list[Row] = []

    def rate(key: str) -> float | None:
        cell = cells.get(key)
        return cell.median(lambda w: w.per_s) if cell and cell.windows else None

    for key, cell in cells.items():
        if not cell.windows:
            continue
        per_s = cell.median(lambda w: w.per_s)
        each = " / ".join(f"{w.per_s:,.0f}" for w in cell.windows)
        worker = cell.median(lambda w: w.per_1000(w.cpu.workers))
        pg = cell.median(lambda w: w.per_1000(w.cpu.postgres))
        target, verdict = "-", ""
        if cell.system == "ours":
            goals: list[tuple[str, float]] = []
            gw = rate(f"graphile-worker-{cell.concurrency}")
            if gw is not None:
                goals.append((f">= graphile-worker at {cell.concurrency} ({gw:,.0f})", gw))
            pr = rate(f"procrastinate-{cell.concurrency}")
            if pr is not None:
                goals.append((f">= 3x procrastinate ({3 * pr:,.0f})", 3 * pr))
            if goals:
                target = "; ".join(g for g, _ in goals)
                missed = [g for g, v in goals if per_s < v]
                ratios = ", ".join(
                    f"{per_s / v:.2f}x "
                    + ("graphile-worker" if "graphile" in g else "3x procrastinate")
                    for g, v in goals
                )
                verdict = ("MISSED " if missed else "met ") + f"({ratios})"
        slowest = max(cell.windows, key=lambda w: w.seconds)
        bound = bound_of(slowest.cpu, cell.processes, RUNTIME[cell.system])
        failed = sum(w.failed for w in cell.windows)
        rows.append(
            Row(
                name=f"throughput {cell.system}, concurrency {cell.concurrency}"
                + (" (defaults)" if key == "ours-5" else ""),
                figure=f"{fmt_rate(per_s)} (repeats {each})",
                budget=target,
                previous=PREVIOUS.get(key, "-"),
                comparison=(verdict + "; " if verdict else "") + bound,
                note=f"CPU per 1,000 runs: worker {worker:.2f} s + Postgres {pg:.2f} s"
                f" = {worker + pg:.2f} s; {runs:,} runs" + (f"; {failed} FAILED" if failed else ""),
                data={
                    "runs_per_s": per_s,
                    "repeats": json.dumps([round(w.per_s, 1) for w in cell.windows]),
                    "worker_cpu_s_per_1000": worker,
                    "postgres_cpu_s_per_1000": pg,
                    "others_cores": statistics.median(
                        w.cpu.cores(w.cpu.others) for w in cell.windows
                    ),
                    "failed": failed,
                },
            )
        )
    return rows


def pickup_rows(results: dict[str, list[float]]) -> list[Row]:
    rows: list[Row] = []
    gw = next((v for k, v in results.items() if k.startswith("graphile-worker")), None)
    gw_p99 = percentile(gw, 99) if gw else None
    for key, lat in results.items():
        p50, p99 = percentile(lat, 50), percentile(lat, 99)
        target, verdict = "-", ""
        if key.startswith("ours"):
            target = "p50 <= 5 ms" + (
                f"; p99 <= graphile-worker's ({gw_p99:.2f} ms)" if gw_p99 else ""
            )
            verdict = ("p50 met" if p50 <= 5 else f"p50 MISSED ({p50:.2f} > 5 ms)") + (
                ""
                if gw_p99 is None
                else f"; p99 {'met' if p99 <= gw_p99 else 'MISSED'}"
                f" ({p99 / gw_p99:.2f}x graphile-worker's)"
            )
        rows.append(
            Row(
                name=f"pick-up {key.rsplit('-', 1)[0]}, concurrency {key.rsplit('-', 1)[1]}",
                figure=f"p50 {p50:.2f} / p99 {p99:.2f} ms",
                budget=target,
                previous=PREVIOUS["pickup"] if key.startswith(("ours", "graphile")) else "-",
                comparison=verdict,
                note=f"{len(lat)} samples, one job at a time; max {max(lat):.2f} ms",
                data={"p50_ms": p50, "p99_ms": p99, "samples": len(lat)},
            )
        )
    return rows


def herd_rows(herds: list[Herd]) -> list[Row]:
    rows: list[Row] = []
    theirs = {(h.processes, h.concurrency): h for h in herds if h.system == "graphile-worker"}
    for h in herds:
        target, verdict = "-", ""
        peer = theirs.get((h.processes, h.concurrency))
        if h.system == "ours" and peer is not None:
            target = f"<= 1.5x graphile-worker ({1.5 * peer.seconds:.2f} s)"
            ratio = h.seconds / peer.seconds
            verdict = f"{'met' if ratio <= 1.5 else 'MISSED'} ({ratio:.2f}x graphile-worker)"
        what = "dispatch CALL" if h.system == "ours" else "add_jobs"
        bound = bound_of(h.cpu, h.processes, RUNTIME[h.system])
        rows.append(
            Row(
                name=f"herd drain {h.system}, {h.processes} x concurrency {h.concurrency}",
                figure=f"{h.seconds:.2f} s ({h.n / h.seconds:,.0f} runs/s)",
                budget=target,
                previous=PREVIOUS["herd"] if h.system == "ours" else "-",
                comparison=(verdict + "; " if verdict else "")
                + f"bound {h.bound_s:.1f} s ({h.seconds / h.bound_s:.2f}x); {bound}",
                note=f"{h.n:,} runs, endpoint 20 ms; {what} {h.dispatch_s:.2f} s"
                + (f"; {h.failed} FAILED" if h.failed else ""),
                data={
                    "seconds": h.seconds,
                    "bound_s": h.bound_s,
                    "dispatch_s": h.dispatch_s,
                    "failed": h.failed,
                },
            )
        )
    return rows


def profile_row(profile: dict[str, Any], concurrency: int) -> Row:
    total = float(profile["total_s"]) or 1.0
    shares = [(k, float(v) / total) for k, v in profile["packages"].items()]
    top = ", ".join(f"{k} {s:.0%}" for k, s in shares[:8])
    return Row(
        name=f"ours, concurrency {concurrency}: worker CPU by package",
        figure=top,
        budget="-",
        comparison="cProfile own time per package (cProfile inflates Python-heavy code)",
        data={k: round(s, 4) for k, s in shares},
    )


# --- the command ---------------------------------------------------------------------


@click.command()
@click.option(
    "--runs", type=int, default=5000, show_default=True, help="Runs per throughput batch."
)
@click.option("--repeats", type=int, default=3, show_default=True)
@click.option("--samples", type=int, default=200, show_default=True, help="Pick-up samples.")
@click.option("--herd", type=int, default=20_000, show_default=True, help="Pairs due at once.")
@click.option(
    "--only",
    type=click.Choice(["throughput", "pickup", "herd"]),
    multiple=True,
    help="Measure only these parts (default: all).",
)
@click.option(
    "--systems",
    default=",".join(SYSTEMS),
    show_default=True,
    help="Comma-separated systems to measure (ours is always measured).",
)
@click.option("--results-dir", type=click.Path(path_type=Path), default=RESULTS)
@click.option(
    "--logdir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Keep the workers' logs here (default: a temporary folder, removed).",
)
def main(
    runs: int,
    repeats: int,
    samples: int,
    herd: int,
    only: tuple[str, ...],
    systems: str,
    results_dir: Path,
    logdir: Path | None,
) -> None:
    """Throughput, pick-up latency and herd drain beside graphile-worker, pg-boss and
    procrastinate on one throwaway Postgres 15 cluster."""
    parts = set(only) or {"throughput", "pickup", "herd"}
    started = time.monotonic()
    load_start = procfs.loadavg()
    pairs = max(herd, runs + 1000, samples * 2 + 1000)
    click.echo(f"load average at start: {load_start}", err=True)
    with (
        tempfile.TemporaryDirectory(prefix="bench-e2e-") as tmp,
        bench_cluster() as cluster,
        endpoint_process() as endpoint,
    ):
        ours = Ours(cluster, pairs)
        ours.setup(endpoint.url(0))
        peers: dict[str, System] = {}
        wanted = {s.strip() for s in systems.split(",")}
        unknown = wanted - set(SYSTEMS)
        if unknown:
            raise click.UsageError(f"unknown systems {sorted(unknown)}; choose from {SYSTEMS}")
        for peer in (GraphileWorker(cluster), PgBoss(cluster), Procrastinate(cluster)):
            if peer.name in wanted:
                peer.create_database()
                peers[peer.name] = peer
        if logdir is not None:
            logdir.mkdir(parents=True, exist_ok=True)
        b = Bench(cluster, endpoint, logdir or Path(tmp), ours, peers)
        rows: list[Row] = []
        cells: dict[str, Cell] = {}
        errors: list[tuple[str, str]] = []
        if "throughput" in parts:
            plan = [Cell("ours", c) for c in (5, 24, 50) if "ours" in wanted]
            plan += [Cell(name, concurrency) for name, concurrency in PEER_CELLS if name in peers]
            cells = {c.key: c for c in plan}
            for rep in range(1, repeats + 1):
                click.echo(
                    f"throughput, repeat {rep} of {repeats} ({runs:,} runs each) ...", err=True
                )
                for cell in plan:
                    window = attempt(
                        errors, f"throughput {cell.key}", throughput_window, b, cell, runs
                    )
                    if window is not None:
                        cell.windows.append(window)
            rows += throughput_rows(cells, runs)
            gw50 = cells.get("graphile-worker-50")
            if "ours-50" in cells and (
                gw50 is None
                or cells["ours-50"].median(lambda w: w.per_s) < gw50.median(lambda w: w.per_s)
            ):
                click.echo("profiling our worker at concurrency 50 ...", err=True)
                profile = attempt(errors, "profile", profile_ours, b, 50, min(runs, 1000))
                if profile is not None:
                    rows.append(profile_row(profile, 50))
        if "pickup" in parts:
            click.echo(f"pick-up latency, {samples} samples each ...", err=True)
            latencies: dict[str, list[float]] = {}
            ours_cells = [("ours", 5), ("ours", 50)] if "ours" in wanted else []
            for name, concurrency in ours_cells + [(n, 50) for n in peers]:
                key = f"{name}-{concurrency}"
                lat = attempt(
                    errors, f"pick-up {key}", pickup, b, b.system(name), concurrency, samples
                )
                if lat is None:
                    continue
                latencies[key] = lat
                click.echo(
                    f"  {name}-{concurrency}: p50 {percentile(lat, 50):.2f} ms, "
                    f"p99 {percentile(lat, 99):.2f} ms",
                    err=True,
                )
            rows += pickup_rows(latencies)
        if "herd" in parts:
            herds: list[Herd] = []
            for processes in (1, 2):
                click.echo(f"herd: {herd:,} due, {processes} x serve at 100 ...", err=True)
                if "ours" in wanted:
                    h = attempt(
                        errors, f"herd ours {processes}", herd_ours, b, processes, 100, herd, 20
                    )
                    if h is not None:
                        herds.append(h)
                        click.echo(f"  {h.seconds:.2f} s", err=True)
                if "graphile-worker" in peers:
                    click.echo(f"herd: graphile-worker, {processes} x 100 ...", err=True)
                    h = attempt(
                        errors,
                        f"herd graphile-worker {processes}",
                        herd_peer,
                        b,
                        "graphile-worker",
                        processes,
                        100,
                        herd,
                        20,
                    )
                    if h is not None:
                        herds.append(h)
                        click.echo(f"  {h.seconds:.2f} s", err=True)
            rows += herd_rows(herds)
        rows += [Row(name=f"ERROR in {what}", figure=message[:300]) for what, message in errors]
    load_end = procfs.loadavg()
    raw: dict[str, object] = {
        key: [
            {
                "runs_per_s": round(w.per_s, 1),
                "seconds": round(w.seconds, 3),
                "enqueue_s": round(w.enqueue_s, 3),
                "load1": w.load1,
                "failed": w.failed,
            }
            | {f"{k}_cpu_s": round(v, 2) for k, v in asdict(w.cpu).items() if k != "seconds"}
            for w in cell.windows
        ]
        for key, cell in cells.items()
    }
    meta: dict[str, object] = {
        "windows": raw,
        "runs": runs,
        "repeats": repeats,
        "samples": samples,
        "herd": herd,
        "cpus": os.cpu_count() or 0,
        "load_start": list(load_start),
        "load_end": list(load_end),
        "total_s": round(time.monotonic() - started, 1),
    }
    rows.append(
        Row(
            name="machine load (1/5/15 min)",
            figure=f"start {load_start[0]:.2f} / {load_start[1]:.2f} / {load_start[2]:.2f}; "
            f"end {load_end[0]:.2f} / {load_end[1]:.2f} / {load_end[2]:.2f}",
            note=f"{os.cpu_count()} cores; other processes' CPU per figure in the JSON",
        )
    )
    print_table(
        f"end to end beside graphile-worker, pg-boss and procrastinate ({runs:,} runs,"
        f" {repeats} interleaved repeats)",
        rows,
        HEADERS,
    )
    path = write_json(results_dir, "e2e", meta, rows)
    click.echo(f"\nwrote {path} (total {meta['total_s']} s)")


if __name__ == "__main__":
    main()
