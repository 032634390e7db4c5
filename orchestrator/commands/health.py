"""`orchestrator health`: the probe worker (DESIGN §9)."""

from __future__ import annotations

import sys

import click

from ..runtime.loop import LoopConfig, RunSummary
from .context import require_dsn, run_or_exit, start_loop
from .options import health_options, loop_options, metrics_options


@click.command()
@click.option("--once", is_flag=True, help="Probe what is due now, record it, exit.")
@health_options("")
@metrics_options
@loop_options("probes", grace_default=15.0)
@click.pass_context
def health(
    ctx: click.Context,
    once: bool,
    health_concurrency: int,
    health_timeout: float | None,
    health_poll_interval: float,
    max_checks: int,
    metrics_port: int | None,
    metrics_host: str,
    max_db_connections: int,
    worker_id: str | None,
    grace_period: float,
    log_level: str,
    log_format: str,
) -> None:
    """Claim due health checks, probe them in parallel, record the results."""
    from ..health.service import run_health

    dsn = require_dsn(ctx)
    config = LoopConfig(
        worker_id=start_loop(worker_id, log_level, log_format),
        concurrency=health_concurrency,
        poll_interval=health_poll_interval,
        grace_period=grace_period,
        once=once,
        max_claim=max_checks,
    )
    summary = run_or_exit(
        lambda: (
            run_health(dsn, config, health_timeout, max_connections=max_db_connections)
            if metrics_port is None
            else _with_metrics(
                dsn, config, health_timeout, metrics_host, metrics_port, max_db_connections
            )
        )
    )
    if once:
        click.echo(summary.line())
        if summary.unreported:
            click.echo(f"Error: {summary.unreported} result(s) could not be recorded", err=True)
            sys.exit(1)


async def _with_metrics(
    dsn: str,
    config: LoopConfig,
    timeout_s: float | None,
    host: str,
    port: int,
    max_db_connections: int,
) -> RunSummary:
    """The health loop alone under `serve`'s runner: /metrics, /healthz, /readyz."""
    from ..health.service import APPLICATION_NAME
    from ..runtime.metrics import Metrics
    from ..serve import MetricsEndpoint, ServeConfig, run_serve

    serve_config = ServeConfig(
        sync=None,
        sync_options=None,
        health=config,
        health_timeout_s=timeout_s,
        metrics=MetricsEndpoint(host, port),
        application_name=APPLICATION_NAME,
        max_db_connections=max_db_connections,
    )
    return (await run_serve(dsn, serve_config, Metrics()))["health"]
