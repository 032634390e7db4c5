"""`python -m bench`: the benchmark report (never part of `make test`)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import click

from orchestrator.tooling.localdb import PROJECT_ROOT

from . import engine, idle, peer, rpcs, runlog
from .dataset import Dataset, dataset
from .report import print_table, write_json
from .server import bench_server
from .stats import Row

RESULTS = PROJECT_ROOT / "bench" / "results"
# The per-org RPCs the status-rows-only dataset can answer like a full one (their data is
# configuration, membership and current status; the others read history or runs).
LIGHT_RPCS = ("get_org_health_status", "get_global_health_summary")


def generator_row(ds: Dataset) -> Row:
    what = "96 history rows and 90 runs per pair" if ds.full else "status rows only"
    return Row(
        name=f"data generator: {ds.orgs:,} orgs x 10 integrations ({what})",
        figure=f"{ds.generate_seconds:.1f} s",
        budget="60 s at 2,000 orgs" if ds.full else "-",
        note="incl. VACUUM ANALYZE of the generated tables",
    )


@click.command()
@click.option("--orgs", type=int, default=2000, envvar="BENCH_ORGS", show_default=True)
@click.option("--samples", type=int, default=200, show_default=True, help="Samples per RPC.")
@click.option("--scale", default=None, help="Comma-separated org counts: RPC figures side by side.")
@click.option(
    "--idle-pairs",
    type=int,
    default=200_000,
    show_default=True,
    help="Pairs of the status-rows-only dataset for the idle figures.",
)
@click.option(
    "--idle-seconds",
    type=float,
    default=120.0,
    show_default=True,
    help="Measured idle period (worker, health runner and pg_cron at their defaults).",
)
@click.option("--results-dir", type=click.Path(path_type=Path), default=RESULTS)
def main(
    orgs: int,
    samples: int,
    scale: str | None,
    idle_pairs: int,
    idle_seconds: float,
    results_dir: Path,
) -> None:
    """Build N orgs of data in a throwaway cluster and measure every figure."""
    if orgs < 20:
        raise click.UsageError("--orgs must be at least 20")
    started = time.monotonic()
    if scale:
        run_scale(
            [int(s) for s in scale.split(",")], samples, idle_pairs, idle_seconds, results_dir
        )
        return
    click.echo(f"building {orgs} orgs x 10 integrations in a throwaway cluster ...", err=True)
    rows: list[Row] = []
    with dataset(orgs) as ds:
        click.echo(f"  generated in {ds.generate_seconds:.1f} s", err=True)
        rows.append(generator_row(ds))
        click.echo("measuring the public RPCs ...", err=True)
        rows += rpcs.measure(ds, samples)
        click.echo("measuring record_health_check and dispatch ...", err=True)
        rows.append(engine.record_health_check_cost(ds, samples))
        rows.append(engine.dispatch_cost(ds))
        click.echo("comparing with hand-written SQL and procrastinate ...", err=True)
        rows.append(peer.naive_last_run(ds, samples))
        rows.append(peer.queue_peer(ds))
        rows.append(peer.queue_peer_batched(ds))
        with bench_server() as base_url:
            click.echo("running the engine, the health runner and the worker ...", err=True)
            rows.append(engine.engine_wall_time(ds, base_url))
            rows.append(engine.health_runner_wall_time(ds, base_url))
            rows.append(engine.worker_peak_rss(ds, base_url))
        click.echo("sync_run_log's indexes ...", err=True)
        rows += runlog.index_usage(ds)
        rows += runlog.heartbeat_experiment(ds)
    rows += idle_rows(idle_pairs, samples, idle_seconds)
    meta: dict[str, object] = {
        "orgs": orgs,
        "samples": samples,
        "idle_pairs": idle_pairs,
        "idle_seconds": idle_seconds,
        "cpus": os.cpu_count() or 0,
        "total_s": round(time.monotonic() - started, 1),
    }
    print_table(f"make bench: {orgs} orgs x 10 integrations ({samples} samples per RPC)", rows)
    path = write_json(results_dir, f"bench-{orgs}", meta, rows)
    click.echo(f"\nwrote {path} (total {meta['total_s']} s)")


def idle_rows(pairs: int, samples: int, seconds: float) -> list[Row]:
    """The idle figures on a status-rows-only dataset of `pairs` pairs."""
    orgs = max(pairs // 10, 20)
    click.echo(
        f"building {orgs * 10:,} pairs (status rows only) for the idle figures ...", err=True
    )
    with dataset(orgs, full=False) as ds:
        rows = [generator_row(ds)]
        click.echo("measuring the idle polling calls ...", err=True)
        rows += idle.polling_calls(ds, samples)
        rows += rpcs.measure(ds, samples, only=LIGHT_RPCS, suffix=f" @{orgs}")
        click.echo(f"measuring the idle cost over {seconds:.0f} s ...", err=True)
        rows += idle.idle_cost(ds, seconds)
    return rows


def run_scale(
    scales: list[int], samples: int, idle_pairs: int, idle_seconds: float, results_dir: Path
) -> None:
    by_scale: dict[int, list[Row]] = {}
    polls: list[Row] = []
    for n in scales:
        click.echo(f"building {n} orgs ...", err=True)
        with dataset(n) as ds:
            by_scale[n] = rpcs.measure(ds, samples)
            polls += idle.polling_calls(ds, samples)
    names = [r.name for r in by_scale[scales[0]]]
    rows = []
    for i, name in enumerate(names):
        figures = "; ".join(
            f"{n}: server p50 {by_scale[n][i].data['server_p50_ms']:.3f} / p99 "
            f"{by_scale[n][i].data['server_p99_ms']:.3f} ms, client p99 "
            f"{by_scale[n][i].data['client_p99_ms']:.2f} ms"
            for n in scales
        )
        base = 2000 if 2000 in by_scale else scales[0]

        def ratio(pct: int, i: int = i, base: int = base) -> float:
            key = f"server_p{pct}_ms"
            return float(by_scale[scales[-1]][i].data[key]) / float(by_scale[base][i].data[key])

        growth = f"p50 {ratio(50):.2f}x, p99 {ratio(99):.2f}x"
        rows.append(
            Row(
                name=name,
                figure=figures,
                budget=by_scale[scales[-1]][i].budget,
                previous=by_scale[scales[-1]][i].previous,
                comparison=f"server {scales[-1]} / {base} orgs: {growth}",
                note=by_scale[scales[-1]][i].note,
            )
        )
    rows += polls
    rows += idle_rows(idle_pairs, samples, idle_seconds)
    print_table(f"cost growth at {', '.join(map(str, scales))} orgs", rows)
    path = write_json(results_dir, "bench-scale", {"scales": scales, "samples": samples}, rows)
    click.echo(f"\nwrote {path}")


if __name__ == "__main__":
    main()
