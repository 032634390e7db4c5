"""`orchestrator worker` and `orchestrator dispatch`: the sync worker (DESIGN §11)."""

from __future__ import annotations

import click

from ..runtime.metrics import Metrics
from ..serve import ServeConfig, run_serve
from ..sync.service import APPLICATION_NAME, dispatch, run_worker, to_json
from .context import require_dsn, run_or_exit, start_loop, sync_auth
from .options import (
    LoopParams,
    MetricsParams,
    SyncParams,
    loop_options,
    metrics_options,
    sync_options,
)


@click.command()
@click.option("--once", is_flag=True, help="Run what is pending now, wait for it, exit 0.")
@sync_options
@metrics_options
@loop_options("calls")
@click.pass_context
def worker(
    ctx: click.Context, once: bool, sync: SyncParams, metrics: MetricsParams, loop: LoopParams
) -> None:
    """Claim and run sync runs (LISTEN + polling); calls signed with ORCHESTRATOR_WEBHOOK_SECRET."""
    dsn = require_dsn(ctx)
    config = sync.loop(start_loop(loop), loop, once)
    options = sync.options(sync_auth())
    endpoint = metrics.endpoint()
    if endpoint is None:
        run_or_exit(
            lambda: run_worker(dsn, config, options, max_connections=loop.max_db_connections)
        )
        return
    serve_config = ServeConfig(
        sync=config,
        sync_options=options,
        health=None,
        metrics=endpoint,
        application_name=APPLICATION_NAME,
        max_db_connections=loop.max_db_connections,
    )
    run_or_exit(lambda: run_serve(dsn, serve_config, Metrics()))


@click.command()
@click.pass_context
def dispatch_command(ctx: click.Context) -> None:
    """Run integration_ops.dispatch_due_syncs() once and print its JSON."""
    dsn = require_dsn(ctx)
    click.echo(to_json(run_or_exit(lambda: dispatch(dsn))))
