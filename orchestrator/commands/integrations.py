"""`orchestrator integrations add|list|enable|disable|sync`: register and manage an org's
integrations through `public.configure_integration` (issue 23), as service_role."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

import click

from .context import require_dsn
from .options import pair_arguments

T = TypeVar("T")


def _org(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise click.UsageError(f"ORG must be an organisation's uuid, got {value!r}") from exc


def _run(call: Callable[[], T]) -> T:
    from ..tooling.integrations import IntegrationError

    try:
        return call()
    except IntegrationError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group("integrations")
def integrations_group() -> None:
    """Register and manage integrations (as service_role; the DSN's login must be allowed to
    SET ROLE service_role, e.g. postgres)."""


@integrations_group.command("add")
@pair_arguments
@click.argument("url")
@click.option(
    "--interval",
    default="1h",
    show_default=True,
    help="How often it syncs: a Postgres interval (15m, 1h, 1 day), or 'manual' (no schedule).",
)
@click.option(
    "--delivery",
    type=click.Choice(["worker", "pg_net"]),
    default="worker",
    show_default=True,
    help="Who makes the call: a worker process, or Postgres itself through pg_net.",
)
@click.option("--warmup-url", default=None, help="A URL to GET before each scheduled period.")
@click.option(
    "--health-mode",
    type=click.Choice(["active", "passive", "disabled"]),
    default="active",
    show_default=True,
    help="active: probed; passive: follows the sync outcomes; disabled: not watched.",
)
@click.option("--disabled", is_flag=True, help="Register it switched off.")
@click.pass_context
def add(
    ctx: click.Context,
    org: str,
    integration_type: str,
    url: str,
    interval: str,
    delivery: str,
    warmup_url: str | None,
    health_mode: str,
    disabled: bool,
) -> None:
    """Register (or change) ORG's TYPE integration, called at URL.

    An existing integration keeps its schedule anchor, its runs and its health history."""
    from ..tooling.integrations import as_table, configure, parse_interval

    dsn = require_dsn(ctx)
    row = _run(
        lambda: configure(
            dsn,
            _org(org),
            integration_type,
            url,
            interval=parse_interval(interval),
            delivery=delivery,
            health_mode=health_mode,
            warmup_url=warmup_url,
            enabled=not disabled,
        )
    )
    click.echo(as_table([row]))


@integrations_group.command("list")
@click.option("--org", "org", default=None, help="Only this organisation's integrations.")
@click.option("--json", "as_json_", is_flag=True, help="Print JSON instead of a table.")
@click.pass_context
def list_command(ctx: click.Context, org: str | None, as_json_: bool) -> None:
    """The integrations (of one org, or all)."""
    from ..tooling.integrations import as_json, as_table, list_integrations

    dsn = require_dsn(ctx)
    rows = _run(lambda: list_integrations(dsn, _org(org) if org else None))
    click.echo(as_json(rows) if as_json_ else as_table(rows))


def _set_enabled(ctx: click.Context, org: str, integration_type: str, enabled: bool) -> None:
    from ..tooling.integrations import as_table, set_enabled

    dsn = require_dsn(ctx)
    row = _run(lambda: set_enabled(dsn, _org(org), integration_type, enabled))
    click.echo(as_table([row]))


@integrations_group.command("enable")
@pair_arguments
@click.pass_context
def enable(ctx: click.Context, org: str, integration_type: str) -> None:
    """Switch ORG's TYPE integration on (its schedule resumes from now)."""
    _set_enabled(ctx, org, integration_type, True)


@integrations_group.command("disable")
@pair_arguments
@click.pass_context
def disable(ctx: click.Context, org: str, integration_type: str) -> None:
    """Switch ORG's TYPE integration off (a pending run is cancelled)."""
    _set_enabled(ctx, org, integration_type, False)


@integrations_group.command("sync")
@pair_arguments
@click.pass_context
def sync(ctx: click.Context, org: str, integration_type: str) -> None:
    """Start a manual run of ORG's TYPE integration now, as a backend does (service_role);
    prints the run's id. A worker (or pg_net) makes the call."""
    from ..tooling.integrations import trigger_sync

    dsn = require_dsn(ctx)
    click.echo(_run(lambda: trigger_sync(dsn, _org(org), integration_type)))
