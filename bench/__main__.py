"""`python -m bench`: the benchmark report (never part of `make test`)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import click

from orchestrator.localdb import PROJECT_ROOT

from . import engine, peer, rpcs
from .dataset import dataset
from .report import print_table, write_json
from .server import bench_server
from .stats import Row

RESULTS = PROJECT_ROOT / "bench" / "results"


@click.command()
@click.option("--orgs", type=int, default=2000, envvar="BENCH_ORGS", show_default=True)
@click.option("--samples", type=int, default=200, show_default=True, help="Samples per RPC.")
@click.option("--scale", default=None, help="Comma-separated org counts: RPC figures side by side.")
@click.option("--results-dir", type=click.Path(path_type=Path), default=RESULTS)
def main(orgs: int, samples: int, scale: str | None, results_dir: Path) -> None:
    """Build N orgs of data in a throwaway cluster and measure every figure."""
    if orgs < 20:
        raise click.UsageError("--orgs must be at least 20")
    if scale:
        run_scale([int(s) for s in scale.split(",")], samples, results_dir)
        return
    started = time.monotonic()
    click.echo(f"building {orgs} orgs x 10 integrations in a throwaway cluster ...", err=True)
    with dataset(orgs) as ds:
        click.echo(f"  generated in {ds.generate_seconds:.1f} s", err=True)
        rows: list[Row] = [
            Row(
                name=f"data generator: {orgs} orgs x 10 integrations",
                figure=f"{ds.generate_seconds:.1f} s",
                budget="60 s at 2,000 orgs",
                note="96 history rows and 90 runs per pair",
            )
        ]
        click.echo("measuring the public RPCs ...", err=True)
        rows += rpcs.measure(ds, samples)
        click.echo("measuring record_health_check and dispatch ...", err=True)
        rows.append(engine.record_health_check_cost(ds, samples))
        rows.append(engine.dispatch_cost(ds))
        click.echo("comparing with hand-written SQL and procrastinate ...", err=True)
        rows.append(peer.naive_last_run(ds, samples))
        rows.append(peer.queue_peer(ds))
        with bench_server() as base_url:
            click.echo("running the engine, the health runner and the worker ...", err=True)
            rows.append(engine.engine_wall_time(ds, base_url))
            rows.append(engine.health_runner_wall_time(ds, base_url))
            rows.append(engine.worker_peak_rss(ds, base_url))
    meta: dict[str, object] = {
        "orgs": orgs,
        "samples": samples,
        "cpus": os.cpu_count() or 0,
        "total_s": round(time.monotonic() - started, 1),
    }
    print_table(f"make bench: {orgs} orgs x 10 integrations ({samples} samples per RPC)", rows)
    path = write_json(results_dir, f"bench-{orgs}", meta, rows)
    click.echo(f"\nwrote {path} (total {meta['total_s']} s)")


def run_scale(scales: list[int], samples: int, results_dir: Path) -> None:
    by_scale: dict[int, list[Row]] = {}
    for n in scales:
        click.echo(f"building {n} orgs ...", err=True)
        with dataset(n) as ds:
            by_scale[n] = rpcs.measure(ds, samples)
    names = [r.name for r in by_scale[scales[0]]]
    rows = []
    for i, name in enumerate(names):
        figures = "; ".join(
            f"{n}: p50 {by_scale[n][i].data['client_p50_ms']:.2f} / p99 "
            f"{by_scale[n][i].data['client_p99_ms']:.2f} ms"
            for n in scales
        )
        rows.append(
            Row(
                name=name,
                figure=figures,
                budget=by_scale[scales[0]][i].budget,
                note=by_scale[scales[-1]][i].note,
            )
        )
    print_table(f"cost growth (client round trip) at {', '.join(map(str, scales))} orgs", rows)
    path = write_json(results_dir, "bench-scale", {"scales": scales, "samples": samples}, rows)
    click.echo(f"\nwrote {path}")


if __name__ == "__main__":
    main()
