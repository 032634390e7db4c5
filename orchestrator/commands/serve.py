"""`orchestrator serve`: the sync worker and the health runner in one process, with
optional Prometheus metrics and liveness/readiness endpoints (DESIGN §12)."""

from __future__ import annotations

import click

from ..runtime.metrics import Metrics
from ..serve import ServeConfig, run_serve
from .context import require_dsn, run_or_exit, start_loop, sync_auth
from .options import (
    HealthParams,
    LoopParams,
    MetricsParams,
    SyncParams,
    health_options,
    loop_options,
    metrics_options,
    sync_options,
)


@click.command()
@click.option("--no-sync", is_flag=True, help="Do not run the sync worker.")
@click.option("--no-health", is_flag=True, help="Do not run the health runner.")
@health_options("health-")
@sync_options
@metrics_options
@loop_options("calls and probes")
@click.pass_context
def serve(
    ctx: click.Context,
    no_sync: bool,
    no_health: bool,
    probes: HealthParams,
    sync: SyncParams,
    metrics: MetricsParams,
    loop: LoopParams,
) -> None:
    """Run the sync worker and the health runner in one process (one shutdown)."""
    dsn = require_dsn(ctx)
    if no_sync and no_health:
        raise click.UsageError("--no-sync and --no-health together leave nothing to run")
    wid = start_loop(loop)
    config = ServeConfig(
        sync=None if no_sync else sync.loop(wid, loop),
        sync_options=None if no_sync else sync.options(sync_auth()),
        health=None if no_health else probes.loop(wid, loop),
        health_timeout_s=probes.health_timeout,
        metrics=metrics.endpoint(),
        max_db_connections=loop.max_db_connections,
    )
    run_or_exit(lambda: run_serve(dsn, config, Metrics()))
