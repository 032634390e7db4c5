"""The `orchestrator` command line: one click group, options read from the environment."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path

import click
import psycopg
from psycopg_pool import PoolTimeout

from . import localdb
from .sqitch import SqitchNotFound, dsn_to_target, run_sqitch
from .sync.runner import RunnerConfig
from .sync.service import default_worker_id, dispatch_once, run_worker, to_json

LOCALDB_DIR = localdb.PROJECT_ROOT / ".localdb" / "data"


@click.group()
@click.option(
    "--dsn",
    envvar="ORCHESTRATOR_DSN",
    default=None,
    help="libpq connection string or URI of the database (env ORCHESTRATOR_DSN).",
)
@click.pass_context
def main(ctx: click.Context, dsn: str | None) -> None:
    """Integration sync & health: database tooling and the worker."""
    ctx.ensure_object(dict)
    ctx.obj["dsn"] = dsn


def require_dsn(ctx: click.Context) -> str:
    dsn: str | None = ctx.obj.get("dsn")
    if not dsn:
        raise click.UsageError("no database: pass --dsn or set ORCHESTRATOR_DSN")
    return dsn


# --- db: Sqitch through subprocess ---------------------------------------------------


@main.group()
def db() -> None:
    """Sqitch deploy / verify / revert / status (output passed through, exit code kept)."""


def _target(ctx: click.Context, target: str | None) -> str | None:
    if target:
        return target
    dsn: str | None = ctx.obj.get("dsn")
    if dsn:
        converted = dsn_to_target(dsn)
        if converted is None:
            raise click.UsageError(
                "--dsn is not a postgresql:// URI; pass --target db:pg://… for Sqitch"
            )
        return converted
    return None  # Sqitch falls back to SQITCH_TARGET / sqitch.conf


def _sqitch(ctx: click.Context, command: str, target: str | None, extra: list[str]) -> None:
    try:
        result = run_sqitch(command, _target(ctx, target), extra)
    except SqitchNotFound as exc:
        raise click.ClickException(str(exc)) from exc
    sys.exit(result.returncode)


_target_option = click.option("--target", default=None, help="Sqitch target URI (db:pg://…).")


@db.command()
@_target_option
@click.option("--to", "to_change", default=None, help="Deploy up to this change.")
@click.pass_context
def deploy(ctx: click.Context, target: str | None, to_change: str | None) -> None:
    """Deploy the plan."""
    _sqitch(ctx, "deploy", target, ["--to", to_change] if to_change else [])


@db.command()
@_target_option
@click.pass_context
def verify(ctx: click.Context, target: str | None) -> None:
    """Run every verify script."""
    _sqitch(ctx, "verify", target, [])


@db.command()
@_target_option
@click.option("--to", "to_change", default=None, help="Revert down to this change.")
@click.option("-y", "--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def revert(ctx: click.Context, target: str | None, to_change: str | None, yes: bool) -> None:
    """Revert changes (all of them unless --to)."""
    extra = (["--to", to_change] if to_change else []) + (["-y"] if yes else [])
    _sqitch(ctx, "revert", target, extra)


@db.command()
@_target_option
@click.pass_context
def status(ctx: click.Context, target: str | None) -> None:
    """Show the deployment status."""
    _sqitch(ctx, "status", target, [])


# --- localdb: the embedded cluster used by `make run` ---------------------------------


@main.group()
def localdb_group() -> None:
    """Start / stop the embedded local Postgres under .localdb/."""


main.add_command(localdb_group, name="localdb")


@localdb_group.command("start")
@click.option("--datadir", type=click.Path(path_type=Path), default=LOCALDB_DIR)
def localdb_start(datadir: Path) -> None:
    """Start (or reuse) the local cluster and print its DSN."""
    try:
        cluster, created = localdb.ensure_cluster(datadir)
    except localdb.LocalDbError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(("created " if created else "reusing ") + cluster.uri())


@localdb_group.command("stop")
@click.option("--datadir", type=click.Path(path_type=Path), default=LOCALDB_DIR)
def localdb_stop(datadir: Path) -> None:
    """Stop the local cluster."""
    localdb.stop_cluster(datadir)
    click.echo("stopped")


# --- sync worker (DESIGN §11) -----------------------------------------------------------


@main.command()
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


@main.command()
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
