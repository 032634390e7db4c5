"""`orchestrator status --org`: an org's health and last runs through the app's RPCs."""

from __future__ import annotations

import uuid

import click

from .context import require_dsn


@click.command("status")
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
    from ..status import StatusError, fetch_org_status

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
