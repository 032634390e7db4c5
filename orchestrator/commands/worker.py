"""`orchestrator worker` and `orchestrator dispatch`: the sync worker (DESIGN §11)."""

from __future__ import annotations

import click

from ..runtime.loop import LoopConfig
from ..runtime.metrics import Metrics
from ..serve import MetricsEndpoint, ServeConfig, run_serve
from ..sync.service import APPLICATION_NAME, SyncOptions, dispatch, run_worker, to_json
from .context import require_dsn, run_or_exit, start_loop, sync_auth
from .options import loop_options, metrics_options, sync_options


@click.command()
@click.option("--once", is_flag=True, help="Run what is pending now, wait for it, exit 0.")
@sync_options
@metrics_options
@loop_options("calls")
@click.pass_context
def worker(
    ctx: click.Context,
    once: bool,
    concurrency: int,
    call_timeout: float,
    poll_interval: float,
    poll_only: bool,
    warmup_interval: float,
    metrics_port: int | None,
    metrics_host: str,
    max_db_connections: int,
    worker_id: str | None,
    grace_period: float,
    log_level: str,
    log_format: str,
) -> None:
    """Claim and run sync runs (LISTEN + polling); calls signed with ORCHESTRATOR_WEBHOOK_SECRET."""
    dsn = require_dsn(ctx)
    wid = start_loop(worker_id, log_level, log_format)
    auth = sync_auth()
    config = LoopConfig(
        worker_id=wid,
        concurrency=concurrency,
        poll_interval=poll_interval,
        grace_period=grace_period,
        once=once,
    )
    options = SyncOptions(auth, call_timeout, poll_only, warmup_interval)
    if metrics_port is None:
        run_or_exit(lambda: run_worker(dsn, config, options, max_connections=max_db_connections))
        return
    serve_config = ServeConfig(
        sync=config,
        sync_options=options,
        health=None,
        metrics=MetricsEndpoint(metrics_host, metrics_port),
        application_name=APPLICATION_NAME,
        max_db_connections=max_db_connections,
    )
    run_or_exit(lambda: run_serve(dsn, serve_config, Metrics()))


@click.command()
@click.pass_context
def dispatch_command(ctx: click.Context) -> None:
    """Run integration_ops.dispatch_due_syncs() once and print its JSON."""
    dsn = require_dsn(ctx)
    click.echo(to_json(run_or_exit(lambda: dispatch(dsn))))
