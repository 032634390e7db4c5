"""`orchestrator serve`: the sync worker and the health runner in one process, with
optional Prometheus metrics and liveness/readiness endpoints (DESIGN §12)."""

from __future__ import annotations

import click

from ..runtime.loop import LoopConfig
from ..runtime.metrics import Metrics
from ..serve import MetricsEndpoint, ServeConfig, run_serve
from ..sync.service import SyncOptions
from .context import require_dsn, run_or_exit, start_loop, sync_auth
from .options import health_options, loop_options, metrics_options, sync_options


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
    concurrency: int,
    call_timeout: float,
    poll_interval: float,
    poll_only: bool,
    health_concurrency: int,
    health_timeout: float | None,
    health_poll_interval: float,
    max_checks: int,
    warmup_interval: float,
    metrics_port: int | None,
    metrics_host: str,
    max_db_connections: int,
    worker_id: str | None,
    grace_period: float,
    log_level: str,
    log_format: str,
) -> None:
    """Run the sync worker and the health runner in one process (one shutdown)."""
    dsn = require_dsn(ctx)
    if no_sync and no_health:
        raise click.UsageError("--no-sync and --no-health together leave nothing to run")
    wid = start_loop(worker_id, log_level, log_format)
    auth = None if no_sync else sync_auth()
    sync = None if no_sync else LoopConfig(wid, concurrency, poll_interval, grace_period)
    health = (
        None
        if no_health
        else LoopConfig(
            wid, health_concurrency, health_poll_interval, grace_period, max_claim=max_checks
        )
    )
    config = ServeConfig(
        sync=sync,
        sync_options=None
        if auth is None
        else SyncOptions(auth, call_timeout, poll_only, warmup_interval),
        health=health,
        health_timeout_s=health_timeout,
        metrics=None if metrics_port is None else MetricsEndpoint(metrics_host, metrics_port),
        max_db_connections=max_db_connections,
    )
    run_or_exit(lambda: run_serve(dsn, config, Metrics()))
