"""`orchestrator worker` and `orchestrator dispatch`: the sync worker (DESIGN §11)."""

from __future__ import annotations

import asyncio
import logging
import os
import sys

import click
import psycopg
from psycopg_pool import PoolTimeout

from ..sync.runner import RunnerConfig
from ..sync.service import default_worker_id, dispatch_once, run_worker, to_json
from .context import require_dsn


@click.command()
@click.option("--once", is_flag=True, help="Run what is pending now, wait for it, exit 0.")
@click.option(
    "--concurrency",
    type=click.IntRange(1, 100),
    default=5,
    show_default=True,
    envvar="ORCHESTRATOR_CONCURRENCY",
    help="Calls in flight at most (env ORCHESTRATOR_CONCURRENCY).",
)
@click.option(
    "--call-timeout",
    type=click.FloatRange(0, min_open=True),
    default=45.0,
    show_default=True,
    envvar="ORCHESTRATOR_CALL_TIMEOUT",
    help="Seconds one integration call may take (env ORCHESTRATOR_CALL_TIMEOUT).",
)
@click.option(
    "--poll-interval",
    type=click.FloatRange(0, min_open=True),
    default=10.0,
    show_default=True,
    envvar="ORCHESTRATOR_POLL_INTERVAL",
    help="Seconds between polls when no NOTIFY arrives (env ORCHESTRATOR_POLL_INTERVAL).",
)
@click.option(
    "--grace-period",
    type=click.FloatRange(0),
    default=30.0,
    show_default=True,
    envvar="ORCHESTRATOR_GRACE_PERIOD",
    help="Seconds in-flight calls may finish after SIGTERM/SIGINT (env ORCHESTRATOR_GRACE_PERIOD).",
)
@click.option(
    "--worker-id",
    default=None,
    envvar="ORCHESTRATOR_WORKER_ID",
    help="Name recorded on claimed runs; default host:pid (env ORCHESTRATOR_WORKER_ID).",
)
@click.option(
    "--poll-only",
    is_flag=True,
    envvar="ORCHESTRATOR_POLL_ONLY",
    help="No LISTEN connection, for poolers in transaction mode (env ORCHESTRATOR_POLL_ONLY).",
)
@click.option(
    "--log-level",
    type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False),
    default="INFO",
    show_default=True,
    envvar="ORCHESTRATOR_LOG_LEVEL",
    help="Log level (env ORCHESTRATOR_LOG_LEVEL).",
)
@click.pass_context
def worker(
    ctx: click.Context,
    once: bool,
    concurrency: int,
    call_timeout: float,
    poll_interval: float,
    grace_period: float,
    worker_id: str | None,
    poll_only: bool,
    log_level: str,
) -> None:
    """Claim and run sync runs (LISTEN + polling); the service key from ORCHESTRATOR_SERVICE_KEY."""
    dsn = require_dsn(ctx)
    service_key = os.environ.get("ORCHESTRATOR_SERVICE_KEY", "")
    if not service_key:
        raise click.UsageError("no service key: set ORCHESTRATOR_SERVICE_KEY")
    _configure_logging(log_level)
    config = RunnerConfig(
        worker_id=worker_id or default_worker_id(),
        concurrency=concurrency,
        poll_interval=poll_interval,
        grace_period=grace_period,
        once=once,
    )
    try:
        asyncio.run(run_worker(dsn, config, service_key, call_timeout, poll_only))
    except (psycopg.Error, PoolTimeout) as exc:
        raise click.ClickException(f"database error: {type(exc).__name__}: {exc}") from exc


@click.command()
@click.pass_context
def dispatch(ctx: click.Context) -> None:
    """Run integration_ops.dispatch_due_syncs() once and print its JSON."""
    dsn = require_dsn(ctx)
    try:
        result = dispatch_once(dsn)
    except psycopg.Error as exc:
        raise click.ClickException(f"database error: {type(exc).__name__}: {exc}") from exc
    click.echo(to_json(result))


def _configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        stream=sys.stderr,
    )
