"""`orchestrator health`: the probe worker (DESIGN §9)."""

from __future__ import annotations

import asyncio
import logging

import click
import psycopg

from .context import require_dsn


@click.command()
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

    from ..health import runner

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
