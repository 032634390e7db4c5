"""`orchestrator status --org` (an org's health and last runs) and `--global` (the engine
at a glance) through the app's RPCs."""

from __future__ import annotations

import uuid

import click

from .context import require_dsn


@click.command("status")
@click.option(
    "--org",
    "org_id",
    default=None,
    envvar="ORCHESTRATOR_ORG_ID",
    help="The organisation's uuid (env ORCHESTRATOR_ORG_ID).",
)
@click.option(
    "--global",
    "global_",
    is_flag=True,
    help="The whole engine: queue, runs, drift, failing pairs, workers, open alerts.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
@click.pass_context
def org_status(ctx: click.Context, org_id: str | None, global_: bool, as_json: bool) -> None:
    """--org: the org's health rows and last runs (get_org_health_status,
    get_last_run_per_integration); --global: get_engine_status(). As service_role."""
    from ..tooling.status import StatusError, fetch_engine_status, fetch_org_status

    if global_ and org_id is not None:
        raise click.UsageError("pass either --org or --global, not both")
    if global_:
        try:
            engine = fetch_engine_status(require_dsn(ctx))
        except StatusError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(engine.as_json() if as_json else engine.as_text())
        return
    if org_id is None:
        raise click.UsageError("Missing option '--org' (or pass --global).")
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
