"""The `orchestrator` command line: one click group, options read from the environment."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import uuid
from pathlib import Path

import click
import psycopg
from psycopg_pool import PoolTimeout

from . import localdb
from .bundle import bundle
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


@db.command("bundle")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write (default: stdout), e.g. supabase/migrations/<ts>_integration_sync.sql",
)
def bundle_command(output: Path | None) -> None:
    """Write the plan's deploy scripts, in order, as one migration file (Supabase CLI)."""
    text = bundle()
    if output is None:
        click.echo(text)
    else:
        output.write_text(text)
        click.echo(f"wrote {output}", err=True)


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


# --- demo: `make run` ----------------------------------------------------------------


@main.command()
@click.option("--once", is_flag=True, help="One full cycle, print the status, exit 0.")
@click.option(
    "--datadir",
    type=click.Path(file_okay=False, path_type=Path),
    default=LOCALDB_DIR,
    help="Data directory of the embedded Postgres.",
)
def demo(once: bool, datadir: Path) -> None:
    """Deploy, seed a demo, run dispatch, the worker and the health runner, show status."""
    from .demo.run import run_demo

    run_demo(datadir, once)


# --- health: the probe worker (DESIGN §9) ----------------------------------------------


@main.command()
@click.option("--once", is_flag=True, help="Probe what is due now, record it, exit.")
@click.option(
    "--concurrency",
    type=click.IntRange(1, 1000),
    default=50,
    show_default=True,
    envvar="ORCHESTRATOR_HEALTH_CONCURRENCY",
    help="Probes in flight at once (env ORCHESTRATOR_HEALTH_CONCURRENCY).",
)
@click.option(
    "--timeout",
    "timeout_s",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    envvar="ORCHESTRATOR_HEALTH_TIMEOUT",
    help="Seconds before a probe is cancelled and recorded unreachable; default "
    "integration_ops.settings.health_check_timeout (env ORCHESTRATOR_HEALTH_TIMEOUT).",
)
@click.option(
    "--poll-interval",
    "poll_interval_s",
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    envvar="ORCHESTRATOR_HEALTH_POLL_INTERVAL",
    help="Seconds between claims when looping (env ORCHESTRATOR_HEALTH_POLL_INTERVAL).",
)
@click.option(
    "--max-checks",
    type=click.IntRange(1, 1000),
    default=200,
    show_default=True,
    envvar="ORCHESTRATOR_HEALTH_MAX_CHECKS",
    help="Pairs claimed per claim_health_checks call (env ORCHESTRATOR_HEALTH_MAX_CHECKS).",
)
@click.option(
    "--worker-id",
    default=None,
    envvar="ORCHESTRATOR_WORKER_ID",
    help="Name recorded on claims; default health-<host>-<pid> (env ORCHESTRATOR_WORKER_ID).",
)
@click.pass_context
def health(
    ctx: click.Context,
    once: bool,
    concurrency: int,
    timeout_s: float | None,
    poll_interval_s: float,
    max_checks: int,
    worker_id: str | None,
) -> None:
    """Claim due health checks, probe them in parallel, record the results."""
    import psycopg

    from .health import runner

    dsn = require_dsn(ctx)
    if worker_id is not None and not worker_id.strip():
        raise click.UsageError("--worker-id must not be empty")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    options = runner.RunnerOptions(
        worker_id=worker_id or runner.default_worker_id(),
        concurrency=concurrency,
        max_checks=max_checks,
        timeout_s=timeout_s,
        poll_interval_s=poll_interval_s,
    )
    if not once:
        asyncio.run(runner.run_forever(dsn, options, install_signal_handlers=True))
        return

    async def one_pass() -> runner.RunSummary:
        async with await runner.connect(dsn) as conn:
            return await runner.run_once(conn, options)

    try:
        summary = asyncio.run(one_pass())
    except psycopg.Error as exc:
        raise click.ClickException(f"database error: {exc}") from exc
    click.echo(summary.line())
    if summary.not_recorded:
        raise click.ClickException(f"{summary.not_recorded} result(s) could not be recorded")


# --- status: an org's health and last runs through the app's RPCs ----------------------


@main.command("status")
@click.option(
    "--org",
    "org_id",
    required=True,
    envvar="ORCHESTRATOR_ORG_ID",
    help="The organisation's uuid (env ORCHESTRATOR_ORG_ID).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
@click.pass_context
def org_status(ctx: click.Context, org_id: str, as_json: bool) -> None:
    """The org's health rows and last runs (get_org_health_status,
    get_last_run_per_integration as service_role)."""
    from .status import StatusError, fetch_org_status

    try:
        org = uuid.UUID(org_id)
    except ValueError as exc:
        raise click.UsageError(f"--org must be a uuid, got {org_id!r}") from exc
    dsn = require_dsn(ctx)
    try:
        result = fetch_org_status(dsn, org)
    except StatusError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(result.as_json() if as_json else result.as_text())


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
