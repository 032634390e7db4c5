"""Every option and argument that more than one command takes, declared once: the
runtime's loops (`worker`, `health`, `serve`) and the tooling's commands (`localdb`,
`db`, `integrations`). Names, defaults and environment variables are the CLI's contract
(docs/worker.md, docs/operations.md)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from ..runtime.db import DEFAULT_MAX_DB_CONNECTIONS, MIN_DB_CONNECTIONS
from ..runtime.identity import WORKER_ID_RULE
from ..runtime.logs import LEVELS, LOG_FORMATS
from ..runtime.loop import LoopConfig
from ..serve import MetricsEndpoint
from ..sync.service import SyncOptions
from ..sync.signing import CallAuth
from ..sync.warmup import DEFAULT_WARMUP_INTERVAL_S
from .context import LOCALDB_DIR

F = TypeVar("F", bound=Callable[..., Any])

# --- what the loops' commands receive: one frozen dataclass per group of options ---------


@dataclass(frozen=True)
class LoopParams:
    """--max-db-connections, --worker-id, --grace-period, --log-level, --log-format."""

    max_db_connections: int
    worker_id: str | None
    grace_period: float
    log_level: str
    log_format: str

    def config(
        self,
        worker_id: str,
        concurrency: int,
        poll_interval: float,
        once: bool,
        max_claim: int | None = None,
    ) -> LoopConfig:
        """A loop's configuration: its own concurrency and polling, the shared grace period."""
        return LoopConfig(worker_id, concurrency, poll_interval, self.grace_period, once, max_claim)


@dataclass(frozen=True)
class SyncParams:
    """--concurrency, --call-timeout, --poll-interval, --poll-only, --warmup-interval."""

    concurrency: int
    call_timeout: float
    poll_interval: float
    poll_only: bool
    warmup_interval: float

    def loop(self, worker_id: str, loop: LoopParams, once: bool = False) -> LoopConfig:
        return loop.config(worker_id, self.concurrency, self.poll_interval, once)

    def options(self, auth: CallAuth) -> SyncOptions:
        return SyncOptions(auth, self.call_timeout, self.poll_only, self.warmup_interval)


@dataclass(frozen=True)
class HealthParams:
    """--concurrency, --timeout, --poll-interval (`serve`: --health-…) and --max-checks."""

    health_concurrency: int
    health_timeout: float | None
    health_poll_interval: float
    max_checks: int

    def loop(self, worker_id: str, loop: LoopParams, once: bool = False) -> LoopConfig:
        return loop.config(
            worker_id, self.health_concurrency, self.health_poll_interval, once, self.max_checks
        )


@dataclass(frozen=True)
class MetricsParams:
    """--metrics-port, --metrics-host."""

    metrics_port: int | None
    metrics_host: str

    def endpoint(self) -> MetricsEndpoint | None:
        """None when --metrics-port is not given (off by default)."""
        if self.metrics_port is None:
            return None
        return MetricsEndpoint(self.metrics_host, self.metrics_port)


def packed(params: type[Any], keyword: str) -> Callable[[F], F]:
    """The command receives the options named by `params`' fields as one `params`
    instance, its argument `keyword` (declare the options on top of this)."""
    names = [field.name for field in fields(params)]

    def decorate(f: F) -> F:
        @functools.wraps(f)
        def command(*args: Any, **kwargs: Any) -> Any:
            kwargs[keyword] = params(**{name: kwargs.pop(name) for name in names})
            return f(*args, **kwargs)

        return cast(F, command)

    return decorate


# --- the runtime's loops ---------------------------------------------------------------


def loop_options(what: str, grace_default: float = 30.0) -> Callable[[F], F]:
    """--max-db-connections, --worker-id, --grace-period, --log-level and --log-format,
    alike for every loop (`worker`, `health`, `serve`): the command's `loop`, a
    LoopParams."""

    def decorate(f: F) -> F:
        f = packed(LoopParams, "loop")(f)
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
    --call-timeout, --poll-interval, --poll-only, --warmup-interval; the command's
    `sync`, a SyncParams."""
    f = packed(SyncParams, "sync")(f)
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
    """--metrics-port and --metrics-host, alike for `serve`, `worker` and `health`; the
    command's `metrics`, a MetricsParams."""
    f = packed(MetricsParams, "metrics")(f)
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


def health_options(prefix: str) -> Callable[[F], F]:
    """The health loop's options, alike for `health` (``prefix=""``: --concurrency,
    --timeout, --poll-interval) and `serve` (``prefix="health-"``: --health-concurrency,
    …, beside the sync loop's own); --max-checks in both. The command's `probes`, a
    HealthParams."""

    def decorate(f: F) -> F:
        f = packed(HealthParams, "probes")(f)
        for option in reversed(
            [
                click.option(
                    f"--{prefix}concurrency",
                    "health_concurrency",
                    type=click.IntRange(1, 1000),
                    default=50,
                    show_default=True,
                    envvar="ORCHESTRATOR_HEALTH_CONCURRENCY",
                    help="Probes in flight at once (env ORCHESTRATOR_HEALTH_CONCURRENCY).",
                ),
                click.option(
                    f"--{prefix}timeout",
                    "health_timeout",
                    type=click.FloatRange(min=0, min_open=True),
                    default=None,
                    envvar="ORCHESTRATOR_HEALTH_TIMEOUT",
                    help="Seconds before a probe is cancelled and recorded unreachable; default "
                    "integration_ops.settings.health_check_timeout "
                    "(env ORCHESTRATOR_HEALTH_TIMEOUT).",
                ),
                click.option(
                    f"--{prefix}poll-interval",
                    "health_poll_interval",
                    type=click.FloatRange(min=0, min_open=True),
                    default=30.0,
                    show_default=True,
                    envvar="ORCHESTRATOR_HEALTH_POLL_INTERVAL",
                    help="Seconds between health claims when looping "
                    "(env ORCHESTRATOR_HEALTH_POLL_INTERVAL).",
                ),
                click.option(
                    "--max-checks",
                    type=click.IntRange(1, 1000),
                    default=200,
                    show_default=True,
                    envvar="ORCHESTRATOR_HEALTH_MAX_CHECKS",
                    help="Pairs claimed per claim_health_checks call at most "
                    "(env ORCHESTRATOR_HEALTH_MAX_CHECKS).",
                ),
            ]
        ):
            f = option(f)
        return f

    return decorate


# --- the tooling's commands ----------------------------------------------------------

datadir_option = click.option(
    "--datadir",
    type=click.Path(path_type=Path),
    default=LOCALDB_DIR,
    help="Data directory of the embedded Postgres (default: .localdb/data of the checkout).",
)

target_option = click.option(
    "--target",
    default=None,
    help="Sqitch target: a db:pg://… URI or a target name (default: --dsn, else sqitch.conf).",
)


def to_change_option(what: str) -> Callable[[F], F]:
    """--to CHANGE of `db deploy` and `db revert` (`what`: "Deploy up to", "Revert down to")."""
    return click.option("--to", "to_change", default=None, help=f"{what} this change.")


def pair_arguments(f: F) -> F:
    """ORG and TYPE, the pair every `integrations` command names."""
    f = click.argument("integration_type", metavar="TYPE")(f)
    return click.argument("org")(f)
