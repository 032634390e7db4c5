"""What every command shares: the --dsn of the group, the embedded cluster's folder, and
the options and exit handling of the runtime's loops (`worker`, `health`, `serve`)."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import click

from ..runtime.db import DEFAULT_MAX_DB_CONNECTIONS, MIN_DB_CONNECTIONS
from ..runtime.identity import WORKER_ID_RULE, default_worker_id, is_valid_worker_id
from ..runtime.logs import LEVELS, LOG_FORMATS, configure_logging
from ..runtime.shell import ShellExit, execute
from ..sync.signing import SERVICE_KEY_ENV, CallAuth
from ..sync.warmup import DEFAULT_WARMUP_INTERVAL_S
from ..tooling import localdb

LOCALDB_DIR = localdb.PROJECT_ROOT / ".localdb" / "data"
T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


def require_dsn(ctx: click.Context) -> str:
    dsn: str | None = ctx.obj.get("dsn")
    if not dsn:
        raise click.UsageError("no database: pass --dsn or set ORCHESTRATOR_DSN")
    return dsn


def sync_auth() -> CallAuth:
    """The integration calls' signing secret (ORCHESTRATOR_WEBHOOK_SECRET, required) and
    gateway key (ORCHESTRATOR_FUNCTIONS_KEY, optional), DESIGN §13; a missing or malformed
    secret is a usage error (exit 2). Call after logging is set up: a set
    ORCHESTRATOR_SERVICE_KEY gets one WARNING (never sent since 0.3)."""
    try:
        auth = CallAuth.from_environ(os.environ)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    if os.environ.get(SERVICE_KEY_ENV):
        logging.getLogger("orchestrator.sync").warning(
            "%s is set but ignored since 0.3: integration calls are signed with "
            "ORCHESTRATOR_WEBHOOK_SECRET and never carry the service-role key "
            "(the gateway key, if any, is ORCHESTRATOR_FUNCTIONS_KEY); unset it",
            SERVICE_KEY_ENV,
        )
    return auth


def loop_options(what: str, grace_default: float = 30.0) -> Callable[[F], F]:
    """--max-db-connections, --worker-id, --grace-period, --log-level and --log-format,
    alike for every loop (`worker`, `health`, `serve`)."""

    def decorate(f: F) -> F:
        f = click.option(
            "--log-format",
            type=click.Choice(LOG_FORMATS, case_sensitive=False),
            default="text",
            show_default=True,
            envvar="ORCHESTRATOR_LOG_FORMAT",
            help="Log lines as text or one JSON object each (env ORCHESTRATOR_LOG_FORMAT).",
        )(f)
        f = click.option(
            "--log-level",
            type=click.Choice(LEVELS, case_sensitive=False),
            default="INFO",
            show_default=True,
            envvar="ORCHESTRATOR_LOG_LEVEL",
            help="Log level (env ORCHESTRATOR_LOG_LEVEL).",
        )(f)
        f = click.option(
            "--grace-period",
            type=click.FloatRange(0),
            default=grace_default,
            show_default=True,
            envvar="ORCHESTRATOR_GRACE_PERIOD",
            help=f"Seconds in-flight {what} may finish after SIGTERM/SIGINT "
            "(env ORCHESTRATOR_GRACE_PERIOD); a second signal ends it.",
        )(f)
        f = click.option(
            "--worker-id",
            default=None,
            envvar="ORCHESTRATOR_WORKER_ID",
            help=f"Name recorded on claims, {WORKER_ID_RULE}; default host:pid "
            "(env ORCHESTRATOR_WORKER_ID).",
        )(f)
        f = click.option(
            "--max-db-connections",
            type=click.IntRange(MIN_DB_CONNECTIONS, 1000),
            default=DEFAULT_MAX_DB_CONNECTIONS,
            show_default=True,
            envvar="ORCHESTRATOR_MAX_DB_CONNECTIONS",
            help="Database connections this process holds at most, LISTEN included "
            "(env ORCHESTRATOR_MAX_DB_CONNECTIONS).",
        )(f)
        return f

    return decorate


def sync_options(f: F) -> F:
    """The sync loop's options, alike for `worker` and `serve`: --concurrency,
    --call-timeout, --poll-interval, --poll-only, --warmup-interval."""
    for option in reversed(
        [
            click.option(
                "--concurrency",
                type=click.IntRange(1, 100),
                default=5,
                show_default=True,
                envvar="ORCHESTRATOR_CONCURRENCY",
                help="Sync calls in flight at most (env ORCHESTRATOR_CONCURRENCY).",
            ),
            click.option(
                "--call-timeout",
                type=click.FloatRange(0, min_open=True),
                default=45.0,
                show_default=True,
                envvar="ORCHESTRATOR_CALL_TIMEOUT",
                help="Seconds one integration call may take (env ORCHESTRATOR_CALL_TIMEOUT).",
            ),
            click.option(
                "--poll-interval",
                type=click.FloatRange(0, min_open=True),
                default=10.0,
                show_default=True,
                envvar="ORCHESTRATOR_POLL_INTERVAL",
                help="Sync: seconds between polls when no NOTIFY arrives"
                " (env ORCHESTRATOR_POLL_INTERVAL).",
            ),
            click.option(
                "--poll-only",
                is_flag=True,
                envvar="ORCHESTRATOR_POLL_ONLY",
                help="No LISTEN connection, for poolers in transaction mode"
                " (env ORCHESTRATOR_POLL_ONLY).",
            ),
            click.option(
                "--warmup-interval",
                type=click.FloatRange(0, min_open=True),
                default=DEFAULT_WARMUP_INTERVAL_S,
                show_default=True,
                envvar="ORCHESTRATOR_WARMUP_INTERVAL",
                help="Sync: seconds between warm-up passes (env ORCHESTRATOR_WARMUP_INTERVAL).",
            ),
        ]
    ):
        f = option(f)
    return f


def metrics_options(f: F) -> F:
    """--metrics-port and --metrics-host, alike for `serve`, `worker` and `health`."""
    f = click.option(
        "--metrics-host",
        default="127.0.0.1",
        show_default=True,
        envvar="ORCHESTRATOR_METRICS_HOST",
        help="Address the metrics endpoints bind (env ORCHESTRATOR_METRICS_HOST).",
    )(f)
    f = click.option(
        "--metrics-port",
        type=click.IntRange(1, 65535),
        default=None,
        envvar="ORCHESTRATOR_METRICS_PORT",
        help="Serve /metrics, /healthz and /readyz on this port; off by default "
        "(env ORCHESTRATOR_METRICS_PORT).",
    )(f)
    return f


def start_loop(worker_id: str | None, log_level: str, log_format: str = "text") -> str:
    """Logging set up; the worker id checked (or the default)."""
    if worker_id is not None and not is_valid_worker_id(worker_id):
        raise click.UsageError(f"--worker-id must be {WORKER_ID_RULE} (env ORCHESTRATOR_WORKER_ID)")
    configure_logging(log_level, log_format.lower())
    return worker_id or default_worker_id()


def run_or_exit(run: Callable[[], Awaitable[T]]) -> T:
    """Run the loop; a database error ends the command with one line on stderr and exit
    code 2 (configuration: cause and fix) or 1 (database unavailable)."""
    try:
        return execute(run)
    except ShellExit as exc:
        click.echo(f"Error: {exc.line}", err=True)
        sys.exit(exc.code)
