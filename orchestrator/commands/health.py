"""`orchestrator health`: the probe worker (DESIGN §9)."""

from __future__ import annotations

import sys

import click

from ..runtime.loop import LoopConfig, RunSummary
from ..serve import MetricsEndpoint
from .context import require_dsn, run_or_exit, start_loop
from .options import (
    HealthParams,
    LoopParams,
    MetricsParams,
    health_options,
    loop_options,
    metrics_options,
)


@click.command()
@click.option("--once", is_flag=True, help="Probe what is due now, record it, exit.")
@health_options("")
@metrics_options
@loop_options("probes", grace_default=15.0)
@click.pass_context
def health(
    ctx: click.Context,
    once: bool,
    probes: HealthParams,
    metrics: MetricsParams,
    loop: LoopParams,
) -> None:
    """Claim due health checks, probe them in parallel, record the results."""
    from ..health.service import run_health

    dsn = require_dsn(ctx)
    config = probes.loop(start_loop(loop), loop, once)
    endpoint = metrics.endpoint()
    timeout_s, ceiling = probes.health_timeout, loop.max_db_connections
    summary = run_or_exit(
        lambda: (
            run_health(dsn, config, timeout_s, max_connections=ceiling)
            if endpoint is None
            else _with_metrics(dsn, config, timeout_s, endpoint, ceiling)
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
    endpoint: MetricsEndpoint,
    max_db_connections: int,
) -> RunSummary:
    """The health loop alone under `serve`'s runner: /metrics, /healthz, /readyz."""
    from ..health.service import APPLICATION_NAME
    from ..runtime.metrics import Metrics
    from ..serve import ServeConfig, run_serve

    serve_config = ServeConfig(
        sync=None,
        sync_options=None,
        health=config,
        health_timeout_s=timeout_s,
        metrics=endpoint,
        application_name=APPLICATION_NAME,
        max_db_connections=max_db_connections,
    )
    return (await run_serve(dsn, serve_config, Metrics()))["health"]
